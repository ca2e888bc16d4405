"""One-time codes that let a staff member enrol their TOTP authenticator.

The first enrolment needs more than the password: an administrator of the staff
member's municipality (or a platform administrator) issues a code — shown once,
to be handed over in person or sent to the staff e-mail — and the sign-in asks
for it before it shows the authenticator's secret. Issuing a code also removes
any authenticator bound before (a lost phone), so the next sign-in enrols anew.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.accounts.models import TOTPDevice, TOTPEnrolmentCode
from dimos.core.constants import StaffRole
from dimos.core.exceptions import PermissionDenied
from dimos.core.services import audit_record

# No 0/O, 1/I/L: read aloud or copied from paper without mistakes.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def _hash(code: str) -> str:
    normalised = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"{settings.SECRET_KEY}:{normalised}".encode()).hexdigest()


def may_issue_enrolment_code(*, actor: Any, user: Any) -> bool:
    """Platform administrators (and the command line, ``actor=None``) for anyone; a municipal
    administrator for the other staff of their municipality."""
    if actor is None or actor.is_superuser:
        return True
    return bool(
        actor.role == StaffRole.MUNICIPAL_ADMIN
        and actor.municipality_id is not None
        and actor.municipality_id == user.municipality_id
        and not user.is_superuser
    )


@transaction.atomic
def totp_enrolment_code_issue(*, user: Any, actor: Any) -> str:
    """A new one-time enrolment code for ``user`` (returned in clear once, stored hashed)."""
    if not may_issue_enrolment_code(actor=actor, user=user):
        raise PermissionDenied(_("Δεν μπορείτε να εκδώσετε κωδικό ενεργοποίησης για αυτόν τον χρήστη."))
    code = "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(3))
    now = timezone.now()
    TOTPDevice.objects.filter(user=user).delete()
    TOTPEnrolmentCode.objects.update_or_create(
        user=user,
        defaults={
            "code_hash": _hash(code),
            "issued_by": actor,
            "issued_at": now,
            "expires_at": now + timedelta(hours=settings.TOTP_ENROLMENT_CODE_HOURS),
            "used_at": None,
        },
    )
    audit_record(
        action="accounts.totp_enrolment_code_issued",
        actor=actor,
        obj=user,
        municipality=user.municipality,
    )
    return code


@transaction.atomic
def totp_enrolment_code_redeem(*, user: Any, code: str) -> bool:
    """Whether ``code`` is the user's valid, unused enrolment code; using it spends it."""
    entry = TOTPEnrolmentCode.objects.select_for_update().filter(user=user).first()
    if entry is None or entry.used_at is not None or entry.expires_at <= timezone.now():
        return False
    if not hmac.compare_digest(entry.code_hash, _hash(code or "")):
        return False
    entry.used_at = timezone.now()
    entry.save(update_fields=["used_at"])
    return True
