"""Device types: the ``DeviceType`` rows mirror the schema registry (``dimos.sensors.schemas``).

The registry in code is the source of truth; ``manage.py sensors_sync_types`` (and the
demo setup) copies it into the table. Migrations never read the live registry.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed
from dimos.sensors import schemas
from dimos.sensors.models import DeviceType

# Device types by id, per process: a handful of rows that change with deployments only.
_TYPES_CACHE: dict[str, Any] = {"at": 0.0, "by_pk": {}}
_TYPES_CACHE_SECONDS = 60


def device_type_fields(spec: schemas.DeviceTypeSpec) -> dict[str, Any]:
    """The column values of the ``DeviceType`` row for one registry entry."""
    return {
        "name_el": spec.name_el,
        "name_en": spec.name_en,
        "is_public": spec.public,
        "offline_after_minutes": spec.offline_after_minutes,
        "schema": {
            name: {
                "kind": a.kind,
                "unit": a.unit,
                "min": a.min,
                "max": a.max,
                "values": list(a.values),
                "measured": a.measured,
            }
            for name, a in spec.attrs.items()
        },
    }


def device_types_plan() -> dict[str, str]:
    """What ``device_types_sync`` would do, per type code: ``created``, ``updated`` or
    ``unchanged``; a row whose code is no longer in the registry is ``unknown`` (kept:
    devices may still refer to it)."""
    rows = {t.code: t for t in DeviceType.objects.all()}
    plan = {}
    for code, spec in schemas.TYPES.items():
        row = rows.get(code)
        if row is None:
            plan[code] = "created"
        elif any(getattr(row, k) != v for k, v in device_type_fields(spec).items()):
            plan[code] = "updated"
        else:
            plan[code] = "unchanged"
    for code in rows.keys() - schemas.TYPES.keys():
        plan[code] = "unknown"
    return plan


@transaction.atomic
def device_types_sync() -> dict[str, DeviceType]:
    """Create or refresh the DeviceType rows from ``schemas.TYPES``.

    Idempotent: a row that already matches the registry is not written again."""
    rows = {t.code: t for t in DeviceType.objects.select_for_update()}
    result = {}
    for code, spec in schemas.TYPES.items():
        fields = device_type_fields(spec)
        row = rows.get(code)
        if row is None:
            row = DeviceType.objects.create(code=code, **fields)
        elif any(getattr(row, k) != v for k, v in fields.items()):
            for key, value in fields.items():
                setattr(row, key, value)
            row.save()
        result[code] = row
    return result


def device_types_by_pk(*, refresh: bool = False) -> dict[int, DeviceType]:
    """Device types by id, cached in the process for a minute (cleared when a type is saved)."""
    stale = time.monotonic() - _TYPES_CACHE["at"] > _TYPES_CACHE_SECONDS
    if refresh or stale or not _TYPES_CACHE["by_pk"]:
        _TYPES_CACHE["by_pk"] = {t.pk: t for t in DeviceType.objects.defer("schema")}
        _TYPES_CACHE["at"] = time.monotonic()
    return _TYPES_CACHE["by_pk"]


def device_types_cache_clear(**_kwargs: Any) -> None:
    """Signal receiver: a device type was saved or deleted."""
    _TYPES_CACHE["at"] = 0.0
    _TYPES_CACHE["by_pk"] = {}


def device_type_get(code: str) -> DeviceType:
    """The type row of a registry code (synchronised on first use if the table lags the code)."""
    if code not in schemas.TYPES:
        raise ValidationFailed(_("Άγνωστος τύπος συσκευής «%(code)s».") % {"code": code}, field="type")
    found = DeviceType.objects.filter(code=code).first()
    return found or device_types_sync()[code]
