"""Every write of the schools app (keyword-only, atomic, audited)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.constants import StaffRole
from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.files import sanitize_image
from dimos.core.geo import unit_at, valid_lat_lon
from dimos.core.models import Municipality
from dimos.core.services import audit_record, notify
from dimos.schools.constants import (
    ASSET_TRANSITIONS,
    LICENCE_REMINDER_DAYS,
    LOAN_TRANSITIONS,
    OPEN_REPAIR_STATUSES,
    PROPOSAL_TRANSITIONS,
    REPAIR_CLOSES_TO,
    REPAIR_TRANSITIONS,
    AssetStatus,
    BorrowerKind,
    Condition,
    EventKind,
    LoanStatus,
    OrderStatus,
    ProposalStatus,
    RepairStatus,
)
from dimos.schools.models import (
    Asset,
    AssetEvent,
    AssetTagCounter,
    EquipmentModel,
    Licence,
    LicenceSeat,
    Loan,
    Proposal,
    ProposalLine,
    ProposalVersion,
    PurchaseOrder,
    PurchaseOrderLine,
    Repair,
    RepairEvent,
    School,
    SchoolYear,
)
from dimos.schools.planning import prioritise
from dimos.schools.selectors import current_school_year, needs

# --- Schools -----------------------------------------------------------------------


def school_save(*, school: School, actor: Any) -> School:
    """Create or update a school; the municipal unit follows its map point."""
    municipality = school.municipality
    if (school.lat is None) != (school.lon is None):
        raise ValidationFailed(_("Δώστε και γεωγραφικό πλάτος και μήκος, ή κανένα."), field="lat")
    if school.lat is not None:
        if not valid_lat_lon(school.lat, school.lon):
            raise ValidationFailed(_("Μη έγκυρες συντεταγμένες."), field="lat")
        school.unit = unit_at(municipality, school.lat, school.lon)
        if school.unit is None:
            raise ValidationFailed(_("Το σημείο δεν βρίσκεται σε δημοτική ενότητα του δήμου."), field="lat")
    if school.director_id is not None:
        director = school.director
        if director.role != StaffRole.SCHOOL_DIRECTOR or director.municipality_id != municipality.pk:
            raise ValidationFailed(
                _("Ο/Η διευθυντής/ντρια πρέπει να είναι χρήστης του δήμου με ρόλο διευθυντή σχολείου."),
                field="director",
            )
    created = school.pk is None
    try:
        with transaction.atomic():
            school.save()
    except IntegrityError as exc:
        raise ValidationFailed(_("Υπάρχει ήδη σχολείο με αυτή την ονομασία."), field="name") from exc
    audit_record(
        action="schools.school_created" if created else "schools.school_updated", actor=actor, obj=school
    )
    return school


def school_year_set(*, school: School, year: int, pupils: int, teachers: int, actor: Any) -> SchoolYear:
    if year < 2000 or year > 2100:
        raise ValidationFailed(_("Μη έγκυρο σχολικό έτος."), field="year")
    if pupils < 0 or teachers < 0:
        raise ValidationFailed(_("Οι αριθμοί δεν μπορεί να είναι αρνητικοί."), field="pupils")
    row, _created = SchoolYear.objects.update_or_create(
        municipality=school.municipality,
        school=school,
        year=year,
        defaults={"pupils": pupils, "teachers": teachers},
    )
    audit_record(
        action="schools.school_year_set",
        actor=actor,
        obj=school,
        new={"year": year, "pupils": pupils, "teachers": teachers},
    )
    return row


# --- Assets ------------------------------------------------------------------------


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


def _lock(asset: Asset) -> Asset:
    return Asset.objects.select_for_update().select_related("model").get(pk=asset.pk)


def _transition(asset: Asset, to_status: str, *, actor: Any, comment: str, kind: str) -> Asset:
    """Move a (locked) asset to ``to_status`` per the table, with a history row."""
    if to_status not in ASSET_TRANSITIONS.get(asset.status, frozenset()):
        raise TransitionNotAllowed(
            _("Το πάγιο %(tag)s είναι «%(from)s» και δεν μπορεί να γίνει «%(to)s».")
            % {
                "tag": asset.tag,
                "from": AssetStatus(asset.status).label,
                "to": AssetStatus(to_status).label,
            },
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
    asset = _lock(asset)
    if to_status == AssetStatus.DEPLOYED and asset.school_id is None:
        raise ValidationFailed(_("Ορίστε πρώτα σχολείο για να τεθεί σε χρήση."), field="status")
    return _transition(asset, to_status, actor=actor, comment=comment, kind=EventKind.STATUS)


@transaction.atomic
def asset_move(*, asset: Asset, school: School | None, room: str, actor: Any, comment: str = "") -> Asset:
    asset = _lock(asset)
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


# --- Licences ----------------------------------------------------------------------


@transaction.atomic
def licence_assign(*, licence: Licence, school: School, seats: int, actor: Any) -> LicenceSeat | None:
    """Set a school's seats of a licence (0 removes it); never more than the licence has."""
    licence = Licence.objects.select_for_update().get(pk=licence.pk)
    if school.municipality_id != licence.municipality_id:
        raise ValidationFailed(_("Άγνωστο σχολείο."), field="school")
    if seats < 0:
        raise ValidationFailed(_("Οι θέσεις δεν μπορεί να είναι αρνητικές."), field="seats")
    others = (
        LicenceSeat.objects.filter(licence=licence).exclude(school=school).aggregate(n=Sum("seats"))["n"] or 0
    )
    if others + seats > licence.seats:
        raise Conflict(
            _("Η άδεια έχει %(total)s θέσεις· ήδη διατεθειμένες %(used)s, διαθέσιμες %(free)s.")
            % {"total": licence.seats, "used": others, "free": licence.seats - others},
            field="seats",
        )
    LicenceSeat.objects.filter(licence=licence, school=school).delete()
    row = None
    if seats:
        row = LicenceSeat.objects.create(
            municipality_id=licence.municipality_id, licence=licence, school=school, seats=seats
        )
    audit_record(
        action="schools.licence_assigned", actor=actor, obj=licence, new={"school": school.pk, "seats": seats}
    )
    return row


def _office_users(municipality: Municipality) -> list[Any]:
    return list(
        get_user_model().objects.filter(
            municipality=municipality, role=StaffRole.MUNICIPAL_ADMIN, is_active=True
        )
    )


def licence_reminders_send(*, today: date | None = None) -> int:
    """Remind the municipal administrators of licences that expire within the reminder window.

    Each expiry date is reminded once (``reminded_for``), so running it daily is safe.
    """
    today = today or timezone.localdate()
    sent = 0
    due = Licence.objects.filter(
        valid_until__lte=today + timedelta(days=LICENCE_REMINDER_DAYS)
    ).select_related("municipality")
    for licence in due:
        if licence.reminded_for == licence.valid_until:
            continue
        with transaction.atomic():
            for user in _office_users(licence.municipality):
                notify(
                    municipality=licence.municipality,
                    key="schools.licence_expiring",
                    context={
                        "product": licence.product,
                        "valid_until": licence.valid_until,
                        "days": (licence.valid_until - today).days,
                        "seats": licence.seats,
                    },
                    user=user,
                )
            Licence.objects.filter(pk=licence.pk).update(reminded_for=licence.valid_until)
        sent += 1
    return sent


# --- Loans ---------------------------------------------------------------------------


@transaction.atomic
def loan_checkout(
    *,
    asset: Asset,
    borrower_kind: str,
    borrower_name: str,
    due_date: date,
    actor: Any,
    pupil_class: str = "",
    guardian_name: str = "",
    guardian_consent: bool = False,
    today: date | None = None,
) -> Loan:
    today = today or timezone.localdate()
    asset = _lock(asset)
    if asset.status == AssetStatus.ON_LOAN:
        raise Conflict(_("Το πάγιο %(tag)s είναι ήδη δανεισμένο.") % {"tag": asset.tag}, field="asset")
    if asset.status != AssetStatus.DEPLOYED or asset.school_id is None:
        raise Conflict(
            _(
                "Το πάγιο %(tag)s δεν μπορεί να δανειστεί: είναι «%(status)s» (δανείζεται μόνο εξοπλισμός σε χρήση σχολείου)."
            )
            % {"tag": asset.tag, "status": AssetStatus(asset.status).label},
            field="asset",
        )
    if borrower_kind not in BorrowerKind.values:
        raise ValidationFailed(_("Επιλέξτε μαθητή ή εκπαιδευτικό."), field="borrower_kind")
    if not borrower_name.strip():
        raise ValidationFailed(_("Συμπληρώστε το ονοματεπώνυμο του δανειζόμενου."), field="borrower_name")
    if borrower_kind == BorrowerKind.PUPIL:
        if not guardian_name.strip():
            raise ValidationFailed(
                _("Για μαθητή χρειάζεται το ονοματεπώνυμο του κηδεμόνα."), field="guardian_name"
            )
        if not guardian_consent:
            raise ValidationFailed(
                _("Για δανεισμό σε μαθητή απαιτείται η συγκατάθεση του κηδεμόνα."), field="guardian_consent"
            )
    if due_date <= today:
        raise ValidationFailed(_("Η ημερομηνία επιστροφής πρέπει να είναι μελλοντική."), field="due_date")
    loan = Loan.objects.create(
        municipality_id=asset.municipality_id,
        asset=asset,
        school_id=asset.school_id,
        borrower_kind=borrower_kind,
        borrower_name=borrower_name.strip(),
        pupil_class=pupil_class.strip(),
        guardian_name=guardian_name.strip() if borrower_kind == BorrowerKind.PUPIL else "",
        guardian_consent=guardian_consent if borrower_kind == BorrowerKind.PUPIL else False,
        consent_recorded_at=timezone.now() if borrower_kind == BorrowerKind.PUPIL else None,
        start_date=today,
        due_date=due_date,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _transition(
        asset,
        AssetStatus.ON_LOAN,
        actor=actor,
        comment=_("Δανεισμός #%(n)s") % {"n": loan.pk},
        kind=EventKind.LOAN,
    )
    audit_record(action="schools.loan_checkout", actor=actor, obj=loan)
    return loan


@transaction.atomic
def loan_return(*, loan: Loan, condition: str, notes: str = "", actor: Any) -> Loan:
    loan = Loan.objects.select_for_update().get(pk=loan.pk)
    if LoanStatus.RETURNED not in LOAN_TRANSITIONS[loan.status]:
        raise TransitionNotAllowed(_("Ο δανεισμός έχει ήδη επιστραφεί."), field="condition")
    if condition not in Condition.values:
        raise ValidationFailed(_("Επιλέξτε την κατάσταση του εξοπλισμού."), field="condition")
    if condition == Condition.DAMAGED and not notes.strip():
        raise ValidationFailed(_("Περιγράψτε τη βλάβη στις σημειώσεις."), field="notes")
    loan.status = LoanStatus.RETURNED
    loan.returned_at = timezone.now()
    loan.return_condition = condition
    loan.return_notes = notes.strip()[:500]
    loan.save(update_fields=["status", "returned_at", "return_condition", "return_notes"])
    asset = _lock(loan.asset)
    _transition(
        asset,
        AssetStatus.DEPLOYED,
        actor=actor,
        comment=_("Επιστροφή δανεισμού #%(n)s: %(c)s") % {"n": loan.pk, "c": Condition(condition).label},
        kind=EventKind.RETURN,
    )
    if condition == Condition.DAMAGED:
        repair_report(asset=asset, description=notes, actor=actor)
    audit_record(action="schools.loan_returned", actor=actor, obj=loan, new={"condition": condition})
    return loan


def loan_overdue_reminders_send(*, today: date | None = None) -> int:
    """Tell each school's director about its overdue loans, once a day at most."""
    today = today or timezone.localdate()
    sent = 0
    overdue = (
        Loan.objects.filter(status=LoanStatus.ACTIVE, due_date__lt=today)
        .exclude(reminded_on=today)
        .select_related("school__director", "asset", "municipality")
    )
    by_school: dict[int, list[Loan]] = {}
    for loan in overdue:
        by_school.setdefault(loan.school_id, []).append(loan)
    for loans in by_school.values():
        school = loans[0].school
        with transaction.atomic():
            if school.director is not None:
                notify(
                    municipality=loans[0].municipality,
                    key="schools.loans_overdue",
                    context={
                        "school": school.name,
                        "loans": [{"tag": ln.asset.tag, "due": ln.due_date} for ln in loans],
                    },
                    user=school.director,
                )
            Loan.objects.filter(pk__in=[ln.pk for ln in loans]).update(reminded_on=today)
        sent += len(loans)
    return sent


# --- Repairs ---------------------------------------------------------------------------


@transaction.atomic
def repair_report(*, asset: Asset, description: str, actor: Any, photo: bytes | None = None) -> Repair:
    asset = _lock(asset)
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
    _transition(
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
            asset = _lock(repair.asset)
            target = REPAIR_CLOSES_TO[status]
            if target == AssetStatus.DEPLOYED and (
                repair.asset_status_before == AssetStatus.IN_STOCK or asset.school_id is None
            ):
                target = AssetStatus.IN_STOCK
            _transition(
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


# --- Proposals -------------------------------------------------------------------------


def proposal_create(
    *, municipality: Municipality, title: str, funding_programme: str = "", actor: Any
) -> Proposal:
    if not title.strip():
        raise ValidationFailed(_("Δώστε τίτλο."), field="title")
    proposal = Proposal.objects.create(
        municipality=municipality,
        title=title.strip(),
        funding_programme=funding_programme.strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="schools.proposal_created", actor=actor, obj=proposal)
    return proposal


@transaction.atomic
def proposal_version_build(
    *,
    proposal: Proposal,
    budget_cap: Decimal,
    rule: str,
    actor: Any,
    note: str = "",
    year: int | None = None,
    today: date | None = None,
) -> ProposalVersion:
    """Compute the needs now and store them as the proposal's next draft version."""
    if budget_cap is None or budget_cap < 0:
        raise ValidationFailed(_("Ο προϋπολογισμός δεν μπορεί να είναι αρνητικός."), field="budget_cap")
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.DRAFT:
        raise TransitionNotAllowed(
            _("Νέα έκδοση γίνεται μόνο όσο η πρόταση είναι σχέδιο."), field="budget_cap"
        )
    year = year or current_school_year(today)
    plan = prioritise(
        needs(municipality=proposal.municipality, year=year, today=today), budget_cap=budget_cap, rule=rule
    )
    last = proposal.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProposalVersion.objects.create(
        municipality_id=proposal.municipality_id,
        proposal=proposal,
        number=last + 1,
        budget_cap=budget_cap,
        rule=rule,
        school_year=year,
        total_need=plan.total_need,
        total_funded=plan.total_funded,
        note=note.strip()[:300],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ProposalLine.objects.bulk_create(
        ProposalLine(
            municipality_id=proposal.municipality_id,
            version=version,
            rank=line.rank,
            school_id=line.need.school_id,
            category_id=line.need.category_id,
            model_id=line.need.model_id,
            required=line.need.required,
            have=line.need.have,
            gap=line.need.gap,
            pupils=line.need.pupils,
            score=line.score,
            unit_price=line.need.unit_price,
            quantity=line.quantity,
            amount=line.amount,
            explanation=line.explanation,
        )
        for line in plan.lines
    )
    audit_record(
        action="schools.proposal_version",
        actor=actor,
        obj=proposal,
        new={"version": version.number, "budget_cap": str(budget_cap), "funded": str(plan.total_funded)},
    )
    return version


@transaction.atomic
def proposal_transition(*, proposal: Proposal, to_status: str, actor: Any) -> Proposal:
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if to_status not in PROPOSAL_TRANSITIONS.get(proposal.status, frozenset()):
        raise TransitionNotAllowed(
            _("Η πρόταση είναι «%(from)s» και δεν μπορεί να γίνει «%(to)s».")
            % {"from": ProposalStatus(proposal.status).label, "to": ProposalStatus(to_status).label},
            field="status",
        )
    version = proposal.latest()
    if version is None:
        raise ValidationFailed(_("Η πρόταση δεν έχει ακόμη καμία έκδοση."), field="status")
    old = proposal.status
    proposal.status = to_status
    proposal.save(update_fields=["status"])
    if to_status == ProposalStatus.FUNDED:
        _orders_from(proposal, version)
    audit_record(
        action="schools.proposal_status",
        actor=actor,
        obj=proposal,
        old={"status": old},
        new={"status": to_status},
    )
    return proposal


def _orders_from(proposal: Proposal, version: ProposalVersion) -> list[PurchaseOrder]:
    """One purchase order per category with the funded lines of the latest version."""
    orders: dict[int, PurchaseOrder] = {}
    year = timezone.localdate().year
    existing = PurchaseOrder.objects.filter(
        municipality_id=proposal.municipality_id, number__startswith=f"ΠΡ-{year}-"
    ).count()
    for line in (
        version.lines.filter(quantity__gt=0).select_related("category").order_by("category__name", "rank")
    ):
        order = orders.get(line.category_id)
        if order is None:
            existing += 1
            order = PurchaseOrder.objects.create(
                municipality_id=proposal.municipality_id,
                number=f"ΠΡ-{year}-{existing:04d}",
                proposal=proposal,
                category=line.category,
                funding_source=proposal.funding_programme,
            )
            orders[line.category_id] = order
        PurchaseOrderLine.objects.create(
            municipality_id=proposal.municipality_id,
            order=order,
            school_id=line.school_id,
            model_id=line.model_id,
            quantity=line.quantity,
            unit_price=line.unit_price,
        )
    return list(orders.values())


@transaction.atomic
def order_receive(
    *,
    line: PurchaseOrderLine,
    serials: list[str],
    actor: Any,
    supplier: str = "",
    delivered_on: date | None = None,
    warranty_years: int = 2,
) -> list[Asset]:
    """Receive delivered units of an order line into the inventory (deployed at the school)."""
    line = (
        PurchaseOrderLine.objects.select_for_update()
        .select_related("order", "model", "school")
        .get(pk=line.pk)
    )
    serials = [s.strip() for s in serials if s.strip()]
    if not serials:
        raise ValidationFailed(
            _("Δώστε τουλάχιστον έναν σειριακό αριθμό (έναν ανά γραμμή)."), field="serials"
        )
    if len(set(serials)) != len(serials):
        raise ValidationFailed(_("Ο ίδιος σειριακός αριθμός δόθηκε δύο φορές."), field="serials")
    if len(serials) > line.outstanding:
        raise ValidationFailed(
            _("Η γραμμή περιμένει ακόμη %(n)s τεμάχια, δόθηκαν %(m)s.")
            % {"n": line.outstanding, "m": len(serials)},
            field="serials",
        )
    delivered_on = delivered_on or timezone.localdate()
    order = line.order
    created = [
        asset_create(
            municipality=order.municipality,
            actor=actor,
            model=line.model,
            serial=serial,
            school=line.school,
            status=AssetStatus.DEPLOYED,
            purchase_date=delivered_on,
            supplier=supplier or order.supplier,
            order_ref=order.number,
            cost=line.unit_price,
            warranty_end=delivered_on.replace(year=delivered_on.year + warranty_years),
            funding_source=order.funding_source,
            order_line=line,
            kind=EventKind.RECEIVED,
        )
        for serial in serials
    ]
    line.received += len(created)
    line.save(update_fields=["received"])
    remaining = PurchaseOrderLine.objects.filter(order=order).exclude(pk=line.pk)
    outstanding = line.outstanding + sum(ln.outstanding for ln in remaining)
    order.status = OrderStatus.DELIVERED if outstanding == 0 else OrderStatus.PARTIAL
    if supplier and not order.supplier:
        order.supplier = supplier
    order.save(update_fields=["status", "supplier"])
    return created
