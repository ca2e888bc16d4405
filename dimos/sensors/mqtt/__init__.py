"""The MQTT door: a long-running consumer (``manage.py sensors_mqtt``).

* Topics: ``dimos/<municipality>/<device>/up`` with a JSON body
  ``{"observedAt": "...Z", "values": {...}}`` (or a list of such objects), and TTN v3
  uplinks ``v3/+/devices/+/up`` whose ``decoded_payload`` is mapped to attributes
  by the municipality's VendorMapping for the TTN application.
* QoS 1 with manual acknowledgements (paho-mqtt 2 ``manual_ack=True``): a message
  is acknowledged only after the transaction holding its reading has committed.
  A crash before that leaves it unacknowledged, and the broker delivers it again
  to the persistent session (MQTT 5, clean_start=False, session expiry); the
  pipeline's idempotency absorbs the repeat.
* Defaults that lose nothing against Mosquitto's defaults: Receive Maximum 65,535 (the
  broker keeps up to that many messages in flight to us, outside its per-client queue of
  1,000), batches of 1,000 within 0.1 s. The broker settings the consumer still needs, and
  what it checks and warns about at start, are in ``broker.py`` and docs/deploy/README.md.
* Horizontal consumers: ``share="group"`` subscribes to ``$share/group/<topic>``; each
  member has its own client id and persistent session. Mosquitto 2 deals messages round
  robin to the members' sessions, a dead member's included: what was in flight to it, and
  its share of what arrives while it is down, wait in its session until it comes back with
  the same client id (they are not handed to the live member). ``retire()`` takes a member
  out for good: unsubscribe, drain, end the session.
* Batching: messages are drained into batches (size or time bound) and stored
  with one pipeline call per municipality.
* Poison messages (bad JSON, too deeply nested JSON, unknown topic/device, invalid
  values, anything the pipeline cannot use) are dead-lettered: logged, counted by
  reason and acknowledged, so they never block the stream nor come back after a
  restart. ``Consumer.status()`` gives the counters; the consumer logs them every
  ``status_every`` seconds and can write them to a file for a health check.
* Reconnects with exponential back-off (paho's reconnect_delay_set). A database that is
  down or busy (OperationalError, InterfaceError) is waited out with back-off and nothing
  is acknowledged meanwhile; a batch that fails otherwise is stored message by message.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import paho.mqtt.client as mqtt
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from dimos.core.metrics import MQTT_DEAD_LETTERS
from dimos.sensors import services
from dimos.sensors.mqtt.broker import DROPPED, DropWatch, check_queue
from dimos.sensors.mqtt.parsing import Parsed, Poison, Resolver, ttn_values

__all__ = ["GENERIC", "TTN", "Consumer", "Parsed", "Poison", "Resolver", "store", "ttn_values"]

log = logging.getLogger("dimos.sensors.mqtt")
GENERIC = "dimos/+/+/up"
TTN = "v3/+/devices/+/up"


def _dead_letter(counts: Counter[str], reason: str) -> None:
    """Count one dead-lettered message here (status) and in the metrics (``dimos_mqtt_dead_letters_total``)."""
    counts[reason] += 1
    MQTT_DEAD_LETTERS.labels(reason=reason).inc()


def store(
    messages: list[Any], resolver: Resolver, dead_letters: Counter[str] | None = None
) -> tuple[int, int]:
    """Store one batch (one pipeline call per municipality); returns (stored, skipped).

    Every message or reading that cannot be used is counted in ``dead_letters`` by
    reason. Raises DatabaseError when the batch could not be committed (nothing is acked)."""
    dead = dead_letters if dead_letters is not None else Counter()
    groups: dict[int, list[Parsed]] = defaultdict(list)
    skipped = 0
    for message in messages:
        try:
            for parsed in resolver.parse(message.topic, message.payload):
                groups[parsed.municipality.pk].append(parsed)
        except Poison as exc:
            skipped += 1
            _dead_letter(dead, "poison")
            log.warning("dead-lettering MQTT message on %s: %s", message.topic, exc)
        except DatabaseError:
            raise
        except Exception:
            # A message no rule foresaw must not stop the consumer either.
            skipped += 1
            _dead_letter(dead, "unexpected")
            log.exception("dead-lettering MQTT message on %s: it could not be parsed", message.topic)
    stored = 0
    for items in groups.values():
        by_source: dict[str, list[Parsed]] = defaultdict(list)
        for p in items:
            by_source[p.source].append(p)
        for source, parsed in by_source.items():
            outcome = services.readings_ingest(
                municipality=parsed[0].municipality, items=[p.reading for p in parsed], source=source
            )
            for result in outcome.results:
                if result.status == "error":
                    skipped += 1
                    _dead_letter(dead, "invalid_reading")
                    log.warning("dead-lettering MQTT reading for %s: %s", result.device, result.error)
                else:
                    stored += 1
    return stored, skipped


class Consumer:
    def __init__(
        self,
        *,
        url: str = "mqtt://127.0.0.1:1883",
        client_id: str = "dimos-sensors-ingest",
        topics: tuple[str, ...] = (GENERIC, TTN),
        prefix: str = "",
        share: str = "",
        batch_size: int = 1000,
        batch_wait: float = 0.1,
        session_expiry: int = 7 * 24 * 3600,
        receive_maximum: int = 65535,
        status_every: float = 60.0,
        status_file: str = "",
    ) -> None:
        parsed = urlparse(url)
        self.host, self.port = parsed.hostname or "127.0.0.1", parsed.port or 1883
        self.username, self.password = parsed.username, parsed.password
        # A prefix (e.g. "site-a/") namespaces every topic: tests and staging use it.
        self.prefix = prefix
        self.topics = tuple(f"$share/{share}/{prefix}{t}" if share else prefix + t for t in topics)
        self.batch_size = batch_size
        self.batch_wait = batch_wait
        # C-implemented FIFO: one cheap put per message in paho's network thread.
        self.inbox: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.resolver = Resolver(prefix)
        self.stored = 0
        self.skipped = 0
        self.acked = 0
        self.dead_letters: Counter[str] = Counter()
        self.status_every = status_every
        self.status_file = status_file
        self.connected = threading.Event()
        self.subscribed = threading.Event()
        self.warnings: list[str] = []
        self.drops = DropWatch()
        self._had_session = False
        self.retiring = False
        self._stop: Any = lambda: False
        self._sys_mid: int | None = None
        self.client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5, manual_ack=True
        )
        if parsed.username:
            self.client.username_pw_set(parsed.username, parsed.password)
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = lambda client, userdata, message: self.inbox.put(message)
        self.client.message_callback_add(
            DROPPED, lambda c, u, message: self.drops.seen(message.payload, message.retain)
        )
        self.properties = Properties(PacketTypes.CONNECT)
        self.properties.SessionExpiryInterval = session_expiry
        # The broker may keep this many unacknowledged messages in flight to us. Mosquitto
        # counts its per-client queue limit (max_queued_messages) on top of it, so a high
        # value is what keeps a burst from being dropped by a broker left at its defaults.
        self.properties.ReceiveMaximum = max(1, min(65535, receive_maximum))

    def warn(self, message: str) -> None:
        """A broker limit that can lose messages: logged and kept for ``status()``."""
        log.warning("MQTT broker check: %s", message)
        self.warnings.append(message)

    def check_broker(self, *, queue_needed: int) -> None:
        """Probe the broker's offline queue before consuming (see ``broker.py``)."""
        if queue_needed <= 0:
            return
        warning = check_queue(
            self.host,
            self.port,
            needed=queue_needed,
            prefix=self.prefix,
            username=self.username,
            password=self.password,
        )
        if warning:
            self.warn(warning)
        else:
            log.info(
                "MQTT broker check: the broker queues ≥ %s messages for an offline session", queue_needed
            )

    def _on_connect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        if reason.is_failure:
            log.warning("MQTT connection refused: %s", reason)
            return
        max_qos = getattr(properties, "MaximumQoS", 2)
        if max_qos < 1:
            self.warn("the broker's Maximum QoS is 0: messages are not redelivered, any crash loses some")
        if self._had_session and not flags.session_present:
            self.warn(
                "the broker no longer had this consumer's session (restarted without "
                "persistence, or the session expired): messages queued for it are lost"
            )
        self._had_session = True
        if self.retiring:
            # Nothing new for this member; what its session already holds still comes.
            client.unsubscribe(list(self.topics))
            self.connected.set()
            return
        client.subscribe([(topic, 1) for topic in self.topics])
        self._sys_mid = client.subscribe(DROPPED, 0)[1]
        log.info("MQTT connected to %s:%s (session present: %s)", self.host, self.port, flags.session_present)
        self.connected.set()

    def _on_subscribe(
        self, client: mqtt.Client, userdata: Any, mid: int, codes: list, properties: Any
    ) -> None:
        if mid == self._sys_mid:  # the $SYS watch: brokers with ACLs may refuse it
            if codes[0].is_failure:
                log.info("the broker refused %s: its drops cannot be watched", DROPPED)
            return
        for topic, code in zip(self.topics, codes, strict=False):
            if code.is_failure or code.value < 1:
                self.warn(f"subscription to {topic} granted {code}: messages can be lost")
        self.subscribed.set()

    def _on_disconnect(
        self, client: mqtt.Client, userdata: Any, flags: Any, reason: Any, properties: Any
    ) -> None:
        self.connected.clear()
        log.warning("MQTT disconnected (%s); paho reconnects with back-off", reason)

    def start(self) -> None:
        self.client.connect_async(self.host, self.port, clean_start=False, properties=self.properties)
        self.client.loop_start()

    def _drain(self) -> list[Any]:
        """Up to batch_size messages: whatever is queued is taken without waiting; the
        batch waits (at most batch_wait after its first message) only for an empty queue."""
        try:
            batch = [self.inbox.get(timeout=self.batch_wait)]
        except queue.Empty:
            return []
        deadline = time.monotonic() + self.batch_wait
        take = self.inbox.get_nowait
        while len(batch) < self.batch_size:
            try:
                batch.append(take())
                continue
            except queue.Empty:
                pass
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                batch.append(self.inbox.get(timeout=remaining))
            except queue.Empty:
                break
        return batch

    def _ack(self, messages: list[Any]) -> None:
        for message in messages:
            self.client.ack(message.mid, message.qos)
        self.acked += len(messages)

    def after_commit(self, messages: list[Any]) -> None:
        """Hook between commit and acknowledgement (tests crash here)."""

    def status(self) -> dict[str, Any]:
        """The consumer's health: connection, counters, dead letters by reason, queue length."""
        return {
            "connected": self.connected.is_set(),
            "stored": self.stored,
            "skipped": self.skipped,
            "acked": self.acked,
            "dead_letters": sum(self.dead_letters.values()),
            "dead_letters_by_reason": dict(self.dead_letters),
            "queued": self.inbox.qsize(),
            "broker_dropped_since_start": self.drops.since_start,
            "broker_warnings": len(self.warnings),
        }

    def report(self) -> None:
        """Log the status, and write it to ``status_file`` (atomically) when one is set."""
        status = self.status()
        log.info("MQTT consumer status: %s", json.dumps(status, sort_keys=True))
        if self.status_file:
            target = Path(self.status_file)
            partial = target.with_name(target.name + ".tmp")
            partial.write_text(json.dumps({**status, "at": time.time()}, sort_keys=True))
            partial.replace(target)

    def _store(self, messages: list[Any], patience: int = 0) -> tuple[int, int] | None:
        """``store`` that waits out an unreachable or busy database (OperationalError,
        InterfaceError: retried with back-off for as long as the consumer runs). None when
        the consumer stops first: nothing is acknowledged, the broker delivers it again.
        With ``patience`` > 0, the error is raised after that many attempts (a batch is then
        stored message by message, in case its size is the cause). Other errors propagate."""
        attempt = 0
        while True:
            try:
                close_old_connections()
                return store(messages, self.resolver, self.dead_letters)
            except (OperationalError, InterfaceError):
                attempt += 1
                log.exception("%s MQTT messages failed on the database (attempt %s)", len(messages), attempt)
                if patience and attempt >= patience:
                    raise
                pause = min(30.0, 0.2 * 2 ** min(attempt, 8))
                end = time.monotonic() + pause
                while time.monotonic() < end:
                    if self._stop():
                        return None
                    time.sleep(0.1)

    def process(self, batch: list[Any]) -> None:
        """Store a batch and acknowledge it after the commit. A batch that fails otherwise,
        or keeps failing on the database, is stored message by message; a message is
        dead-lettered only for an error that is not the database's availability."""
        try:
            outcome = self._store(batch, patience=5 if len(batch) > 1 else 0)
        except Exception:
            log.exception("batch of %s failed; storing it message by message", len(batch))
        else:
            if outcome is not None:
                self.stored += outcome[0]
                self.skipped += outcome[1]
                self.after_commit(batch)
                self._ack(batch)
            return
        for message in batch:
            try:
                outcome = self._store([message])
            except Exception:
                log.exception("dead-lettering MQTT message on %s: it could not be stored", message.topic)
                _dead_letter(self.dead_letters, "unstorable")
                outcome = (0, 1)
            if outcome is None:
                return
            self.stored += outcome[0]
            self.skipped += outcome[1]
            self.after_commit([message])
            self._ack([message])

    def run(self, stop: Any) -> None:
        """Consume until ``stop()`` is true."""
        self._stop = stop
        self.start()
        next_report = time.monotonic() + self.status_every
        try:
            while not stop():
                batch = self._drain()
                if batch:
                    self.process(batch)
                if time.monotonic() >= next_report:
                    self.report()
                    next_report = time.monotonic() + self.status_every
        finally:
            self.report()
            self.client.disconnect()
            self.client.loop_stop()

    def retire(self, quiet: float = 3.0) -> None:
        """Take this member of a shared group out for good: unsubscribe, store what its
        session still holds (until ``quiet`` seconds pass without a message), end the session."""
        self.retiring = True
        self.start()
        if not self.connected.wait(30):
            self.client.loop_stop()
            raise ConnectionError(f"could not reach the broker at {self.host}:{self.port}")
        last = [time.monotonic()]

        def idle() -> bool:
            if not self.inbox.empty():
                last[0] = time.monotonic()
            return self.inbox.empty() and time.monotonic() - last[0] > quiet

        try:
            while not idle():
                batch = self._drain()
                if batch:
                    self.process(batch)
                    last[0] = time.monotonic()
        finally:
            self.report()
            gone = Properties(PacketTypes.DISCONNECT)
            gone.SessionExpiryInterval = 0
            self.client.disconnect(properties=gone)
            self.client.loop_stop()
