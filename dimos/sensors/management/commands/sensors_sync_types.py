"""Bring the DeviceType rows up to date with the schema registry (``dimos/sensors/schemas.py``).

Run after every deployment that adds or changes a sensor type; idempotent (a row that
already matches is not written). ``--check`` only reports, and fails if a row differs.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.sensors.services import device_types_plan, device_types_sync


class Command(BaseCommand):
    help = "Create or update the sensor device types from the schema registry (dimos/sensors/schemas.py)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Only report; exit with an error if a type is out of date."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plan = device_types_plan()
        for code, what in sorted(plan.items()):
            if what != "unchanged":
                self.stdout.write(f"{code}: {what}")
        pending = sorted(code for code, what in plan.items() if what in ("created", "updated"))
        if options["check"]:
            if pending:
                raise CommandError(f"device types out of date: {', '.join(pending)}")
            self.stdout.write("device types are up to date")
            return
        if pending:
            device_types_sync()
        counts = {
            what: sum(1 for w in plan.values() if w == what) for what in ("created", "updated", "unchanged")
        }
        self.stdout.write(
            f"{counts['created']} created, {counts['updated']} updated, {counts['unchanged']} unchanged"
        )
