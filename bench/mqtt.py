"""MQTT consumer benchmark (issue 12): msg/s and messages lost, with the command's defaults.

The consumer is ``manage.py sensors_mqtt`` exactly as the Procfile runs it (only the
broker URL, a unique topic prefix and client id added), in separate processes; the
publisher (paho, QoS 1, 1,000 in flight) is this process. Three cases:

* ``burst``: 100,000 messages (10,000 with --quick) against MQTT_URL, the shared broker
  with Mosquitto's default settings, as the issue measured it;
* ``kill_restart``: the consumer is SIGKILLed when a quarter of the burst is stored, and
  started again a second later;
* ``two_consumers``: two consumers share the subscription (``--share``), one is SIGKILLed
  at a quarter and started again a second later.

The last two run against a Mosquitto of their own with docs/deploy/mosquitto.conf (the
default queue of 1,000 drops what arrives while a consumer is down; the consumer warns).
``msg/s`` is messages ÷ seconds from the first publish to the last commit; the consumer
alone is also timed as ``drain_msg_per_s``: the backlog it found at its restart ÷ the
seconds it took to store it. The floor is ``Reading.objects.bulk_create`` of 1,000 rows.
"""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bench.common import database_label, fresh_database, result, time_once, write_results

ROOT = Path(__file__).resolve().parent.parent
TARGET = ">= 5000 msg/s and 0 lost"
DEVICES = 200


def _consumer(url: str, prefix: str, client_id: str, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    args = ["--url", url, "--prefix", prefix, "--client-id", client_id, *extra]
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "sensors_mqtt", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=ROOT,
    )


def _stop(process: subprocess.Popen[bytes]) -> str:
    """SIGTERM (a clean stop); the consumer's stderr (warnings) back."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err.decode(errors="replace")


def _end_session(url: str, client_id: str) -> None:
    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    parsed = urlparse(url)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883, clean_start=True)
    client.disconnect()


def _warnings(stderr: str) -> list[str]:
    return [line.strip()[:300] for line in stderr.splitlines() if line.startswith("WARNING")]


class Publisher:
    def __init__(self, url: str) -> None:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        parsed = urlparse(url)
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"bench-pub-{uuid.uuid4().hex[:8]}", protocol=mqtt.MQTTv5
        )
        self.client.max_inflight_messages_set(1000)
        self.client.max_queued_messages_set(0)
        self.client.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
        self.client.loop_start()

    def send(self, messages: list[tuple[str, str]]) -> None:
        # Packet ids are 16 bits: never more than 50,000 unacknowledged in this client.
        infos = []
        for i, (topic, body) in enumerate(messages):
            if i >= 50_000:
                infos[i - 50_000].wait_for_publish(300)
            infos.append(self.client.publish(topic, body, qos=1))
        for info in infos:
            info.wait_for_publish(300)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def _messages(prefix: str, codes: list[str], total: int, base: datetime) -> list[tuple[str, str]]:
    return [
        (
            f"{prefix}dimos/serres/{codes[i % len(codes)]}/up",
            json.dumps(
                {
                    "observedAt": (base + timedelta(seconds=i // len(codes))).isoformat(),
                    "values": {"fillingLevel": (i % 100) / 100},
                }
            ),
        )
        for i in range(total)
    ]


def _count() -> int:
    from dimos.sensors.models import Reading

    return Reading.objects.count()


def _wait_stored(target: int, *, stall: float = 60.0) -> int:
    """Poll until ``target`` readings exist or nothing new arrived for ``stall`` seconds."""
    last, changed = _count(), time.monotonic()
    while last < target and time.monotonic() - changed < stall:
        time.sleep(0.05)
        now = _count()
        if now != last:
            last, changed = now, time.monotonic()
    return last


def _warm(publisher: Publisher, prefix: str, code: str) -> None:
    """One reading through the consumer: it is connected and subscribed."""
    before = _count()
    at = datetime.now(UTC) - timedelta(days=20, microseconds=uuid.uuid4().int % 10**9)
    deadline = time.monotonic() + 120
    while _count() == before and time.monotonic() < deadline:
        body = json.dumps({"observedAt": at.isoformat(), "values": {"fillingLevel": 0.5}})
        publisher.send([(f"{prefix}dimos/serres/{code}/up", body)])
        time.sleep(0.5)
    if _count() == before:
        raise RuntimeError("the consumer stored nothing within 120 s")


def _case(name: str, url: str, codes: list[str], total: int, *, kill: bool, members: int) -> dict[str, Any]:
    prefix = f"bench-{uuid.uuid4().hex[:8]}/"
    ids = [f"bench-consumer-{uuid.uuid4().hex[:8]}" for _ in range(members)]
    extra = ["--share", f"bench{uuid.uuid4().hex[:6]}"] if members > 1 else []
    procs = [_consumer(url, prefix, cid, *extra) for cid in ids]
    publisher = Publisher(url)
    stderr: list[str] = []
    try:
        for _ in range(members):  # round robin: one warm-up reading per member at least
            _warm(publisher, prefix, codes[0])
        before = _count()
        messages = _messages(prefix, codes, total, datetime.now(UTC) - timedelta(days=10))
        start = time.perf_counter()
        sender = threading.Thread(target=publisher.send, args=(messages,))
        sender.start()
        drain: dict[str, Any] = {}
        if kill:
            while _count() - before < total // 4 and sender.is_alive():
                time.sleep(0.01)
            procs[-1].send_signal(signal.SIGKILL)
            stderr.append(_stop(procs[-1]))
            drain["killed_at_stored"] = _count() - before
            time.sleep(1.0)
            procs[-1] = _consumer(url, prefix, ids[-1], *extra)
        sender.join()
        published = time.perf_counter() - start
        if kill:
            # The consumer alone: from the restarted process's first commit to the last one.
            first = _count()
            while _count() == first and time.perf_counter() - start < 600:
                time.sleep(0.01)
            resumed_at, resumed_count = time.perf_counter(), _count()
        stored = _wait_stored(before + total) - before
        elapsed = time.perf_counter() - start
        if kill:
            drained = before + stored - resumed_count
            drain["drained_after_restart"] = drained
            drain["drain_msg_per_s"] = round(drained / max(1e-6, time.perf_counter() - resumed_at), 1)
    finally:
        publisher.close()
        stderr.extend(_stop(p) for p in procs)
        for client_id in ids:  # leave no persistent session behind on the broker
            _end_session(url, client_id)
    return {
        "case": name,
        "messages": total,
        "stored": stored,
        "lost": total - stored,
        "msg_per_s": stored / elapsed,
        "publish_seconds": round(published, 2),
        "end_to_end_seconds": round(elapsed, 2),
        "consumers": members,
        "killed": kill,
        **drain,
        "consumer_warnings": sorted({w for err in stderr for w in _warnings(err)}),
    }


def run(*, quick: bool = False) -> Path:
    from django.db import transaction

    from dimos.core import demo
    from dimos.sensors import services
    from dimos.sensors.models import Reading
    from dimos.sensors.mqtt.testing import LocalBroker, documented_settings

    fresh_database()
    serres = demo.seed().serres
    services.device_types_sync()
    devices = [
        services.device_create(
            municipality=serres, type_code="WasteContainer", code=f"mq-{i:04d}", lat=41.09, lon=23.55
        )
        for i in range(DEVICES)
    ]
    codes = [d.code for d in devices]
    shared_url = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")
    burst_total = 10_000 if quick else 100_000
    other_total = 5_000 if quick else 30_000
    rows_in: list[dict[str, Any]] = []
    rows_in.append(_case("burst", shared_url, codes, burst_total, kill=False, members=1))
    with tempfile.TemporaryDirectory() as workdir:
        broker = LocalBroker(documented_settings(), Path(workdir))
        try:
            rows_in.append(_case("kill_restart", broker.url, codes, other_total, kill=True, members=1))
            rows_in.append(_case("two_consumers", broker.url, codes, other_total, kill=True, members=2))
        finally:
            broker.stop()
    counter = [0]

    def floor_insert() -> None:
        counter[0] += 1
        at = datetime.now(UTC) - timedelta(days=40, seconds=counter[0])
        with transaction.atomic():
            Reading.objects.bulk_create(
                [
                    Reading(
                        municipality=serres,
                        device=d,
                        observed_at=at,
                        values={"fillingLevel": 0.1},
                        source="mqtt",
                    )
                    for d in devices
                ]
            )

    floor = statistics.median(len(devices) / time_once(floor_insert) for _ in range(7))
    load = [round(x, 2) for x in os.getloadavg()]
    rows = []
    for row in rows_in:
        value = row.pop("msg_per_s")
        rows.append(
            result(
                f"mqtt_{row['case']}_msg_per_s",
                "messages_per_second",
                value,
                floor,
                {
                    **row,
                    "broker": "shared, Mosquitto defaults"
                    if row["case"] == "burst"
                    else "docs/deploy/mosquitto.conf",
                    "command": "manage.py sensors_mqtt (defaults) + --url --prefix --client-id"
                    + (" --share" if row["consumers"] > 1 else ""),
                    "floor": f"Reading.objects.bulk_create of {len(devices)} rows (rows/s)",
                    "cores": "2 shared: publisher (this process), consumer(s), broker and database compete",
                    "load_average_1_5_15": load,
                },
                target=TARGET,
                meets_target=value >= 5000 and row["lost"] == 0,
            )
        )
    return write_results("mqtt" if database_label() == "sqlite" else "mqtt-postgresql", rows)
