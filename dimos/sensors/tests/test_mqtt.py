"""The MQTT door against the real Mosquitto broker (marker ``mqtt``)."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
import pytest
from django.utils import timezone
from paho.mqtt.enums import CallbackAPIVersion

from dimos.sensors import services
from dimos.sensors.models import DeviceType, Reading, VendorMapping
from dimos.sensors.mqtt import Consumer, Resolver, ttn_values
from dimos.sensors.schemas import parse_time

MQTT_URL = os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883")


def test_ttn_mapping_scales_and_renames() -> None:
    mapping = {"fill": {"attr": "fillingLevel", "scale": 0.01}, "temp": "temperature"}
    assert ttn_values(mapping, {"fill": 83, "temp": 14.5, "battery": 3.1}) == {
        "fillingLevel": 0.83,
        "temperature": 14.5,
    }


def uplink(
    dev_eui: str, f_cnt: int, received: str, decoded: dict[str, Any], app: str = "serres-waste"
) -> dict:
    return {
        "end_device_ids": {
            "device_id": "bin-0042",
            "application_ids": {"application_id": app},
            "dev_eui": dev_eui,
        },
        "received_at": received,
        "uplink_message": {"f_port": 1, "f_cnt": f_cnt, "decoded_payload": decoded, "received_at": received},
    }


class Msg:
    def __init__(self, topic: str, payload: Any) -> None:
        self.topic = topic
        self.payload = payload if isinstance(payload, bytes) else json.dumps(payload).encode()


@pytest.mark.django_db
def test_ttn_parse_and_dedupe(serres: Any, bin_: Any) -> None:
    from dimos.sensors.mqtt import store

    VendorMapping.objects.create(
        municipality=serres,
        application_id="serres-waste",
        type=DeviceType.objects.get(code="WasteContainer"),
        mapping={"fillingLevel": "fillingLevel", "temperature": "temperature"},
    )
    received = (timezone.now() - timedelta(minutes=1)).isoformat().replace("+00:00", "Z")
    body = uplink("70b3d57ed0000042", 1312, received, {"fillingLevel": 0.83, "temperature": 14.5})
    topic = "v3/serres-waste@ttn/devices/bin-0042/up"
    resolver = Resolver()
    assert store([Msg(topic, body), Msg(topic, body)], resolver) == (
        2,
        0,
    )  # second one: duplicate, not an error
    assert store([Msg(topic, body)], resolver) == (1, 0)
    assert Reading.objects.count() == 1
    assert Reading.objects.get().values == {"fillingLevel": 0.83, "temperature": 14.5}
    # Poison: bad JSON, unknown app, unknown device, out-of-range value, no decoded payload.
    bad = [
        Msg(topic, b"{nope"),
        Msg(
            "v3/other@ttn/devices/x/up",
            uplink("70B3D57ED0000042", 1, received, {"fillingLevel": 0.1}, app="other"),
        ),
        Msg(topic, uplink("70B3D57ED0009999", 1, received, {"fillingLevel": 0.1})),
        Msg(
            topic,
            uplink(
                "70B3D57ED0000042", 1313, received.replace(":", ":", 1)[:-4] + "1Z", {"fillingLevel": 1.7}
            ),
        ),
        Msg(topic, {"end_device_ids": {}, "uplink_message": {}}),
        Msg("somewhere/else", {}),
    ]
    assert store(bad, resolver) == (0, 6)
    assert Reading.objects.count() == 1


def publish(topic_messages: list[tuple[str, Any]]) -> None:
    url = urlparse(MQTT_URL)
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"pub-{uuid.uuid4().hex[:8]}")
    client.connect(url.hostname or "127.0.0.1", url.port or 1883)
    client.loop_start()
    infos = [
        client.publish(t, json.dumps(p) if not isinstance(p, bytes) else p, qos=1) for t, p in topic_messages
    ]
    for info in infos:
        info.wait_for_publish(10)
    client.disconnect()
    client.loop_stop()


def wait_for(predicate: Any, timeout: float = 60) -> bool:
    from django.db import OperationalError

    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except OperationalError as exc:
            # The SQLite test database is in memory with a shared cache: a read that meets
            # the consumer's open write transaction fails at once ("table is locked")
            # instead of waiting as on a WAL file. Poll again.
            if "locked" not in str(exc):
                raise
        time.sleep(0.1)
    return predicate()


class Crash(Exception):
    pass


class CrashingConsumer(Consumer):
    """Dies abruptly (no DISCONNECT, no acks) after committing ``crash_after`` batches."""

    def __init__(self, *args: Any, crash_after: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.crash_after = crash_after
        self.batches = 0
        self.acked_payloads: list[bytes] = []

    def after_commit(self, messages: list[Any]) -> None:
        self.batches += 1
        if self.batches > self.crash_after:
            # Committed but not acknowledged: the broker must deliver these again.
            sock = self.client.socket()
            if sock is not None:
                sock.close()
            raise Crash()

    def _ack(self, messages: list[Any]) -> None:
        super()._ack(messages)
        self.acked_payloads.extend((m.topic, m.payload) for m in messages)


def run_in_thread(consumer: Consumer) -> tuple[threading.Thread, threading.Event, list[BaseException]]:
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            consumer.run(stop.is_set)
        except BaseException as exc:
            errors.append(exc)
        finally:
            from django.db import connection

            connection.close()

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    assert consumer.connected.wait(30), "consumer did not connect"
    # Messages published before the SUBACK would find no subscription: wait for it.
    assert consumer.subscribed.wait(30), "consumer did not subscribe"
    return thread, stop, errors


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_generic_topic_end_to_end_with_poison(serres: Any, spot: Any) -> None:
    prefix = f"t-{uuid.uuid4().hex[:10]}/"
    consumer = Consumer(url=MQTT_URL, client_id=f"c-{uuid.uuid4().hex[:8]}", prefix=prefix, batch_wait=0.05)
    thread, stop, errors = run_in_thread(consumer)
    now = timezone.now()
    messages = [
        (
            f"{prefix}dimos/serres/p-001/up",
            {"observedAt": (now - timedelta(seconds=10)).isoformat(), "values": {"status": "free"}},
        ),
        (f"{prefix}dimos/serres/p-001/up", b"\xff not json"),
        (f"{prefix}dimos/atlantis/p-001/up", {"observedAt": now.isoformat(), "values": {"status": "free"}}),
        (
            f"{prefix}dimos/serres/p-001/up",
            {"observedAt": now.isoformat(), "values": {"status": "teleported"}},
        ),
        (
            f"{prefix}dimos/serres/p-001/up",
            {"observedAt": (now - timedelta(seconds=5)).isoformat(), "values": {"status": "occupied"}},
        ),
    ]
    publish(messages)
    assert wait_for(lambda: consumer.acked >= 5)
    stop.set()
    thread.join(10)
    assert not errors
    assert Reading.objects.filter(device=spot).count() == 2
    assert consumer.skipped == 3
    assert spot.__class__.objects.get(pk=spot.pk).state.values == {"status": "occupied"}


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_killing_the_consumer_loses_no_acknowledged_reading(serres: Any) -> None:
    devices = [
        services.device_create(
            municipality=serres, type_code="WasteContainer", code=f"k{i}", lat=41.09, lon=23.55
        )
        for i in range(5)
    ]
    prefix = f"t-{uuid.uuid4().hex[:10]}/"
    client_id = f"c-{uuid.uuid4().hex[:8]}"
    first = CrashingConsumer(
        url=MQTT_URL, client_id=client_id, prefix=prefix, batch_size=20, batch_wait=0.05, crash_after=3
    )
    thread, _stop, errors = run_in_thread(first)
    base = timezone.now() - timedelta(hours=1)
    total = 300
    messages = [
        (
            f"{prefix}dimos/serres/{devices[i % 5].code}/up",
            {
                "observedAt": (base + timedelta(seconds=i)).isoformat(),
                "values": {"fillingLevel": (i % 100) / 100},
            },
        )
        for i in range(total)
    ]
    publisher = threading.Thread(target=publish, args=(messages,))
    publisher.start()
    thread.join(60)
    assert errors and isinstance(errors[0], Crash), errors
    acked = list(first.acked_payloads)
    assert acked, "the first consumer acknowledged nothing before dying"
    assert len(acked) < total, "the crash must happen mid-stream"
    # Every acknowledged message's reading is in the database at the moment of the crash.
    stored = {(code, t.timestamp()) for code, t in Reading.objects.values_list("device__code", "observed_at")}
    for topic, payload in acked:
        body = json.loads(payload)
        assert (topic.split("/")[-2], parse_time(body["observedAt"]).timestamp()) in stored
    publisher.join(30)
    assert Reading.objects.count() < total  # the rest waits at the broker
    # A new consumer with the same persistent session receives the rest (and the
    # committed-but-unacknowledged batch again, absorbed by idempotency).
    second = Consumer(url=MQTT_URL, client_id=client_id, prefix=prefix, batch_size=50, batch_wait=0.05)
    thread2, stop2, errors2 = run_in_thread(second)
    assert wait_for(lambda: Reading.objects.count() >= total, timeout=60), Reading.objects.count()
    stop2.set()
    thread2.join(10)
    assert not errors2
    assert Reading.objects.count() == total
    stored = {(code, t.timestamp()) for code, t in Reading.objects.values_list("device__code", "observed_at")}
    for topic, body in messages:
        code = topic.split("/")[-2]
        assert (code, parse_time(body["observedAt"]).timestamp()) in stored
    # Clean the persistent session off the broker.
    url = urlparse(MQTT_URL)
    cleaner = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    cleaner.connect(url.hostname or "127.0.0.1", url.port or 1883, clean_start=True)
    cleaner.disconnect()


@pytest.mark.mqtt
@pytest.mark.django_db(transaction=True)
def test_a_poisoned_message_is_dead_lettered_and_the_readings_after_it_are_stored(
    serres: Any, spot: Any, tmp_path: Any
) -> None:
    """Issue 11: a ~2 KB deeply nested JSON array raised RecursionError, the consumer died,
    and the broker redelivered the message on every restart (persistent session)."""
    prefix = f"t-{uuid.uuid4().hex[:10]}/"
    client_id = f"c-{uuid.uuid4().hex[:8]}"
    status_file = tmp_path / "mqtt-status.json"
    consumer = Consumer(
        url=MQTT_URL, client_id=client_id, prefix=prefix, batch_wait=0.05, status_file=str(status_file)
    )
    thread, stop, errors = run_in_thread(consumer)
    topic = f"{prefix}dimos/serres/p-001/up"
    now = timezone.now()
    poison = ("[" * 1000 + "]" * 1000).encode()
    valid = [
        (topic, {"observedAt": (now - timedelta(seconds=s)).isoformat(), "values": {"status": "free"}})
        for s in (30, 20, 10)
    ]
    publish([(topic, poison), *valid])
    assert wait_for(lambda: consumer.acked >= 4)
    assert thread.is_alive() and not errors
    assert wait_for(lambda: Reading.objects.filter(device=spot).count() == 3)
    assert consumer.status()["dead_letters_by_reason"] == {"poison": 1}
    # Still consuming after the poison.
    publish(
        [(topic, {"observedAt": (now - timedelta(seconds=5)).isoformat(), "values": {"status": "occupied"}})]
    )
    assert wait_for(lambda: Reading.objects.filter(device=spot).count() == 4)
    stop.set()
    thread.join(10)
    assert not errors
    assert json.loads(status_file.read_text())["dead_letters"] == 1
    # The poison was acknowledged: a restart with the same persistent session gets nothing back.
    again = Consumer(url=MQTT_URL, client_id=client_id, prefix=prefix, batch_wait=0.05)
    thread2, stop2, errors2 = run_in_thread(again)
    publish([(topic, {"observedAt": now.isoformat(), "values": {"status": "free"}})])
    assert wait_for(lambda: again.acked >= 1)
    stop2.set()
    thread2.join(10)
    assert not errors2 and again.acked == 1 and again.status()["dead_letters"] == 0
    assert Reading.objects.filter(device=spot).count() == 5
    url = urlparse(MQTT_URL)
    cleaner = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    cleaner.connect(url.hostname or "127.0.0.1", url.port or 1883, clean_start=True)
    cleaner.disconnect()
