"""Choices and the transition tables of the schools workflows."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SchoolType(models.TextChoices):
    KINDERGARTEN = "kindergarten", _("Νηπιαγωγείο")
    PRIMARY = "primary", _("Δημοτικό")
    SECONDARY = "secondary", _("Γυμνάσιο/Λύκειο")


class AssetStatus(models.TextChoices):
    IN_STOCK = "in_stock", _("Σε αποθήκη")
    DEPLOYED = "deployed", _("Σε χρήση")
    ON_LOAN = "on_loan", _("Δανεισμένο")
    IN_REPAIR = "in_repair", _("Σε επισκευή")
    RETIRED = "retired", _("Αποσύρθηκε")


# The asset workflow. "on_loan" is entered and left only by the loan services,
# "in_repair" only by the repair services (the asset follows its ticket).
ASSET_TRANSITIONS: dict[str, frozenset[str]] = {
    AssetStatus.IN_STOCK: frozenset({AssetStatus.DEPLOYED, AssetStatus.IN_REPAIR, AssetStatus.RETIRED}),
    AssetStatus.DEPLOYED: frozenset(
        {AssetStatus.IN_STOCK, AssetStatus.ON_LOAN, AssetStatus.IN_REPAIR, AssetStatus.RETIRED}
    ),
    AssetStatus.ON_LOAN: frozenset({AssetStatus.DEPLOYED, AssetStatus.IN_REPAIR}),
    AssetStatus.IN_REPAIR: frozenset({AssetStatus.DEPLOYED, AssetStatus.IN_STOCK, AssetStatus.RETIRED}),
    AssetStatus.RETIRED: frozenset(),
}
# Transitions a person may pick by hand on the asset page.
MANUAL_TRANSITIONS: dict[str, frozenset[str]] = {
    AssetStatus.IN_STOCK: frozenset({AssetStatus.DEPLOYED, AssetStatus.RETIRED}),
    AssetStatus.DEPLOYED: frozenset({AssetStatus.IN_STOCK, AssetStatus.RETIRED}),
    AssetStatus.ON_LOAN: frozenset(),
    AssetStatus.IN_REPAIR: frozenset(),
    AssetStatus.RETIRED: frozenset(),
}
# Statuses that count as "equipment the school has" for the needs computation.
COUNTED_STATUSES = (AssetStatus.IN_STOCK, AssetStatus.DEPLOYED, AssetStatus.ON_LOAN)


class EventKind(models.TextChoices):
    CREATED = "created", _("Καταχώριση")
    STATUS = "status", _("Αλλαγή κατάστασης")
    MOVED = "moved", _("Μετακίνηση")
    LOAN = "loan", _("Δανεισμός")
    RETURN = "return", _("Επιστροφή")
    REPAIR = "repair", _("Επισκευή")
    RECEIVED = "received", _("Παραλαβή από παραγγελία")
    IMPORTED = "imported", _("Εισαγωγή από αρχείο")


class StandardBasis(models.TextChoices):
    PER_CLASSROOM = "classroom", _("ανά αίθουσα")
    PER_TEACHER = "teacher", _("ανά εκπαιδευτικό")
    PER_PUPILS = "pupils", _("ανά Ν μαθητές")
    PER_SCHOOL = "school", _("ανά σχολείο")


class PriorityRule(models.TextChoices):
    GAP_PER_PUPIL = "gap_per_pupil", _("Μεγαλύτερο κενό ανά μαθητή πρώτα")
    LOWEST_COVERAGE = "lowest_coverage", _("Χαμηλότερη κάλυψη του προτύπου πρώτα")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Σχέδιο")
    SUBMITTED = "submitted", _("Υποβλήθηκε")
    FUNDED = "funded", _("Χρηματοδοτήθηκε")


PROPOSAL_TRANSITIONS: dict[str, frozenset[str]] = {
    ProposalStatus.DRAFT: frozenset({ProposalStatus.SUBMITTED}),
    ProposalStatus.SUBMITTED: frozenset({ProposalStatus.DRAFT, ProposalStatus.FUNDED}),
    ProposalStatus.FUNDED: frozenset(),
}


class OrderStatus(models.TextChoices):
    OPEN = "open", _("Ανοικτή")
    PARTIAL = "partial", _("Μερικώς παραλήφθηκε")
    DELIVERED = "delivered", _("Παραλήφθηκε")


class BorrowerKind(models.TextChoices):
    PUPIL = "pupil", _("Μαθητής/τρια")
    TEACHER = "teacher", _("Εκπαιδευτικός")


class LoanStatus(models.TextChoices):
    ACTIVE = "active", _("Ενεργός")
    RETURNED = "returned", _("Επεστράφη")


LOAN_TRANSITIONS: dict[str, frozenset[str]] = {
    LoanStatus.ACTIVE: frozenset({LoanStatus.RETURNED}),
    LoanStatus.RETURNED: frozenset(),
}


class Condition(models.TextChoices):
    GOOD = "good", _("Καλή")
    WORN = "worn", _("Φθορές χρήσης")
    DAMAGED = "damaged", _("Με βλάβη")


class RepairStatus(models.TextChoices):
    REPORTED = "reported", _("Αναφέρθηκε")
    AT_SUPPLIER = "at_supplier", _("Στον προμηθευτή")
    REPAIRED = "repaired", _("Επισκευάστηκε")
    UNREPAIRABLE = "unrepairable", _("Μη επισκευάσιμο")


REPAIR_TRANSITIONS: dict[str, frozenset[str]] = {
    RepairStatus.REPORTED: frozenset(
        {RepairStatus.AT_SUPPLIER, RepairStatus.REPAIRED, RepairStatus.UNREPAIRABLE}
    ),
    RepairStatus.AT_SUPPLIER: frozenset({RepairStatus.REPAIRED, RepairStatus.UNREPAIRABLE}),
    RepairStatus.REPAIRED: frozenset(),
    RepairStatus.UNREPAIRABLE: frozenset(),
}
# Where the asset goes when its ticket closes.
REPAIR_CLOSES_TO = {
    RepairStatus.REPAIRED: AssetStatus.DEPLOYED,
    RepairStatus.UNREPAIRABLE: AssetStatus.RETIRED,
}
OPEN_REPAIR_STATUSES = (RepairStatus.REPORTED, RepairStatus.AT_SUPPLIER)

LICENCE_REMINDER_DAYS = 60
