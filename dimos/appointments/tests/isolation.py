"""Isolation cases for every staff URL of the appointments app."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model

from dimos.appointments.models import Appointment, AppointmentType, Counter, ServicePoint
from dimos.appointments.selectors import local_tz
from dimos.core.isolation import IsolationCase


def cases(ctx: Any) -> list[IsolationCase]:
    serres = ctx.serres
    point = ServicePoint.objects.create(municipality=serres, name_el="Σημείο Ισολάτου", address="Οδός 1")
    kind = AppointmentType.objects.create(municipality=serres, code="iso", name_el="Βεβαίωση Ισολάτου")
    counter = Counter.objects.create(municipality=serres, point=point, name="Γκισέ Ισολάτου")
    counter.types.add(kind)
    citizen = get_user_model().objects.create_user(
        username="isolatos", first_name="Ιάσονας", last_name="Ισολατίδης"
    )
    day = dt.date.today() + dt.timedelta(days=1)
    starts = dt.datetime.combine(day, dt.time(10, 0), tzinfo=local_tz())
    appointment = Appointment.objects.create(
        municipality=serres,
        reference="ISOL42",
        point=point,
        counter=counter,
        type=kind,
        citizen=citizen,
        starts_at=starts,
        ends_at=starts + dt.timedelta(minutes=15),
    )
    query = f"?point={point.pk}&date={day.isoformat()}"
    return [
        IsolationCase("appointments:day_list", marker="Ισολατίδης", query=query),
        IsolationCase("appointments:day_print", marker="Ισολατίδης", query=query),
        IsolationCase("appointments:mark", {"pk": appointment.pk}, method="POST", data={"status": "served"}),
        IsolationCase("appointments:staff_cancel", {"pk": appointment.pk}),  # the confirmation page
        IsolationCase(
            "appointments:staff_cancel", {"pk": appointment.pk}, method="POST", data={"reason": "κλειστά"}
        ),
        IsolationCase("appointments-api:api_day_list", marker="Ισολατίδης", query=query),
        IsolationCase(
            "appointments-api:api_mark", {"pk": appointment.pk}, method="POST", data={"status": "served"}
        ),
    ]
