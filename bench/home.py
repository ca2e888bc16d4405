"""Foundation benchmark: the citizen home page and a staff list page vs. the floor."""

from __future__ import annotations

from pathlib import Path

from bench.common import Timer, alternate, count_queries, fresh_database, result, write_results


def run(*, quick: bool = False) -> Path:
    from django.contrib.auth import get_user_model

    from dimos.core import demo
    from dimos.core.models import Department

    fresh_database()
    ctx = demo.seed()
    # Many rows, so "whatever the number of rows" is tested: 400 extra departments.
    Department.objects.bulk_create(
        Department(municipality=ctx.serres, code=f"bench-{i}", name_el=f"Τμήμα {i}", name_en=f"Dept {i}")
        for i in range(400)
    )
    n = 50 if quick else 300
    timer = Timer()
    floor = timer.get("/__bench_floor__")
    rows = []
    home = timer.get("/")
    t, f = alternate(home, floor, n)
    rows.append(
        result(
            "citizen_home",
            "median_seconds",
            t,
            f,
            {"requests": n, "queries": count_queries(home)},
            target="ratio <= 3, queries < 10",
        )
    )

    staff = Timer()
    staff.client.force_login(get_user_model().objects.get(username="admin.serres"))
    staff_home = staff.get("/staff/")
    t, f = alternate(staff_home, floor, n)
    rows.append(
        result(
            "staff_home_with_400_departments",
            "median_seconds",
            t,
            f,
            {"requests": n, "queries": count_queries(staff_home)},
            target="ratio <= 3, queries < 10",
        )
    )
    api = staff.get("/api/v1/departments/")
    t, f = alternate(api, floor, n)
    rows.append(
        result(
            "staff_api_departments_list",
            "median_seconds",
            t,
            f,
            {"requests": n, "queries": count_queries(api), "rows": 415},
            target="ratio <= 3, queries < 10",
        )
    )
    return write_results("home", rows)
