"""Reads of the sensor platform (always scoped by municipality)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from dimos.core.models import Municipality
from dimos.core.search import search_q
from dimos.sensors.constants import AlarmStatus
from dimos.sensors.models import Alarm, Device, DeviceType, Reading


def devices(municipality: Municipality, type_code: str | None = None) -> QuerySet[Device]:
    qs = Device.objects.select_related("type", "state", "unit", "department").filter(
        municipality=municipality
    )
    if type_code:
        qs = qs.filter(type__code=type_code)
    return qs.order_by("group", "name", "ngsi_id")


def public_devices(municipality: Municipality, type_code: str | None = None) -> QuerySet[Device]:
    """Devices shown on the public pages: deactivated ones (taken out of service) are not."""
    return devices(municipality, type_code).filter(is_active=True)


REGISTRY_STATUSES = ("online", "offline", "inactive")


def device_registry(
    municipality: Municipality,
    *,
    type_code: str = "",
    status: str = "",
    unit_id: int | None = None,
    search: str = "",
    now: datetime | None = None,
) -> QuerySet[Device]:
    """The operator's device list: filters by type, online/offline/inactive, municipal unit and a
    search over name, place, NGSI-LD id, DevEUI and TTN device id (devices of ONE municipality).

    The search is accent- and case-blind (``core.search``): «πλατεια» finds «Πλατεία»."""
    qs = devices(municipality, type_code or None).order_by("ngsi_id")
    if unit_id is not None:
        qs = qs.filter(unit_id=unit_id)
    if status in ("online", "offline"):
        now = now or timezone.now()
        online = Q(pk__in=[])
        for device_type in DeviceType.objects.all():
            cutoff = now - timedelta(minutes=device_type.offline_after_minutes)
            online |= Q(type=device_type, state__received_at__gte=cutoff)
        qs = (
            qs.filter(online, is_active=True)
            if status == "online"
            else qs.filter(is_active=True).exclude(online)
        )
    elif status == "inactive":
        qs = qs.filter(is_active=False)
    search = search.strip()
    if search:
        compact = re.sub(r"[\s:-]", "", search).upper()
        match = search_q(search)
        if compact:
            match |= Q(dev_eui__contains=compact)
        qs = qs.filter(match)
    return qs


def state_of(device: Device) -> dict[str, Any]:
    try:
        return device.state.values
    except Device.state.RelatedObjectDoesNotExist:
        return {}


def last_seen(device: Device) -> datetime | None:
    try:
        return device.state.received_at
    except Device.state.RelatedObjectDoesNotExist:
        return None


def is_online(device: Device, now: datetime | None = None) -> bool:
    seen = last_seen(device)
    now = now or timezone.now()
    return seen is not None and now - seen <= timedelta(minutes=device.type.offline_after_minutes)


@dataclass
class ParkingGroup:
    name: str
    free: int
    total: int
    kind: str  # street | offstreet
    lat: float | None
    lon: float | None
    updated: datetime | None


def parking_now(municipality: Municipality) -> list[ParkingGroup]:
    """Free spaces now, by street (on-street spots) and by parking (off-street)."""
    groups: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"free": 0, "total": 0, "lat": [], "lon": [], "updated": None}
    )
    result = []
    now = timezone.now()
    for device in public_devices(municipality, "ParkingSpot"):
        g = groups[device.group or device.name or device.code]
        g["total"] += 1
        online = is_online(device, now)
        if online and state_of(device).get("status") == "free":
            g["free"] += 1
        if device.lat is not None:
            g["lat"].append(device.lat)
            g["lon"].append(device.lon)
        seen = last_seen(device)
        if seen and (g["updated"] is None or seen > g["updated"]):
            g["updated"] = seen
    for name, g in groups.items():
        result.append(
            ParkingGroup(
                name=name,
                free=g["free"],
                total=g["total"],
                kind="street",
                lat=sum(g["lat"]) / len(g["lat"]) if g["lat"] else None,
                lon=sum(g["lon"]) / len(g["lon"]) if g["lon"] else None,
                updated=g["updated"],
            )
        )
    for device in public_devices(municipality, "OffStreetParking"):
        values = state_of(device)
        total = device.attrs.get("totalSpotNumber", {}).get("value") or 0
        free = values.get("availableSpotNumber") if is_online(device, now) else None
        result.append(
            ParkingGroup(
                name=device.name or device.code,
                free=free if isinstance(free, int) else 0,
                total=int(total),
                kind="offstreet",
                lat=device.lat,
                lon=device.lon,
                updated=last_seen(device),
            )
        )
    return sorted(result, key=lambda g: (g.kind, g.name))


# Bucket sizes a chart may use, finest first: enough points for a device installed ten
# minutes ago, no more than ``max_points`` for a week of readings every ten seconds.
CHART_BUCKETS = tuple(timedelta(minutes=m) for m in (1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440))


def series(
    device: Device,
    attribute: str,
    *,
    since: datetime,
    bucket: timedelta | None = None,
    max_points: int = 96,
) -> list[tuple[datetime, float]]:
    """Mean of an attribute per time bucket since a moment (for charts), in one query.

    Buckets start at round local times (Europe/Athens midnight, 06:00, ...), not UTC
    ones. Without ``bucket`` the size follows the data: the finest of ``CHART_BUCKETS``
    that keeps at most ``max_points`` points, so a device with ten minutes of
    readings draws a line instead of a single hourly dot."""
    rows = Reading.objects.filter(
        municipality_id=device.municipality_id, device=device, observed_at__gte=since
    ).values_list("observed_at", "values")
    points = []
    for observed, values in rows.iterator(2000):
        value = values.get(attribute)
        if isinstance(value, int | float) and not isinstance(value, bool):
            points.append((observed, float(value)))
    if not points:
        return []
    if bucket is None:
        span = max(t for t, _ in points) - min(t for t, _ in points)
        bucket = next((b for b in CHART_BUCKETS if span / b < max_points), CHART_BUCKETS[-1])
    step = bucket.total_seconds()
    sums: dict[float, list[float]] = defaultdict(list)
    for observed, value in points:
        offset = timezone.localtime(observed).utcoffset()
        shift = offset.total_seconds() if offset is not None else 0.0
        sums[((observed.timestamp() + shift) // step) * step - shift].append(value)
    return sorted((datetime.fromtimestamp(k, tz=UTC), sum(v) / len(v)) for k, v in sums.items())


def open_alarms(municipality: Municipality) -> QuerySet[Alarm]:
    return (
        Alarm.objects.select_related("device", "device__type", "rule", "assignee")
        .filter(municipality=municipality, status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED])
        .order_by("-opened_at")
    )


def history(device: Device, limit: int = 50) -> list[Reading]:
    return list(
        Reading.objects.filter(municipality_id=device.municipality_id, device=device).order_by(
            "-observed_at"
        )[:limit]
    )
