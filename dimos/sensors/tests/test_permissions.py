"""Who may use the sensor platform's staff pages (issue 11: the school director created a
device and a municipality-wide credential)."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.constants import StaffRole
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.sensors.models import Credential, Device

pytestmark = pytest.mark.django_db

DEVICE = {"type": "WasteContainer", "ngsi_id": "urn:ngsi-ld:WasteContainer:director-bin", "name": "Κάδος"}


@pytest.mark.parametrize(
    "role", [StaffRole.SCHOOL_DIRECTOR, StaffRole.CLERK, StaffRole.EDUCATION_OFFICER, StaffRole.REGION_VIEWER]
)
def test_staff_outside_the_sensor_platform_get_403_and_write_nothing(
    role: str, serres: Any, serres_department: Any
) -> None:
    municipality = None if role == StaffRole.REGION_VIEWER else serres
    client = client_for(
        make_staff(f"x-{role}", municipality, role, department=serres_department), SERRES_HOST
    )
    for url in ("/staff/sensors/", "/staff/sensors/devices/", "/staff/sensors/credentials/"):
        assert client.get(url).status_code == 403, url
    assert client.post("/staff/sensors/devices/new/", DEVICE).status_code == 403
    assert client.post("/staff/sensors/credentials/", {"name": "Όλος ο δήμος"}).status_code == 403
    assert not Device.objects.exists() and not Credential.objects.exists()
    assert "/staff/sensors/" not in client.get("/staff/").content.decode()


def test_the_operator_runs_devices_but_issues_no_credentials(operator_client: Any) -> None:
    assert operator_client.post("/staff/sensors/devices/new/", DEVICE).status_code == 302
    assert operator_client.get("/staff/sensors/credentials/").status_code == 403
    assert operator_client.post("/staff/sensors/credentials/", {"name": "Όλος ο δήμος"}).status_code == 403
    assert not Credential.objects.exists()
    dashboard = operator_client.get("/staff/sensors/").content.decode()
    assert "/staff/sensors/credentials/" not in dashboard and "/staff/sensors/rules/" in dashboard


def test_the_administrator_sees_the_credentials_link(admin_client: Any) -> None:
    assert "/staff/sensors/credentials/" in admin_client.get("/staff/sensors/").content.decode()


def test_the_admin_is_no_side_door_to_the_registry(admin_client: Any, bin_: Any) -> None:
    """/admin/ once saved devices without the boundary check or an audit event: it is read-only."""
    assert admin_client.get("/admin/sensors/device/").status_code == 200
    assert admin_client.get("/admin/sensors/device/add/").status_code == 403
    change = admin_client.post(f"/admin/sensors/device/{bin_.pk}/change/", {"lat": "48.85", "lon": "2.35"})
    assert change.status_code in (200, 403)
    bin_.refresh_from_db()
    assert bin_.lat != 48.85
    assert admin_client.post(f"/admin/sensors/device/{bin_.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Device.objects.filter(pk=bin_.pk).exists()


def test_a_read_only_role_is_shown_no_write_control(
    monkeypatch: Any, serres: Any, serres_department: Any, lamp: Any
) -> None:
    """Should a role ever hold ``sensors.read`` alone, the pages show it nothing it may not use."""
    from dimos.core import capabilities
    from dimos.core.capabilities import Capability
    from dimos.sensors.models import Alarm, DeviceType, Rule

    reader = capabilities.ROLE_CAPABILITIES[StaffRole.CLERK] | {Capability.SENSORS_READ}
    monkeypatch.setitem(capabilities.ROLE_CAPABILITIES, StaffRole.CLERK, reader)
    client = client_for(
        make_staff("reader", serres, StaffRole.CLERK, department=serres_department), SERRES_HOST
    )
    rule = Rule.objects.create(municipality=serres, type=DeviceType.objects.get(code="Streetlight"), name="R")
    alarm = Alarm.objects.create(municipality=serres, device=lamp, rule=rule, message="Σβηστό")
    listing = client.get("/staff/sensors/devices/").content.decode()
    assert "Φωτιστικό 7" in listing
    assert "/staff/sensors/devices/new/" not in listing and "/edit/" not in listing
    assert "/staff/sensors/rules/" not in client.get("/staff/sensors/").content.decode()
    page = client.get(f"/staff/sensors/alarms/{alarm.pk}/").content.decode()
    assert "Σβηστό" in page and "<form" not in page.split("<main", 1)[-1].split("</main>")[0]
    assert client.post(f"/staff/sensors/alarms/{alarm.pk}/", {"status": "resolved"}).status_code == 403
