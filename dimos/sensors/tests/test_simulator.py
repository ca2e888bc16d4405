"""Demo data and the simulator."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from dimos.core.demo import DemoContext
from dimos.core.testing import SERRES_HOST
from dimos.sensors import demo, services, simulator
from dimos.sensors.constants import Source
from dimos.sensors.models import Credential, Device, Reading
from dimos.sensors.selectors import state_of

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


def test_the_simulator_drives_only_its_own_devices(serres: Any, irakleia: Any) -> None:
    """An integrator's device keeps the values they send; a device nobody fed yet is not adopted."""
    demo.seed(DemoContext(serres=serres, neighbour=irakleia))
    driven = {d.code for d in simulator.simulated_devices(serres)}
    assert "kados-01" in driven and "stathmos-kentrou" in driven
    # An integrator writes to a demo bin over the HTTP batch with the demo credential.
    response = Client(HTTP_HOST=SERRES_HOST).post(
        "/api/v1/sensors/readings/",
        data=json.dumps(
            {
                "readings": [
                    {
                        "device": "kados-01",
                        "observedAt": (timezone.now() + timedelta(seconds=1)).isoformat(),
                        "values": {"fillingLevel": 0.33},
                    }
                ]
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {demo.DEMO_TOKEN}",
    )
    assert response.status_code == 200, response.content
    # ... and registers a device of their own, with no reading yet.
    services.device_create(
        municipality=serres, type_code="WasteContainer", code="integrator-bin", lat=41.09, lon=23.55
    )
    rng = random.Random(3)
    for _ in range(3):  # three rounds of the demo's background loop
        items = simulator.tick(serres, timezone.now() + timedelta(seconds=5), rng)
        assert {i.device.code for i in items}.isdisjoint({"kados-01", "integrator-bin"})
        assert any(i.device.code == "kados-02" for i in items)
        services.readings_ingest(municipality=serres, items=items, source=Source.SIMULATOR)
    bin_ = Device.objects.get(municipality=serres, code="kados-01")
    assert state_of(bin_)["fillingLevel"] == 0.33
    assert not Reading.objects.filter(device__code="integrator-bin").exists()
    # The command's own transport counts as its own: an HTTP round does not make it lose its devices.
    Reading.objects.filter(device__code="kados-02").update(source=Source.HTTP)
    assert "kados-02" not in {d.code for d in simulator.simulated_devices(serres)}
    assert "kados-02" in {
        d.code for d in simulator.simulated_devices(serres, sources={Source.SIMULATOR, Source.HTTP})
    }
