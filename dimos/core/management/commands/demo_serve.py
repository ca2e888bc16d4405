"""Serve the demo: the web server plus the background worker in one process.

Each Dimos app may add background loops for the demo (a ``demo`` module with
``background(stop)``), e.g. the sensor simulator. Production runs the web tier,
``run_worker`` and any ingest processes separately (docs/operations.md).

The demo runs with ``DEBUG=true``, but people trying it see the real Greek 403, 404
and 500 pages (``dimos/core/error_pages.py``), not Django's debug pages; ``--debug-pages``
keeps Django's pages for developers.
"""

from __future__ import annotations

import importlib
import threading
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from dimos.core import error_pages
from dimos.core.tasks import worker_loop


def demo_middleware(middleware: list[str]) -> list[str]:
    """The middleware list with the real error pages added last (once)."""
    return (
        [*middleware, error_pages.MIDDLEWARE]
        if error_pages.MIDDLEWARE not in middleware
        else list(middleware)
    )


class Command(BaseCommand):
    help = "Run the demo web server with the task worker and demo background loops."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--debug-pages",
            action="store_true",
            help="Show Django's debug pages instead of the real error pages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Links in the demo's e-mails (sent by the worker thread of this process)
        # must carry the port the demo listens on: http://serres.localhost:8000/…
        port = str(options["addrport"]).rpartition(":")[2]
        if port.isdigit() and not settings.DIMOS_PUBLIC_PORT:
            settings.DIMOS_PUBLIC_PORT = int(port)
        if not options["debug_pages"]:
            # Before runserver builds its WSGI handler, which reads the list once.
            settings.MIDDLEWARE = demo_middleware(settings.MIDDLEWARE)
        stop_event = threading.Event()
        loops = [("tasks", lambda: worker_loop(stop=stop_event.is_set))]
        for config in apps.get_app_configs():
            if not config.name.startswith("dimos."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
            background = getattr(module, "background", None)
            if background is not None:
                loops.append((config.label, lambda b=background: b(stop_event.is_set)))
        for name, loop in loops:
            threading.Thread(target=loop, name=f"dimos-{name}", daemon=True).start()
            self.stdout.write(f"background: {name} started")
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        finally:
            stop_event.set()
