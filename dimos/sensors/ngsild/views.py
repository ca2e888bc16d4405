"""The NGSI-LD API at ``/ngsi-ld/v1/`` (the subset in docs/sensors/integrators.md).

Content negotiation, ProblemDetails, ``NGSILD-Tenant`` and the batch 207 bodies
follow ETSI GS CIM 009 (see the standards sheet). Writes need an integration
credential; reads of public types (parking, air quality, noise) are open.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable
from datetime import datetime
from functools import wraps
from types import SimpleNamespace
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from shapely.geometry import Point, shape

from dimos.core.geo import bbox_around, haversine_m
from dimos.core.models import Municipality
from dimos.sensors import schemas
from dimos.sensors.auth import request_credential
from dimos.sensors.constants import MAX_BATCH
from dimos.sensors.models import Device, DeviceState, ListingVersion, Reading
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.writes import entities_write, entity_attrs_write

BASE = "/ngsi-ld/v1"
JSON = "application/json"
LD_JSON = "application/ld+json"
GEO_JSON = "application/geo+json"
MAX_LIMIT = 1000


# --- Request plumbing -----------------------------------------------------------------


class Ctx:
    def __init__(self, request: HttpRequest, municipality: Municipality) -> None:
        self.request = request
        self.municipality = municipality
        self.credential = request_credential(request, municipality)
        self.accept = JSON

    def require_credential(self) -> None:
        if self.credential is None:
            raise NgsiError(
                "Unauthorized",
                "Writes need an integration credential (Authorization: Bearer …); "
                "it is missing, wrong, revoked or of another tenant.",
            )


def _tenant(request: HttpRequest) -> Municipality:
    slug = request.headers.get("NGSILD-Tenant")
    if slug:
        found = Municipality.objects.filter(slug=slug.strip().lower(), is_active=True).first()
        if found is None:
            raise NgsiError("NonexistentTenant", f"Tenant '{slug}' does not exist.")
        return found
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise NgsiError("NonexistentTenant", "No tenant is served at this address; send NGSILD-Tenant.")
    return municipality


def _media(value: str) -> str:
    return value.split(";")[0].strip().lower()


def _negotiate(request: HttpRequest, allow_geo: bool) -> str:
    header = request.headers.get("Accept", "")
    if not header.strip():
        return JSON
    offered = [JSON, LD_JSON] + ([GEO_JSON] if allow_geo else [])
    ranked = []
    for part in header.split(","):
        pieces = part.split(";")
        media = pieces[0].strip().lower()
        q = 1.0
        for p in pieces[1:]:
            if p.strip().startswith("q="):
                try:
                    q = float(p.strip()[2:])
                except ValueError:
                    q = 0.0
        ranked.append((q, media))
    for q, media in sorted(ranked, key=lambda r: -r[0]):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*"):
            return JSON
    raise NgsiError(
        "NotAcceptable",
        f"Accept must allow one of: {', '.join(offered)}.",
    )


def _link_context(request: HttpRequest) -> str | None:
    link = request.headers.get("Link", "")
    if link and convert.LINK_REL in link:
        match = re.search(r"<([^>]*)>", link)
        return match.group(1) if match else ""
    return None


def _body(request: HttpRequest) -> Any:
    media = _media(request.content_type or "")
    if media not in (JSON, LD_JSON):
        raise NgsiError(
            "UnsupportedMediaType", "Content-Type must be application/json or application/ld+json."
        )
    link = _link_context(request)
    try:
        body = json.loads(request.body or b"")
    except (ValueError, UnicodeDecodeError) as exc:
        raise NgsiError("InvalidRequest", "The request body is not valid JSON.") from exc
    if media == LD_JSON:
        if link is not None:
            raise NgsiError(
                "BadRequestData",
                "With Content-Type application/ld+json the @context goes in the body, not in a Link header.",
            )
        items = body if isinstance(body, list) else [body]
        if any(isinstance(i, dict) and "@context" not in i for i in items):
            raise NgsiError("BadRequestData", "An application/ld+json body must carry an @context.")
    return body


def _respond(
    ctx: Ctx, payload: Any, status: int = 200, headers: dict[str, str] | None = None
) -> HttpResponse:
    media = ctx.accept
    if media == LD_JSON:
        if isinstance(payload, dict):
            payload = {"@context": convert.CORE_CONTEXT, **payload}
        elif isinstance(payload, list):
            payload = [{"@context": convert.CORE_CONTEXT, **p} if isinstance(p, dict) else p for p in payload]
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")), status=status, content_type=media
    )
    if media != LD_JSON:
        response["Link"] = f'<{convert.CORE_CONTEXT}>; rel="{convert.LINK_REL}"; type="application/ld+json"'
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def ngsi(
    methods: dict[str, Callable[..., HttpResponse]], geo_methods: tuple[str, ...] = ()
) -> Callable[..., HttpResponse]:
    @csrf_exempt
    @wraps(next(iter(methods.values())))
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            handler = methods.get(request.method or "")
            if handler is None:
                response = NgsiError(
                    "InvalidRequest", f"Method {request.method} is not allowed here.", status=405
                ).response()
                response["Allow"] = ", ".join(methods)
                return response
            municipality = _tenant(request)
            ctx = Ctx(request, municipality)
            ctx.accept = _negotiate(request, request.method in geo_methods)
            return handler(ctx, **kwargs)
        except NgsiError as exc:
            return exc.response()

    return view


def _options(request: HttpRequest) -> set[str]:
    return {o.strip() for o in request.GET.get("options", "").split(",") if o.strip()}


def _type_cache(*, refresh: bool = False) -> dict[str, Any]:
    """Device types by id and by code (the services' cache, cleared whenever a type is saved)."""
    from dimos.sensors.services import device_types_by_pk

    by_pk = device_types_by_pk(refresh=refresh)
    return {"by_pk": by_pk, "by_code": {t.code: (t.pk, t.is_public) for t in by_pk.values()}}


def _types() -> dict[str, tuple[int, bool]]:
    """code → (id, is_public), so filters use ids and the (municipality, type, ngsi_id) index."""
    return _type_cache()["by_code"]


class Visibility:
    """Which devices of the tenant a request may see (ONE decision, two renderings:
    a queryset filter and a plain SQL condition for the listing's fast path).

    ``type_ids``: the types to show (None: every type); ``own_device``: a device-bound
    credential also sees its own device, whatever its type, next to the public types."""

    def __init__(self, ctx: Ctx, type_codes: set[str] | None) -> None:
        types = _types()
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


def _visible(ctx: Ctx, type_codes: set[str] | None = None) -> QuerySet[Device]:
    return Visibility(ctx, type_codes).queryset(ctx.municipality)


def _attach(devices: list[Device]) -> list[Device]:
    """Types and latest states for a page of devices: two small indexed queries
    (a LEFT JOIN + ORDER BY would make SQLite sort the whole type)."""
    if not devices:
        return devices
    types = _type_cache()["by_pk"]
    if any(d.type_id not in types for d in devices):
        types = _type_cache(refresh=True)["by_pk"]
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


def _rows(qs: QuerySet[Device], *, sys_attrs: bool = False) -> list[Any]:
    """Light rows for listings: ONE indexed query (device LEFT JOIN latest state), no model
    instances; the creation/modification times are read only when sysAttrs asks for them."""
    rows = list(qs.values_list(*_ROW_FIELDS, *(_SYS_FIELDS if sys_attrs else ())))
    types = _type_cache()["by_pk"]
    if any(row[1] not in types for row in rows):
        types = _type_cache(refresh=True)["by_pk"]
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


def _device(ctx: Ctx, entity_id: str) -> Device:
    device = next(iter(_attach(list(_visible(ctx).filter(ngsi_id=entity_id)[:1]))), None)
    if device is None:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")
    return device


def _attrs_param(request: HttpRequest) -> set[str] | None:
    raw = request.GET.get("attrs")
    if raw is None:
        return None
    names = {convert.compact(a.strip()) for a in raw.split(",") if a.strip()}
    if not names:
        raise NgsiError("BadRequestData", "'attrs' must list attribute names.")
    return names


def _render(
    ctx: Ctx, device: Device, attrs: set[str] | None, options: set[str] | None = None
) -> dict[str, Any]:
    options = _options(ctx.request) if options is None else options
    key_values = bool(options & {"keyValues", "simplified"})
    if ctx.accept == GEO_JSON:
        return convert.feature(device, key_values=key_values, attrs=attrs)
    return convert.entity(device, key_values=key_values, attrs=attrs, sys_attrs="sysAttrs" in options)


# --- /entities ---------------------------------------------------------------------------

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


def _q_filter(q: str, type_codes: set[str]) -> Q:
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
        if op == "==" and ".." in raw and not raw.startswith('"'):
            low, high = (_q_value(v) for v in raw.split("..", 1))
            result &= Q(**{f"{lookup}__gte": low, f"{lookup}__lte": high})
        elif op == "==" and "," in raw and not raw.startswith('"'):
            options = Q()
            for v in raw.split(","):
                options |= Q(**{lookup: _q_value(v)})
            result &= options
        elif op == "==":
            result &= Q(**{lookup: _q_value(raw)})
        elif op == "!=":
            has = Q(state__values__has_key=name) if lookup.startswith("state") else Q(attrs__has_key=name)
            result &= has & ~Q(**{lookup: _q_value(raw)})
        else:
            value = _q_value(raw)
            suffix = {">": "gt", "<": "lt", ">=": "gte", "<=": "lte"}[op]
            result &= Q(**{f"{lookup}__{suffix}": value})
    return result


def _int_param(request: HttpRequest, name: str, default: int) -> int:
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"\d{1,9}", raw):
        raise NgsiError("BadRequestData", f"'{name}' must be a non-negative integer.")
    return int(raw)


def _geo(request: HttpRequest) -> Callable[[Device], bool] | None:
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
        coordinates = json.loads(raw)
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


def entities_get(ctx: Ctx) -> HttpResponse:
    request = ctx.request
    allowed = {
        "type",
        "id",
        "idPattern",
        "attrs",
        "q",
        "georel",
        "geometry",
        "coordinates",
        "geoproperty",
        "limit",
        "offset",
        "count",
        "options",
        "lang",
    }
    unknown = set(request.GET) - allowed
    if unknown:
        raise NgsiError("BadRequestData", f"Unknown parameter(s): {', '.join(sorted(unknown))}.")
    has_query = any(request.GET.get(k) for k in ("type", "id", "idPattern", "attrs", "q", "georel"))
    if not has_query:
        raise NgsiError(
            "BadRequestData", "Give at least one of type, id, idPattern, attrs, q or a geo-query."
        )
    limit = _int_param(request, "limit", 20)
    offset = _int_param(request, "offset", 0)
    count = request.GET.get("count", "false")
    if count not in ("true", "false"):
        raise NgsiError("BadRequestData", "'count' must be true or false.")
    if limit > MAX_LIMIT:
        raise NgsiError("TooManyResults", f"'limit' may be at most {MAX_LIMIT}.")
    if limit == 0 and count != "true":
        raise NgsiError("BadRequestData", "'limit=0' is only meaningful with 'count=true'.")
    type_codes: set[str] = set()
    if request.GET.get("type"):
        type_codes = {convert.compact(t.strip()) for t in request.GET["type"].split(",") if t.strip()}
    options = _options(request)
    sys_attrs = "sysAttrs" in options and not options & {"keyValues", "simplified"} and ctx.accept != GEO_JSON
    if not sys_attrs and not _FILTERS.intersection(request.GET):
        # The common query (a type, a page): straight SQL, no queryset to build; the
        # serialized body is cached under the municipality's listing version.
        key = _listing_cache_key(ctx)
        hit = cache.get(key)
        if hit is not None:
            return _from_cache(hit)
        page, total = _page_fast(ctx, type_codes or None, limit, offset, count == "true")
        response = _listing_response(ctx, page, None, options, total)
        if response.status_code == 200:
            cache.set(key, (response.content, response["Content-Type"], _cached_headers(response)), 300)
        return response
    qs = _visible(ctx, type_codes or None)
    if request.GET.get("id"):
        qs = qs.filter(ngsi_id__in=[i.strip() for i in request.GET["id"].split(",") if i.strip()])
    if request.GET.get("idPattern"):
        pattern = request.GET["idPattern"]
        try:
            re.compile(pattern)
        except re.error as exc:
            raise NgsiError("BadRequestData", f"Invalid idPattern: {exc}") from exc
        qs = qs.filter(ngsi_id__regex=pattern)
    attrs = _attrs_param(request)
    if attrs:
        any_attr = Q()
        for name in attrs:
            any_attr |= Q(state__values__has_key=name) | Q(attrs__has_key=name)
            if name == "location":
                any_attr |= Q(lat__isnull=False)
        qs = qs.filter(any_attr)
    if request.GET.get("q"):
        qs = qs.filter(_q_filter(request.GET["q"], type_codes))
    geo = _geo(request)
    qs = qs.order_by("ngsi_id")
    if geo is not None:
        qs = qs.exclude(lat__isnull=True)
        box = getattr(geo, "bbox", None)
        if box is not None:
            qs = qs.filter(lat__gte=box[0], lat__lte=box[1], lon__gte=box[2], lon__lte=box[3])
        matched = [d for d in _rows(qs, sys_attrs=sys_attrs) if geo(d)]
        total = len(matched)
        page = matched[offset : offset + limit]
    else:
        total = qs.count() if count == "true" else None
        page = _rows(qs[offset : offset + limit], sys_attrs=sys_attrs) if limit else []
    return _listing_response(ctx, page, attrs, options, total if count == "true" else None)


def _listing_cache_key(ctx: Ctx) -> str:
    """Everything that shapes a listing's body: tenant, its listing version (ONE primary-key
    read; every write bumps it in its own transaction), who asks (visibility), the negotiated
    media type, the request's context and language headers, every query parameter, and the
    device types the process knows (refreshed every minute)."""
    from dimos.sensors.services import _TYPES_CACHE

    request = ctx.request
    credential = ctx.credential
    who = "anon" if credential is None else (f"dev{credential.device_id}" if credential.device_id else "all")
    params = sorted((k, v) for k in request.GET for v in request.GET.getlist(k))
    raw = json.dumps(
        [
            ctx.accept,
            request.headers.get("Link", ""),
            request.headers.get("Accept-Language", ""),
            params,
            _TYPES_CACHE["at"],
        ]
    )
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    version = ListingVersion.current(ctx.municipality.pk)
    return f"ngsild:list:{ctx.municipality.pk}:{version}:{who}:{digest}"


def _cached_headers(response: HttpResponse) -> dict[str, str]:
    return {k: v for k, v in response.items() if k in ("Link", "NGSILD-Results-Count")}


def _from_cache(hit: tuple[bytes, str, dict[str, str]]) -> HttpResponse:
    content, content_type, headers = hit
    response = HttpResponse(content, content_type=content_type)
    for key, value in headers.items():
        response[key] = value
    return response


def _listing_response(
    ctx: Ctx, page: list[Any], attrs: set[str] | None, options: set[str], total: int | None
) -> HttpResponse:
    headers = {} if total is None else {"NGSILD-Results-Count": str(total)}
    if ctx.accept == GEO_JSON:
        body: Any = {"type": "FeatureCollection", "features": [_render(ctx, d, attrs, options) for d in page]}
    else:
        body = [_render(ctx, d, attrs, options) for d in page]
    return _respond(ctx, body, headers=headers)


# Parameters that need the general (queryset) path of the listing.
_FILTERS = frozenset({"id", "idPattern", "attrs", "q", "georel", "geometry", "coordinates", "geoproperty"})


def _page_fast(
    ctx: Ctx, type_codes: set[str] | None, limit: int, offset: int, count: bool
) -> tuple[list[Any], int | None]:
    """A page of the listing in one indexed query (device LEFT JOIN latest state, ordered
    by id through the (municipality, type, ngsi_id) index), rows straight to light objects."""
    where = Visibility(ctx, type_codes).where(ctx.municipality)
    if where is None:
        return [], (0 if count else None)
    condition, params = where
    device, state = Device._meta.db_table, DeviceState._meta.db_table
    page: list[Any] = []
    total = None
    with connection.cursor() as cursor:
        if count:
            cursor.execute(f'SELECT COUNT(*) FROM "{device}" d WHERE {condition}', params)  # noqa: S608 (constants only)
            total = cursor.fetchone()[0]
        if limit:
            cursor.execute(
                f'SELECT d.ngsi_id, d.type_id, d.lat, d.lon, d.attrs, s."values", s.observed FROM "{device}" d '  # noqa: S608
                f'LEFT JOIN "{state}" s ON s.device_id = d.id WHERE {condition} ORDER BY d.ngsi_id LIMIT %s OFFSET %s',
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
            types = _type_cache()["by_pk"]
            if any(row[1] not in types for row in rows):
                types = _type_cache(refresh=True)["by_pk"]
            loads = json.loads
            for ngsi_id, type_id, lat, lon, attrs, values, observed in rows:
                page.append(
                    SimpleNamespace(
                        ngsi_id=ngsi_id,
                        type=types[type_id],
                        lat=lat,
                        lon=lon,
                        attrs=loads(attrs) if isinstance(attrs, str) else attrs,
                        state=None
                        if values is None
                        else SimpleNamespace(
                            values=loads(values) if isinstance(values, str) else values,
                            observed=(loads(observed) if isinstance(observed, str) else observed) or {},
                        ),
                    )
                )
    return page, total


def entities_post(ctx: Ctx) -> HttpResponse:
    ctx.require_credential()
    parsed = convert.parse_entity(_body(ctx.request))
    outcome = entities_write(
        municipality=ctx.municipality, entities=[parsed], mode="create", credential=ctx.credential
    )
    if outcome.errors:
        raise outcome.errors[0][1]
    response = HttpResponse(status=201)
    response["Location"] = f"{BASE}/entities/{parsed.id}"
    return response


def entity_get(ctx: Ctx, entity_id: str) -> HttpResponse:
    device = _device(ctx, entity_id)
    wanted_type = ctx.request.GET.get("type")
    if wanted_type and convert.compact(wanted_type) != device.type.code:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} of type {wanted_type} was not found.")
    return _respond(ctx, _render(ctx, device, _attrs_param(ctx.request)))


def entity_delete(ctx: Ctx, entity_id: str) -> HttpResponse:
    ctx.require_credential()
    device = _device(ctx, entity_id)
    device.delete()
    return HttpResponse(status=204)


def _attrs_write(ctx: Ctx, entity_id: str, mode: str) -> HttpResponse:
    ctx.require_credential()
    body = _body(ctx.request)
    device = _device(ctx, entity_id)
    if ctx.credential and ctx.credential.device_id and ctx.credential.device_id != device.pk:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")
    if not isinstance(body, dict) or not (set(body) - convert.RESERVED):
        raise NgsiError("BadRequestData", "The body must be an object with at least one attribute.")
    parsed = convert.parse_fragment(device.type.code, body)
    updated, not_updated = entity_attrs_write(
        municipality=ctx.municipality, device=device, parsed=parsed, mode=mode, credential=ctx.credential
    )
    if not_updated:
        return _respond(ctx, {"updated": updated, "notUpdated": not_updated}, status=207)
    return HttpResponse(status=204)


def attrs_post(ctx: Ctx, entity_id: str) -> HttpResponse:
    mode = "noOverwrite" if "noOverwrite" in _options(ctx.request) else "append"
    return _attrs_write(ctx, entity_id, mode)


def attrs_patch(ctx: Ctx, entity_id: str) -> HttpResponse:
    return _attrs_write(ctx, entity_id, "patch")


# --- /entityOperations -----------------------------------------------------------------------


def _batch(ctx: Ctx, mode: str) -> HttpResponse:
    ctx.require_credential()
    body = _body(ctx.request)
    if not isinstance(body, list) or not body:
        raise NgsiError("BadRequestData", "The body must be a non-empty JSON array of entities.")
    if len(body) > MAX_BATCH:
        raise NgsiError("BadRequestData", f"A batch may hold at most {MAX_BATCH} entities; got {len(body)}.")
    parsed, errors = [], []
    for raw in body:
        try:
            parsed.append(convert.parse_entity(raw))
        except NgsiError as exc:
            entity_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
            errors.append((entity_id, exc))
    outcome = entities_write(
        municipality=ctx.municipality, entities=parsed, mode=mode, credential=ctx.credential
    )
    errors.extend(outcome.errors)
    success = outcome.created + outcome.updated
    if errors:
        return _respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    if mode == "create" or outcome.created:
        return _respond(ctx, outcome.created, status=201)
    return HttpResponse(status=204)


def batch_create(ctx: Ctx) -> HttpResponse:
    return _batch(ctx, "create")


def batch_upsert(ctx: Ctx) -> HttpResponse:
    options = _options(ctx.request)
    if options - {"replace", "update"}:
        raise NgsiError("BadRequestData", "options must be 'replace' or 'update'.")
    if {"replace", "update"} <= options:
        raise NgsiError("BadRequestData", "options 'replace' and 'update' exclude each other.")
    return _batch(ctx, "update" if "update" in options else "replace")


def batch_update(ctx: Ctx) -> HttpResponse:
    """Batch Entity Update: append attributes to existing entities (``options=noOverwrite``
    keeps the existing ones); unknown entities are per-entity ResourceNotFound errors."""
    ctx.require_credential()
    options = _options(ctx.request)
    if options - {"noOverwrite"}:
        raise NgsiError("BadRequestData", "options may only be 'noOverwrite'.")
    body = _body(ctx.request)
    if not isinstance(body, list) or not body:
        raise NgsiError("BadRequestData", "The body must be a non-empty JSON array of entities.")
    if len(body) > MAX_BATCH:
        raise NgsiError("BadRequestData", f"A batch may hold at most {MAX_BATCH} entities; got {len(body)}.")
    mode = "noOverwrite" if "noOverwrite" in options else "append"
    success: list[str] = []
    errors: list[tuple[str, NgsiError]] = []
    for raw in body:
        entity_id = raw.get("id") if isinstance(raw, dict) and isinstance(raw.get("id"), str) else ""
        try:
            if not entity_id:
                raise NgsiError("BadRequestData", "Every entity needs an 'id'.")
            device = _device(ctx, entity_id)
            if ctx.credential and ctx.credential.device_id and ctx.credential.device_id != device.pk:
                raise NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")
            if raw.get("type") is not None and convert.compact(str(raw["type"])) != device.type.code:
                raise NgsiError("BadRequestData", f"Entity {entity_id} is of type {device.type.code}.")
            fragment = {k: v for k, v in raw.items() if k not in convert.RESERVED}
            if not fragment:
                raise NgsiError("BadRequestData", f"Entity {entity_id} has no attribute to update.")
            parsed = convert.parse_fragment(device.type.code, fragment)
            entity_attrs_write(
                municipality=ctx.municipality,
                device=device,
                parsed=parsed,
                mode=mode,
                credential=ctx.credential,
            )
        except NgsiError as exc:
            errors.append((entity_id, exc))
        else:
            success.append(entity_id)
    if errors:
        return _respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    return HttpResponse(status=204)


def batch_delete(ctx: Ctx) -> HttpResponse:
    """Batch Entity Delete: a JSON array of entity ids."""
    ctx.require_credential()
    body = _body(ctx.request)
    if not isinstance(body, list) or not body or not all(isinstance(i, str) for i in body):
        raise NgsiError("BadRequestData", "The body must be a non-empty JSON array of entity ids.")
    if len(body) > MAX_BATCH:
        raise NgsiError("BadRequestData", f"A batch may hold at most {MAX_BATCH} entities; got {len(body)}.")
    visible = {d.ngsi_id: d for d in _visible(ctx).filter(ngsi_id__in=body)}
    own = ctx.credential.device_id if ctx.credential else None
    success: list[str] = []
    errors: list[tuple[str, NgsiError]] = []
    for entity_id in body:
        device = visible.pop(entity_id, None)
        if device is None or (own and device.pk != own):
            errors.append((entity_id, NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")))
            continue
        device.delete()
        success.append(entity_id)
    if errors:
        return _respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    return HttpResponse(status=204)


_QUERY_KEYS = frozenset({"type", "entities", "attrs", "q", "geoQ", "@context", "lang", "scopeQ", "csf"})


def query_post(ctx: Ctx) -> HttpResponse:
    """Query Entities via POST (a ``Query`` body): the same query as GET /entities; the
    body's terms become the GET parameters, paging and options stay in the URL."""
    body = _body(ctx.request)
    if not isinstance(body, dict) or body.get("type") != "Query":
        raise NgsiError("BadRequestData", 'The body must be a Query object ({"type": "Query", …}).')
    unknown = set(body) - _QUERY_KEYS
    if unknown or body.get("scopeQ") or body.get("csf"):
        raise NgsiError(
            "BadRequestData", f"Unsupported Query member(s): {', '.join(sorted(unknown)) or 'scopeQ/csf'}."
        )
    params = ctx.request.GET.copy()
    for key in ("type", "id", "idPattern", "attrs", "q", "georel", "geometry", "coordinates", "geoproperty"):
        params.pop(key, None)
    infos = body.get("entities") or []
    if not isinstance(infos, list) or not all(isinstance(i, dict) for i in infos):
        raise NgsiError("BadRequestData", "'entities' must be an array of EntityInfo objects.")
    types = [str(i["type"]) for i in infos if i.get("type")]
    ids = [str(i["id"]) for i in infos if i.get("id")]
    patterns = [str(i["idPattern"]) for i in infos if i.get("idPattern")]
    if len(patterns) > 1:
        raise NgsiError("OperationNotSupported", "Only one idPattern per query is supported.")
    if types:
        params["type"] = ",".join(types)
    if ids:
        params["id"] = ",".join(ids)
    if patterns:
        params["idPattern"] = patterns[0]
    attrs = body.get("attrs")
    if attrs:
        if not isinstance(attrs, list) or not all(isinstance(a, str) for a in attrs):
            raise NgsiError("BadRequestData", "'attrs' must be an array of attribute names.")
        params["attrs"] = ",".join(attrs)
    if body.get("q"):
        params["q"] = str(body["q"])
    geo = body.get("geoQ")
    if geo:
        if not isinstance(geo, dict) or not geo.get("georel") or not geo.get("geometry"):
            raise NgsiError("BadRequestData", "'geoQ' needs georel, geometry and coordinates.")
        params["georel"] = str(geo["georel"])
        params["geometry"] = str(geo["geometry"])
        coordinates = geo.get("coordinates")
        params["coordinates"] = coordinates if isinstance(coordinates, str) else json.dumps(coordinates)
        if geo.get("geoproperty"):
            params["geoproperty"] = str(geo["geoproperty"])
    ctx.request.GET = params
    return entities_get(ctx)


# --- /temporal/entities/{id} ------------------------------------------------------------------


def temporal_get(ctx: Ctx, entity_id: str) -> HttpResponse:
    request = ctx.request
    device = _device(ctx, entity_id)
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
    last_n = _int_param(request, "lastN", 0)
    if "lastN" in request.GET and last_n < 1:
        raise NgsiError("BadRequestData", "'lastN' must be a positive integer.")
    attrs = _attrs_param(request)
    take = min(last_n or MAX_LIMIT, MAX_LIMIT)
    rows = list(qs.order_by("-observed_at").values_list("observed_at", "values")[:take])
    rows.reverse()
    temporal_values = "temporalValues" in _options(request)
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
    return _respond(ctx, body)


entities = ngsi({"GET": entities_get, "POST": entities_post}, geo_methods=("GET",))
entity = ngsi({"GET": entity_get, "DELETE": entity_delete}, geo_methods=("GET",))
entity_attrs = ngsi({"POST": attrs_post, "PATCH": attrs_patch})
entity_operations_create = ngsi({"POST": batch_create})
entity_operations_upsert = ngsi({"POST": batch_upsert})
entity_operations_update = ngsi({"POST": batch_update})
entity_operations_delete = ngsi({"POST": batch_delete})
entity_operations_query = ngsi({"POST": query_post}, geo_methods=("POST",))


@csrf_exempt
def not_found(request: HttpRequest, **_: Any) -> HttpResponse:
    """Any other path under the API base: a ProblemDetails body, never an HTML page."""
    return NgsiError("ResourceNotFound", f"No NGSI-LD resource at {request.path}.").response()


temporal_entity = ngsi({"GET": temporal_get})
