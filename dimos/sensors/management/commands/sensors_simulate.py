"""Feed the demo devices with realistic readings over HTTP, MQTT or in process."""

from __future__ import annotations

import json
import os
import random
import time
from typing import Any
from urllib.parse import urlparse

from django.core.management.base import BaseCommand, CommandError

from dimos.core.models import Municipality
from dimos.sensors import services, simulator
from dimos.sensors.constants import Source


class Command(BaseCommand):
    help = "Simulate the demo sensors (parking curves, lamp failures, bins, air quality, noise, water)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--municipality", default="serres")
        parser.add_argument("--transport", choices=["inprocess", "http", "mqtt"], default="inprocess")
        parser.add_argument("--url", help="base URL (http) or broker URL (mqtt)")
        parser.add_argument("--token", default=os.environ.get("DIMOS_SENSORS_TOKEN", ""))
        parser.add_argument("--interval", type=float, default=10.0)
        parser.add_argument("--rounds", type=int, default=0, help="0 = forever")
        parser.add_argument("--prefix", default="", help="MQTT topic prefix")

    def handle(self, *args: Any, **o: Any) -> None:
        municipality = Municipality.objects.filter(slug=o["municipality"]).first()
        if municipality is None:
            raise CommandError(f"unknown municipality {o['municipality']!r}")
        if o["interval"] <= 0 or o["rounds"] < 0:
            raise CommandError("--interval must be > 0 and --rounds ≥ 0")
        if o["transport"] == "http" and not (o["url"] and o["token"]):
            raise CommandError("--transport http needs --url and --token")
        send = {"inprocess": self._inprocess, "http": self._http, "mqtt": self._mqtt}[o["transport"]]
        # What this command sends comes back with its transport's source: still its own.
        own_sources = {Source.SIMULATOR, {"http": Source.HTTP, "mqtt": Source.MQTT}.get(o["transport"], "")}
        rng = random.Random()
        done = 0
        while not o["rounds"] or done < o["rounds"]:
            items = simulator.tick(municipality, rng=rng, sources=own_sources)
            sent = send(municipality, items, o)
            self.stdout.write(f"round {done + 1}: {sent} readings sent")
            done += 1
            if not o["rounds"] or done < o["rounds"]:
                time.sleep(o["interval"])

    def _inprocess(self, municipality: Municipality, items: list, o: dict) -> int:
        return services.readings_ingest(
            municipality=municipality, items=items, source=Source.SIMULATOR
        ).created

    @staticmethod
    def _payload(item: Any) -> dict:
        return {
            "device": item.device.ngsi_id,
            "observedAt": item.observed_at.isoformat(),
            "values": item.values,
        }

    def _http(self, municipality: Municipality, items: list, o: dict) -> int:
        import requests

        response = requests.post(
            o["url"].rstrip("/") + "/api/v1/sensors/readings/",
            json={"readings": [self._payload(i) for i in items]},
            headers={"Authorization": f"Bearer {o['token']}"},
            timeout=30,
        )
        if response.status_code not in (200, 207):
            raise CommandError(f"HTTP {response.status_code}: {response.text[:300]}")
        return response.json()["created"]

    def _mqtt(self, municipality: Municipality, items: list, o: dict) -> int:
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion

        url = urlparse(o["url"] or os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
        client = mqtt.Client(
            CallbackAPIVersion.VERSION2, client_id=f"dimos-simulator-{random.randrange(10**6)}"
        )
        client.connect(url.hostname or "127.0.0.1", url.port or 1883)
        client.loop_start()
        infos = [
            client.publish(
                f"{o['prefix']}dimos/{municipality.slug}/{i.device.code}/up",
                json.dumps({"observedAt": i.observed_at.isoformat(), "values": i.values}),
                qos=1,
            )
            for i in items
        ]
        for info in infos:
            info.wait_for_publish(30)
        client.disconnect()
        client.loop_stop()
        return len(infos)
