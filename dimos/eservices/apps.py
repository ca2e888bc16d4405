from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class ServicesConfig(AppConfig):
    name = "dimos.eservices"
    label = "services"
    verbose_name = _("Ηλεκτρονικές υπηρεσίες")

    def ready(self) -> None:
        from dimos.eservices import verification

        verification.connect()

    dimos_public_nav = (
        NavItem("services:catalogue", _("Ηλεκτρονικές υπηρεσίες")),
        NavItem("services:my_applications", _("Οι αιτήσεις μου")),
        NavItem("verify:lookup", _("Επαλήθευση εγγράφου")),
    )
    dimos_staff_nav = (
        NavItem(
            "services:staff_queue",
            _("Αιτήσεις πολιτών"),
            capability=Capability.ESERVICES_HANDLE,
            description=_("Ουρά αιτήσεων ανά τμήμα, προθεσμίες, έκδοση εγγράφων."),
        ),
        NavItem(
            "services:register",
            _("Βιβλίο πρωτοκόλλου"),
            capability=Capability.REGISTER_READ,
            description=_("Εισερχόμενα και εξερχόμενα, εξαγωγή CSV/PDF."),
        ),
    )
    dimos_home_cards = (
        NavItem(
            "services:catalogue",
            _("Ηλεκτρονικές αιτήσεις"),
            description=_("Βεβαιώσεις, άδειες και αιτήματα χωρίς ουρές, με αριθμό πρωτοκόλλου αμέσως."),
        ),
        NavItem(
            "verify:lookup",
            _("Επαλήθευση εγγράφου"),
            description=_("Ελέγξτε αν ένα έγγραφο του δήμου είναι γνήσιο και σε ισχύ."),
        ),
    )
