"""What the consumer can learn about the broker's limits, and when it warns.

A broker does not refuse what it cannot keep: Mosquitto drops a QoS-1 message without a
word when the receiving session's queue is full (``max_queued_messages``, 1,000 per client
by default, counted over the messages in flight and queued). The consumer cannot read the
broker's configuration, so it checks what it can see (docs/deploy/README.md, "MQTT"):

* the CONNACK's Maximum QoS (below 1, every message is downgraded to "at most once");
* the SUBACK's granted QoS per subscription (0 or a refusal: an ACL or ``max_qos``);
* ``probe_queue``: a throw-away persistent session is left offline while ``needed + 1`` tiny
  QoS-1 messages are published to it; the broker must keep them all, as it must keep the
  consumer's messages while the consumer restarts. Fewer back means a queue limit;
* ``$SYS/broker/publish/messages/dropped``, the broker's own count of dropped messages
  (every client, published every ``sys_interval`` seconds, only once non-zero), watched
  for as long as the consumer runs;
* a reconnect without the session the consumer had: the broker restarted without
  ``persistence true`` or the session expired; what was queued for it is gone.

Not detectable from a client: ``persistence`` before a broker restart, a byte limit
(``max_queued_bytes``) larger than the probe's tiny messages, ``persistent_client_expiration``.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

log = logging.getLogger("dimos.sensors.mqtt")
DROPPED = "$SYS/broker/publish/messages/dropped"


def _client(client_id: str, username: str | None, password: str | None) -> mqtt.Client:
    client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    if username:
        client.username_pw_set(username, password)
    return client


def probe_queue(
    host: str,
    port: int,
    *,
    needed: int,
    prefix: str = "",
    username: str | None = None,
    password: str | None = None,
    timeout: float = 30.0,
) -> int | None:
    """How many of ``needed + 1`` QoS-1 messages the broker keeps for an offline session.

    Returns None when the probe could not run (refused connection or subscription)."""
    tag = uuid.uuid4().hex[:12]
    topic = f"{prefix}dimos-probe/{tag}"
    client_id = f"dimos-probe-{tag}"
    total = needed + 1
    subscribed = threading.Event()
    granted: list[bool] = []

    def on_subscribe(client: mqtt.Client, userdata: object, mid: int, codes: list, props: object) -> None:
        granted.extend(not code.is_failure and code.value >= 1 for code in codes)
        subscribed.set()

    expiry = Properties(PacketTypes.CONNECT)
    expiry.SessionExpiryInterval = 120
    holder = _client(client_id, username, password)
    holder.on_subscribe = on_subscribe
    try:
        holder.connect(host, port, clean_start=True, properties=expiry)
    except OSError:
        return None
    holder.loop_start()
    holder.subscribe(topic, qos=1)
    ok = subscribed.wait(10) and all(granted) and bool(granted)
    holder.disconnect()
    holder.loop_stop()
    if not ok:
        return None
    publisher = _client(f"dimos-probe-pub-{tag}", username, password)
    publisher.max_inflight_messages_set(1000)
    publisher.max_queued_messages_set(0)
    publisher.connect(host, port)
    publisher.loop_start()
    infos = [publisher.publish(topic, b"1", qos=1) for _ in range(total)]
    for info in infos:
        info.wait_for_publish(timeout)
    publisher.disconnect()
    publisher.loop_stop()
    received = [0]
    last = [time.monotonic()]

    def on_message(client: mqtt.Client, userdata: object, message: mqtt.MQTTMessage) -> None:
        received[0] += 1
        last[0] = time.monotonic()

    back = _client(client_id, username, password)
    back.on_message = on_message
    resume = Properties(PacketTypes.CONNECT)
    resume.SessionExpiryInterval = 120
    resume.ReceiveMaximum = 65535
    back.connect(host, port, clean_start=False, properties=resume)
    back.loop_start()
    end = time.monotonic() + timeout
    while received[0] < total and time.monotonic() < end and time.monotonic() - last[0] < 2:
        time.sleep(0.05)
    # End the probe's session on the broker (expiry 0 at DISCONNECT).
    gone = Properties(PacketTypes.DISCONNECT)
    gone.SessionExpiryInterval = 0
    back.disconnect(properties=gone)
    back.loop_stop()
    return received[0]


def check_queue(
    host: str,
    port: int,
    *,
    needed: int,
    prefix: str = "",
    username: str | None = None,
    password: str | None = None,
) -> str | None:
    """Run ``probe_queue`` and return the warning to give (None when the broker kept all)."""
    kept = probe_queue(host, port, needed=needed, prefix=prefix, username=username, password=password)
    if kept is None:
        return (
            "could not probe the broker's queue limit (the probe topic "
            f"{prefix}dimos-probe/# was refused); make sure max_queued_messages is 0 or ≥ {needed}"
        )
    if kept <= needed:
        return (
            f"the broker kept only {kept} of {needed + 1} QoS-1 messages for an offline session: "
            "messages that arrive while this consumer restarts or falls behind will be DROPPED. "
            "Set max_queued_messages 0 (or higher) and max_queued_bytes 0 in mosquitto.conf "
            "(docs/deploy/mosquitto.conf)"
        )
    return None


class DropWatch:
    """Follows ``$SYS/broker/publish/messages/dropped`` and warns when it grows."""

    def __init__(self) -> None:
        self.at_start: int | None = None
        self.latest: int | None = None

    def seen(self, payload: bytes, retained: bool) -> None:
        """A value of the counter: the retained one (sent at subscription) is the count
        before this consumer started; a live one (not retained) is news."""
        try:
            value = int(payload)
        except ValueError:
            return
        if retained and self.at_start is None:
            self.at_start = self.latest = value
            if value:
                log.warning(
                    "the broker has dropped %s messages since it started (all clients); "
                    "check max_queued_messages (docs/deploy/mosquitto.conf)",
                    value,
                )
            return
        if self.at_start is None:  # no drop before we started: the counter was 0
            self.at_start = self.latest = 0
        if self.latest is not None and value > self.latest:
            log.warning(
                "the broker dropped %s more messages (all clients, %s since this consumer started): "
                "raise max_queued_messages (docs/deploy/mosquitto.conf)",
                value - self.latest,
                value - self.at_start,
            )
        self.latest = max(value, self.latest or 0)

    @property
    def since_start(self) -> int:
        if self.at_start is None or self.latest is None:
            return 0
        return self.latest - self.at_start
