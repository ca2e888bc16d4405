"""NGSI-LD writes: entities become devices, measured properties become readings
through the one ingestion pipeline (``services.readings_ingest``)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from dimos.core.geo import unit_at
from dimos.core.models import Municipality
from dimos.sensors import schemas, services
from dimos.sensors.constants import Source
from dimos.sensors.models import Credential, Device, DeviceState, DeviceType
from dimos.sensors.ngsild.convert import Parsed
from dimos.sensors.ngsild.errors import NgsiError


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
        if (
            credential is not None
            and credential.device_id
            and (device is None or device.pk != credential.device_id)
        ):
            outcome.errors.append(
                (parsed.id, NgsiError("BadRequestData", "The credential is limited to another device."))
            )
            continue
        if device is not None:
            if mode == "create":
                outcome.errors.append(
                    (parsed.id, NgsiError("AlreadyExists", f"Entity {parsed.id} already exists."))
                )
                continue
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
    changed = []
    for parsed, device in to_update:
        if parsed.static or parsed.has_location or mode == "replace":
            before = (dict(device.attrs), device.lat, device.lon)
            _apply_static(device, parsed, replace=mode == "replace")
            if before[1:] != (device.lat, device.lon):
                # The point moved: the municipal unit follows it.
                if locator is None:
                    locator = services.UnitLocator(municipality)
                device.unit = locator(device.lat, device.lon)
            if before != (device.attrs, device.lat, device.lon):
                changed.append(device)
    if changed:
        Device.objects.bulk_update(
            changed, ["attrs", "name", "lat", "lon", "unit", "modified_at"], batch_size=500
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


@transaction.atomic
def entity_attrs_write(
    *, municipality: Municipality, device: Device, parsed: Parsed, mode: str, credential: Credential | None
) -> tuple[list[str], list[dict[str, Any]]]:
    """Append (``append`` / ``noOverwrite``) or update (``patch``) attributes.

    Returns (updated names, notUpdated details)."""
    present = set(device.attrs)
    state = DeviceState.objects.filter(device=device).first()
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
    if parsed.static or parsed.has_location:
        before = (device.lat, device.lon)
        _apply_static(device, parsed, replace=False)
        if before != (device.lat, device.lon):
            device.unit = unit_at(municipality, device.lat, device.lon) if device.lat is not None else None
        device.save(update_fields=["attrs", "name", "lat", "lon", "unit", "modified_at"])
    items = _readings(parsed, device)
    if items:
        services.readings_ingest(
            municipality=municipality, items=items, source=Source.NGSILD, credential=credential
        )
    return sorted(parsed.names), not_updated
