"""Map controls speak the page's language: no «Zoom in», «A JavaScript library for
interactive maps» or alt «Marker» on a Greek page (Leaflet's defaults, issue 13)."""

from __future__ import annotations

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
