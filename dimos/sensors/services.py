"""Every write of the sensor platform.

The heart is ``readings_ingest``: the ONE pipeline behind all three doors (HTTP
batch, NGSI-LD, MQTT/TTN). It validates every item against its type, stores the
valid readings in bulk (idempotent on device + observed time), merges them into
the latest state with one upsert, and hands the new states to the rules. An item
is stored whole or not at all; invalid items never block valid ones.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone

from dimos.core.exceptions import NotFound, TransitionNotAllowed, ValidationFailed
from dimos.core.geo import geometry, municipality_contains, unit_at, valid_lat_lon
from dimos.core.models import Municipality, MunicipalUnit
from dimos.core.services import audit_record
from dimos.core.tasks import task_enqueue
from dimos.sensors import schemas
from dimos.sensors.constants import (
    ALARM_TRANSITIONS,
    FUTURE_TOLERANCE_SECONDS,
    AlarmStatus,
    Direction,
    RuleKind,
    Source,
)
from dimos.sensors.models import (
    Alarm,
    AlarmEvent,
    Credential,
    Device,
    DeviceState,
    DeviceType,
    ListingVersion,
    Reading,
    Rollup,
    Rule,
    VendorMapping,
)

log = logging.getLogger("dimos.sensors")

# --- Device types -----------------------------------------------------------------


def device_types_sync() -> dict[str, DeviceType]:
    """Create or refresh the DeviceType rows from ``schemas.TYPES`` (idempotent)."""
    result = {}
    for code, spec in schemas.TYPES.items():
        schema = {
            name: {
                "kind": a.kind,
                "unit": a.unit,
                "min": a.min,
                "max": a.max,
                "values": list(a.values),
                "measured": a.measured,
            }
            for name, a in spec.attrs.items()
        }
        result[code], _ = DeviceType.objects.update_or_create(
            code=code,
            defaults={
                "name_el": spec.name_el,
                "name_en": spec.name_en,
                "is_public": spec.public,
                "schema": schema,
                "offline_after_minutes": spec.offline_after_minutes,
            },
        )
    return result


_TYPES_CACHE: dict[str, Any] = {"at": 0.0, "by_pk": {}}


def device_types_by_pk(*, refresh: bool = False) -> dict[int, DeviceType]:
    """Device types by id, cached for a minute (a handful of rows that change with deployments)."""
    import time

    if refresh or time.monotonic() - _TYPES_CACHE["at"] > 60 or not _TYPES_CACHE["by_pk"]:
        _TYPES_CACHE["by_pk"] = {t.pk: t for t in DeviceType.objects.defer("schema")}
        _TYPES_CACHE["at"] = time.monotonic()
    return _TYPES_CACHE["by_pk"]


def device_types_cache_clear(**_: Any) -> None:
    """Signal receiver: a device type was saved or deleted."""
    _TYPES_CACHE["at"] = 0.0
    _TYPES_CACHE["by_pk"] = {}


def device_type_get(code: str) -> DeviceType:
    if code not in schemas.TYPES:
        raise ValidationFailed(f"Άγνωστος τύπος συσκευής «{code}».", field="type")
    found = DeviceType.objects.filter(code=code).first()
    return found or device_types_sync()[code]


# --- Devices -------------------------------------------------------------------------


class UnitLocator:
    """Municipal unit of many points with one query (``unit_at`` for a batch)."""

    def __init__(self, municipality: Municipality) -> None:
        from shapely import prepared

        self.units = [
            (unit, prepared.prep(geometry(unit.boundary)))
            for unit in MunicipalUnit.objects.filter(municipality=municipality)
        ]

    def __call__(self, lat: float | None, lon: float | None) -> MunicipalUnit | None:
        from shapely.geometry import Point

        if lat is None or lon is None or not valid_lat_lon(lat, lon):
            return None
        point = Point(lon, lat)
        return next((unit for unit, geom in self.units if geom.covers(point)), None)


def ngsi_id_for(type_code: str, code: str) -> str:
    return f"urn:ngsi-ld:{type_code}:{code}"


def code_from_ngsi_id(ngsi_id: str) -> str:
    import re

    tail = ngsi_id.rsplit(":", 1)[-1]
    return re.sub(r"[^A-Za-z0-9_-]+", "-", tail)[:100] or secrets.token_hex(4)


def device_validate_static(type_code: str, attrs: dict[str, Any]) -> dict[str, Any]:
    """Static attributes as NGSI-LD fragments; values of schema attributes are checked.

    Plain values become ``{"type": "Property", "value": …}``; a string starting with
    ``urn:`` for a ``ref…`` attribute becomes a Relationship.
    """
    clean: dict[str, Any] = {}
    for name, raw in attrs.items():
        if isinstance(raw, dict) and raw.get("type") in ("Property", "Relationship", "GeoProperty"):
            fragment = dict(raw)
        elif name.startswith("ref") and isinstance(raw, str) and raw.startswith("urn:"):
            fragment = {"type": "Relationship", "object": raw}
        else:
            fragment = {"type": "Property", "value": raw}
        if fragment["type"] == "Property" and name in schemas.TYPES[type_code].attrs:
            try:
                fragment["value"] = schemas.check_value(type_code, name, fragment.get("value"))
            except schemas.AttrError as exc:
                raise ValidationFailed(str(exc), field=name) from exc
        clean[name] = fragment
    return clean


@transaction.atomic
def device_create(
    *,
    municipality: Municipality,
    type_code: str,
    code: str = "",
    ngsi_id: str = "",
    name: str = "",
    group: str = "",
    lat: float | None = None,
    lon: float | None = None,
    department: Any = None,
    vendor: str = "",
    ttn_device_id: str = "",
    dev_eui: str = "",
    attrs: dict[str, Any] | None = None,
    actor: Any = None,
) -> Device:
    device_type = device_type_get(type_code)
    if not code and not ngsi_id:
        raise ValidationFailed("Δώστε κωδικό ή αναγνωριστικό NGSI-LD.", field="code")
    code = code or code_from_ngsi_id(ngsi_id)
    ngsi_id = ngsi_id or ngsi_id_for(type_code, code)
    if (lat is None) != (lon is None) or (lat is not None and not valid_lat_lon(lat, lon)):
        raise ValidationFailed("Μη έγκυρη θέση συσκευής.", field="lat")
    dev_eui = dev_eui.upper()
    if dev_eui and (len(dev_eui) != 16 or any(c not in "0123456789ABCDEF" for c in dev_eui)):
        raise ValidationFailed("Το DevEUI είναι 16 δεκαεξαδικά ψηφία.", field="dev_eui")
    if Device.objects.filter(municipality=municipality).filter(Q(ngsi_id=ngsi_id) | Q(code=code)).exists():
        raise ValidationFailed(
            "Υπάρχει ήδη συσκευή με αυτό το αναγνωριστικό.", field="code", code="already_exists"
        )
    device = Device.objects.create(
        municipality=municipality,
        type=device_type,
        ngsi_id=ngsi_id,
        code=code,
        name=name,
        group=group,
        lat=lat,
        lon=lon,
        unit=unit_at(municipality, lat, lon) if lat is not None else None,
        department=department,
        vendor=vendor,
        ttn_device_id=ttn_device_id,
        dev_eui=dev_eui,
        attrs=device_validate_static(type_code, attrs or {}),
    )
    audit_record(action="sensors.device_created", actor=actor, obj=device, new={"ngsi_id": ngsi_id})
    return device


NGSI_ID_RE = re.compile(r"^urn:ngsi-ld:([A-Za-z][A-Za-z0-9_]*):([A-Za-z0-9][A-Za-z0-9_.:~-]*)$")
TTN_ID_RE = re.compile(r"^[a-z0-9](?:-?[a-z0-9]){2,35}$")


def dev_eui_normalize(raw: str) -> str:
    """``70-b3-d5-7e-d0-00-00-42`` → ``70B3D57ED0000042``; raises ValidationFailed if not 16 hex digits."""
    value = re.sub(r"[\s:-]", "", raw or "").upper()
    if value and not re.fullmatch(r"[0-9A-F]{16}", value):
        raise ValidationFailed(
            "Το DevEUI είναι 16 δεκαεξαδικά ψηφία (0-9, A-F), π.χ. 70B3D57ED0000042· "
            "παύλες, άνω-κάτω τελείες και κενά αγνοούνται.",
            field="dev_eui",
        )
    return value


@transaction.atomic
def device_register(
    *,
    municipality: Municipality,
    actor: Any,
    device_id: int | None = None,
    type_code: str,
    ngsi_id: str,
    name: str = "",
    lat: float | None = None,
    lon: float | None = None,
    department: Any = None,
    ttn_device_id: str = "",
    dev_eui: str = "",
    mapping: VendorMapping | None = None,
) -> Device:
    """Create (``device_id`` None) or edit a device from the operator's registry.

    Every bad input raises ValidationFailed with the field at fault; nothing is written then.
    The municipal unit is computed from the point."""
    device = None
    if device_id is not None:
        device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
        if device is None:
            raise NotFound("Η συσκευή δεν βρέθηκε.")
    if type_code not in schemas.TYPES:
        raise ValidationFailed("Επιλέξτε έναν από τους διαθέσιμους τύπους συσκευών.", field="type")
    device_type = device_type_get(type_code)
    ngsi_id = (ngsi_id or "").strip()
    match = NGSI_ID_RE.match(ngsi_id)
    if match is None or match.group(1) != type_code:
        raise ValidationFailed(
            f"Το αναγνωριστικό NGSI-LD έχει τη μορφή urn:ngsi-ld:{type_code}:<κωδικός> "
            "(λατινικά γράμματα, ψηφία, - _ . :), π.χ. "
            f"urn:ngsi-ld:{type_code}:serres-001.",
            field="ngsi_id",
        )
    others = Device.objects.filter(municipality=municipality)
    if device is not None:
        others = others.exclude(pk=device.pk)
        if device.type_id != device_type.pk and Reading.objects.filter(device=device).exists():
            raise ValidationFailed(
                "Ο τύπος δεν αλλάζει σε συσκευή που έχει ήδη μετρήσεις· καταχωρίστε νέα συσκευή.",
                field="type",
            )
    if others.filter(ngsi_id=ngsi_id).exists():
        raise ValidationFailed(
            "Υπάρχει ήδη συσκευή του δήμου με αυτό το αναγνωριστικό NGSI-LD· δώστε άλλο.", field="ngsi_id"
        )
    if (lat is None) != (lon is None):
        raise ValidationFailed("Δώστε και γεωγραφικό πλάτος και μήκος, ή κανένα από τα δύο.", field="lat")
    if lat is not None and not valid_lat_lon(lat, lon):
        raise ValidationFailed(
            "Το πλάτος είναι από -90 έως 90 και το μήκος από -180 έως 180 μοίρες.", field="lat"
        )
    if lat is not None and not municipality_contains(municipality, lat, lon):
        raise ValidationFailed(
            f"Το σημείο ({lat:.5f}, {lon:.5f}) είναι έξω από τα όρια του δήμου· η συσκευή δεν "
            "αποθηκεύτηκε. Διορθώστε τις συντεταγμένες (πλάτος, μήκος σε δεκαδικές μοίρες WGS84).",
            field="lat",
        )
    if department is not None and department.municipality_id != municipality.pk:
        raise ValidationFailed("Η υπηρεσία δεν ανήκει στον δήμο.", field="department")
    ttn_device_id = (ttn_device_id or "").strip()
    if ttn_device_id and not TTN_ID_RE.match(ttn_device_id):
        raise ValidationFailed(
            "Το TTN device id έχει 3-36 πεζά λατινικά γράμματα, ψηφία και μονές παύλες, π.χ. bin-0042.",
            field="ttn_device_id",
        )
    if ttn_device_id and others.filter(ttn_device_id=ttn_device_id).exists():
        raise ValidationFailed(
            "Άλλη συσκευή του δήμου έχει ήδη αυτό το TTN device id.", field="ttn_device_id"
        )
    dev_eui = dev_eui_normalize(dev_eui)
    if dev_eui and others.filter(dev_eui=dev_eui).exists():
        raise ValidationFailed("Άλλη συσκευή του δήμου έχει ήδη αυτό το DevEUI.", field="dev_eui")
    if mapping is not None:
        if mapping.municipality_id != municipality.pk:
            raise ValidationFailed("Η αντιστοίχιση προμηθευτή δεν βρέθηκε.", field="mapping")
        if mapping.type_id != device_type.pk:
            raise ValidationFailed(
                f"Η αντιστοίχιση «{mapping.application_id}» αφορά άλλον τύπο συσκευής ({mapping.type.code}).",
                field="mapping",
            )
    fields = {
        "type": device_type,
        "ngsi_id": ngsi_id,
        "name": (name or "").strip()[:200],
        "lat": lat,
        "lon": lon,
        "unit": unit_at(municipality, lat, lon) if lat is not None else None,
        "department": department,
        "ttn_device_id": ttn_device_id,
        "dev_eui": dev_eui,
        "vendor": (mapping.vendor or mapping.application_id)[:100] if mapping else "",
    }
    if device is None:
        code = code_from_ngsi_id(ngsi_id)
        if Device.objects.filter(municipality=municipality, code=code).exists():
            code = f"{code[:90]}-{secrets.token_hex(4)}"
        device = Device.objects.create(municipality=municipality, code=code, **fields)
        audit_record(action="sensors.device_created", actor=actor, obj=device, new=_audit_view(device))
        return device
    old = _audit_view(device)
    for key, value in fields.items():
        setattr(device, key, value)
    device.modified_at = timezone.now()
    device.save()
    audit_record(action="sensors.device_updated", actor=actor, obj=device, old=old, new=_audit_view(device))
    return device


def _audit_view(device: Device) -> dict[str, Any]:
    return {
        "type": device.type.code,
        "ngsi_id": device.ngsi_id,
        "name": device.name,
        "lat": device.lat,
        "lon": device.lon,
        "unit": device.unit_id,
        "department": device.department_id,
        "ttn_device_id": device.ttn_device_id,
        "dev_eui": device.dev_eui,
        "vendor": device.vendor,
        "is_active": device.is_active,
    }


@transaction.atomic
def device_set_active(*, municipality: Municipality, device_id: int, active: bool, actor: Any) -> Device:
    """Deactivate (keeps the history, refuses new readings) or reactivate a device."""
    device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
    if device is None:
        raise NotFound("Η συσκευή δεν βρέθηκε.")
    if device.is_active != active:
        device.is_active = active
        device.modified_at = timezone.now()
        device.save(update_fields=["is_active", "modified_at"])
        audit_record(
            action="sensors.device_reactivated" if active else "sensors.device_deactivated",
            actor=actor,
            obj=device,
            old={"is_active": not active},
            new={"is_active": active},
        )
    return device


@transaction.atomic
def device_delete(*, municipality: Municipality, device_id: int, actor: Any) -> None:
    """Delete a device registered by mistake; one with readings is refused (deactivate it instead)."""
    device = Device.objects.select_for_update().filter(municipality=municipality, pk=device_id).first()
    if device is None:
        raise NotFound("Η συσκευή δεν βρέθηκε.")
    if Reading.objects.filter(device=device).exists() or DeviceState.objects.filter(device=device).exists():
        raise ValidationFailed(
            "Η συσκευή έχει μετρήσεις και δεν διαγράφεται· απενεργοποιήστε την για να κρατηθεί το ιστορικό."
        )
    audit_record(action="sensors.device_deleted", actor=actor, obj=device, old=_audit_view(device))
    device.delete()


def device_online(device: Device) -> bool:
    state = getattr(device, "state", None) if _state_loaded(device) else None
    return bool(state and state.is_online(device.type.offline_after_minutes))


def _state_loaded(device: Device) -> bool:
    try:
        device.state  # noqa: B018
    except DeviceState.DoesNotExist:
        return False
    return True


# --- Credentials -----------------------------------------------------------------------

TOKEN_PREFIX = "dms"  # noqa: S105 (a public prefix, not a secret)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def credential_create(
    *,
    municipality: Municipality,
    name: str,
    vendor: str = "",
    device: Device | None = None,
    actor: Any = None,
) -> tuple[Credential, str]:
    """Create a credential; the plain token is returned ONCE and never stored."""
    if not name.strip():
        raise ValidationFailed("Δώστε ονομασία στο διαπιστευτήριο.", field="name")
    if device is not None and device.municipality_id != municipality.pk:
        raise NotFound("Η συσκευή δεν βρέθηκε.")
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    credential = Credential.objects.create(
        municipality=municipality,
        name=name.strip()[:120],
        vendor=vendor.strip()[:100],
        device=device,
        prefix=prefix,
        key_hash=_hash(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="sensors.credential_created", actor=actor, obj=credential, new={"prefix": prefix})
    return credential, token


@transaction.atomic
def credential_revoke(*, municipality: Municipality, credential_id: int, actor: Any = None) -> Credential:
    credential = (
        Credential.objects.select_for_update().filter(municipality=municipality, pk=credential_id).first()
    )
    if credential is None:
        raise NotFound("Το διαπιστευτήριο δεν βρέθηκε.")
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(action="sensors.credential_revoked", actor=actor, obj=credential)
    return credential


def credential_check(token: str, municipality: Municipality | None = None) -> Credential | None:
    """The active credential for ``token`` (of ``municipality`` if given), else None."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    credential = Credential.objects.select_related("municipality").filter(prefix=parts[1]).first()
    if credential is None or not hmac.compare_digest(credential.key_hash, _hash(token)):
        return None
    if credential.revoked_at is not None:
        return None
    if municipality is not None and credential.municipality_id != municipality.pk:
        return None
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > timedelta(minutes=1):
        Credential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential


# --- The ingestion pipeline ------------------------------------------------------------


@dataclass
class ReadingIn:
    """One reading as a door received it. ``device`` is a Device or a reference
    (NGSI-LD id or short code); ``observed_at`` a datetime or an ISO string."""

    device: Any
    observed_at: Any
    values: dict[str, Any]
    key: Any = None  # extra de-duplication key (TTN: dev_eui, f_cnt, received_at)


@dataclass
class ItemResult:
    index: int
    status: str  # created | duplicate | error
    device: str = ""
    observed_at: str = ""
    error: str = ""
    field: str = ""


@dataclass
class IngestOutcome:
    results: list[ItemResult] = field(default_factory=list)

    @property
    def created(self) -> int:
        return sum(1 for r in self.results if r.status == "created")

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.results if r.status == "duplicate")

    @property
    def errors(self) -> int:
        return sum(1 for r in self.results if r.status == "error")


_DEVICE_FIELDS = ["id", "municipality_id", "type_id", "ngsi_id", "code", "is_active"]


def _devices_pg(municipality: Municipality, field: str, values: set[str]) -> list[Device]:
    """PostgreSQL: the references travel as ONE JSON parameter (the client-side cursor
    would split and quote a placeholder per item of a 1000-item IN list) and are joined
    to the devices, a hash join or index probes whatever the table statistics say
    (``= ANY(ARRAY(subquery))`` degrades to a filter over the whole municipality)."""
    table = Device._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT d.id, d.municipality_id, d.type_id, d.ngsi_id, d.code, d.is_active FROM "{table}" d '  # noqa: S608 (constants only)
            f"JOIN jsonb_array_elements_text(%s::jsonb) AS r(ref) ON d.{field} = r.ref "
            "WHERE d.municipality_id = %s",
            [json.dumps(list(values)), municipality.pk],
        )
        rows = cursor.fetchall()
    return [Device.from_db(connection.alias, _DEVICE_FIELDS, row) for row in rows]


def _resolve_devices(municipality: Municipality, refs: set[str]) -> dict[str, Device]:
    if not refs:
        return {}
    found: dict[str, Device] = {}
    types = device_types_by_pk()
    urns = {r for r in refs if ":" in r}
    codes = refs - urns
    if connection.vendor == "postgresql":
        parts: list[Any] = [
            _devices_pg(municipality, "ngsi_id", urns) if urns else (),
            _devices_pg(municipality, "code", codes) if codes else (),
        ]
    else:
        qs = Device.objects.filter(municipality=municipality).only(*_DEVICE_FIELDS).order_by()
        parts = [
            qs.filter(ngsi_id__in=urns) if urns else (),
            qs.filter(code__in=codes) if codes else (),
        ]
    for part in parts:
        for device in part:
            if device.type_id not in types:
                types = device_types_by_pk(refresh=True)
            device._state.fields_cache["type"] = types[device.type_id]  # shared, no query per device
            found[device.ngsi_id] = device
            found[device.code] = device
    return found


def readings_ingest(
    *,
    municipality: Municipality,
    items: list[ReadingIn],
    source: str,
    credential: Credential | None = None,
    now: datetime | None = None,
) -> IngestOutcome:
    """Validate, store (bulk, idempotent), update latest state, evaluate rules."""
    now = now or timezone.now()
    outcome = IngestOutcome()
    refs = {i.device for i in items if isinstance(i.device, str)}
    devices = _resolve_devices(municipality, refs)
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]] = []
    seen: set[tuple[int, datetime]] = set()
    seen_keys: set[Any] = set()
    horizon = now + timedelta(seconds=FUTURE_TOLERANCE_SECONDS)
    for index, item in enumerate(items):
        result = ItemResult(index=index, status="error")
        outcome.results.append(result)
        device = item.device if isinstance(item.device, Device) else devices.get(item.device)
        result.device = device.ngsi_id if device else str(item.device or "")[:200]
        if device is None or device.municipality_id != municipality.pk:
            result.error, result.field = "Άγνωστη συσκευή.", "device"
            continue
        if not device.is_active:
            result.error, result.field = "Η συσκευή είναι απενεργοποιημένη· δεν δέχεται μετρήσεις.", "device"
            continue
        if credential is not None and credential.device_id and credential.device_id != device.pk:
            result.error, result.field = "Το διαπιστευτήριο δεν αφορά αυτή τη συσκευή.", "device"
            continue
        observed = (
            item.observed_at
            if isinstance(item.observed_at, datetime)
            else schemas.parse_time(item.observed_at)
        )
        if observed is None:
            result.error, result.field = "Μη έγκυρη ώρα μέτρησης (ISO 8601 με ζώνη ώρας).", "observedAt"
            continue
        result.observed_at = observed.isoformat()
        if observed > horizon:
            result.error, result.field = "Η ώρα μέτρησης είναι στο μέλλον.", "observedAt"
            continue
        if not isinstance(item.values, dict) or not item.values:
            result.error, result.field = "Η μέτρηση δεν έχει τιμές.", "values"
            continue
        clean: dict[str, Any] = {}
        try:
            for name, value in item.values.items():
                clean[name] = schemas.check_value(device.type.code, name, value, measured_only=True)
        except schemas.AttrError as exc:
            result.error, result.field = str(exc), "values"
            continue
        pair = (device.pk, observed)
        if pair in seen or (item.key is not None and item.key in seen_keys):
            result.status = "duplicate"
            continue
        seen.add(pair)
        if item.key is not None:
            seen_keys.add(item.key)
        result.status = "created"
        accepted.append((index, device, observed, clean))
    if not accepted:
        return outcome
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # The insert itself tells which readings are new (ON CONFLICT DO NOTHING
            # RETURNING): a reading already stored, by an earlier or a concurrent
            # batch, is a duplicate.
            stored = _insert_readings_pg(municipality, accepted, now, source)
            fresh = []
            for index, device, observed, clean in accepted:
                if (device.pk, observed) in stored:
                    fresh.append((device, observed, clean))
                else:
                    outcome.results[index].status = "duplicate"
        else:
            existing = set(
                Reading.objects.filter(
                    municipality=municipality,
                    device_id__in={d.pk for _, d, _, _ in accepted},
                    observed_at__in={t for _, _, t, _ in accepted},
                ).values_list("device_id", "observed_at")
            )
            fresh = []
            for index, device, observed, clean in accepted:
                if (device.pk, observed) in existing:
                    outcome.results[index].status = "duplicate"
                else:
                    fresh.append((device, observed, clean))
            _insert_readings(municipality, fresh, now, source)
        if fresh:
            states = _states_merge(municipality, fresh, now)
            rules_evaluate(municipality=municipality, states=states, now=now)
            ListingVersion.bump(municipality.pk)  # last, so the row lock is held briefly
    return outcome


# Rows per multi-row statement (6 parameters each; well under both backends' limits).
_CHUNK = 1000


@dataclass
class LatestState:
    """A device's latest state while a batch is merged (no model instance per device)."""

    device_id: int
    observed_at: datetime
    received_at: datetime
    values: dict[str, Any]
    observed: dict[str, str]


def _insert_readings_pg(
    municipality: Municipality,
    accepted: list[tuple[int, Device, datetime, dict[str, Any]]],
    now: datetime,
    source: str,
) -> set[tuple[int, datetime]]:
    """PostgreSQL: every reading in ONE statement whose rows travel as one JSON document
    (json.dumps in C, one literal to quote; no per-element array escaping in Python).
    Returns the (device, observed time) pairs actually inserted."""
    table = Reading._meta.db_table
    doc = json.dumps([{"d": d.pk, "t": t.isoformat(), "v": v} for _, d, t, v in accepted])
    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{table}" (municipality_id, device_id, observed_at, received_at, "values", source) '  # noqa: S608 (constants only)
            "SELECT %s, r.d, r.t, %s, r.v, %s FROM jsonb_to_recordset(%s::jsonb) AS r(d bigint, t timestamptz, v jsonb) "
            "ON CONFLICT (municipality_id, device_id, observed_at) DO NOTHING RETURNING device_id, observed_at",
            [municipality.pk, now, source, doc],
        )
        return set(cursor.fetchall())


def _insert_readings(
    municipality: Municipality,
    fresh: list[tuple[Device, datetime, dict[str, Any]]],
    now: datetime,
    source: str,
) -> None:
    """SQLite: one multi-row INSERT per 1000 readings; a concurrent door's copy is ignored (ON CONFLICT)."""
    table = Reading._meta.db_table
    ops = connection.ops
    values_field = Reading._meta.get_field("values")
    received = ops.adapt_datetimefield_value(now)
    for start in range(0, len(fresh), _CHUNK):
        chunk = fresh[start : start + _CHUNK]
        params: list[Any] = []
        for device, observed, clean in chunk:
            params += [
                municipality.pk,
                device.pk,
                ops.adapt_datetimefield_value(observed),
                received,
                values_field.get_db_prep_value(clean, connection),
                source,
            ]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (municipality_id, device_id, observed_at, received_at, "values", source) '  # noqa: S608 (constants only)
                f"VALUES {rows} ON CONFLICT (municipality_id, device_id, observed_at) DO NOTHING",
                params,
            )


def _states_merge(
    municipality: Municipality, fresh: list[tuple[Device, datetime, dict[str, Any]]], now: datetime
) -> list[tuple[Device, LatestState]]:
    """Merge new readings into the latest state (per attribute, the newest wins); one upsert."""
    by_device: dict[int, Device] = {}
    for device, _, _ in fresh:
        by_device[device.pk] = device
    table = DeviceState._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                f'SELECT device_id, observed_at, "values", observed FROM "{table}" '  # noqa: S608 (constants only)
                "WHERE device_id = ANY(%s::bigint[])",
                ["{" + ",".join(str(int(pk)) for pk in by_device) + "}"],
            )
            # received_at is not read: every state of the batch gets ``now``.
            found = [
                (pk, obs, now, json.loads(values), json.loads(observed))
                for pk, obs, values, observed in cursor.fetchall()
            ]
    else:
        found = list(
            DeviceState.objects.filter(device_id__in=by_device).values_list(
                "device_id", "observed_at", "received_at", "values", "observed"
            )
        )
    current: dict[int, LatestState] = {
        pk: LatestState(
            device_id=pk, observed_at=obs, received_at=rec, values=values, observed=observed or {}
        )
        for pk, obs, rec, values, observed in found
    }
    for device, observed, clean in sorted(fresh, key=lambda r: r[1]):
        state = current.get(device.pk)
        if state is None:
            state = current[device.pk] = LatestState(
                device_id=device.pk, observed_at=observed, received_at=now, values={}, observed={}
            )
        stamp = observed.isoformat()
        for name, value in clean.items():
            previous = state.observed.get(name)
            if previous is None or schemas.parse_time(previous) <= observed:
                state.values[name] = value
                state.observed[name] = stamp
        state.observed_at = max(state.observed_at, observed)
        state.received_at = now
    states = list(current.values())
    if connection.vendor == "postgresql":
        doc = json.dumps(
            [
                {"d": st.device_id, "o": st.observed_at.isoformat(), "v": st.values, "ob": st.observed}
                for st in states
            ]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (device_id, municipality_id, observed_at, received_at, "values", observed) '  # noqa: S608
                "SELECT s.d, %s, s.o, %s, s.v, s.ob FROM jsonb_to_recordset(%s::jsonb) "
                "AS s(d bigint, o timestamptz, v jsonb, ob jsonb) "
                "ON CONFLICT (device_id) DO UPDATE SET observed_at = excluded.observed_at, "
                'received_at = excluded.received_at, "values" = excluded."values", observed = excluded.observed',
                [municipality.pk, now, doc],
            )
        return [(by_device[pk], state) for pk, state in current.items()]
    ops = connection.ops
    json_field = DeviceState._meta.get_field("values")
    for start in range(0, len(states), _CHUNK):
        chunk = states[start : start + _CHUNK]
        params: list[Any] = []
        for st in chunk:
            params += [
                st.device_id,
                municipality.pk,
                ops.adapt_datetimefield_value(st.observed_at),
                ops.adapt_datetimefield_value(st.received_at),
                json_field.get_db_prep_value(st.values, connection),
                json_field.get_db_prep_value(st.observed, connection),
            ]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{table}" (device_id, municipality_id, observed_at, received_at, "values", observed) '  # noqa: S608
                f"VALUES {rows} ON CONFLICT (device_id) DO UPDATE SET observed_at = excluded.observed_at, "
                'received_at = excluded.received_at, "values" = excluded."values", observed = excluded.observed',
                params,
            )
    return [(by_device[pk], state) for pk, state in current.items()]


def device_state_reset_attrs(*, device: Device, names: list[str]) -> None:
    """Remove attributes from a device's latest state (NGSI-LD attribute replace)."""
    state = DeviceState.objects.filter(device=device).first()
    if state is None:
        return
    for name in names:
        state.values.pop(name, None)
        state.observed.pop(name, None)
    state.save(update_fields=["values", "observed"])
    ListingVersion.bump(device.municipality_id)


# --- Rules and alarms ------------------------------------------------------------------


def rule_decision(rule: Rule, values: dict[str, Any]) -> str | None:
    """ "trip", "clear" or None (no information, or inside the hysteresis band)."""
    if rule.kind == RuleKind.SILENT:
        return "clear"  # any reading ends a silence
    if rule.attribute not in values:
        return None
    value = values[rule.attribute]
    if rule.kind == RuleKind.STATUS:
        bad = value in rule.status_values or (
            isinstance(value, list) and any(v in rule.status_values for v in value)
        )
        return "trip" if bad else "clear"
    if not isinstance(value, int | float) or rule.threshold is None:
        return None
    clear = rule.clear_threshold if rule.clear_threshold is not None else rule.threshold
    if rule.direction == Direction.BELOW:
        if value < rule.threshold:
            return "trip"
        return "clear" if value >= clear else None
    if value > rule.threshold:
        return "trip"
    return "clear" if value <= clear else None


def rules_evaluate(
    *, municipality: Municipality, states: list[tuple[Device, Any]], now: datetime | None = None
) -> list[Alarm]:
    """Open and auto-resolve alarms for new states; two queries for the whole batch."""
    now = now or timezone.now()
    type_ids = {d.type_id for d, _ in states}
    rules_by_type: dict[int, list[Rule]] = defaultdict(list)
    for rule in Rule.objects.filter(municipality=municipality, type_id__in=type_ids, is_active=True):
        rules_by_type[rule.type_id].append(rule)
    if not rules_by_type:
        return []
    relevant = [(d, s) for d, s in states if d.type_id in rules_by_type]
    open_alarms = {
        (a.device_id, a.rule_id): a
        for a in Alarm.objects.filter(
            municipality=municipality,
            device_id__in=[d.pk for d, _ in relevant],
            status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED],
        )
    }
    opened = []
    for device, state in relevant:
        for rule in rules_by_type[device.type_id]:
            decision = rule_decision(rule, state.values)
            alarm = open_alarms.get((device.pk, rule.pk))
            if decision == "trip" and alarm is None:
                value = state.values.get(rule.attribute)
                created = alarm_open(device=device, rule=rule, value=value, now=now)
                if created is not None:
                    opened.append(created)
            elif decision == "clear" and alarm is not None:
                _alarm_move(
                    alarm, AlarmStatus.RESOLVED, actor=None, comment="Αυτόματη επίλυση: η τιμή επανήλθε."
                )
    return opened


def alarm_open(*, device: Device, rule: Rule, value: Any, now: datetime | None = None) -> Alarm | None:
    """Open an alarm unless one is already open for this device and rule."""
    if rule.kind == RuleKind.SILENT:
        message = f"{rule.name}: καμία μέτρηση για {rule.silent_hours} ώρες"
    elif rule.kind == RuleKind.STATUS:
        message = f"{rule.name}: {rule.attribute} = {value}"
    else:
        message = f"{rule.name}: {rule.attribute} = {value}"
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
                municipality_id=device.municipality_id,
                device=device,
                rule=rule,
                value=value,
                message=message[:300],
                opened_at=now or timezone.now(),
            )
    except IntegrityError:
        return None  # a concurrent batch opened it: one open alarm per device and rule
    AlarmEvent.objects.create(alarm=alarm, to_status=AlarmStatus.OPEN, comment=message[:500])
    if rule.actions:
        task_enqueue("sensors.alarm_actions", {"alarm_id": alarm.pk})
    return alarm


def _alarm_move(alarm: Alarm, to_status: str, *, actor: Any, comment: str = "") -> Alarm:
    if to_status not in ALARM_TRANSITIONS.get(alarm.status, frozenset()):
        raise TransitionNotAllowed(
            f"Ο συναγερμός δεν μπορεί να περάσει από «{AlarmStatus(alarm.status).label}» "
            f"σε «{AlarmStatus(to_status).label}»."
        )
    previous = alarm.status
    alarm.status = to_status
    now = timezone.now()
    if to_status == AlarmStatus.ACKNOWLEDGED:
        alarm.acknowledged_at = now
        if actor is not None and alarm.assignee_id is None:
            alarm.assignee = actor
    if to_status == AlarmStatus.RESOLVED:
        alarm.resolved_at = now
    alarm.save(update_fields=["status", "acknowledged_at", "resolved_at", "assignee"])
    AlarmEvent.objects.create(
        alarm=alarm,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=previous,
        to_status=to_status,
        comment=comment[:500],
    )
    audit_record(
        action="sensors.alarm_transition",
        actor=actor,
        obj=alarm,
        municipality=alarm.municipality,
        old={"status": previous},
        new={"status": to_status},
    )
    return alarm


@transaction.atomic
def alarm_transition(
    *,
    municipality: Municipality,
    alarm_id: int,
    to_status: str,
    actor: Any,
    comment: str = "",
    assignee: Any = None,
) -> Alarm:
    alarm = Alarm.objects.select_for_update().filter(municipality=municipality, pk=alarm_id).first()
    if alarm is None:
        raise NotFound("Ο συναγερμός δεν βρέθηκε.")
    if to_status not in AlarmStatus.values:
        raise ValidationFailed("Άγνωστη κατάσταση συναγερμού.", field="status")
    if assignee is not None:
        if getattr(assignee, "municipality_id", None) != municipality.pk:
            raise ValidationFailed("Ο υπάλληλος δεν ανήκει στον δήμο.", field="assignee")
        alarm.assignee = assignee
    return _alarm_move(alarm, to_status, actor=actor, comment=comment)


@transaction.atomic
def alarms_check_silent(*, municipality: Municipality, now: datetime | None = None) -> list[Alarm]:
    """Open "silent for N hours" alarms for devices with no recent reading."""
    now = now or timezone.now()
    opened = []
    for rule in Rule.objects.filter(municipality=municipality, kind=RuleKind.SILENT, is_active=True):
        if not rule.silent_hours:
            continue
        cutoff = now - timedelta(hours=rule.silent_hours)
        silent = (
            Device.objects.filter(municipality=municipality, type_id=rule.type_id, created_at__lt=cutoff)
            .filter(Q(state__isnull=True) | Q(state__received_at__lt=cutoff))
            .exclude(alarms__rule=rule, alarms__status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED])
        )
        for device in silent:
            alarm = alarm_open(device=device, rule=rule, value=None, now=now)
            if alarm is not None:
                opened.append(alarm)
    return opened


def alarm_run_actions(*, alarm_id: int) -> None:
    from dimos.sensors.actions import ACTIONS

    alarm = Alarm.objects.select_related("rule", "device", "device__type", "municipality").get(pk=alarm_id)
    for name in alarm.rule.actions:
        action = ACTIONS.get(name)
        if action is None:
            log.warning("alarm #%s: action %r is not available", alarm.pk, name)
            continue
        action(alarm)


@transaction.atomic
def rule_save(*, rule: Rule, actor: Any) -> Rule:
    """Validate a rule against its type's schema and save it."""
    spec = schemas.TYPES[rule.type.code]
    if rule.kind in (RuleKind.THRESHOLD, RuleKind.STATUS):
        attr = spec.attrs.get(rule.attribute)
        if attr is None or not attr.measured:
            raise ValidationFailed("Το χαρακτηριστικό δεν μετράται από αυτόν τον τύπο.", field="attribute")
        if rule.kind == RuleKind.THRESHOLD:
            if attr.kind not in ("number", "integer"):
                raise ValidationFailed("Όριο τιμής μόνο σε αριθμητικά χαρακτηριστικά.", field="attribute")
            if rule.threshold is None:
                raise ValidationFailed("Δώστε όριο ενεργοποίησης.", field="threshold")
            if rule.clear_threshold is not None and (
                (rule.direction == Direction.ABOVE and rule.clear_threshold > rule.threshold)
                or (rule.direction == Direction.BELOW and rule.clear_threshold < rule.threshold)
            ):
                raise ValidationFailed(
                    "Το όριο αποκατάστασης πρέπει να είναι στην «καλή» πλευρά του ορίου ενεργοποίησης.",
                    field="clear_threshold",
                )
        else:
            bad = [v for v in rule.status_values if v not in attr.values]
            if not rule.status_values or bad:
                raise ValidationFailed(
                    f"Επιλέξτε τιμές από: {', '.join(attr.values)}.", field="status_values"
                )
    elif not rule.silent_hours:
        raise ValidationFailed("Δώστε πόσες ώρες σιωπής ενεργοποιούν τον συναγερμό.", field="silent_hours")
    from dimos.sensors.actions import ACTIONS

    unknown = [a for a in rule.actions if a not in ACTIONS]
    if unknown:
        raise ValidationFailed(f"Μη διαθέσιμη ενέργεια: {', '.join(unknown)}.", field="actions")
    if "report" in rule.actions and not rule.report_category:
        raise ValidationFailed("Δώστε την κατηγορία της αναφοράς.", field="report_category")
    if "notify" in rule.actions and rule.department is None:
        raise ValidationFailed("Επιλέξτε την υπηρεσία που ειδοποιείται.", field="department")
    created = rule.pk is None
    rule.save()
    audit_record(action="sensors.rule_created" if created else "sensors.rule_updated", actor=actor, obj=rule)
    return rule


# --- Rollups and retention ----------------------------------------------------------------


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
    """Delete raw readings older than N days; rollups are kept."""
    if older_than_days < 1:
        raise ValidationFailed("Η διατήρηση πρέπει να είναι τουλάχιστον 1 ημέρα.", field="days")
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
    deleted, _ = qs.delete()
    return deleted


_ = Source  # re-exported for the doors
