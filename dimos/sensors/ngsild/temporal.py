"""Temporal Evolution of an entity (``/temporal/entities/{id}``) from the stored readings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone

from dimos.sensors import schemas
from dimos.sensors.models import Reading
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.negotiation import MAX_LIMIT, Ctx, options_param, respond
from dimos.sensors.ngsild.query import attrs_param, int_param, visible_device


def temporal_get(ctx: Ctx, entity_id: str) -> HttpResponse:
    request = ctx.request
    device = visible_device(ctx, entity_id)
    qs = Reading.objects.filter(municipality=ctx.municipality, device=device)
    timerel = request.GET.get("timerel")
    if timerel is not None:
        if timerel not in ("before", "after", "between"):
            raise NgsiError("BadRequestData", "'timerel' must be before, after or between.")
        time_at = schemas.parse_time(request.GET.get("timeAt"))
        if time_at is None:
            raise NgsiError(
                "BadRequestData", "'timerel' needs 'timeAt' as an ISO 8601 date-time with offset."
            )
        if timerel == "before":
            qs = qs.filter(observed_at__lt=time_at)
        elif timerel == "after":
            qs = qs.filter(observed_at__gt=time_at)
        else:
            end = schemas.parse_time(request.GET.get("endTimeAt"))
            if end is None or end <= time_at:
                raise NgsiError("BadRequestData", "'between' needs 'endTimeAt' after 'timeAt'.")
            qs = qs.filter(observed_at__gte=time_at, observed_at__lt=end)
    elif request.GET.get("timeAt") or request.GET.get("endTimeAt"):
        raise NgsiError("BadRequestData", "'timeAt' needs 'timerel'.")
    last_n = int_param(request, "lastN", 0)
    if "lastN" in request.GET and last_n < 1:
        raise NgsiError("BadRequestData", "'lastN' must be a positive integer.")
    attrs = attrs_param(request)
    take = min(last_n or MAX_LIMIT, MAX_LIMIT)
    rows = _newest(qs, take, bounded=timerel is not None)
    rows.reverse()
    temporal_values = "temporalValues" in options_param(request)
    spec = schemas.TYPES[device.type.code]
    series: dict[str, list[tuple[Any, datetime]]] = {}
    for observed, values in rows:
        for name, value in values.items():
            if attrs is None or name in attrs:
                series.setdefault(name, []).append((value, observed))
    body: dict[str, Any] = {"id": device.ngsi_id, "type": device.type.code}
    for name, points in series.items():
        if last_n:
            points = points[-last_n:]
        if temporal_values:
            body[name] = {"type": "Property", "values": [[v, convert.iso(t)] for v, t in points]}
        else:
            unit = spec.attrs[name].unit if name in spec.attrs else ""
            body[name] = [
                {
                    "type": "Property",
                    "value": v,
                    "observedAt": convert.iso(t),
                    **({"unitCode": unit} if unit else {}),
                }
                for v, t in points
            ]
    return respond(ctx, body)


# lastN with no time bound: the newest month first, so PostgreSQL plans and reads one or two
# monthly partitions instead of every one (docs/sensors/storage.md); older months only when
# the recent ones hold fewer than asked.
RECENT = timedelta(days=31)


def _newest(qs: QuerySet[Reading], take: int, *, bounded: bool) -> list[tuple[datetime, Any]]:
    newest_first = qs.order_by("-observed_at").values_list("observed_at", "values")
    if bounded:
        return list(newest_first[:take])
    since = timezone.now() - RECENT
    rows = list(newest_first.filter(observed_at__gte=since)[:take])
    if len(rows) < take:
        rows += list(newest_first.filter(observed_at__lt=since)[: take - len(rows)])
    return rows
