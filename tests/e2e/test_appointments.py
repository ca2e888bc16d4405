"""Browser test: a citizen books a slot, sees it in "my appointments"; the clerk's day list shows it.

Sign-in uses ``Client.force_login`` session cookies (the login pages are being
rebuilt elsewhere). With ``DIMOS_SCREENSHOTS=<dir>`` the test also saves the
screenshots used in docs/appointments/guide.md.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from conftest import chromium_path
from dimos.appointments.models import Appointment
from dimos.appointments.tests.conftest import make_point

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _session_cookie(user: Any, url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": url,
    }


def _shot(page: Any, name: str) -> None:
    target = os.environ.get("DIMOS_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_citizen_books_and_clerk_sees_it(
    live_server: Any, serres: Any, citizen: Any, alice: Any, monkeypatch: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM
    # calls are still plain synchronous code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    setup = make_point(serres, name="Δημαρχείο Σερρών")
    setup.point.address = "Κωνσταντίνου Καραμανλή 1, 621 00 Σέρρες"
    setup.point.save()
    day = setup.day.isoformat()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="el-GR")
            context.add_cookies([_session_cookie(citizen, live_server.url)])
            page = context.new_page()
            page.goto(f"{live_server.url}/appointments/")
            _shot(page, "01-simeia")
            page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας").click()
            expect(page.get_by_role("heading", level=1)).to_contain_text("Βεβαίωση μόνιμης κατοικίας")
            page.goto(page.url + f"?from={day}")
            _shot(page, "02-eleftheres-ores")
            page.locator(".day").first.get_by_role("link", name="09:00").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Επιβεβαίωση ραντεβού")
            _shot(page, "03-epivevaiosi")
            page.get_by_role("button", name="Κλείσιμο ραντεβού").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Το ραντεβού σας έχει κλειστεί")
            appointment = Appointment.objects.get()
            expect(page.locator(".ref")).to_have_text(appointment.reference)
            _shot(page, "04-kleistike")
            page.get_by_role("link", name="Όλα τα ραντεβού μου").click()
            expect(page.get_by_role("heading", level=1)).to_have_text("Τα ραντεβού μου")
            expect(page.get_by_role("table").first).to_contain_text(appointment.reference)
            expect(page.get_by_role("table").first).to_contain_text("Βεβαίωση μόνιμης κατοικίας")
            _shot(page, "05-ta-rantevou-mou")

            clerk = browser.new_context(viewport={"width": 1200, "height": 800}, locale="el-GR")
            clerk.add_cookies([_session_cookie(alice, live_server.url)])
            staff = clerk.new_page()
            staff.goto(f"{live_server.url}/staff/appointments/?point={setup.point.pk}&date={day}")
            row = staff.get_by_role("row").filter(has_text=appointment.reference)
            expect(row).to_contain_text("Μαρία Παπαδοπούλου")
            expect(row).to_contain_text("09:00")
            expect(row.get_by_role("button", name="Εξυπηρετήθηκε")).to_be_visible()
            _shot(staff, "06-lista-imeras")
            staff.get_by_role("link", name="Εκτυπώσιμη λίστα").click()
            expect(staff.get_by_role("table")).to_contain_text(appointment.reference)
            _shot(staff, "07-ektyposi")
        finally:
            browser.close()


def test_the_e_mail_link_manages_and_a_forged_one_is_refused(
    live_server: Any, serres: Any, citizen: Any, monkeypatch: Any
) -> None:
    from playwright.sync_api import expect, sync_playwright

    from dimos.appointments.links import manage_token
    from dimos.appointments.services import appointment_book
    from dimos.appointments.tests.conftest import at

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    setup = make_point(serres, name="ΚΕΠ Σερρών")
    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 10),
    )
    token = manage_token(appointment)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900}, locale="el-GR")
            # No sign-in: the signed link is the key.
            page.goto(f"{live_server.url}/appointments/manage/{token}/")
            expect(page.get_by_role("heading", level=1)).to_have_text("Διαχείριση ραντεβού")
            _shot(page, "08-diacheirisi-syndesmos")
            page.get_by_role("link", name="Αλλαγή ώρας").click()
            page.goto(page.url + f"?from={setup.day.isoformat()}")
            page.locator(".day").first.get_by_role("link", name="11:00").click()
            page.get_by_role("button", name="Αλλαγή ώρας").click()
            expect(page.locator(".messages")).to_contain_text("Η ώρα του ραντεβού άλλαξε")
            _shot(page, "09-nea-ora")
            page.goto(f"{live_server.url}/appointments/manage/{token[:-4]}abcd/")
            expect(page.get_by_role("alert")).to_contain_text("Ο σύνδεσμος δεν είναι έγκυρος")
            _shot(page, "10-plastos-syndesmos")
        finally:
            browser.close()
    assert Appointment.objects.filter(status="booked").count() == 1
