"""Loans of school equipment to pupils and teachers."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.services import audit_record, notify
from dimos.schools.constants import (
    LOAN_TRANSITIONS,
    AssetStatus,
    BorrowerKind,
    Condition,
    EventKind,
    LoanStatus,
)
from dimos.schools.models import Asset, Loan
from dimos.schools.services.assets import asset_lock, asset_transition_locked
from dimos.schools.services.repairs import repair_report


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
    asset = asset_lock(asset)
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
    asset_transition_locked(
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
    asset = asset_lock(loan.asset)
    asset_transition_locked(
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
