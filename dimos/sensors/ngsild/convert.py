"""Devices ⇄ NGSI-LD entities (normalized, keyValues, GeoJSON, temporal)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from django.utils import timezone

from dimos.sensors import schemas
from dimos.sensors.constants import FUTURE_TOLERANCE_SECONDS
from dimos.sensors.models import Device, DeviceState
from dimos.sensors.ngsild.errors import NgsiError

CORE_CONTEXT = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
LINK_REL = "http://www.w3.org/ns/json-ld#context"
URI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
RESERVED = {"id", "type", "@context", "createdAt", "modifiedAt", "scope"}


def compact(name: str) -> str:
    """Short name of a term: expanded URIs resolve to their last segment when known.

    The broker does not fetch remote contexts; it resolves names against the core
    context and the Smart Data Models terms it knows (see the standards sheet).
    """
    if ":" in name and ("/" in name or "#" in name):
        tail = re.split(r"[/#]", name.rstrip("/#"))[-1]
        return tail
    if name.startswith("ngsi-ld:"):
        return name.split(":", 1)[1]
    return name


def iso(t: datetime) -> str:
    return t.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _location(device: Device) -> dict[str, Any] | None:
    if device.lat is None or device.lon is None:
        return None
    return {"type": "Point", "coordinates": [device.lon, device.lat]}


def _state(device: Device) -> DeviceState | None:
    try:
        return device.state
    except DeviceState.DoesNotExist:
        return None


def entity(
    device: Device, *, key_values: bool = False, attrs: set[str] | None = None, sys_attrs: bool = False
) -> dict[str, Any]:
    code = device.type.code
    spec = schemas.TYPES.get(code)
    out: dict[str, Any] = {"id": device.ngsi_id, "type": code}
    if sys_attrs and not key_values:
        out["createdAt"] = iso(device.created_at)
        out["modifiedAt"] = iso(device.modified_at)

    def want(name: str) -> bool:
        return attrs is None or name in attrs

    location = _location(device)
    if location and want("location"):
        out["location"] = location if key_values else {"type": "GeoProperty", "value": location}
    for name, fragment in device.attrs.items():
        if not want(name) or not isinstance(fragment, dict):
            continue
        if key_values:
            out[name] = fragment.get("object", fragment.get("value"))
        else:
            out[name] = fragment
    registry_name = getattr(device, "name", "")
    if registry_name and "name" not in out and want("name"):
        # The registry's name is the entity's NGSI-LD ``name`` (an attribute every SDM model has).
        out["name"] = registry_name if key_values else {"type": "Property", "value": registry_name}
    state = _state(device)
    if state is not None:
        for name, value in state.values.items():
            if not want(name):
                continue
            if key_values:
                out[name] = value
                continue
            prop: dict[str, Any] = {"type": "Property", "value": value}
            stamp = state.observed.get(name)
            if stamp:
                prop["observedAt"] = iso(schemas.parse_time(stamp))
            unit = spec.attrs[name].unit if spec and name in spec.attrs else ""
            if unit:
                prop["unitCode"] = unit
            out[name] = prop
    return out


def feature(device: Device, *, key_values: bool = False, attrs: set[str] | None = None) -> dict[str, Any]:
    body = entity(device, key_values=key_values, attrs=attrs)
    body.pop("location", None)
    properties = {k: v for k, v in body.items() if k != "id"}
    return {"id": device.ngsi_id, "type": "Feature", "geometry": _location(device), "properties": properties}


# --- Parsing entities and fragments ---------------------------------------------------------


class Parsed:
    """An entity (or a fragment) split into the parts the registry stores."""

    def __init__(self) -> None:
        self.id = ""
        self.type = ""
        self.lat: float | None = None
        self.lon: float | None = None
        self.has_location = False
        self.static: dict[str, Any] = {}
        # observedAt (datetime or None for "now") → {attribute: value}
        self.measured: dict[datetime | None, dict[str, Any]] = {}

    @property
    def names(self) -> set[str]:
        names = set(self.static) | {n for group in self.measured.values() for n in group}
        if self.has_location:
            names.add("location")
        return names


NGSI_KINDS = {"Property", "Relationship", "GeoProperty", "LanguageProperty", "VocabProperty", "ListProperty"}
GEOJSON_TYPES = {"Point", "LineString", "Polygon", "MultiPoint", "MultiLineString", "MultiPolygon"}


def _is_geojson(value: Any) -> bool:
    return isinstance(value, dict) and value.get("type") in GEOJSON_TYPES and "coordinates" in value


def expand(raw: Any) -> dict[str, Any]:
    """One attribute in the normalized form, from the normalized or the concise representation
    (NGSI-LD 1.6+ clause 4.5.1: a plain value is a Property, ``{"object": …}`` a Relationship,
    a GeoJSON geometry a GeoProperty). Official Smart Data Models examples use both."""
    if isinstance(raw, dict):
        if raw.get("type") in NGSI_KINDS:
            return raw
        if "value" in raw and "type" not in raw:
            return {"type": "Property", **raw}
        if "object" in raw and "type" not in raw:
            return {"type": "Relationship", **raw}
        if _is_geojson(raw):
            return {"type": "GeoProperty", "value": raw}
    return {"type": "Property", "value": raw}


def from_key_values(body: Any) -> Any:
    """A keyValues (simplified) entity in the normalized form: every attribute a Property of that
    value, a GeoJSON geometry a GeoProperty (``options=keyValues`` on create/upsert)."""
    if not isinstance(body, dict):
        return body
    out: dict[str, Any] = {}
    for name, value in body.items():
        if name in RESERVED:
            out[name] = value
        elif _is_geojson(value):
            out[name] = {"type": "GeoProperty", "value": value}
        else:
            out[name] = {"type": "Property", "value": value}
    return out


def parse_fragment(type_code: str, body: dict[str, Any], parsed: Parsed | None = None) -> Parsed:
    parsed = parsed or Parsed()
    spec = schemas.TYPES[type_code]
    for raw_name, given in body.items():
        if raw_name in RESERVED:
            continue
        name = compact(raw_name)
        if not re.fullmatch(r"[A-Za-z0-9_]{1,60}", name):
            raise NgsiError("BadRequestData", f"Invalid attribute name '{raw_name}'.")
        if isinstance(given, list) and given and all(isinstance(i, dict) and "datasetId" in i for i in given):
            raise NgsiError("BadRequestData", f"Multi-attributes (datasetId) are not supported: '{name}'.")
        raw = expand(given)
        kind = raw["type"]
        if name == "location":
            if kind != "GeoProperty":
                raise NgsiError("BadRequestData", "'location' must be a GeoProperty.")
            value = raw.get("value")
            coords = value.get("coordinates") if isinstance(value, dict) else None
            if (
                not isinstance(value, dict)
                or value.get("type") != "Point"
                or not isinstance(coords, list)
                or len(coords) != 2
                or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords)
                or not (-180 <= coords[0] <= 180 and -90 <= coords[1] <= 90)
            ):
                raise NgsiError(
                    "BadRequestData", "'location' must be a GeoJSON Point [lon, lat] within range."
                )
            parsed.lon, parsed.lat = float(coords[0]), float(coords[1])
            parsed.has_location = True
            continue
        if kind == "Relationship":
            target = raw.get("object")
            if not isinstance(target, str) or not URI_RE.match(target):
                raise NgsiError("BadRequestData", f"Relationship '{name}' needs an 'object' URI.")
            parsed.static[name] = raw  # sub-attributes (observedAt, datasetId …) are kept
            continue
        if kind != "Property" and kind in NGSI_KINDS and name not in spec.attrs:
            parsed.static[name] = raw
            continue
        if kind != "Property" or "value" not in raw:
            raise NgsiError("BadRequestData", f"Attribute '{name}' must have type Property and a value.")
        value = raw["value"]
        attr = spec.attrs.get(name)
        unit = raw.get("unitCode")
        if attr is not None:
            try:
                if unit is not None:
                    value = schemas.unit_convert(type_code, name, value, unit)
                value = schemas.check_value(type_code, name, value)
            except schemas.AttrError as exc:
                raise NgsiError("BadRequestData", str(exc)) from exc
        if attr is not None and attr.measured:
            observed = None
            if "observedAt" in raw:
                observed = schemas.parse_time(raw["observedAt"])
                if observed is None:
                    raise NgsiError(
                        "BadRequestData", f"'{name}'.observedAt must be an ISO 8601 date-time with offset."
                    )
                if observed > timezone.now() + timedelta(seconds=FUTURE_TOLERANCE_SECONDS):
                    raise NgsiError("BadRequestData", f"'{name}'.observedAt is in the future.")
            parsed.measured.setdefault(observed, {})[name] = value
        else:
            parsed.static[name] = {**raw, "value": value}
    return parsed


def parse_entity(body: Any) -> Parsed:
    if not isinstance(body, dict):
        raise NgsiError("BadRequestData", "An entity must be a JSON object.")
    entity_id, entity_type = body.get("id"), body.get("type")
    if not isinstance(entity_id, str) or not URI_RE.match(entity_id) or len(entity_id) > 200:
        raise NgsiError("BadRequestData", "The entity 'id' must be a URI (e.g. urn:ngsi-ld:ParkingSpot:001).")
    if not isinstance(entity_type, str) or not entity_type:
        raise NgsiError("BadRequestData", "The entity needs a 'type'.")
    type_code = compact(entity_type)
    if type_code not in schemas.TYPES:
        raise NgsiError(
            "BadRequestData",
            f"Unknown entity type '{entity_type}'. Supported: {', '.join(sorted(schemas.TYPES))}.",
        )
    parsed = parse_fragment(type_code, body)
    parsed.id, parsed.type = entity_id, type_code
    return parsed
