"""Building datasets: files with size and checksum, versions kept, failures keep the last good version."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from typing import Any

import pytest

from dimos.opendata.models import Dataset
from dimos.opendata.registry import builder_for, registered_builders
from dimos.opendata.services import dataset_build, media_path
from dimos.opendata.tests.conftest import START, add_air_readings

pytestmark = pytest.mark.django_db


def _rows(dataset: Dataset, fmt: str = "CSV") -> Any:
    dist = dataset.current.distributions.get(format=fmt)
    text = media_path(dist.path).read_text(encoding="utf-8")
    if fmt == "CSV":
        return list(csv.DictReader(io.StringIO(text)))
    return json.loads(text)


def test_every_builder_builds_for_a_city(built: Any) -> None:
    assert built.results == dict.fromkeys(registered_builders(), True)
    assert len(registered_builders()) >= 12


def test_each_file_has_its_size_and_checksum(built: Any) -> None:
    dataset = Dataset.objects.get(municipality=built.municipality, key="reports")
    formats = set()
    for dist in dataset.current.distributions.all():
        data = media_path(dist.path).read_bytes()
        assert dist.byte_size == len(data)
        assert dist.sha256 == hashlib.sha256(data).hexdigest()
        formats.add(dist.format)
    assert formats == {"CSV", "JSON", "GeoJSON"}


def test_air_quality_is_hourly_with_the_eaqi_band(built: Any) -> None:
    rows = _rows(Dataset.objects.get(key="air-quality-hourly"))
    assert len(rows) == 6  # six whole hours, two readings each
    first = rows[0]
    assert first["station"] == "station-1"
    assert first["readings"] == "2"
    # (4 + 9) / 2 = 6.5 µg/m³ of PM2.5 is "fair" (5 < x ≤ 15).
    assert first["pm25"] == "6.5" and first["eaqi_band"] == "fair"


def test_geojson_has_a_point_per_row(built: Any) -> None:
    geo = _rows(Dataset.objects.get(key="air-quality-hourly"), "GeoJSON")
    assert geo["type"] == "FeatureCollection"
    assert len(geo["features"]) == 6
    assert geo["features"][0]["geometry"]["type"] == "Point"


def test_only_public_reports_are_published(built: Any) -> None:
    rows = _rows(Dataset.objects.get(key="reports"))
    assert len(rows) == 8
    assert all("κρυφή" not in r["description"] for r in rows)
    resolved = [r for r in rows if r["days_to_resolve"]]
    assert {r["days_to_resolve"] for r in resolved} == {"2.0"}


def test_small_counts_are_suppressed(built: Any) -> None:
    rows = _rows(Dataset.objects.get(key="eservices-performance"))
    by_month = {r["month"]: r for r in rows}
    march = by_month["2026-03"]
    assert march["received"] == "7"
    assert march["completed"] == "6"
    assert march["on_time_pct"] == "100.0"
    assert float(march["median_working_days"]) > 0


def test_a_rebuild_keeps_the_previous_version(built: Any) -> None:
    dataset = Dataset.objects.get(key="reports")
    first = dataset.current
    second = dataset_build(municipality=built.municipality, key="reports")
    dataset.refresh_from_db()
    assert dataset.current == second and second.number == first.number + 1
    assert media_path(first.distributions.get(format="CSV").path).exists()


def test_a_failing_builder_keeps_serving_the_last_good_version(built: Any, monkeypatch: Any) -> None:
    dataset = Dataset.objects.get(key="departments")
    good = dataset.current
    registered = builder_for("departments")

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("the source table is gone")

    monkeypatch.setattr(registered, "build", broken)
    assert dataset_build(municipality=built.municipality, key="departments") is None
    dataset.refresh_from_db()
    assert dataset.current == good
    assert "the source table is gone" in dataset.last_error
    assert dataset.last_attempt_at > good.built_at


def test_an_incremental_build_appends_only_new_hours(built: Any) -> None:
    from datetime import timedelta

    dataset = Dataset.objects.get(key="air-quality-hourly")
    full = _rows(dataset)
    add_air_readings(built.municipality, built.station, 3, start=START + timedelta(hours=6))
    version = dataset_build(municipality=built.municipality, key="air-quality-hourly", incremental=True)
    assert version.incremental and version.row_count == 9
    dataset.refresh_from_db()
    rows = _rows(dataset)
    assert rows[:6] == full and len(rows) == 9
    assert len(_rows(dataset, "JSON")) == 9
    assert len(_rows(dataset, "GeoJSON")["features"]) == 9
    # The same rows as a full build of the same readings.
    rebuilt = dataset_build(municipality=built.municipality, key="air-quality-hourly")
    dataset.refresh_from_db()
    assert not rebuilt.incremental
    for fmt in ("CSV", "JSON", "GeoJSON"):
        assert rebuilt.distributions.get(format=fmt).sha256 == version.distributions.get(format=fmt).sha256


def test_the_periodic_task_builds_and_schedules_itself(city: Any) -> None:
    from dimos.core.models import Task
    from dimos.opendata.tasks import build_task

    build_task()
    assert Dataset.objects.filter(municipality=city.municipality, current__isnull=False).count() == len(
        registered_builders()
    )
    assert Task.objects.filter(name="opendata.build", status="pending").count() == 1
