"""Statuses, the report workflow's transition table and its Open311 mapping."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Υποβλήθηκε")
    CONFIRMED = "confirmed", _("Επιβεβαιώθηκε")
    IN_PROGRESS = "in_progress", _("Σε εξέλιξη")
    ACTION_SCHEDULED = "action_scheduled", _("Προγραμματίστηκε εργασία")
    FIXED = "fixed", _("Διορθώθηκε")
    DUPLICATE = "duplicate", _("Διπλή αναφορά")
    NOT_RESPONSIBLE = "not_responsible", _("Εκτός αρμοδιότητας")
    FORWARDED = "forwarded", _("Διαβιβάστηκε")
    CLOSED = "closed", _("Έκλεισε")
    REOPENED = "reopened", _("Άνοιξε ξανά")


S = ReportStatus

# The workflow: which status may follow which. One service performs transitions
# (services.report_transition) and checks this table.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.SUBMITTED: frozenset(
        {
            S.CONFIRMED,
            S.IN_PROGRESS,
            S.ACTION_SCHEDULED,
            S.FIXED,
            S.DUPLICATE,
            S.NOT_RESPONSIBLE,
            S.FORWARDED,
            S.CLOSED,
        }
    ),
    S.CONFIRMED: frozenset(
        {S.IN_PROGRESS, S.ACTION_SCHEDULED, S.FIXED, S.DUPLICATE, S.NOT_RESPONSIBLE, S.FORWARDED, S.CLOSED}
    ),
    S.IN_PROGRESS: frozenset({S.ACTION_SCHEDULED, S.FIXED, S.NOT_RESPONSIBLE, S.FORWARDED, S.CLOSED}),
    S.ACTION_SCHEDULED: frozenset({S.IN_PROGRESS, S.FIXED, S.CLOSED}),
    S.FIXED: frozenset({S.CLOSED, S.REOPENED}),
    S.DUPLICATE: frozenset({S.REOPENED}),
    S.NOT_RESPONSIBLE: frozenset({S.REOPENED, S.FORWARDED}),
    S.FORWARDED: frozenset({S.FIXED, S.CLOSED, S.REOPENED}),
    S.CLOSED: frozenset({S.REOPENED}),
    S.REOPENED: frozenset(
        {
            S.CONFIRMED,
            S.IN_PROGRESS,
            S.ACTION_SCHEDULED,
            S.FIXED,
            S.DUPLICATE,
            S.NOT_RESPONSIBLE,
            S.FORWARDED,
            S.CLOSED,
        }
    ),
}

# Plain strings from here on (enum members compare equal but format differently).
TRANSITIONS = {str(k.value): frozenset(str(t.value) for t in v) for k, v in TRANSITIONS.items()}

OPEN_STATUSES = frozenset(
    {S.SUBMITTED, S.CONFIRMED, S.IN_PROGRESS, S.ACTION_SCHEDULED, S.FORWARDED, S.REOPENED}
)
OPEN_STATUSES = frozenset(str(s.value) for s in OPEN_STATUSES)
CLOSED_STATUSES = frozenset(set(S.values) - set(OPEN_STATUSES))

# Open311 GeoReport v2 knows only open/closed; the mySociety servicerequestupdates
# extension carries the finer status.
OPEN311_EXTENDED: dict[str, str] = {
    S.SUBMITTED: "OPEN",
    S.CONFIRMED: "OPEN",
    S.IN_PROGRESS: "IN_PROGRESS",
    S.ACTION_SCHEDULED: "ACTION_SCHEDULED",
    S.FIXED: "FIXED",
    S.DUPLICATE: "DUPLICATE",
    S.NOT_RESPONSIBLE: "NOT_COUNCILS_RESPONSIBILITY",
    S.FORWARDED: "INTERNAL_REFERRAL",
    S.CLOSED: "CLOSED",
    S.REOPENED: "REOPEN",
}
OPEN311_EXTENDED = {str(k.value): v for k, v in OPEN311_EXTENDED.items()}


def open311_status(status: str) -> str:
    return "open" if status in OPEN_STATUSES else "closed"


class Priority(models.IntegerChoices):
    LOW = 1, _("Χαμηλή")
    NORMAL = 2, _("Κανονική")
    HIGH = 3, _("Υψηλή")
    URGENT = 4, _("Επείγουσα")


class Source(models.TextChoices):
    WEB = "web", _("Ιστότοπος")
    OPEN311 = "open311", _("Εφαρμογή Open311")
    SENSOR = "sensor", _("Αισθητήρας")
    STAFF = "staff", _("Προσωπικό")


class DeadlineKind(models.TextChoices):
    WORKING = "working", _("εργάσιμες ημέρες")
    CALENDAR = "calendar", _("ημερολογιακές ημέρες")


class UpdateKind(models.TextChoices):
    CREATED = "created", _("Υποβολή")
    STATUS = "status", _("Αλλαγή κατάστασης")
    PUBLIC = "public", _("Δημόσια ενημέρωση")
    NOTE = "note", _("Εσωτερική σημείωση")
    ASSIGNMENT = "assignment", _("Ανάθεση")
    FORWARD = "forward", _("Διαβίβαση")
    FEEDBACK = "feedback", _("Απάντηση πολίτη")
    MERGE = "merge", _("Συγχώνευση")


class AttributeType(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLE = "singlevaluelist", "singlevaluelist"
    MULTI = "multivaluelist", "multivaluelist"


MAX_DESCRIPTION = 4000
MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 8 * 1024 * 1024

# The data version (dimos.core.versions) of what the public caches show: the
# Open311 request list and the public map data. Every write to reports, their
# public updates and photos, categories and the names of departments and bodies
# moves it forward.
DATA_TOPIC = "reports"
