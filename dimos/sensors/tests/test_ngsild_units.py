"""NGSI-LD: when an entity's location changes, its municipal unit follows (every write path)."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.sensors.models import Device
from dimos.sensors.tests.test_ngsild import Api, spot

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:ParkingSpot:serres-001"
# Inside the municipality but outside its only unit (the city square of the fixtures).
OUTSIDE_UNIT = (41.30, 23.45)
CITY = (41.0905, 23.5495)


def _location(lat: float, lon: float) -> dict[str, Any]:
    return {"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}}}


def _unit() -> str | None:
    unit = Device.objects.get(ngsi_id=ID).unit
    return unit.name_el if unit else None


@pytest.fixture
def api(token: str) -> Api:
    api = Api(token)
    assert api.post("/entities", spot(1)).status_code == 201
    assert _unit() == "Σερρών"
    return api


def test_patch_attrs_recomputes_unit(api: Api) -> None:
    assert api.send("patch", f"/entities/{ID}/attrs", _location(*OUTSIDE_UNIT)).status_code == 204
    assert _unit() is None
    assert api.send("patch", f"/entities/{ID}/attrs", _location(*CITY)).status_code == 204
    assert _unit() == "Σερρών"


def test_post_attrs_recomputes_unit(api: Api) -> None:
    assert api.post(f"/entities/{ID}/attrs", _location(*OUTSIDE_UNIT)).status_code == 204
    assert _unit() is None


def test_attrs_without_location_keep_unit(api: Api) -> None:
    body = {"category": {"type": "Property", "value": "offStreet"}}
    assert api.send("patch", f"/entities/{ID}/attrs", body).status_code == 204
    assert _unit() == "Σερρών"


@pytest.mark.parametrize("options", ["", "?options=update", "?options=replace"])
def test_upsert_recomputes_unit(api: Api, options: str) -> None:
    lat, lon = OUTSIDE_UNIT
    moved = spot(1, lat=lat, lon=lon)
    assert api.post(f"/entityOperations/upsert{options}", [moved]).status_code == 204
    assert _unit() is None
    back = spot(1, lat=CITY[0], lon=CITY[1])
    assert api.post(f"/entityOperations/upsert{options}", [back, spot(2)]).status_code == 201
    assert _unit() == "Σερρών"
