from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class CoreConfig(AppConfig):
    name = "dimos.core"
    label = "core"
    verbose_name = _("Πυρήνας πλατφόρμας")
    dimos_staff_nav = [
        NavItem(
            "core:audit_log",
            _("Ίχνος ελέγχου"),
            capability=Capability.AUDIT_READ,
            description=_("Ποιος έκανε τι και πότε, σε κάθε υπόθεση του δήμου."),
        )
    ]

    def ready(self) -> None:
        from dimos.core import checks, signals  # noqa: F401  (registration side effects)
