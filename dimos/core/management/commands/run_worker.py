from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand

from dimos.core.tasks import tasks_run_pending, worker_loop


class Command(BaseCommand):
    help = "Run the background task worker (the database is the queue)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Run due tasks once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["once"]:
            self.stdout.write(f"ran {tasks_run_pending(limit=10_000)} task(s)")
            return
        stopping = {"flag": False}

        def stop(*_: Any) -> None:
            stopping["flag"] = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("task worker running; Ctrl-C to stop")
        worker_loop(stop=lambda: stopping["flag"])
