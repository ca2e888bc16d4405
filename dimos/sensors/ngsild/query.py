"""Which devices a request may see, and the query parameters of NGSI-LD reads
(``attrs``, ``q``, ``limit``/``offset``, geo-queries)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from shapely.geometry import Point, shape

from dimos.core.badinput import json_loads
from dimos.core.geo import bbox_around, haversine_m
from dimos.core.models import Municipality
from dimos.sensors import schemas
from dimos.sensors.models import Device, DeviceState
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.negotiation import GEO_JSON, Ctx, options_param


def type_cache(*, refresh: bool = False) -> dict[str, Any]:
    """Device types by id and by code (the services' cache, cleared whenever a type is saved)."""
    from dimos.sensors.services import device_types_by_pk

    by_pk = device_types_by_pk(refresh=refresh)
    return {"by_pk": by_pk, "by_code": {t.code: (t.pk, t.is_public) for t in by_pk.values()}}


def types_by_code() -> dict[str, tuple[int, bool]]:
    """code → (id, is_public), so filters use ids and the (municipality, type, ngsi_id) index."""
    return type_cache()["by_code"]


class Visibility:
    """Which devices of the tenant a request may see (ONE decision, two renderings:
    a queryset filter and a plain SQL condition for the listing's fast path).

    ``type_ids``: the types to show (None: every type); ``own_device``: a device-bound
    credential also sees its own device, whatever its type, next to the public types."""

    def __init__(self, ctx: Ctx, type_codes: set[str] | None) -> None:
        types = types_by_code()
        self.public = [pk for pk, is_public in types.values() if is_public]
        self.own_device = ctx.credential.device_id if ctx.credential is not None else None
        self.type_ids: list[int] | None
        if type_codes is not None:
            wanted = [types[c][0] for c in type_codes if c in types]
            if ctx.credential is None:
                wanted = [pk for pk in wanted if pk in self.public]
            self.type_ids = wanted
        elif ctx.credential is None:
            self.type_ids = self.public
        else:
            self.type_ids = None

    def queryset(self, municipality: Municipality) -> QuerySet[Device]:
        qs = Device.objects.filter(municipality=municipality)
        if self.type_ids is not None:
            ids = self.type_ids
            qs = qs.filter(type_id__in=ids) if len(ids) != 1 else qs.filter(type_id=ids[0])
        if self.own_device:
            qs = qs.filter(Q(pk=self.own_device) | Q(type_id__in=self.public))
        return qs

    def where(self, municipality: Municipality, alias: str = "d") -> tuple[str, list[Any]] | None:
        """The same condition as SQL (None: nothing is visible)."""
        clauses, params = [f"{alias}.municipality_id = %s"], [municipality.pk]
        if self.type_ids is not None:
            if not self.type_ids:
                return None
            clauses.append(f"{alias}.type_id IN ({', '.join(['%s'] * len(self.type_ids))})")
            params += self.type_ids
        if self.own_device:
            if self.public:
                clauses.append(
                    f"({alias}.id = %s OR {alias}.type_id IN ({', '.join(['%s'] * len(self.public))}))"
                )
                params += [self.own_device, *self.public]
            else:
                clauses.append(f"{alias}.id = %s")
                params.append(self.own_device)
        return " AND ".join(clauses), params


def visible_devices(ctx: Ctx, type_codes: set[str] | None = None) -> QuerySet[Device]:
    return Visibility(ctx, type_codes).queryset(ctx.municipality)


def attach_states(devices: list[Device]) -> list[Device]:
    """Types and latest states for a page of devices: two small indexed queries
    (a LEFT JOIN + ORDER BY would make SQLite sort the whole type)."""
    if not devices:
        return devices
    types = type_cache()["by_pk"]
    if any(d.type_id not in types for d in devices):
        types = type_cache(refresh=True)["by_pk"]
    states = {s.device_id: s for s in DeviceState.objects.filter(device_id__in=[d.pk for d in devices])}
    for device in devices:
        device.type = types[device.type_id]
        device._state.fields_cache["state"] = states.get(device.pk)
    return devices


_ROW_FIELDS = (
    "ngsi_id",
    "type_id",
    "lat",
    "lon",
    "attrs",
    "state__values",
    "state__observed",
)
_SYS_FIELDS = ("created_at", "modified_at")


def light_rows(qs: QuerySet[Device], *, sys_attrs: bool = False) -> list[Any]:
    """Light rows for listings: ONE indexed query (device LEFT JOIN latest state), no model
    instances; the creation/modification times are read only when sysAttrs asks for them."""
    rows = list(qs.values_list(*_ROW_FIELDS, *(_SYS_FIELDS if sys_attrs else ())))
    types = type_cache()["by_pk"]
    if any(row[1] not in types for row in rows):
        types = type_cache(refresh=True)["by_pk"]
    out = []
    for row in rows:
        ngsi_id, type_id, lat, lon, attrs, values, observed = row[:7]
        out.append(
            SimpleNamespace(
                ngsi_id=ngsi_id,
                type=types[type_id],
                lat=lat,
                lon=lon,
                attrs=attrs,
                created_at=row[7] if sys_attrs else None,
                modified_at=row[8] if sys_attrs else None,
                state=SimpleNamespace(values=values, observed=observed or {}) if values is not None else None,
            )
        )
    return out


def visible_device(ctx: Ctx, entity_id: str) -> Device:
    device = next(iter(attach_states(list(visible_devices(ctx).filter(ngsi_id=entity_id)[:1]))), None)
    if device is None:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")
    return device


def attrs_param(request: HttpRequest) -> set[str] | None:
    raw = request.GET.get("attrs")
    if raw is None:
        return None
    names = {convert.compact(a.strip()) for a in raw.split(",") if a.strip()}
    if not names:
        raise NgsiError("BadRequestData", "'attrs' must list attribute names.")
    return names


def render(
    ctx: Ctx, device: Device, attrs: set[str] | None, options: set[str] | None = None
) -> dict[str, Any]:
    options = options_param(ctx.request) if options is None else options
    key_values = bool(options & {"keyValues", "simplified"})
    if ctx.accept == GEO_JSON:
        return convert.feature(device, key_values=key_values, attrs=attrs)
    return convert.entity(device, key_values=key_values, attrs=attrs, sys_attrs="sysAttrs" in options)


_Q_TERM = re.compile(r"^([A-Za-z0-9_.:/#-]+?)(==|!=|>=|<=|>|<)(.+)$")


def _q_value(raw: str) -> Any:
    raw = raw.strip()
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        return raw[1:-1]
    if raw in ("true", "false"):
        return raw == "true"
    if not raw or any(c in raw for c in '=<>!"'):
        raise NgsiError("BadRequestData", f"Invalid value in q: '{raw}'.")
    try:
        number = float(raw)
    except ValueError:
        return raw
    if not math.isfinite(number):
        raise NgsiError("BadRequestData", f"Invalid number in q: {raw}")
    return int(number) if number.is_integer() and "." not in raw and "e" not in raw.lower() else number


def _attr_lookup(type_codes: set[str], name: str) -> str:
    measured = (
        any(schemas.is_measured(t, name) for t in type_codes)
        if type_codes
        else any(schemas.is_measured(t, name) for t in schemas.TYPES)
    )
    return f"state__values__{name}" if measured else f"attrs__{name}__value"


def _list_size(type_codes: set[str], name: str) -> int:
    """For an array attribute of the models (an ``enumlist``, e.g. ParkingSpot ``category``), how
    many items it may hold: NGSI-LD ``==`` on an array matches any of its items."""
    specs = [schemas.TYPES[t] for t in (type_codes or schemas.TYPES) if t in schemas.TYPES]
    return max(
        (len(s.attrs[name].values) for s in specs if name in s.attrs and s.attrs[name].kind == "enumlist"),
        default=0,
    )


def _equals(lookup: str, value: Any, size: int) -> Q:
    """``lookup == value``; for an array, any item (by index: portable to SQLite and PostgreSQL)."""
    match = Q(**{lookup: value})
    for i in range(size):
        match |= Q(**{f"{lookup}__{i}": value})
    return match


def q_filter(q: str, type_codes: set[str]) -> Q:
    if any(c in q for c in "|()"):
        raise NgsiError(
            "OperationNotSupported", "Only ';'-separated (AND) simple comparisons are supported in q."
        )
    result = Q()
    for term in q.split(";"):
        term = term.strip()
        if not term:
            raise NgsiError("BadRequestData", "Empty term in q.")
        match = _Q_TERM.match(term)
        if match is None:
            if re.fullmatch(r"[A-Za-z0-9_]+", term):
                name = term
                result &= Q(state__values__has_key=name) | Q(attrs__has_key=name)
                continue
            raise NgsiError("BadRequestData", f"Invalid q term '{term}'.")
        name, op, raw = convert.compact(match.group(1)), match.group(2), match.group(3)
        if not re.fullmatch(r"[A-Za-z0-9_]+", name):
            raise NgsiError("BadRequestData", f"Invalid attribute in q: '{name}'.")
        lookup = _attr_lookup(type_codes, name)
        size = _list_size(type_codes, name)
        if op == "==" and ".." in raw and not raw.startswith('"'):
            low, high = (_q_value(v) for v in raw.split("..", 1))
            result &= Q(**{f"{lookup}__gte": low, f"{lookup}__lte": high})
        elif op == "==" and "," in raw and not raw.startswith('"'):
            options = Q()
            for v in raw.split(","):
                options |= _equals(lookup, _q_value(v), size)
            result &= options
        elif op == "==":
            result &= _equals(lookup, _q_value(raw), size)
        elif op == "!=":
            has = Q(state__values__has_key=name) if lookup.startswith("state") else Q(attrs__has_key=name)
            result &= has & ~_equals(lookup, _q_value(raw), size)
        else:
            value = _q_value(raw)
            suffix = {">": "gt", "<": "lt", ">=": "gte", "<=": "lte"}[op]
            result &= Q(**{f"{lookup}__{suffix}": value})
    return result


def int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise NgsiError("BadRequestData", f"'{name}' must be a non-negative integer.")
    return int(raw)


def geo_filter(request: HttpRequest) -> Callable[[Device], bool] | None:
    georel = request.GET.get("georel")
    if georel is None:
        if request.GET.get("geometry") or request.GET.get("coordinates"):
            raise NgsiError("BadRequestData", "'geometry' and 'coordinates' need 'georel'.")
        return None
    geoproperty = request.GET.get("geoproperty", "location")
    if geoproperty != "location":
        raise NgsiError("OperationNotSupported", "Only the 'location' geoproperty is supported.")
    geometry_type, raw = request.GET.get("geometry"), request.GET.get("coordinates")
    if not geometry_type or not raw:
        raise NgsiError("BadRequestData", "A geo-query needs 'georel', 'geometry' and 'coordinates'.")
    try:
        coordinates = json_loads(raw)
        geom = shape({"type": geometry_type, "coordinates": coordinates})
        if geom.is_empty or not geom.is_valid:
            raise ValueError("invalid geometry")
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise NgsiError("BadRequestData", f"Invalid geometry/coordinates: {exc}") from exc
    parts = [p.strip() for p in georel.split(";")]
    relation = parts[0]
    if relation == "near":
        if geometry_type != "Point":
            raise NgsiError("BadRequestData", "'near' needs a Point geometry.")
        limits = {}
        for p in parts[1:]:
            m = re.fullmatch(r"(maxDistance|minDistance)==(\d+(\.\d+)?)", p)
            if m is None:
                raise NgsiError("BadRequestData", f"Invalid georel modifier '{p}'.")
            limits[m.group(1)] = float(m.group(2))
        if not limits:
            raise NgsiError("BadRequestData", "'near' needs maxDistance or minDistance.")
        lon, lat = geom.x, geom.y
        max_d, min_d = limits.get("maxDistance", math.inf), limits.get("minDistance", 0.0)

        def near(device: Device) -> bool:
            d = haversine_m(lat, lon, device.lat, device.lon)
            return min_d <= d <= max_d

        near.bbox = bbox_around(lat, lon, max_d) if math.isfinite(max_d) else None  # type: ignore[attr-defined]
        return near
    if relation in ("within", "intersects"):
        if relation == "within" and geometry_type not in ("Polygon", "MultiPolygon"):
            raise NgsiError("BadRequestData", "'within' needs a Polygon or MultiPolygon.")
        from shapely import prepared

        prepared_geom = prepared.prep(geom)

        def inside(device: Device) -> bool:
            return prepared_geom.covers(Point(device.lon, device.lat))

        min_x, min_y, max_x, max_y = geom.bounds
        inside.bbox = (min_y, max_y, min_x, max_x)  # type: ignore[attr-defined]
        return inside
    if relation in ("contains", "disjoint", "equals", "overlaps"):
        raise NgsiError("OperationNotSupported", f"georel '{relation}' is not supported by this broker.")
    raise NgsiError("BadRequestData", f"Invalid georel '{georel}'.")
