"""The mayor's KPIs from live rows: period and the period before, medians, shares, per department."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dimos.core.tests.factories import DepartmentFactory
from dimos.dashboards import selectors
from dimos.dashboards.selectors import Period
from dimos.dashboards.tests.helpers import TODAY, application, report
from dimos.eservices.constants import Status
from dimos.reports.constants import ReportStatus
from dimos.reports.models import ReportUpdate

pytestmark = pytest.mark.django_db
D = dt.date


def test_the_period_and_the_one_before_it() -> None:
    period = Period.ending(TODAY)
    assert (period.first, period.last, period.days) == (D(2026, 11, 1), D(2026, 11, 30), 30)
    before = period.previous()
    assert (before.first, before.last) == (D(2026, 10, 2), D(2026, 10, 31))


def test_applications_received_completed_median_and_on_time(serres: Any) -> None:
    # Decided in 3 and 5 working days (Mon 2 → Thu 5, Mon 2 → Mon 9 Nov), one late.
    application(serres, submitted=D(2026, 11, 2), decided=D(2026, 11, 5), deadline=D(2026, 11, 10))
    application(serres, submitted=D(2026, 11, 2), decided=D(2026, 11, 9), deadline=D(2026, 11, 6))
    application(serres, submitted=D(2026, 11, 20))
    application(serres, submitted=D(2026, 10, 20))  # the period before
    application(serres, submitted=D(2026, 9, 1))  # older: in neither
    kpis = selectors.municipality_kpis(serres, Period.ending(TODAY))["applications"]
    assert (kpis["received"].current, kpis["received"].previous, kpis["received"].change) == (3, 1, 2)
    assert kpis["completed"].current == 2
    assert kpis["median_days"].current == 4.0
    assert kpis["on_time_share"].current == 50.0
    assert kpis["on_time_share"].previous is None  # nothing decided before: no share, not 0 %


def test_figures_are_of_this_municipality_only(serres: Any, irakleia: Any) -> None:
    application(irakleia, submitted=D(2026, 11, 2))
    report(irakleia, created=D(2026, 11, 2))
    kpis = selectors.municipality_kpis(serres, Period.ending(TODAY))
    assert kpis["applications"]["received"].current == 0
    assert kpis["reports"]["received"].current == 0


def test_reports_resolved_median_and_reopen_share(serres: Any) -> None:
    first = report(serres, created=D(2026, 11, 2), fixed=D(2026, 11, 4))  # 2 days 6 hours
    report(serres, created=D(2026, 11, 10), fixed=D(2026, 11, 11))  # 1 day 6 hours
    report(serres, created=D(2026, 11, 12))
    ReportUpdate.objects.create(
        municipality=serres,
        report=first,
        kind="status",
        from_status=ReportStatus.FIXED,
        to_status=ReportStatus.REOPENED,
        created_at=selectors_at(D(2026, 11, 6)),
    )
    kpis = selectors.municipality_kpis(serres, Period.ending(TODAY))["reports"]
    assert kpis["received"].current == 3
    assert kpis["resolved"].current == 2
    assert kpis["median_days"].current == 1.8  # (2.25 + 1.25) / 2, rounded to one decimal
    assert kpis["reopen_share"].current == 50.0


def selectors_at(day: dt.date) -> dt.datetime:
    from dimos.dashboards.tests.helpers import at

    return at(day)


def test_overdue_applications_per_department(serres: Any, irakleia: Any) -> None:
    roads = DepartmentFactory(municipality=serres, name_el="Τμήμα Οδοποιίας")
    registry = DepartmentFactory(municipality=serres, name_el="Τμήμα Δημοτολογίου")
    for _ in range(2):
        application(serres, submitted=D(2026, 10, 1), department=roads, deadline=D(2026, 11, 1))
    application(serres, submitted=D(2026, 10, 1), department=registry, deadline=D(2026, 11, 1))
    application(
        serres, submitted=D(2026, 11, 25), department=registry, deadline=D(2026, 12, 20)
    )  # not yet due
    application(  # decided: not overdue whatever its deadline
        serres, submitted=D(2026, 10, 1), decided=D(2026, 11, 3), department=registry, deadline=D(2026, 11, 1)
    )
    application(irakleia, submitted=D(2026, 10, 1), deadline=D(2026, 11, 1), status=Status.IN_REVIEW)
    assert selectors.overdue_by_department(serres, TODAY) == [
        ("Τμήμα Οδοποιίας", 2),
        ("Τμήμα Δημοτολογίου", 1),
    ]


def test_monthly_counts_and_public_suppression(serres: Any) -> None:
    for day in range(1, 7):
        report(serres, created=D(2026, 11, day))
    report(serres, created=D(2026, 10, 3))
    months = selectors.monthly_counts(serres, last=TODAY, months=3)
    assert [(m.first, m.reports) for m in months] == [
        (D(2026, 9, 1), 0),
        (D(2026, 10, 1), 1),
        (D(2026, 11, 1), 6),
    ]
    assert [selectors.suppress_small(m.reports) for m in months] == [None, None, 6]
