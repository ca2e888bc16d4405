"""E-mail (signed, expiring link) and mobile (6-digit SMS code) verification; my account."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.test import Client

from dimos.accounts.services import email_token_make, normalize_mobile
from dimos.core.models import AuditEvent, Notification
from dimos.core.sms import MemorySmsBackend
from dimos.core.tasks import tasks_run_pending
from dimos.core.testing import SERRES_HOST

User = get_user_model()


@pytest.fixture
def newcomer(serres: Any) -> Any:
    return User.objects.create_user(
        username="c-new", first_name="Νίκος", last_name="Γεωργίου", afm="090000045"
    )


@pytest.fixture
def newcomer_client(newcomer: Any) -> Client:
    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(newcomer)
    return client


def _link_from_mail() -> str:
    tasks_run_pending()
    assert len(mail.outbox) == 1
    match = re.search(r"http://serres\.localhost(/accounts/me/email/verify/[^/\s]+/)", mail.outbox[0].body)
    assert match, mail.outbox[0].body
    return match.group(1)


def test_email_step_sends_signed_link_and_verifies(newcomer: Any, newcomer_client: Client) -> None:
    page = newcomer_client.get("/accounts/me/email/?next=/")
    assert page.status_code == 200 and "Αργότερα" in page.content.decode()
    response = newcomer_client.post("/accounts/me/email/", {"email": "nikos@example.org", "next": "/"})
    assert response.status_code == 200 and "nikos@example.org" in response.content.decode()
    newcomer.refresh_from_db()
    assert newcomer.email == "nikos@example.org" and not newcomer.email_verified
    notification = Notification.objects.get(key="accounts.verify_email")
    assert notification.recipient == "nikos@example.org" and notification.municipality.slug == "serres"
    link = _link_from_mail()
    assert mail.outbox[0].subject == "Επαλήθευση της διεύθυνσης e-mail σας"
    assert "&amp;" not in mail.outbox[0].body
    verified = newcomer_client.get(link)
    assert verified.status_code == 302 and verified["Location"] == "/accounts/me/"
    newcomer.refresh_from_db()
    assert newcomer.email_verified
    assert AuditEvent.objects.filter(action="accounts.email_verified", actor=newcomer).exists()
    # The link works without being signed in too (another device), and again harmlessly.
    assert Client(HTTP_HOST=SERRES_HOST).get(link).status_code == 302
    assert AuditEvent.objects.filter(action="accounts.email_verified").count() == 1


def test_mail_in_the_language_of_the_page(newcomer: Any, newcomer_client: Client) -> None:
    newcomer_client.cookies["dimos_language"] = "en"
    newcomer_client.post("/accounts/me/email/", {"email": "nikos@example.org"})
    tasks_run_pending()
    assert mail.outbox[0].subject == "Verify your e-mail address"
    assert "Municipality of Serres" in mail.outbox[0].body
    newcomer.refresh_from_db()
    assert newcomer.language == "en"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Συμπληρώστε τη διεύθυνση e-mail"),
        ("not-an-email", "δεν είναι έγκυρη"),
        ("a@b", "δεν είναι έγκυρη"),
        ("x" * 250 + "@example.org", "254"),
    ],
)
def test_malformed_email(newcomer_client: Client, email: str, message: str) -> None:
    response = newcomer_client.post("/accounts/me/email/", {"email": email})
    body = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_email_error"' in body and message in body
    assert not Notification.objects.exists()


def test_expired_link(newcomer: Any, monkeypatch: Any) -> None:
    newcomer.email = "nikos@example.org"
    newcomer.save()
    token = email_token_make(user=newcomer, email="nikos@example.org")
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 3 * 24 * 3600)
    response = Client(HTTP_HOST=SERRES_HOST).get(f"/accounts/me/email/verify/{token}/")
    assert response.status_code == 400 and "έληξε" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_verified


def test_forged_and_stale_links(newcomer: Any) -> None:
    newcomer.email = "nikos@example.org"
    newcomer.save()
    client = Client(HTTP_HOST=SERRES_HOST)
    forged = signing.TimestampSigner(salt="another-salt").sign_object(
        {"u": newcomer.pk, "e": "nikos@example.org"}
    )
    assert client.get(f"/accounts/me/email/verify/{forged}/").status_code == 400
    assert client.get("/accounts/me/email/verify/garbage/").status_code == 400
    # A link for an address the citizen has since replaced no longer verifies.
    stale = email_token_make(user=newcomer, email="old@example.org")
    response = client.get(f"/accounts/me/email/verify/{stale}/")
    assert response.status_code == 400 and "δεν είναι πια η τρέχουσα" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.email_verified


def test_email_sends_are_limited(newcomer_client: Client, settings: Any) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    for _ in range(2):
        assert newcomer_client.post("/accounts/me/email/", {"email": "n@example.org"}).status_code == 200
    response = newcomer_client.post("/accounts/me/email/", {"email": "n@example.org"})
    assert response.status_code == 429 and Notification.objects.count() == 2


def test_pages_need_sign_in(serres: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    for url in ("/accounts/me/", "/accounts/me/email/", "/accounts/me/phone/", "/accounts/me/phone/verify/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("6912345678", "+306912345678"),
        ("+30 691 234 5678", "+306912345678"),
        ("00306912345678", "+306912345678"),
        ("2321012345", None),
        ("691234567", None),
        ("69123456789", None),
        ("abc", None),
    ],
)
def test_normalize_mobile(raw: str, expected: str | None) -> None:
    assert normalize_mobile(raw) == expected


def _sms_code() -> str:
    tasks_run_pending()
    assert MemorySmsBackend.outbox, "no SMS sent"
    return re.search(r"\b(\d{6})\b", MemorySmsBackend.outbox[-1][1]).group(1)


def test_phone_verification(newcomer: Any, newcomer_client: Client) -> None:
    MemorySmsBackend.outbox.clear()
    response = newcomer_client.post("/accounts/me/phone/", {"phone": "691 234 5678"})
    assert response.status_code == 302 and response["Location"] == "/accounts/me/phone/verify/"
    page = newcomer_client.get("/accounts/me/phone/verify/").content.decode()
    assert "678" in page and "6912345678" not in page  # masked
    code = _sms_code()
    assert MemorySmsBackend.outbox[-1][0] == "+306912345678"
    wrong = "000000" if code != "000000" else "111111"
    bad = newcomer_client.post("/accounts/me/phone/verify/", {"code": wrong})
    assert bad.status_code == 400 and "Απομένουν 4" in bad.content.decode()
    ok = newcomer_client.post("/accounts/me/phone/verify/", {"code": code})
    assert ok.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.phone == "+306912345678" and newcomer.phone_verified
    assert AuditEvent.objects.filter(action="accounts.phone_verified").exists()


def test_phone_code_attempt_limit(newcomer: Any, newcomer_client: Client) -> None:
    MemorySmsBackend.outbox.clear()
    newcomer_client.post("/accounts/me/phone/", {"phone": "6912345678"})
    code = _sms_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(5):
        assert newcomer_client.post("/accounts/me/phone/verify/", {"code": wrong}).status_code == 400
    # The right code no longer helps: a new one must be requested.
    response = newcomer_client.post("/accounts/me/phone/verify/", {"code": code})
    assert response.status_code == 400 and "Εξαντλήσατε" in response.content.decode()
    newcomer.refresh_from_db()
    assert not newcomer.phone_verified


def test_phone_code_expires(newcomer: Any, newcomer_client: Client, monkeypatch: Any) -> None:
    MemorySmsBackend.outbox.clear()
    newcomer_client.post("/accounts/me/phone/", {"phone": "6912345678"})
    code = _sms_code()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 11 * 60)
    response = newcomer_client.post("/accounts/me/phone/verify/", {"code": code})
    assert response.status_code == 400 and "έληξε" in response.content.decode()


@pytest.mark.parametrize(
    ("phone", "message"),
    [("", "Συμπληρώστε τον αριθμό"), ("2321012345", "δεν είναι ελληνικό κινητό"), ("69abc", "69")],
)
def test_malformed_phone(newcomer_client: Client, phone: str, message: str) -> None:
    response = newcomer_client.post("/accounts/me/phone/", {"phone": phone})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_phone_error"' in body and message in body


@pytest.mark.parametrize("code", ["", "12345", "abcdef"])
def test_malformed_sms_code(newcomer_client: Client, code: str) -> None:
    newcomer_client.post("/accounts/me/phone/", {"phone": "6912345678"})
    response = newcomer_client.post("/accounts/me/phone/verify/", {"code": code})
    assert response.status_code == 400 and 'id="id_code_error"' in response.content.decode()


def test_sms_sends_are_limited(newcomer_client: Client, settings: Any) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    for _ in range(2):
        newcomer_client.post("/accounts/me/phone/", {"phone": "6912345678"})
    response = newcomer_client.post("/accounts/me/phone/", {"phone": "6912345678"})
    assert response.status_code == 429 and Notification.objects.filter(channel="sms").count() == 2


def test_my_account_shows_what_we_hold(newcomer: Any, newcomer_client: Client) -> None:
    newcomer.father_name, newcomer.birth_year, newcomer.email = "Δημήτριος", 1972, "n@example.org"
    newcomer.save()
    body = newcomer_client.get("/accounts/me/").content.decode()
    for text in ("Νίκος Γεωργίου", "090000045", "Δημήτριος", "1972", "n@example.org", "δεν έχει επαληθευτεί"):
        assert text in body
