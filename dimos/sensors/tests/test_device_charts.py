"""Device charts: a fresh device's readings draw a line, in local time, from one query."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.sensors import selectors, services
from dimos.sensors.charts import line_chart
from dimos.sensors.constants import Source

pytestmark = pytest.mark.django_db


def _feed(
    serres: Any, device: Any, start: datetime, count: int, every: timedelta, attr: str = "LAeq"
) -> None:
    services.readings_ingest(
        municipality=serres,
        items=[
            services.ReadingIn(device=device, observed_at=start + every * i, values={attr: 50.0 + i % 7})
            for i in range(count)
        ],
        source=Source.SIMULATOR,
    )


def _points(svg: str) -> int:
    path = re.search(r'<path d="([^"]+)" fill="none" stroke="#003476"', svg)
    return len(re.findall(r"[ML]", path.group(1))) if path else 0


@pytest.fixture
def meter(serres: Any) -> Any:
    return services.device_create(
        municipality=serres, type_code="NoiseLevelObserved", code="noise-new", lat=41.09, lon=23.55
    )


def test_fifty_readings_in_ten_minutes_draw_a_line(serres: Any, meter: Any) -> None:
    """The bug: ~50 readings of a new device fell into one hourly bucket, a single point: no line."""
    start = datetime(2026, 11, 20, 10, 2, tzinfo=UTC)
    _feed(serres, meter, start, 50, timedelta(seconds=12))
    with CaptureQueriesContext(connection) as queries:
        points = selectors.series(meter, "LAeq", since=start - timedelta(hours=23))
    assert len(queries) == 1
    assert len(points) >= 10  # fine buckets for a short span
    assert _points(line_chart(points, title="LAeq")) == len(points)
    # A fixed hourly bucket still averages: one point, drawn as a visible dot.
    hourly = selectors.series(meter, "LAeq", since=start - timedelta(hours=23), bucket=timedelta(hours=1))
    assert len(hourly) == 1
    assert "<circle" in line_chart(hourly, title="LAeq")


def test_buckets_follow_local_time(serres: Any, meter: Any) -> None:
    """Six-hour buckets start at local midnight, 06:00, 12:00, 18:00 (Europe/Athens, UTC+2 in November)."""
    start = datetime(2026, 11, 19, 22, 0, tzinfo=UTC)  # 00:00 in Athens
    _feed(serres, meter, start, 24, timedelta(hours=1))
    points = selectors.series(meter, "LAeq", since=start, bucket=timedelta(hours=6))
    assert [timezone.localtime(t).strftime("%d %H:%M") for t, _ in points] == [
        "20 00:00",
        "20 06:00",
        "20 12:00",
        "20 18:00",
    ]


def test_device_page_draws_the_24_hour_chart(operator_client: Any, serres: Any, meter: Any) -> None:
    _feed(serres, meter, timezone.now() - timedelta(minutes=10), 50, timedelta(seconds=12))
    html = operator_client.get(f"/staff/sensors/devices/{meter.pk}/?attr=LAeq").content.decode()
    assert _points(html) >= 10


def test_axis_ticks_are_round_numbers() -> None:
    at = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    svg = line_chart([(at, 44.0), (at + timedelta(hours=1), 64.3)], title="LAeq")
    ticks = re.findall(r'text-anchor="end"[^>]*>([^<]+)<', svg)
    assert ticks == ["0", "20", "40", "60", "80"]
