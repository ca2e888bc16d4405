"""Load the Serres demo data set. Idempotent: safe to run again and again.

The core creates Serres and Irakleia with ``municipality_bootstrap`` and the
starter kits (departments, report categories, e-services, appointment points),
then adds staff and citizens; then each installed Dimos app that has a ``demo``
module with ``seed(ctx)`` adds its demo-only part, in INSTALLED_APPS order.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from dimos.core import demo as core_demo


class Command(BaseCommand):
    help = "Load (or refresh) the Serres demo data set."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            ctx = core_demo.seed()
            for config in apps.get_app_configs():
                if not config.name.startswith("dimos.") or config.name == "dimos.core":
                    continue
                try:
                    module = importlib.import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(ctx)
                self.stdout.write(f"  demo data: {config.label} ✓")
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for line in ctx.lines:
            self.stdout.write(line)
