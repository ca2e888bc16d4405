"""``manage.py sensors_sync_types``: the DeviceType rows follow the schema registry,
idempotently; the historical migration does not import the live registry."""

from __future__ import annotations

import ast
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dimos.sensors import schemas
from dimos.sensors.models import DeviceType

pytestmark = pytest.mark.django_db
MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"


def sync(*args: str) -> str:
    out = StringIO()
    call_command("sensors_sync_types", *args, stdout=out)
    return out.getvalue()


def test_in_step_with_the_registry_nothing_is_written(django_assert_num_queries: Any) -> None:
    assert sync().strip().endswith(f"0 created, 0 updated, {len(schemas.TYPES)} unchanged")
    with django_assert_num_queries(1):  # reading the rows; no write
        assert "up to date" in sync("--check")


def test_creates_the_missing_and_updates_the_changed_then_is_idempotent() -> None:
    DeviceType.objects.filter(code="NoiseLevelObserved").delete()
    DeviceType.objects.filter(code="ParkingSpot").update(name_en="Old name", offline_after_minutes=1)
    with pytest.raises(CommandError, match="NoiseLevelObserved, ParkingSpot"):
        sync("--check")
    out = sync()
    assert "NoiseLevelObserved: created" in out and "ParkingSpot: updated" in out
    assert "1 created, 1 updated" in out
    spot = DeviceType.objects.get(code="ParkingSpot")
    assert spot.name_en == "Parking spot"
    assert spot.offline_after_minutes == schemas.TYPES["ParkingSpot"].offline_after_minutes
    assert DeviceType.objects.filter(code="NoiseLevelObserved").exists()
    assert sync().strip().endswith(f"0 created, 0 updated, {len(schemas.TYPES)} unchanged")


def test_a_type_no_longer_in_the_registry_is_reported_and_kept() -> None:
    DeviceType.objects.create(code="RetiredThing", name_el="Παλιό", name_en="Old")
    assert "RetiredThing: unknown" in sync()
    assert DeviceType.objects.filter(code="RetiredThing").exists()


def test_the_historical_migration_does_not_import_the_live_registry() -> None:
    for path in MIGRATIONS.glob("[0-9]*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = [
            node.module if isinstance(node, ast.ImportFrom) else alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        ]
        assert not [m for m in imported if m and m.startswith("dimos.sensors")], path.name
