"""Background tasks: alarm actions, hourly rollups, silence checks, readings partitions (thin)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dimos.core.models import Municipality
from dimos.core.tasks import task, task_enqueue
from dimos.sensors import services
from dimos.sensors.partitions import partitions_ensure, partitions_missing


@task("sensors.alarm_actions")
def alarm_actions_task(*, alarm_id: int, event: str = "open", value: Any = None) -> None:
    services.alarm_run_actions(alarm_id=alarm_id, event=event, value=value)


@task("sensors.hourly")
def hourly_task(*, reschedule: bool = True) -> None:
    """Roll up the last two whole hours, check silent devices and keep the readings' monthly
    partitions created ahead (PostgreSQL); then schedule the next run."""
    from dimos.core.models import Task

    now = timezone.now()
    if partitions_missing(now):
        # Its own short transaction: creating a partition locks the readings table.
        task_enqueue("sensors.partitions", {})
    end = now.replace(minute=0, second=0, microsecond=0)
    for municipality in Municipality.objects.filter(is_active=True):
        services.rollups_compute(municipality=municipality, start=end - timedelta(hours=2), end=end)
        services.alarms_check_silent(municipality=municipality, now=now)
    if reschedule and not Task.objects.filter(name="sensors.hourly", status="pending").exists():
        task_enqueue("sensors.hourly", {}, delay=(end + timedelta(hours=1, minutes=5)) - now)


@task("sensors.partitions")
def partitions_task() -> None:
    """Create the readings' monthly partitions ahead (PostgreSQL; nothing to do on SQLite)."""
    partitions_ensure(timezone.now())
