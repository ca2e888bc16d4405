"""Reads: free slots, a citizen's appointments, the clerk's day list.

The free-slot listing costs a fixed number of queries whatever the number of
appointments: counters, opening hours, closures and slot usage are each read
once for the whole range and the grid is computed in Python.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from dimos.appointments.constants import SLOTS_TOPIC, AppointmentStatus
from dimos.appointments.models import (
    Appointment,
    AppointmentType,
    Closure,
    Counter,
    OpeningHours,
    ServicePoint,
    SlotUsage,
)
from dimos.core.models import Municipality
from dimos.core.versions import data_version
from dimos.core.workdays import national_holidays


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


@dataclass
class Slot:
    starts_at: dt.datetime
    ends_at: dt.datetime
    free: int


@dataclass
class DaySlots:
    day: dt.date
    closed_reason: str = ""
    closed: bool = False  # a holiday or closure (with its reason), or no opening hours that weekday
    slots: list[Slot] = field(default_factory=list)


@dataclass(frozen=True)
class CounterInfo:
    pk: int
    capacity: int


def point_list(*, municipality: Municipality) -> QuerySet[ServicePoint]:
    return (
        ServicePoint.objects.filter(municipality=municipality, is_active=True)
        .prefetch_related("hours")
        .order_by("name_el")
    )


def types_for_point(*, municipality: Municipality, point: ServicePoint) -> QuerySet[AppointmentType]:
    return (
        AppointmentType.objects.filter(
            municipality=municipality,
            is_active=True,
            counters__point=point,
            counters__is_active=True,
        )
        .distinct()
        .order_by("name_el")
    )


def counters_for(
    *, municipality: Municipality, point: ServicePoint, appointment_type: AppointmentType
) -> list[CounterInfo]:
    rows = (
        Counter.objects.filter(municipality=municipality, point=point, is_active=True, types=appointment_type)
        .order_by("pk")
        .values_list("pk", "capacity")
    )
    return [CounterInfo(pk, capacity) for pk, capacity in rows]


def _holiday_reason(day: dt.date, local_holidays: list[str]) -> str:
    from django.utils.translation import gettext

    if day in national_holidays(day.year):
        return gettext("Επίσημη αργία")
    if day.strftime("%m-%d") in set(local_holidays or []):
        return gettext("Τοπική αργία")
    return ""


def slot_cells(*, point: ServicePoint, appointment_type: AppointmentType, starts_at: dt.datetime) -> list:
    """The slot starts an appointment of this type occupies (its duration in slots)."""
    step = dt.timedelta(minutes=point.slot_minutes)
    count = -(-appointment_type.duration_minutes // point.slot_minutes)
    return [starts_at + step * i for i in range(count)]


# The occupancy grid of a point and type for a date range is a shared, public
# cache entry keyed by the municipality's appointments data version
# (``data_version(municipality, SLOTS_TOPIC)``), which every booking,
# cancellation and reschedule, and every change of points, counters, hours,
# closures or appointment types moves forward inside its own transaction. The
# version is read fresh from the database on each call, so a cached grid is never
# used after a change, in any process; the TTL only bounds memory. The grid holds
# no personal data: only counts of booked seats per start time.
GRID_CACHE_SECONDS = 300


def free_slots(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    start: dt.date,
    days: int,
    now: dt.datetime | None = None,
) -> list[DaySlots]:
    """Each day from ``start`` for ``days`` days, with its free start times.

    A start time is offered when it lies on the point's slot grid inside an
    opening period that fits the whole duration, is at least ``notice_minutes``
    ahead, within the booking horizon, not a holiday or closure, and some
    counter serving the type has room in every slot the appointment covers.
    """
    tz = local_tz()
    now = now or timezone.now()
    earliest = now + dt.timedelta(minutes=point.notice_minutes)
    last_day = timezone.localtime(now, tz).date() + dt.timedelta(days=point.horizon_days)
    result = []
    for day in _grid_cached(
        municipality=municipality, point=point, appointment_type=appointment_type, start=start, days=days
    ):
        entry = DaySlots(day=day.day, closed_reason=day.closed_reason, closed=day.closed)
        if not day.closed and day.day <= last_day:
            entry.slots = [slot for slot in day.slots if slot.starts_at >= earliest]
        result.append(entry)
    return result


def _grid_cached(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    start: dt.date,
    days: int,
) -> list[DaySlots]:
    version = data_version(municipality.pk, SLOTS_TOPIC)
    key = "dimos:appointments:grid:" + ":".join(
        str(part)
        for part in (
            municipality.pk,
            point.pk,
            version,
            point.slot_minutes,
            appointment_type.pk,
            appointment_type.duration_minutes,
            start.isoformat(),
            days,
            ",".join(sorted(municipality.local_holidays or [])),
            get_language() or "el",
        )
    )
    grid = cache.get(key)
    if grid is None:
        grid = _grid(
            municipality=municipality, point=point, appointment_type=appointment_type, start=start, days=days
        )
        cache.set(key, grid, GRID_CACHE_SECONDS)
    return grid


def _grid(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    start: dt.date,
    days: int,
) -> list[DaySlots]:
    """Every start time with room, for every open day, regardless of "now"."""
    tz = local_tz()
    end = start + dt.timedelta(days=days)
    counters = counters_for(municipality=municipality, point=point, appointment_type=appointment_type)
    hours: dict[int, list[tuple[dt.time, dt.time]]] = defaultdict(list)
    for weekday, opens, closes in OpeningHours.objects.filter(
        municipality=municipality, point=point
    ).values_list("weekday", "opens", "closes"):
        hours[weekday].append((opens, closes))
    closures = list(
        Closure.objects.filter(municipality=municipality, date_from__lt=end, date_to__gte=start)
        .filter(Q(point=point) | Q(point__isnull=True))
        .values_list("date_from", "date_to", "reason")
    )
    usage: dict[tuple[int, dt.datetime], int] = {}
    if counters:
        range_start = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
        range_end = dt.datetime.combine(end, dt.time.min, tzinfo=tz)
        for counter_id, starts_at, booked in SlotUsage.objects.filter(
            municipality=municipality,
            counter_id__in=[c.pk for c in counters],
            starts_at__gte=range_start,
            starts_at__lt=range_end,
            booked__gt=0,
        ).values_list("counter_id", "starts_at", "booked"):
            usage[(counter_id, starts_at)] = booked

    step = dt.timedelta(minutes=point.slot_minutes)
    duration = dt.timedelta(minutes=appointment_type.duration_minutes)
    offsets = [step * i for i in range(-(-appointment_type.duration_minutes // point.slot_minutes))]
    result: list[DaySlots] = []
    for offset in range(days):
        day = start + dt.timedelta(days=offset)
        entry = DaySlots(day=day)
        result.append(entry)
        reason = _holiday_reason(day, municipality.local_holidays)
        if not reason:
            reason = next((r for f, t, r in closures if f <= day <= t), "")
        if reason:
            entry.closed_reason, entry.closed = reason, True
            continue
        if not hours.get(day.weekday()):
            entry.closed = True
            continue
        if not counters:
            continue
        for opens, closes in sorted(hours.get(day.weekday(), [])):
            cursor = dt.datetime.combine(day, opens, tzinfo=tz)
            period_end = dt.datetime.combine(day, closes, tzinfo=tz)
            while cursor + duration <= period_end:
                free = 0
                for counter in counters:
                    if usage:
                        free += counter.capacity - max(
                            usage.get((counter.pk, cursor + o), 0) for o in offsets
                        )
                    else:
                        free += counter.capacity
                if free > 0:
                    entry.slots.append(Slot(cursor, cursor + duration, free))
                cursor += step
    return result


def slot_is_offered(
    *,
    municipality: Municipality,
    point: ServicePoint,
    appointment_type: AppointmentType,
    starts_at: dt.datetime,
    now: dt.datetime | None = None,
) -> bool:
    """Whether ``starts_at`` is a start time of the schedule (ignoring occupancy)."""
    tz = local_tz()
    local = timezone.localtime(starts_at, tz)
    day = local.date()
    now = now or timezone.now()
    if starts_at < now + dt.timedelta(minutes=point.notice_minutes):
        return False
    if day > timezone.localtime(now, tz).date() + dt.timedelta(days=point.horizon_days):
        return False
    if _holiday_reason(day, municipality.local_holidays):
        return False
    if (
        Closure.objects.filter(municipality=municipality, date_from__lte=day, date_to__gte=day)
        .filter(Q(point=point) | Q(point__isnull=True))
        .exists()
    ):
        return False
    duration = dt.timedelta(minutes=appointment_type.duration_minutes)
    step = dt.timedelta(minutes=point.slot_minutes)
    for opens, closes in OpeningHours.objects.filter(
        municipality=municipality, point=point, weekday=day.weekday()
    ).values_list("opens", "closes"):
        first = dt.datetime.combine(day, opens, tzinfo=tz)
        last_end = dt.datetime.combine(day, closes, tzinfo=tz)
        if first <= local and local + duration <= last_end and (local - first) % step == dt.timedelta(0):
            return True
    return False


def appointments_of_citizen(*, municipality: Municipality, citizen: object) -> QuerySet[Appointment]:
    return (
        Appointment.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("point", "type", "counter")
        .order_by("-starts_at")
    )


def day_list(
    *,
    municipality: Municipality,
    point: ServicePoint,
    day: dt.date,
    counter: Counter | None = None,
) -> QuerySet[Appointment]:
    tz = local_tz()
    qs = Appointment.objects.filter(
        municipality=municipality,
        point=point,
        starts_at__gte=dt.datetime.combine(day, dt.time.min, tzinfo=tz),
        starts_at__lt=dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    ).exclude(status=AppointmentStatus.CANCELLED)
    if counter is not None:
        qs = qs.filter(counter=counter)
    return qs.select_related("counter", "type", "citizen").order_by("starts_at", "counter__name")


def week_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
