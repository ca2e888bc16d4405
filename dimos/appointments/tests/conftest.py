"""Fixtures of the appointments tests: a service point made with the factories."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from dimos.appointments.selectors import local_tz
from dimos.core.tests.factories import CitizenFactory
from dimos.core.workdays import national_holidays

from .factories import AppointmentTypeFactory, CounterFactory, OpeningHoursFactory, ServicePointFactory


def open_day(municipality: Any, *, after: int = 2) -> dt.date:
    """A day at least ``after`` days ahead that is not a public or local holiday."""
    day = dt.date.today() + dt.timedelta(days=after)
    while day in national_holidays(day.year) or day.strftime("%m-%d") in municipality.local_holidays:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=local_tz())


def make_point(municipality: Any, *, name: str = "Δημαρχείο", capacity: int = 1, minutes: int = 15) -> Any:
    """A point open 08:00–14:00 every day (so tests do not depend on today's weekday),
    one counter and one appointment type."""
    point = ServicePointFactory(
        municipality=municipality, name_el=name, name_en="Town hall", address="Κωνσταντίνου Καραμανλή 1"
    )
    for weekday in range(7):
        OpeningHoursFactory(point=point, weekday=weekday, opens=dt.time(8), closes=dt.time(14))
    kind = AppointmentTypeFactory(
        municipality=municipality,
        code=f"vevaiosi-{name}",
        name_el="Βεβαίωση μόνιμης κατοικίας",
        name_en="Certificate of residence",
        duration_minutes=minutes,
        description_el="Ταυτότητα",
    )
    counter = CounterFactory(point=point, name="Γκισέ 1", capacity=capacity, types=[kind])
    return SimpleNamespace(point=point, type=kind, counter=counter, day=open_day(municipality))


@pytest.fixture
def setup(serres: Any) -> SimpleNamespace:
    return make_point(serres)


@pytest.fixture
def other_citizen(db: Any) -> Any:
    return CitizenFactory(
        username="giorgos", first_name="Γιώργος", last_name="Αλεξίου", afm="", email="g@example.org"
    )
