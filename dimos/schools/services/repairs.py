"""Fault reports and repairs of assets."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.files import sanitize_image
from dimos.core.services import audit_record
from dimos.schools.constants import (
    OPEN_REPAIR_STATUSES,
    REPAIR_CLOSES_TO,
    REPAIR_TRANSITIONS,
    AssetStatus,
    EventKind,
    RepairStatus,
)
from dimos.schools.models import Asset, Repair, RepairEvent
from dimos.schools.services.assets import asset_lock, asset_transition_locked


@transaction.atomic
def repair_report(*, asset: Asset, description: str, actor: Any, photo: bytes | None = None) -> Repair:
    asset = asset_lock(asset)
    if not description.strip():
        raise ValidationFailed(_("Περιγράψτε τη βλάβη."), field="description")
    if Repair.objects.filter(asset=asset, status__in=OPEN_REPAIR_STATUSES).exists():
        raise Conflict(
            _("Υπάρχει ήδη ανοικτή αναφορά βλάβης για το %(tag)s.") % {"tag": asset.tag}, field="asset"
        )
    if asset.status == AssetStatus.ON_LOAN:
        raise Conflict(
            _("Το %(tag)s είναι δανεισμένο: καταχωρίστε πρώτα την επιστροφή του.") % {"tag": asset.tag},
            field="asset",
        )
    clean = sanitize_image(photo, field="photo") if photo else None
    before = asset.status
    repair = Repair(
        municipality_id=asset.municipality_id,
        asset=asset,
        school_id=asset.school_id,
        description=description.strip(),
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
        asset_status_before=before,
        under_warranty=bool(asset.warranty_end and asset.warranty_end >= timezone.localdate()),
    )
    if clean is not None:
        ext = "png" if clean.content_type == "image/png" else "jpg"
        repair.photo.save(f"fault.{ext}", ContentFile(clean.data), save=False)
        repair.photo_type = clean.content_type
    repair.save()
    RepairEvent.objects.create(
        municipality_id=repair.municipality_id,
        repair=repair,
        actor=repair.reported_by,
        to_status=repair.status,
    )
    asset_transition_locked(
        asset,
        AssetStatus.IN_REPAIR,
        actor=actor,
        comment=_("Βλάβη #%(n)s") % {"n": repair.pk},
        kind=EventKind.REPAIR,
    )
    audit_record(action="schools.repair_reported", actor=actor, obj=repair)
    return repair


@transaction.atomic
def repair_update(
    *,
    repair: Repair,
    actor: Any,
    status: str,
    supplier: str = "",
    cost: Decimal | None = None,
    under_warranty: bool = False,
    comment: str = "",
) -> Repair:
    repair = Repair.objects.select_for_update().get(pk=repair.pk)
    if cost is not None and cost < 0:
        raise ValidationFailed(_("Το κόστος δεν μπορεί να είναι αρνητικό."), field="cost")
    if status != repair.status and status not in REPAIR_TRANSITIONS.get(repair.status, frozenset()):
        raise TransitionNotAllowed(
            _("Η επισκευή είναι «%(from)s» και δεν μπορεί να γίνει «%(to)s».")
            % {
                "from": RepairStatus(repair.status).label,
                "to": RepairStatus(status).label if status in RepairStatus.values else status,
            },
            field="status",
        )
    old = repair.status
    repair.supplier, repair.cost, repair.under_warranty = supplier.strip(), cost, under_warranty
    if status != old:
        repair.status = status
        RepairEvent.objects.create(
            municipality_id=repair.municipality_id,
            repair=repair,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            from_status=old,
            to_status=status,
            comment=comment[:500],
        )
        if status in REPAIR_CLOSES_TO:
            repair.closed_at = timezone.now()
            asset = asset_lock(repair.asset)
            target = REPAIR_CLOSES_TO[status]
            if target == AssetStatus.DEPLOYED and (
                repair.asset_status_before == AssetStatus.IN_STOCK or asset.school_id is None
            ):
                target = AssetStatus.IN_STOCK
            asset_transition_locked(
                asset,
                target,
                actor=actor,
                comment=_("Επισκευή #%(n)s: %(s)s") % {"n": repair.pk, "s": RepairStatus(status).label},
                kind=EventKind.REPAIR,
            )
    repair.save()
    audit_record(
        action="schools.repair_updated", actor=actor, obj=repair, old={"status": old}, new={"status": status}
    )
    return repair
