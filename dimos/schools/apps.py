from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class SchoolsConfig(AppConfig):
    name = "dimos.schools"
    label = "schools"
    verbose_name = _("Ψηφιακά σχολεία")
    dimos_staff_nav = (
        NavItem(
            "schools:overview",
            _("Ψηφιακά σχολεία"),
            description=_("Εξοπλισμός σχολείων, ανάγκες, πρόταση χρηματοδότησης, δανεισμοί, επισκευές."),
            capability=Capability.SCHOOLS_MANAGE,
        ),
        NavItem(
            "schools:my_school",
            _("Το σχολείο μου"),
            description=_("Εξοπλισμός, δανεισμοί και βλάβες του σχολείου σας."),
            capability=Capability.SCHOOLS_OWN_SCHOOL,
        ),
        NavItem(
            "schools:overview",
            _("Ψηφιακά σχολεία: εικόνα"),
            description=_("Συγκεντρωτικά στοιχεία εξοπλισμού και προτάσεις χρηματοδότησης των σχολείων."),
            capability=Capability.REGION_READ,
        ),
    )

    def ready(self) -> None:
        from dimos.schools import tasks  # noqa: F401  (task registration)
