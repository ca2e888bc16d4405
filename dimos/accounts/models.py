"""The custom user model: citizens and municipal staff in one table."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
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
