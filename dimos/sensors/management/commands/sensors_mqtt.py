"""Run the MQTT ingest consumer (generic dimos/<municipality>/<device>/up and TTN v3 uplinks).

Its defaults are the safe ones (docs/deploy/README.md, "MQTT"): Receive Maximum 65,535,
batches of 1,000 within 0.1 s, acknowledgement after commit, a persistent session, and a
probe of the broker's offline queue at start that warns when it would drop messages.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from dimos.sensors.mqtt import Consumer


def consumer_from_options(options: dict[str, Any]) -> Consumer:
    """The consumer the command runs for these parsed options (tests build it the same way)."""
    if options["batch_size"] < 1 or options["batch_wait"] <= 0:
        raise CommandError("batch size must be ≥ 1 and batch wait > 0")
    if not 1 <= options["receive_maximum"] <= 65535:
        raise CommandError("receive maximum must be between 1 and 65535")
    if options["share"] and ("/" in options["share"] or "+" in options["share"] or "#" in options["share"]):
        raise CommandError("a share group name cannot contain '/', '+' or '#'")
    kwargs: dict[str, Any] = {
        "url": options["url"],
        "client_id": options["client_id"],
        "batch_size": options["batch_size"],
        "batch_wait": options["batch_wait"],
        "prefix": options["prefix"],
        "share": options["share"],
        "receive_maximum": options["receive_maximum"],
        "status_every": max(1.0, options["status_every"]),
        "status_file": options["status_file"],
    }
    if options["topic"]:
        kwargs["topics"] = tuple(options["topic"])
    return Consumer(**kwargs)


class Command(BaseCommand):
    help = "Consume sensor readings from MQTT (QoS 1, acknowledged after commit)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--url", default=os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
        parser.add_argument(
            "--client-id",
            default=os.environ.get("MQTT_CLIENT_ID", "dimos-sensors-ingest"),
            help="stable id of this consumer's persistent session (one per member of a share group)",
        )
        parser.add_argument(
            "--share",
            default=os.environ.get("MQTT_SHARE_GROUP", ""),
            help="subscribe as a member of this shared-subscription group ($share/GROUP/…)",
        )
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--batch-wait", type=float, default=0.1)
        parser.add_argument(
            "--receive-maximum",
            type=int,
            default=65535,
            help="MQTT 5 Receive Maximum: messages in flight to us (default 65535, the most)",
        )
        parser.add_argument(
            "--queue-needed",
            type=int,
            default=5_000,
            help="warn at start unless the broker queues this many messages for an offline "
            "session (0: skip the probe)",
        )
        parser.add_argument("--prefix", default="", help="topic prefix, e.g. staging/")
        parser.add_argument("--topic", action="append", help="override the subscriptions (repeatable)")
        parser.add_argument(
            "--retire",
            action="store_true",
            help="take this member out for good: unsubscribe, store what its session holds, end it",
        )
        parser.add_argument(
            "--status-every", type=float, default=60.0, help="log the counters every N seconds (default 60)"
        )
        parser.add_argument(
            "--status-file",
            default=os.environ.get("MQTT_STATUS_FILE", ""),
            help="also write the counters as JSON to this file (for a health check)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            consumer = consumer_from_options(options)
        except CommandError as exc:
            self.stderr.write(str(exc))
            raise SystemExit(2) from exc
        if options["retire"]:
            self.stdout.write(f"retiring {options['client_id']} from {options['url']}")
            consumer.retire()
        else:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: stop.set())
            signal.signal(signal.SIGINT, lambda *_: stop.set())
            consumer.check_broker(queue_needed=options["queue_needed"])
            for warning in consumer.warnings:
                self.stderr.write(f"WARNING: {warning}")
            self.stdout.write(f"consuming from {options['url']} as {options['client_id']}")
            consumer.run(stop.is_set)
        status = consumer.status()
        self.stdout.write(
            f"stopped: {status['stored']} stored, {status['skipped']} skipped, "
            f"{status['dead_letters']} dead-lettered {status['dead_letters_by_reason']}"
        )
