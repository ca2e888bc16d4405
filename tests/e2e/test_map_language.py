"""Map controls speak the page's language: no «Zoom in», «A JavaScript library for
interactive maps» or alt «Marker» on a Greek page (Leaflet's defaults, issue 13)."""

from __future__ import annotations

import os
from typing import Any

import pytest

from dimos.core.testing import make_municipality
from dimos.core.testing_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(live_server: Any) -> Any:
    host = live_server.url.split("//")[1].split(":")[0]
    return make_municipality("serres", host, name_el="Δήμος Σερρών", centre_lat=41.09, centre_lon=23.55)


def _controls(page: Any) -> dict[str, str]:
    page.wait_for_selector(".leaflet-control-zoom-in")
    return page.evaluate(
        """() => ({
            zoomIn: document.querySelector('.leaflet-control-zoom-in').getAttribute('title'),
            zoomOut: document.querySelector('.leaflet-control-zoom-out').getAttribute('title'),
            zoomInName: document.querySelector('.leaflet-control-zoom-in').getAttribute('aria-label'),
            credit: document.querySelector('.leaflet-control-attribution a').getAttribute('title'),
            marker: new L.Marker([41.09, 23.55]).options.alt,
        })"""
    )


def test_greek_and_english_map_controls(live_server: Any, town: Any, open_browser: Any) -> None:
    page = open_browser()
    assert page.goto(live_server.url + "/reports/").status == 200
    assert _controls(page) == {
        "zoomIn": "Μεγέθυνση",
        "zoomOut": "Σμίκρυνση",
        "zoomInName": "Μεγέθυνση",
        "credit": "Βιβλιοθήκη JavaScript για διαδραστικούς χάρτες",
        "marker": "Σημείο στον χάρτη",
    }
    assert_accessible(page)
    host = live_server.url.split("//")[1].split(":")[0]
    page.context.add_cookies([{"name": "dimos_language", "value": "en", "domain": host, "path": "/"}])
    assert page.goto(live_server.url + "/reports/").status == 200
    controls = _controls(page)
    assert controls["zoomIn"] == "Zoom in" and controls["marker"] == "Point on the map"


def test_file_inputs_have_a_translated_face(
    live_server: Any, town: Any, open_browser: Any, tmp_path: Any
) -> None:
    """No «Choose Files / No file chosen» on a Greek page; the native input stays labelled and usable."""
    from dimos.core.constants import StaffRole
    from dimos.core.testing import make_staff
    from dimos.core.testing_browser import login_as

    officer = make_staff("eleni", town, StaffRole.EDUCATION_OFFICER)
    page = open_browser()
    login_as(page, live_server.url, officer)
    assert page.goto(live_server.url + "/staff/schools/assets/import/").status == 200
    face = page.locator(".file-input").first
    assert face.locator(".button").inner_text() == "Επιλογή αρχείου"
    assert face.locator(".file-input-names").inner_text() == "Δεν επιλέχθηκε αρχείο"
    native = face.locator("input[type=file]")
    assert native.evaluate("el => el.labels.length") >= 1  # its own <label>, as before
    upload = tmp_path / "assets.csv"
    upload.write_text("model;serial\n", encoding="utf-8")
    native.set_input_files(str(upload))
    assert face.locator(".file-input-names").inner_text() == "assets.csv"
    assert_accessible(page)
    if shots := os.environ.get("MAP_SCREENSHOTS"):
        page.set_viewport_size({"width": 320, "height": 640})
        page.screenshot(path=f"{shots}/file-input-320.png")
