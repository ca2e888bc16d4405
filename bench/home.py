"""The citizen home, the staff home and the audit page against the layout floor.

Target (issue 10): median ≤ 2.5 × the layout floor (``/bench/layout-floor/``:
``base.html`` with no content, same middleware, same user) with every cache
empty for the measured requests, and a query count of at most 10 that is the
same with 1,000 audit events as with 20,000 (400 extra departments throughout).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.common import (
    LAYOUT_FLOOR,
    Timer,
    analyze,
    cold_queries,
    fresh_database,
    page_result,
    write_results,
)

SMALL = 1_000


def _add_events(municipality: Any, start: int, count: int) -> None:
    from dimos.core.models import AuditEvent

    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                municipality=municipality,
                action=f"bench.event.{i % 50}",
                object_type="core.department",
                object_id=str(i),
            )
            for i in range(start, start + count)
        ),
        batch_size=5000,
    )


def run(*, quick: bool = False) -> Path:
    from django.contrib.auth import get_user_model

    from dimos.core import demo
    from dimos.core.models import Department

    fresh_database()
    ctx = demo.seed()
    Department.objects.bulk_create(
        Department(municipality=ctx.serres, code=f"bench-{i}", name_el=f"Τμήμα {i}", name_en=f"Dept {i}")
        for i in range(400)
    )
    events = 2_000 if quick else 20_000
    _add_events(ctx.serres, 0, SMALL)
    analyze()
    User = get_user_model()

    anonymous = Timer()
    citizen = Timer()
    citizen.client.force_login(User.objects.get(username=demo.DEMO_CITIZENS[0][0]))
    admin = Timer()
    admin.client.force_login(User.objects.get(username="admin.serres"))
    pages = [
        ("citizen_home_anonymous", anonymous, "/"),
        ("citizen_home_signed_in", citizen, "/"),
        ("staff_home", admin, "/staff/"),
        ("staff_audit_page_1", admin, "/staff/audit/"),
        ("staff_audit_page_2", admin, "/staff/audit/?page=2"),
        ("staff_audit_filtered_by_action", admin, "/staff/audit/?action=bench.event.7"),
    ]
    small = {name: cold_queries(timer.get(path)) for name, timer, path in pages}

    _add_events(ctx.serres, SMALL, events - SMALL)
    analyze()
    n = 50 if quick else 200
    rows = [
        page_result(
            name,
            page=timer.get(path),
            floor=timer.get(LAYOUT_FLOOR),
            n=n,
            queries_small=small[name],
            rows_small=SMALL,
            rows_full=events,
            params={"path": path, "data": "audit events (and 400 extra departments)"},
        )
        for name, timer, path in pages
    ]
    return write_results("home", rows)
