"""The custom user model: citizens and municipal staff in one table."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.core.constants import StaffRole
from dimos.core.greek import validate_afm, validate_amka
from dimos.core.models import Department, Municipality


class User(AbstractUser):
    """A person who signs in.

    Citizens come from an identity provider (TaxisNet, OIDC) and have no role;
    staff have a role and, except the Region viewer, one municipality.
    """

    role = models.CharField(_("ρόλος"), max_length=20, choices=StaffRole.choices, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("δήμος"),
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
        verbose_name=_("υπηρεσία"),
    )
    afm = models.CharField(_("ΑΦΜ"), max_length=9, blank=True, validators=[validate_afm])
    amka = models.CharField(_("ΑΜΚΑ"), max_length=11, blank=True, validators=[validate_amka])
    father_name = models.CharField(_("πατρώνυμο"), max_length=100, blank=True)
    mother_name = models.CharField(_("μητρώνυμο"), max_length=100, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("έτος γέννησης"), null=True, blank=True)
    phone = models.CharField(_("κινητό τηλέφωνο"), max_length=20, blank=True)
    email_verified = models.BooleanField(_("επαληθευμένο e-mail"), default=False)
    phone_verified = models.BooleanField(_("επαληθευμένο κινητό"), default=False)
    language = models.CharField(_("γλώσσα"), max_length=5, default="el")

    class Meta(AbstractUser.Meta):
        verbose_name = _("χρήστης")
        verbose_name_plural = _("χρήστες")
        constraints = [
            models.UniqueConstraint(fields=["afm"], condition=~models.Q(afm=""), name="user_unique_afm"),
            models.CheckConstraint(
                # Municipal staff always belong to a municipality.
                condition=models.Q(role="")
                | models.Q(role="region_viewer")
                | models.Q(municipality__isnull=False),
                name="user_staff_has_municipality",
            ),
        ]

    @property
    def is_citizen(self) -> bool:
        return not self.role and not self.is_superuser

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class ExternalIdentity(models.Model):
    """A citizen's identity at an identity provider (TaxisNet, OIDC, the demo stand-in).

    ``subject`` is the provider's stable identifier for the person (TaxisNet
    ``userid``, OIDC ``sub``). One person may have several.
    """

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="external_identities", verbose_name=_("χρήστης")
    )
    provider = models.CharField(_("πάροχος ταυτότητας"), max_length=40)
    subject = models.CharField(_("αναγνωριστικό στον πάροχο"), max_length=255)
    created_at = models.DateTimeField(_("πρώτη σύνδεση"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("τελευταία σύνδεση"), null=True, blank=True)

    class Meta:
        verbose_name = _("εξωτερική ταυτότητα")
        verbose_name_plural = _("εξωτερικές ταυτότητες")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="externalidentity_unique_subject")
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.user_id}"


class TOTPDevice(models.Model):
    """A staff member's TOTP authenticator (RFC 6238, 30-second steps, 6 digits).

    ``last_used_step`` is the time step of the last accepted code, so a code (or
    any earlier one) cannot be replayed within its validity window.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_device", verbose_name=_("χρήστης")
    )
    secret = models.CharField(_("μυστικό κλειδί"), max_length=64)
    confirmed_at = models.DateTimeField(_("επιβεβαιώθηκε"), null=True, blank=True)
    last_used_step = models.BigIntegerField(_("τελευταίο βήμα χρόνου"), default=0)
    created_at = models.DateTimeField(_("δημιουργήθηκε"), auto_now_add=True)

    class Meta:
        verbose_name = _("συσκευή TOTP")
        verbose_name_plural = _("συσκευές TOTP")

    def __str__(self) -> str:
        return f"TOTP #{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class TOTPEnrolmentCode(models.Model):
    """A one-time code an administrator issues so a staff member can bind an authenticator.

    Knowing a staff password is not enough to enrol the second factor: whoever
    first enrols would own it. Only a hash of the code is stored; it expires and
    is used once (``dimos/accounts/enrolment.py``).
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="totp_enrolment_code", verbose_name=_("χρήστης")
    )
    code_hash = models.CharField(max_length=64)
    issued_by = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("εκδόθηκε από"),
    )
    issued_at = models.DateTimeField(_("εκδόθηκε"), default=timezone.now)
    expires_at = models.DateTimeField(_("λήγει"))
    used_at = models.DateTimeField(_("χρησιμοποιήθηκε"), null=True, blank=True)

    class Meta:
        verbose_name = _("κωδικός ενεργοποίησης TOTP")
        verbose_name_plural = _("κωδικοί ενεργοποίησης TOTP")

    def __str__(self) -> str:
        return f"TOTP enrolment code #{self.pk}"
