"""Statuses, choices and the application workflow's transition table."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    WORKING = "working", _("Εργάσιμες ημέρες")
    CALENDAR = "calendar", _("Ημερολογιακές ημέρες")


class Outcome(models.TextChoices):
    DOCUMENT = "document", _("Έκδοση εγγράφου")
    DECISION = "decision", _("Απόφαση")
    APPOINTMENT = "appointment", _("Ραντεβού")
    EXTERNAL = "external", _("Υπηρεσία του gov.gr (σύνδεσμος)")


# Where a field may be prefilled from the citizen's verified identity (TaxisNet).
PREFILL_SOURCES = {
    "full_name": lambda u: u.get_full_name(),
    "first_name": lambda u: u.first_name,
    "last_name": lambda u: u.last_name,
    "father_name": lambda u: u.father_name,
    "mother_name": lambda u: u.mother_name,
    "birth_year": lambda u: u.birth_year,
    "afm": lambda u: u.afm,
    "amka": lambda u: u.amka,
    "email": lambda u: u.email if u.email_verified else "",
    "phone": lambda u: u.phone if u.phone_verified else "",
}


class Status(models.TextChoices):
    DRAFT = "draft", _("Πρόχειρο")
    SUBMITTED = "submitted", _("Υποβλήθηκε")
    IN_REVIEW = "in_review", _("Σε επεξεργασία")
    AWAITING_CITIZEN = "awaiting_citizen", _("Αναμένονται στοιχεία από τον πολίτη")
    APPROVED = "approved", _("Εγκρίθηκε")
    REJECTED = "rejected", _("Απορρίφθηκε")
    ISSUED = "issued", _("Εκδόθηκε")
    CLOSED = "closed", _("Ολοκληρώθηκε")


# The workflow: from-status → the statuses a transition may lead to.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED}),
    Status.SUBMITTED: frozenset({Status.IN_REVIEW, Status.AWAITING_CITIZEN, Status.REJECTED}),
    Status.IN_REVIEW: frozenset({Status.AWAITING_CITIZEN, Status.APPROVED, Status.REJECTED}),
    # The citizen's answer (or the clerk, on paper) resumes the review.
    Status.AWAITING_CITIZEN: frozenset({Status.IN_REVIEW, Status.REJECTED}),
    Status.APPROVED: frozenset({Status.ISSUED, Status.CLOSED}),
    Status.REJECTED: frozenset({Status.CLOSED}),
    Status.ISSUED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

# Statuses whose deadline is running (overdue/due-soon lists); AWAITING_CITIZEN stops the clock.
OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW)
# Transitions that issue the document of a document service: irreversible, so asked on a confirmation page.
ISSUING_STATUSES = (Status.APPROVED, Status.ISSUED)
ACTIVE_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN, Status.APPROVED)
DUE_SOON_WORKING_DAYS = 3
FORWARD_WITHIN_WORKING_DAYS = 3  # ν. 2690/1999 art. 4: forward to the competent office within 3 days
DEFAULT_DEADLINE_DAYS = 50  # ν. 2690/1999 art. 4


class EventKind(models.TextChoices):
    TRANSITION = "transition", _("Αλλαγή κατάστασης")
    NOTE = "note", _("Εσωτερική σημείωση")
    MESSAGE = "message", _("Μήνυμα προς τον πολίτη")
    REQUEST = "request", _("Αίτημα για συμπληρωματικά στοιχεία")
    ANSWER = "answer", _("Απάντηση πολίτη")
    ASSIGN = "assign", _("Ανάθεση")
    FORWARD = "forward", _("Διαβίβαση")
    DOCUMENT = "document", _("Έγγραφο")


class Direction(models.TextChoices):
    INCOMING = "in", _("Εισερχόμενο")
    OUTGOING = "out", _("Εξερχόμενο")


class DocumentStatus(models.TextChoices):
    VALID = "valid", _("Έγκυρο")
    REVOKED = "revoked", _("Ανακλήθηκε")
    SUPERSEDED = "superseded", _("Αντικαταστάθηκε")


# Attachments: what may be uploaded, and how much.
ATTACHMENT_TYPES = {"application/pdf", "image/jpeg", "image/png"}
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
ATTACHMENT_MAX_PER_FIELD = 3
ATTACHMENT_MAX_PER_APPLICATION = 10

# Verification lookups per client address per minute (public page and API).
VERIFY_RATE_PER_MINUTE = 20
VERIFY_MAX_PDF_BYTES = 10 * 1024 * 1024
# The data version (dimos.core.versions) that keys the shared verification results.
DOCUMENTS_TOPIC = "documents"

QUEUE_VIEWS_LABELS = {
    "open": _("Ανοικτές"),
    "mine": _("Ανατεθειμένες σε εμένα"),
    "overdue": _("Εκπρόθεσμες"),
    "due_soon": _("Λήγουν σύντομα"),
    "awaiting": _("Αναμένουν τον πολίτη"),
    "done": _("Ολοκληρωμένες"),
    "all": _("Όλες"),
}
