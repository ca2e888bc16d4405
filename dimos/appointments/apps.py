from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.navigation import NavItem


class AppointmentsConfig(AppConfig):
    name = "dimos.appointments"
    label = "appointments"
    verbose_name = _("Ραντεβού σε σημεία εξυπηρέτησης")

    dimos_public_nav = (NavItem("appointments:index", _("Ραντεβού")),)
    dimos_home_cards = (
        NavItem(
            "appointments:index",
            _("Κλείστε ραντεβού"),
            description=_("Στο δημαρχείο ή σε ΚΕΠ, χωρίς αναμονή στην ουρά."),
        ),
    )
    dimos_staff_nav = (
        NavItem(
            "appointments:day_list",
            _("Ραντεβού ημέρας"),
            description=_("Η λίστα ραντεβού ανά σημείο και γκισέ, με σήμανση προσέλευσης."),
        ),
    )

    def ready(self) -> None:
        from dimos.appointments import signals, tasks  # noqa: F401  (registration side effects)
