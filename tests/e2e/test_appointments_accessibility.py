"""WCAG 2.1 AA (axe-core) and keyboard checks of the appointment pages, in Greek and English:
service points, free times, confirmation, my appointments, the e-mail manage link (and a
broken one), and the clerk's day list with its filters and cancel form.

With ``A11Y_SHOTS=/tmp`` the tests also save phone (390 px) and desktop (1280 px)
screenshots as ``/tmp/a11y-appointments-*.png``. Every checked page must also reflow
to 320 CSS px (WCAG 1.4.10) without scrolling sideways.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

from dimos.appointments.models import Appointment
from dimos.appointments.tests.conftest import at, make_point
from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# If the page scrolls sideways: the innermost elements reaching past the viewport's right edge.
WIDEST = """() => {
  const root = document.documentElement, w = root.clientWidth;
  if (root.scrollWidth <= w) { return []; }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " " + Math.round(r.right));
    }
  }
  return out.slice(0, 8);
}"""


def look(page: Any, name: str) -> None:
    """Check the page with axe-core and for reflow; with A11Y_SHOTS, screenshot it as a phone and a desktop."""
    assert_accessible(page)
    target = os.environ.get("A11Y_SHOTS")
    if target:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(target) / f"a11y-appointments-{name}-{width}.png"), full_page=True)
    # WCAG 1.4.10 (reflow): at 320 CSS px nothing but a table's own scroll box scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 900})
    overflow = page.evaluate(WIDEST)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not overflow, f"{name}: at 320px these stick out sideways: {overflow}"


def to_english(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.fixture
def booked(serres: Any, citizen: Any) -> Any:
    """A point open every day, with one booking of the citizen at 10:00 and one past one."""
    from dimos.appointments.services import appointment_book

    setup = make_point(serres, name="ΚΕΠ Σερρών")
    setup.appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 10),
    )
    return setup


def test_citizen_pages_in_greek_and_english(
    live_server: Any, booked: Any, citizen: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    from dimos.appointments.links import manage_token

    base = live_server.url
    day = booked.day.isoformat()
    slots = f"{base}/appointments/point/{booked.point.pk}/type/{booked.type.pk}/?from={day}"
    token = manage_token(booked.appointment)
    page = open_browser()
    page.goto(f"{base}/appointments/")  # anonymous
    look(page, "points-anonymous")
    login_as(page, base, citizen)
    page.goto(f"{base}/appointments/")
    look(page, "points")
    page.goto(slots)
    look(page, "slots")
    # The week navigation and the times are reached with Tab alone.
    reached = []
    for _ in range(80):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "09:00":
            break
    assert "Επόμενες ημέρες →" in reached and reached[-1] == "09:00", reached
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Επιβεβαίωση ραντεβού")
    look(page, "confirm")
    # A tampered time is refused with a message, not a crash.
    page.goto(slots.replace("?from=" + day, "confirm/?start=yesterday"))
    expect(page.locator(".messages")).to_contain_text("Μη έγκυρη ώρα")
    assert_accessible(page)
    page.goto(f"{base}/appointments/mine/")
    expect(page.get_by_role("table").first).to_contain_text(booked.appointment.reference)
    look(page, "mine")
    page.goto(f"{base}/appointments/mine/{booked.appointment.reference}/")
    look(page, "detail")
    page.goto(f"{base}/appointments/manage/{token}/")
    look(page, "manage")
    page.get_by_role("link", name="Ακύρωση ραντεβού…").click()
    expect(page.get_by_role("button", name="Ναι, ακύρωση του ραντεβού")).to_be_visible()
    look(page, "cancel-confirm")
    page.goto(f"{base}/appointments/manage/{token[:-4]}abcd/")
    expect(page.get_by_role("alert")).to_contain_text("Ο σύνδεσμος δεν είναι έγκυρος")
    look(page, "link-error")

    to_english(page)
    assert_accessible(page)
    for path in (
        "/appointments/",
        slots.removeprefix(base),
        "/appointments/mine/",
        f"/appointments/mine/{booked.appointment.reference}/",
        f"/appointments/manage/{token}/",
        f"/appointments/manage/{token}/reschedule/?from={day}",
    ):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert_accessible(page)
    page.goto(slots)
    page.locator(".day").first.get_by_role("link", name="09:00").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm appointment")
    assert_accessible(page)
    assert in_thread(lambda: Appointment.objects.count()) == 1


def test_clerk_day_list_filters_and_cancel_form(
    live_server: Any, booked: Any, alice: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    base = live_server.url
    page = open_browser()
    login_as(page, base, alice)
    page.goto(f"{base}/staff/appointments/?point={booked.point.pk}&date={booked.day.isoformat()}")
    row = page.get_by_role("row").filter(has_text=booked.appointment.reference)
    expect(row).to_contain_text("Μαρία Παπαδοπούλου")
    look(page, "day-list")
    # «Ακύρωση…» opens a confirmation page from the keyboard; its reason field is labelled.
    row.get_by_role("link", name=re.compile("^Ακύρωση ραντεβού…")).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ακύρωση για λογαριασμό του πολίτη")
    look(page, "staff-cancel-confirm")
    page.get_by_role("button", name="Ακύρωση και ενημέρωση πολίτη").click()
    expect(page.get_by_label("Αιτία ακύρωσης")).to_have_attribute("aria-invalid", "true")
    look(page, "staff-cancel-error")
    # A bad date in the filters is announced and tied to the field.
    page.goto(f"{base}/staff/appointments/?point={booked.point.pk}&date=31-31-2026")
    expect(page.get_by_role("alert")).to_contain_text("Ημερομηνία")
    expect(page.get_by_role("alert")).to_be_focused()
    field = page.get_by_label("Ημερομηνία")
    assert field.get_attribute("aria-invalid") == "true"
    assert any(i.endswith("_error") for i in (field.get_attribute("aria-describedby") or "").split())
    look(page, "day-list-error")
    page.goto(f"{base}/staff/appointments/print/?point={booked.point.pk}&date={booked.day.isoformat()}")
    look(page, "day-print")
