"""The inventory: asset numbers, registration, status changes and moves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.schools.constants import ASSET_TRANSITIONS, AssetStatus, EventKind
from dimos.schools.models import Asset, AssetEvent, AssetTagCounter, EquipmentModel, PurchaseOrderLine, School


@transaction.atomic
def asset_tags_allocate(*, municipality: Municipality, count: int = 1) -> list[str]:
    """Take the next ``count`` asset numbers under a row lock, inside the caller's transaction.

    A rollback gives the numbers back, so tags have no gaps from failed writes.
    """
    AssetTagCounter.objects.get_or_create(municipality=municipality)
    counter = AssetTagCounter.objects.select_for_update().get(municipality=municipality)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{municipality.code}-{n:06d}" for n in range(first, first + count)]


def _serial_taken(
    *, municipality: Municipality, model: EquipmentModel, serial: str, exclude: int | None = None
) -> bool:
    qs = Asset.objects.filter(municipality=municipality, model=model, serial=serial)
    if exclude:
        qs = qs.exclude(pk=exclude)
    return bool(serial) and qs.exists()


@transaction.atomic
def asset_create(
    *,
    municipality: Municipality,
    actor: Any,
    model: EquipmentModel,
    serial: str = "",
    school: School | None = None,
    room: str = "",
    status: str = AssetStatus.IN_STOCK,
    purchase_date: date | None = None,
    supplier: str = "",
    order_ref: str = "",
    cost: Decimal | None = None,
    warranty_end: date | None = None,
    funding_source: str = "",
    order_line: PurchaseOrderLine | None = None,
    kind: str = EventKind.CREATED,
) -> Asset:
    serial = serial.strip()
    if model.municipality_id != municipality.pk or (school and school.municipality_id != municipality.pk):
        raise ValidationFailed(_("Άγνωστο μοντέλο ή σχολείο."), field="model")
    if status not in (AssetStatus.IN_STOCK, AssetStatus.DEPLOYED):
        raise ValidationFailed(_("Ένα νέο πάγιο καταχωρίζεται σε αποθήκη ή σε χρήση."), field="status")
    if status == AssetStatus.DEPLOYED and school is None:
        raise ValidationFailed(_("Ένα πάγιο σε χρήση πρέπει να έχει σχολείο."), field="school")
    if cost is not None and cost < 0:
        raise ValidationFailed(_("Το κόστος δεν μπορεί να είναι αρνητικό."), field="cost")
    if _serial_taken(municipality=municipality, model=model, serial=serial):
        raise Conflict(
            _("Ο σειριακός αριθμός %(serial)s υπάρχει ήδη για το μοντέλο %(model)s.")
            % {"serial": serial, "model": model},
            field="serial",
        )
    (tag,) = asset_tags_allocate(municipality=municipality)
    try:
        with transaction.atomic():
            asset = Asset.objects.create(
                municipality=municipality,
                tag=tag,
                model=model,
                serial=serial,
                status=status,
                school=school,
                room=room,
                purchase_date=purchase_date,
                supplier=supplier,
                order_ref=order_ref,
                cost=cost,
                warranty_end=warranty_end,
                funding_source=funding_source,
                order_line=order_line,
            )
    except IntegrityError as exc:  # a concurrent insert of the same serial
        raise Conflict(_("Ο σειριακός αριθμός υπάρχει ήδη για αυτό το μοντέλο."), field="serial") from exc
    AssetEvent.objects.create(
        municipality=municipality,
        asset=asset,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        to_status=status,
        to_school=school,
        to_room=room,
    )
    audit_record(action="schools.asset_created", actor=actor, obj=asset, new={"tag": tag, "serial": serial})
    return asset


def asset_lock(asset: Asset) -> Asset:
    """The asset re-read under a row lock (loans and repairs change its status through it)."""
    return Asset.objects.select_for_update().select_related("model").get(pk=asset.pk)


def asset_transition_locked(asset: Asset, to_status: str, *, actor: Any, comment: str, kind: str) -> Asset:
    """Move a (locked) asset to ``to_status`` per the table, with a history row."""
    if to_status not in ASSET_TRANSITIONS.get(asset.status, frozenset()):
        raise TransitionNotAllowed(
            _("Το πάγιο %(tag)s είναι «%(from)s» και δεν μπορεί να γίνει «%(to)s».")
            % {"tag": asset.tag, "from": AssetStatus(asset.status).label, "to": AssetStatus(to_status).label},
            field="status",
        )
    AssetEvent.objects.create(
        municipality_id=asset.municipality_id,
        asset=asset,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=asset.status,
        to_status=to_status,
        from_school_id=asset.school_id,
        to_school_id=asset.school_id,
        from_room=asset.room,
        to_room=asset.room,
        comment=comment[:500],
    )
    old = asset.status
    asset.status = to_status
    asset.save(update_fields=["status", "updated_at"])
    audit_record(
        action="schools.asset_status", actor=actor, obj=asset, old={"status": old}, new={"status": to_status}
    )
    return asset


@transaction.atomic
def asset_transition(*, asset: Asset, to_status: str, actor: Any, comment: str = "") -> Asset:
    asset = asset_lock(asset)
    if to_status == AssetStatus.DEPLOYED and asset.school_id is None:
        raise ValidationFailed(_("Ορίστε πρώτα σχολείο για να τεθεί σε χρήση."), field="status")
    return asset_transition_locked(asset, to_status, actor=actor, comment=comment, kind=EventKind.STATUS)


@transaction.atomic
def asset_move(*, asset: Asset, school: School | None, room: str, actor: Any, comment: str = "") -> Asset:
    asset = asset_lock(asset)
    if asset.status not in (AssetStatus.IN_STOCK, AssetStatus.DEPLOYED):
        raise TransitionNotAllowed(
            _("Ένα πάγιο «%(status)s» δεν μετακινείται.") % {"status": AssetStatus(asset.status).label},
            field="school",
        )
    if school is not None and school.municipality_id != asset.municipality_id:
        raise ValidationFailed(_("Άγνωστο σχολείο."), field="school")
    if school is None and asset.status == AssetStatus.DEPLOYED:
        raise ValidationFailed(_("Ένα πάγιο σε χρήση πρέπει να έχει σχολείο."), field="school")
    if school == asset.school and room == asset.room:
        raise ValidationFailed(_("Η νέα θέση είναι ίδια με την τρέχουσα."), field="room")
    AssetEvent.objects.create(
        municipality_id=asset.municipality_id,
        asset=asset,
        kind=EventKind.MOVED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=asset.status,
        to_status=asset.status,
        from_school_id=asset.school_id,
        to_school=school,
        from_room=asset.room,
        to_room=room,
        comment=comment[:500],
    )
    old = {"school": asset.school_id, "room": asset.room}
    asset.school, asset.room = school, room
    asset.save(update_fields=["school", "room", "updated_at"])
    audit_record(
        action="schools.asset_moved",
        actor=actor,
        obj=asset,
        old=old,
        new={"school": asset.school_id, "room": room},
    )
    return asset
