"""Rollups, retention, EAQI band edges."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from dimos.core.models import Task
from dimos.core.tasks import tasks_run_pending
from dimos.sensors import eaqi, services
from dimos.sensors.constants import Source
from dimos.sensors.models import Reading, Rollup

pytestmark = pytest.mark.django_db


def feed_series(serres: Any, device: Any, start: Any, values: list[float]) -> None:
    items = [
        services.ReadingIn(device=device, observed_at=start + timedelta(minutes=15 * i), values={"pm25": v})
        for i, v in enumerate(values)
    ]
    assert services.readings_ingest(municipality=serres, items=items, source=Source.SIMULATOR).errors == 0


def test_hourly_rollups(serres: Any, station: Any) -> None:
    hour = (timezone.now() - timedelta(hours=3)).replace(minute=0, second=0, microsecond=0)
    feed_series(serres, station, hour, [10, 20, 30, 40, 5])  # 4 in the first hour, 1 in the next
    assert services.rollups_compute(municipality=serres, start=hour, end=hour + timedelta(hours=2)) == 2
    first = Rollup.objects.get(hour=hour, attribute="pm25")
    assert (first.minimum, first.maximum, first.mean, first.count) == (10, 40, 25, 4)
    # Recomputing is idempotent.
    services.rollups_compute(municipality=serres, start=hour, end=hour + timedelta(hours=2))
    assert Rollup.objects.count() == 2


def test_hourly_task_reschedules_itself(serres: Any, station: Any) -> None:
    call_command("sensors_rollups", "--hours", "2")
    assert Task.objects.filter(name="sensors.hourly", status="pending").count() == 1
    tasks_run_pending()
    assert Task.objects.filter(name="sensors.hourly", status="pending").count() == 1


def test_retention_keeps_rollups(serres: Any, station: Any) -> None:
    old = (timezone.now() - timedelta(days=40)).replace(minute=0, second=0, microsecond=0)
    feed_series(serres, station, old, [10, 30])
    feed_series(serres, station, timezone.now() - timedelta(hours=1), [12])
    call_command("sensors_retention", "--days", "30")
    assert Reading.objects.count() == 1
    kept = Rollup.objects.get(hour=old)
    assert kept.mean == 20 and kept.count == 2
    with pytest.raises(CommandError):
        call_command("sensors_retention", "--days", "0")
    with pytest.raises(CommandError):
        call_command("sensors_retention", "--days", "3", "--municipality", "atlantis")


@pytest.mark.parametrize(
    ("pollutant", "value", "band"),
    [
        ("pm25", 0, "good"),
        ("pm25", 5, "good"),
        ("pm25", 5.01, "fair"),
        ("pm25", 15, "fair"),
        ("pm25", 50, "moderate"),
        ("pm25", 90, "poor"),
        ("pm25", 140, "very_poor"),
        ("pm25", 140.1, "extremely_poor"),
        ("pm10", 15, "good"),
        ("pm10", 45, "fair"),
        ("pm10", 120, "moderate"),
        ("pm10", 195, "poor"),
        ("pm10", 270, "very_poor"),
        ("pm10", 271, "extremely_poor"),
        ("no2", 10, "good"),
        ("no2", 25, "fair"),
        ("no2", 60, "moderate"),
        ("no2", 100, "poor"),
        ("no2", 150, "very_poor"),
        ("no2", 150.5, "extremely_poor"),
        ("o3", 60, "good"),
        ("o3", 100, "fair"),
        ("o3", 120, "moderate"),
        ("o3", 160, "poor"),
        ("o3", 180, "very_poor"),
        ("o3", 181, "extremely_poor"),
        ("so2", 20, "good"),
        ("so2", 40, "fair"),
        ("so2", 125, "moderate"),
        ("so2", 190, "poor"),
        ("so2", 275, "very_poor"),
        ("so2", 276, "extremely_poor"),
    ],
)
def test_eaqi_band_edges(pollutant: str, value: float, band: str) -> None:
    assert eaqi.band_for(pollutant, value).code == band


def test_station_index_is_worst_pollutant() -> None:
    overall, per = eaqi.station_index({"pm25": 4, "no2": 70, "o3": 30, "temperature": 20})
    assert overall.code == "poor" and str(overall.label) == "Κακή"
    assert set(per) == {"pm25", "no2", "o3"}
    assert eaqi.station_index({"temperature": 3}) == (None, {})
