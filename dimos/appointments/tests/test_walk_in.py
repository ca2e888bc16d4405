"""Walk-ins at the desk and the demo's day at the desk (issue 13, item 8).

Every time here is a fixed hour of a fixed open day (``setup.day``), passed as ``now``:
nothing depends on the hour the tests run.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.demo import walk_ins_today
from dimos.appointments.models import Appointment, SlotUsage
from dimos.appointments.services import appointment_book, appointment_walk_in
from dimos.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from dimos.core.models import AuditEvent
from dimos.core.tests.factories import CitizenFactory

from .conftest import at

pytestmark = pytest.mark.django_db


def test_the_desk_records_a_walk_in_in_an_earlier_slot_of_today(serres, setup, alice, citizen, other_citizen):
    noon = at(setup.day, 12)
    appointment = appointment_walk_in(
        municipality=serres,
        actor=alice,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
        now=noon,
    )
    assert appointment.status == AppointmentStatus.BOOKED and appointment.starts_at < noon
    assert SlotUsage.objects.get().booked == 1  # it takes its room like a booking
    assert AuditEvent.objects.filter(action="appointments.walk_in", actor=alice).count() == 1
    # The slot is now full (capacity 1): a citizen cannot book it as well.
    with pytest.raises(Conflict, match="μόλις κλείστηκε"):
        appointment_book(
            municipality=serres,
            citizen=other_citizen,
            point=setup.point,
            appointment_type=setup.type,
            starts_at=at(setup.day, 9),
        )


@pytest.mark.parametrize(
    ("starts", "message"),
    [
        (lambda day: at(day + dt.timedelta(days=1), 9), "μόνο ραντεβού της ημέρας"),
        (lambda day: at(day - dt.timedelta(days=1), 9), "μόνο ραντεβού της ημέρας"),
        (lambda day: at(day, 7), "δεν είναι διαθέσιμη"),  # before opening
        (lambda day: at(day, 9, 7), "δεν είναι διαθέσιμη"),  # off the slot grid
    ],
)
def test_a_walk_in_outside_todays_schedule_is_refused(serres, setup, alice, citizen, starts, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        appointment_walk_in(
            municipality=serres,
            actor=alice,
            citizen=citizen,
            point=setup.point,
            appointment_type=setup.type,
            starts_at=starts(setup.day),
            now=at(setup.day, 12),
        )
    assert refused.value.field == "starts_at"
    assert not Appointment.objects.exists()


def test_only_the_desk_records_walk_ins(serres, setup, citizen):
    with pytest.raises(PermissionDenied):
        appointment_walk_in(
            municipality=serres,
            actor=citizen,
            citizen=citizen,
            point=setup.point,
            appointment_type=setup.type,
            starts_at=at(setup.day, 9),
            now=at(setup.day, 12),
        )


def test_the_demo_fills_todays_desk_even_after_closing_time(serres, setup, alice):
    """A demo started at 15:00, after the point closed at 14:00, still has a day at the desk."""
    for username in ("maria.papadopoulou", "nikos.georgiou", "eleni.dimitriou"):
        CitizenFactory(username=username, afm="")
    code_of = {"dimotologio", "vevaiosi-monimis-katoikias", "karta-stathmefsis"}
    objects = {"points": {"Δημαρχείο Σερρών": setup.point}, "types": dict.fromkeys(code_of, setup.type)}
    after_closing = at(setup.day, 15)
    assert walk_ins_today(serres, objects, now=after_closing) == 3
    day = Appointment.objects.filter(point=setup.point)
    assert day.count() == 3
    assert all(a.starts_at.date() == setup.day and a.starts_at < after_closing for a in day)
    assert walk_ins_today(serres, objects, now=after_closing) == 0  # idempotent
