from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "dimos.reports"
    label = "reports"
    verbose_name = _("Αναφορές προβλημάτων")
    dimos_public_nav = (("reports:new", _("Αναφορά προβλήματος")), ("reports:public_list", _("Αναφορές")))
    dimos_staff_nav = (("reports:queue", _("Αναφορές πολιτών")),)
    dimos_home_cards = (
        (
            "reports:new",
            _("Αναφέρετε ένα πρόβλημα"),
            None,
            _("Λακκούβες, σβηστές λάμπες, γεμάτοι κάδοι: δείξτε το σημείο στον χάρτη."),
        ),
    )

    def ready(self) -> None:
        from dimos.reports import tasks  # noqa: F401  (task registration)
