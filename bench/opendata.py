"""Open-data benchmark (issue 14, Performance).

* Building the hourly air-quality dataset over 1,000,000 readings and the reports
  dataset over 100,000 reports, each against a plain export of the same rows in the
  same run (a SELECT of the same columns written to CSV): ratio = export time ÷
  build time, target ≥ 0.3.
* Incremental refresh after 1 % new readings against a full build of the same data:
  target ≥ 10× faster.
* ``package_search`` over 38 municipalities × 30 datasets (the Region's union, as
  the Region host will scope it) against ``package_show`` of one dataset: median
  ≤ 2×, and the same query count with 2 municipalities as with 38.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import statistics
from pathlib import Path
from typing import Any

from bench.common import Timer, analyze, count_queries, fresh_database, result, time_once, write_results

N_READINGS = 1_000_000
N_REPORTS = 100_000
STATIONS = 5
MUNICIPALITIES = 38
DATASETS_PER_MUNICIPALITY = 30
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _stations(serres: Any) -> list[Any]:
    from dimos.sensors import services

    services.device_types_sync()
    return [
        services.device_create(
            municipality=serres,
            type_code="AirQualityObserved",
            code=f"bench-station-{i}",
            name=f"Σταθμός {i}",
            lat=41.09 + i / 1000,
            lon=23.55,
        )
        for i in range(STATIONS)
    ]


def _add_readings(serres: Any, stations: list[Any], first_minute: int, count: int, rng: random.Random) -> int:
    from dimos.sensors.models import Reading

    per_station = count // len(stations)
    batch = []
    for station in stations:
        for m in range(first_minute, first_minute + per_station):
            at = START + dt.timedelta(minutes=m)
            batch.append(
                Reading(
                    municipality=serres,
                    device=station,
                    observed_at=at,
                    received_at=at,
                    source="simulator",
                    values={
                        "pm25": round(rng.uniform(1, 60), 1),
                        "pm10": round(rng.uniform(5, 90), 1),
                        "no2": round(rng.uniform(2, 80), 1),
                        "o3": round(rng.uniform(10, 150), 1),
                    },
                )
            )
            if len(batch) == 10_000:
                Reading.objects.bulk_create(batch)
                batch = []
    if batch:
        Reading.objects.bulk_create(batch)
    return first_minute + per_station


def _export_readings(serres: Any) -> None:
    """The floor: the same readings SELECTed and written to CSV, no aggregation."""
    from django.conf import settings

    from dimos.sensors.models import Reading

    out = Path(settings.MEDIA_ROOT) / "bench-export-readings.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        rows = (
            Reading.objects.filter(municipality=serres, device__type__code="AirQualityObserved")
            .order_by("observed_at", "device_id")
            .values_list("device_id", "observed_at", "values")
        )
        for device_id, at, values in rows.iterator(chunk_size=5000):
            writer.writerow([device_id, at.isoformat(), json.dumps(values)])


def _export_reports(serres: Any) -> None:
    from django.conf import settings

    from dimos.reports.models import Report

    out = Path(settings.MEDIA_ROOT) / "bench-export-reports.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        rows = (
            Report.objects.filter(municipality=serres, is_public=True)
            .order_by("pk")
            .values_list(
                "pk",
                "category__code",
                "category__name_el",
                "status",
                "unit__name_el",
                "created_at",
                "fixed_at",
                "closed_at",
                "lat",
                "lon",
                "public_address",
                "public_description",
            )
        )
        for row in rows.iterator(chunk_size=5000):
            writer.writerow(row)


def _bench_specs() -> list[Any]:
    """Extra registered datasets so that each municipality publishes 30 (search scale only)."""
    from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, registered_builders

    missing = DATASETS_PER_MUNICIPALITY - len(registered_builders())
    for i in range(missing):
        spec = DatasetSpec(
            key=f"bench-extra-{i:02d}",
            title_el=f"Σύνολο δοκιμής {i}",
            title_en=f"Bench dataset {i}",
            description_el="Σύνολο για τη μέτρηση της αναζήτησης.",
            description_en="A dataset to measure search.",
            themes=("GOVE",),
            keywords=("bench",),
            keywords_el=("δοκιμή",),
            frequency="MONTHLY",
            columns=(Column("n", "int", "αριθμός", "number"),),
        )
        dataset_builder(spec)(lambda **kwargs: BuildResult(rows=iter([{"n": 1}])))
    return [r.spec for r in registered_builders().values()]


def _catalogue_rows(municipalities: list[Any], specs: list[Any]) -> None:
    """Published datasets with a version and files' rows (the files themselves are not read by search)."""
    import uuid

    from django.utils import timezone

    from dimos.opendata.models import Dataset, DatasetVersion, Distribution
    from dimos.opendata.services import dataset_sync, resource_id_for

    for municipality in municipalities:
        for spec in specs:
            dataset = dataset_sync(municipality=municipality, spec=spec)
            if dataset.current_id:
                continue
            version = DatasetVersion.objects.create(
                municipality=municipality, dataset=dataset, number=1, built_at=timezone.now(), row_count=1
            )
            Distribution.objects.bulk_create(
                Distribution(
                    municipality=municipality,
                    version=version,
                    resource_id=resource_id_for(dataset, f),
                    format=f,
                    path=f"opendata/none/{uuid.uuid4().hex}",
                    byte_size=1,
                    sha256="0" * 64,
                )
                for f in spec.formats
            )
            Dataset.objects.filter(pk=dataset.pk).update(current=version)


def _ratio_row(name: str, build: float, floor: float, params: dict[str, Any]) -> dict[str, Any]:
    row = result(
        name,
        "median_seconds",
        build,
        floor,
        params,
        target="export ÷ build >= 0.3",
        meets_target=floor / build >= 0.3,
    )
    row["throughput_ratio"] = round(floor / build, 3)
    return row


def run(*, quick: bool = False) -> Path:
    import tempfile

    from django.conf import settings

    from bench.reports import _add_reports, _seed
    from dimos.core.models import Municipality
    from dimos.core.tests.factories import MunicipalityFactory
    from dimos.opendata import selectors
    from dimos.opendata.models import Dataset
    from dimos.opendata.services import dataset_build

    settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="dimos-bench-opendata-")
    fresh_database()
    rng = random.Random(14)
    serres, categories, routes = _seed()
    stations = _stations(serres)
    n_readings = 100_000 if quick else N_READINGS
    n_reports = 10_000 if quick else N_REPORTS
    rounds = 1 if quick else 3
    base = n_readings * 99 // 100
    next_minute = _add_readings(serres, stations, 0, base, rng)
    _add_reports(serres, categories, routes, rng, n_reports)
    analyze()
    rows = []

    # 1. Full builds against the plain export of the same rows.
    for key, export, size in (
        ("air-quality-hourly", lambda: _export_readings(serres), {"readings": base}),
        ("reports", lambda: _export_reports(serres), {"reports": n_reports}),
    ):
        builds, floors = [], []
        for _ in range(rounds):
            builds.append(time_once(lambda k=key: dataset_build(municipality=serres, key=k)))
            floors.append(time_once(export))
        version = Dataset.objects.get(municipality=serres, key=key).current
        rows.append(
            _ratio_row(
                f"build_{key.replace('-', '_')}",
                statistics.median(builds),
                statistics.median(floors),
                {
                    **size,
                    "rows_out": version.row_count,
                    "rounds": rounds,
                    "floor": "SELECT of the same rows written to CSV (no aggregation)",
                },
            )
        )

    # 2. Incremental refresh after 1 % new readings, against a full build of the same data.
    dataset = Dataset.objects.get(municipality=serres, key="air-quality-hourly")
    before = dataset.current
    _add_readings(serres, stations, next_minute, n_readings - base, rng)
    analyze()
    incs, fulls = [], []
    for _ in range(rounds):
        Dataset.objects.filter(pk=dataset.pk).update(current=before)
        incs.append(
            time_once(lambda: dataset_build(municipality=serres, key="air-quality-hourly", incremental=True))
        )
        inc_version = Dataset.objects.get(pk=dataset.pk).current
        fulls.append(time_once(lambda: dataset_build(municipality=serres, key="air-quality-hourly")))
    full_version = Dataset.objects.get(pk=dataset.pk).current
    same = all(
        inc_version.distributions.get(format=f).sha256 == full_version.distributions.get(format=f).sha256
        for f in ("CSV", "JSON", "GeoJSON")
    )
    inc, full = statistics.median(incs), statistics.median(fulls)
    rows.append(
        result(
            "incremental_air_quality_after_1pct_new_readings",
            "median_seconds",
            inc,
            full,
            {
                "readings": n_readings,
                "new_readings": n_readings - base,
                "rounds": rounds,
                "floor": "a full build of the same data",
                "identical_files": same,
            },
            target="full ÷ incremental >= 10",
            meets_target=full / inc >= 10 and same,
        )
    )
    rows[-1]["speedup"] = round(full / inc, 1)

    # 3. package_search over the Region's union against package_show.
    specs = _bench_specs()
    # Serres and Irakleia come with the demo seed; 36 more make 38.
    for i in range(MUNICIPALITIES - 2):
        MunicipalityFactory(slug=f"bench-{i:02d}")
    everyone = list(Municipality.objects.filter(is_active=True).order_by("pk"))
    _catalogue_rows(everyone[:2], specs)
    timer = Timer()
    search = timer.get("/api/3/action/package_search?q=συνολο&fq=tags:bench&rows=10&sort=name%20asc")
    show = timer.get("/api/3/action/package_show?id=serres-reports")
    real_scope = selectors.catalogue_scope
    active = list(Municipality.objects.filter(is_active=True).order_by("pk"))
    selectors.catalogue_scope = lambda municipality: active  # the Region host's scope: every municipality
    search()  # warm: the host → municipality lookup is cached after the first request
    queries_small = count_queries(search)
    _catalogue_rows(everyone, specs)
    active[:] = list(Municipality.objects.filter(is_active=True).order_by("pk"))
    analyze()
    n = 30 if quick else 200
    try:
        search()
        queries_full = count_queries(search)
        count = search().json()["result"]["count"]
        t, f = _alternate(search, show, n)
    finally:
        selectors.catalogue_scope = real_scope
    rows.append(
        result(
            "package_search_union_vs_package_show",
            "median_seconds",
            t,
            f,
            {
                "municipalities": len(active),
                "datasets": Dataset.objects.count(),
                "matches": count,
                "rows": 10,
                "requests": n,
                "queries_2_municipalities": queries_small,
                "queries_38_municipalities": queries_full,
                "scope": "every municipality (as the Region host will scope it)",
            },
            target="ratio <= 2, constant queries",
            meets_target=t / f <= 2 and queries_small == queries_full,
        )
    )
    return write_results("opendata", rows)


def _alternate(target: Any, floor: Any, n: int) -> tuple[float, float]:
    for _ in range(5):
        target()
        floor()
    t_times, f_times = [], []
    for _ in range(n):
        t_times.append(time_once(target))
        f_times.append(time_once(floor))
    return statistics.median(t_times), statistics.median(f_times)
