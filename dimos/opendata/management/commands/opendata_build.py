"""Build the open datasets now (all, or one), for one municipality or every active one."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.core.models import Municipality
from dimos.opendata.registry import registered_builders
from dimos.opendata.services import dataset_build


class Command(BaseCommand):
    help = (
        "Build open datasets (python manage.py opendata_build [--municipality serres] [--dataset reports])."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", help="slug; every active municipality when omitted")
        parser.add_argument("--dataset", choices=sorted(registered_builders()), help="one dataset only")
        parser.add_argument("--incremental", action="store_true", help="append only new hours where possible")

    def handle(self, *args: Any, **options: Any) -> None:
        municipalities = Municipality.objects.filter(is_active=True)
        if options["municipality"]:
            municipalities = municipalities.filter(slug=options["municipality"])
            if not municipalities.exists():
                raise CommandError(f"no active municipality {options['municipality']!r}")
        keys = [options["dataset"]] if options["dataset"] else list(registered_builders())
        failed = 0
        for municipality in municipalities:
            for key in keys:
                version = dataset_build(
                    municipality=municipality, key=key, incremental=options["incremental"]
                )
                if version is None:
                    failed += 1
                    self.stdout.write(
                        self.style.WARNING(f"{municipality.slug}/{key}: failed, last version kept")
                    )
                else:
                    self.stdout.write(
                        f"{municipality.slug}/{key}: v{version.number}, {version.row_count} rows"
                    )
        if failed:
            raise CommandError(f"{failed} build(s) failed")
