"""Statuses of an appointment and the transitions the clerk and citizen may make."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The data version (dimos.core.versions) of everything a free-slot grid shows:
# points, counters and their types, hours, closures, appointment types, bookings.
SLOTS_TOPIC = "appointments"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Κλεισμένο")
    CANCELLED = "cancelled", _("Ακυρώθηκε")
    SERVED = "served", _("Εξυπηρετήθηκε")
    NO_SHOW = "no_show", _("Δεν προσήλθε")


# The transition table: from → allowed targets. A no-show may be corrected to
# "served" when the citizen arrives late; served and cancelled are final.
TRANSITIONS: dict[str, frozenset[str]] = {
    AppointmentStatus.BOOKED: frozenset(
        {AppointmentStatus.CANCELLED, AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW}
    ),
    AppointmentStatus.NO_SHOW: frozenset({AppointmentStatus.SERVED}),
    AppointmentStatus.SERVED: frozenset(),
    AppointmentStatus.CANCELLED: frozenset(),
}

# What a clerk marks from the day list.
STAFF_MARKS = (AppointmentStatus.SERVED, AppointmentStatus.NO_SHOW)

WEEKDAYS = [
    (0, _("Δευτέρα")),
    (1, _("Τρίτη")),
    (2, _("Τετάρτη")),
    (3, _("Πέμπτη")),
    (4, _("Παρασκευή")),
    (5, _("Σάββατο")),
    (6, _("Κυριακή")),
]

# Reference codes: no 0/O, 1/I/L, so they can be read over the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 6

# Signed manage links (cancel / reschedule) sent by e-mail.
MANAGE_LINK_SALT = "dimos.appointments.manage"
# A link stays valid at most this long after it was issued.
MANAGE_LINK_MAX_AGE_DAYS = 90

# The reminder goes out the day before, at this local hour.
REMINDER_HOUR = 10
