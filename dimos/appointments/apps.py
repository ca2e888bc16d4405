from typing import Any

from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from dimos.core.capabilities import Capability
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
            capability=Capability.APPOINTMENTS_DESK,
            description=_("Η λίστα ραντεβού ανά σημείο και γκισέ, με σήμανση προσέλευσης."),
        ),
    )

    def ready(self) -> None:
        from dimos.appointments import models, tasks  # noqa: F401  (task registration)

        # Every saved or deleted row that shapes the free-slot grid moves the
        # appointments data version (the grid cache's key) in the writer's
        # transaction: from services, the admin or a shell alike. Bookings and
        # cancellations move it in their services (after the slot locks).
        for model in (
            models.ServicePoint,
            models.Counter,
            models.OpeningHours,
            models.Closure,
            models.AppointmentType,
        ):
            post_save.connect(
                _slots_changed, sender=model, dispatch_uid=f"appointments.slots.save.{model.__name__}"
            )
            post_delete.connect(
                _slots_changed, sender=model, dispatch_uid=f"appointments.slots.del.{model.__name__}"
            )
        m2m_changed.connect(
            _counter_types_changed,
            sender=models.Counter.types.through,
            dispatch_uid="appointments.slots.types",
        )


def _slots_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    from dimos.appointments.constants import SLOTS_TOPIC
    from dimos.core.versions import data_changed

    data_changed(instance.municipality_id, SLOTS_TOPIC)


def _counter_types_changed(sender: Any, instance: Any, action: str, **kwargs: Any) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _slots_changed(sender, instance)
