"""Never double-booked: many bookings of one slot at once.

On PostgreSQL, real threads race through ``appointment_book`` (each with its own
connection) released together by a barrier. On SQLite the same assertions run
sequentially (its IMMEDIATE transactions serialise writers anyway).
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment, SlotUsage
from dimos.appointments.services import appointment_book
from dimos.appointments.tests.conftest import at, make_point
from dimos.core.exceptions import Conflict

THREADS = 8


def _citizens(n: int) -> list[Any]:
    User = get_user_model()
    return [User.objects.create_user(username=f"racer{i}") for i in range(n)]


def _race(serres: Any, setup: Any, citizens: list[Any], starts: list, *, threaded: bool) -> dict[str, int]:
    outcome = {"ok": 0, "conflict": 0, "error": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(len(citizens)) if threaded else None

    def attempt(citizen: Any, when: Any) -> None:
        try:
            if barrier is not None:
                barrier.wait(timeout=20)
            appointment_book(
                municipality=serres,
                citizen=citizen,
                point=setup.point,
                appointment_type=setup.type,
                starts_at=when,
            )
            key = "ok"
        except Conflict:
            key = "conflict"
        except Exception:
            key = "error"
        finally:
            if threaded:
                connection.close()
        with lock:
            outcome[key] += 1

    if threaded:
        threads = [
            threading.Thread(target=attempt, args=(c, w)) for c, w in zip(citizens, starts, strict=True)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    else:
        for c, w in zip(citizens, starts, strict=True):
            attempt(c, w)
    return outcome


def _check_no_overbooking(setup: Any) -> None:
    for usage in SlotUsage.objects.all():
        live = [
            a
            for a in Appointment.objects.filter(counter=usage.counter, status=AppointmentStatus.BOOKED)
            if a.starts_at <= usage.starts_at < a.ends_at
        ]
        assert len(live) == usage.booked <= usage.capacity


def _scenarios(serres: Any, *, threaded: bool) -> None:
    # One seat, eight people: exactly one gets it.
    setup = make_point(serres, name="Ένα γκισέ")
    day = setup.day
    result = _race(serres, setup, _citizens(THREADS), [at(day, 9)] * THREADS, threaded=threaded)
    assert result == {"ok": 1, "conflict": THREADS - 1, "error": 0}
    assert Appointment.objects.filter(point=setup.point).count() == 1
    _check_no_overbooking(setup)

    # Three seats: exactly three.
    wide = make_point(serres, name="Τρεις θέσεις", capacity=3)
    citizens = [get_user_model().objects.create_user(username=f"wide{i}") for i in range(THREADS)]
    result = _race(serres, wide, citizens, [at(day, 10)] * THREADS, threaded=threaded)
    assert result == {"ok": 3, "conflict": THREADS - 3, "error": 0}

    # 30-minute appointments on a 15-minute grid racing for overlapping starts:
    # whatever wins, no slot of the counter is held twice.
    long = make_point(serres, name="Μακριά ραντεβού", minutes=30)
    citizens = [get_user_model().objects.create_user(username=f"long{i}") for i in range(THREADS)]
    starts = [at(day, 9, 15 * (i % 4)) for i in range(THREADS)]
    result = _race(serres, long, citizens, starts, threaded=threaded)
    assert result["error"] == 0 and 1 <= result["ok"] <= 2
    _check_no_overbooking(long)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_bookings_never_double_book_on_postgresql(serres: Any) -> None:
    _scenarios(serres, threaded=True)


@pytest.mark.django_db
def test_sequential_bookings_never_double_book(serres: Any) -> None:
    _scenarios(serres, threaded=False)
