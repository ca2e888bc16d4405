"""Device types after the FIWARE Smart Data Models, with the attribute schemas
every door validates against (units as UN/CEFACT codes, physical ranges, enums).

``measured`` attributes change over time: they arrive as readings and are kept in
the latest state, the readings table and the rollups. The others are static
descriptions of the device (category, capacity, references) kept on the device.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Attr:
    kind: str  # number | integer | enum | boolean | text | datetime | enumlist
    unit: str = ""  # UN/CEFACT code (NGSI-LD unitCode)
    min: float | None = None
    max: float | None = None
    values: tuple[str, ...] = ()
    measured: bool = True
    label: Any = ""


@dataclass(frozen=True)
class DeviceTypeSpec:
    code: str
    name_el: str
    name_en: str
    public: bool
    attrs: dict[str, Attr] = field(default_factory=dict)
    # A device is shown offline when silent longer than this.
    offline_after_minutes: int = 120


def _pollutant(label: str) -> Attr:
    return Attr("number", "GQ", 0, 5000, label=label)


TYPES: dict[str, DeviceTypeSpec] = {
    spec.code: spec
    for spec in [
        DeviceTypeSpec(
            "ParkingSpot",
            "Θέση στάθμευσης",
            "Parking spot",
            True,
            {
                "status": Attr(
                    "enum", values=("closed", "free", "occupied", "unknown"), label=_("κατάσταση")
                ),
                # An array in the official schema.json: ["onStreet"].
                "category": Attr("enumlist", values=("onStreet", "offStreet"), measured=False),
                "refParkingSite": Attr("text", measured=False),
                "refParkingGroup": Attr("text", measured=False),
                "width": Attr("number", "MTR", 0, 20, measured=False),
                "length": Attr("number", "MTR", 0, 50, measured=False),
            },
            offline_after_minutes=24 * 60,
        ),
        DeviceTypeSpec(
            "OffStreetParking",
            "Χώρος στάθμευσης",
            "Off-street parking",
            True,
            {
                "availableSpotNumber": Attr("integer", "", 0, 10000, label=_("ελεύθερες θέσεις")),
                "occupiedSpotNumber": Attr("integer", "", 0, 10000, label=_("κατειλημμένες θέσεις")),
                "occupancy": Attr("number", "C62", 0, 1, label=_("πληρότητα")),
                "status": Attr(
                    "enumlist",
                    values=("open", "closed", "full", "almostFull", "spacesAvailable"),
                    label=_("κατάσταση"),
                ),
                "totalSpotNumber": Attr("integer", "", 0, 10000, measured=False),
                "openingHours": Attr("text", measured=False),
                "maximumParkingDuration": Attr("text", measured=False),
                "priceRatePerMinute": Attr("number", "", 0, 100, measured=False),
                "priceCurrency": Attr("text", measured=False),
            },
        ),
        DeviceTypeSpec(
            "Streetlight",
            "Φωτιστικό οδού",
            "Street light",
            False,
            {
                "status": Attr(
                    "enum",
                    values=("ok", "defectiveLamp", "brokenLantern", "columnIssue"),
                    label=_("κατάσταση"),
                ),
                "powerState": Attr("enum", values=("on", "off", "low", "bootingUp"), label=_("τροφοδοσία")),
                "illuminanceLevel": Attr("number", "C62", 0, 1, label=_("στάθμη φωτισμού")),
                "powerConsumption": Attr("number", "WTT", 0, 5000, label=_("κατανάλωση ισχύος")),
                "voltage": Attr("number", "VLT", 0, 400, label=_("τάση")),
                "current": Attr("number", "AMP", 0, 1000, label=_("ένταση ρεύματος")),
                "powerFactor": Attr("number", "", 0, 1, label=_("συντελεστής ισχύος")),
                "lanternHeight": Attr("number", "MTR", 0, 40, measured=False),
                "circuit": Attr("text", measured=False),
                "refStreetlightGroup": Attr("text", measured=False),
            },
        ),
        DeviceTypeSpec(
            "AirQualityObserved",
            "Σταθμός ποιότητας αέρα",
            "Air-quality station",
            True,
            {
                "pm25": _pollutant("PM2.5"),
                "pm10": _pollutant("PM10"),
                "pm1": _pollutant("PM1"),
                "no2": _pollutant("NO₂"),
                "no": _pollutant("NO"),
                "nox": _pollutant("NOx"),
                "o3": _pollutant("O₃"),
                "so2": _pollutant("SO₂"),
                "co": Attr("number", "GQ", 0, 100000, label="CO"),
                "c6h6": _pollutant("C₆H₆"),
                "temperature": Attr("number", "CEL", -50, 60, label=_("θερμοκρασία")),
                "relativeHumidity": Attr("number", "C62", 0, 1, label=_("σχετική υγρασία")),
                "windSpeed": Attr("number", "MTS", 0, 100, label=_("ταχύτητα ανέμου")),
                "windDirection": Attr("number", "DD", 0, 360, label=_("διεύθυνση ανέμου")),
                "reliability": Attr("number", "C62", 0, 1, label=_("αξιοπιστία")),
                "typeofLocation": Attr("enum", values=("indoor", "outdoor"), measured=False),
            },
        ),
        DeviceTypeSpec(
            "NoiseLevelObserved",
            "Σταθμός θορύβου",
            "Noise station",
            True,
            {
                "LAeq": Attr("number", "2N", 0, 200, label="LAeq"),
                "LAmax": Attr("number", "2N", 0, 200, label="LAmax"),
                "LAS": Attr("number", "2N", 0, 200, label="LAS"),
                "LAeq_d": Attr("number", "2N", 0, 200, label="LAeq,d"),
                "sonometerClass": Attr("enum", values=("0", "1", "2"), measured=False),
            },
        ),
        DeviceTypeSpec(
            "WasteContainer",
            "Κάδος απορριμμάτων",
            "Waste container",
            False,
            {
                "fillingLevel": Attr("number", "C62", 0, 1, label=_("πληρότητα")),
                "temperature": Attr("number", "CEL", -40, 120, label=_("θερμοκρασία")),
                "methaneConcentration": Attr("number", "GQ", 0, 100000, label=_("μεθάνιο")),
                "cargoWeight": Attr("number", "KGM", 0, 5000, label=_("βάρος")),
                "status": Attr(
                    "enum",
                    values=("ok", "lidOpen", "dropped", "moved", "vandalized", "burning", "unknown"),
                    label=_("κατάσταση"),
                ),
                # The official example sends 80 (a percentage), the summary a ratio: both fit.
                "binFullnessThreshold": Attr("number", "", 0, 100, measured=False),
                "binCapacity": Attr("number", "LTR", 0, 100000, measured=False),
                "storedWasteKind": Attr("text", measured=False),
                "dateLastEmptying": Attr("datetime", measured=False),
            },
        ),
        DeviceTypeSpec(
            "WaterConsumptionObserved",
            "Υδρόμετρο",
            "Water meter",
            False,
            {
                "waterConsumption": Attr("number", "MTQ", 0, 1e9, label=_("κατανάλωση (σωρευτική)")),
                "minFlow": Attr("number", "E32", 0, 1e6, label=_("ελάχιστη ροή")),
                "maxFlow": Attr("number", "E32", 0, 1e6, label=_("μέγιστη ροή")),
                "alarmInProgress": Attr("integer", "", 0, 1, label=_("συναγερμός")),
                "alarmStopsLeaks": Attr("integer", "", 0, 1, label=_("διαρροή")),
                "alarmTamper": Attr("integer", "", 0, 1, label=_("παραβίαση")),
                "alarmWaterQuality": Attr("integer", "", 0, 1, label=_("ποιότητα νερού")),
                "moduleTampered": Attr("integer", "", 0, 1, label=_("παραβίαση μονάδας")),
            },
        ),
    ]
}


# UN/CEFACT codes → symbols for people.
UNIT_SYMBOLS = {
    "GQ": "µg/m³",
    "C62": "",
    "CEL": "°C",
    "WTT": "W",
    "VLT": "V",
    "AMP": "A",
    "MTR": "m",
    "MTQ": "m³",
    "E32": "L/h",  # litre per hour (UN/CEFACT); "L/H" was never a code
    "L/H": "L/h",
    "2N": "dB(A)",
    "KGM": "kg",
    "LTR": "L",
    "MTS": "m/s",
    "DD": "°",
}


# Units an integrator may send instead of the registry's: (sent, registry) → factor. The official
# WaterConsumptionObserved example sends waterConsumption in LTR, its schema.json says cubic metres.
UNIT_FACTORS = {("LTR", "MTQ"): 0.001, ("MTQ", "LTR"): 1000.0, ("L/H", "E32"): 1.0}


def unit_convert(type_code: str, name: str, value: Any, unit: str) -> Any:
    """The value in the registry's unit; AttrError (naming the attribute) for a unit it cannot convert."""
    attr = TYPES[type_code].attrs.get(name)
    if attr is None or not attr.unit or unit == attr.unit:
        return value
    factor = UNIT_FACTORS.get((unit, attr.unit))
    if factor is None:
        raise AttrError(
            gettext("Το «%(name)s» εκφράζεται σε unitCode %(unit)s, όχι %(given)s.")
            % {"name": name, "unit": attr.unit, "given": unit}
        )
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value  # check_value names the wrong type
    return round(value * factor, 9)


def unit_symbol(code: str) -> str:
    return UNIT_SYMBOLS.get(code, code)


class AttrError(ValueError):
    """A value that does not fit its attribute's schema; the message is for people."""


def check_value(type_code: str, name: str, value: Any, *, measured_only: bool = False) -> Any:
    """Return the value normalised, or raise AttrError with a message a person can act on
    (in the active language: Greek, or English where a client asked for it)."""
    spec = TYPES[type_code]
    attr = spec.attrs.get(name)
    if attr is None:
        raise AttrError(
            gettext("Άγνωστο χαρακτηριστικό «%(name)s» για τον τύπο %(type)s.")
            % {"name": name, "type": type_code}
        )
    if measured_only and not attr.measured:
        raise AttrError(
            gettext("Το «%(name)s» είναι στατικό χαρακτηριστικό της συσκευής, όχι μέτρηση.") % {"name": name}
        )
    if attr.kind in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise AttrError(gettext("Το «%(name)s» πρέπει να είναι αριθμός.") % {"name": name})
        if attr.kind == "integer":
            if float(value) != int(value):
                raise AttrError(gettext("Το «%(name)s» πρέπει να είναι ακέραιος.") % {"name": name})
            value = int(value)
        if (attr.min is not None and value < attr.min) or (attr.max is not None and value > attr.max):
            raise AttrError(
                gettext("Το «%(name)s» = %(value)s είναι εκτός φυσικού εύρους [%(min)s, %(max)s]%(unit)s.")
                % {
                    "name": name,
                    "value": value,
                    "min": f"{attr.min:g}",
                    "max": f"{attr.max:g}",
                    "unit": " " + attr.unit if attr.unit else "",
                }
            )
        return value
    if attr.kind == "enum":
        if not isinstance(value, str) or value not in attr.values:
            raise AttrError(
                gettext("Το «%(name)s» πρέπει να είναι ένα από: %(values)s.")
                % {"name": name, "values": ", ".join(attr.values)}
            )
        return value
    if attr.kind == "enumlist":
        items = value if isinstance(value, list) else [value]
        if not items or any(not isinstance(v, str) or v not in attr.values for v in items):
            raise AttrError(
                gettext("Το «%(name)s» πρέπει να περιέχει τιμές από: %(values)s.")
                % {"name": name, "values": ", ".join(attr.values)}
            )
        return items
    if attr.kind == "boolean":
        if not isinstance(value, bool):
            raise AttrError(gettext("Το «%(name)s» πρέπει να είναι true ή false.") % {"name": name})
        return value
    if attr.kind == "datetime":
        if not isinstance(value, str) or parse_datetime(value) is None:
            raise AttrError(
                gettext("Το «%(name)s» πρέπει να είναι ημερομηνία-ώρα ISO 8601.") % {"name": name}
            )
        return value
    if not isinstance(value, str | int | float) or isinstance(value, bool) or len(str(value)) > 500:
        raise AttrError(gettext("Το «%(name)s» πρέπει να είναι σύντομο κείμενο.") % {"name": name})
    return value


def parse_time(value: Any) -> datetime | None:
    """An ISO 8601 date-time with an offset (or Z); naive times are refused."""
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)  # fast path (Python 3.11 reads "Z" too)
    except ValueError:
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
    if parsed is None or parsed.tzinfo is None:
        return None
    try:  # "0001-01-01T00:00:00+14:00" parses, but has no UTC instant
        parsed.astimezone(UTC)
    except OverflowError:
        return None
    return parsed


def is_measured(type_code: str, name: str) -> bool:
    attr = TYPES[type_code].attrs.get(name)
    return bool(attr and attr.measured)
