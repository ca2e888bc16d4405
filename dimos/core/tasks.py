"""Durable background tasks with the database as the queue (docs/adr/0002-tasks-database-queue.md).

``task_enqueue`` writes the task row in the caller's transaction: the task exists
if and only if the business change committed, so nothing is lost on a crash or a
restart. A worker (``manage.py run_worker``, or the thread ``make demo`` starts)
claims rows with a conditional UPDATE, so many workers can run safely.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from dimos.core.constants import TaskStatus
from dimos.core.models import Task

log = logging.getLogger("dimos.tasks")
_REGISTRY: dict[str, Callable[..., Any]] = {}


def task(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a function as a task. Tasks are thin: they call a service."""

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in _REGISTRY and _REGISTRY[name] is not func:
            raise RuntimeError(f"task {name!r} registered twice")
        _REGISTRY[name] = func
        return func

    return register


def registered_tasks() -> dict[str, Callable[..., Any]]:
    return dict(_REGISTRY)


def task_enqueue(name: str, payload: dict[str, Any] | None = None, *, delay: timedelta | None = None) -> Task:
    if name not in _REGISTRY:
        raise KeyError(f"unknown task {name!r}")
    return Task.objects.create(
        name=name,
        payload=payload or {},
        run_after=timezone.now() + (delay or timedelta(0)),
        max_attempts=settings.TASKS_MAX_ATTEMPTS,
    )


def _claim(task_id: int) -> bool:
    now = timezone.now()
    return bool(
        Task.objects.filter(pk=task_id, status=TaskStatus.PENDING).update(
            status=TaskStatus.RUNNING, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def task_run(task_obj: Task) -> bool:
    """Run one claimed task; on failure schedule a retry with exponential back-off."""
    func = _REGISTRY.get(task_obj.name)
    try:
        if func is None:
            raise LookupError(f"no task registered as {task_obj.name!r}")
        # The task's own writes are atomic: a failure leaves nothing half-done.
        with transaction.atomic():
            func(**task_obj.payload)
    except Exception as exc:  # a failing task must never stop the worker
        task_obj.refresh_from_db(fields=["attempts"])
        final = task_obj.attempts >= task_obj.max_attempts
        Task.objects.filter(pk=task_obj.pk).update(
            status=TaskStatus.FAILED if final else TaskStatus.PENDING,
            run_after=timezone.now() + timedelta(seconds=min(3600, 2**task_obj.attempts * 5)),
            last_error="".join(traceback.format_exception_only(type(exc), exc))[-2000:],
            finished_at=timezone.now() if final else None,
        )
        log.warning(
            "task %s #%s failed (attempt %s): %s",
            task_obj.name,
            task_obj.pk,
            task_obj.attempts,
            type(exc).__name__,
        )
        return False
    Task.objects.filter(pk=task_obj.pk).update(
        status=TaskStatus.DONE, finished_at=timezone.now(), last_error=""
    )
    return True


def tasks_reclaim_stale() -> int:
    """Give back tasks whose worker died mid-run (lease expired)."""
    cutoff = timezone.now() - timedelta(seconds=settings.TASKS_LEASE_SECONDS)
    return Task.objects.filter(status=TaskStatus.RUNNING, claimed_at__lt=cutoff).update(
        status=TaskStatus.PENDING
    )


def tasks_run_pending(limit: int = 100) -> int:
    """Claim and run due tasks; returns how many ran. Safe with several workers."""
    ran = 0
    due = list(
        Task.objects.filter(status=TaskStatus.PENDING, run_after__lte=timezone.now())
        .order_by("run_after", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    for task_id in due:
        if not _claim(task_id):
            continue  # another worker took it
        task_run(Task.objects.get(pk=task_id))
        ran += 1
    return ran


def worker_loop(*, stop: Callable[[], bool], idle_sleep: float = 1.0) -> None:
    last_reclaim = 0.0
    while not stop():
        close_old_connections()
        try:
            if time.monotonic() - last_reclaim > 60:
                tasks_reclaim_stale()
                last_reclaim = time.monotonic()
            ran = tasks_run_pending()
        except Exception:
            log.exception("task worker iteration failed")
            ran = 0
        if ran == 0:
            time.sleep(idle_sleep)


def pending_tasks_summary() -> dict[str, Any]:
    qs = Task.objects.filter(Q(status=TaskStatus.PENDING) | Q(status=TaskStatus.RUNNING))
    oldest = qs.order_by("created_at").values_list("created_at", flat=True).first()
    return {
        "pending": qs.count(),
        "failed": Task.objects.filter(status=TaskStatus.FAILED).count(),
        "oldest_pending_seconds": int((timezone.now() - oldest).total_seconds()) if oldest else 0,
    }
