"""The protocol register's own writes: a paper document registered by hand, an entry voided."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability
from dimos.core.exceptions import Conflict, NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.eservices.constants import Direction
from dimos.eservices.models import ProtocolEntry
from dimos.eservices.register import get_register
from dimos.eservices.services.common import require_staff


@transaction.atomic
def protocol_void(*, entry_id: int, municipality: Municipality, actor: Any, reason: str) -> ProtocolEntry:
    """Void an entry with a reason; its number stays used (never deleted)."""
    require_staff(actor, municipality, Capability.REGISTER_VOID)
    entry = ProtocolEntry.objects.select_for_update().filter(pk=entry_id, municipality=municipality).first()
    if entry is None:
        raise NotFound(_("Η εγγραφή δεν βρέθηκε."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Η ακύρωση χρειάζεται αιτιολογία."), field="reason")
    if entry.voided:
        raise Conflict(_("Η εγγραφή έχει ήδη ακυρωθεί."))
    entry.voided, entry.void_reason, entry.voided_at, entry.voided_by = (
        True,
        reason[:300],
        timezone.now(),
        actor,
    )
    entry.save(update_fields=["voided", "void_reason", "voided_at", "voided_by"])
    audit_record(
        action="services.protocol_voided",
        actor=actor,
        obj=entry,
        municipality=municipality,
        new={"reason": reason},
    )
    return entry


@transaction.atomic
def protocol_register_manual(
    *, municipality: Municipality, actor: Any, direction: str, subject: str, correspondent: str
) -> ProtocolEntry:
    """A paper document registered by the protocol office."""
    require_staff(actor, municipality, Capability.REGISTER_WRITE)
    if direction not in Direction.values:
        raise ValidationFailed(_("Επιλέξτε εισερχόμενο ή εξερχόμενο."), field="direction")
    if not (subject or "").strip():
        raise ValidationFailed(_("Γράψτε το θέμα."), field="subject")
    if not (correspondent or "").strip():
        raise ValidationFailed(_("Γράψτε τον αποστολέα ή τον παραλήπτη."), field="correspondent")
    entry = get_register().register(
        municipality=municipality,
        direction=direction,
        subject=subject.strip(),
        correspondent=correspondent.strip(),
    )
    audit_record(action="services.protocol_registered", actor=actor, obj=entry, municipality=municipality)
    return entry
