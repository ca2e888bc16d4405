"""The report location without a mouse (real Chromium): a street chosen from the suggestions by
keyboard, typed coordinates that move the pin, the arrow keys moving the pin on the focused map;
and axe-core's «needs review» items on the map (label/content name mismatch, duplicate ids) gone."""

from __future__ import annotations

import os
from typing import Any

import pytest
from playwright.sync_api import expect

from dimos.core.testing_browser import assert_accessible, in_thread

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("REPORTS_SCREENSHOTS", "")
REVIEW_RULES = {"label-content-name-mismatch", "duplicate-id", "duplicate-id-active", "duplicate-id-aria"}


@pytest.fixture
def city(live_server: Any) -> Any:
    from dimos.core.demo import SERRES_DEPARTMENTS
    from dimos.core.models import Department
    from dimos.core.testing import make_municipality
    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Street

    host = live_server.url.split("//")[1].split(":")[0]
    serres = make_municipality(
        "serres",
        host,
        boundary={
            "type": "Polygon",
            "coordinates": [[[23.40, 40.97], [23.70, 40.97], [23.70, 41.35], [23.40, 41.35], [23.40, 40.97]]],
        },
        name_el="Δήμος Σερρών",
        code="SER",
        centre_lat=41.0857,
        centre_lon=23.5480,
    )
    for code, name_el, name_en, _parent in SERRES_DEPARTMENTS:
        Department.objects.create(municipality=serres, code=code, name_el=name_el, name_en=name_en)
    seed_categories(serres)
    Street.objects.create(municipality=serres, name="Μεραρχίας", lat=41.0830, lon=23.5530)
    Street.objects.create(municipality=serres, name="Μεγάλου Αλεξάνδρου", lat=41.0890, lon=23.5440)
    return serres


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"))


def test_the_place_is_chosen_by_keyboard_alone(live_server: Any, city: Any, open_browser: Any) -> None:
    page = open_browser()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server.url}/reports/new/")
    lat, lon = page.locator("#id_lat"), page.locator("#id_lon")

    # 1. The address as a combobox: typed without accents, chosen with ↓ and Enter.
    address = page.locator("#id_address")
    address.focus()
    page.keyboard.type("μεραρχ")
    expect(address).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("option", name="Μεραρχίας")).to_be_visible()
    page.keyboard.press("ArrowDown")
    expect(address).to_have_attribute("aria-activedescendant", "address-option-0")
    _shot(page, "report-keyboard-combobox")
    page.keyboard.press("Enter")
    expect(address).to_have_value("Μεραρχίας")
    expect(address).to_have_attribute("aria-expanded", "false")
    expect(lat).to_have_value("41.083000")
    expect(lon).to_have_value("23.553000")
    assert "Μεραρχίας" in page.locator("#pin-status").inner_text()

    # 2. Typed coordinates move the pin.
    lat.fill("41.0901")
    lon.fill("23.5501")
    lon.press("Tab")
    expect(page.locator("#pin-status")).to_contain_text("41.09010, 23.55010")

    # 3. The arrow keys on the focused map move the pin, a few metres each.
    page.locator("#pick-map").focus()
    page.keyboard.press("ArrowUp")
    moved_north = float(lat.input_value())
    assert moved_north > 41.0901 and abs(float(lon.input_value()) - 23.5501) < 1e-6
    page.keyboard.press("ArrowRight")
    assert float(lon.input_value()) > 23.5501
    page.keyboard.press("Shift+ArrowDown")
    assert float(lat.input_value()) < moved_north
    _shot(page, "report-keyboard-map")
    assert not errors, errors

    # axe: no violation, and nothing left «to review» for the map's names and the page's ids.
    assert_accessible(page)
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "rule", "values": sorted(REVIEW_RULES)}})
    review = [
        (item["id"], [n["target"] for n in item["nodes"]])
        for item in results.response["incomplete"] + results.response["violations"]
    ]
    assert review == [], review
    # The zoom buttons are named by their translated titles.
    expect(page.get_by_role("button", name="Μεγέθυνση")).to_be_visible()

    # A street typed in full, without accents, places the pin without choosing a suggestion.
    address.fill("")
    address.focus()
    page.keyboard.type("ΜΕΓΑΛΟΥ ΑΛΕΞΑΝΔΡΟΥ 3")
    expect(lat).to_have_value("41.089000")
    expect(lon).to_have_value("23.544000")


def test_report_submitted_by_keyboard_lands_where_the_pin_was(
    live_server: Any, city: Any, open_browser: Any
) -> None:
    from dimos.reports.models import Report

    page = open_browser()
    page.goto(f"{live_server.url}/reports/new/")
    page.locator("#pick-map").focus()
    page.keyboard.press("Enter")  # the pin at the map's centre (the city centre)
    expect(page.locator("#id_lat")).to_have_value("41.085700")
    page.get_by_label("Λακκούβα / φθορά οδοστρώματος").check()
    page.get_by_label("Πόσο μεγάλη είναι;").select_option("medium")
    page.get_by_label("Περιγραφή").fill("Μεγάλη λακκούβα μπροστά στο σχολείο.")
    page.get_by_label("E-mail").first.fill("keyboard@example.org")
    page.get_by_role("button", name="Υποβολή αναφοράς").click()
    page.wait_for_url("**/reports/receipt/**")
    report = in_thread(lambda: Report.objects.get())
    assert (round(report.lat, 4), round(report.lon, 4)) == (41.0857, 23.548)
    assert report.attributes == {"size": "medium"}


def test_without_javascript_on_a_phone_two_submits_at_most(
    live_server: Any, city: Any, open_browser: Any
) -> None:
    """Script off, 320 px wide: the questions are on the page, a failed submit keeps every answer,
    the second submit files the report; its page then says the visitor supports it."""
    from dimos.reports.models import Report

    page = open_browser()
    context = page.context.browser.new_context(
        java_script_enabled=False, viewport={"width": 320, "height": 900}, locale="el-GR"
    )
    context.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    nojs = context.new_page()
    nojs.goto(f"{live_server.url}/reports/new/")
    size = nojs.get_by_label("Πόσο μεγάλη είναι;")
    expect(size).to_be_visible()
    nojs.get_by_label("Διεύθυνση").fill("μεραρχιας 12")
    nojs.get_by_label("Λακκούβα / φθορά οδοστρώματος").check()
    size.select_option("large")
    nojs.get_by_label("E-mail").first.fill("phone@example.org")
    nojs.get_by_role("button", name="Υποβολή αναφοράς").click()  # no description: refused
    expect(nojs.locator("#error-summary")).to_contain_text("Περιγράψτε το πρόβλημα.")
    expect(size).to_have_value("large")
    expect(nojs.get_by_label("Διεύθυνση")).to_have_value("μεραρχιας 12")
    expect(nojs.get_by_label("Λακκούβα / φθορά οδοστρώματος")).to_be_checked()
    _shot(nojs, "report-nojs-320-refused")
    nojs.get_by_label("Περιγραφή").fill("Βαθιά λακκούβα στη διάβαση.")
    nojs.get_by_role("button", name="Υποβολή αναφοράς").click()
    nojs.wait_for_url("**/reports/receipt/**")
    report = in_thread(lambda: Report.objects.get())
    assert report.attributes == {"size": "large"} and (report.lat, report.lon) == (41.0830, 23.5530)
    context.close()
