from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class DashboardsConfig(AppConfig):
    name = "dimos.dashboards"
    label = "dashboards"
    verbose_name = _("Πίνακες δεικτών")
    dimos_public_nav = (NavItem("dashboards:figures", _("Ο δήμος σε αριθμούς")),)
    dimos_staff_nav = (
        NavItem(
            "dashboards:mayor",
            _("Πίνακας δεικτών του δήμου"),
            description=_("Αιτήσεις, αναφορές, αισθητήρες και ραντεβού: πώς αποδίδουν οι υπηρεσίες."),
            capability=Capability.DASHBOARD_VIEW,
        ),
        NavItem(
            "dashboards:region",
            _("Σύγκριση δήμων της Περιφέρειας"),
            description=_("Οι δήμοι δίπλα-δίπλα: αιτήσεις και αναφορές ανά 1.000 κατοίκους, κατάταξη, CSV."),
            capability=Capability.REGION_READ,
        ),
    )
