"""Public pages and the operator dashboard, with bad input and tenancy."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dimos.core.models import AuditEvent
from dimos.core.testing import IRAKLEIA_HOST, client_for
from dimos.sensors import services
from dimos.sensors.constants import AlarmStatus, RuleKind, Source
from dimos.sensors.models import Alarm, Credential, DeviceType, Rule

pytestmark = pytest.mark.django_db


def feed(serres: Any, device: Any, values: dict, minutes_ago: float = 1) -> None:
    services.readings_ingest(
        municipality=serres,
        items=[
            services.ReadingIn(
                device=device, observed_at=timezone.now() - timedelta(minutes=minutes_ago), values=values
            )
        ],
        source=Source.SIMULATOR,
    )


def test_parking_page_counts_free_spaces(anon_client: Any, serres: Any, spot: Any) -> None:
    other = services.device_create(
        municipality=serres,
        type_code="ParkingSpot",
        code="p-002",
        group="Μεραρχίας",
        lat=41.0906,
        lon=23.5496,
    )
    garage = services.device_create(
        municipality=serres,
        type_code="OffStreetParking",
        code="garage",
        name="Σταθμός Ελευθερίας",
        lat=41.09,
        lon=23.55,
        attrs={"totalSpotNumber": 120},
    )
    feed(serres, spot, {"status": "free"})
    feed(serres, other, {"status": "occupied"})
    feed(serres, garage, {"availableSpotNumber": 37})
    page = anon_client.get("/parking/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Μεραρχίας" in html and "Σταθμός Ελευθερίας" in html
    assert "38 ελεύθερες θέσεις συνολικά" in html
    partial = anon_client.get("/parking/", HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "38 ελεύθερες" in partial.content.decode()
    # Offline sensors do not count as free.
    spot.state.received_at = timezone.now() - timedelta(days=3)
    spot.state.save()
    assert "37 ελεύθερες θέσεις" in anon_client.get("/parking/").content.decode()


def test_deactivated_devices_leave_the_public_pages(
    anon_client: Any, serres: Any, spot: Any, station: Any, bob: Any
) -> None:
    feed(serres, spot, {"status": "free"})
    feed(serres, station, {"pm25": 4, "no2": 12})
    assert "1 ελεύθερη θέση συνολικά" in anon_client.get("/parking/").content.decode()
    assert anon_client.get("/air-quality/aq-centre/").status_code == 200
    for device in (spot, station):
        services.device_set_active(municipality=serres, device_id=device.pk, active=False, actor=bob)
    parking = anon_client.get("/parking/").content.decode()
    assert "0 ελεύθερες θέσεις συνολικά" in parking
    assert "aq-centre" not in anon_client.get("/air-quality/").content.decode()
    assert anon_client.get("/air-quality/aq-centre/").status_code == 404


def test_air_quality_pages(anon_client: Any, serres: Any, station: Any) -> None:
    for i, v in enumerate([4, 8, 30]):
        feed(serres, station, {"pm25": v, "no2": 12}, minutes_ago=60 * (3 - i))
    html = anon_client.get("/air-quality/").content.decode()
    assert "Μέση" in html and "ευαίσθητες ομάδες" in html
    detail = anon_client.get("/air-quality/aq-centre/")
    assert detail.status_code == 200
    assert "<svg" in detail.content.decode() and 'role="img"' in detail.content.decode()
    assert anon_client.get("/air-quality/nope/").status_code == 404


def test_noise_page(anon_client: Any, serres: Any) -> None:
    meter = services.device_create(
        municipality=serres,
        type_code="NoiseLevelObserved",
        code="noise-1",
        name="Πλατεία Ελευθερίας",
        lat=41.09,
        lon=23.55,
    )
    feed(serres, meter, {"LAeq": 61.5})
    html = anon_client.get("/noise/").content.decode()
    assert "61,5 dB(A)" in html or "61.5 dB(A)" in html


def test_dashboard_device_and_alarm_pages(
    operator_client: Any, serres: Any, lamp: Any, operator: Any
) -> None:
    services.rule_save(
        rule=Rule(
            municipality=serres,
            type=DeviceType.objects.get(code="Streetlight"),
            name="Βλάβη",
            kind=RuleKind.STATUS,
            attribute="status",
            status_values=["defectiveLamp"],
        ),
        actor=None,
    )
    feed(serres, lamp, {"status": "defectiveLamp", "powerConsumption": 12.5})
    html = operator_client.get("/staff/sensors/").content.decode()
    assert "Φωτιστικό 7" in html and "▲" in html and "Βλάβη: Βλάβη στο φωτιστικό: καμένος λαμπτήρας." in html
    device_page = operator_client.get(f"/staff/sensors/devices/{lamp.pk}/?attr=powerConsumption")
    assert device_page.status_code == 200 and "defectiveLamp" in device_page.content.decode()
    assert operator_client.get(f"/staff/sensors/devices/{lamp.pk}/?attr=<script>").status_code == 200
    alarm = Alarm.objects.get()
    url = f"/staff/sensors/alarms/{alarm.pk}/"
    assert operator_client.post(url, {"status": "bogus"}).status_code == 200
    response = operator_client.post(url, {"status": "acknowledged", "comment": "Πάει συνεργείο"})
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.ACKNOWLEDGED and alarm.assignee == operator
    again = operator_client.post(url, {"status": "acknowledged"})
    assert again.status_code == 200 and "δεν μπορεί" in again.content.decode()
    # Assigning someone of another municipality is refused by the form (not in the choices).
    from dimos.core.testing import make_staff

    outsider = make_staff("olga", irakleia_municipality(), "clerk")
    refused = operator_client.post(url, {"status": "resolved", "assignee": outsider.pk})
    assert refused.status_code == 200
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.ACKNOWLEDGED
    done = operator_client.post(
        url, {"status": "resolved", "assignee": operator.pk, "comment": "Άλλαξε η λάμπα"}
    )
    assert done.status_code == 302
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RESOLVED and alarm.events.last().comment == "Άλλαξε η λάμπα"


def irakleia_municipality() -> Any:
    from dimos.core.testing import make_municipality

    return make_municipality("irakleia", "irakleia.localhost", code="IRA", open311_jurisdiction="irakleia.gr")


def test_rule_form(operator_client: Any, serres: Any) -> None:
    waste = DeviceType.objects.get(code="WasteContainer")
    bad = operator_client.post(
        "/staff/sensors/rules/new/",
        {
            "type": waste.pk,
            "name": "Γεμάτος",
            "kind": "threshold",
            "attribute": "fillingLevel",
            "direction": "above",
        },
    )
    assert bad.status_code == 200 and "Δώστε όριο" in bad.content.decode()
    assert not Rule.objects.exists()
    good = operator_client.post(
        "/staff/sensors/rules/new/",
        {
            "type": waste.pk,
            "name": "Γεμάτος",
            "kind": "threshold",
            "attribute": "fillingLevel",
            "direction": "above",
            "threshold": "0.8",
            "clear_threshold": "0.3",
            "is_active": "on",
        },
    )
    assert good.status_code == 302
    rule = Rule.objects.get()
    edit = operator_client.post(
        f"/staff/sensors/rules/{rule.pk}/",
        {
            "type": waste.pk,
            "name": "Γεμάτος κάδος",
            "kind": "threshold",
            "attribute": "fillingLevel",
            "direction": "above",
            "threshold": "0.9",
        },
    )
    assert edit.status_code == 302
    rule.refresh_from_db()
    assert rule.threshold == 0.9 and not rule.is_active


def test_credentials_shown_once_and_revocable(admin_client: Any, serres: Any) -> None:
    scopes = ["read", "write_municipality"]
    response = admin_client.post("/staff/sensors/credentials/", {"name": "Προμηθευτής Α", "scopes": scopes})
    html = response.content.decode()
    credential = Credential.objects.get()
    assert credential.scopes == scopes
    created = AuditEvent.objects.get(action="sensors.credential_created")
    assert created.actor is not None and created.new_values["scopes"] == scopes
    token = html.split('id="new-token">')[1].split("<")[0]
    assert token.startswith(f"dms_{credential.prefix}_")
    assert response["Cache-Control"] == "no-store"
    assert token not in admin_client.get("/staff/sensors/credentials/").content.decode()
    assert services.credential_check(token) == credential
    assert admin_client.post("/staff/sensors/credentials/", {"name": ""}).status_code == 200
    # Writing one device's readings needs that device.
    one_device = {"name": "Κάδος", "scopes": ["write_device"]}
    refused = admin_client.post("/staff/sensors/credentials/", one_device).content.decode()
    assert "επιλέξτε τη συσκευή" in refused
    assert Credential.objects.count() == 1
    assert admin_client.get(f"/staff/sensors/credentials/{credential.pk}/revoke/").status_code == 405
    admin_client.post(f"/staff/sensors/credentials/{credential.pk}/revoke/")
    assert services.credential_check(token) is None


def test_public_pages_show_only_own_municipality(serres: Any, irakleia: Any, spot: Any) -> None:
    feed(serres, spot, {"status": "free"})
    html = client_for(None, IRAKLEIA_HOST).get("/parking/").content.decode()
    assert "Μεραρχίας 1" not in html and '<th scope="row">Μεραρχίας' not in html


def test_anonymous_is_sent_to_login(anon_client: Any) -> None:
    assert anon_client.get("/staff/sensors/").status_code == 302
