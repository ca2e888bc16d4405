"""Shared benchmark machinery: the database, the floors, timing and results.

These machines are shared and noisy, so every target is measured against a
floor in the same run, alternating target and floor, and reported as medians and
a ratio. Requests go through Django's full WSGI stack in this process (the
"server time"), so no load generator competes for the two cores.

Two floors:

* ``LAYOUT_FLOOR`` (``/bench/layout-floor/``, bench/urls.py): our own
  ``base.html`` with an empty content block, through the same middleware, for
  the same signed-in user. Pages are measured against it (``page_result``), with
  every cache emptied before each measured request of either side.
* ``BARE_FLOOR`` (``/__bench_floor__``): a constant response. Machine interfaces
  without a layout (Open311, map data, ingest) are measured against it.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

LAYOUT_FLOOR = "/bench/layout-floor/"
BARE_FLOOR = "/__bench_floor__"
PAGE_MAX_RATIO = 2.5
PAGE_MAX_QUERIES = 10
PAGE_TARGET = (
    f"median <= {PAGE_MAX_RATIO} x the layout floor with every cache empty; "
    f"queries <= {PAGE_MAX_QUERIES} and the same at the small and the full data size"
)
CACHE_EMPTY = (
    "every cache alias (pages, sessions, host -> municipality, versions) cleared before each "
    "measured request, the target's and the floor's alike; the clearing is not timed"
)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def fresh_database() -> None:
    """Drop and recreate the benchmark database, then migrate it."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(str(db["NAME"]) + suffix).unlink(missing_ok=True)
    else:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0, interactive=False)


def analyze() -> None:
    """Refresh the planner's statistics after a bulk load (both databases know ``ANALYZE``)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def database_label() -> str:
    from django.conf import settings

    return "postgresql" if "postgresql" in settings.DATABASES["default"]["ENGINE"] else "sqlite"


class Timer:
    """Times callables through Django's test client (full middleware stack)."""

    def __init__(self, host: str = "serres.localhost") -> None:
        from django.test import Client

        self.host = host
        self.client = Client(HTTP_HOST=host)

    def get(self, path: str, **extra: Any) -> Callable[[], Any]:
        def call() -> Any:
            response = self.client.get(path, **extra)
            if response.status_code != 200:  # a redirect to the login page is no measurement
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response

        return call


def time_once(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def clear_caches() -> None:
    """Empty every configured cache (a cold start for the next request)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def alternate(
    target: Callable[[], Any],
    floor: Callable[[], Any],
    n: int,
    warmup: int = 10,
    before: Callable[[], Any] | None = None,
) -> tuple[float, float]:
    """Median seconds of target and floor, measured in alternation.

    ``before`` runs, untimed, before every call of either (``clear_caches`` for
    the cold measurements).
    """
    prepare = before or (lambda: None)
    for _ in range(warmup):
        prepare()
        target()
        prepare()
        floor()
    t_times, f_times = [], []
    for _ in range(n):
        prepare()
        t_times.append(time_once(target))
        prepare()
        f_times.append(time_once(floor))
    return statistics.median(t_times), statistics.median(f_times)


def count_queries(func: Callable[[], Any], before: Callable[[], Any] | None = None) -> int:
    """SQL statements of one call (after ``before``, which is not counted)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before is not None:
        before()
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def cold_queries(func: Callable[[], Any]) -> int:
    """SQL statements of one call made with every cache empty.

    One call first, uncounted: the first request of a process also fills
    per-process memos (URL reversals, content types) that no cache clearing empties.
    """
    func()
    return count_queries(func, before=clear_caches)


def page_result(
    name: str,
    *,
    page: Callable[[], Any],
    floor: Callable[[], Any],
    n: int,
    queries_small: int,
    rows_small: int,
    rows_full: int,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Measure a page against the layout floor, cold, and judge it by ``PAGE_TARGET``.

    ``queries_small`` was counted (``cold_queries``) when the data had
    ``rows_small`` rows; the full count is taken here, on ``rows_full`` rows.
    """
    queries_full = cold_queries(page)
    floor_queries = cold_queries(floor)
    t, f = alternate(page, floor, n, before=clear_caches)
    ratio = t / f
    meets = ratio <= PAGE_MAX_RATIO and queries_small == queries_full <= PAGE_MAX_QUERIES
    return result(
        name,
        "median_seconds",
        t,
        f,
        {
            "requests": n,
            "floor": f"layout ({LAYOUT_FLOOR}), same user, same middleware",
            "cache": CACHE_EMPTY,
            "rows_small": rows_small,
            "rows_full": rows_full,
            "queries_small": queries_small,
            "queries_full": queries_full,
            "floor_queries": floor_queries,
            **(params or {}),
        },
        target=PAGE_TARGET,
        meets_target=meets,
    )


def result(
    name: str,
    metric: str,
    value: float,
    floor: float | None,
    params: dict[str, Any],
    target: str = "",
    meets_target: bool | None = None,
) -> dict[str, Any]:
    """One row of a result file; ``meets_target`` is None where the target is only reported."""
    return {
        "name": name,
        "metric": metric,
        "value": round(value, 6),
        "floor": round(floor, 6) if floor is not None else None,
        "ratio": round(value / floor, 3) if floor else None,
        "target": target,
        "meets_target": meets_target,
        "params": params,
    }


def write_results(name: str, rows: list[dict[str, Any]], *, per_database: bool = True) -> Path:
    """Write bench/results/NAME.json (NAME-postgresql.json for a run on PostgreSQL).

    ``per_database=False`` for a benchmark that keeps both databases' rows in one file.
    """
    RESULTS.mkdir(parents=True, exist_ok=True)
    label = database_label()
    if per_database and label != "sqlite" and label not in name:
        name = f"{name}-{label}"
    path = RESULTS / f"{name}.json"
    payload = {
        "benchmark": name,
        "database": database_label(),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            # Shared two-core machines: how busy it was when the run ended (ratios, not absolutes).
            "load_average_1m_at_end": round(os.getloadavg()[0], 2),
        },
        "note": "Server time measured in-process through Django's WSGI stack; one process, one core "
        "for the whole run. Ratios are against a floor measured alternately in the same run: pages "
        f"against the layout floor ({LAYOUT_FLOOR}) with every cache empty, machine interfaces "
        f"against the bare floor ({BARE_FLOOR}).",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "results": rows,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
