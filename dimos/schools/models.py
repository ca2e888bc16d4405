"""Schools, equipment inventory, standards and proposals, loans and repairs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.i18n import bilingual
from dimos.core.models import HistoryEntry, MunicipalUnit, TenantModel
from dimos.core.search import SearchTextMixin
from dimos.schools.constants import (
    AssetStatus,
    BorrowerKind,
    Condition,
    EventKind,
    LoanStatus,
    OrderStatus,
    PriorityRule,
    ProposalStatus,
    RepairStatus,
    SchoolType,
    StandardBasis,
)

money = {"max_digits": 12, "decimal_places": 2}


class School(TenantModel):
    name = models.CharField(_("ονομασία"), max_length=200)
    school_type = models.CharField(_("τύπος"), max_length=20, choices=SchoolType.choices)
    address = models.CharField(_("διεύθυνση"), max_length=200, blank=True)
    lat = models.FloatField(_("γεωγραφικό πλάτος"), null=True, blank=True)
    lon = models.FloatField(_("γεωγραφικό μήκος"), null=True, blank=True)
    unit = models.ForeignKey(
        MunicipalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("δημοτική ενότητα"),
    )
    classrooms = models.PositiveSmallIntegerField(_("αίθουσες διδασκαλίας"), default=1)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directed_schools",
        verbose_name=_("διευθυντής/ντρια"),
    )
    is_active = models.BooleanField(_("ενεργό"), default=True)

    class Meta:
        verbose_name = _("σχολείο")
        verbose_name_plural = _("σχολεία")
        ordering = ["municipality", "school_type", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="school_unique_name"),
        ]
        indexes = [models.Index(fields=["municipality", "director"], name="school_director_idx")]

    def __str__(self) -> str:
        return self.name


class SchoolYear(TenantModel):
    """Pupils and teachers of a school in one school year (``year`` = its first calendar year)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("σχολικό έτος (έναρξη)"), validators=[MinValueValidator(2000)])
    pupils = models.PositiveIntegerField(_("μαθητές"))
    teachers = models.PositiveIntegerField(_("εκπαιδευτικοί"))

    class Meta:
        verbose_name = _("στοιχεία σχολικού έτους")
        verbose_name_plural = _("στοιχεία σχολικών ετών")
        ordering = ["school", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "school", "year"], name="schoolyear_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {self.year}–{(self.year + 1) % 100:02d}"


class EquipmentCategory(SearchTextMixin, TenantModel):
    SEARCH_FIELDS = ("name", "code")  # the inventory search finds assets by their category

    code = models.SlugField(_("κωδικός"), max_length=40)
    name = models.CharField(_("ονομασία"), max_length=120)  # Greek, the language of record
    name_en = models.CharField(_("ονομασία (αγγλικά)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("κατηγορία εξοπλισμού")
        verbose_name_plural = _("κατηγορίες εξοπλισμού")
        ordering = ["municipality", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="category_unique_code"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the page's language (Greek when no English is written)."""
        return bilingual(self.name, self.name_en)


class EquipmentModel(SearchTextMixin, TenantModel):
    SEARCH_FIELDS = ("manufacturer", "name", "code")  # the inventory search finds assets by their model

    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="models", verbose_name=_("κατηγορία")
    )
    code = models.SlugField(_("κωδικός"), max_length=60)
    manufacturer = models.CharField(_("κατασκευαστής"), max_length=100)
    name = models.CharField(_("μοντέλο"), max_length=150)
    unit_price = models.DecimalField(
        _("τιμή μονάδας (€, με ΦΠΑ)"), validators=[MinValueValidator(0)], **money
    )
    expected_life_years = models.PositiveSmallIntegerField(
        _("αναμενόμενη διάρκεια ζωής (έτη)"), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("μοντέλο εξοπλισμού")
        verbose_name_plural = _("μοντέλα εξοπλισμού")
        ordering = ["municipality", "category", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="eqmodel_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} {self.name}"


class AssetTagCounter(TenantModel):
    """The next asset number of a municipality, taken under a row lock (no gaps on rollback)."""

    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality"], name="assettag_counter_unique")]


class PurchaseOrder(TenantModel):
    number = models.CharField(_("αριθμός"), max_length=40)
    proposal = models.ForeignKey(
        "Proposal", null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="+")
    supplier = models.CharField(_("προμηθευτής"), max_length=150, blank=True)
    funding_source = models.CharField(_("πηγή χρηματοδότησης"), max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=OrderStatus.choices, default=OrderStatus.OPEN)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("παραγγελία")
        verbose_name_plural = _("παραγγελίες")
        ordering = ["municipality", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="order_unique_number"),
        ]

    def __str__(self) -> str:
        return self.number


class PurchaseOrderLine(TenantModel):
    order = models.ForeignKey(PurchaseOrder, on_delete=models.CASCADE, related_name="lines")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(EquipmentModel, on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField()
    received = models.PositiveIntegerField(default=0)
    unit_price = models.DecimalField(**money)

    class Meta:
        ordering = ["order", "school__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(received__lte=models.F("quantity")), name="orderline_not_over"
            ),
        ]

    @property
    def outstanding(self) -> int:
        return self.quantity - self.received


class Asset(TenantModel):
    tag = models.CharField(_("αριθμός ετικέτας"), max_length=20)
    model = models.ForeignKey(
        EquipmentModel, on_delete=models.PROTECT, related_name="assets", verbose_name=_("μοντέλο")
    )
    serial = models.CharField(_("σειριακός αριθμός"), max_length=80, blank=True)
    status = models.CharField(
        _("κατάσταση"), max_length=12, choices=AssetStatus.choices, default=AssetStatus.IN_STOCK
    )
    school = models.ForeignKey(
        School,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
        verbose_name=_("σχολείο"),
    )
    room = models.CharField(_("αίθουσα"), max_length=60, blank=True)
    purchase_date = models.DateField(_("ημερομηνία αγοράς"), null=True, blank=True)
    supplier = models.CharField(_("προμηθευτής"), max_length=150, blank=True)
    order_ref = models.CharField(_("αριθμός παραγγελίας/σύμβασης"), max_length=60, blank=True)
    order_line = models.ForeignKey(
        PurchaseOrderLine, null=True, blank=True, on_delete=models.PROTECT, related_name="assets"
    )
    cost = models.DecimalField(_("κόστος (€)"), null=True, blank=True, **money)
    warranty_end = models.DateField(_("λήξη εγγύησης"), null=True, blank=True)
    funding_source = models.CharField(_("πηγή χρηματοδότησης"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("πάγιο")
        verbose_name_plural = _("πάγια")
        ordering = ["municipality", "tag"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "tag"], name="asset_unique_tag"),
            models.UniqueConstraint(
                fields=["municipality", "model", "serial"],
                condition=~Q(serial=""),
                name="asset_unique_serial_per_model",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "school", "status"], name="asset_school_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.tag} · {self.model}"

    @property
    def past_life(self) -> bool:
        if not self.purchase_date:
            return False
        end = self.purchase_date.replace(year=self.purchase_date.year + self.model.expected_life_years)
        return end <= timezone.localdate()


class AssetEvent(HistoryEntry):
    """Append-only history of an asset: every status change and every move.

    Who, when, from/to status and comment come from ``HistoryEntry``; an asset's
    history adds the kind of event and where it moved from and to.
    """

    statuses = AssetStatus
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=EventKind.choices)
    from_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    from_room = models.CharField(max_length=60, blank=True)
    to_room = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["asset", "created_at", "pk"]
        indexes = [models.Index(fields=["municipality", "asset", "created_at"], name="assetevent_idx")]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise RuntimeError("asset history is append-only")


class Licence(TenantModel):
    product = models.CharField(_("λογισμικό/πλατφόρμα"), max_length=150)
    vendor = models.CharField(_("πάροχος"), max_length=150, blank=True)
    seats = models.PositiveIntegerField(_("θέσεις (συνολικά)"), validators=[MinValueValidator(1)])
    valid_until = models.DateField(_("λήξη"))
    cost = models.DecimalField(_("κόστος (€)"), null=True, blank=True, **money)
    funding_source = models.CharField(_("πηγή χρηματοδότησης"), max_length=150, blank=True)
    reminded_for = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("άδεια λογισμικού")
        verbose_name_plural = _("άδειες λογισμικού")
        ordering = ["municipality", "valid_until", "product"]

    def __str__(self) -> str:
        return self.product


class LicenceSeat(TenantModel):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="licence_seats")
    seats = models.PositiveIntegerField(_("θέσεις"), validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality", "licence", "school"], name="licenceseat_unique"),
        ]


class Standard(TenantModel):
    """What a school of a type should have of a category, e.g. 1 tablet per 4 pupils."""

    school_type = models.CharField(_("τύπος σχολείου"), max_length=20, choices=SchoolType.choices)
    category = models.ForeignKey(
        EquipmentCategory, on_delete=models.PROTECT, related_name="+", verbose_name=_("κατηγορία")
    )
    basis = models.CharField(_("βάση"), max_length=12, choices=StandardBasis.choices)
    quantity = models.PositiveSmallIntegerField(_("ποσότητα"), default=1, validators=[MinValueValidator(1)])
    per = models.PositiveSmallIntegerField(
        _("ανά (πλήθος)"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Το Ν: π.χ. 1 tablet ανά 4 μαθητές, ή 1 κάμερα εγγράφων ανά 2 αίθουσες."),
    )
    model = models.ForeignKey(
        EquipmentModel,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("μοντέλο προς αγορά"),
        help_text=_("Από αυτό προκύπτει η τιμή της πρότασης."),
    )

    class Meta:
        verbose_name = _("πρότυπο εξοπλισμού")
        verbose_name_plural = _("πρότυπα εξοπλισμού")
        ordering = ["municipality", "school_type", "category__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "school_type", "category"], name="standard_unique"
            ),
        ]


class Proposal(TenantModel):
    title = models.CharField(_("τίτλος"), max_length=200)
    funding_programme = models.CharField(_("πρόγραμμα χρηματοδότησης"), max_length=200, blank=True)
    status = models.CharField(max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("πρόταση χρηματοδότησης")
        verbose_name_plural = _("προτάσεις χρηματοδότησης")
        ordering = ["municipality", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def latest(self) -> ProposalVersion | None:
        return self.versions.order_by("-number").first()


class ProposalVersion(TenantModel):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    budget_cap = models.DecimalField(_("προϋπολογισμός (€)"), validators=[MinValueValidator(0)], **money)
    rule = models.CharField(_("κανόνας προτεραιότητας"), max_length=20, choices=PriorityRule.choices)
    school_year = models.PositiveSmallIntegerField()
    total_need = models.DecimalField(**money)
    total_funded = models.DecimalField(**money)
    note = models.CharField(_("σημείωση"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "proposal", "number"], name="proposalversion_unique"
            ),
        ]


class ProposalLine(TenantModel):
    version = models.ForeignKey(ProposalVersion, on_delete=models.CASCADE, related_name="lines")
    rank = models.PositiveIntegerField()
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    category = models.ForeignKey(EquipmentCategory, on_delete=models.PROTECT, related_name="+")
    model = models.ForeignKey(EquipmentModel, on_delete=models.PROTECT, related_name="+")
    required = models.PositiveIntegerField()
    have = models.PositiveIntegerField()
    gap = models.PositiveIntegerField()
    pupils = models.PositiveIntegerField()
    score = models.FloatField()
    unit_price = models.DecimalField(**money)
    quantity = models.PositiveIntegerField()  # funded quantity (≤ gap)
    amount = models.DecimalField(**money)
    explanation = models.TextField()

    class Meta:
        ordering = ["version", "rank"]


class Loan(TenantModel):
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="loans")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="loans")
    borrower_kind = models.CharField(_("δανειζόμενος"), max_length=10, choices=BorrowerKind.choices)
    borrower_name = models.CharField(_("ονοματεπώνυμο δανειζόμενου"), max_length=150)
    pupil_class = models.CharField(_("τάξη/τμήμα"), max_length=20, blank=True)
    guardian_name = models.CharField(_("ονοματεπώνυμο κηδεμόνα"), max_length=150, blank=True)
    guardian_consent = models.BooleanField(_("συγκατάθεση κηδεμόνα"), default=False)
    consent_recorded_at = models.DateTimeField(null=True, blank=True)
    start_date = models.DateField(_("ημερομηνία έναρξης"), default=timezone.localdate)
    due_date = models.DateField(_("αναμενόμενη επιστροφή"))
    status = models.CharField(max_length=10, choices=LoanStatus.choices, default=LoanStatus.ACTIVE)
    returned_at = models.DateTimeField(null=True, blank=True)
    return_condition = models.CharField(max_length=10, choices=Condition.choices, blank=True)
    return_notes = models.CharField(_("σημειώσεις κατάστασης"), max_length=500, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("δανεισμός")
        verbose_name_plural = _("δανεισμοί")
        ordering = ["municipality", "-created_at"]
        constraints = [
            # At most one active loan per asset.
            models.UniqueConstraint(
                fields=["municipality", "asset"], condition=Q(status="active"), name="loan_one_active"
            ),
            models.CheckConstraint(
                condition=~Q(borrower_kind="pupil") | Q(guardian_consent=True),
                name="loan_pupil_needs_consent",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "school", "status"], name="loan_school_idx")]


class Repair(TenantModel):
    asset = models.ForeignKey(Asset, on_delete=models.PROTECT, related_name="repairs")
    school = models.ForeignKey(School, null=True, on_delete=models.PROTECT, related_name="repairs")
    description = models.TextField(_("περιγραφή βλάβης"))
    photo = models.FileField(upload_to="schools/repairs/", blank=True)
    photo_type = models.CharField(max_length=20, blank=True)
    status = models.CharField(max_length=14, choices=RepairStatus.choices, default=RepairStatus.REPORTED)
    supplier = models.CharField(_("προμηθευτής/συνεργείο"), max_length=150, blank=True)
    cost = models.DecimalField(
        _("κόστος (€)"), null=True, blank=True, validators=[MinValueValidator(0)], **money
    )
    under_warranty = models.BooleanField(_("εντός εγγύησης"), default=False)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    asset_status_before = models.CharField(max_length=12, blank=True)

    class Meta:
        verbose_name = _("επισκευή")
        verbose_name_plural = _("επισκευές")
        ordering = ["municipality", "-reported_at"]
        indexes = [models.Index(fields=["municipality", "status"], name="repair_status_idx")]


class RepairEvent(HistoryEntry):
    """Append-only history of a repair's statuses (who, when, from, to, comment: ``HistoryEntry``)."""

    statuses = RepairStatus
    repair = models.ForeignKey(Repair, on_delete=models.CASCADE, related_name="events")

    class Meta:
        ordering = ["repair", "created_at", "pk"]
