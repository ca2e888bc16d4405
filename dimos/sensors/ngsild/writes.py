"""NGSI-LD writes: entities become devices, measured properties become readings
through the one ingestion pipeline (``services.readings_ingest``).

The registry's rules hold here too (``write_refusal``): the boundary check, no
readings for a deactivated device, the credential's scopes; every device created,
changed or deleted is an audit event."""

from __future__ import annotations

import hashlib
import json
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from dimos.core.exceptions import ValidationFailed
from dimos.core.geo import unit_at
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.sensors import schemas, services
from dimos.sensors.constants import WRITE_SCOPES, AlarmStatus, CredentialScope, Source
from dimos.sensors.models import Alarm, Credential, Device, DeviceState, DeviceType, Rule
from dimos.sensors.ngsild.convert import Parsed
from dimos.sensors.ngsild.errors import NgsiError, forbidden
from dimos.sensors.ngsild.negotiation import Ctx
from dimos.sensors.ngsild.query import visible_devices
from dimos.sensors.services.alarms import KnownRules
from dimos.sensors.services.device_types import device_types_by_pk


@dataclass
class WriteOutcome:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[tuple[str, NgsiError]] = field(default_factory=list)


def _code_for(ngsi_id: str, taken: set[str]) -> str:
    code = services.code_from_ngsi_id(ngsi_id)
    if code in taken:
        code = f"{code[:90]}-{hashlib.sha1(ngsi_id.encode()).hexdigest()[:8]}"  # noqa: S324 (not security)
    taken.add(code)
    return code


def _readings(parsed: Parsed, device: Device) -> list[services.ReadingIn]:
    now = timezone.now()
    return [
        services.ReadingIn(device=device, observed_at=observed or now, values=values)
        for observed, values in parsed.measured.items()
    ]


def _apply_static(device: Device, parsed: Parsed, *, replace: bool) -> None:
    if replace:
        device.attrs = dict(parsed.static)
    else:
        device.attrs = {**device.attrs, **parsed.static}
    name = device.attrs.get("name")
    if isinstance(name, dict) and isinstance(name.get("value"), str):
        device.name = name["value"][:200]
    if parsed.has_location:
        device.lat, device.lon = parsed.lat, parsed.lon
    device.modified_at = timezone.now()
    device.search_text_refresh()  # the batch paths write with bulk_create/bulk_update, which skip save()


def _via(credential: Credential | None) -> dict[str, Any]:
    return {"via": "ngsi-ld", "credential": credential.prefix if credential is not None else None}


def write_refusal(
    municipality: Municipality,
    parsed: Parsed,
    device: Device | None,
    credential: Credential | None,
    *,
    replace: bool = False,
) -> NgsiError | None:
    """Why this write may not happen (None: it may); the registry's rules, the credential's scopes.

    Creating an entity needs ``manage_devices`` (and ``write_municipality`` for the readings
    it carries); a device's readings need a write scope for that device; its attributes and
    location, that scope or ``manage_devices``. A deactivated device takes no readings (as on
    the HTTP batch and MQTT); a point outside the municipality is refused (as in the registry)."""
    manages = credential is None or credential.has_scope(CredentialScope.MANAGE_DEVICES)
    if device is None:
        if not manages:
            return forbidden([CredentialScope.MANAGE_DEVICES], parsed.id)
        municipal = credential is None or credential.has_scope(CredentialScope.WRITE_MUNICIPALITY)
        if parsed.measured and not municipal:
            return forbidden([CredentialScope.WRITE_MUNICIPALITY], parsed.id)
    else:
        writes = credential is None or credential.may_write(device.pk)
        if parsed.measured and not writes:
            return forbidden(sorted(WRITE_SCOPES), parsed.id)
        if (replace or parsed.static or parsed.has_location) and not (writes or manages):
            return forbidden([*sorted(WRITE_SCOPES), CredentialScope.MANAGE_DEVICES], parsed.id)
    if parsed.measured and device is not None and not device.is_active:
        return NgsiError(
            "OperationNotSupported",
            f"Entity {parsed.id} is deactivated in the registry; it accepts no new readings.",
        )
    if parsed.has_location and parsed.lat is not None:
        try:
            services.device_location_check(municipality, parsed.lat, parsed.lon)
        except ValidationFailed:
            return NgsiError(
                "BadRequestData",
                f"The location of {parsed.id} ({parsed.lat}, {parsed.lon}) is outside the municipality.",
            )
    return None


@transaction.atomic
def entities_write(
    *,
    municipality: Municipality,
    entities: list[Parsed],
    mode: str,  # create | replace | update
    credential: Credential | None,
) -> WriteOutcome:
    outcome = WriteOutcome()
    ids = {p.id for p in entities}
    existing = {
        d.ngsi_id: d
        for d in Device.objects.select_related("type").filter(municipality=municipality, ngsi_id__in=ids)
    }
    types = {t.code: t for t in DeviceType.objects.all()}
    if len(types) < len(schemas.TYPES):
        types = services.device_types_sync()
    locator = None
    taken: set[str] = set()
    to_create: list[tuple[Parsed, Device]] = []
    to_update: list[tuple[Parsed, Device]] = []
    seen: set[str] = set()
    for parsed in entities:
        device = existing.get(parsed.id)
        if parsed.id in seen and mode == "create":
            outcome.errors.append(
                (parsed.id, NgsiError("AlreadyExists", f"Entity {parsed.id} appears twice."))
            )
            continue
        seen.add(parsed.id)
        if device is not None and mode == "create":
            outcome.errors.append(
                (parsed.id, NgsiError("AlreadyExists", f"Entity {parsed.id} already exists."))
            )
            continue
        refusal = write_refusal(municipality, parsed, device, credential, replace=mode == "replace")
        if refusal is not None:
            outcome.errors.append((parsed.id, refusal))
            continue
        if device is not None:
            if device.type.code != parsed.type:
                outcome.errors.append(
                    (
                        parsed.id,
                        NgsiError("BadRequestData", f"Entity {parsed.id} is of type {device.type.code}."),
                    )
                )
                continue
            to_update.append((parsed, device))
            continue
        if locator is None:
            locator = services.UnitLocator(municipality)
            taken = set(
                Device.objects.filter(
                    municipality=municipality, code__in=[services.code_from_ngsi_id(p.id) for p in entities]
                ).values_list("code", flat=True)
            )
        device = Device(
            municipality=municipality,
            type=types[parsed.type],
            ngsi_id=parsed.id,
            code=_code_for(parsed.id, taken),
            attrs={},
        )
        _apply_static(device, parsed, replace=True)
        device.unit = locator(device.lat, device.lon)
        to_create.append((parsed, device))
    if to_create:
        Device.objects.bulk_create([d for _, d in to_create], batch_size=500)
        if any(d.pk is None for _, d in to_create):  # backends that do not return ids
            pks = dict(
                Device.objects.filter(
                    municipality=municipality, ngsi_id__in=[d.ngsi_id for _, d in to_create]
                ).values_list("ngsi_id", "pk")
            )
            for _, d in to_create:
                d.pk = pks[d.ngsi_id]
        for _, d in to_create:
            audit_record(
                action="sensors.device_created",
                obj=d,
                new={**services.device_audit_view(d), **_via(credential)},
            )
    changed = []
    for parsed, device in to_update:
        if parsed.static or parsed.has_location or mode == "replace":
            before = (dict(device.attrs), device.lat, device.lon)
            old_view = services.device_audit_view(device)
            _apply_static(device, parsed, replace=mode == "replace")
            if before[1:] != (device.lat, device.lon):
                # The point moved: the municipal unit follows it.
                if locator is None:
                    locator = services.UnitLocator(municipality)
                device.unit = locator(device.lat, device.lon)
            if before != (device.attrs, device.lat, device.lon):
                changed.append(device)
                audit_record(
                    action="sensors.device_updated",
                    obj=device,
                    old={**old_view, "attrs": before[0]},
                    new={**services.device_audit_view(device), "attrs": device.attrs, **_via(credential)},
                )
    if changed:
        Device.objects.bulk_update(
            changed, ["attrs", "name", "search_text", "lat", "lon", "unit", "modified_at"], batch_size=500
        )
    if mode == "replace":
        _reset_missing(to_update)
    items = [r for parsed, device in to_create + to_update for r in _readings(parsed, device)]
    if items:
        services.readings_ingest(
            municipality=municipality, items=items, source=Source.NGSILD, credential=credential
        )
    outcome.created = [d.ngsi_id for _, d in to_create]
    outcome.updated = [d.ngsi_id for _, d in to_update]
    return outcome


def _reset_missing(pairs: list[tuple[Parsed, Device]]) -> None:
    """Replace semantics: measured attributes absent from the new entity are dropped."""
    if not pairs:
        return
    states = {s.device_id: s for s in DeviceState.objects.filter(device_id__in=[d.pk for _, d in pairs])}
    dirty = []
    for parsed, device in pairs:
        state = states.get(device.pk)
        if state is None:
            continue
        keep = {n for group in parsed.measured.values() for n in group}
        gone = [n for n in state.values if n not in keep]
        for name in gone:
            state.values.pop(name, None)
            state.observed.pop(name, None)
        if gone:
            dirty.append(state)
    if dirty:
        DeviceState.objects.bulk_update(dirty, ["values", "observed"])


_RULES_SQL = {
    "postgresql": (
        "SELECT COALESCE(json_agg(json_build_object({fields})), '[]')::text FROM {rule} r "
        "WHERE r.municipality_id = {device}.municipality_id AND r.type_id = {device}.type_id AND r.is_active"
    ),
    "sqlite": (
        "SELECT json_group_array(json_object({fields})) FROM {rule} r "
        "WHERE r.municipality_id = {device}.municipality_id AND r.type_id = {device}.type_id AND r.is_active"
    ),
}
_OPEN_ALARMS_SQL = {
    "postgresql": "SELECT COALESCE(json_agg(json_build_array(a.id, a.rule_id)), '[]')::text FROM {alarm} a "
    "WHERE a.municipality_id = {device}.municipality_id AND a.device_id = {device}.id AND a.status IN (%s, %s)",
    "sqlite": "SELECT json_group_array(json_array(a.id, a.rule_id)) FROM {alarm} a "
    "WHERE a.municipality_id = {device}.municipality_id AND a.device_id = {device}.id AND a.status IN (%s, %s)",
}
_RULE_FIELDS = (
    "id",
    "name",
    "kind",
    "attribute",
    "direction",
    "threshold",
    "clear_threshold",
    "status_values",
    "silent_hours",
    "actions",
    "report_category",
    "department_id",
)
_JSON_RULE_FIELDS = {"status_values", "actions"}


def _rules_sql(vendor: str) -> tuple[str, str]:
    sqlite = vendor != "postgresql"
    fields = ", ".join(
        f"'{name}', " + (f"json(r.{name})" if sqlite and name in _JSON_RULE_FIELDS else f"r.{name}")
        for name in _RULE_FIELDS
    )
    names = {
        "device": Device._meta.db_table,
        "rule": Rule._meta.db_table,
        "alarm": Alarm._meta.db_table,
        "fields": fields,
    }
    key = "postgresql" if vendor == "postgresql" else "sqlite"
    return _RULES_SQL[key].format(**names), _OPEN_ALARMS_SQL[key].format(**names)


def write_target(ctx: Ctx, entity_id: str) -> tuple[Device, KnownRules]:
    """The entity a single-entity write addresses, in ONE query: the device (as the request
    may see it), its latest state, the active rules of its type and its open alarms, so that
    the write itself is one more statement (docs/sensors/storage.md)."""
    rules_sql, alarms_sql = _rules_sql(connection.vendor)
    row = (
        visible_devices(ctx)
        .filter(ngsi_id=entity_id)
        .select_related("state")
        .annotate(
            rules_json=RawSQL(rules_sql, [], output_field=TextField()),  # noqa: S611 (constant SQL)
            open_alarms_json=RawSQL(  # noqa: S611 (constant SQL)
                alarms_sql, [AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED], output_field=TextField()
            ),
        )
        .first()
    )
    if row is None:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")
    types = device_types_by_pk()
    if row.type_id not in types:
        types = device_types_by_pk(refresh=True)
    row.type = types[row.type_id]
    rules = [
        Rule(municipality_id=row.municipality_id, type_id=row.type_id, is_active=True, **fields)
        for fields in json.loads(row.rules_json or "[]")
    ]
    known = KnownRules(
        by_type={row.type_id: rules},
        open_alarm_ids={
            (row.pk, rule_id): alarm_id for alarm_id, rule_id in json.loads(row.open_alarms_json or "[]")
        },
    )
    return row, known


def _current_state(device: Device) -> DeviceState | None:
    """The state read with the device (``write_target``, ``attach_states``), else from the table."""
    if "state" in device._state.fields_cache:
        return device._state.fields_cache["state"]
    return DeviceState.objects.filter(device=device).first()


def entity_attrs_write(
    *,
    municipality: Municipality,
    device: Device,
    parsed: Parsed,
    mode: str,
    credential: Credential | None,
    known_rules: KnownRules | None = None,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Append (``append`` / ``noOverwrite``) or update (``patch``) attributes.

    Measured attributes go through the one ingestion pipeline, rules included (with
    ``known_rules`` read by ``write_target``, no query for them). Returns (updated names,
    notUpdated details)."""
    present = set(device.attrs)
    state = _current_state(device)
    if state is not None:
        present |= set(state.values)
    if device.lat is not None:
        present.add("location")
    not_updated: list[dict[str, Any]] = []
    skip: set[str] = set()
    for name in parsed.names:
        if mode == "noOverwrite" and name in present:
            skip.add(name)
            not_updated.append(
                {"attributeName": name, "reason": "Attribute exists and noOverwrite was requested."}
            )
        elif mode == "patch" and name not in present:
            skip.add(name)
            not_updated.append({"attributeName": name, "reason": "Attribute does not exist."})
    for name in skip:
        parsed.static.pop(name, None)
        if name == "location":
            parsed.has_location = False
        for group in parsed.measured.values():
            group.pop(name, None)
    parsed.measured = {k: v for k, v in parsed.measured.items() if v}
    refusal = write_refusal(municipality, parsed, device, credential)
    if refusal is not None:
        raise refusal
    items = _readings(parsed, device)
    # A registry change and its audit event commit together with the readings; readings
    # alone are one statement of the ingestion pipeline and need no transaction here.
    with transaction.atomic() if parsed.static or parsed.has_location else nullcontext():
        if parsed.static or parsed.has_location:
            before = (device.lat, device.lon)
            old_view = {**services.device_audit_view(device), "attrs": dict(device.attrs)}
            _apply_static(device, parsed, replace=False)
            if before != (device.lat, device.lon):
                device.unit = (
                    unit_at(municipality, device.lat, device.lon) if device.lat is not None else None
                )
            device.save(update_fields=["attrs", "name", "lat", "lon", "unit", "modified_at"])
            audit_record(
                action="sensors.device_updated",
                obj=device,
                old=old_view,
                new={**services.device_audit_view(device), "attrs": device.attrs, **_via(credential)},
            )
        if items:
            services.readings_ingest(
                municipality=municipality,
                items=items,
                source=Source.NGSILD,
                credential=credential,
                known_rules=known_rules,
            )
    return sorted(parsed.names), not_updated
