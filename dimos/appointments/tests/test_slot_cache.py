"""The free-slot grid cache never serves a grid older than the last change."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dimos.appointments.models import Closure, Counter, OpeningHours
from dimos.appointments.selectors import free_slots
from dimos.appointments.services import appointment_book, appointment_cancel
from dimos.appointments.tests.conftest import at


def _times(serres, setup):
    days = free_slots(
        municipality=serres, point=setup.point, appointment_type=setup.type, start=setup.day, days=1
    )
    return [timezone.localtime(s.starts_at).time() for s in days[0].slots], days[0]


def test_a_repeated_listing_is_served_from_the_cache(serres, setup):
    _times(serres, setup)
    with CaptureQueriesContext(connection) as ctx:
        _times(serres, setup)
    assert len(ctx.captured_queries) == 1  # only the schedule version


def test_booking_and_cancelling_invalidate_the_cached_listing(serres, setup, citizen):
    assert dt.time(9) in _times(serres, setup)[0]
    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    assert dt.time(9) not in _times(serres, setup)[0]
    appointment_cancel(appointment=appointment, actor=citizen)
    assert dt.time(9) in _times(serres, setup)[0]


def test_back_office_changes_invalidate_the_cached_listing(serres, setup):
    assert _times(serres, setup)[0][0] == dt.time(8)
    OpeningHours.objects.filter(point=setup.point).update(opens=dt.time(9))  # bulk: no signal…
    for hours in OpeningHours.objects.filter(point=setup.point):
        hours.save()  # …the admin saves rows one by one
    assert _times(serres, setup)[0][0] == dt.time(9)
    counter = Counter.objects.get(pk=setup.counter.pk)
    counter.types.remove(setup.type)
    assert _times(serres, setup)[0] == []
    counter.types.add(setup.type)
    assert _times(serres, setup)[0]
    Closure.objects.create(municipality=serres, date_from=setup.day, date_to=setup.day, reason="Απολύμανση")
    times, day = _times(serres, setup)
    assert times == [] and day.closed_reason == "Απολύμανση"
