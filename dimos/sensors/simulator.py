"""Realistic synthetic readings for the demo devices (demo and load tests only).

Daily parking occupancy curves, street lights that fail now and then (and are
repaired), bins that fill until emptied, air quality and noise with diurnal cycles,
water meters that count up (and sometimes leak).

The simulator drives only its own devices (``simulated_devices``): an integrator's
device keeps the values they send.
"""

from __future__ import annotations

import math
import random
from collections.abc import Collection
from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from dimos.core.models import Municipality
from dimos.sensors.constants import Source
from dimos.sensors.models import Device, Reading
from dimos.sensors.selectors import state_of
from dimos.sensors.services import ReadingIn

# Share of on-street spaces taken, by local hour (0–23).
PARKING_CURVE = [
    0.35,
    0.3,
    0.25,
    0.25,
    0.25,
    0.3,
    0.45,
    0.65,
    0.85,
    0.92,
    0.95,
    0.95,
    0.93,
    0.9,
    0.8,
    0.75,
    0.8,
    0.88,
    0.92,
    0.9,
    0.8,
    0.65,
    0.5,
    0.4,
]


def _rush(hour: float) -> float:
    """Two traffic peaks (08:30 and 19:00), 0–1."""
    return math.exp(-((hour - 8.5) ** 2) / 3) + 0.8 * math.exp(-((hour - 19) ** 2) / 4)


def air_quality(at: datetime, rng: random.Random, site: float = 1.0) -> dict[str, float]:
    local = timezone.localtime(at)
    hour = local.hour + local.minute / 60
    winter = 1.4 if local.month in (11, 12, 1, 2) else 1.0  # wood burning
    pm25 = max(
        0.5,
        (4 + 14 * _rush(hour) * winter + 6 * (hour >= 20 or hour < 1) * winter) * site + rng.gauss(0, 1.5),
    )
    no2 = max(0.5, (6 + 40 * _rush(hour)) * site + rng.gauss(0, 3))
    o3 = max(0.5, 25 + 55 * math.exp(-((hour - 15) ** 2) / 10) + rng.gauss(0, 4))
    return {
        "pm25": round(pm25, 1),
        "pm10": round(pm25 * 1.7 + rng.uniform(0, 4), 1),
        "no2": round(no2, 1),
        "o3": round(o3, 1),
        "so2": round(max(0.2, 2 + rng.gauss(0, 0.6)), 1),
        "temperature": round(9 + 7 * math.sin((hour - 9) / 24 * 2 * math.pi) + rng.gauss(0, 0.3), 1),
        "relativeHumidity": round(min(1, max(0.2, 0.7 - 0.2 * math.sin((hour - 9) / 24 * 2 * math.pi))), 2),
    }


def noise(at: datetime, rng: random.Random) -> dict[str, float]:
    local = timezone.localtime(at)
    hour = local.hour + local.minute / 60
    base = 48 + 16 * min(1.0, _rush(hour) + (0.6 if 9 <= hour <= 22 else 0))
    laeq = base + rng.gauss(0, 1.5)
    return {"LAeq": round(laeq, 1), "LAmax": round(laeq + rng.uniform(8, 18), 1)}


def _spot(device: Device, at: datetime, rng: random.Random) -> dict[str, Any] | None:
    share = PARKING_CURVE[timezone.localtime(at).hour]
    wanted = "occupied" if rng.random() < share else "free"
    current = state_of(device).get("status")
    # Spaces change hands slowly: only some flip at each tick.
    if current is not None and current != wanted and rng.random() > 0.25:
        return None
    return {"status": wanted} if wanted != current else None


def readings_for(device: Device, at: datetime, rng: random.Random) -> dict[str, Any] | None:
    code = device.type.code
    state = state_of(device)
    if code == "ParkingSpot":
        return _spot(device, at, rng)
    if code == "OffStreetParking":
        total = int(device.attrs.get("totalSpotNumber", {}).get("value") or 100)
        occupied = min(
            total, max(0, int(total * PARKING_CURVE[timezone.localtime(at).hour] + rng.gauss(0, 3)))
        )
        status = (
            "full" if occupied >= total else ("almostFull" if occupied > 0.9 * total else "spacesAvailable")
        )
        return {
            "availableSpotNumber": total - occupied,
            "occupiedSpotNumber": occupied,
            "occupancy": round(occupied / total, 3),
            "status": [status],
        }
    if code == "Streetlight":
        status = state.get("status", "ok")
        if status == "ok" and rng.random() < 0.01:
            status = rng.choice(["defectiveLamp", "defectiveLamp", "brokenLantern"])
        elif status != "ok" and rng.random() < 0.02:
            status = "ok"  # the crew replaced the lamp
        hour = timezone.localtime(at).hour
        on = (hour >= 17 or hour < 7) and status == "ok"
        return {
            "status": status,
            "powerState": "on" if on else "off",
            "powerConsumption": round(rng.uniform(55, 62), 1) if on else 0.0,
            "illuminanceLevel": 1.0 if on else 0.0,
        }
    if code == "WasteContainer":
        level = float(state.get("fillingLevel", rng.uniform(0.05, 0.6)))
        level += rng.uniform(0.002, 0.02)
        if level >= 0.97 or (level > 0.85 and rng.random() < 0.05):
            level = rng.uniform(0.02, 0.08)  # collected
        return {"fillingLevel": round(min(level, 1.0), 3), "temperature": round(12 + rng.gauss(0, 2), 1)}
    if code == "AirQualityObserved":
        return air_quality(at, rng, site=1.2 if "station" in device.code else 1.0)
    if code == "NoiseLevelObserved":
        return noise(at, rng)
    if code == "WaterConsumptionObserved":
        total = float(state.get("waterConsumption", rng.uniform(100, 900)))
        leak = int(state.get("alarmStopsLeaks", 0))
        if rng.random() < 0.003:
            leak = 1 - leak
        flow = rng.uniform(0, 40) + (25 if leak else 0)
        return {
            "waterConsumption": round(total + flow / 3600 * 60, 4),
            "minFlow": round(15.0 if leak else 0.0, 1),
            "maxFlow": round(flow, 1),
            "alarmStopsLeaks": leak,
        }
    return None


def simulated_devices(
    municipality: Municipality, *, sources: Collection[str] = (Source.SIMULATOR,), adopt: bool = False
) -> QuerySet[Device]:
    """The devices the simulator drives: those whose latest reading is its own.

    A device whose latest reading came from anywhere else (an integrator's NGSI-LD,
    HTTP batch, MQTT or TTN uplink) is theirs: the simulator leaves it alone, so it keeps
    the values they send. A device with no reading yet is left alone too, unless
    ``adopt`` (the demo seed, adopting the devices it has just created). ``sources``
    are the sources that count as the simulator's (the command adds its transport's).
    One query: the latest source is a correlated subquery on the readings' unique index
    (municipality, device, observed_at)."""
    latest = Subquery(
        Reading.objects.filter(municipality=municipality, device=OuterRef("pk"))
        .order_by("-observed_at")
        .values("source")[:1]
    )
    mine = Q(latest_source__in=list(sources))
    if adopt:
        mine |= Q(latest_source__isnull=True)
    return (
        Device.objects.select_related("type", "state")
        .filter(municipality=municipality)
        .annotate(latest_source=latest)
        .filter(mine)
        .order_by("pk")
    )


def tick(
    municipality: Municipality,
    at: datetime | None = None,
    rng: random.Random | None = None,
    *,
    sources: Collection[str] = (Source.SIMULATOR,),
    adopt: bool = False,
) -> list[ReadingIn]:
    """One round of readings for every device the simulator drives (``simulated_devices``)."""
    at = at or timezone.now()
    rng = rng or random.Random()
    items = []
    for device in simulated_devices(municipality, sources=sources, adopt=adopt):
        values = readings_for(device, at, rng)
        if values:
            items.append(ReadingIn(device=device, observed_at=at, values=values))
    return items
