from __future__ import annotations

from dimos.appointments import demo
from dimos.appointments.models import Appointment, AppointmentType, Counter, OpeningHours, ServicePoint
from dimos.core import demo as core_demo


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (ServicePoint, Counter, AppointmentType, OpeningHours, Appointment)
    )


def test_the_demo_seed_is_idempotent(db):
    ctx = core_demo.seed()
    demo.seed(ctx)
    first = _counts()
    assert first[:4] == (3, 7, 5, 15)  # points, counters, types, opening periods
    demo.seed(ctx)
    assert _counts() == first
    hall = ServicePoint.objects.get(name_el="Δημαρχείο Σερρών")
    assert hall.address.startswith("Κωνσταντίνου Καραμανλή 1")
    assert {p.name_el for p in ServicePoint.objects.all()} == {
        "Δημαρχείο Σερρών",
        "ΚΕΠ Σερρών (Διοικητήριο)",
        "ΚΕΠ Λευκώνα",
    }
