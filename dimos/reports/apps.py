from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class ReportsConfig(AppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Αναφορές προβλημάτων")
    dimos_public_nav = (
        NavItem("reports:new", _("Αναφορά προβλήματος")),
        NavItem("reports:public_list", _("Αναφορές πολιτών")),
    )
    dimos_staff_nav = (
        NavItem(
            "reports:queue",
            _("Αναφορές πολιτών"),
            description=_("Ουρά αναφορών ανά υπηρεσία, σε λίστα και χάρτη."),
            capability=Capability.REPORTS_HANDLE,
        ),
        NavItem(
            "reports:keys",
            _("Κλειδιά Open311"),
            description=_("Κλειδιά API για εφαρμογές Open311."),
            capability=Capability.OPEN311_KEYS,
        ),
    )
    dimos_home_cards = (
        NavItem(
            "reports:new",
            _("Αναφέρετε ένα πρόβλημα"),
            description=_("Λακκούβες, σβηστές λάμπες, γεμάτοι κάδοι: δείξτε το σημείο στον χάρτη."),
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        from dimos.core.badinput import bad_request_responder
        from dimos.reports import tasks  # noqa: F401  (task registration)
        from dimos.reports.open311.base import open311_bad_request
        from dimos.reports.signals import connect_data_version

        connect_data_version()
        bad_request_responder("/open311/")(open311_bad_request)
        if apps.is_installed("dimos.sensors"):
            # Registers the "report" alarm action (dimos.sensors.actions.alarm_actions).
            from dimos.reports import sensor_actions  # noqa: F401
