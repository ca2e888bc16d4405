"""Demo data and the simulator."""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from dimos.core.demo import DemoContext
from dimos.sensors import demo, services, simulator
from dimos.sensors.models import Credential, Device, Reading

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_prints_the_credential(serres: Any, irakleia: Any) -> None:
    ctx = DemoContext(serres=serres, neighbour=irakleia)
    demo.seed(ctx)
    devices, readings = Device.objects.count(), Reading.objects.count()
    demo.seed(ctx)
    assert Device.objects.count() == devices >= 50
    assert Reading.objects.count() >= readings
    assert any(demo.DEMO_TOKEN in line for line in ctx.lines)
    assert services.credential_check(demo.DEMO_TOKEN) == Credential.objects.get(prefix="demo0001")
    assert Credential.objects.get(prefix="demo0001").scopes == [
        "read",
        "write_municipality",
        "manage_devices",
    ]
    assert {d.type.code for d in Device.objects.select_related("type")} == {
        "ParkingSpot",
        "OffStreetParking",
        "Streetlight",
        "WasteContainer",
        "AirQualityObserved",
        "NoiseLevelObserved",
        "WaterConsumptionObserved",
    }


def test_simulated_values_are_valid_and_diurnal() -> None:
    rng = random.Random(1)
    athens = ZoneInfo("Europe/Athens")
    night = simulator.air_quality(datetime(2026, 6, 1, 3, tzinfo=athens), rng)
    rush = simulator.air_quality(datetime(2026, 6, 1, 8, 30, tzinfo=athens), rng)
    assert rush["no2"] > night["no2"]
    assert all(v >= 0 for v in night.values())
    assert simulator.PARKING_CURVE[10] > simulator.PARKING_CURVE[3]


def test_simulate_command(serres: Any, irakleia: Any) -> None:
    demo.seed(DemoContext(serres=serres, neighbour=irakleia))
    before = Reading.objects.count()
    call_command("sensors_simulate", "--rounds", "2", "--interval", "0.01")
    assert Reading.objects.count() > before
    with pytest.raises(CommandError):
        call_command("sensors_simulate", "--municipality", "atlantis", "--rounds", "1")
    with pytest.raises(CommandError):
        call_command("sensors_simulate", "--transport", "http", "--rounds", "1")
    with pytest.raises(CommandError):
        call_command("sensors_simulate", "--interval", "0", "--rounds", "1")
