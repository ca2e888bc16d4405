"""Periodic builds on the database task queue: incremental every hour, full every night."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from dimos.core.models import Municipality, Task
from dimos.core.tasks import task, task_enqueue
from dimos.opendata import services

FULL_BUILD_HOUR = 3  # local time: late readings of past hours are picked up by the nightly full build


@task("opendata.build")
def build_task(*, reschedule: bool = True) -> None:
    """Build every dataset of every active municipality, then schedule the next run (the next hour)."""
    now = timezone.localtime()
    full = now.hour == FULL_BUILD_HOUR
    for municipality in Municipality.objects.filter(is_active=True):
        services.datasets_build_all(municipality=municipality, incremental=not full)
    if reschedule and not Task.objects.filter(name="opendata.build", status="pending").exists():
        next_run = now.replace(minute=10, second=0, microsecond=0) + timedelta(hours=1)
        task_enqueue("opendata.build", {}, delay=next_run - now)
