"""Retrain the category-suggestion classifier of each municipality on its own reports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from dimos.core.models import Municipality
from dimos.reports.classifier import train


class Command(BaseCommand):
    help = "Retrain the report category suggestion model (per municipality) and print held-out accuracy."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", help="slug; default: every active municipality")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = Municipality.objects.filter(is_active=True)
        if options.get("municipality"):
            qs = qs.filter(slug=options["municipality"])
        for municipality in qs:
            result = train(municipality)
            if result.accuracy is None:
                self.stdout.write(f"{municipality.slug}: {result.samples} reports, too few to train")
            else:
                self.stdout.write(
                    f"{municipality.slug}: {result.samples} reports, {result.categories} categories, "
                    f"held-out accuracy {result.accuracy:.1%}"
                )
