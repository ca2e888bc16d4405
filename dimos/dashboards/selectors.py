"""KPIs of one municipality, computed from live data (reads only; issue 14, item 5).

Every figure is computed for a *period* and for the period before it of the same
length, so a page can show the change. Selectors take the municipality and the
last day of the period explicitly (never "today" inside), so tests use fixed dates.
Figures are aggregate: no row here names a citizen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import median
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment
from dimos.core.models import Municipality
from dimos.core.workdays import working_days_between
from dimos.eservices.constants import Status
from dimos.eservices.models import Application
from dimos.reports.constants import OPEN_STATUSES, ReportStatus
from dimos.reports.models import Report, ReportUpdate
from dimos.sensors.constants import AlarmStatus
from dimos.sensors.models import Alarm

DECIDED = (Status.APPROVED, Status.REJECTED, Status.ISSUED, Status.CLOSED)
PENDING = (Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN)
RESOLVED = (ReportStatus.FIXED, ReportStatus.CLOSED)
NO_DEPARTMENT = _("Χωρίς υπηρεσία ακόμη")
# Below this count a public figure could single someone out (open-data.md): it is not published.
SMALL_COUNT = 5


@dataclass(frozen=True)
class Period:
    """Whole days ``first``…``last`` (inclusive), in the platform's time zone."""

    first: dt.date
    last: dt.date

    @classmethod
    def ending(cls, last: dt.date, days: int = 30) -> Period:
        return cls(last - dt.timedelta(days=days - 1), last)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Period:
        return Period.ending(self.first - dt.timedelta(days=1), self.days)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        zone = ZoneInfo(settings.TIME_ZONE)
        start = dt.datetime.combine(self.first, dt.time.min, tzinfo=zone)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return start, end


@dataclass(frozen=True)
class Figure:
    """One KPI in a period and in the period before; ``None`` where nothing can be computed."""

    current: float | None
    previous: float | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return self.current - self.previous


def in_period(field: str, period: Period) -> Q:
    start, end = period.bounds()
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _median(values: list[float]) -> float | None:
    return round(median(values), 1) if values else None


# --- e-services ---------------------------------------------------------------------


def _applications(municipality: Municipality, period: Period) -> dict[str, float | None]:
    rows = Application.objects.filter(municipality=municipality)
    received = rows.filter(in_period("submitted_at", period)).count()
    decided = list(
        rows.filter(in_period("decided_at", period), status__in=DECIDED).values_list(
            "submitted_at", "decided_at", "deadline"
        )
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    days = [
        float(working_days_between(sub.astimezone(zone).date(), dec.astimezone(zone).date()))
        for sub, dec, _deadline in decided
        if sub and dec
    ]
    with_deadline = [(dec, deadline) for _submitted, dec, deadline in decided if deadline and dec]
    on_time = sum(1 for dec, deadline in with_deadline if dec.astimezone(zone).date() <= deadline)
    return {
        "received": received,
        "completed": len(decided),
        "median_days": _median(days),
        "on_time_share": round(100 * on_time / len(with_deadline), 1) if with_deadline else None,
    }


def overdue_by_department(municipality: Municipality, today: dt.date) -> list[tuple[str, int]]:
    """Applications still pending past their deadline, per department (most first)."""
    rows = (
        Application.objects.filter(municipality=municipality, status__in=PENDING, deadline__lt=today)
        .values("department__name_el")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name_el")
    )
    return [(row["department__name_el"] or str(NO_DEPARTMENT), row["n"]) for row in rows]


# --- citizens' reports ----------------------------------------------------------------


def _reports(municipality: Municipality, period: Period) -> dict[str, float | None]:
    rows = Report.objects.filter(municipality=municipality)
    received = rows.filter(in_period("created_at", period)).count()
    resolved = list(
        rows.annotate(resolved_at=Coalesce("fixed_at", "closed_at"))
        .filter(in_period("resolved_at", period), status__in=RESOLVED)
        .values_list("created_at", "resolved_at")
    )
    days = [(closed - created).total_seconds() / 86400 for created, closed in resolved]
    reopened = ReportUpdate.objects.filter(
        in_period("created_at", period), municipality=municipality, to_status=ReportStatus.REOPENED
    )
    reopened_count = reopened.values("report_id").distinct().count()
    return {
        "received": received,
        "resolved": len(resolved),
        "median_days": _median(days),
        "reopen_share": round(100 * reopened_count / len(resolved), 1) if resolved else None,
    }


def open_reports_by_department(municipality: Municipality) -> list[tuple[str, int]]:
    rows = (
        Report.objects.filter(municipality=municipality, status__in=OPEN_STATUSES)
        .values("department__name_el")
        .annotate(n=Count("id"))
        .order_by("-n", "department__name_el")
    )
    return [(row["department__name_el"] or str(NO_DEPARTMENT), row["n"]) for row in rows]


# --- sensors and appointments ---------------------------------------------------------


def _alarms(municipality: Municipality, period: Period) -> dict[str, float | None]:
    rows = Alarm.objects.filter(municipality=municipality)
    return {
        "opened": rows.filter(in_period("opened_at", period)).count(),
        "open_now": rows.filter(status__in=(AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED)).count(),
    }


def _appointments(municipality: Municipality, period: Period) -> dict[str, float | None]:
    counts = (
        Appointment.objects.filter(municipality=municipality)
        .filter(in_period("starts_at", period))
        .aggregate(
            served=Count("id", filter=Q(status=AppointmentStatus.SERVED)),
            no_show=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
        )
    )
    attended_or_not = counts["served"] + counts["no_show"]
    return {
        "served": counts["served"],
        "no_show_share": round(100 * counts["no_show"] / attended_or_not, 1) if attended_or_not else None,
    }


# --- the dashboard ----------------------------------------------------------------------

SECTIONS = {
    "applications": _applications,
    "reports": _reports,
    "alarms": _alarms,
    "appointments": _appointments,
}


def municipality_kpis(municipality: Municipality, period: Period) -> dict[str, dict[str, Figure]]:
    """Every KPI of the dashboard: ``{section: {kpi: Figure(current, previous)}}``."""
    before = period.previous()
    result: dict[str, dict[str, Figure]] = {}
    for name, compute in SECTIONS.items():
        now, then = compute(municipality, period), compute(municipality, before)
        result[name] = {key: Figure(now[key], then[key]) for key in now}
    return result


@dataclass(frozen=True)
class Month:
    first: dt.date
    applications: int
    reports: int


def monthly_counts(municipality: Municipality, *, last: dt.date, months: int = 6) -> list[Month]:
    """Applications and reports received in each of the ``months`` calendar months up to ``last``'s."""
    firsts = []
    year, month = last.year, last.month
    for _step in range(months):
        firsts.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    result = []
    for first in reversed(firsts):
        following = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        period = Period(first, following - dt.timedelta(days=1))
        result.append(
            Month(
                first,
                Application.objects.filter(
                    in_period("submitted_at", period), municipality=municipality
                ).count(),
                Report.objects.filter(in_period("created_at", period), municipality=municipality).count(),
            )
        )
    return result


def suppress_small(value: int) -> int | None:
    """A public count, or ``None`` when it is under ``SMALL_COUNT`` (open-data.md)."""
    return value if value >= SMALL_COUNT else None
