"""The NGSI-LD listing (``GET /entities``, ``POST /entityOperations/query``).

The micro-cache, and exactly what may be stale
----------------------------------------------
The common anonymous query (a type and a page, no filter: what a public parking or
air-quality map polls) is answered from a short, shared micro-cache:

- **what**: the serialised body, content type and ``Link`` / ``NGSILD-Results-Count``
  headers of a 200 answer to an *anonymous* request on the fast path. Anonymous callers
  only ever see the public types (parking, air quality, noise), so nothing personal or
  private is cached. Requests with a credential, with a filter (``id``, ``idPattern``,
  ``attrs``, ``q``, a geo-query) or asking for ``sysAttrs`` are never cached; errors are
  never cached.
- **key**: the municipality, the normalised query (every parameter, sorted), the
  negotiated media type and the active language; nothing per process (no clock, no pid),
  so every web process shares the entries of a shared cache (Redis).
- **how stale**: at most ``SENSORS_NGSILD_LISTING_CACHE_SECONDS`` (default 2 s; 0 turns
  the micro-cache off). A reading, a device created, moved or deleted — by any door,
  process or the admin — shows in the anonymous listing once the entry is older than
  that. Nothing is invalidated on write: ingest writes no shared row per batch.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.utils import translation

from dimos.sensors.models import Device, DeviceState
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.negotiation import GEO_JSON, MAX_LIMIT, Ctx, options_param, read_body, respond
from dimos.sensors.ngsild.query import (
    Visibility,
    attrs_param,
    geo_filter,
    int_param,
    light_rows,
    q_filter,
    render,
    type_cache,
    visible_devices,
)


def listing_cache_seconds() -> float:
    return float(settings.SENSORS_NGSILD_LISTING_CACHE_SECONDS)


def _now() -> float:
    """Wall-clock time of the micro-cache (shared by every process; patched in tests)."""
    return time.time()


def listing_cache_key(
    *, municipality_id: int, params: list[tuple[str, str]], media: str, language: str
) -> str:
    """The micro-cache key of an anonymous fast-path listing (see the module docstring).

    Made of the request only, so two processes build the same key for the same query."""
    raw = json.dumps([media, language, sorted(params)], ensure_ascii=False)
    digest = hashlib.sha256(raw.encode()).hexdigest()[:32]
    return f"ngsild:list:{municipality_id}:{digest}"


def _cached_headers(response: HttpResponse) -> dict[str, str]:
    return {k: v for k, v in response.items() if k in ("Link", "NGSILD-Results-Count")}


def _from_cache(hit: tuple[float, bytes, str, dict[str, str]]) -> HttpResponse:
    _stored_at, content, content_type, headers = hit
    response = HttpResponse(content, content_type=content_type)
    for key, value in headers.items():
        response[key] = value
    return response


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
    limit = int_param(request, "limit", 20)
    offset = int_param(request, "offset", 0)
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
    options = options_param(request)
    sys_attrs = "sysAttrs" in options and not options & {"keyValues", "simplified"} and ctx.accept != GEO_JSON
    if not sys_attrs and not _FILTERS.intersection(request.GET):
        # The common query (a type, a page): straight SQL, no queryset to build.
        if ctx.credential is not None or listing_cache_seconds() <= 0:
            page, total = _page_fast(ctx, type_codes or None, limit, offset, count == "true")
            return _listing_response(ctx, page, None, options, total)
        key = listing_cache_key(
            municipality_id=ctx.municipality.pk,
            params=[(k, v) for k in request.GET for v in request.GET.getlist(k)],
            media=ctx.accept,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        hit = cache.get(key)
        if hit is not None and _now() - hit[0] < listing_cache_seconds():
            return _from_cache(hit)
        page, total = _page_fast(ctx, type_codes or None, limit, offset, count == "true")
        response = _listing_response(ctx, page, None, options, total)
        if response.status_code == 200:
            entry = (_now(), response.content, response["Content-Type"], _cached_headers(response))
            cache.set(key, entry, math.ceil(listing_cache_seconds()) + 1)
        return response
    qs = visible_devices(ctx, type_codes or None)
    if request.GET.get("id"):
        qs = qs.filter(ngsi_id__in=[i.strip() for i in request.GET["id"].split(",") if i.strip()])
    if request.GET.get("idPattern"):
        pattern = request.GET["idPattern"]
        try:
            re.compile(pattern)
        except re.error as exc:
            raise NgsiError("BadRequestData", f"Invalid idPattern: {exc}") from exc
        qs = qs.filter(ngsi_id__regex=pattern)
    attrs = attrs_param(request)
    if attrs:
        any_attr = Q()
        for name in attrs:
            any_attr |= Q(state__values__has_key=name) | Q(attrs__has_key=name)
            if name == "location":
                any_attr |= Q(lat__isnull=False)
        qs = qs.filter(any_attr)
    if request.GET.get("q"):
        qs = qs.filter(q_filter(request.GET["q"], type_codes))
    geo = geo_filter(request)
    qs = qs.order_by("ngsi_id")
    if geo is not None:
        qs = qs.exclude(lat__isnull=True)
        box = getattr(geo, "bbox", None)
        if box is not None:
            qs = qs.filter(lat__gte=box[0], lat__lte=box[1], lon__gte=box[2], lon__lte=box[3])
        matched = [d for d in light_rows(qs, sys_attrs=sys_attrs) if geo(d)]
        total = len(matched)
        page = matched[offset : offset + limit]
    else:
        total = qs.count() if count == "true" else None
        page = light_rows(qs[offset : offset + limit], sys_attrs=sys_attrs) if limit else []
    return _listing_response(ctx, page, attrs, options, total if count == "true" else None)


def _listing_response(
    ctx: Ctx, page: list[Any], attrs: set[str] | None, options: set[str], total: int | None
) -> HttpResponse:
    headers = {} if total is None else {"NGSILD-Results-Count": str(total)}
    if ctx.accept == GEO_JSON:
        body: Any = {"type": "FeatureCollection", "features": [render(ctx, d, attrs, options) for d in page]}
    else:
        body = [render(ctx, d, attrs, options) for d in page]
    return respond(ctx, body, headers=headers)


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
                f'SELECT d.ngsi_id, d.type_id, d.name, d.lat, d.lon, d.attrs, s."values", s.observed FROM "{device}" d '  # noqa: S608
                f'LEFT JOIN "{state}" s ON s.device_id = d.id WHERE {condition} ORDER BY d.ngsi_id LIMIT %s OFFSET %s',
                [*params, limit, offset],
            )
            rows = cursor.fetchall()
            types = type_cache()["by_pk"]
            if any(row[1] not in types for row in rows):
                types = type_cache(refresh=True)["by_pk"]
            loads = json.loads
            for ngsi_id, type_id, name, lat, lon, attrs, values, observed in rows:
                page.append(
                    SimpleNamespace(
                        ngsi_id=ngsi_id,
                        type=types[type_id],
                        name=name,
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


_QUERY_KEYS = frozenset({"type", "entities", "attrs", "q", "geoQ", "@context", "lang", "scopeQ", "csf"})


def query_post(ctx: Ctx) -> HttpResponse:
    """Query Entities via POST (a ``Query`` body): the same query as GET /entities; the
    body's terms become the GET parameters, paging and options stay in the URL."""
    body = read_body(ctx.request)
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
