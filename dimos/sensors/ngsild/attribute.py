"""One attribute of an entity: ``PATCH`` (Partial Attribute Update, clause 5.6.4) and ``DELETE``
(Delete Entity Attribute, clause 5.6.5) on ``/entities/{id}/attrs/{attrId}``.

The update goes through the same write path as ``PATCH /entities/{id}/attrs`` (the one
ingestion pipeline, the registry's rules); the deletion removes a static attribute from the
device, or a measured one from its latest state (the readings history is kept), with an audit
event either way."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from dimos.core.services import audit_record
from dimos.sensors import services
from dimos.sensors.constants import WRITE_SCOPES, CredentialScope
from dimos.sensors.models import Device, DeviceState
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError, forbidden
from dimos.sensors.ngsild.negotiation import Ctx, read_body
from dimos.sensors.ngsild.query import visible_device
from dimos.sensors.ngsild.writes import entity_attrs_write


def _present(device: Device) -> set[str]:
    names = set(device.attrs)
    state = getattr(device, "state", None)
    if state is not None:
        names |= set(state.values)
    if device.lat is not None:
        names.add("location")
    return names


def _name(attr_id: str) -> str:
    name = convert.compact(attr_id)
    if name in convert.RESERVED:
        raise NgsiError("BadRequestData", f"Invalid attribute name '{attr_id}'.")
    return name


def attr_patch(ctx: Ctx, entity_id: str, attr_id: str) -> HttpResponse:
    ctx.require_scope(*WRITE_SCOPES, CredentialScope.MANAGE_DEVICES)
    body = read_body(ctx.request)
    device = visible_device(ctx, entity_id)
    name = _name(attr_id)
    if name not in _present(device):
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} has no attribute {name}.")
    if not isinstance(body, dict) or not ({"value", "object"} & set(body)):
        raise NgsiError("BadRequestData", f"Attribute '{name}' must have type Property and a value.")
    fragment: dict[str, Any] = dict(body)
    if "type" not in fragment:  # a partial fragment keeps the attribute's kind
        existing = device.attrs.get(name)
        kind = existing.get("type") if isinstance(existing, dict) else None
        fragment["type"] = kind or ("GeoProperty" if name == "location" else "Property")
    parsed = convert.parse_fragment(device.type.code, {name: fragment})
    entity_attrs_write(
        municipality=ctx.municipality, device=device, parsed=parsed, mode="patch", credential=ctx.credential
    )
    return HttpResponse(status=204)


def attr_delete(ctx: Ctx, entity_id: str, attr_id: str) -> HttpResponse:
    ctx.require_scope(*WRITE_SCOPES, CredentialScope.MANAGE_DEVICES)
    device = visible_device(ctx, entity_id)
    name = _name(attr_id)
    credential = ctx.credential
    if credential is not None and not (
        credential.may_write(device.pk) or credential.has_scope(CredentialScope.MANAGE_DEVICES)
    ):
        raise forbidden([*sorted(WRITE_SCOPES), CredentialScope.MANAGE_DEVICES], entity_id)
    entity_attr_delete(
        device=device, name=name, via={"via": "ngsi-ld", "credential": credential and credential.prefix}
    )
    return HttpResponse(status=204)


@transaction.atomic
def entity_attr_delete(*, device: Device, name: str, via: dict[str, Any]) -> None:
    """Remove one attribute; ResourceNotFound when the entity has none by that name."""
    device = Device.objects.select_for_update().select_related("type").get(pk=device.pk)
    state = DeviceState.objects.select_for_update().filter(device=device).first()
    old_view = {**services.device_audit_view(device), "attrs": dict(device.attrs)}
    found = False
    if name in device.attrs:
        device.attrs = {k: v for k, v in device.attrs.items() if k != name}
        found = True
    if name == "location" and device.lat is not None:
        device.lat = device.lon = None
        device.unit = None
        found = True
    if state is not None and name in state.values:
        state.values.pop(name, None)
        state.observed.pop(name, None)
        state.save(update_fields=["values", "observed"])
        found = True
    if not found:
        raise NgsiError("ResourceNotFound", f"Entity {device.ngsi_id} has no attribute {name}.")
    device.modified_at = timezone.now()
    device.search_text_refresh()
    device.save(update_fields=["attrs", "lat", "lon", "unit", "search_text", "modified_at"])
    audit_record(
        action="sensors.device_updated",
        obj=device,
        old=old_view,
        new={**services.device_audit_view(device), "attrs": device.attrs, "deleted_attribute": name, **via},
    )
