"""The official Smart Data Models examples (tests/data/sdm, sources in its README) are accepted
unchanged by the NGSI-LD broker and read back equal, normalized and keyValues alike."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from dimos.sensors import schemas
from dimos.sensors.ngsild import convert
from dimos.sensors.tests.test_ngsild import Api

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data" / "sdm"
RESERVED = {"id", "type", "@context", "modifiedAt", "createdAt"}
EXAMPLES = sorted(p.name for p in DATA.glob("*.json*"))
# Not a URI, so not an NGSI-LD entity id (see the README): refused with 400 naming 'id'.
NOT_A_URI = {"OffStreetParking.keyvalues.json"}


def load(name: str) -> dict[str, Any]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def api(serres: Any, token: str) -> Api:
    # The examples stand in Santander, Porto, Madrid …: a municipality without a boundary takes them.
    serres.boundary = None
    serres.save()
    return Api(token)


def _value(fragment: Any) -> Any:
    normal = convert.expand(fragment)
    return normal.get("object", normal.get("value"))


def _registry_value(type_code: str, name: str, fragment: Any) -> Any:
    """What the registry keeps: the value in the registry's unit (LTR → MTQ …)."""
    normal = convert.expand(fragment)
    value = _value(fragment)
    if normal.get("unitCode") and name in schemas.TYPES[type_code].attrs:
        value = schemas.unit_convert(type_code, name, value, normal["unitCode"])
    return value


def test_every_supported_type_has_both_examples() -> None:
    for code in schemas.TYPES:
        assert f"{code}.normalized.jsonld" in EXAMPLES
        assert f"{code}.keyvalues.json" in EXAMPLES


@pytest.mark.parametrize("name", EXAMPLES)
def test_official_example_accepted_and_read_back(api: Api, name: str) -> None:
    example = load(name)
    key_values = name.endswith(".keyvalues.json")
    options = "?options=keyValues" if key_values else ""
    response = api.post(f"/entities{options}", example)
    if name in NOT_A_URI:
        assert response.status_code == 400
        assert "'id'" in response.json()["detail"]
        return
    assert response.status_code == 201, response.content
    type_code = example["type"]
    path = f"/entities/{quote(example['id'], safe=':')}"

    simple = api.get(path + "?options=keyValues").json()
    expected = {
        k: _registry_value(type_code, k, convert.from_key_values(example)[k] if key_values else v)
        for k, v in example.items()
        if k not in RESERVED
    }
    assert {k: v for k, v in simple.items() if k not in RESERVED} == expected
    assert (simple["id"], simple["type"]) == (example["id"], type_code)

    if key_values:
        return
    normalized = api.get(path).json()
    assert set(normalized) - RESERVED == set(example) - RESERVED
    for attr, given in example.items():
        if attr in RESERVED:
            continue
        back, sent = normalized[attr], convert.expand(given)
        if not schemas.is_measured(type_code, attr):
            assert back == sent, attr  # static attributes keep every sub-attribute
            continue
        # Measured properties live in the readings: value (in the registry's unit), unitCode,
        # observedAt (the same instant) come back; other sub-attributes are not kept.
        assert back["value"] == _registry_value(type_code, attr, given), attr
        unit = schemas.TYPES[type_code].attrs[attr].unit
        assert back.get("unitCode") == (unit or None), attr
        if "observedAt" in sent:
            assert schemas.parse_time(back["observedAt"]) == schemas.parse_time(sent["observedAt"])


def test_parking_spot_category_is_an_array(api: Api) -> None:
    example = load("ParkingSpot.normalized.jsonld")
    bad = {**example, "category": {"type": "Property", "value": ["onStreet", "inTheRiver"]}}
    response = api.post("/entities", bad)
    assert response.status_code == 400
    assert "category" in response.json()["detail"]
    assert api.post("/entities", {**example, "category": ["offStreet"]}).status_code == 201


@pytest.mark.parametrize(
    ("attr", "value"),
    [
        ("fillingLevel", {"type": "Property", "value": 1.7}),
        ("fillingLevel", "full"),
        ("status", "onFire"),
        ("temperature", {"type": "Property", "value": 20, "unitCode": "FAH"}),
    ],
)
def test_payload_against_the_model_names_the_attribute(api: Api, attr: str, value: Any) -> None:
    example = load("WasteContainer.normalized.jsonld")
    response = api.post("/entities", {**example, attr: value})
    assert response.status_code == 400
    assert attr in response.json()["detail"]
    assert api.get(f"/entities/{example['id']}").status_code == 404  # nothing half-written


def test_litres_are_kept_as_cubic_metres(api: Api) -> None:
    example = load("WaterConsumptionObserved.normalized.jsonld")
    assert api.post("/entities", example).status_code == 201
    back = api.get(f"/entities/{example['id']}").json()["waterConsumption"]
    assert (back["value"], back["unitCode"]) == (191.051, "MTQ")
