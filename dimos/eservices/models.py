"""E-services: catalogue, applications, the protocol register and issued documents."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.i18n import localized
from dimos.core.models import Department, HistoryEntry, TenantModel
from dimos.core.search import SearchTextMixin
from dimos.eservices.constants import (
    DEFAULT_DEADLINE_DAYS,
    DeadlineKind,
    Direction,
    DocumentStatus,
    EventKind,
    Outcome,
    Status,
)


class Service(SearchTextMixin, TenantModel):
    """One entry of a municipality's catalogue, with its application form as data."""

    # What the catalogue's search box looks at, in both languages (``core.search``).
    SEARCH_FIELDS = ("title_el", "title_en", "description_el", "description_en")

    slug = models.SlugField(_("κωδικός"), max_length=80)
    title_el = models.CharField(_("τίτλος (ελληνικά)"), max_length=200)
    title_en = models.CharField(_("τίτλος (αγγλικά)"), max_length=200, blank=True)
    description_el = models.TextField(_("περιγραφή (ελληνικά)"), blank=True)
    description_en = models.TextField(_("περιγραφή (αγγλικά)"), blank=True)
    eligibility_el = models.TextField(_("ποιος μπορεί να υποβάλει (ελληνικά)"), blank=True)
    eligibility_en = models.TextField(_("ποιος μπορεί να υποβάλει (αγγλικά)"), blank=True)
    required_documents = models.JSONField(
        _("δικαιολογητικά"),
        default=list,
        blank=True,
        help_text=_('Λίστα κειμένων, π.χ. ["Αντίγραφο λογαριασμού ΔΕΗ"].'),
    )
    fee = models.DecimalField(_("τέλος (€)"), max_digits=8, decimal_places=2, default=0)
    legal_basis = models.CharField(_("νομική βάση"), max_length=300, blank=True)
    deadline_days = models.PositiveSmallIntegerField(_("προθεσμία (ημέρες)"), default=DEFAULT_DEADLINE_DAYS)
    deadline_kind = models.CharField(
        _("είδος προθεσμίας"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.CALENDAR
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("αρμόδια υπηρεσία"),
    )
    form = models.JSONField(
        _("φόρμα αίτησης"),
        default=list,
        blank=True,
        help_text=_("Λίστα πεδίων: name, type, label_el, label_en, required, help_el, choices, prefill…"),
    )
    outcome = models.CharField(_("αποτέλεσμα"), max_length=12, choices=Outcome.choices)
    external_url = models.URLField(_("σύνδεσμος gov.gr"), blank=True)
    document_title = models.CharField(_("τίτλος εκδιδόμενου εγγράφου"), max_length=200, blank=True)
    document_template = models.TextField(
        _("κείμενο εκδιδόμενου εγγράφου"),
        blank=True,
        help_text=_("Σύνταξη προτύπων Django: {{ citizen_name }}, {{ data.address }}, {{ protocol }}…"),
    )
    is_active = models.BooleanField(_("ενεργή"), default=True)
    position = models.PositiveSmallIntegerField(_("σειρά"), default=100)

    class Meta:
        verbose_name = _("ηλεκτρονική υπηρεσία")
        verbose_name_plural = _("κατάλογος υπηρεσιών")
        ordering = ["municipality", "position", "title_el"]
        constraints = [models.UniqueConstraint(fields=["municipality", "slug"], name="service_unique_slug")]

    def __str__(self) -> str:
        return self.title_el

    @property
    def title(self) -> str:
        return localized(self, "title")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def eligibility(self) -> str:
        return localized(self, "eligibility")

    @property
    def is_external(self) -> bool:
        return self.outcome == Outcome.EXTERNAL

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from dimos.eservices.forms import form_definition_errors

        errors = form_definition_errors(self.form)
        if errors:
            raise ValidationError({"form": errors})
        if self.outcome == Outcome.EXTERNAL and not self.external_url:
            raise ValidationError({"external_url": _("Δώστε τον σύνδεσμο της υπηρεσίας στο gov.gr.")})
        if (
            self.department_id
            and self.municipality_id
            and self.department.municipality_id != self.municipality_id
        ):
            raise ValidationError({"department": _("Η υπηρεσία πρέπει να ανήκει στον ίδιο δήμο.")})


class ProtocolCounter(TenantModel):
    """The last protocol number given per municipality and year (locked to allocate)."""

    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="protocol_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}/{self.year}: {self.last_number}"


class ProtocolEntry(TenantModel):
    """One line of the protocol register. Never deleted: voided with a reason."""

    year = models.PositiveSmallIntegerField(_("έτος"))
    number = models.PositiveIntegerField(_("αριθμός"))
    registered_at = models.DateTimeField(_("ημερομηνία και ώρα"), default=timezone.now)
    direction = models.CharField(_("κατεύθυνση"), max_length=3, choices=Direction.choices)
    subject = models.CharField(_("θέμα"), max_length=300)
    correspondent = models.CharField(_("αποστολέας / παραλήπτης"), max_length=200)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    external_ref = models.CharField(_("αριθμός εξωτερικού πρωτοκόλλου"), max_length=80, blank=True)
    voided = models.BooleanField(_("ακυρώθηκε"), default=False)
    void_reason = models.CharField(_("αιτιολογία ακύρωσης"), max_length=300, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("εγγραφή πρωτοκόλλου")
        verbose_name_plural = _("βιβλίο πρωτοκόλλου")
        ordering = ["municipality", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year", "number"], name="protocol_entry_unique")
        ]
        indexes = [models.Index(fields=["municipality", "registered_at"], name="protocol_entry_date_idx")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.number}/{self.year}"


class Application(TenantModel):
    """A citizen's application for a service, from draft to closing."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    citizen = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("κατάσταση"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(_("στοιχεία αίτησης"), default=dict, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("υπηρεσία"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("χειριστής"),
    )
    protocol = models.OneToOneField(
        ProtocolEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="application"
    )
    submitted_at = models.DateTimeField(_("υποβλήθηκε"), null=True, blank=True)
    deadline = models.DateField(_("προθεσμία"), null=True, blank=True)
    paused_on = models.DateField(_("η προθεσμία σταμάτησε"), null=True, blank=True)
    rejection_reason = models.TextField(_("αιτιολογία απόρριψης"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("αίτηση")
        verbose_name_plural = _("αιτήσεις")
        ordering = ["-created_at"]
        indexes = [
            # The queue walks these in deadline order and stops after one page (no sort of all rows).
            models.Index(fields=["municipality", "department", "deadline"], name="application_queue_idx"),
            models.Index(fields=["municipality", "deadline"], name="application_deadline_idx"),
            models.Index(fields=["municipality", "department", "status"], name="application_status_idx"),
            # The queue's tabs across all departments (capped counts, overdue and due-soon views).
            models.Index(fields=["municipality", "status", "deadline"], name="application_tab_idx"),
            models.Index(fields=["municipality", "citizen", "created_at"], name="application_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service} #{self.pk}"

    @property
    def protocol_label(self) -> str:
        return self.protocol.label if self.protocol_id else ""


class Attachment(TenantModel):
    """A supporting document uploaded by the citizen (private storage, sniffed type)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    field = models.CharField(max_length=60)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to="services/attachments/%Y/%m/")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        indexes = [models.Index(fields=["municipality", "application"], name="attachment_app_idx")]

    def __str__(self) -> str:
        return self.filename


class ApplicationEvent(HistoryEntry):
    """Append-only history: transitions, notes, messages, requests, answers."""

    statuses = Status
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    # PROTECT, not the base's SET_NULL: a clerk with history on an application is deactivated, never deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("από"),
    )
    visible_to_citizen = models.BooleanField(default=True)

    class Meta(HistoryEntry.Meta):
        indexes = [models.Index(fields=["municipality", "application", "created_at"], name="appevent_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_status}→{self.to_status}"

    @property
    def to_label(self) -> str:
        return Status(self.to_status).label if self.to_status in Status.values else ""


class IssuedDocument(TenantModel):
    """A PDF issued to a citizen, verifiable by its public code and SHA-256."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    code = models.CharField(_("κωδικός επαλήθευσης"), max_length=12, unique=True)
    title = models.CharField(_("τύπος εγγράφου"), max_length=200)
    protocol = models.OneToOneField(ProtocolEntry, on_delete=models.PROTECT, related_name="document")
    issued_at = models.DateTimeField(_("ημερομηνία έκδοσης"), default=timezone.now)
    pdf = models.FileField(upload_to="services/documents/%Y/%m/")
    sha256 = models.CharField(max_length=64, db_index=True)
    sealed = models.BooleanField(_("φέρει ηλεκτρονική σφραγίδα"), default=False)
    status = models.CharField(max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.VALID)
    status_reason = models.CharField(_("αιτιολογία"), max_length=300, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("εκδοθέν έγγραφο")
        verbose_name_plural = _("εκδοθέντα έγγραφα")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["municipality", "application"], name="document_app_idx")]

    def __str__(self) -> str:
        return f"{self.title} {self.code}"


class VerificationLookup(TenantModel):
    """One public lookup of the verification page or API, without personal data.

    Kept apart from the audit trail: lookups are public, frequent events, not
    staff actions, and would drown the trail. One narrow row and one index, so
    logging every lookup stays cheap (the verification page's speed target).
    No IP address, no user: only what was asked and what was answered.
    """

    municipality = models.ForeignKey(
        "core.Municipality", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    document = models.ForeignKey(
        IssuedDocument, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    how = models.CharField(_("τρόπος"), max_length=10)
    result = models.CharField(_("αποτέλεσμα"), max_length=20)
    created_at = models.DateTimeField(_("χρόνος"), default=timezone.now)

    class Meta:
        verbose_name = _("επαλήθευση εγγράφου")
        verbose_name_plural = _("επαληθεύσεις εγγράφων")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["municipality", "document"], name="lookup_document_idx")]

    def __str__(self) -> str:
        return f"{self.how} {self.result}"
