from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from dimos.appointments.models import AppointmentType, Counter, OpeningHours, ServicePoint
from dimos.appointments.selectors import local_tz
from dimos.core.workdays import national_holidays


def open_day(municipality: Any, *, after: int = 2) -> dt.date:
    """A day at least ``after`` days ahead that is not a public or local holiday."""
    day = dt.date.today() + dt.timedelta(days=after)
    while day in national_holidays(day.year) or day.strftime("%m-%d") in municipality.local_holidays:
        day += dt.timedelta(days=1)
    return day


def at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm), tzinfo=local_tz())


def make_point(municipality: Any, *, name: str = "Δημαρχείο", capacity: int = 1, minutes: int = 15) -> Any:
    point = ServicePoint.objects.create(
        municipality=municipality, name_el=name, name_en="Town hall", address="Κωνσταντίνου Καραμανλή 1"
    )
    for weekday in range(7):  # open every day, so tests do not depend on today's weekday
        OpeningHours.objects.create(
            municipality=municipality, point=point, weekday=weekday, opens=dt.time(8), closes=dt.time(14)
        )
    kind = AppointmentType.objects.create(
        municipality=municipality,
        code=f"vevaiosi-{name}",
        name_el="Βεβαίωση μόνιμης κατοικίας",
        name_en="Certificate of residence",
        duration_minutes=minutes,
        description_el="Ταυτότητα",
    )
    counter = Counter.objects.create(
        municipality=municipality, point=point, name="Γκισέ 1", capacity=capacity
    )
    counter.types.add(kind)
    return SimpleNamespace(point=point, type=kind, counter=counter, day=open_day(municipality))


@pytest.fixture
def setup(serres: Any) -> SimpleNamespace:
    return make_point(serres)


@pytest.fixture
def other_citizen(db: Any) -> Any:
    return get_user_model().objects.create_user(
        username="giorgos",
        first_name="Γιώργος",
        last_name="Αλεξίου",
        email="g@example.org",
        email_verified=True,
    )
