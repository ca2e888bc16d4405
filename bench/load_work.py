"""Data builders, the MQTT burst and the task-queue measurement of ``bench/load.py``."""

from __future__ import annotations

import json
import random
import signal
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.load_shape import BATCH, HOST, MQTT_URL, Shape

# --- Data ----------------------------------------------------------------------------------------


def clear_caches() -> None:
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


def add_applications(serres: Any, count: int) -> None:
    """The clerk queue's applications (as bench/eservices.py builds them)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from dimos.core import demo
    from dimos.core.models import Department
    from dimos.eservices.constants import Status
    from dimos.eservices.demo import seed_catalogue
    from dimos.eservices.models import Application, ProtocolEntry

    local = [s for s in seed_catalogue(serres).values() if not s.is_external]
    citizens = list(get_user_model().objects.filter(username__in=[c[0] for c in demo.DEMO_CITIZENS]))
    departments = list(Department.objects.filter(municipality=serres))
    statuses = [Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN, Status.ISSUED, Status.CLOSED]
    rng, now, today = random.Random(7), timezone.now(), timezone.localdate()
    entries = ProtocolEntry.objects.bulk_create(
        (
            ProtocolEntry(
                municipality=serres,
                year=today.year,
                number=i + 1,
                registered_at=now,
                direction="in",
                subject="Αίτηση",
                correspondent="Πολίτης",
            )
            for i in range(count)
        ),
        batch_size=5000,
    )
    Application.objects.bulk_create(
        (
            Application(
                municipality=serres,
                service=rng.choice(local),
                citizen=rng.choice(citizens),
                status=rng.choice(statuses),
                data={"purpose": "any"},
                department=rng.choice(departments),
                protocol=entry,
                submitted_at=now,
                deadline=today + timedelta(days=rng.randint(-10, 50)),
            )
            for entry in entries
        ),
        batch_size=5000,
    )


def add_entities(serres: Any, count: int) -> str:
    """NGSI-LD entities through the batch create door, each with a status; returns a sensor token."""
    from django.test import Client

    from bench.ingest import _entities as entities
    from dimos.sensors import services

    services.device_types_sync()
    _, token = services.credential_create(municipality=serres, name="load")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": HOST}
    client, at = Client(), (datetime.now(UTC) - timedelta(days=5)).isoformat()
    for start in range(0, count, BATCH):
        chunk = entities(min(BATCH, count - start), start)
        response = client.post(
            "/ngsi-ld/v1/entityOperations/create", json.dumps(chunk), content_type="application/json", **auth
        )
        assert response.status_code == 201, response.content[:300]
        status = [
            {
                "id": e["id"],
                "type": e["type"],
                "status": {"type": "Property", "value": "free", "observedAt": at},
            }
            for e in chunk
        ]
        response = client.post(
            "/ngsi-ld/v1/entityOperations/upsert?options=update",
            json.dumps(status),
            content_type="application/json",
            **auth,
        )
        assert response.status_code == 204, response.content[:300]
    return token


def add_readings(serres: Any, per_device: int) -> int:
    """``per_device`` readings of every device, one a minute back from a week ago, in one statement."""
    from django.db import connection

    from dimos.sensors.models import Device, Reading

    col = {f.name: f.column for f in Reading._meta.concrete_fields}
    start = datetime.now(UTC) - timedelta(days=7)
    quote = connection.ops.quote_name
    columns = ", ".join(
        quote(col[f]) for f in ("municipality", "device", "observed_at", "received_at", "values", "source")
    )
    # Table and column names from the model, values as parameters.
    sql = " ".join(
        [
            "INSERT INTO",
            quote(Reading._meta.db_table),
            f"({columns})",
            'SELECT d.municipality_id, d.id, %s - make_interval(mins => g), now(), \'{"status": "free"}\'::jsonb,',
            "'http' FROM",
            quote(Device._meta.db_table),
            "d CROSS JOIN generate_series(1, %s) g WHERE d.municipality_id = %s",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, per_device, serres.pk])
        return cursor.rowcount


def session_cookie(username: str) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST=HOST)
    client.force_login(get_user_model().objects.get(username=username))
    return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"}


def mqtt_burst(shape: Shape, serres: Any, total: int, entities: int) -> dict[str, Any]:
    """A burst of QoS-1 messages to the shape's own consumer (default batch and receive-maximum)."""
    from urllib.parse import urlparse

    import paho.mqtt.client as mqtt
    from paho.mqtt.enums import CallbackAPIVersion

    from dimos.sensors.models import Reading

    parsed = urlparse(MQTT_URL)
    window_start = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(microseconds=random.randint(1, 999_999))
    stored = Reading.objects.filter(municipality=serres, source="mqtt", observed_at__gte=window_start)
    publisher = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"load-pub-{uuid.uuid4().hex[:8]}")
    publisher.max_inflight_messages_set(1000)
    publisher.max_queued_messages_set(0)
    publisher.connect(parsed.hostname or "127.0.0.1", parsed.port or 1883)
    publisher.loop_start()
    topic = shape.prefix + "dimos/serres/bench-{:05d}/up"
    # The consumer is connected and subscribed once a warm-up message has been stored.
    warm_at = window_start - timedelta(days=1)
    warm = Reading.objects.filter(municipality=serres, source="mqtt", observed_at=warm_at)
    deadline = time.monotonic() + 60
    while not warm.exists() and time.monotonic() < deadline:
        body = {"observedAt": warm_at.isoformat(), "values": {"status": "free"}}
        publisher.publish(topic.format(0), json.dumps(body), qos=1)
        time.sleep(0.5)
    before = stored.count()
    payloads = [
        (
            topic.format(i % entities),
            json.dumps(
                {
                    "observedAt": (window_start + timedelta(seconds=i // entities)).isoformat(),
                    "values": {"status": "free" if i % 3 else "occupied"},
                }
            ),
        )
        for i in range(total)
    ]
    start = time.perf_counter()
    # In slices of 5,000 (paho refuses to queue without bound): still a burst to the broker, whose
    # per-client queue for the consumer is what overflows.
    for first in range(0, total, 5000):
        infos = [publisher.publish(t, b, qos=1) for t, b in payloads[first : first + 5000]]
        for info in infos:
            info.wait_for_publish(120)
    published = time.perf_counter() - start
    count, last_change = before, time.perf_counter()
    while count - before < total and time.perf_counter() - last_change < 15:
        time.sleep(0.1)
        now_count = stored.count()
        if now_count != count:
            count, last_change = now_count, time.perf_counter()
    elapsed = last_change - start  # until the last reading was stored
    publisher.loop_stop()
    publisher.disconnect()
    got = count - before
    rate = got / elapsed
    print(f"  mqtt: {got}/{total} stored, {rate:.0f} msg/s")
    return {
        "name": "mqtt_burst_qos1",
        "consumer": "manage.py sensors_mqtt as the Procfile runs it (default batch, wait and "
        "receive-maximum); only --client-id and --prefix are its own on the shared broker",
        "messages": total,
        "stored": got,
        "lost": total - got,
        "publish_seconds": round(published, 2),
        "end_to_end_seconds": round(elapsed, 2),
        "msg_per_s": round(rate),
        "target": ">= 5,000 msg/s, 0 lost (kill/restart and two-consumer cases: bench/mqtt.py, not here)",
        "meets_target": rate >= 5000 and got == total,
    }


def tasks_queue(shape: Shape, serres: Any, *, quick: bool) -> dict[str, Any]:
    """The database queue (ADR 0002) under the shape's own worker: enqueue rate, latency to start,
    throughput, and a worker killed (SIGKILL) mid-queue and started again."""
    from dimos.core.constants import TaskStatus
    from dimos.core.models import Notification, Task
    from dimos.core.tasks import task_enqueue

    serres_note = Notification.objects.create(
        municipality=serres,
        key="load",
        channel="email",
        language="el",
        recipient="x@example.org",
        body="-",
        status="sent",
    )
    payload = {"notification_id": serres_note.pk}  # already sent: the task does one locked read and returns
    name = "core.deliver_notification"
    Task.objects.all().delete()
    # Latency to start: one task at a time, spaced, the worker idle in between (its poll interval shows).
    singles = []
    for _ in range(10 if quick else 30):
        singles.append(task_enqueue(name, payload).pk)
        time.sleep(0.37)
    _wait_done(Task, singles, 30)
    lat = sorted((t.claimed_at - t.created_at).total_seconds() for t in Task.objects.filter(pk__in=singles))
    # Enqueue rate (each task its own transaction, as a request enqueues it) and burst throughput.
    n = 1000 if quick else 2000
    start = time.perf_counter()
    burst = [task_enqueue(name, payload).pk for _ in range(n)]
    enqueue_rate = n / (time.perf_counter() - start)
    _wait_done(Task, burst, 300)
    spans = Task.objects.filter(pk__in=burst).order_by()
    first = min(spans.values_list("claimed_at", flat=True))
    last = max(spans.values_list("finished_at", flat=True))
    throughput = n / max((last - first).total_seconds(), 1e-6)
    # The worker killed mid-queue, then started again.
    killed = [task_enqueue(name, payload).pk for _ in range(n)]
    time.sleep(0.5)
    shape.kill("worker", signal.SIGKILL)
    at_kill = {s: Task.objects.filter(pk__in=killed, status=s).count() for s in TaskStatus.values}
    shape.worker_start()
    _wait_done(Task, killed, 120, allow_running=True)
    after = {s: Task.objects.filter(pk__in=killed, status=s).count() for s in TaskStatus.values}
    print(f"  tasks: enqueue {enqueue_rate:.0f}/s, run {throughput:.0f}/s, after kill {after}")
    from django.conf import settings

    return {
        "name": "tasks_database_queue",
        "task": f"{name} of a notification already sent (one locked read)",
        "enqueue_per_s": round(enqueue_rate),
        "latency_to_start_s": {
            "p50": round(statistics.median(lat), 3),
            "p95": round(lat[int(0.95 * (len(lat) - 1))], 3),
            "max": round(lat[-1], 3),
        },
        "burst_tasks": n,
        "run_per_s_one_worker": round(throughput),
        "worker_sigkill_mid_queue": {
            "tasks": n,
            "at_kill": at_kill,
            "after_restart": after,
            "lease_seconds": settings.TASKS_LEASE_SECONDS,
            "note": "a task running at the kill stays 'running' until its lease expires, then is run again",
        },
        "target": "(reported: the measured reason in docs/adr/0002)",
        "meets_target": None,
    }


def _wait_done(task_model: Any, ids: list[int], timeout: float, *, allow_running: bool = False) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        left = task_model.objects.filter(pk__in=ids).exclude(status="done")
        if allow_running:
            left = left.exclude(status="running")
        if not left.exists():
            return
        time.sleep(0.2)
