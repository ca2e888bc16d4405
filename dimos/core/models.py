"""Tenancy (Municipality, MunicipalUnit, Department), audit trail, tasks and notifications."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.constants import Channel, DeliveryStatus, TaskStatus
from dimos.core.greek import greek_name_cases
from dimos.core.i18n import bilingual

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Δώστε χρώμα της μορφής #RRGGBB."))
month_day = RegexValidator(r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$", _("Μορφή ΜΜ-ΗΗ."))


class Municipality(models.Model):
    """The tenant. Every tenant-owned row points here."""

    slug = models.SlugField(unique=True)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=150)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=150)
    # Greek sentences need the name in other cases («του Δήμου Σερρών», «στον Δήμο
    # Σερρών»): stored as data, never made by gluing words (architecture rule 5).
    name_genitive = models.CharField(
        _("όνομα στη γενική"),
        max_length=150,
        blank=True,
        help_text=_("Όπως μπαίνει μετά το «του», π.χ. «Δήμου Σερρών»."),
    )
    name_accusative = models.CharField(
        _("όνομα στην αιτιατική"),
        max_length=150,
        blank=True,
        help_text=_("Όπως μπαίνει μετά το «στον», π.χ. «Δήμο Σερρών»."),
    )
    code = models.CharField(
        _("σύντομος κωδικός"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z0-9]{2,8}$", _("2–8 κεφαλαία λατινικά ή ψηφία."))],
        help_text=_("Πρόθεμα για αριθμούς και ετικέτες, π.χ. SER."),
    )
    hostnames = models.JSONField(
        _("ονόματα διακομιστή"),
        default=list,
        blank=True,
        help_text=_('Τα host names από τα οποία εξυπηρετείται ο δήμος, π.χ. ["serres.dimos.gr"].'),
    )
    open311_jurisdiction = models.CharField(_("Open311 jurisdiction_id"), max_length=100, unique=True)
    centre_lat = models.FloatField(_("γεωγραφικό πλάτος κέντρου"))
    centre_lon = models.FloatField(_("γεωγραφικό μήκος κέντρου"))
    boundary = models.JSONField(_("όριο (GeoJSON)"), null=True, blank=True)
    logo = models.FileField(_("λογότυπο"), upload_to="logos/", blank=True)
    primary_colour = models.CharField(
        _("κύριο χρώμα"), max_length=7, default="#003476", validators=[hex_colour]
    )
    address = models.CharField(_("διεύθυνση"), max_length=200, blank=True)
    phone = models.CharField(_("τηλέφωνο"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("ιστότοπος"), blank=True)
    dpo_email = models.EmailField(_("e-mail Υπευθύνου Προστασίας Δεδομένων"), blank=True)
    accessibility_email = models.EmailField(_("e-mail για θέματα προσβασιμότητας"), blank=True)
    local_holidays = models.JSONField(
        _("τοπικές αργίες"),
        default=list,
        blank=True,
        help_text=_('Ημερομηνίες ΜΜ-ΗΗ, π.χ. ["06-29"].'),
    )
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("δήμος")
        verbose_name_plural = _("δήμοι")
        ordering = ["name_el"]

    def __str__(self) -> str:
        return self.name_el

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A case left blank is filled with the suggestion once, then it is data
        # that a person can correct (admin, ``municipality_bootstrap``).
        genitive, accusative = greek_name_cases(self.name_el)
        self.name_genitive = self.name_genitive or genitive
        self.name_accusative = self.name_accusative or accusative
        super().save(*args, **kwargs)

    @property
    def name(self) -> str:
        """The name in the active language."""
        return bilingual(self.name_el, self.name_en)


class TenantModel(models.Model):
    """Base for tenant-owned rows: a non-null municipality, indexed first."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("δήμος")
    )

    class Meta:
        abstract = True


class HistoryEntry(TenantModel):
    """Base of the append-only history tables: who moved what from which status to which, when, why.

    Each workflow (applications, reports, appointments, assets, repairs, alarms)
    keeps its own table and adds what is particular to it (a kind, a visibility
    flag, a room); a row is never changed once written.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("από"),
    )
    from_status = models.CharField(_("από κατάσταση"), max_length=20, blank=True)
    to_status = models.CharField(_("σε κατάσταση"), max_length=20, blank=True)
    comment = models.TextField(_("σχόλιο"), blank=True)
    created_at = models.DateTimeField(_("πότε"), default=timezone.now)

    #: The workflow's statuses (a ``TextChoices``): what turns a stored code into
    #: the label people read. Each history table names its own.
    statuses: ClassVar[type[models.TextChoices] | None] = None

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.transition_label

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise RuntimeError(f"{type(self).__name__} is append-only")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def status_label(self, code: str) -> str:
        """The label of a status code; the code itself only for a code no workflow knows."""
        if self.statuses is not None and code in self.statuses.values:
            return str(self.statuses(code).label)
        return code

    @property
    def from_status_label(self) -> str:
        return self.status_label(self.from_status) if self.from_status else ""

    @property
    def to_status_label(self) -> str:
        return self.status_label(self.to_status) if self.to_status else ""

    @property
    def transition_label(self) -> str:
        """«Αναφέρθηκε → Επισκευάστηκε»; a first status alone («Ανοιχτός»), never «— → open»."""
        before, after = self.from_status_label, self.to_status_label
        if before and after and before != after:
            return f"{before} → {after}"
        return after or before


class DataVersion(models.Model):
    """A counter per municipality and kind of data, moved by every write to that data.

    The one way a shared, public cache knows its entry is current
    (``dimos/core/versions.py``): the counter is bumped inside the writing
    transaction, so a reader that sees the new number also sees the new data.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    topic = models.CharField(max_length=40)
    number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "topic"], name="dataversion_unique_topic"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality_id}:{self.topic}={self.number}"


class MunicipalUnit(TenantModel):
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=150)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=150)
    population = models.PositiveIntegerField(_("πληθυσμός"), null=True, blank=True)
    seat_lat = models.FloatField(null=True, blank=True)
    seat_lon = models.FloatField(null=True, blank=True)
    boundary = models.JSONField(_("όριο (GeoJSON Polygon/MultiPolygon)"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("δημοτική ενότητα")
        verbose_name_plural = _("δημοτικές ενότητες")
        ordering = ["municipality", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name_el"], name="unit_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name_el

    @property
    def name(self) -> str:
        return bilingual(self.name_el, self.name_en)


class Department(TenantModel):
    code = models.SlugField(_("κωδικός"), max_length=60)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=200)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("ανήκει σε"),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    signatory_name = models.CharField(
        _("υπογράφων/ουσα"),
        max_length=150,
        blank=True,
        help_text=_("Ονοματεπώνυμο όπως τυπώνεται κάτω από την υπογραφή των εγγράφων της υπηρεσίας."),
    )
    signatory_capacity = models.CharField(
        _("ιδιότητα υπογράφοντος"),
        max_length=200,
        blank=True,
        help_text=_("Π.χ. «Η Προϊσταμένη του Τμήματος Δημοτολογίου»."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("υπηρεσία")
        verbose_name_plural = _("υπηρεσίες")
        ordering = ["municipality", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="department_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name_el

    @property
    def name(self) -> str:
        return bilingual(self.name_el, self.name_en)


class AuditEvent(models.Model):
    """Append-only trail: who did what to which object, with old and new values."""

    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.PROTECT)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80)
    object_type = models.CharField(max_length=80, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    old_values = models.JSONField(null=True, blank=True)
    new_values = models.JSONField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("συμβάν ελέγχου")
        verbose_name_plural = _("ίχνος ελέγχου")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "object_type", "object_id"], name="audit_object_idx"),
            # The staff audit page: one municipality's events, newest first.
            models.Index(fields=["municipality", "-created_at"], name="audit_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class Task(models.Model):
    """A durable background job. The database is the queue (see docs/adr/0002)."""

    name = models.CharField(max_length=120)
    payload = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=TaskStatus.choices, default=TaskStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=5)
    run_after = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("εργασία παρασκηνίου")
        verbose_name_plural = _("εργασίες παρασκηνίου")
        indexes = [
            # The worker's claim query: pending tasks whose time has come.
            models.Index(fields=["run_after"], name="task_pending_idx", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.name} #{self.pk} ({self.status})"


class NotificationTemplate(models.Model):
    """A per-municipality override of a notification template shipped with the code."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("κλειδί"), max_length=100)
    channel = models.CharField(_("κανάλι"), max_length=10, choices=Channel.choices)
    language = models.CharField(_("γλώσσα"), max_length=5, choices=settings.LANGUAGES)
    subject = models.CharField(_("θέμα"), max_length=200, blank=True)
    body = models.TextField(_("κείμενο"), help_text=_("Σύνταξη προτύπων Django, π.χ. {{ number }}."))

    class Meta:
        verbose_name = _("πρότυπο ειδοποίησης")
        verbose_name_plural = _("πρότυπα ειδοποιήσεων")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "key", "channel", "language"],
                name="notification_template_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} [{self.channel}/{self.language}]"


class Notification(TenantModel):
    """One message to one recipient over one channel: the delivery log."""

    key = models.CharField(max_length=100)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    language = models.CharField(max_length=5)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.CharField(max_length=254)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ειδοποίηση")
        verbose_name_plural = _("ειδοποιήσεις")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["municipality", "status", "created_at"], name="notification_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.key} → {self.channel} ({self.status})"
