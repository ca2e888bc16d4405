"""The operator's device registry in a real browser: list, create with bad then good input,
edit, deactivate; every page checked with axe-core (WCAG 2.1 AA). With
``DIMOS_SCREENSHOTS=<dir>`` the test also saves screenshots (the operator guide's come from here)."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from dimos.core.models import Municipality
from dimos.core.tenancy import host_map_invalidate
from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(db: Any) -> Any:
    call_command("demo_data", stdout=io.StringIO())
    serres = Municipality.objects.get(slug="serres")
    assert "localhost" in serres.hostnames
    host_map_invalidate(serres.pk)
    return serres


def shot(page: Any, name: str) -> None:
    target = os.environ.get("DIMOS_SCREENSHOTS")
    if target:
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


def test_device_registry(live_server: Any, demo_city: Any, open_browser: Any) -> None:
    from django.contrib.auth import get_user_model

    from dimos.sensors.models import Device

    page = open_browser()
    page.set_viewport_size({"width": 1280, "height": 900})
    admin = in_thread(lambda: get_user_model().objects.get(username="admin.serres"))
    login_as(page, live_server.url, admin)
    base = live_server.url + "/staff/sensors/devices/"

    assert page.goto(live_server.url + "/staff/sensors/").status == 200
    # The map is drawn by static/sensors/dashboard_map.js (no inline script), one marker per row.
    markers = page.locator("#devices-map .sensor-icon span")
    markers.first.wait_for()
    assert markers.count() == page.locator("#devices-table tr[data-lat]").count()
    page.get_by_role("link", name="Μητρώο συσκευών").first.click()
    page.wait_for_url(base)
    assert_accessible(page)
    shot(page, "sensors-registry-el")
    page.select_option("#id_type", "ParkingSpot")
    page.get_by_role("button", name="Εφαρμογή").click()
    page.wait_for_url("**type=ParkingSpot**")
    assert_accessible(page)

    assert page.goto(base + "new/").status == 200
    assert_accessible(page)
    page.locator("#device-map.leaflet-container").click()  # static/sensors/device_map.js
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    page.select_option("#id_type", "WasteContainer")
    page.fill("#id_name", "Κάδος δοκιμής")
    page.fill("#id_ngsi_id", "urn:ngsi-ld:WasteContainer:e2e-bin-1")
    page.fill("#id_lat", "40.50")
    page.fill("#id_lon", "23.50")
    page.fill("#id_dev_eui", "70B3D57ED00")
    page.get_by_role("button", name="Αποθήκευση").click()
    page.wait_for_load_state()
    assert "16 δεκαεξαδικά" in page.locator("#id_dev_eui_error").inner_text()
    assert page.locator("#id_dev_eui").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    page.fill("#id_dev_eui", "70-b3-d5-7e-d0-00-0e-01")
    page.get_by_role("button", name="Αποθήκευση").click()
    page.wait_for_load_state()
    assert "έξω από τα όρια του δήμου" in page.locator("#id_lat_error").inner_text()
    shot(page, "sensors-registry-form-error-el")
    assert_accessible(page)
    page.fill("#id_lat", "41.0910")
    page.fill("#id_lon", "23.5480")
    page.get_by_role("button", name="Αποθήκευση").click()
    page.wait_for_url(base)
    assert "αποθηκεύτηκε" in page.locator(".messages").inner_text()
    device = in_thread(lambda: Device.objects.get(ngsi_id="urn:ngsi-ld:WasteContainer:e2e-bin-1"))
    assert device.unit_id is not None
    assert device.dev_eui == "70B3D57ED0000E01"

    assert page.goto(f"{base}{device.pk}/edit/").status == 200
    assert_accessible(page)
    page.get_by_role("button", name="Απενεργοποίηση").click()
    page.wait_for_load_state()
    assert page.get_by_role("button", name="Επανενεργοποίηση").is_visible()
    assert_accessible(page)
    assert not in_thread(lambda: Device.objects.get(pk=device.pk).is_active)
