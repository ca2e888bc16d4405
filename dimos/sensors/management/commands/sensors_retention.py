"""Delete raw readings older than N days (hourly rollups are computed first and kept)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.core.exceptions import ApplicationError
from dimos.core.models import Municipality
from dimos.sensors.services import readings_purge


class Command(BaseCommand):
    help = "Delete raw sensor readings older than --days (rollups are kept)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--days", type=int, required=True)
        parser.add_argument("--municipality", help="slug; default: every municipality")

    def handle(self, *args: Any, **options: Any) -> None:
        municipality = None
        if options["municipality"]:
            municipality = Municipality.objects.filter(slug=options["municipality"]).first()
            if municipality is None:
                raise CommandError(f"unknown municipality {options['municipality']!r}")
        try:
            deleted = readings_purge(municipality=municipality, older_than_days=options["days"])
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"deleted {deleted} readings older than {options['days']} days")
