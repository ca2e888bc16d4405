from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Αναφορές προβλημάτων")
    dimos_public_nav = (
        ("reports:new", _("Αναφορά προβλήματος")),
        ("reports:public_list", _("Αναφορές πολιτών")),
    )
    dimos_staff_nav = (
        ("reports:queue", _("Αναφορές πολιτών"), None, _("Ουρά αναφορών ανά υπηρεσία, σε λίστα και χάρτη.")),
        ("reports:keys", _("Κλειδιά Open311"), ("municipal_admin",), _("Κλειδιά API για εφαρμογές Open311.")),
    )
    dimos_home_cards = (
        (
            "reports:new",
            _("Αναφέρετε ένα πρόβλημα"),
            None,
            _("Λακκούβες, σβηστές λάμπες, γεμάτοι κάδοι: δείξτε το σημείο στον χάρτη."),
        ),
    )

    def ready(self) -> None:
        from django.apps import apps

        from dimos.reports import tasks  # noqa: F401  (task registration)
        from dimos.reports.signals import connect_data_version

        connect_data_version()
        if apps.is_installed("dimos.sensors"):
            # Registers the "report" alarm action (dimos.sensors.actions.alarm_actions).
            from dimos.reports import sensor_actions  # noqa: F401
