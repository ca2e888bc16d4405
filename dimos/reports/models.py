"""Citizen reports: categories, routing, reports, their history, photos and followers."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.i18n import BilingualNameMixin, localized
from dimos.core.models import Department, HistoryEntry, MunicipalUnit, TenantModel
from dimos.reports.constants import (
    OPEN311_EXTENDED,
    AttributeType,
    DeadlineKind,
    Priority,
    ReportStatus,
    Source,
    UpdateKind,
    open311_status,
)


class ExternalBody(BilingualNameMixin, TenantModel):
    """An organisation outside the municipality (e.g. the water utility): reports are forwarded by e-mail."""

    code = models.SlugField(_("κωδικός"), max_length=60)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=200)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail διαβίβασης"))
    website = models.URLField(_("ιστότοπος"), blank=True)

    class Meta:
        verbose_name = _("εξωτερικός φορέας")
        verbose_name_plural = _("εξωτερικοί φορείς")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="reports_body_unique_code")
        ]

    def __str__(self) -> str:
        return self.name_el


class CategoryGroup(BilingualNameMixin, TenantModel):
    code = models.SlugField(_("κωδικός"), max_length=60)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=150)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=150, blank=True)
    icon = models.CharField(_("εικονίδιο"), max_length=8, blank=True, help_text=_("Ένα σύμβολο emoji."))
    order = models.PositiveSmallIntegerField(_("σειρά"), default=0)

    class Meta:
        verbose_name = _("ομάδα κατηγοριών")
        verbose_name_plural = _("ομάδες κατηγοριών")
        ordering = ["municipality", "order", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="reports_group_unique_code")
        ]

    def __str__(self) -> str:
        return self.name_el


class Category(BilingualNameMixin, TenantModel):
    """A kind of problem; its code is the Open311 service_code."""

    code = models.SlugField(_("κωδικός (service_code)"), max_length=60)
    group = models.ForeignKey(
        CategoryGroup, on_delete=models.PROTECT, related_name="categories", verbose_name=_("ομάδα")
    )
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=150)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=150, blank=True)
    description_el = models.TextField(_("περιγραφή (ελληνικά)"), blank=True)
    description_en = models.TextField(_("περιγραφή (αγγλικά)"), blank=True)
    keywords = models.CharField(_("λέξεις-κλειδιά"), max_length=300, blank=True)
    icon = models.CharField(_("εικονίδιο"), max_length=8, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("υπηρεσία (προεπιλογή)"),
        help_text=_("Όταν κανένας κανόνας δρομολόγησης δεν ταιριάζει."),
    )
    external_body = models.ForeignKey(
        ExternalBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("εξωτερικός φορέας"),
        help_text=_("Οι αναφορές διαβιβάζονται με e-mail σε αυτόν τον φορέα αντί να ανατεθούν."),
    )
    deadline_days = models.PositiveSmallIntegerField(_("προθεσμία (ημέρες)"), default=10)
    deadline_kind = models.CharField(
        _("είδος προθεσμίας"), max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.WORKING
    )
    allow_anonymous = models.BooleanField(_("επιτρέπονται ανώνυμες αναφορές"), default=True)
    duplicate_radius_m = models.PositiveSmallIntegerField(_("ακτίνα διπλών αναφορών (m)"), default=50)
    is_active = models.BooleanField(_("ενεργή"), default=True)
    order = models.PositiveSmallIntegerField(_("σειρά"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("κατηγορία")
        verbose_name_plural = _("κατηγορίες")
        ordering = ["municipality", "group__order", "order", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="reports_category_unique_code")
        ]

    def __str__(self) -> str:
        return self.name_el

    @property
    def description(self) -> str:
        return localized(self, "description")

    def deadline_from(self, day: dt.date, local_holidays: list[str]) -> dt.date:
        from dimos.core.workdays import add_calendar_days, add_working_days

        if self.deadline_kind == DeadlineKind.CALENDAR:
            return add_calendar_days(day, self.deadline_days, local_holidays)
        return add_working_days(day, self.deadline_days, local_holidays)


class CategoryAttribute(TenantModel):
    """An extra question of a category: an Open311 service definition attribute."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("κωδικός"), max_length=60)
    datatype = models.CharField(
        _("τύπος"), max_length=20, choices=AttributeType.choices, default=AttributeType.STRING
    )
    required = models.BooleanField(_("υποχρεωτικό"), default=False)
    variable = models.BooleanField(_("συμπληρώνεται από τον πολίτη"), default=True)
    description_el = models.CharField(_("ερώτηση (ελληνικά)"), max_length=300)
    description_en = models.CharField(_("ερώτηση (αγγλικά)"), max_length=300, blank=True)
    datatype_description = models.CharField(_("οδηγία μορφής"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("σειρά"), default=1)
    values = models.JSONField(
        _("τιμές"), default=list, blank=True, help_text=_('[{"key": "1", "name": "…"}]')
    )

    class Meta:
        verbose_name = _("πρόσθετη ερώτηση")
        verbose_name_plural = _("πρόσθετες ερωτήσεις")
        ordering = ["category", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "category", "code"], name="reports_attr_unique_code"
            ),
            models.UniqueConstraint(
                fields=["municipality", "category", "order"], name="reports_attr_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.category.code}:{self.code}"

    @property
    def description(self) -> str:
        return localized(self, "description")


class RoutingRule(TenantModel):
    """Category × municipal unit → department. An empty unit matches every unit."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routing_rules")
    unit = models.ForeignKey(MunicipalUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("κανόνας δρομολόγησης")
        verbose_name_plural = _("κανόνες δρομολόγησης")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "category", "unit"], name="reports_rule_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.category} × {self.unit or '*'} → {self.department}"


class Street(TenantModel):
    """The municipality's street list, for resolving a typed address to a point."""

    name = models.CharField(_("οδός"), max_length=150)
    name_normalized = models.CharField(max_length=150, editable=False)
    lat = models.FloatField()
    lon = models.FloatField()

    class Meta:
        verbose_name = _("οδός")
        verbose_name_plural = _("οδοί")
        indexes = [models.Index(fields=["municipality", "name_normalized"], name="reports_street_name_idx")]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="reports_street_unique")]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        from dimos.core.greek import normalize_greek

        self.name_normalized = normalize_greek(self.name)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.name


class Open311Client(TenantModel):
    """A client application with its API key (stored hashed; shown once at issue)."""

    name = models.CharField(_("εφαρμογή"), max_length=150)
    contact_email = models.EmailField(_("e-mail επικοινωνίας"), blank=True)
    key_prefix = models.CharField(max_length=12, editable=False, db_index=True)
    key_hash = models.CharField(max_length=64, editable=False, unique=True)
    is_active = models.BooleanField(_("ενεργό"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("κλειδί Open311")
        verbose_name_plural = _("κλειδιά Open311")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"


class Report(TenantModel):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="reports", verbose_name=_("κατηγορία")
    )
    unit = models.ForeignKey(
        MunicipalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("δημοτική ενότητα"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("υπηρεσία"),
    )
    external_body = models.ForeignKey(
        ExternalBody,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("φορέας"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("χειριστής"),
    )
    status = models.CharField(
        _("κατάσταση"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED
    )
    is_open = models.BooleanField(default=True)
    is_public = models.BooleanField(
        default=True, help_text=_("Ψευδές όσο μια ανώνυμη αναφορά περιμένει επιβεβαίωση του e-mail.")
    )
    priority = models.PositiveSmallIntegerField(
        _("προτεραιότητα"), choices=Priority.choices, default=Priority.NORMAL
    )
    lat = models.FloatField()
    lon = models.FloatField()
    address = models.CharField(_("σημείο"), max_length=250, blank=True)
    description = models.TextField(_("περιγραφή"), max_length=4000)
    # What the public sees (page, map, Open311, open data): the citizen's text with phone
    # numbers, e-mail addresses and ΑΦΜ/ΑΜΚΑ-like numbers masked at intake
    # (``mask_personal_data``); staff with ``reports.moderate`` may edit it.
    public_description = models.TextField(_("δημόσια περιγραφή"), max_length=4000, blank=True)
    public_address = models.CharField(_("δημόσιο σημείο"), max_length=250, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.WEB)
    external_ref = models.CharField(max_length=120, blank=True)
    client = models.ForeignKey(
        Open311Client, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    media_url = models.URLField(max_length=500, blank=True)
    open311_token = models.CharField(max_length=43, blank=True, db_index=True)
    status_notes = models.CharField(_("σημείωση κατάστασης"), max_length=500, blank=True)
    # The reporter: private, never on public pages or APIs.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(max_length=150, blank=True)
    reporter_email = models.EmailField(blank=True)
    reporter_phone = models.CharField(max_length=30, blank=True)
    show_name = models.BooleanField(default=False)
    device_id = models.CharField(max_length=120, blank=True)
    account_id = models.CharField(max_length=120, blank=True)
    tracking_token = models.CharField(max_length=43, unique=True)
    confirmation_token = models.CharField(max_length=43, blank=True)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates"
    )
    supporters_count = models.PositiveIntegerField(default=0)
    deadline = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    fixed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("αναφορά")
        verbose_name_plural = _("αναφορές")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["municipality", "is_public", "created_at"], name="reports_public_created_idx"
            ),
            models.Index(
                fields=["municipality", "category", "is_open", "lat", "lon"], name="reports_dup_idx"
            ),
            models.Index(fields=["municipality", "is_public", "lat", "lon"], name="reports_map_idx"),
            models.Index(
                fields=["municipality", "department", "is_open", "created_at"], name="reports_queue_idx"
            ),
            models.Index(fields=["municipality", "updated_at"], name="reports_updated_idx"),
            # The staff queue's default view (open reports, most urgent first), with and
            # without a department: the index gives the rows in the order shown, so a page
            # is an index range, not a sort of every open report (bench/reports.py).
            models.Index(
                fields=["municipality", "-priority", "deadline", "-created_at"],
                condition=models.Q(is_open=True, is_public=True),
                name="reports_queue_open_idx",
            ),
            models.Index(
                fields=["municipality", "department", "-priority", "deadline", "-created_at"],
                condition=models.Q(is_open=True, is_public=True),
                name="reports_queue_open_dept_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "external_ref"],
                condition=~models.Q(external_ref="") & models.Q(is_open=True),
                name="reports_open_external_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        return f"{self.municipality.code}-{self.pk}" if self.pk else ""

    @property
    def open311_status(self) -> str:
        return open311_status(self.status)

    @property
    def is_overdue(self) -> bool:
        return bool(self.is_open and self.deadline and self.deadline < timezone.localdate())

    @property
    def public_name(self) -> str:
        """The reporter's name only when they chose to show it."""
        return self.reporter_name if self.show_name else ""


class ReportUpdate(HistoryEntry):
    """Append-only history: status changes, public updates, internal notes.

    ``comment`` keeps its old column name ``text`` (``db_column``): no data migration.
    """

    statuses = ReportStatus
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(max_length=12, choices=UpdateKind.choices)
    status = models.CharField(max_length=20, blank=True, help_text="The report's status after this update.")
    comment = models.TextField(_("σχόλιο"), blank=True, db_column="text")
    is_public = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("ενημέρωση αναφοράς")
        verbose_name_plural = _("ενημερώσεις αναφορών")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["municipality", "is_public", "created_at"], name="reports_update_public_idx"
            ),
        ]

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not self.status:
            self.status = self.to_status or self.report.status
        super().save(*args, **kwargs)

    @property
    def status_for_open311(self) -> str:
        return OPEN311_EXTENDED.get(self.status or self.to_status, "OPEN")


def _photo_path(instance: ReportPhoto, filename: str) -> str:
    return f"reports/{instance.municipality_id}/{timezone.now():%Y/%m}/{filename}"


class ReportPhoto(TenantModel):
    """A sanitised photo; private until staff publish it."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=_photo_path)
    thumbnail = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    is_public = models.BooleanField(_("δημοσιευμένη"), default=False)
    uploaded_by_staff = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("φωτογραφία")
        verbose_name_plural = _("φωτογραφίες")
        ordering = ["created_at", "pk"]


class ReportFollower(TenantModel):
    """Someone who gets updates: the reporter, supporters ("my problem too"), subscribers."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="followers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=5, default="el")
    is_reporter = models.BooleanField(default=False)
    is_supporter = models.BooleanField(default=False)
    unsubscribe_token = models.CharField(max_length=43)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("συνδρομητής")
        verbose_name_plural = _("συνδρομητές")
        indexes = [models.Index(fields=["municipality", "report"], name="reports_follower_idx")]


class ResponseTemplate(TenantModel):
    title = models.CharField(_("τίτλος"), max_length=120)
    text_el = models.TextField(_("κείμενο (ελληνικά)"))
    text_en = models.TextField(_("κείμενο (αγγλικά)"), blank=True)
    status = models.CharField(_("για κατάσταση"), max_length=20, choices=ReportStatus.choices, blank=True)

    class Meta:
        verbose_name = _("πρότυπο απάντησης")
        verbose_name_plural = _("πρότυπα απαντήσεων")
        ordering = ["municipality", "title"]

    def __str__(self) -> str:
        return self.title


class ClassifierModel(TenantModel):
    """The trained category-suggestion model of a municipality (pickled scikit-learn pipeline)."""

    trained_at = models.DateTimeField(default=timezone.now)
    samples = models.PositiveIntegerField(default=0)
    accuracy = models.FloatField(null=True, blank=True)
    blob = models.BinaryField()

    class Meta:
        verbose_name = _("μοντέλο πρότασης κατηγορίας")
        verbose_name_plural = _("μοντέλα πρότασης κατηγορίας")
        constraints = [models.UniqueConstraint(fields=["municipality"], name="reports_classifier_one")]
