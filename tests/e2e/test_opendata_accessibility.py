"""WCAG 2.1 AA (axe-core) checks of the open-data pages on the Serres demo data, at desktop and 320 px."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from dimos.core.models import Municipality
from dimos.core.tenancy import host_map_invalidate
from dimos.core.testing_browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/opendata/",
    "/opendata/?q=αερας&theme=ENVI",
    "/opendata/dataset/serres-air-quality-hourly/",
    "/opendata/dataset/serres-reports/",
    "/opendata/dataset/serres-municipal-units/",
]


@pytest.fixture
def demo_city(db: Any, tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    call_command("demo_data", stdout=io.StringIO())
    serres = Municipality.objects.get(slug="serres")
    host_map_invalidate(serres.pk)
    return serres


@pytest.mark.parametrize("width", [1280, 320])
def test_open_data_pages_have_no_wcag_violations(
    live_server: Any, demo_city: Any, open_browser: Any, width: int
) -> None:
    page = open_browser()
    page.set_viewport_size({"width": width, "height": 900})
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
        # Nothing wider than the screen but the table, which scrolls in its own region.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
        assert not overflow, f"{path} scrolls sideways at {width} px"
