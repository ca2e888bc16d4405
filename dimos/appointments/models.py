"""Service points, counters, appointment types, opening hours, closures, appointments.

Double booking is prevented by ``SlotUsage``: one row per counter and slot start
holding how many appointments occupy it. Booking locks the rows it needs
(``select_for_update``) and a check constraint keeps ``booked <= capacity`` in
the database itself, so even a bug in the service cannot overfill a slot.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.appointments.constants import WEEKDAYS, AppointmentStatus
from dimos.core.i18n import BilingualNameMixin, localized
from dimos.core.models import HistoryEntry, MunicipalUnit, TenantModel


class ServicePoint(BilingualNameMixin, TenantModel):
    """A place citizens visit: the town hall, a ΚΕΠ."""

    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=150)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=150, blank=True)
    address = models.CharField(_("διεύθυνση"), max_length=200)
    unit = models.ForeignKey(
        MunicipalUnit,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("δημοτική ενότητα"),
    )
    lat = models.FloatField(_("γεωγραφικό πλάτος"), null=True, blank=True)
    lon = models.FloatField(_("γεωγραφικό μήκος"), null=True, blank=True)
    directions_el = models.TextField(_("οδηγίες πρόσβασης"), blank=True)
    slot_minutes = models.PositiveSmallIntegerField(
        _("διάρκεια χρονοθυρίδας (λεπτά)"),
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
        help_text=_("Τα ραντεβού ξεκινούν σε πολλαπλάσια αυτής της διάρκειας από το άνοιγμα."),
    )
    horizon_days = models.PositiveSmallIntegerField(
        _("ορίζοντας κρατήσεων (ημέρες)"), default=30, validators=[MinValueValidator(1)]
    )
    notice_minutes = models.PositiveSmallIntegerField(
        _("ελάχιστος χρόνος πριν από το ραντεβού (λεπτά)"), default=60
    )
    is_active = models.BooleanField(_("ενεργό"), default=True)

    class Meta:
        verbose_name = _("σημείο εξυπηρέτησης")
        verbose_name_plural = _("σημεία εξυπηρέτησης")
        ordering = ["municipality", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name_el"], name="appt_point_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name_el


class AppointmentType(BilingualNameMixin, TenantModel):
    """What a citizen comes for, e.g. «Βεβαίωση μόνιμης κατοικίας», with its duration."""

    code = models.SlugField(_("κωδικός"), max_length=60)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=200)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=200, blank=True)
    description_el = models.TextField(_("τι να φέρετε (ελληνικά)"), blank=True)
    description_en = models.TextField(_("τι να φέρετε (αγγλικά)"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("διάρκεια (λεπτά)"), default=15, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    info_url = models.CharField(
        _("σύνδεσμος πληροφοριών"),
        max_length=300,
        blank=True,
        help_text=_("Προαιρετικά: σελίδα της υπηρεσίας στον κατάλογο ή στο gov.gr."),
    )
    is_active = models.BooleanField(_("ενεργό"), default=True)

    class Meta:
        verbose_name = _("είδος ραντεβού")
        verbose_name_plural = _("είδη ραντεβού")
        ordering = ["municipality", "name_el"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="appt_type_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name_el

    @property
    def description(self) -> str:
        return localized(self, "description")


class Counter(TenantModel):
    """A desk at a service point, the types it serves and how many people at once."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="counters", verbose_name=_("σημείο")
    )
    name = models.CharField(_("όνομα"), max_length=80, help_text=_("π.χ. «Γκισέ 1»"))
    types = models.ManyToManyField(AppointmentType, related_name="counters", verbose_name=_("είδη ραντεβού"))
    capacity = models.PositiveSmallIntegerField(
        _("χωρητικότητα ανά χρονοθυρίδα"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Πόσοι πολίτες εξυπηρετούνται ταυτόχρονα σε αυτό το γκισέ."),
    )
    is_active = models.BooleanField(_("ενεργό"), default=True)

    class Meta:
        verbose_name = _("γκισέ")
        verbose_name_plural = _("γκισέ")
        ordering = ["municipality", "point", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "point", "name"], name="appt_counter_unique_name"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.point} · {self.name}"


class OpeningHours(TenantModel):
    """One opening period of a point on a weekday (several rows for split shifts)."""

    point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, related_name="hours", verbose_name=_("σημείο")
    )
    weekday = models.PositiveSmallIntegerField(_("ημέρα"), choices=WEEKDAYS)
    opens = models.TimeField(_("ανοίγει"))
    closes = models.TimeField(_("κλείνει"))

    class Meta:
        verbose_name = _("ωράριο")
        verbose_name_plural = _("ωράρια")
        ordering = ["municipality", "point", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="appt_hours_opens_before_closes"),
        ]
        indexes = [models.Index(fields=["municipality", "point", "weekday"], name="appt_hours_idx")]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class Closure(TenantModel):
    """Days a point (or, without a point, every point) is closed, beyond public holidays."""

    point = models.ForeignKey(
        ServicePoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closures",
        verbose_name=_("σημείο"),
        help_text=_("Κενό: κλειστά όλα τα σημεία του δήμου."),
    )
    date_from = models.DateField(_("από"))
    date_to = models.DateField(_("έως (και)"))
    reason = models.CharField(_("αιτία"), max_length=200)

    class Meta:
        verbose_name = _("κλείσιμο")
        verbose_name_plural = _("κλεισίματα και αργίες")
        ordering = ["municipality", "date_from"]
        constraints = [
            models.CheckConstraint(condition=Q(date_from__lte=F("date_to")), name="appt_closure_range"),
        ]
        indexes = [models.Index(fields=["municipality", "date_to"], name="appt_closure_idx")]

    def __str__(self) -> str:
        return f"{self.date_from}–{self.date_to}: {self.reason}"


class SlotUsage(TenantModel):
    """How many appointments occupy one slot of one counter: the booking guard."""

    counter = models.ForeignKey(Counter, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    booked = models.PositiveSmallIntegerField(default=0)
    capacity = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "counter", "starts_at"], name="appt_slot_unique_counter_start"
            ),
            # The safety net under the lock: a slot can never hold more than it seats.
            models.CheckConstraint(condition=Q(booked__lte=F("capacity")), name="appt_slot_not_overbooked"),
        ]

    def __str__(self) -> str:
        return f"{self.counter_id}@{self.starts_at:%Y-%m-%d %H:%M} {self.booked}/{self.capacity}"


class Appointment(TenantModel):
    reference = models.CharField(_("κωδικός ραντεβού"), max_length=12)
    point = models.ForeignKey(
        ServicePoint, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("σημείο")
    )
    counter = models.ForeignKey(
        Counter, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("γκισέ")
    )
    type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("είδος")
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("πολίτης"),
    )
    starts_at = models.DateTimeField(_("έναρξη"))
    ends_at = models.DateTimeField(_("λήξη"))
    status = models.CharField(
        _("κατάσταση"), max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    rescheduled_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rescheduled_to"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ραντεβού")
        verbose_name_plural = _("ραντεβού")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="appt_unique_reference"),
            # One person cannot hold two live appointments starting at the same moment.
            models.UniqueConstraint(
                fields=["municipality", "citizen", "starts_at"],
                condition=Q(status="booked"),
                name="appt_citizen_one_per_start",
            ),
            models.CheckConstraint(condition=Q(starts_at__lt=F("ends_at")), name="appt_starts_before_ends"),
        ]
        indexes = [
            # The clerk's day list and the reminder sweep.
            models.Index(fields=["municipality", "point", "starts_at"], name="appt_day_idx"),
            models.Index(fields=["municipality", "citizen", "starts_at"], name="appt_citizen_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_live(self) -> bool:
        return self.status == AppointmentStatus.BOOKED and self.starts_at > timezone.now()


class AppointmentEvent(HistoryEntry):
    """Append-only history: every status change with who, when and why (``HistoryEntry``)."""

    statuses = AppointmentStatus
    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    to_status = models.CharField(_("σε κατάσταση"), max_length=12, choices=AppointmentStatus.choices)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["municipality", "appointment"], name="appt_event_idx")]
