"""Appointments benchmark: free-slot listing for a busy week and booking, vs. the floor.

Data: the Serres demo points; the town hall's two civil-registry counters with
80 % of a week's seats taken (the "busy week") and a year of past appointments
(so the tables are not toy-sized). Measured through Django's full stack in this
process, alternating with the floor (``/__bench_floor__``).

Targets: listing ≤ 3 × the floor; the number of queries of the listing does not
depend on the number of appointments (measured on an empty and a busy week).
"""

from __future__ import annotations

import datetime as dt
import os
import random
from pathlib import Path
from typing import Any

from bench.common import Timer, alternate, count_queries, fresh_database, result, write_results


def _fill(
    municipality: Any,
    point: Any,
    kind: Any,
    citizens: list[Any],
    start: dt.date,
    days: int,
    share: float,
    prefix: str,
) -> int:
    """Book ``share`` of the seats of ``days`` days directly (bulk), as the service would."""
    from django.utils import timezone

    from dimos.appointments.models import Appointment, SlotUsage
    from dimos.appointments.selectors import counters_for, free_slots

    rng = random.Random(7)
    counters = counters_for(municipality=municipality, point=point, appointment_type=kind)
    appointments, usage = [], []
    schedule = []
    for offset in range(0, days, 28):  # within the booking horizon of a chosen "now"
        chunk = start + dt.timedelta(days=offset)
        now = timezone.make_aware(dt.datetime.combine(chunk - dt.timedelta(days=1), dt.time(8)))
        schedule += free_slots(
            municipality=municipality,
            point=point,
            appointment_type=kind,
            start=chunk,
            days=min(28, days - offset),
            now=now,
        )
    for day in schedule:
        for slot in day.slots:
            for counter in counters:
                if rng.random() < share:
                    appointments.append(
                        Appointment(
                            municipality=municipality,
                            reference=f"{prefix}{len(appointments):06d}",
                            point=point,
                            counter_id=counter.pk,
                            type=kind,
                            citizen=citizens[len(appointments) % len(citizens)],
                            starts_at=slot.starts_at,
                            ends_at=slot.ends_at,
                            status="booked" if slot.starts_at > timezone.now() else "served",
                        )
                    )
                    usage.append(
                        SlotUsage(
                            municipality=municipality,
                            counter_id=counter.pk,
                            starts_at=slot.starts_at,
                            booked=1,
                            capacity=1,
                        )
                    )
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    SlotUsage.objects.bulk_create(usage, batch_size=2000)
    # bulk_create sends no signals: move the slot grid's data version as a service would.
    from dimos.appointments.constants import SLOTS_TOPIC
    from dimos.core.versions import data_changed

    data_changed(municipality.pk, SLOTS_TOPIC)
    return len(appointments)


def run(*, quick: bool = False) -> Path:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dimos.appointments import demo as appointments_demo
    from dimos.appointments.selectors import free_slots
    from dimos.core import demo

    fresh_database()
    ctx = demo.seed()
    objects = appointments_demo.seed_municipality(ctx.serres)
    serres = ctx.serres
    point = objects["points"]["Δημαρχείο Σερρών"]
    kind = objects["types"]["vevaiosi-monimis-katoikias"]
    User = get_user_model()
    n = 40 if quick else 200
    people = 200 if quick else 2000
    User.objects.bulk_create(User(username=f"bench-citizen-{i}") for i in range(people))
    citizens = list(User.objects.filter(username__startswith="bench-citizen-"))

    today = timezone.localdate()
    busy_week = today + dt.timedelta(days=7 - today.weekday())  # next Monday
    empty_week = busy_week + dt.timedelta(days=7)
    history = _fill(serres, point, kind, citizens, busy_week - dt.timedelta(days=364), 357, 0.6, "H")
    busy = _fill(serres, point, kind, citizens, busy_week, 7, 0.8, "B")

    timer = Timer()
    timer.client.force_login(citizens[0])
    floor = timer.get("/__bench_floor__")
    page_busy = timer.get(f"/appointments/point/{point.pk}/type/{kind.pk}/?from={busy_week.isoformat()}")
    page_empty = timer.get(f"/appointments/point/{point.pk}/type/{kind.pk}/?from={empty_week.isoformat()}")
    api = Timer()
    api_busy = api.get(
        f"/api/v1/appointments/slots/?point={point.pk}&type={kind.pk}&start={busy_week}&days=7"
    )
    api_empty = api.get(
        f"/api/v1/appointments/slots/?point={point.pk}&type={kind.pk}&start={empty_week}&days=7"
    )
    for call in (page_busy, page_empty, api_busy, api_empty):
        call()  # warm caches (host map, templates) before counting queries
    params = {
        "requests": n,
        "appointments_in_database": history + busy,
        "busy_week_booked": busy,
        "queries_busy_week": count_queries(page_busy),
        "queries_empty_week": count_queries(page_empty),
    }
    rows = []
    t, f = alternate(page_busy, floor, n)
    rows.append(
        result(
            "free_slots_page_busy_week",
            "median_seconds",
            t,
            f,
            params,
            target="ratio <= 3, queries constant",
        )
    )
    t, f = alternate(api_busy, floor, n)
    rows.append(
        result(
            "free_slots_api_busy_week",
            "median_seconds",
            t,
            f,
            {
                "requests": n,
                "queries_busy_week": count_queries(api_busy),
                "queries_empty_week": count_queries(api_empty),
            },
            target="ratio <= 3, queries constant",
        )
    )

    # Reference: a signed-in page of the same app with nothing to compute (the
    # cost of session, user, tenant and base template that any such page pays).
    fresh = Timer()
    fresh.client.force_login(User.objects.create_user(username="bench-citizen-without-appointments"))
    empty_page = fresh.get("/appointments/mine/")
    t, f = alternate(empty_page, floor, n)
    rows.append(
        result(
            "reference_signed_in_page_without_data",
            "median_seconds",
            t,
            f,
            {"requests": n, "queries": count_queries(empty_page)},
            target="(reference only)",
        )
    )

    # Booking: each request a different citizen and a free slot of the following weeks.
    later = [
        slot.starts_at
        for day in free_slots(
            municipality=serres, point=point, appointment_type=kind, start=empty_week, days=21
        )
        for slot in day.slots
        for _seat in range(slot.free)
    ]
    random.Random(3).shuffle(later)
    bookers = []
    for i, starts_at in enumerate(later[: n + 12]):
        client = Timer()
        client.client.force_login(citizens[100 + i])
        bookers.append((client.client, starts_at))
    queries: list[int] = []

    def book() -> Any:
        client, starts_at = bookers.pop()
        payload = {"point": point.pk, "type": kind.pk, "starts_at": starts_at.isoformat()}
        response = client.post("/api/v1/appointments/", payload, content_type="application/json")
        if response.status_code != 201:
            raise RuntimeError(f"booking answered {response.status_code}: {response.content[:200]!r}")
        return response

    queries.append(count_queries(book))
    queries.append(count_queries(book))
    t, f = alternate(book, floor, n, warmup=10)
    rows.append(
        result(
            "book_appointment_api",
            "median_seconds",
            t,
            f,
            {"requests": n, "queries_per_booking": sorted(set(queries))},
            target="constant queries (reported ratio is informative: a booking is a locked write)",
        )
    )
    # The machines are shared: record how busy this one was (1-minute load average, 2 cores).
    for row in rows:
        row["params"]["load_average_1min"] = round(os.getloadavg()[0], 2)
    return write_results("appointments", rows)
