"""Isolation cases for the dashboards' staff URLs (see dimos/core/isolation.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from dimos.core.isolation import IsolationCase
from dimos.core.tests.factories import DepartmentFactory
from dimos.eservices.constants import Status
from dimos.eservices.tests.factories import ApplicationFactory, ServiceFactory


def cases(ctx: Any) -> list[IsolationCase]:
    # An overdue application names its department on the dashboard: the marker.
    department = DepartmentFactory(municipality=ctx.serres, name_el="Υπηρεσία-Απομόνωσης-Δεικτών")
    ApplicationFactory(
        service=ServiceFactory(municipality=ctx.serres),
        department=department,
        status=Status.SUBMITTED,
        deadline=dt.date(2026, 1, 5),
    )
    return [
        IsolationCase("dashboards:mayor", marker="Υπηρεσία-Απομόνωσης-Δεικτών"),
        # Aggregates of every municipality, for Region staff only: no municipal staff gets it.
        IsolationCase("dashboards:region", marker=ctx.serres.name_el, municipal=False),
    ]
