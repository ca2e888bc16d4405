"""Topics and payloads → readings: the generic ``dimos/<municipality>/<device>/up`` topic
and TTN v3 uplinks (a VendorMapping per TTN application). Anything unusable is ``Poison``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from dimos.core.badinput import JsonTooDeep, json_loads
from dimos.core.models import Municipality
from dimos.sensors import services
from dimos.sensors.constants import Source
from dimos.sensors.models import Device, VendorMapping


def _loads(payload: bytes) -> Any:
    """JSON with the depth limit. A text cannot nest deeper than it has opening brackets,
    so the usual small reading is checked by two C-level counts, not by a scan in Python."""
    if payload.count(b"[") + payload.count(b"{") <= settings.JSON_MAX_DEPTH:
        return json.loads(payload)
    return json_loads(payload)


class Poison(ValueError):
    """A message that can never be stored; it is logged and skipped."""


@dataclass
class Parsed:
    municipality: Municipality
    reading: services.ReadingIn
    source: str


def ttn_values(mapping: dict[str, Any], decoded: dict[str, Any]) -> dict[str, Any]:
    """Map a TTN decoded_payload to attributes (``{"key": "attr"}`` or with a scale)."""
    values: dict[str, Any] = {}
    for key, target in mapping.items():
        if key not in decoded:
            continue
        value = decoded[key]
        if isinstance(target, dict):
            name = target.get("attr", key)
            scale = target.get("scale")
            if scale is not None and isinstance(value, int | float) and not isinstance(value, bool):
                value = round(value * scale, 6)
        else:
            name = target
        values[name] = value
    return values


class Resolver:
    """Topic → municipality / device / mapping lookups, cached per consumer."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.municipalities: dict[str, Municipality | None] = {}
        self.mappings: dict[str, list[VendorMapping]] = {}
        self.ttn_devices: dict[tuple[int, str], Device | None] = {}

    def municipality(self, slug: str) -> Municipality:
        if slug not in self.municipalities:
            self.municipalities[slug] = Municipality.objects.filter(slug=slug, is_active=True).first()
        found = self.municipalities[slug]
        if found is None:
            raise Poison(f"unknown municipality {slug!r}")
        return found

    def parse(self, topic: str, payload: bytes) -> list[Parsed]:
        if self.prefix:
            if not topic.startswith(self.prefix):
                raise Poison(f"unsupported topic {topic!r}")
            topic = topic[len(self.prefix) :]
        parts = topic.split("/")
        try:
            body = _loads(payload)
        except JsonTooDeep as exc:
            raise Poison("payload nests too deeply") from exc
        except ValueError as exc:
            raise Poison("payload is not JSON") from exc
        if len(parts) == 4 and parts[0] == "dimos" and parts[3] == "up":
            municipality = self.municipality(parts[1])
            items = body if isinstance(body, list) else [body]
            out = []
            for item in items:
                if not isinstance(item, dict):
                    raise Poison("each reading must be a JSON object")
                out.append(
                    Parsed(
                        municipality,
                        services.ReadingIn(
                            device=parts[2], observed_at=item.get("observedAt"), values=item.get("values")
                        ),
                        Source.MQTT,
                    )
                )
            return out
        if len(parts) == 5 and parts[0] == "v3" and parts[2] == "devices" and parts[4] == "up":
            return [self.parse_ttn(parts[1], parts[3], body)]
        raise Poison(f"unsupported topic {topic!r}")

    def parse_ttn(self, app_tenant: str, device_id: str, body: Any) -> Parsed:
        if not isinstance(body, dict):
            raise Poison("TTN uplink must be an object")
        ids = body.get("end_device_ids") or {}
        app_id = (ids.get("application_ids") or {}).get("application_id") or app_tenant.split("@")[0]
        uplink = body.get("uplink_message") or {}
        decoded = uplink.get("decoded_payload")
        if not isinstance(decoded, dict):
            raise Poison("TTN uplink without decoded_payload")
        if app_id not in self.mappings:
            self.mappings[app_id] = list(
                VendorMapping.objects.select_related("municipality", "type").filter(application_id=app_id)
            )
        mappings = self.mappings[app_id]
        if not mappings:
            raise Poison(f"no vendor mapping for TTN application {app_id!r}")
        dev_eui = str(ids.get("dev_eui") or "").upper()
        for mapping in mappings:
            key = (mapping.municipality_id, dev_eui or device_id)
            if key not in self.ttn_devices:
                qs = Device.objects.select_related("type").filter(municipality_id=mapping.municipality_id)
                self.ttn_devices[key] = (
                    qs.filter(dev_eui=dev_eui).first()
                    if dev_eui
                    else qs.filter(ttn_device_id=device_id).first()
                )
            device = self.ttn_devices[key]
            if device is not None:
                received = uplink.get("received_at") or body.get("received_at")
                return Parsed(
                    mapping.municipality,
                    services.ReadingIn(
                        device=device,
                        observed_at=received,
                        values=ttn_values(mapping.mapping, decoded),
                        key=(dev_eui, uplink.get("f_cnt"), received),
                    ),
                    Source.TTN,
                )
        raise Poison(f"unknown TTN device {device_id!r}")
