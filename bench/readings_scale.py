"""Readings at scale (PostgreSQL): temporal ``lastN`` and the device chart at 10M readings
against their cost at 1M.

1,000 air-quality stations get one reading an hour: 1,000 hours (1M readings, six weeks)
first, then 9,000 more hours (10M readings, about fourteen months, one partition a month),
generated in SQL (INSERT … SELECT generate_series) and ANALYZEd. At each size, in this
process: ``GET /ngsi-ld/v1/temporal/entities/{id}?lastN=100`` and the device chart's query
(``selectors.series``, last 24 h, hourly means), each alternated with ``/__bench_floor__``.
Cost = median target ÷ median floor (so the machine's load cancels out); the row's ratio is
cost at 10M ÷ cost at 1M, target ≤ 1.5. SQLite: not run (no partitions there)."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import Timer, alternate, analyze, database_label, fresh_database, result, write_results

STATIONS = 1000


def _fill(municipality_id: int, first_hour: int, last_hour: int, now: datetime) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            'INSERT INTO sensors_reading (municipality_id, device_id, observed_at, received_at, "values", source) '
            "SELECT %s, d.id, %s - h * interval '1 hour', %s, "
            "jsonb_build_object('pm25', round((random() * 50)::numeric, 1)), 'simulator' "
            "FROM sensors_device d CROSS JOIN generate_series(%s, %s) AS h "
            "WHERE d.municipality_id = %s AND d.code LIKE 'scale-%%'",
            [municipality_id, now, now, first_hour, last_hour, municipality_id],
        )


def _measure(device, quick: bool) -> dict[str, float]:
    from dimos.sensors import selectors

    timer = Timer()
    floor = timer.get("/__bench_floor__")
    last_n = timer.get(f"/ngsi-ld/v1/temporal/entities/{device.ngsi_id}?lastN=100")
    now = datetime.now(UTC)

    def chart() -> None:
        points = selectors.series(device, "pm25", since=now - timedelta(hours=24), bucket=timedelta(hours=1))
        assert len(points) >= 23

    rounds = 30 if quick else 200
    costs = {}
    for name, target in (("temporal_last_n", last_n), ("device_chart_24h", chart)):
        t, f = alternate(target, floor, rounds, warmup=10)
        costs[name] = t / f
        costs[name + "_s"] = t
    return costs


def run(*, quick: bool = False) -> Path:
    from django.db import connection

    from dimos.core import demo
    from dimos.sensors import partitions, services
    from dimos.sensors.models import Device, DeviceType

    if database_label() != "postgresql":
        row = result("readings_10m_vs_1m", "cost_ratio", 0, None, {"skipped": "PostgreSQL only"})
        return write_results("readings_scale", [row])
    connection.settings_dict["CONN_MAX_AGE"] = 60
    fresh_database()
    ctx = demo.seed()
    services.device_types_sync()
    serres = ctx.serres
    kind = DeviceType.objects.get(code="AirQualityObserved")
    Device.objects.bulk_create(
        [
            Device(
                municipality=serres,
                type=kind,
                ngsi_id=f"urn:ngsi-ld:AirQualityObserved:scale-{i:04d}",
                code=f"scale-{i:04d}",
                lat=41.09,
                lon=23.55,
            )
            for i in range(STATIONS)
        ]
    )
    device = Device.objects.get(municipality=serres, code="scale-0500")
    small, large = (100, 1000) if quick else (1000, 10000)
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    month = partitions.month_start(now - timedelta(hours=large + 1))
    with connection.cursor() as cursor:
        while month <= now:
            if partitions.partition_name(month) not in {p.name for p in partitions.partitions()}:
                cursor.execute(partitions.create_partition_sql(month))
            month = partitions.next_month(month)
    _fill(serres.pk, 1, small, now)
    analyze()
    at_small = _measure(device, quick)
    _fill(serres.pk, small + 1, large, now)
    analyze()
    at_large = _measure(device, quick)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sensors_reading")
        total = cursor.fetchone()[0]
    load = [round(x, 2) for x in os.getloadavg()]
    rows = []
    for name in ("temporal_last_n", "device_chart_24h"):
        ratio = at_large[name] / at_small[name]
        rows.append(
            result(
                f"{name}_at_{total // 1_000_000}m_vs_{STATIONS * small // 1_000_000 or 0.1}m",
                "cost_vs_floor",
                at_large[name],
                at_small[name],
                {
                    "readings_small": STATIONS * small,
                    "readings_large": total,
                    "partitions": len(partitions.partitions()),
                    "median_s_small": round(at_small[name + "_s"], 5),
                    "median_s_large": round(at_large[name + "_s"], 5),
                    "cost": "median target / median /__bench_floor__, alternated",
                    "load_average_1_5_15": load,
                },
                target="ratio <= 1.5",
                meets_target=ratio <= 1.5,
            )
        )
    return write_results("readings_scale", rows)
