"""The sensors device registry (a staff page) against the layout floor.

Target (issue 10): median ≤ 2.5 × the layout floor (``/bench/layout-floor/``,
same middleware, same user) with every cache empty for the measured requests,
and a query count of at most 10 that is the same with 1,000 devices as with
10,000 (each with its current state, a third of them seen too long ago to be
online, one in twenty deactivated).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from bench.common import (
    LAYOUT_FLOOR,
    Timer,
    analyze,
    cold_queries,
    fresh_database,
    page_result,
    write_results,
)

SMALL = 1_000


def _add_devices(municipality: Any, start: int, count: int) -> None:
    from django.utils import timezone

    from dimos.core.models import Department, MunicipalUnit
    from dimos.sensors.models import Device, DeviceState, DeviceType

    types = list(DeviceType.objects.order_by("code"))
    units = list(MunicipalUnit.objects.filter(municipality=municipality).order_by("pk"))
    departments = list(Department.objects.filter(municipality=municipality).order_by("pk"))
    now = timezone.now()
    devices = Device.objects.bulk_create(
        (
            Device(
                municipality=municipality,
                type=types[i % len(types)],
                ngsi_id=f"urn:ngsi-ld:{types[i % len(types)].code}:bench-{i:06d}",
                code=f"bench-{i:06d}",
                name=f"Αισθητήρας {i}",
                group=f"Οδός {i % 200}",
                lat=41.03 + (i % 1000) / 10_000,
                lon=23.48 + (i % 997) / 10_000,
                unit=units[i % len(units)] if units else None,
                department=departments[i % len(departments)] if departments else None,
                is_active=i % 20 != 0,
            )
            for i in range(start, start + count)
        ),
        batch_size=5000,
    )
    DeviceState.objects.bulk_create(
        (
            DeviceState(
                municipality=municipality,
                device=device,
                observed_at=now - timedelta(hours=5 if i % 3 == 0 else 0, minutes=i % 60),
                received_at=now - timedelta(hours=5 if i % 3 == 0 else 0, minutes=i % 60),
                values={"status": "free" if i % 2 else "occupied"},
            )
            for i, device in enumerate(devices)
        ),
        batch_size=5000,
    )


def run(*, quick: bool = False) -> Path:
    from django.contrib.auth import get_user_model

    from dimos.core import demo
    from dimos.sensors import services

    fresh_database()
    ctx = demo.seed()
    services.device_types_sync()
    total = 3_000 if quick else 10_000
    _add_devices(ctx.serres, 0, SMALL)
    analyze()
    admin = Timer()
    admin.client.force_login(get_user_model().objects.get(username="admin.serres"))
    pages = [
        ("device_registry", "/staff/sensors/devices/"),
        ("device_registry_page_2", "/staff/sensors/devices/?page=2"),
        ("device_registry_offline", "/staff/sensors/devices/?status=offline"),
        ("device_registry_search", "/staff/sensors/devices/?q=bench-0001"),
    ]
    small = {name: cold_queries(admin.get(path)) for name, path in pages}
    _add_devices(ctx.serres, SMALL, total - SMALL)
    analyze()
    n = 50 if quick else 200
    rows = [
        page_result(
            name,
            page=admin.get(path),
            floor=admin.get(LAYOUT_FLOOR),
            n=n,
            queries_small=small[name],
            rows_small=SMALL,
            rows_full=total,
            params={"path": path, "data": "devices, each with its current state", "user": "admin.serres"},
        )
        for name, path in pages
    ]
    return write_results("sensors", rows)
