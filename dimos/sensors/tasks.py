"""Background tasks: alarm actions, hourly rollups, silence checks (thin: call services)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from dimos.core.models import Municipality
from dimos.core.tasks import task, task_enqueue
from dimos.sensors import services


@task("sensors.alarm_actions")
def alarm_actions_task(*, alarm_id: int, event: str = "open", value: Any = None) -> None:
    services.alarm_run_actions(alarm_id=alarm_id, event=event, value=value)


@task("sensors.hourly")
def hourly_task(*, reschedule: bool = True) -> None:
    """Roll up the last two whole hours and check silent devices; then schedule the next run."""
    from dimos.core.models import Task

    now = timezone.now()
    end = now.replace(minute=0, second=0, microsecond=0)
    for municipality in Municipality.objects.filter(is_active=True):
        services.rollups_compute(municipality=municipality, start=end - timedelta(hours=2), end=end)
        services.alarms_check_silent(municipality=municipality, now=now)
    if reschedule and not Task.objects.filter(name="sensors.hourly", status="pending").exists():
        task_enqueue("sensors.hourly", {}, delay=(end + timedelta(hours=1, minutes=5)) - now)
