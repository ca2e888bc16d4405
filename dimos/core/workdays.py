"""The Greek working-day calendar: Orthodox Easter, public holidays, deadlines.

A deadline of N *working* days skips weekends, national holidays and the
municipality's local holidays. A deadline of N *calendar* days that ends on a
non-working day moves to the next working day (the general rule for
administrative time limits).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache


def orthodox_easter(year: int) -> dt.date:
    """Orthodox Easter (Meeus' Julian algorithm) converted to the Gregorian calendar.

    The +13 day offset is valid for 1900–2099.
    """
    if not 1900 <= year <= 2099:
        raise ValueError("orthodox_easter is defined here for 1900–2099")
    a = year % 4
    b = year % 7
    c = year % 19
    d = (19 * c + 15) % 30
    e = (2 * a + 4 * b - d + 34) % 7
    month = (d + e + 114) // 31
    day = (d + e + 114) % 31 + 1
    return dt.date(year, month, day) + dt.timedelta(days=13)


@lru_cache(maxsize=256)
def national_holidays(year: int) -> frozenset[dt.date]:
    easter = orthodox_easter(year)
    fixed = [(1, 1), (1, 6), (3, 25), (5, 1), (8, 15), (10, 28), (12, 25), (12, 26)]
    days = {dt.date(year, m, d) for m, d in fixed}
    days |= {
        easter - dt.timedelta(days=48),  # Καθαρά Δευτέρα
        easter - dt.timedelta(days=2),  # Μεγάλη Παρασκευή
        easter + dt.timedelta(days=1),  # Δευτέρα του Πάσχα
        easter + dt.timedelta(days=50),  # Αγίου Πνεύματος
    }
    return frozenset(days)


def _local(year: int, local_holidays: Iterable[str]) -> set[dt.date]:
    days = set()
    for md in local_holidays:
        month, day = (int(p) for p in md.split("-"))
        days.add(dt.date(year, month, day))
    return days


def is_working_day(day: dt.date, local_holidays: Iterable[str] = ()) -> bool:
    if day.weekday() >= 5:
        return False
    if day in national_holidays(day.year):
        return False
    return day not in _local(day.year, local_holidays)


def add_working_days(start: dt.date, days: int, local_holidays: Iterable[str] = ()) -> dt.date:
    """The date ``days`` working days after ``start`` (the filing day is not counted)."""
    if days < 0:
        raise ValueError("days must be non-negative")
    local = tuple(local_holidays)
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current, local):
            remaining -= 1
    return current


def add_calendar_days(start: dt.date, days: int, local_holidays: Iterable[str] = ()) -> dt.date:
    """``days`` calendar days after ``start``, moved forward off a non-working day."""
    if days < 0:
        raise ValueError("days must be non-negative")
    local = tuple(local_holidays)
    current = start + dt.timedelta(days=days)
    while not is_working_day(current, local):
        current += dt.timedelta(days=1)
    return current


def working_days_between(start: dt.date, end: dt.date, local_holidays: Iterable[str] = ()) -> int:
    """Working days in (start, end]; negative when end is before start."""
    local = tuple(local_holidays)
    if end < start:
        return -working_days_between(end, start, local)
    count = 0
    current = start
    while current < end:
        current += dt.timedelta(days=1)
        if is_working_day(current, local):
            count += 1
    return count
