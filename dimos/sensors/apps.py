from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
from dimos.core.navigation import NavItem


class SensorsConfig(AppConfig):
    name = "dimos.sensors"
    label = "sensors"
    verbose_name = _("Αισθητήρες πόλης")
    dimos_public_nav = (
        NavItem("sensors:parking", _("Στάθμευση τώρα")),
        NavItem("sensors:air_quality", _("Ποιότητα αέρα")),
        NavItem("sensors:noise", _("Θόρυβος")),
    )
    dimos_staff_nav = (
        NavItem("sensors:dashboard", _("Αισθητήρες και συναγερμοί"), capability=Capability.SENSORS_READ),
    )
    dimos_home_cards = (
        NavItem(
            "sensors:parking",
            _("Ελεύθερες θέσεις στάθμευσης"),
            description=_("Πού βρίσκετε θέση τώρα γύρω από την Πλατεία Ελευθερίας."),
        ),
        NavItem(
            "sensors:air_quality",
            _("Ποιότητα του αέρα"),
            description=_("Ευρωπαϊκός δείκτης ποιότητας αέρα ανά σταθμό, με συμβουλές υγείας."),
        ),
        NavItem("sensors:noise", _("Θόρυβος"), description=_("Επίπεδα θορύβου ανά σταθμό μέτρησης.")),
    )

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from dimos.sensors import actions, tasks  # noqa: F401  (registration side effects)
        from dimos.sensors.models import DeviceType
        from dimos.sensors.ngsild import errors  # noqa: F401  (the NGSI-LD shape of hostile-input errors)
        from dimos.sensors.services.device_types import device_types_cache_clear

        post_save.connect(device_types_cache_clear, sender=DeviceType, dispatch_uid="sensors-types-save")
        post_delete.connect(device_types_cache_clear, sender=DeviceType, dispatch_uid="sensors-types-delete")
