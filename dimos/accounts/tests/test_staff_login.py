"""Staff sign-in: password, TOTP enrolment and codes, replay, throttling, the admin's login."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.utils import timezone

from dimos.accounts.enrolment import totp_enrolment_code_issue
from dimos.accounts.models import TOTPDevice
from dimos.accounts.services import totp_verify
from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST

PASSWORD = "correct horse battery"
LOGIN = "/accounts/login/"
SETUP = "/accounts/login/totp/setup/"


def _password_step(client: Client, username: str = "alice", password: str = PASSWORD, **extra: str) -> Any:
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _enrolled(user: Any) -> pyotp.TOTP:
    secret = pyotp.random_base32()
    TOTPDevice.objects.create(user=user, secret=secret, confirmed_at="2026-01-01T00:00:00Z")
    return pyotp.TOTP(secret)


def _signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_lists_both_ways(anon_client: Client) -> None:
    page = anon_client.get(LOGIN).content.decode()
    assert "Πολίτες" in page and "Προσωπικό του δήμου" in page
    assert 'name="username"' in page and 'autocomplete="current-password"' in page


def test_first_login_enrols_totp_with_qr(alice: Any, bob: Any) -> None:
    code = totp_enrolment_code_issue(user=alice, actor=bob)
    client = Client(HTTP_HOST=SERRES_HOST)
    response = _password_step(client, next="/staff/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/totp/setup/"
    assert not _signed_in(client)  # the password alone is not enough
    ask = client.get("/accounts/login/totp/setup/")
    assert "Κωδικός ενεργοποίησης" in ask.content.decode() and 'class="qr"' not in ask.content.decode()
    assert client.post("/accounts/login/totp/setup/", {"enrolment_code": code})["Location"] == SETUP
    page = client.get("/accounts/login/totp/setup/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=alice)
    assert "<svg" in body and device.secret[:4] in body and not device.is_confirmed
    # A wrong code does not confirm.
    wrong = client.post("/accounts/login/totp/setup/", {"code": "000000"})
    assert wrong.status_code == 400 and "δεν είναι σωστός" in wrong.content.decode()
    code = pyotp.TOTP(device.secret).now()
    done = client.post("/accounts/login/totp/setup/", {"code": code})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.is_confirmed
    assert AuditEvent.objects.filter(action="accounts.totp_enrolled", actor=alice).exists()
    assert AuditEvent.objects.filter(
        action="accounts.login", actor=alice, new_values__method="password+totp"
    ).exists()


def test_the_password_alone_never_shows_the_authenticator_secret(alice: Any, bob: Any) -> None:
    """Whoever first knows a staff password must not be able to bind their own authenticator."""
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client)
    page = client.get("/accounts/login/totp/setup/").content.decode()
    assert 'class="qr"' not in page and not TOTPDevice.objects.filter(user=alice).exists()
    wrong = client.post("/accounts/login/totp/setup/", {"enrolment_code": "AAAA-BBBB-CCCC"})
    assert wrong.status_code == 400 and "δεν είναι σωστός" in wrong.content.decode()
    assert client.post("/accounts/login/totp/setup/", {"code": "123456"}).status_code == 400
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_an_enrolment_code_is_used_once_and_expires(alice: Any, bob: Any, monkeypatch: Any) -> None:
    from dimos.accounts.enrolment import totp_enrolment_code_redeem

    code = totp_enrolment_code_issue(user=alice, actor=bob)
    assert totp_enrolment_code_redeem(user=alice, code=code.lower().replace("-", " "))
    assert not totp_enrolment_code_redeem(user=alice, code=code)
    code = totp_enrolment_code_issue(user=alice, actor=bob)
    later = timezone.now() + timedelta(hours=73)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert not totp_enrolment_code_redeem(user=alice, code=code)


def test_only_an_administrator_of_the_municipality_issues_codes(
    alice: Any, bob: Any, charlie_admin: Any
) -> None:
    from dimos.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        totp_enrolment_code_issue(user=alice, actor=charlie_admin)  # another municipality
    with pytest.raises(PermissionDenied):
        totp_enrolment_code_issue(user=bob, actor=alice)  # a clerk
    assert totp_enrolment_code_issue(user=alice, actor=bob)
    assert AuditEvent.objects.filter(action="accounts.totp_enrolment_code_issued", actor=bob).count() == 1


def test_enrolled_user_gives_code(alice: Any) -> None:
    totp = _enrolled(alice)
    client = Client(HTTP_HOST=SERRES_HOST)
    assert _password_step(client)["Location"] == "/accounts/login/totp/"
    assert client.get("/accounts/login/totp/setup/")["Location"] == "/accounts/login/totp/"
    response = client.post("/accounts/login/totp/", {"code": totp.now()})
    assert response.status_code == 302 and _signed_in(client)


@pytest.mark.parametrize(
    ("code", "message"),
    [("", "Συμπληρώστε τον κωδικό"), ("12ab56", "ακριβώς 6 ψηφία"), ("1234567", "ακριβώς 6 ψηφία")],
)
def test_malformed_totp(alice: Any, code: str, message: str) -> None:
    _enrolled(alice)
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client)
    response = client.post("/accounts/login/totp/", {"code": code})
    assert response.status_code == 400 and message in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not _signed_in(client)


def test_totp_code_cannot_be_replayed(alice: Any) -> None:
    totp = _enrolled(alice)
    now = time.time()
    code = totp.at(now)
    assert totp_verify(user=alice, code=code, at=now)
    assert not totp_verify(user=alice, code=code, at=now)  # same code again
    assert not totp_verify(user=alice, code=totp.at(now - 30), at=now)  # an older one
    assert totp_verify(user=alice, code=totp.at(now + 30), at=now + 30)  # the next one is fine
    # Via the pages: a second session cannot reuse the code the first one used.
    TOTPDevice.objects.filter(user=alice).update(last_used_step=0)
    code = totp.now()
    first, second = Client(HTTP_HOST=SERRES_HOST), Client(HTTP_HOST=SERRES_HOST)
    _password_step(first)
    _password_step(second)
    assert first.post("/accounts/login/totp/", {"code": code}).status_code == 302
    response = second.post("/accounts/login/totp/", {"code": code})
    assert response.status_code == 400 and not _signed_in(second)


def test_totp_step_expires(alice: Any, monkeypatch: Any) -> None:
    totp = _enrolled(alice)
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client)
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 6 * 60)
    response = client.post("/accounts/login/totp/", {"code": totp.at(real() + 6 * 60)})
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert not _signed_in(client)


def test_totp_pages_need_the_password_step(serres: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    assert client.get("/accounts/login/totp/")["Location"] == LOGIN
    assert client.post("/accounts/login/totp/setup/", {"code": "123456"})["Location"] == LOGIN


def test_wrong_password(alice: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    response = _password_step(client, password="nope")
    assert response.status_code == 400
    assert "Λάθος όνομα χρήστη ή κωδικός" in response.content.decode()
    event = AuditEvent.objects.get(action="accounts.login_failed")
    assert event.new_values == {"username": "alice", "step": "password"}


def test_empty_fields(serres: Any) -> None:
    response = Client(HTTP_HOST=SERRES_HOST).post(LOGIN, {"username": "", "password": ""})
    body = response.content.decode()
    assert response.status_code == 400
    assert "Συμπληρώστε το όνομα χρήστη" in body and "Συμπληρώστε τον κωδικό πρόσβασης" in body


def test_citizen_cannot_use_password_form(serres: Any, citizen: Any) -> None:
    citizen.set_password(PASSWORD)
    citizen.save()
    response = _password_step(Client(HTTP_HOST=SERRES_HOST), username="maria")
    assert response.status_code == 400


def test_throttle_per_username(alice: Any, bob: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    for i in range(3):
        client = Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR=f"10.0.0.{i + 1}")
        assert _password_step(client, password="wrong").status_code == 400
    # Even the right password is refused now, from yet another address.
    client = Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.0.0.99")
    response = _password_step(client)
    body = response.content.decode()
    assert response.status_code == 429
    assert "Πολλές αποτυχημένες προσπάθειες" in body and "λεπτά" in body and "μετά τις" in body
    assert not _signed_in(client) and client.session.get("dimos_pending_staff") is None
    # Another user is not affected.
    assert _password_step(client, username="bob").status_code == 302


def test_failures_from_one_address_never_lock_out_another_account(
    alice: Any, bob: Any, settings: Any
) -> None:
    """An office behind one NAT address: guesses at other accounts do not lock bob out."""
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 5
    client = Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.9.9.9")
    for name in ("x1", "x2", "x3", "x4", "x5", "x6"):
        _password_step(client, username=name, password="wrong")
    assert _password_step(client, username="bob").status_code == 302


def test_an_address_over_its_limit_is_refused_for_the_accounts_it_failed_on(
    alice: Any, bob: Any, settings: Any
) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS = 4
    client = Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.9.9.9")
    for name in ("x1", "x2", "x3"):
        _password_step(client, username=name, password="wrong")
    _password_step(client, username="alice", password="wrong")  # the address's 4th failure
    # alice failed from this address: refused here, even with her right password …
    assert _password_step(client, username="alice").status_code == 429
    # … but not from her own desk, and bob (no failure from here) still signs in here.
    assert _password_step(Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.9.9.10")).status_code == 302
    assert _password_step(client, username="bob").status_code == 302


def test_throttle_keys_hold_no_username_or_address(alice: Any, settings: Any) -> None:
    from django.core.cache import cache

    client = Client(HTTP_HOST=SERRES_HOST, REMOTE_ADDR="10.9.9.77")
    _password_step(client, password="wrong")
    keys = list(cache._cache.keys())  # type: ignore[attr-defined]
    assert keys and not any("alice" in key or "10.9.9.77" in key for key in keys)


def test_throttle_window_ends(alice: Any, settings: Any, monkeypatch: Any) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 2
    settings.LOGIN_THROTTLE_WINDOW = 60
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client, password="wrong")
    _password_step(client, password="wrong")
    assert _password_step(client).status_code == 429
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 61)
    assert _password_step(client).status_code == 302


def test_throttle_totp_step(alice: Any, settings: Any) -> None:
    settings.LOGIN_THROTTLE_ATTEMPTS = 3
    totp = _enrolled(alice)
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client)
    for _ in range(3):
        assert client.post("/accounts/login/totp/", {"code": "000000"}).status_code == 400
    response = client.post("/accounts/login/totp/", {"code": totp.now()})
    assert response.status_code == 429 and "Πολλές αποτυχημένες προσπάθειες" in response.content.decode()
    assert not _signed_in(client)
    assert AuditEvent.objects.filter(action="accounts.login_failed", new_values__step="totp").count() == 3


def test_without_totp_setting_password_suffices(alice: Any, settings: Any) -> None:
    settings.STAFF_TOTP_REQUIRED = False
    client = Client(HTTP_HOST=SERRES_HOST)
    response = _password_step(client, next="/staff/")
    assert response.status_code == 302 and response["Location"] == "/staff/" and _signed_in(client)


def test_open_redirect_refused(alice: Any, settings: Any) -> None:
    settings.STAFF_TOTP_REQUIRED = False
    response = _password_step(Client(HTTP_HOST=SERRES_HOST), next="https://evil.example/")
    assert response["Location"] == "/staff/"


def test_staff_land_on_the_staff_home_after_signing_in(alice: Any, settings: Any) -> None:
    settings.STAFF_TOTP_REQUIRED = False
    response = _password_step(Client(HTTP_HOST=SERRES_HOST))
    assert response.status_code == 302 and response["Location"] == "/staff/"


def test_admin_login_goes_through_staff_login(bob: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/admin/")
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # Password alone does not open the back office.
    _password_step(client, username="bob")
    assert client.get("/admin/").status_code == 302
    totp = _enrolled(bob)
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client, username="bob", next="/admin/")
    response = client.post("/accounts/login/totp/", {"code": totp.now()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_admin_issues_an_enrolment_code(bob: Any, alice: Any, charlie: Any) -> None:
    _enrolled(alice)
    _enrolled(charlie)
    client = Client(HTTP_HOST=SERRES_HOST)
    client.force_login(bob)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "issue_totp_enrolment_code", "_selected_action": [alice.pk, charlie.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert response.status_code == 200 and "Κωδικός ενεργοποίησης για alice" in page
    assert not TOTPDevice.objects.filter(user=alice).exists()
    # Charlie belongs to another municipality: the tenant-scoped admin cannot touch him.
    assert TOTPDevice.objects.filter(user=charlie).exists()
    assert AuditEvent.objects.filter(action="accounts.totp_enrolment_code_issued", actor=bob).count() == 1
    # Alice enrols again at her next sign-in, with the code the page showed once.
    code = re.search(r"alice: ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})", page).group(1)  # type: ignore[union-attr]
    alice_client = Client(HTTP_HOST=SERRES_HOST)
    assert _password_step(alice_client)["Location"] == SETUP
    assert alice_client.post(SETUP, {"enrolment_code": code})["Location"] == SETUP


def test_logout_is_post_only(alice_client: Client) -> None:
    assert alice_client.get("/accounts/logout/").status_code == 405
    assert alice_client.post("/accounts/logout/").status_code == 302
    assert not _signed_in(alice_client)
    assert AuditEvent.objects.filter(action="accounts.logout").exists()


def test_login_page_in_english(anon_client: Client) -> None:
    anon_client.cookies["dimos_language"] = "en"
    page = anon_client.get(LOGIN).content.decode()
    assert "Citizens" in page and "Staff sign-in" in page and "Municipal staff" in page
    response = anon_client.post(LOGIN, {"username": "", "password": ""})
    assert "Enter your username." in response.content.decode()


def test_the_command_line_issues_a_code_for_the_first_administrator(bob: Any) -> None:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("staff_totp_code", "bob", stdout=out)
    code = out.getvalue().rsplit(": ", 1)[1].strip()
    client = Client(HTTP_HOST=SERRES_HOST)
    _password_step(client, username="bob")
    assert client.post(SETUP, {"enrolment_code": code})["Location"] == SETUP
