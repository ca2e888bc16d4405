"""Demo data: a closure and a few bookings at Serres' service points.

The points, counters, appointment types and hours are starter kits
(``appointments``, ``serres-service-points``). Idempotent: bookings only for demo
citizens who have none.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import (
    Appointment,
    AppointmentType,
    Closure,
    ServicePoint,
)
from dimos.core.bootstrap import kits_apply
from dimos.core.exceptions import ApplicationError
from dimos.core.models import Municipality


def seed_municipality(municipality: Municipality) -> dict[str, Any]:
    """Serres' appointment types and service points (the ``appointments`` and
    ``serres-service-points`` starter kits) and the demo's New Year's Eve closure.

    Idempotent; returns ``{"types": {code: …}, "points": {name_el: …}}``.
    """
    kits_apply(municipality=municipality, kits=["appointments", "serres-service-points"])
    return _with_closure(municipality)


def _with_closure(municipality: Municipality) -> dict[str, Any]:
    types = {t.code: t for t in AppointmentType.objects.filter(municipality=municipality)}
    points = {p.name_el: p for p in ServicePoint.objects.filter(municipality=municipality)}
    year = timezone.localdate().year
    Closure.objects.update_or_create(
        municipality=municipality,
        point=points["ΚΕΠ Λευκώνα"],
        date_from=dt.date(year, 12, 31),
        defaults={"date_to": dt.date(year, 12, 31), "reason": "Παραμονή Πρωτοχρονιάς"},
    )
    return {"types": types, "points": points}


def _book_demo(municipality: Municipality, objects: dict[str, Any]) -> int:
    from dimos.appointments.selectors import free_slots
    from dimos.appointments.services import appointment_book

    User = get_user_model()
    plan = [
        ("maria.papadopoulou", "Δημαρχείο Σερρών", "vevaiosi-monimis-katoikias"),
        ("nikos.georgiou", "Δημαρχείο Σερρών", "karta-stathmefsis"),
        ("eleni.dimitriou", "Δημαρχείο Σερρών", "dimotologio"),
    ]
    made = 0
    for username, point_name, code in plan:
        citizen = User.objects.filter(username=username).first()
        if citizen is None:
            continue
        has_live = Appointment.objects.filter(
            municipality=municipality,
            citizen=citizen,
            status=AppointmentStatus.BOOKED,
            starts_at__gt=timezone.now(),
        ).exists()
        if has_live:
            continue
        point, appointment_type = objects["points"][point_name], objects["types"][code]
        days = free_slots(
            municipality=municipality,
            point=point,
            appointment_type=appointment_type,
            start=timezone.localdate(),
            days=14,
        )
        slot = next((d.slots[min(made * 2, len(d.slots) - 1)] for d in days if d.slots), None)
        if slot is None:
            continue
        try:
            appointment_book(
                municipality=municipality,
                citizen=citizen,
                point=point,
                appointment_type=appointment_type,
                starts_at=slot.starts_at,
            )
        except ApplicationError:
            continue
        made += 1
    return made


WALK_INS = [  # citizens at the town hall's desk today: (username, appointment type)
    ("maria.papadopoulou", "dimotologio"),
    ("nikos.georgiou", "vevaiosi-monimis-katoikias"),
    ("eleni.dimitriou", "karta-stathmefsis"),
]


def walk_ins_today(
    municipality: Municipality, objects: dict[str, Any], *, now: dt.datetime | None = None
) -> int:
    """Today's desk at the town hall: walk-ins recorded by the clerk, also in slots already past.

    A demo started after opening hours (or late in the morning) would otherwise show an
    empty day list, since bookings only take future slots. These go through the desk's
    own service (``appointment_walk_in``), which keeps the slot counts true. Idempotent:
    none for a citizen who already has an appointment today at the point. A closed day
    (weekend, holiday, closure) gets none: the desk is «Κλειστά».
    """
    from dimos.appointments.selectors import free_slots, local_tz
    from dimos.appointments.services import appointment_walk_in
    from dimos.core.capabilities import Capability, has_capability

    now = now or timezone.now()
    tz = local_tz()
    today = timezone.localtime(now, tz).date()
    User = get_user_model()
    clerk = next(
        (
            u
            for u in User.objects.filter(municipality=municipality, is_active=True).exclude(role="")
            if has_capability(u, Capability.APPOINTMENTS_DESK)
        ),
        None,
    )
    point = objects["points"].get("Δημαρχείο Σερρών")
    if clerk is None or point is None:
        return 0
    day_start = dt.datetime.combine(today, dt.time(0), tzinfo=tz)
    made = 0
    for username, code in WALK_INS:
        citizen = User.objects.filter(username=username).first()
        appointment_type = objects["types"].get(code)
        if citizen is None or appointment_type is None:
            continue
        if Appointment.objects.filter(
            municipality=municipality,
            citizen=citizen,
            point=point,
            starts_at__gte=day_start,
            starts_at__lt=day_start + dt.timedelta(days=1),
        ).exists():
            continue
        days = free_slots(
            municipality=municipality,
            point=point,
            appointment_type=appointment_type,
            start=today,
            days=1,
            now=day_start - dt.timedelta(minutes=point.notice_minutes),
        )
        slots = days[0].slots if days else []
        if not slots:
            continue
        slot = slots[min(made * 3, len(slots) - 1)]  # spread over the day: morning to noon
        try:
            appointment_walk_in(
                municipality=municipality,
                actor=clerk,
                citizen=citizen,
                point=point,
                appointment_type=appointment_type,
                starts_at=slot.starts_at,
                now=now,
            )
        except ApplicationError:
            continue
        made += 1
    return made


def seed(ctx: Any) -> None:
    objects = _with_closure(ctx.serres)  # the points come from the core demo's kits
    made = _book_demo(ctx.serres, objects) + walk_ins_today(ctx.serres, objects)
    ctx.say(
        "Ραντεβού: /appointments/ (πολίτες), /staff/appointments/ (λίστα ημέρας, π.χ. clerk.serres)"
        + (f" · {made} νέα ραντεβού επίδειξης" if made else "")
    )
