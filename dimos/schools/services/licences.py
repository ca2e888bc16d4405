"""Software licences: seats per school and expiry reminders."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import ROLE_CAPABILITIES, Capability
from dimos.core.exceptions import Conflict, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record, notify
from dimos.schools.constants import LICENCE_REMINDER_DAYS
from dimos.schools.models import Licence, LicenceSeat, School


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
    """Everyone of the municipality who runs its schools (``schools.manage``)."""
    roles = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.SCHOOLS_MANAGE in caps]
    return list(get_user_model().objects.filter(municipality=municipality, role__in=roles, is_active=True))


def licence_reminders_send(*, today: date | None = None) -> int:
    """Remind the education office (and the administrators) of licences that expire within the reminder window.

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
