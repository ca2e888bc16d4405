"""Sensor datasets (EU high-value datasets): air quality, noise and parking occupancy per hour.

Built from the raw readings, one pass in time order, so that a new build only
needs the hours after the previous version's watermark (incremental, append-only).
Only whole hours are published: the current hour is still filling up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dimos.core.models import Municipality
from dimos.opendata.registry import BuildResult, Column, DatasetSpec, dataset_builder, point_geometry
from dimos.sensors.eaqi import EDGES, station_index
from dimos.sensors.models import Device, Reading

STATION = (
    Column("station", "text", "Κωδικός σταθμού", "Station code"),
    Column("station_name", "text", "Ονομασία σταθμού", "Station name"),
    Column("lat", "numeric", "Γεωγραφικό πλάτος (WGS84)", "Latitude (WGS84)"),
    Column("lon", "numeric", "Γεωγραφικό μήκος (WGS84)", "Longitude (WGS84)"),
    Column("hour", "timestamp", "Έναρξη της ώρας (ISO 8601, ώρα Ελλάδας)", "Start of the hour (ISO 8601)"),
)
POLLUTANTS = tuple(EDGES)  # pm25, pm10, no2, o3, so2


def _hour_floor(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _hourly(
    municipality: Municipality,
    type_code: str,
    since: datetime | None,
    until: datetime,
    key: Callable[[Device], tuple[str, str, float | None, float | None]],
    summarise: Callable[[tuple[str, str, float | None, float | None], datetime, list[dict]], dict | None],
) -> Iterator[dict[str, Any]]:
    """Rows per (group, hour) in time order: readings grouped by ``key(device)`` and summarised."""
    devices = {d.pk: d for d in Device.objects.filter(municipality=municipality, type__code=type_code)}
    if not devices:
        return
    groups = {pk: key(device) for pk, device in devices.items()}
    readings = Reading.objects.filter(
        municipality=municipality, device_id__in=list(devices), observed_at__lt=until
    )
    if since is not None:
        readings = readings.filter(observed_at__gte=since)
    current: datetime | None = None
    bucket: dict[tuple, list[dict]] = defaultdict(list)

    def flush() -> Iterator[dict[str, Any]]:
        for group in sorted(bucket):
            row = summarise(group, current, bucket[group])
            if row is not None:
                yield row
        bucket.clear()

    for device_id, observed_at, values in (
        readings.order_by("observed_at", "device_id")
        .values_list("device_id", "observed_at", "values")
        .iterator(chunk_size=5000)
    ):
        hour = _hour_floor(observed_at)
        if hour != current:
            if current is not None:
                yield from flush()
            current = hour
        bucket[groups[device_id]].append(values)
    if current is not None:
        yield from flush()


def _station(device: Device) -> tuple[str, str, float | None, float | None]:
    return (device.code, device.name or device.code, device.lat, device.lon)


def _now_hour() -> datetime:
    return _hour_floor(timezone.now())


def _result(rows: Iterator[dict[str, Any]], since: datetime | None) -> BuildResult:
    """Rows whose watermark follows them: the end of the last hour published (the next build starts there)."""
    result = BuildResult(rows=iter(()), watermark=since)

    def tracked() -> Iterator[dict[str, Any]]:
        for row in rows:
            end = datetime.fromisoformat(row["hour"]) + timedelta(hours=1)
            if result.watermark is None or end > result.watermark:
                result.watermark = end
            yield row

    result.rows = tracked()
    return result


def _iso(hour: datetime) -> str:
    return hour.astimezone(timezone.get_current_timezone()).isoformat()


def _mean(values: list[dict], name: str) -> float | None:
    numbers = [
        v[name] for v in values if isinstance(v.get(name), int | float) and not isinstance(v[name], bool)
    ]
    return round(sum(numbers) / len(numbers), 1) if numbers else None


AIR = DatasetSpec(
    key="air-quality-hourly",
    title_el="Ποιότητα του αέρα ανά σταθμό και ώρα",
    title_en="Air quality per station and hour",
    description_el=(
        "Ωριαίοι μέσοι όροι συγκεντρώσεων ρύπων (µg/m³) ανά σταθμό μέτρησης του δήμου, με τη ζώνη του "
        "Ευρωπαϊκού Δείκτη Ποιότητας Αέρα (EAQI, αναθεώρηση 2024). Δημοσιεύονται μόνο ολοκληρωμένες ώρες."
    ),
    description_en=(
        "Hourly mean pollutant concentrations (µg/m³) per monitoring station of the municipality, with the "
        "European Air Quality Index band (EAQI, 2024 revision). Only whole hours are published."
    ),
    themes=("ENVI",),
    keywords=("air-quality", "eaqi", "pm25", "no2", "sensors"),
    keywords_el=("ποιότητα αέρα", "ρύποι", "αισθητήρες"),
    frequency="HOURLY",
    columns=(
        *STATION,
        *(
            Column(p, "numeric", f"{p.upper()} µg/m³ (μέσος όρος ώρας)", f"{p.upper()} µg/m³ (hourly mean)")
            for p in POLLUTANTS
        ),
        Column("eaqi_band", "text", "Ζώνη EAQI (good … extremely_poor)", "EAQI band (good … extremely_poor)"),
        Column("readings", "int", "Πλήθος μετρήσεων της ώρας", "Readings in the hour"),
    ),
    hvd_category="c_dd313021",
    spatial=True,
    incremental=True,
    chart=("hour", "pm25"),
)


def _air_row(group: tuple, hour: datetime, values: list[dict]) -> dict[str, Any]:
    code, name, lat, lon = group
    means = {p: _mean(values, p) for p in POLLUTANTS}
    band, _per = station_index({k: v for k, v in means.items() if v is not None})
    return {
        "station": code,
        "station_name": name,
        "lat": lat,
        "lon": lon,
        "hour": _iso(hour),
        **means,
        "eaqi_band": band.code if band else "",
        "readings": len(values),
    }


@dataset_builder(AIR, geometry=point_geometry)
def air_quality(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    return _result(_hourly(municipality, "AirQualityObserved", since, _now_hour(), _station, _air_row), since)


NOISE = DatasetSpec(
    key="noise-hourly",
    title_el="Θόρυβος ανά σταθμό και ώρα",
    title_en="Noise per station and hour",
    description_el=(
        "Ωριαία ισοδύναμη στάθμη θορύβου LAeq (ενεργειακός μέσος όρος) και μέγιστη LAmax σε dB(A) ανά "
        "σταθμό μέτρησης του δήμου."
    ),
    description_en=(
        "Hourly equivalent noise level LAeq (energy mean) and maximum LAmax in dB(A) per noise monitoring "
        "station of the municipality."
    ),
    themes=("ENVI",),
    keywords=("noise", "sensors", "environment"),
    keywords_el=("θόρυβος", "αισθητήρες"),
    frequency="HOURLY",
    columns=(
        *STATION,
        Column(
            "laeq", "numeric", "LAeq dB(A), ενεργειακός μέσος όρος ώρας", "LAeq dB(A), hourly energy mean"
        ),
        Column("lamax", "numeric", "LAmax dB(A), μέγιστο της ώρας", "LAmax dB(A), hourly maximum"),
        Column("readings", "int", "Πλήθος μετρήσεων της ώρας", "Readings in the hour"),
    ),
    hvd_category="c_dd313021",
    spatial=True,
    incremental=True,
    chart=("hour", "laeq"),
)


def _noise_row(group: tuple, hour: datetime, values: list[dict]) -> dict[str, Any] | None:
    code, name, lat, lon = group
    laeq = [float(v["LAeq"]) for v in values if isinstance(v.get("LAeq"), int | float)]
    lamax = [float(v["LAmax"]) for v in values if isinstance(v.get("LAmax"), int | float)]
    if not laeq and not lamax:
        return None
    energy = round(10 * math.log10(sum(10 ** (x / 10) for x in laeq) / len(laeq)), 1) if laeq else None
    return {
        "station": code,
        "station_name": name,
        "lat": lat,
        "lon": lon,
        "hour": _iso(hour),
        "laeq": energy,
        "lamax": max(lamax) if lamax else None,
        "readings": len(values),
    }


@dataset_builder(NOISE, geometry=point_geometry)
def noise(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    return _result(
        _hourly(municipality, "NoiseLevelObserved", since, _now_hour(), _station, _noise_row), since
    )


PARKING = DatasetSpec(
    key="parking-occupancy-hourly",
    title_el="Πληρότητα στάθμευσης ανά ζώνη και ώρα",
    title_en="Parking occupancy per zone and hour",
    description_el=(
        "Μέσο ποσοστό κατειλημμένων θέσεων στάθμευσης ανά ζώνη (οδό ή πλατεία) και ώρα, από τους "
        "αισθητήρες θέσεων του δήμου."
    ),
    description_en=(
        "Mean share of occupied parking spaces per zone (street or square) and hour, from the "
        "municipality's parking space sensors."
    ),
    themes=("TRAN",),
    keywords=("parking", "mobility", "sensors"),
    keywords_el=("στάθμευση", "κινητικότητα", "αισθητήρες"),
    frequency="HOURLY",
    columns=(
        Column("zone", "text", "Ζώνη στάθμευσης (οδός ή πλατεία)", "Parking zone (street or square)"),
        Column(
            "hour", "timestamp", "Έναρξη της ώρας (ISO 8601, ώρα Ελλάδας)", "Start of the hour (ISO 8601)"
        ),
        Column("spaces", "int", "Θέσεις με μετρήσεις στην ώρα", "Spaces reporting in the hour"),
        Column("occupancy_pct", "numeric", "Μέση πληρότητα (%)", "Mean occupancy (%)"),
        Column("readings", "int", "Πλήθος μετρήσεων της ώρας", "Readings in the hour"),
    ),
    hvd_category="c_b79e35eb",
    incremental=True,
    chart=("hour", "occupancy_pct"),
)


def _zone(device: Device) -> tuple[str, str, None, None]:
    return (device.group or device.code, "", None, None)


def _parking_row(group: tuple, hour: datetime, values: list[dict]) -> dict[str, Any] | None:
    statuses = [v.get("status") for v in values if v.get("status") in ("occupied", "free")]
    if not statuses:
        return None
    occupied = sum(1 for s in statuses if s == "occupied")
    return {
        "zone": group[0],
        "hour": _iso(hour),
        "spaces": None,
        "occupancy_pct": round(100 * occupied / len(statuses), 1),
        "readings": len(values),
    }


@dataset_builder(PARKING)
def parking(*, municipality: Municipality, since: datetime | None = None) -> BuildResult:
    # Spaces per zone: counted once from the devices, not from the readings.
    spaces: dict[str, int] = defaultdict(int)
    for device in Device.objects.filter(municipality=municipality, type__code="ParkingSpot"):
        spaces[_zone(device)[0]] += 1

    def rows() -> Iterator[dict[str, Any]]:
        for row in _hourly(municipality, "ParkingSpot", since, _now_hour(), _zone, _parking_row):
            row["spaces"] = spaces.get(row["zone"], 0)
            yield row

    return _result(rows(), since)
