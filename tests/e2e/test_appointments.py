"""Browser test: a citizen books a slot, sees it in "my appointments"; the clerk's day list shows it.

Sign-in uses ``Client.force_login`` session cookies (``login_as``); every page on
the way is checked with axe-core (WCAG 2.1 AA). With ``DIMOS_SCREENSHOTS=<dir>`` the test also saves the
screenshots used in docs/appointments/guide.md.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from dimos.appointments.models import Appointment
from dimos.appointments.tests.conftest import make_point
from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page: Any, name: str) -> None:
    target = os.environ.get("DIMOS_SCREENSHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_citizen_books_and_clerk_sees_it(
    live_server: Any, serres: Any, citizen: Any, alice: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    setup = make_point(serres, name="Δημαρχείο Σερρών")
    setup.point.address = "Κωνσταντίνου Καραμανλή 1, 621 00 Σέρρες"
    setup.point.save()
    day = setup.day.isoformat()
    page = open_browser()
    page.set_viewport_size({"width": 1200, "height": 900})
    login_as(page, live_server.url, citizen)
    page.goto(f"{live_server.url}/appointments/")
    _shot(page, "01-simeia")
    assert_accessible(page)
    page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Βεβαίωση μόνιμης κατοικίας")
    page.goto(page.url + f"?from={day}")
    _shot(page, "02-eleftheres-ores")
    assert_accessible(page)
    # The slot picker is a list of links: the keyboard reaches a time and Enter picks it.
    page.locator(".day").first.get_by_role("link", name="09:00").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Επιβεβαίωση ραντεβού")
    _shot(page, "03-epivevaiosi")
    assert_accessible(page)
    page.get_by_role("button", name="Κλείσιμο ραντεβού").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Το ραντεβού σας έχει κλειστεί")
    appointment = in_thread(lambda: Appointment.objects.get())
    expect(page.locator(".ref")).to_have_text(appointment.reference)
    _shot(page, "04-kleistike")
    assert_accessible(page)
    page.get_by_role("link", name="Όλα τα ραντεβού μου").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Τα ραντεβού μου")
    expect(page.get_by_role("table").first).to_contain_text(appointment.reference)
    expect(page.get_by_role("table").first).to_contain_text("Βεβαίωση μόνιμης κατοικίας")
    _shot(page, "05-ta-rantevou-mou")
    assert_accessible(page)

    clerk = page.context.browser.new_context(viewport={"width": 1200, "height": 800}, locale="el-GR")
    staff = clerk.new_page()
    login_as(staff, live_server.url, alice)
    staff.goto(f"{live_server.url}/staff/appointments/?point={setup.point.pk}&date={day}")
    row = staff.get_by_role("row").filter(has_text=appointment.reference)
    expect(row).to_contain_text("Μαρία Παπαδοπούλου")
    expect(row).to_contain_text(re.compile(r"(?<![\d:])09:00(?![\d])"))  # the time, not 19:00 or a date
    # A day ahead: nothing to mark yet (the service refuses «served» before the day), only a cancel.
    expect(row.get_by_role("button", name="Εξυπηρετήθηκε")).to_have_count(0)
    _shot(staff, "06-lista-imeras")
    assert_accessible(staff)
    staff.get_by_role("link", name="Εκτυπώσιμη λίστα").click()
    expect(staff.get_by_role("table")).to_contain_text(appointment.reference)
    _shot(staff, "07-ektyposi")
    assert_accessible(staff)


def test_the_e_mail_link_manages_and_a_forged_one_is_refused(
    live_server: Any, serres: Any, citizen: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    from dimos.appointments.links import manage_token
    from dimos.appointments.services import appointment_book
    from dimos.appointments.tests.conftest import at

    setup = make_point(serres, name="ΚΕΠ Σερρών")
    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 10),
    )
    token = manage_token(appointment)
    page = open_browser()
    page.set_viewport_size({"width": 1200, "height": 900})
    # No sign-in: the signed link is the key.
    page.goto(f"{live_server.url}/appointments/manage/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Διαχείριση ραντεβού")
    _shot(page, "08-diacheirisi-syndesmos")
    assert_accessible(page)
    page.get_by_role("link", name="Αλλαγή ώρας").click()
    page.goto(page.url + f"?from={setup.day.isoformat()}")
    assert_accessible(page)
    page.locator(".day").first.get_by_role("link", name="11:00").click()
    assert_accessible(page)
    page.get_by_role("button", name="Αλλαγή ώρας").click()
    expect(page.locator(".messages")).to_contain_text("Η ώρα του ραντεβού άλλαξε")
    _shot(page, "09-nea-ora")
    assert_accessible(page)
    page.goto(f"{live_server.url}/appointments/manage/{token[:-4]}abcd/")
    expect(page.get_by_role("alert")).to_contain_text("Ο σύνδεσμος δεν είναι έγκυρος")
    _shot(page, "10-plastos-syndesmos")
    assert_accessible(page)
    assert in_thread(lambda: Appointment.objects.filter(status="booked").count()) == 1
