"""The demo stand-in for TaxisNet: only with DIMOS_DEV_LOGIN, through the real state checks."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from dimos.accounts.models import ExternalIdentity
from dimos.core.testing import SERRES_HOST

User = get_user_model()
START = "/accounts/idp/taxisnet-demo/start/"


@pytest.fixture
def dev_on(settings: Any) -> None:
    settings.DIMOS_DEV_LOGIN = True


def _authorize_url(client: Client) -> tuple[str, str]:
    start = client.get(START)
    assert start.status_code == 302
    url = urlparse(start["Location"])
    return f"{url.path}?{url.query}", parse_qs(url.query)["state"][0]


def test_disabled_means_404_and_not_listed(serres: Any, citizen: Any, settings: Any) -> None:
    settings.DIMOS_DEV_LOGIN = False
    client = Client(HTTP_HOST=SERRES_HOST)
    page = client.get("/accounts/login/").content.decode()
    assert "TaxisNet (επίδειξη)" not in page and START not in page
    assert client.get(START).status_code == 404
    assert client.get("/accounts/demo-taxisnet/?state=x").status_code == 404
    assert client.post("/accounts/demo-taxisnet/", {"citizen": citizen.pk, "state": "x"}).status_code == 404
    assert client.get("/accounts/idp/taxisnet-demo/callback/?code=a&state=b").status_code == 404


def test_sign_in_as_listed_citizen(serres: Any, citizen: Any, dev_on: None) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    login_page = client.get("/accounts/login/").content.decode()
    assert "Σύνδεση με TaxisNet (επίδειξη)" in login_page
    authorize, state = _authorize_url(client)
    page = client.get(authorize).content.decode()
    assert "Σελίδα επίδειξης" in page and "Μαρία Παπαδοπούλου" in page
    back = client.post("/accounts/demo-taxisnet/", {"citizen": citizen.pk, "state": state})
    assert back.status_code == 302
    response = client.get(back["Location"])
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(citizen.pk)
    assert ExternalIdentity.objects.get(provider="taxisnet-demo").user == citizen
    assert "Μαρία Παπαδοπούλου" in client.get("/").content.decode()


def test_typed_person_creates_citizen_then_email_step(serres: Any, dev_on: None) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    _, state = _authorize_url(client)
    back = client.post(
        "/accounts/demo-taxisnet/",
        {
            "manual": "1",
            "state": state,
            "afm": "090000045",
            "first_name": "Άννα",
            "last_name": "Ιωάννου",
            "birth_year": "1990",
        },
    )
    response = client.get(back["Location"])
    assert response["Location"].startswith("/accounts/me/email/")
    assert User.objects.get(afm="090000045").first_name == "Άννα"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"afm": "123456789"}, "afm", "έγκυρο ψηφίο ελέγχου"),
        ({"afm": "12345"}, "afm", "9 ψηφία"),
        ({"afm": ""}, "afm", "Συμπληρώστε τον ΑΦΜ"),
        ({"first_name": ""}, "first_name", "Συμπληρώστε το όνομα"),
        ({"birth_year": "1800"}, "birth_year", "από 1900"),
        ({"birth_year": "abc"}, "birth_year", "είναι αριθμός"),
    ],
)
def test_bad_typed_person(serres: Any, dev_on: None, data: dict, field: str, message: str) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    _, state = _authorize_url(client)
    payload = {"manual": "1", "state": state, "afm": "090000045", "first_name": "Α", "last_name": "Β", **data}
    response = client.post("/accounts/demo-taxisnet/", payload)
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and message in body
    assert User.objects.count() == 0


def test_stand_in_needs_a_valid_state(serres: Any, citizen: Any, dev_on: None) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    back = client.post("/accounts/demo-taxisnet/", {"citizen": citizen.pk, "state": "forged"})
    response = client.get(back["Location"])
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_stand_in_cannot_pick_staff(serres: Any, alice: Any, dev_on: None) -> None:
    alice.afm = "090000045"
    alice.save()
    client = Client(HTTP_HOST=SERRES_HOST)
    _, state = _authorize_url(client)
    assert client.post("/accounts/demo-taxisnet/", {"citizen": alice.pk, "state": state}).status_code == 404
    assert client.post("/accounts/demo-taxisnet/", {"citizen": "x", "state": state}).status_code == 404
    # Typing a staff member's ΑΦΜ does not sign in as them either.
    back = client.post(
        "/accounts/demo-taxisnet/",
        {"manual": "1", "state": state, "afm": "090000045", "first_name": "Α", "last_name": "Β"},
    )
    assert client.get(back["Location"]).status_code == 403
    assert "_auth_user_id" not in client.session


def test_dev_login_setting_follows_demo_and_debug(tmp_path: Any) -> None:
    import subprocess
    import sys

    code = "import django; django.setup(); from django.conf import settings; print(settings.DIMOS_DEV_LOGIN)"
    base = {
        "DJANGO_SETTINGS_MODULE": "dimos.settings",
        "SECRET_KEY": "x" * 60,
        "PATH": "/usr/bin:/bin",
        "DIMOS_DATA_DIR": str(tmp_path),
    }
    on = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DEBUG": "true", "DIMOS_DEMO": "true"},
        capture_output=True,
        text=True,
        check=True,
    )
    off = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DEBUG": "true", "DIMOS_DEMO": "false"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert on.stdout.strip() == "True" and off.stdout.strip() == "False"
    refused = subprocess.run(
        [sys.executable, "-c", code],
        env={**base, "DEBUG": "false", "DIMOS_DEMO": "true"},
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0 and "DIMOS_DEMO=true requires DEBUG=true" in refused.stderr
