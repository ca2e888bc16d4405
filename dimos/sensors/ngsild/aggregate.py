"""Temporal aggregation (NGSI-LD clause 4.5.19): ``avg``, ``min``, ``max``, ``sum`` (and
``totalCount``) of a device's numeric attributes over periods of ``aggrPeriodDuration``.

Served from the hourly rollups where they exist: periods of whole hours take each whole hour
of the window from its rollup (min, max, mean × count) and read raw readings only for the hours
without one and for the partial hours at the window's edges. Periods are counted from
1970-01-01T00:00Z (so ``P1D`` is the UTC day); without a period the whole window is one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dimos.sensors.models import Device, Reading, Rollup

METHODS = ("avg", "min", "max", "sum", "totalCount")
HOUR = timedelta(hours=1)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def floor(t: datetime, period: timedelta) -> datetime:
    return EPOCH + ((t - EPOCH) // period) * period


@dataclass
class Bucket:
    start: datetime
    end: datetime
    count: int = 0
    total: float = 0.0
    low: float | None = None
    high: float | None = None

    def add(self, low: float, high: float, total: float, count: int) -> None:
        self.count += count
        self.total += total
        self.low = low if self.low is None else min(self.low, low)
        self.high = high if self.high is None else max(self.high, high)

    def value(self, method: str) -> float | int | None:
        if method == "totalCount":
            return self.count
        if method == "sum":
            return round(self.total, 9)
        if method == "avg":
            return round(self.total / self.count, 9) if self.count else None
        return self.low if method == "min" else self.high


def aggregate(
    device: Device,
    names: list[str],
    start: datetime | None,
    end: datetime | None,
    period: timedelta | None,
) -> dict[str, list[Bucket]]:
    """Buckets per attribute (only those with data), in time order."""
    buckets: dict[str, dict[datetime, Bucket]] = {n: {} for n in names}

    def bucket(name: str, t: datetime) -> Bucket:
        key = floor(t, period) if period else EPOCH
        found = buckets[name].get(key)
        if found is None:
            found = Bucket(key, key + period) if period else Bucket(start or t, end or t)
            buckets[name][key] = found
        if not period:  # one bucket: an open side of the window spans what was seen
            found.start = found.start if start is not None else min(found.start, t)
            found.end = found.end if end is not None else max(found.end, t)
        return found

    covered: set[tuple[str, datetime]] = set()
    if period is None or period % HOUR == timedelta(0):
        # Whole hours inside the window come from the rollups.
        hours = Rollup.objects.filter(
            municipality_id=device.municipality_id, device=device, attribute__in=names
        )
        if start is not None:
            hours = hours.filter(hour__gte=_ceil_hour(start))
        if end is not None:
            hours = hours.filter(hour__lt=floor(end, HOUR))
        for name, hour, low, high, mean, count in hours.values_list(
            "attribute", "hour", "minimum", "maximum", "mean", "count"
        ):
            bucket(name, hour).add(low, high, mean * count, count)
            covered.add((name, hour))
    readings = Reading.objects.filter(municipality_id=device.municipality_id, device=device)
    if start is not None:
        readings = readings.filter(observed_at__gte=start)
    if end is not None:
        readings = readings.filter(observed_at__lt=end)
    for observed, values in (
        readings.order_by("observed_at").values_list("observed_at", "values").iterator(2000)
    ):
        hour = floor(observed, HOUR)
        for name in names:
            value = values.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float) or (name, hour) in covered:
                continue
            bucket(name, observed).add(value, value, value, 1)
    return {n: [b for _, b in sorted(found.items())] for n, found in buckets.items() if found}


def _ceil_hour(t: datetime) -> datetime:
    down = floor(t, HOUR)
    return down if down == t else down + HOUR
