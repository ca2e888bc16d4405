"""Compute hourly rollups now (and schedule the hourly background task)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from dimos.core.models import Municipality, Task
from dimos.core.tasks import task_enqueue
from dimos.sensors.services import rollups_compute


class Command(BaseCommand):
    help = "Compute hourly rollups for the last --hours hours and make sure the hourly task is scheduled."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--hours", type=int, default=24)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["hours"] < 1:
            raise CommandError("--hours must be at least 1")
        end = timezone.now()
        total = 0
        for municipality in Municipality.objects.filter(is_active=True):
            total += rollups_compute(
                municipality=municipality, start=end - timedelta(hours=options["hours"]), end=end
            )
        if not Task.objects.filter(name="sensors.hourly", status="pending").exists():
            task_enqueue("sensors.hourly", {})
        self.stdout.write(f"{total} rollups written; hourly task scheduled")
