"""Demo data: a living smart city around Πλατεία Ελευθερίας and Μεραρχίας (≈ coordinates).

Also a fixed, demo-only integration credential (printed by ``make demo``) and a
``background(stop)`` loop that keeps the city alive through the in-process pipeline.
"""

from __future__ import annotations

import hashlib
import logging
import random
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import close_old_connections
from django.utils import timezone

from dimos.core.models import Department, Municipality, Task
from dimos.core.tasks import task_enqueue
from dimos.sensors import services, simulator
from dimos.sensors.actions import ACTIONS
from dimos.sensors.constants import Direction, RuleKind, Source
from dimos.sensors.models import Credential, Device, DeviceType, Reading, Rule, VendorMapping

log = logging.getLogger("dimos.sensors.demo")
# Demo only: a known token so the README and the integrators' guide can show working examples.
DEMO_TOKEN = "dms_demo0001_serres-demo-integration-key"  # noqa: S105
SQUARE = (41.0918, 23.5483)  # ≈ Πλατεία Ελευθερίας
MERARCHIAS = [(41.0908, 23.5497), (41.0872, 23.5545)]  # ≈ from the square towards the station
VENIZELOU = [(41.0925, 23.5470), (41.0946, 23.5442)]  # ≈


def _line(a: tuple[float, float], b: tuple[float, float], n: int) -> list[tuple[float, float]]:
    return [
        (a[0] + (b[0] - a[0]) * i / max(1, n - 1), a[1] + (b[1] - a[1]) * i / max(1, n - 1)) for i in range(n)
    ]


def _ring(centre: tuple[float, float], radius: float, n: int) -> list[tuple[float, float]]:
    import math

    return [
        (
            centre[0] + radius * math.sin(2 * math.pi * i / n),
            centre[1] + radius * 1.3 * math.cos(2 * math.pi * i / n),
        )
        for i in range(n)
    ]


def _device(municipality: Municipality, type_code: str, code: str, **fields: Any) -> Device:
    types = {t.code: t for t in DeviceType.objects.all()}
    attrs = services.device_validate_static(type_code, fields.pop("attrs", {}))
    lat, lon = fields.get("lat"), fields.get("lon")
    device, _ = Device.objects.update_or_create(
        municipality=municipality,
        code=code,
        defaults={
            "type": types[type_code],
            "ngsi_id": services.ngsi_id_for(type_code, code),
            "attrs": attrs,
            "unit": services.UnitLocator(municipality)(lat, lon),
            **fields,
        },
    )
    return device


def seed(ctx: Any) -> None:
    serres: Municipality = ctx.serres
    services.device_types_sync()
    deps = {d.code: d for d in Department.objects.filter(municipality=serres)}
    light, clean, tech = deps.get("ilektrofotismos"), deps.get("kathariotita"), deps.get("technikes")
    for i, (lat, lon) in enumerate(_ring(SQUARE, 0.0007, 12), start=1):
        _device(
            serres,
            "ParkingSpot",
            f"eleftherias-{i:02d}",
            name=f"Πλατεία Ελευθερίας, θέση {i}",
            group="Πλατεία Ελευθερίας",
            lat=round(lat, 6),
            lon=round(lon, 6),
            vendor="ParkSense",
            attrs={"category": "onStreet"},
        )
    for i, (lat, lon) in enumerate(_line(*MERARCHIAS, 14), start=1):
        _device(
            serres,
            "ParkingSpot",
            f"merarchias-{i:02d}",
            name=f"Μεραρχίας, θέση {i}",
            group="Μεραρχίας",
            lat=round(lat, 6),
            lon=round(lon, 6),
            vendor="ParkSense",
            attrs={"category": "onStreet"},
        )
    for i, (lat, lon) in enumerate(_line(*VENIZELOU, 8), start=1):
        _device(
            serres,
            "ParkingSpot",
            f"venizelou-{i:02d}",
            name=f"Βενιζέλου, θέση {i}",
            group="Βενιζέλου",
            lat=round(lat, 6),
            lon=round(lon, 6),
            vendor="ParkSense",
            attrs={"category": "onStreet"},
        )
    _device(
        serres,
        "OffStreetParking",
        "stathmos-kentrou",
        name="Δημοτικός Σταθμός Αυτοκινήτων Κέντρου",
        lat=41.0897,
        lon=23.5462,
        attrs={"totalSpotNumber": 120, "openingHours": "Mo-Su 00:00-24:00"},
    )
    for i, (lat, lon) in enumerate(_line((41.0912, 23.5492), (41.0868, 23.5552), 10), start=1):
        _device(
            serres,
            "Streetlight",
            f"fos-merarchias-{i:02d}",
            name=f"Φωτιστικό Μεραρχίας {i}",
            group="Μεραρχίας",
            lat=round(lat, 6),
            lon=round(lon, 6),
            department=light,
            vendor="LumiNet",
            attrs={"lanternHeight": 8, "circuit": "Κ-12"},
        )
    for i, (lat, lon) in enumerate(_ring((41.0890, 23.5505), 0.0022, 8), start=1):
        _device(
            serres,
            "WasteContainer",
            f"kados-{i:02d}",
            name=f"Κάδος {i}",
            group="Κέντρο",
            lat=round(lat, 6),
            lon=round(lon, 6),
            department=clean,
            vendor="BinLoRa",
            ttn_device_id=f"bin-{i:04d}",
            dev_eui=f"70B3D57ED000{i:04X}",
            attrs={"binCapacity": 1100, "storedWasteKind": "general"},
        )
    _device(
        serres,
        "AirQualityObserved",
        "aq-plateia",
        name="Σταθμός Πλατείας Ελευθερίας",
        lat=SQUARE[0] + 0.0003,
        lon=SQUARE[1] - 0.0004,
        department=tech,
        attrs={"typeofLocation": "outdoor"},
    )
    _device(
        serres,
        "AirQualityObserved",
        "aq-station",
        name="Σταθμός Σιδηροδρομικού Σταθμού",
        lat=41.0851,
        lon=23.5581,
        department=tech,
        attrs={"typeofLocation": "outdoor"},
    )
    _device(
        serres,
        "NoiseLevelObserved",
        "thorybos-plateia",
        name="Θόρυβος Πλατείας Ελευθερίας",
        lat=SQUARE[0] - 0.0002,
        lon=SQUARE[1] + 0.0003,
        attrs={"sonometerClass": "1"},
    )
    for i, (lat, lon) in enumerate(_line((41.0930, 23.5420), (41.0950, 23.5400), 4), start=1):
        _device(
            serres,
            "WaterConsumptionObserved",
            f"ydrometro-{i:02d}",
            name=f"Υδρόμετρο δημοτικού κτιρίου {i}",
            lat=round(lat, 6),
            lon=round(lon, 6),
            department=tech,
        )
    VendorMapping.objects.update_or_create(
        municipality=serres,
        application_id="serres-waste",
        defaults={
            "vendor": "BinLoRa",
            "type": DeviceType.objects.get(code="WasteContainer"),
            "mapping": {"fill": {"attr": "fillingLevel", "scale": 0.01}, "temp": "temperature"},
        },
    )
    _rules(serres, light, clean, tech)
    _history(serres)
    Credential.objects.update_or_create(
        prefix=DEMO_TOKEN.split("_")[1],
        defaults={
            "municipality": serres,
            "name": "Demo integration (make demo)",
            "vendor": "demo",
            "scopes": services.default_scopes(None),
            "key_hash": hashlib.sha256(DEMO_TOKEN.encode()).hexdigest(),
            "revoked_at": None,
        },
    )
    if not Task.objects.filter(name="sensors.hourly", status="pending").exists():
        task_enqueue("sensors.hourly", {})
    ctx.say(f"  Sensors   : integration credential (demo only): {DEMO_TOKEN}")
    ctx.say(
        "              NGSI-LD at /ngsi-ld/v1/ · HTTP batch at /api/v1/sensors/readings/ · docs/sensors/integrators.md"
    )


def _rules(serres: Municipality, light: Any, clean: Any, tech: Any) -> None:
    types = {t.code: t for t in DeviceType.objects.all()}
    report = "report" in ACTIONS
    specs = [
        (
            "Streetlight",
            "Βλάβη φωτιστικού",
            {
                "kind": RuleKind.STATUS,
                "attribute": "status",
                "status_values": ["defectiveLamp", "brokenLantern", "columnIssue"],
                "department": light,
                "actions": ["notify", "report"] if report else ["notify"],
                "report_category": "street-light",
            },
        ),
        ("Streetlight", "Φωτιστικό χωρίς σήμα για 24 ώρες", {"kind": RuleKind.SILENT, "silent_hours": 24}),
        (
            "WasteContainer",
            "Γεμάτος κάδος",
            {
                "kind": RuleKind.THRESHOLD,
                "attribute": "fillingLevel",
                "direction": Direction.ABOVE,
                "threshold": 0.85,
                "clear_threshold": 0.2,
                "department": clean,
                "actions": ["report"] if report else [],
                "report_category": "waste-bin",
            },
        ),
        (
            "AirQualityObserved",
            "Υψηλά PM10",
            {
                "kind": RuleKind.THRESHOLD,
                "attribute": "pm10",
                "direction": Direction.ABOVE,
                "threshold": 120,
                "clear_threshold": 100,
            },
        ),
        (
            "WaterConsumptionObserved",
            "Πιθανή διαρροή",
            {
                "kind": RuleKind.THRESHOLD,
                "attribute": "alarmStopsLeaks",
                "direction": Direction.ABOVE,
                "threshold": 0.5,
                "clear_threshold": 0.5,
                "department": tech,
                "actions": ["notify"],
            },
        ),
    ]
    for type_code, name, fields in specs:
        existing = Rule.objects.filter(municipality=serres, type=types[type_code], name=name).first()
        rule = existing or Rule(municipality=serres, type=types[type_code], name=name)
        for key, value in fields.items():
            setattr(rule, key, value)
        if "notify" in rule.actions and rule.department is None:
            rule.actions = [a for a in rule.actions if a != "notify"]
        services.rule_save(rule=rule, actor=None)


def _history(serres: Municipality) -> None:
    """Seven days of hourly air quality, 24 h of noise, and current states (aligned to the hour)."""
    rng = random.Random(2026)
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    devices = list(Device.objects.select_related("type").filter(municipality=serres))
    items = []
    for device in devices:
        code = device.type.code
        if code == "AirQualityObserved":
            for h in range(7 * 24, 0, -1):
                at = now - timedelta(hours=h)
                items.append(
                    services.ReadingIn(
                        device=device,
                        observed_at=at,
                        values=simulator.air_quality(at, rng, 1.2 if "station" in device.code else 1.0),
                    )
                )
        elif code == "NoiseLevelObserved":
            for h in range(24 * 4, 0, -1):
                at = now - timedelta(minutes=15 * h)
                items.append(
                    services.ReadingIn(device=device, observed_at=at, values=simulator.noise(at, rng))
                )
    for start in range(0, len(items), 1000):
        services.readings_ingest(
            municipality=serres, items=items[start : start + 1000], source=Source.SIMULATOR
        )
    services.readings_ingest(
        municipality=serres, items=simulator.tick(serres, now, rng, adopt=True), source=Source.SIMULATOR
    )
    services.rollups_compute(municipality=serres, start=now - timedelta(days=7), end=now)
    _ = Reading  # history lives in Reading; rollups summarise it


def background(stop: Callable[[], bool], interval: float = 10.0) -> None:
    """Keep the demo city alive: a simulator round every ``interval`` seconds, in process."""
    rng = random.Random()
    while not stop():
        close_old_connections()
        try:
            for municipality in Municipality.objects.filter(slug="serres"):
                services.readings_ingest(
                    municipality=municipality,
                    items=simulator.tick(municipality, rng=rng),
                    source=Source.SIMULATOR,
                )
        except Exception:  # the demo loop must never die
            log.exception("sensor simulator round failed")
        for _ in range(int(interval * 10)):
            if stop():
                return
            time.sleep(0.1)
