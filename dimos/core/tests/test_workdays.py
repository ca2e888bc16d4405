import datetime as dt

import pytest

from dimos.core.workdays import (
    add_calendar_days,
    add_working_days,
    is_working_day,
    national_holidays,
    orthodox_easter,
    working_days_between,
)


@pytest.mark.parametrize(
    ("year", "easter"),
    [
        (2008, dt.date(2008, 4, 27)),
        (2010, dt.date(2010, 4, 4)),
        (2021, dt.date(2021, 5, 2)),
        (2024, dt.date(2024, 5, 5)),
        (2025, dt.date(2025, 4, 20)),
        (2026, dt.date(2026, 4, 12)),
        (2027, dt.date(2027, 5, 2)),
    ],
)
def test_orthodox_easter(year: int, easter: dt.date) -> None:
    assert orthodox_easter(year) == easter


def test_movable_feasts_2026() -> None:
    days = national_holidays(2026)
    assert dt.date(2026, 2, 23) in days  # Καθαρά Δευτέρα
    assert dt.date(2026, 4, 10) in days  # Μεγάλη Παρασκευή
    assert dt.date(2026, 4, 13) in days  # Δευτέρα του Πάσχα
    assert dt.date(2026, 6, 1) in days  # Αγίου Πνεύματος
    assert dt.date(2026, 4, 9) not in days


def test_working_days_skip_the_easter_weekend() -> None:
    # Thursday 9 April 2026 + 1 working day: Good Friday, Sat, Sun, Easter Monday are off.
    assert add_working_days(dt.date(2026, 4, 9), 1) == dt.date(2026, 4, 14)
    assert add_working_days(dt.date(2026, 4, 9), 5) == dt.date(2026, 4, 20)


def test_local_holiday_counts_only_for_that_municipality() -> None:
    monday_29_june_2026 = dt.date(2026, 6, 29)
    assert is_working_day(monday_29_june_2026)
    assert not is_working_day(monday_29_june_2026, ["06-29"])
    assert add_working_days(dt.date(2026, 6, 26), 1, ["06-29"]) == dt.date(2026, 6, 30)


def test_calendar_deadline_moves_off_a_holiday() -> None:
    # 50 calendar days from 20 Feb 2026 is Sat 11 April (Easter Saturday) → Tuesday 14 April.
    assert add_calendar_days(dt.date(2026, 2, 20), 50) == dt.date(2026, 4, 14)


def test_working_days_between() -> None:
    assert working_days_between(dt.date(2026, 4, 9), dt.date(2026, 4, 14)) == 1
    assert working_days_between(dt.date(2026, 4, 14), dt.date(2026, 4, 9)) == -1


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(dt.date(2026, 1, 1), -1)
