"""Signed, expiring links that let a citizen cancel or reschedule from an e-mail.

The token carries the appointment id and reference, signed with SECRET_KEY and
a salt of its own (``django.core.signing``), so it cannot be forged or reused for
another appointment. It expires after ``MANAGE_LINK_MAX_AGE_DAYS``, and is
useless anyway once the appointment is no longer live.
"""

from __future__ import annotations

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from dimos.appointments.constants import MANAGE_LINK_MAX_AGE_DAYS, MANAGE_LINK_SALT
from dimos.appointments.models import Appointment
from dimos.core.exceptions import ValidationFailed
from dimos.core.links import public_url
from dimos.core.models import Municipality


def manage_token(appointment: Appointment) -> str:
    return signing.dumps({"a": appointment.pk, "r": appointment.reference}, salt=MANAGE_LINK_SALT)


def manage_token_read(token: str, *, municipality: Municipality) -> Appointment:
    """The appointment a token points to, or a Greek error that says what went wrong."""
    try:
        data = signing.loads(token, salt=MANAGE_LINK_SALT, max_age=MANAGE_LINK_MAX_AGE_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise ValidationFailed(
            _(
                "Ο σύνδεσμος έχει λήξει. Συνδεθείτε και ανοίξτε «Τα ραντεβού μου» "
                "για να ακυρώσετε ή να αλλάξετε το ραντεβού σας."
            ),
            code="link_expired",
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationFailed(
            _(
                "Ο σύνδεσμος δεν είναι έγκυρος: ίσως αντιγράφηκε λάθος ή αλλοιώθηκε. "
                "Χρησιμοποιήστε τον σύνδεσμο από το e-mail επιβεβαίωσης ή «Τα ραντεβού μου»."
            ),
            code="link_invalid",
        ) from exc
    appointment = (
        Appointment.objects.filter(
            municipality=municipality, pk=data.get("a") if isinstance(data, dict) else None
        )
        .select_related("point", "type", "counter")
        .first()
    )
    if appointment is None or appointment.reference != data.get("r"):
        raise ValidationFailed(
            _("Ο σύνδεσμος δεν αντιστοιχεί σε ραντεβού αυτού του δήμου."), code="link_invalid"
        )
    return appointment


def manage_url(appointment: Appointment) -> str:
    return public_url(
        appointment.municipality,
        reverse("appointments:manage", kwargs={"token": manage_token(appointment)}),
    )
