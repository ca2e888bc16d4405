"""Legal deadlines of applications: calendar or working days, stopped while the citizen owes documents."""

from __future__ import annotations

import datetime as dt

from dimos.core.models import Municipality
from dimos.core.workdays import add_calendar_days, add_working_days, working_days_between
from dimos.eservices.constants import DeadlineKind
from dimos.eservices.models import Service


def deadline_compute(*, service: Service, municipality: Municipality, start: dt.date) -> dt.date:
    """The legal deadline of an application filed on ``start``."""
    local = tuple(municipality.local_holidays or ())
    if service.deadline_kind == DeadlineKind.WORKING:
        return add_working_days(start, service.deadline_days, local)
    return add_calendar_days(start, service.deadline_days, local)


def deadline_extend(
    *,
    service: Service,
    municipality: Municipality,
    deadline: dt.date,
    paused_on: dt.date,
    resumed_on: dt.date,
) -> dt.date:
    """Move a deadline by the time the clock was stopped (citizen owed documents)."""
    local = tuple(municipality.local_holidays or ())
    if resumed_on <= paused_on:
        return deadline
    if service.deadline_kind == DeadlineKind.WORKING:
        return add_working_days(deadline, working_days_between(paused_on, resumed_on, local), local)
    return add_calendar_days(deadline, (resumed_on - paused_on).days, local)
