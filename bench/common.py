"""Shared benchmark machinery: the database, the floor, timing and results.

These machines are shared and noisy, so every target is measured against a
floor in the same run, alternating target and floor, and reported as medians and
a ratio. Requests go through Django's full WSGI stack in this process (the
"server time"), so no load generator competes for the two cores.
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
            if response.status_code >= 400:
                raise RuntimeError(f"{path} answered {response.status_code}")
            return response

        return call


def time_once(func: Callable[[], Any]) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def alternate(
    target: Callable[[], Any], floor: Callable[[], Any], n: int, warmup: int = 10
) -> tuple[float, float]:
    """Median seconds of target and floor, measured in alternation."""
    for _ in range(warmup):
        target()
        floor()
    t_times, f_times = [], []
    for _ in range(n):
        t_times.append(time_once(target))
        f_times.append(time_once(floor))
    return statistics.median(t_times), statistics.median(f_times)


def count_queries(func: Callable[[], Any]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def result(
    name: str, metric: str, value: float, floor: float | None, params: dict[str, Any], target: str = ""
) -> dict[str, Any]:
    return {
        "name": name,
        "metric": metric,
        "value": round(value, 6),
        "floor": round(floor, 6) if floor is not None else None,
        "ratio": round(value / floor, 3) if floor else None,
        "target": target,
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
        },
        "note": "Server time measured in-process through Django's WSGI stack; one process, one core "
        "for the whole run. Ratios are against a floor measured alternately in the same run.",
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "results": rows,
    }
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
