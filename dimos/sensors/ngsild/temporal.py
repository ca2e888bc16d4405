"""Temporal Evolution (``/temporal/entities/{id}``), the temporal query by type and ``q``
(``/temporal/entities?type=…&timerel=…``) and temporal aggregation (``aggrMethods`` over
``aggrPeriodDuration``, clause 4.5.19), from the stored readings and the hourly rollups."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from dimos.sensors import schemas
from dimos.sensors.models import Device, Reading
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.aggregate import METHODS, aggregate
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.negotiation import MAX_LIMIT, Ctx, options_param, respond
from dimos.sensors.ngsild.query import (
    attach_states,
    attrs_param,
    int_param,
    q_filter,
    visible_device,
    visible_devices,
)

MAX_ENTITIES = 100
DURATION_RE = re.compile(
    r"^P(?:(?P<w>\d+)W)?(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+)S)?)?$"
)


class Window:
    """The time window of a temporal request (``timerel``, ``timeAt``, ``endTimeAt``)."""

    def __init__(self, request: HttpRequest) -> None:
        self.start: datetime | None = None
        self.end: datetime | None = None
        timerel = request.GET.get("timerel")
        if timerel is None:
            if request.GET.get("timeAt") or request.GET.get("endTimeAt"):
                raise NgsiError("BadRequestData", "'timeAt' needs 'timerel'.")
            return
        if timerel not in ("before", "after", "between"):
            raise NgsiError("BadRequestData", "'timerel' must be before, after or between.")
        time_at = schemas.parse_time(request.GET.get("timeAt"))
        if time_at is None:
            raise NgsiError(
                "BadRequestData", "'timerel' needs 'timeAt' as an ISO 8601 date-time with offset."
            )
        if timerel == "before":
            self.end = time_at
        elif timerel == "after":
            self.start = time_at + timedelta(microseconds=1)  # strictly after
        else:
            end = schemas.parse_time(request.GET.get("endTimeAt"))
            if end is None or end <= time_at:
                raise NgsiError("BadRequestData", "'between' needs 'endTimeAt' after 'timeAt'.")
            self.start, self.end = time_at, end

    def filter(self, field: str = "observed_at") -> dict[str, datetime]:
        out = {}
        if self.start is not None:
            out[f"{field}__gte"] = self.start
        if self.end is not None:
            out[f"{field}__lt"] = self.end
        return out


def duration(raw: str | None) -> timedelta | None:
    """An ISO 8601 duration (``PT1H``, ``P1D``, ``P1W``); None for the whole window (``P0D``)."""
    if raw is None:
        return None
    found = DURATION_RE.match(raw.strip())
    if found is None or raw.strip() in ("P", "PT"):
        raise NgsiError(
            "BadRequestData", f"'aggrPeriodDuration' must be an ISO 8601 duration such as PT1H: {raw}"
        )
    parts = {k: int(v or 0) for k, v in found.groupdict().items()}
    period = timedelta(
        weeks=parts["w"], days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"]
    )
    if period and period < timedelta(minutes=1):
        raise NgsiError("BadRequestData", "'aggrPeriodDuration' must be at least one minute.")
    return period or None


def _methods(request: HttpRequest) -> list[str]:
    raw = request.GET.get("aggrMethods")
    if raw is None:
        return []
    methods = [m.strip() for m in raw.split(",") if m.strip()]
    unknown = [m for m in methods if m not in METHODS]
    if not methods or unknown:
        raise NgsiError(
            "BadRequestData", f"'aggrMethods' must list methods from: {', '.join(METHODS)}; got '{raw}'."
        )
    return methods


def _evolution(
    device: Device, window: Window, attrs: set[str] | None, last_n: int, temporal_values: bool
) -> dict[str, Any]:
    qs = Reading.objects.filter(municipality_id=device.municipality_id, device=device, **window.filter())
    take = min(last_n or MAX_LIMIT, MAX_LIMIT)
    rows = _newest(qs, take, bounded=window.start is not None or window.end is not None)
    rows.reverse()
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
    return body


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


def _aggregated(
    device: Device, window: Window, attrs: set[str] | None, methods: list[str], period: timedelta | None
) -> dict[str, Any]:
    spec = schemas.TYPES[device.type.code]
    names = [
        n
        for n, a in spec.attrs.items()
        if a.measured and a.kind in ("number", "integer") and (attrs is None or n in attrs)
    ]
    body: dict[str, Any] = {"id": device.ngsi_id, "type": device.type.code}
    for name, buckets in aggregate(device, names, window.start, window.end, period).items():
        body[name] = {
            "type": "Property",
            **{m: [[b.value(m), convert.iso(b.start), convert.iso(b.end)] for b in buckets] for m in methods},
        }
    return body


def _one(ctx: Ctx, device: Device, window: Window) -> dict[str, Any]:
    request = ctx.request
    last_n = int_param(request, "lastN", 0)
    if "lastN" in request.GET and last_n < 1:
        raise NgsiError("BadRequestData", "'lastN' must be a positive integer.")
    attrs = attrs_param(request)
    methods = _methods(request)
    if methods:
        if window.start is None and window.end is None:
            raise NgsiError("BadRequestData", "Temporal aggregation needs 'timerel' and 'timeAt'.")
        return _aggregated(device, window, attrs, methods, duration(request.GET.get("aggrPeriodDuration")))
    if "aggrPeriodDuration" in request.GET:
        raise NgsiError("BadRequestData", "'aggrPeriodDuration' needs 'aggrMethods'.")
    return _evolution(device, window, attrs, last_n, "temporalValues" in options_param(request))


def temporal_get(ctx: Ctx, entity_id: str) -> HttpResponse:
    device = visible_device(ctx, entity_id)
    return respond(ctx, _one(ctx, device, Window(ctx.request)))


def temporal_query(ctx: Ctx) -> HttpResponse:
    """Query Temporal Evolution of Entities: ``type`` (or ``id``) and ``timerel`` are required;
    ``q`` selects the entities by their latest values; ``limit``/``offset`` page the entities."""
    request = ctx.request
    window = Window(request)
    raw_types = request.GET.get("type")
    ids = [i for i in request.GET.get("id", "").split(",") if i]
    if not raw_types and not ids:
        raise NgsiError("BadRequestData", "A temporal query needs 'type' (or 'id').")
    if window.start is None and window.end is None:
        raise NgsiError("BadRequestData", "A temporal query needs 'timerel' and 'timeAt'.")
    type_codes = {convert.compact(t) for t in (raw_types or "").split(",") if t}
    unknown = type_codes - set(schemas.TYPES)
    if unknown:
        raise NgsiError(
            "BadRequestData",
            f"Unknown entity type '{sorted(unknown)[0]}'. Supported: {', '.join(sorted(schemas.TYPES))}.",
        )
    qs = visible_devices(ctx, type_codes or None)
    if ids:
        qs = qs.filter(ngsi_id__in=ids)
    q = request.GET.get("q")
    if q:
        qs = qs.filter(q_filter(q, type_codes))
    limit = int_param(request, "limit", 20)
    offset = int_param(request, "offset", 0)
    if limit > MAX_ENTITIES:
        raise NgsiError("TooManyResults", f"'limit' may be at most {MAX_ENTITIES}.")
    devices = attach_states(list(qs.order_by("ngsi_id")[offset : offset + limit]))
    return respond(ctx, [_one(ctx, device, window) for device in devices])
