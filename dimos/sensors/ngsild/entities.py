"""Entity resources and batch operations (``/entities/{id}``, ``/attrs``, ``/entityOperations/*``).

Writes need an integration credential and go through ``ngsild.writes`` (the one ingestion
pipeline)."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse

from dimos.core.exceptions import ValidationFailed
from dimos.sensors import services
from dimos.sensors.constants import MAX_BATCH, WRITE_SCOPES, CredentialScope
from dimos.sensors.models import Device
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError
from dimos.sensors.ngsild.negotiation import BASE, Ctx, options_param, read_body, respond
from dimos.sensors.ngsild.query import attrs_param, render, visible_device, visible_devices
from dimos.sensors.ngsild.writes import entities_write, entity_attrs_write, write_target


def _simplified(ctx: Ctx) -> bool:
    """``options=keyValues`` (or ``simplified``) on a write: the body is in the simplified form."""
    return bool(options_param(ctx.request) & {"keyValues", "simplified"})


def entities_post(ctx: Ctx) -> HttpResponse:
    ctx.require_scope(CredentialScope.MANAGE_DEVICES)
    body = read_body(ctx.request)
    parsed = convert.parse_entity(convert.from_key_values(body) if _simplified(ctx) else body)
    outcome = entities_write(
        municipality=ctx.municipality, entities=[parsed], mode="create", credential=ctx.credential
    )
    if outcome.errors:
        raise outcome.errors[0][1]
    response = HttpResponse(status=201)
    response["Location"] = f"{BASE}/entities/{parsed.id}"
    return response


def entity_get(ctx: Ctx, entity_id: str) -> HttpResponse:
    device = visible_device(ctx, entity_id)
    wanted_type = ctx.request.GET.get("type")
    if wanted_type and convert.compact(wanted_type) != device.type.code:
        raise NgsiError("ResourceNotFound", f"Entity {entity_id} of type {wanted_type} was not found.")
    return respond(ctx, render(ctx, device, attrs_param(ctx.request)))


def _delete(ctx: Ctx, device: Device) -> None:
    """Delete through the registry's service: the same refusal, the same audit event."""
    try:
        services.device_delete(
            municipality=ctx.municipality,
            device_id=device.pk,
            actor=None,
            via={"via": "ngsi-ld", "credential": ctx.credential.prefix if ctx.credential else None},
        )
    except ValidationFailed as exc:
        raise NgsiError(
            "OperationNotSupported",
            f"Entity {device.ngsi_id} has readings and is not deleted; deactivate it in the "
            "registry instead (its history is kept).",
            status=409,
        ) from exc


def entity_delete(ctx: Ctx, entity_id: str) -> HttpResponse:
    ctx.require_scope(CredentialScope.MANAGE_DEVICES)
    _delete(ctx, visible_device(ctx, entity_id))
    return HttpResponse(status=204)


def _attrs_write(ctx: Ctx, entity_id: str, mode: str) -> HttpResponse:
    ctx.require_scope(*WRITE_SCOPES, CredentialScope.MANAGE_DEVICES)
    body = read_body(ctx.request)
    if not isinstance(body, dict) or not (set(body) - convert.RESERVED):
        raise NgsiError("BadRequestData", "The body must be an object with at least one attribute.")
    device, known_rules = write_target(ctx, entity_id)
    parsed = convert.parse_fragment(device.type.code, body)
    updated, not_updated = entity_attrs_write(
        municipality=ctx.municipality,
        device=device,
        parsed=parsed,
        mode=mode,
        credential=ctx.credential,
        known_rules=known_rules,
    )
    if not_updated:
        return respond(ctx, {"updated": updated, "notUpdated": not_updated}, status=207)
    return HttpResponse(status=204)


def attrs_post(ctx: Ctx, entity_id: str) -> HttpResponse:
    mode = "noOverwrite" if "noOverwrite" in options_param(ctx.request) else "append"
    return _attrs_write(ctx, entity_id, mode)


def attrs_patch(ctx: Ctx, entity_id: str) -> HttpResponse:
    return _attrs_write(ctx, entity_id, "patch")


# --- /entityOperations -----------------------------------------------------------------------


def _batch(ctx: Ctx, mode: str) -> HttpResponse:
    ctx.require_scope(*WRITE_SCOPES, CredentialScope.MANAGE_DEVICES)
    body = read_body(ctx.request)
    if not isinstance(body, list) or not body:
        raise NgsiError("BadRequestData", "The body must be a non-empty JSON array of entities.")
    if len(body) > MAX_BATCH:
        raise NgsiError("BadRequestData", f"A batch may hold at most {MAX_BATCH} entities; got {len(body)}.")
    if _simplified(ctx):
        body = [convert.from_key_values(raw) for raw in body]
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
        return respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    if mode == "create" or outcome.created:
        return respond(ctx, outcome.created, status=201)
    return HttpResponse(status=204)


def batch_create(ctx: Ctx) -> HttpResponse:
    return _batch(ctx, "create")


def batch_upsert(ctx: Ctx) -> HttpResponse:
    options = options_param(ctx.request) - {"keyValues", "simplified"}
    if options - {"replace", "update"}:
        raise NgsiError("BadRequestData", "options must be 'replace' or 'update'.")
    if {"replace", "update"} <= options:
        raise NgsiError("BadRequestData", "options 'replace' and 'update' exclude each other.")
    return _batch(ctx, "update" if "update" in options else "replace")


def batch_update(ctx: Ctx) -> HttpResponse:
    """Batch Entity Update: append attributes to existing entities (``options=noOverwrite``
    keeps the existing ones); unknown entities are per-entity ResourceNotFound errors."""
    ctx.require_scope(*WRITE_SCOPES, CredentialScope.MANAGE_DEVICES)
    options = options_param(ctx.request)
    if options - {"noOverwrite"}:
        raise NgsiError("BadRequestData", "options may only be 'noOverwrite'.")
    body = read_body(ctx.request)
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
            device = visible_device(ctx, entity_id)
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
        return respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    return HttpResponse(status=204)


def batch_delete(ctx: Ctx) -> HttpResponse:
    """Batch Entity Delete: a JSON array of entity ids."""
    ctx.require_scope(CredentialScope.MANAGE_DEVICES)
    body = read_body(ctx.request)
    if not isinstance(body, list) or not body or not all(isinstance(i, str) for i in body):
        raise NgsiError("BadRequestData", "The body must be a non-empty JSON array of entity ids.")
    if len(body) > MAX_BATCH:
        raise NgsiError("BadRequestData", f"A batch may hold at most {MAX_BATCH} entities; got {len(body)}.")
    visible = {d.ngsi_id: d for d in visible_devices(ctx).filter(ngsi_id__in=body)}
    own = ctx.credential.device_id if ctx.credential else None
    success: list[str] = []
    errors: list[tuple[str, NgsiError]] = []
    for entity_id in body:
        device = visible.pop(entity_id, None)
        if device is None or (own and device.pk != own):
            errors.append((entity_id, NgsiError("ResourceNotFound", f"Entity {entity_id} was not found.")))
            continue
        try:
            with transaction.atomic():
                _delete(ctx, device)
        except NgsiError as exc:
            errors.append((entity_id, exc))
            continue
        success.append(entity_id)
    if errors:
        return respond(
            ctx,
            {"success": success, "errors": [{"entityId": i, "error": e.body()} for i, e in errors]},
            status=207,
        )
    return HttpResponse(status=204)
