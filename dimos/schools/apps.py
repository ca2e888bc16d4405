from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.constants import StaffRole

_OFFICE = (StaffRole.MUNICIPAL_ADMIN, StaffRole.DEPARTMENT_HEAD, StaffRole.CLERK)


class SchoolsConfig(AppConfig):
    name = "dimos.schools"
    label = "schools"
    verbose_name = _("Ψηφιακά σχολεία")
    dimos_staff_nav = (
        (
            "schools:overview",
            _("Ψηφιακά σχολεία"),
            _OFFICE,
            _("Εξοπλισμός σχολείων, ανάγκες, πρόταση χρηματοδότησης, δανεισμοί, επισκευές."),
        ),
        (
            "schools:my_school",
            _("Το σχολείο μου"),
            (StaffRole.SCHOOL_DIRECTOR,),
            _("Εξοπλισμός, δανεισμοί και βλάβες του σχολείου σας."),
        ),
    )

    def ready(self) -> None:
        from dimos.schools import tasks  # noqa: F401  (task registration)
