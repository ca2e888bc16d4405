"""Generic OpenID Connect sign-in against a local fake OpenID Provider (RSA key made here)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dimos.accounts.models import ExternalIdentity
from dimos.accounts.providers.oidc import pkce_challenge
from dimos.accounts.tests.conftest import follow_provider
from dimos.core.testing import SERRES_HOST

User = get_user_model()
START = "/accounts/idp/oidc/start/"


def test_flow_with_pkce_and_nonce(serres: Any, fake_oidc: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    start = client.get(START)
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["nonce"][0] and query["state"][0]
    assert "openid" in query["scope"][0].split()
    flow = client.session["dimos_idp_flows"][query["state"][0]]
    assert pkce_challenge(flow["code_verifier"]) == query["code_challenge"][0]

    _, response = follow_provider(client, START)
    assert response.status_code == 302 and response["Location"] == "/"  # verified e-mail: no e-mail step
    link = ExternalIdentity.objects.get(provider="oidc", subject="person-42")
    user = link.user
    assert (user.first_name, user.last_name, user.email, user.email_verified) == (
        "Eleni",
        "Dimitriou",
        "eleni@example.org",
        True,
    )
    assert user.afm == "" and user.is_citizen
    # Signing in again finds the same account through the identity.
    _, again = follow_provider(Client(HTTP_HOST=SERRES_HOST), START)
    assert again.status_code == 302 and User.objects.count() == 1


def test_unverified_email_is_not_trusted(serres: Any, fake_oidc: Any) -> None:
    fake_oidc.claims["email_verified"] = False
    _, response = follow_provider(Client(HTTP_HOST=SERRES_HOST), START)
    assert response["Location"].startswith("/accounts/me/email/")
    user = User.objects.get()
    assert not user.email_verified


@pytest.mark.parametrize("tamper", ["nonce", "audience", "signature", "expired", "issuer"])
def test_bad_id_token_is_refused(serres: Any, fake_oidc: Any, tamper: str) -> None:
    fake_oidc.tamper = tamper
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 502
    assert "δεν μπορούν να επαληθευτούν" in response.content.decode()
    assert User.objects.count() == 0 and "_auth_user_id" not in client.session


def test_userinfo_subject_must_match(serres: Any, fake_oidc: Any, monkeypatch: Any) -> None:
    original = fake_oidc.handle

    def handle(method: str, path: str, params: Any, headers: Any) -> Any:
        if path == "/userinfo":
            return 200, {"Content-Type": "application/json"}, '{"sub": "someone-else"}'
        return original(method, path, params, headers)

    monkeypatch.setattr(fake_oidc, "handle", handle)
    _, response = follow_provider(Client(HTTP_HOST=SERRES_HOST), START)
    assert response.status_code == 502 and User.objects.count() == 0


def test_forged_state(serres: Any, fake_oidc: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    client.get(START)
    response = client.get("/accounts/idp/oidc/callback/?code=abc&state=not-ours")
    assert response.status_code == 400 and User.objects.count() == 0


def test_discovery_failure_is_an_error_page(serres: Any, settings: Any) -> None:
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.OIDC_CLIENT_ID = "x"
    response = Client(HTTP_HOST=SERRES_HOST).get(START)
    assert response.status_code == 502
    assert "δεν απάντησε" in response.content.decode()


def test_label_from_settings(serres: Any, fake_oidc: Any) -> None:
    assert "Test IdP" in Client(HTTP_HOST=SERRES_HOST).get("/accounts/login/").content.decode()
