"""TaxisNet (GSIS OAuth 2.0) sign-in against a local fake server speaking the protocol."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dimos.accounts.models import ExternalIdentity
from dimos.accounts.providers import ProviderError
from dimos.accounts.providers.taxisnet import parse_userinfo
from dimos.accounts.tests.conftest import follow_provider
from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST

User = get_user_model()
START = "/accounts/idp/taxisnet/start/"


def test_full_flow_creates_citizen_and_identity(serres: Any, fake_taxisnet: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    start = client.get(START + "?next=/")
    url = urlparse(start["Location"])
    assert url.path == "/oauth2server/oauth/authorize"
    query = parse_qs(url.query)
    assert query["client_id"] == [fake_taxisnet.client_id]
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://serres.localhost/accounts/idp/taxisnet/callback/"]
    assert len(query["state"][0]) >= 32

    _, response = follow_provider(client, START + "?next=/")
    assert response.status_code == 302
    # No e-mail from TaxisNet: the citizen is asked for one first.
    assert response["Location"].startswith("/accounts/me/email/")
    user = User.objects.get(afm="090000045")
    assert (user.first_name, user.last_name, user.father_name, user.mother_name, user.birth_year) == (
        "ΜΑΡΙΑ",
        "ΠΑΠΑΔΟΠΟΥΛΟΥ",
        "ΓΕΩΡΓΙΟΣ",
        "ΕΛΕΝΗ",
        1985,
    )
    assert user.is_citizen and not user.has_usable_password() and not user.email_verified
    assert ExternalIdentity.objects.get(provider="taxisnet", subject="User071").user == user
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEvent.objects.filter(action="accounts.login", actor=user).exists()
    # The userinfo call carried the bearer token and asked for XML.
    _method, path, params, headers = fake_taxisnet.requests[-1]
    assert path == "/oauth2server/userinfo" and params["format"] == ["xml"]
    assert headers["authorization"].startswith("Bearer ")


def test_existing_citizen_matched_by_afm(serres: Any, citizen: Any, fake_taxisnet: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 302
    assert response["Location"] == "/"  # e-mail already verified
    assert User.objects.filter(afm="090000045").count() == 1
    citizen.refresh_from_db()
    assert citizen.father_name == "ΓΕΩΡΓΙΟΣ"  # refreshed from the authoritative source
    assert ExternalIdentity.objects.get(subject="User071").user == citizen
    # Second sign-in: same account, same identity row.
    _, again = follow_provider(Client(HTTP_HOST=SERRES_HOST), START)
    assert again.status_code == 302
    assert ExternalIdentity.objects.count() == 1 and User.objects.filter(afm="090000045").count() == 1


def test_staff_afm_is_refused(serres: Any, alice: Any, fake_taxisnet: Any) -> None:
    alice.afm = "090000045"
    alice.save()
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 403
    assert "λογαριασμό προσωπικού" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_invalid_afm_from_provider_is_refused(serres: Any, fake_taxisnet: Any) -> None:
    fake_taxisnet.person["taxid"] = "123456789"
    client = Client(HTTP_HOST=SERRES_HOST)
    users = User.objects.count()
    _, response = follow_provider(client, START)
    assert response.status_code == 502
    assert "ΑΦΜ" in response.content.decode()
    assert User.objects.count() == users and not ExternalIdentity.objects.exists()


@pytest.mark.parametrize("state", ["", "forged-state-value", None])
def test_forged_or_missing_state_creates_nothing(serres: Any, fake_taxisnet: Any, state: str | None) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    callback, _ = follow_provider(client, START)
    # Replay the provider's answer with another state (or none): no account, error page.
    code = parse_qs(urlparse(callback).query)["code"][0]
    other = Client(HTTP_HOST=SERRES_HOST)
    other.get(START)
    url = f"/accounts/idp/taxisnet/callback/?code={code}" + (f"&state={state}" if state is not None else "")
    users = User.objects.count()
    response = other.get(url)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Η σύνδεση δεν ολοκληρώθηκε" in body and "δεν δημιουργήθηκε λογαριασμός" in body
    assert User.objects.count() == users
    assert AuditEvent.objects.filter(
        action="accounts.login_failed", new_values__reason="state_unknown"
    ).exists()


def test_state_is_single_use(serres: Any, fake_taxisnet: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    callback, first = follow_provider(client, START)
    assert first.status_code == 302
    client.logout()
    replay = client.get(callback)
    assert replay.status_code == 400
    assert "_auth_user_id" not in client.session


def test_expired_state_creates_nothing(serres: Any, fake_taxisnet: Any, monkeypatch: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    real = time.time
    start = client.get(START)
    authorize = __import__("requests").get(start["Location"], allow_redirects=False, timeout=5)
    back = urlparse(authorize.headers["Location"])
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    response = client.get(f"{back.path}?{back.query}")
    assert response.status_code == 400
    assert not User.objects.filter(afm="090000045").exists()
    assert AuditEvent.objects.filter(new_values__reason="state_expired").exists()


def test_state_bound_to_provider(serres: Any, fake_taxisnet: Any, settings: Any) -> None:
    """A state issued for the demo provider cannot complete a TaxisNet callback."""
    settings.DIMOS_DEV_LOGIN = True
    client = Client(HTTP_HOST=SERRES_HOST)
    demo = client.get("/accounts/idp/taxisnet-demo/start/")
    state = parse_qs(urlparse(demo["Location"]).query)["state"][0]
    response = client.get(f"/accounts/idp/taxisnet/callback/?code=x&state={state}")
    assert response.status_code == 400


def test_provider_denial_is_an_error_page(serres: Any, fake_taxisnet: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    start = client.get(START)
    state = parse_qs(urlparse(start["Location"]).query)["state"][0]
    response = client.get(f"/accounts/idp/taxisnet/callback/?error=access_denied&state={state}")
    assert response.status_code == 400
    assert "ακυρώθηκε" in response.content.decode()


@pytest.mark.parametrize(
    "failure", ["token_500", "token_bad_grant", "userinfo_500", "userinfo_garbage", "timeout"]
)
def test_upstream_failures_give_error_page_and_no_account(
    serres: Any, fake_taxisnet: Any, settings: Any, failure: str
) -> None:
    if failure == "token_500":
        fake_taxisnet.token_status = 500
    elif failure == "token_bad_grant":
        fake_taxisnet.client_secret = "rotated"
    elif failure == "userinfo_500":
        fake_taxisnet.userinfo_status = 503
    elif failure == "userinfo_garbage":
        fake_taxisnet.userinfo_body = "<html>maintenance"
    elif failure == "timeout":
        settings.IDP_HTTP_TIMEOUT = (1, 0.3)
        fake_taxisnet.delay = 1.0
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 502
    assert "δεν ολοκληρώθηκε" in response.content.decode()
    assert User.objects.count() == 0 and not ExternalIdentity.objects.exists()
    assert "_auth_user_id" not in client.session


def test_unconfigured_provider_is_hidden_and_404(serres: Any, settings: Any) -> None:
    settings.TAXISNET_CLIENT_ID = ""
    client = Client(HTTP_HOST=SERRES_HOST)
    assert "TaxisNet</a>" not in client.get("/accounts/login/").content.decode().replace(
        "TaxisNet (επίδειξη)", ""
    )
    assert client.get(START).status_code == 404
    assert client.get("/accounts/idp/taxisnet/callback/?code=a&state=b").status_code == 404
    assert client.get("/accounts/idp/nonexistent/start/").status_code == 404


def test_listed_when_configured(serres: Any, fake_taxisnet: Any) -> None:
    page = Client(HTTP_HOST=SERRES_HOST).get("/accounts/login/").content.decode()
    assert "Σύνδεση με κωδικούς TaxisNet" in page and START in page


def test_logout_goes_through_gsis_logout(serres: Any, fake_taxisnet: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    follow_provider(client, START)
    assert client.get("/accounts/logout/").status_code == 405  # POST only
    response = client.post("/accounts/logout/")
    url = urlparse(response["Location"])
    assert url.path == f"/oauth2server/logout/{fake_taxisnet.client_id}/"
    assert parse_qs(url.query)["url"] == ["http://serres.localhost/"]
    assert "_auth_user_id" not in client.session


def test_userinfo_parser_accepts_elements_and_refuses_dtds() -> None:
    values = parse_userinfo(
        "<root><userinfo><userid>U1</userid><taxid>090000045</taxid><lastname>Α</lastname></userinfo></root>"
    )
    assert values["userid"] == "U1" and values["taxid"] == "090000045" and values["firstname"] == ""
    with pytest.raises(ProviderError):
        parse_userinfo('<!DOCTYPE r [<!ENTITY a "aaaa">]><root><userinfo userid="&a;"/></root>')
    with pytest.raises(ProviderError):
        parse_userinfo("<root><nothing/></root>")


def test_inactive_citizen_is_refused(serres: Any, citizen: Any, fake_taxisnet: Any) -> None:
    citizen.is_active = False
    citizen.save()
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 403 and "απενεργοποιηθεί" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_identity_whose_afm_changed_is_refused(serres: Any, citizen: Any, fake_taxisnet: Any) -> None:
    follow_provider(Client(HTTP_HOST=SERRES_HOST), START)  # links User071 to the citizen
    fake_taxisnet.person["taxid"] = "094014201"  # the same TaxisNet user now claims another ΑΦΜ
    client = Client(HTTP_HOST=SERRES_HOST)
    _, response = follow_provider(client, START)
    assert response.status_code == 409 and "_auth_user_id" not in client.session
    citizen.refresh_from_db()
    assert citizen.afm == "090000045"
