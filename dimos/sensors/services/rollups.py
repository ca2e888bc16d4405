"""Hourly rollups and the retention of raw readings."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.models import Municipality
from dimos.sensors.models import Reading, Rollup
from dimos.sensors.partitions import partitions_drop_before


def _hour(t: datetime) -> datetime:
    return t.replace(minute=0, second=0, microsecond=0)


@transaction.atomic
def rollups_compute(*, municipality: Municipality, start: datetime, end: datetime) -> int:
    """(Re)compute hourly rollups of numeric attributes for whole hours in [start, end)."""
    start, end = _hour(start), _hour(end)
    if end <= start:
        return 0
    buckets: dict[tuple[int, str, datetime], list[float]] = defaultdict(list)
    qs = Reading.objects.filter(municipality=municipality, observed_at__gte=start, observed_at__lt=end)
    for device_id, observed, values in qs.values_list("device_id", "observed_at", "values").iterator(2000):
        hour = _hour(observed)
        for name, value in values.items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                buckets[(device_id, name, hour)].append(float(value))
    rows = [
        Rollup(
            municipality=municipality,
            device_id=device_id,
            attribute=name,
            hour=hour,
            minimum=min(vals),
            maximum=max(vals),
            mean=sum(vals) / len(vals),
            count=len(vals),
        )
        for (device_id, name, hour), vals in buckets.items()
    ]
    Rollup.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["municipality", "device", "attribute", "hour"],
        update_fields=["minimum", "maximum", "mean", "count"],
        batch_size=500,
    )
    return len(rows)


def readings_purge(*, municipality: Municipality | None, older_than_days: int) -> int:
    """Delete raw readings older than N days; rollups are kept.

    On PostgreSQL the monthly partitions that end before the cutoff are dropped whole (for
    every municipality: a partition holds them all); the rest (part of a month, the default
    partition, one municipality only, SQLite) is deleted row by row."""
    if older_than_days < 1:
        raise ValidationFailed(_("Η διατήρηση πρέπει να είναι τουλάχιστον 1 ημέρα."), field="days")
    # Whole hours only, so every deleted reading is inside a complete rollup.
    cutoff = _hour(timezone.now() - timedelta(days=older_than_days))
    qs = Reading.objects.filter(observed_at__lt=cutoff)
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    # Make sure what is deleted is summarised first.
    for m in Municipality.objects.filter(pk__in=qs.values("municipality_id").distinct()):
        oldest = (
            qs.filter(municipality=m).order_by("observed_at").values_list("observed_at", flat=True).first()
        )
        if oldest is not None:
            rollups_compute(municipality=m, start=oldest, end=cutoff)
    dropped = partitions_drop_before(cutoff) if municipality is None else 0
    return dropped + qs.delete()[0]
