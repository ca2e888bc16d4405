"""Rows for the KPI tests, on fixed dates (never today's)."""

from __future__ import annotations

import datetime as dt
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from dimos.core.tests.factories import CitizenFactory
from dimos.eservices.constants import Status
from dimos.eservices.tests.factories import ApplicationFactory, ServiceFactory
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report
from dimos.reports.tests.factories import CategoryFactory

ATHENS = ZoneInfo("Europe/Athens")
_tokens = count(1)
TODAY = dt.date(2026, 11, 30)  # a Monday; the period is 1–30 November 2026


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=ATHENS)


def _citizen() -> Any:
    """One citizen for every application (``CitizenFactory``'s ΑΦΜ is unique)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(afm=CitizenFactory.afm).first() or CitizenFactory()


def application(
    municipality: Any, *, submitted: dt.date, decided: dt.date | None = None, **extra: Any
) -> Any:
    status = Status.APPROVED if decided else Status.SUBMITTED
    return ApplicationFactory(
        service=extra.pop("service", None) or ServiceFactory(municipality=municipality),
        status=extra.pop("status", status),
        citizen=_citizen(),
        submitted_at=at(submitted),
        decided_at=at(decided) if decided else None,
        **extra,
    )


def report(municipality: Any, *, created: dt.date, fixed: dt.date | None = None) -> Report:
    return Report.objects.create(
        municipality=municipality,
        category=CategoryFactory(municipality=municipality),
        status=ReportStatus.FIXED if fixed else ReportStatus.SUBMITTED,
        lat=41.09,
        lon=23.55,
        description="Λακκούβα",
        tracking_token=f"kpi-{next(_tokens)}",
        created_at=at(created),
        fixed_at=at(fixed, 16) if fixed else None,
    )
