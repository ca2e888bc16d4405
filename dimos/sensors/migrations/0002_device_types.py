"""The device types as they were when this migration was written (frozen: a migration must not
import the live registry, which changes). ``manage.py sensors_sync_types`` brings the rows up
to date with ``dimos.sensors.schemas``."""

from django.db import migrations


def _a(kind, unit="", lo=None, hi=None, values=(), measured=True):
    return {"kind": kind, "unit": unit, "min": lo, "max": hi, "values": list(values), "measured": measured}


TYPES = {
    "ParkingSpot": {
        "name_el": "Θέση στάθμευσης",
        "name_en": "Parking spot",
        "is_public": True,
        "offline_after_minutes": 1440,
        "schema": {
            "status": _a("enum", values=("closed", "free", "occupied", "unknown")),
            "category": _a("enum", values=("onStreet", "offStreet"), measured=False),
            "refParkingSite": _a("text", measured=False),
            "refParkingGroup": _a("text", measured=False),
            "width": _a("number", "MTR", 0, 20, measured=False),
            "length": _a("number", "MTR", 0, 50, measured=False),
        },
    },
    "OffStreetParking": {
        "name_el": "Χώρος στάθμευσης",
        "name_en": "Off-street parking",
        "is_public": True,
        "offline_after_minutes": 120,
        "schema": {
            "availableSpotNumber": _a("integer", "", 0, 10000),
            "occupiedSpotNumber": _a("integer", "", 0, 10000),
            "occupancy": _a("number", "C62", 0, 1),
            "status": _a("enumlist", values=("open", "closed", "full", "almostFull", "spacesAvailable")),
            "totalSpotNumber": _a("integer", "", 0, 10000, measured=False),
            "openingHours": _a("text", measured=False),
            "maximumParkingDuration": _a("text", measured=False),
            "priceRatePerMinute": _a("number", "", 0, 100, measured=False),
            "priceCurrency": _a("text", measured=False),
        },
    },
    "Streetlight": {
        "name_el": "Φωτιστικό οδού",
        "name_en": "Street light",
        "is_public": False,
        "offline_after_minutes": 120,
        "schema": {
            "status": _a("enum", values=("ok", "defectiveLamp", "brokenLantern", "columnIssue")),
            "powerState": _a("enum", values=("on", "off", "low", "bootingUp")),
            "illuminanceLevel": _a("number", "C62", 0, 1),
            "powerConsumption": _a("number", "WTT", 0, 5000),
            "voltage": _a("number", "VLT", 0, 400),
            "current": _a("number", "AMP", 0, 50),
            "powerFactor": _a("number", "", 0, 1),
            "lanternHeight": _a("number", "MTR", 0, 40, measured=False),
            "circuit": _a("text", measured=False),
            "refStreetlightGroup": _a("text", measured=False),
        },
    },
    "AirQualityObserved": {
        "name_el": "Σταθμός ποιότητας αέρα",
        "name_en": "Air-quality station",
        "is_public": True,
        "offline_after_minutes": 120,
        "schema": {
            "pm25": _a("number", "GQ", 0, 5000),
            "pm10": _a("number", "GQ", 0, 5000),
            "pm1": _a("number", "GQ", 0, 5000),
            "no2": _a("number", "GQ", 0, 5000),
            "no": _a("number", "GQ", 0, 5000),
            "nox": _a("number", "GQ", 0, 5000),
            "o3": _a("number", "GQ", 0, 5000),
            "so2": _a("number", "GQ", 0, 5000),
            "co": _a("number", "GQ", 0, 100000),
            "c6h6": _a("number", "GQ", 0, 5000),
            "temperature": _a("number", "CEL", -50, 60),
            "relativeHumidity": _a("number", "C62", 0, 1),
            "windSpeed": _a("number", "MTS", 0, 100),
            "windDirection": _a("number", "DD", 0, 360),
            "reliability": _a("number", "C62", 0, 1),
            "typeofLocation": _a("enum", values=("indoor", "outdoor"), measured=False),
        },
    },
    "NoiseLevelObserved": {
        "name_el": "Σταθμός θορύβου",
        "name_en": "Noise station",
        "is_public": True,
        "offline_after_minutes": 120,
        "schema": {
            "LAeq": _a("number", "2N", 0, 200),
            "LAmax": _a("number", "2N", 0, 200),
            "LAS": _a("number", "2N", 0, 200),
            "LAeq_d": _a("number", "2N", 0, 200),
            "sonometerClass": _a("enum", values=("0", "1", "2"), measured=False),
        },
    },
    "WasteContainer": {
        "name_el": "Κάδος απορριμμάτων",
        "name_en": "Waste container",
        "is_public": False,
        "offline_after_minutes": 120,
        "schema": {
            "fillingLevel": _a("number", "C62", 0, 1),
            "temperature": _a("number", "CEL", -40, 120),
            "methaneConcentration": _a("number", "GQ", 0, 100000),
            "cargoWeight": _a("number", "KGM", 0, 5000),
            "status": _a(
                "enum", values=("ok", "lidOpen", "dropped", "moved", "vandalized", "burning", "unknown")
            ),
            "binFullnessThreshold": _a("number", "C62", 0, 1, measured=False),
            "binCapacity": _a("number", "LTR", 0, 100000, measured=False),
            "storedWasteKind": _a("text", measured=False),
            "dateLastEmptying": _a("datetime", measured=False),
        },
    },
    "WaterConsumptionObserved": {
        "name_el": "Υδρόμετρο",
        "name_en": "Water meter",
        "is_public": False,
        "offline_after_minutes": 120,
        "schema": {
            "waterConsumption": _a("number", "MTQ", 0, 1000000000.0),
            "minFlow": _a("number", "L/H", 0, 1000000.0),
            "maxFlow": _a("number", "L/H", 0, 1000000.0),
            "alarmInProgress": _a("integer", "", 0, 1),
            "alarmStopsLeaks": _a("integer", "", 0, 1),
            "alarmTamper": _a("integer", "", 0, 1),
            "alarmWaterQuality": _a("integer", "", 0, 1),
            "moduleTampered": _a("integer", "", 0, 1),
        },
    },
}


def sync(apps, schema_editor):
    DeviceType = apps.get_model("sensors", "DeviceType")
    for code, fields in TYPES.items():
        DeviceType.objects.update_or_create(code=code, defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("sensors", "0001_initial")]
    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
