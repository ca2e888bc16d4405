"""Migration 0007: the alarm history gets its municipality, filled from the alarm, on
SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dimos.sensors.services.device_types import device_types_sync

BEFORE = [("sensors", "0006_delete_listingversion")]
AFTER = [("sensors", "0007_alarmevent_history_entry")]


def migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def newest_schema_afterwards() -> Any:
    """Whatever happens in the test, later tests find the newest schema (not the one migrated to)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("newest_schema_afterwards")
def test_alarm_events_get_the_municipality_of_their_alarm(serres: Any, irakleia: Any) -> None:
    # Another transactional test may have flushed the types the data migration made.
    device_types_sync()
    apps = migrate(BEFORE)
    try:
        DeviceType = apps.get_model("sensors", "DeviceType")
        Device = apps.get_model("sensors", "Device")
        Rule = apps.get_model("sensors", "Rule")
        Alarm = apps.get_model("sensors", "Alarm")
        AlarmEvent = apps.get_model("sensors", "AlarmEvent")
        lamp_type = DeviceType.objects.get(code="Streetlight")
        alarms = []
        for town in (serres, irakleia):
            slug = town.slug
            device = Device.objects.create(
                municipality_id=town.pk, type=lamp_type, ngsi_id=f"urn:ngsi-ld:Streetlight:{slug}", code=slug
            )
            rule = Rule.objects.create(municipality_id=town.pk, type=lamp_type, name="Βλάβη", kind="status")
            alarm = Alarm.objects.create(municipality_id=town.pk, device=device, rule=rule, message="Βλάβη")
            AlarmEvent.objects.create(alarm=alarm, to_status="open")
            AlarmEvent.objects.create(alarm=alarm, from_status="open", to_status="resolved")
            alarms.append(alarm)
    finally:
        apps = migrate(AFTER)
    AlarmEvent = apps.get_model("sensors", "AlarmEvent")
    for alarm in alarms:
        events = AlarmEvent.objects.filter(alarm_id=alarm.pk)
        assert events.count() == 2
        assert set(events.values_list("municipality_id", flat=True)) == {alarm.municipality_id}
    field = AlarmEvent._meta.get_field("municipality")
    assert not field.null


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("newest_schema_afterwards")
def test_devices_made_before_the_search_column_are_found_after_it(serres: Any) -> None:
    """Migration 0009 fills the normalised search text of the devices that were already there."""
    device_types_sync()
    apps = migrate([("sensors", "0008_credential_scopes")])
    try:
        DeviceType = apps.get_model("sensors", "DeviceType")
        Device = apps.get_model("sensors", "Device")
        Device.objects.create(
            municipality_id=serres.pk,
            type=DeviceType.objects.get(code="WasteContainer"),
            ngsi_id="urn:ngsi-ld:WasteContainer:old-1",
            code="old-1",
            name="Κάδος Πλατεία Ελευθερίας",
        )
    finally:
        apps = migrate([("sensors", "0009_search_text")])
    Device = apps.get_model("sensors", "Device")
    assert Device.objects.get(code="old-1").search_text == (
        "καδοσ πλατεια ελευθεριασ old-1 urn:ngsi-ld:wastecontainer:old-1"
    )
