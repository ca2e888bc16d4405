"""Registry (device types, devices, credentials, vendor mappings), readings, latest
state, hourly rollups, rules and alarms.

Readings are append-mostly and keyed by (municipality, device, observed_at): the
unique constraint makes every door idempotent. On PostgreSQL they are partitioned by
month of ``observed_at`` (nothing refers to a reading's id, so the partition key joins
the primary key at the database level only).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.i18n import BilingualNameMixin
from dimos.core.models import Department, HistoryEntry, Municipality, MunicipalUnit, TenantModel
from dimos.core.search import SearchTextMixin
from dimos.sensors.constants import AlarmStatus, CredentialScope, Direction, RuleKind, Source


class DeviceType(BilingualNameMixin, models.Model):
    """A FIWARE Smart Data Model type; its schema lives in ``schemas.TYPES``."""

    code = models.CharField(_("τύπος (Smart Data Model)"), max_length=60, unique=True)
    name_el = models.CharField(_("όνομα (ελληνικά)"), max_length=100)
    name_en = models.CharField(_("όνομα (αγγλικά)"), max_length=100)
    is_public = models.BooleanField(_("δημόσια δεδομένα"), default=False)
    offline_after_minutes = models.PositiveIntegerField(_("εκτός σύνδεσης μετά από (λεπτά)"), default=120)
    schema = models.JSONField(_("σχήμα χαρακτηριστικών"), default=dict)

    class Meta:
        verbose_name = _("τύπος συσκευής")
        verbose_name_plural = _("τύποι συσκευών")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Device(SearchTextMixin, TenantModel):
    # What the registry's search box looks at (accent- and case-blind, ``core.search``).
    SEARCH_FIELDS = ("name", "group", "code", "ngsi_id", "ttn_device_id")

    type = models.ForeignKey(
        DeviceType, on_delete=models.PROTECT, related_name="devices", verbose_name=_("τύπος")
    )
    ngsi_id = models.CharField(_("αναγνωριστικό NGSI-LD"), max_length=200)
    code = models.SlugField(_("σύντομος κωδικός"), max_length=100)
    name = models.CharField(_("ονομασία"), max_length=200, blank=True)
    group = models.CharField(_("οδός ή χώρος"), max_length=200, blank=True)
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
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("υπηρεσία"),
    )
    vendor = models.CharField(_("προμηθευτής"), max_length=100, blank=True)
    ttn_device_id = models.CharField(_("Αναγνωριστικό συσκευής στο TTN"), max_length=100, blank=True)
    dev_eui = models.CharField(_("DevEUI"), max_length=16, blank=True)
    attrs = models.JSONField(_("στατικά χαρακτηριστικά"), default=dict, blank=True)
    is_active = models.BooleanField(
        _("ενεργή"),
        default=True,
        help_text=_("Μια απενεργοποιημένη συσκευή κρατά το ιστορικό της αλλά δεν δέχεται νέες μετρήσεις."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    modified_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("συσκευή")
        verbose_name_plural = _("συσκευές")
        ordering = ["municipality", "ngsi_id"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "ngsi_id"], name="sensors_device_unique_ngsi"),
            models.UniqueConstraint(fields=["municipality", "code"], name="sensors_device_unique_code"),
            models.UniqueConstraint(
                fields=["municipality", "dev_eui"],
                condition=~Q(dev_eui=""),
                name="sensors_device_unique_deveui",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "type", "ngsi_id"], name="sensors_device_type_idx"),
            models.Index(fields=["municipality", "lat", "lon"], name="sensors_device_geo_idx"),
        ]

    def __str__(self) -> str:
        return self.name or self.ngsi_id


class DeviceState(TenantModel):
    """The latest values of a device, kept for fast reads (one row per device)."""

    device = models.OneToOneField(Device, on_delete=models.CASCADE, primary_key=True, related_name="state")
    observed_at = models.DateTimeField()
    received_at = models.DateTimeField()
    values = models.JSONField(default=dict)
    # Per-attribute observation times, for NGSI-LD observedAt.
    observed = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("τρέχουσα κατάσταση")
        verbose_name_plural = _("τρέχουσες καταστάσεις")

    def is_online(self, offline_after_minutes: int) -> bool:
        return timezone.now() - self.received_at <= timedelta(minutes=offline_after_minutes)


class Reading(TenantModel):
    """One observation of a device.

    On PostgreSQL the table is partitioned by month of ``observed_at`` (migration 0010,
    docs/sensors/storage.md): the database's primary key is (id, observed_at), ``id`` stays
    unique from its sequence, and whole months are dropped for retention. Every index starts
    with the municipality; the single-column indexes Django would add to the two foreign keys
    are left out (the unique (municipality, device, observed_at) index serves device reads)."""

    id = models.BigAutoField(primary_key=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("δήμος"), db_index=False
    )
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="readings", db_index=False)
    observed_at = models.DateTimeField()
    received_at = models.DateTimeField(default=timezone.now)
    values = models.JSONField()
    source = models.CharField(max_length=10, choices=Source.choices)

    class Meta:
        verbose_name = _("μέτρηση")
        verbose_name_plural = _("μετρήσεις")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "device", "observed_at"], name="sensors_reading_unique_time"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "observed_at"], name="sensors_reading_time_idx")]


class Rollup(TenantModel):
    """Hourly min / max / mean / count of one numeric attribute of one device."""

    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="rollups")
    attribute = models.CharField(max_length=60)
    hour = models.DateTimeField()
    minimum = models.FloatField()
    maximum = models.FloatField()
    mean = models.FloatField()
    count = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("ωριαία σύνοψη")
        verbose_name_plural = _("ωριαίες συνόψεις")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "device", "attribute", "hour"], name="sensors_rollup_unique"
            ),
        ]


class Credential(TenantModel):
    """An integration credential: stored as a SHA-256 hash, shown once, revocable."""

    name = models.CharField(_("ονομασία"), max_length=120)
    vendor = models.CharField(_("προμηθευτής"), max_length=100, blank=True)
    device = models.ForeignKey(
        Device,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="credentials",
        verbose_name=_("μόνο για τη συσκευή"),
    )
    scopes = models.JSONField(
        _("δικαιώματα"),
        default=list,
        blank=True,
        help_text=_("Τιμές του CredentialScope: read, write_device, write_municipality, manage_devices."),
    )
    prefix = models.CharField(max_length=12, unique=True)
    key_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("διαπιστευτήριο ενσωμάτωσης")
        verbose_name_plural = _("διαπιστευτήρια ενσωμάτωσης")
        ordering = ["municipality", "-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    @property
    def scope_labels(self) -> list[str]:
        return [str(CredentialScope(s).label) for s in self.scopes if s in CredentialScope.values]

    def has_scope(self, *scopes: str) -> bool:
        """Whether the credential holds any of ``scopes``."""
        return any(scope in self.scopes for scope in scopes)

    def may_write(self, device_id: int) -> bool:
        """Whether the credential may store readings of the device ``device_id``."""
        if CredentialScope.WRITE_MUNICIPALITY in self.scopes:
            return not self.device_id or self.device_id == device_id
        return CredentialScope.WRITE_DEVICE in self.scopes and self.device_id == device_id


class VendorMapping(TenantModel):
    """How a vendor's TTN ``decoded_payload`` keys map to the type's attributes.

    ``mapping`` is ``{"payload_key": "attribute"}`` or
    ``{"payload_key": {"attr": "attribute", "scale": 0.01}}``.
    """

    application_id = models.CharField(_("TTN application id"), max_length=100)
    vendor = models.CharField(_("προμηθευτής"), max_length=100, blank=True)
    type = models.ForeignKey(DeviceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("τύπος"))
    mapping = models.JSONField(_("αντιστοίχιση"), default=dict)

    class Meta:
        verbose_name = _("αντιστοίχιση προμηθευτή")
        verbose_name_plural = _("αντιστοιχίσεις προμηθευτών")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "application_id"], name="sensors_mapping_unique_app"
            ),
        ]


class Rule(TenantModel):
    type = models.ForeignKey(
        DeviceType, on_delete=models.PROTECT, related_name="+", verbose_name=_("τύπος συσκευής")
    )
    name = models.CharField(_("ονομασία"), max_length=150)
    kind = models.CharField(_("είδος"), max_length=12, choices=RuleKind.choices)
    attribute = models.CharField(_("χαρακτηριστικό"), max_length=60, blank=True)
    direction = models.CharField(
        _("κατεύθυνση"), max_length=6, choices=Direction.choices, default=Direction.ABOVE, blank=True
    )
    threshold = models.FloatField(_("όριο ενεργοποίησης"), null=True, blank=True)
    clear_threshold = models.FloatField(
        _("όριο αποκατάστασης"),
        null=True,
        blank=True,
        help_text=_("Υστέρηση: ο συναγερμός κλείνει μόνο όταν η τιμή περάσει αυτό το όριο."),
    )
    status_values = models.JSONField(_("τιμές κατάστασης"), default=list, blank=True)
    silent_hours = models.PositiveIntegerField(_("ώρες σιωπής"), null=True, blank=True)
    actions = models.JSONField(_("ενέργειες"), default=list, blank=True)
    report_category = models.CharField(_("κατηγορία αναφοράς"), max_length=60, blank=True)
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("υπηρεσία"),
    )
    is_active = models.BooleanField(_("ενεργός"), default=True)

    class Meta:
        verbose_name = _("κανόνας")
        verbose_name_plural = _("κανόνες")
        ordering = ["municipality", "type", "name"]

    def __str__(self) -> str:
        return self.name


class Alarm(TenantModel):
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="alarms")
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="alarms")
    status = models.CharField(max_length=14, choices=AlarmStatus.choices, default=AlarmStatus.OPEN)
    value = models.JSONField(null=True, blank=True)
    message = models.CharField(max_length=300)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    report_ref = models.CharField(_("αναφορά"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("συναγερμός")
        verbose_name_plural = _("συναγερμοί")
        ordering = ["-opened_at"]
        constraints = [
            # One open (or acknowledged) alarm per device and rule: no storms.
            models.UniqueConstraint(
                fields=["municipality", "device", "rule"],
                condition=~Q(status="resolved"),
                name="sensors_alarm_one_open",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "status", "opened_at"], name="sensors_alarm_status_idx")
        ]

    def __str__(self) -> str:
        return f"{self.rule.name}: {self.device}"

    @property
    def text(self) -> str:
        """What the alarm says in the reader's language (``message`` keeps the site's).

        The stored message stands when there is no reading to put in words (an alarm
        raised by hand, a rule without an attribute)."""
        from dimos.sensors.labels import alarm_text  # labels reads the schemas, which read no models

        if self.rule.kind == RuleKind.SILENT or (self.rule.attribute and self.value is not None):
            return alarm_text(rule=self.rule, type_code=self.device.type.code, value=self.value)
        return self.message


class AlarmEvent(HistoryEntry):
    """Append-only history of an alarm's transitions (who, when, from, to, comment)."""

    statuses = AlarmStatus
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEntry.Meta):
        verbose_name = _("μεταβολή συναγερμού")
        verbose_name_plural = _("ιστορικό συναγερμών")
