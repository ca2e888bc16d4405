"""Run the MQTT ingest consumer (generic dimos/<municipality>/<device>/up and TTN v3 uplinks)."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from dimos.sensors.mqtt import Consumer


class Command(BaseCommand):
    help = "Consume sensor readings from MQTT (QoS 1, acknowledged after commit)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default=os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
        parser.add_argument("--client-id", default="dimos-sensors-ingest")
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--batch-wait", type=float, default=0.2)
        parser.add_argument(
            "--receive-maximum", type=int, default=0, help="MQTT 5 Receive Maximum (default 4 × batch size)"
        )
        parser.add_argument("--prefix", default="", help="topic prefix, e.g. staging/")
        parser.add_argument("--topic", action="append", help="override the subscriptions (repeatable)")
        parser.add_argument(
            "--status-every", type=float, default=60.0, help="log the counters every N seconds (default 60)"
        )
        parser.add_argument(
            "--status-file",
            default=os.environ.get("MQTT_STATUS_FILE", ""),
            help="also write the counters as JSON to this file (for a health check)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch_size"] < 1 or options["batch_wait"] <= 0:
            self.stderr.write("batch size must be ≥ 1 and batch wait > 0")
            raise SystemExit(2)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        kwargs: dict[str, Any] = {
            "url": options["url"],
            "client_id": options["client_id"],
            "batch_size": options["batch_size"],
            "batch_wait": options["batch_wait"],
            "prefix": options["prefix"],
            "receive_maximum": options["receive_maximum"] or None,
            "status_every": max(1.0, options["status_every"]),
            "status_file": options["status_file"],
        }
        if options["topic"]:
            kwargs["topics"] = tuple(options["topic"])
        consumer = Consumer(**kwargs)
        self.stdout.write(f"consuming from {options['url']} as {options['client_id']}")
        consumer.run(stop.is_set)
        status = consumer.status()
        self.stdout.write(
            f"stopped: {status['stored']} stored, {status['skipped']} skipped, "
            f"{status['dead_letters']} dead-lettered {status['dead_letters_by_reason']}"
        )
