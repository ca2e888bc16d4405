"""NGSI-LD batch update/delete, Query via POST, trailing slashes and unknown paths."""

from __future__ import annotations

import pytest

from dimos.sensors.models import Device
from dimos.sensors.tests.test_ngsild import BASE, ERR, Api, problem, spot, without

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(token: str) -> Api:
    api = Api(token)
    assert api.post("/entityOperations/create/", [spot(1), spot(2, status="occupied")]).status_code == 201
    return api


def test_batch_update(api: Api) -> None:
    body = [{"id": spot(1)["id"], "type": "ParkingSpot", "status": {"type": "Property", "value": "occupied"}}]
    assert api.post("/entityOperations/update", body).status_code == 204
    assert api.get(f"/entities/{spot(1)['id']}?options=keyValues").json()["status"] == "occupied"
    free = [{"id": spot(1)["id"], "status": {"type": "Property", "value": "free"}}]
    assert api.post("/entityOperations/update?options=noOverwrite", free).status_code == 204
    assert api.get(f"/entities/{spot(1)['id']}?options=keyValues").json()["status"] == "occupied"
    mixed = [*free, {"id": "urn:ngsi-ld:ParkingSpot:none", "status": {"type": "Property", "value": "free"}}]
    response = api.post("/entityOperations/update", mixed)
    assert response.status_code == 207
    body = response.json()
    assert body["success"] == [spot(1)["id"]]
    assert body["errors"][0]["error"]["type"] == ERR + "ResourceNotFound"
    problem(api.post("/entityOperations/update?options=replace", free), "BadRequestData", 400)
    problem(api.post("/entityOperations/update", {"id": "x"}), "BadRequestData", 400)
    problem(Api().post("/entityOperations/update", free), "Unauthorized", 401)


def test_batch_delete(api: Api) -> None:
    problem(api.post("/entityOperations/delete", [{"id": spot(1)["id"]}]), "BadRequestData", 400)
    problem(api.post("/entityOperations/delete", []), "BadRequestData", 400)
    unread = [without(spot(n), "status") for n in (3, 4)]
    assert api.post("/entityOperations/create", unread).status_code == 201
    ids = [spot(3)["id"], "urn:ngsi-ld:ParkingSpot:none", spot(1)["id"]]
    response = api.post("/entityOperations/delete", ids)
    assert response.status_code == 207
    body = response.json()
    assert body["success"] == [spot(3)["id"]]
    errors = {e["entityId"]: e["error"] for e in body["errors"]}
    assert errors[spot(1)["id"]]["status"] == 409 and "deactivate" in errors[spot(1)["id"]]["detail"]
    assert errors["urn:ngsi-ld:ParkingSpot:none"]["type"] == ERR + "ResourceNotFound"
    assert api.post("/entityOperations/delete", [spot(4)["id"]]).status_code == 204
    assert set(Device.objects.values_list("ngsi_id", flat=True)) == {spot(1)["id"], spot(2)["id"]}


def test_query_post(api: Api) -> None:
    query = {
        "type": "Query",
        "entities": [{"type": "ParkingSpot"}],
        "q": 'status=="occupied"',
    }
    response = api.post("/entityOperations/query?count=true", query)
    assert response.status_code == 200
    assert [e["id"] for e in response.json()] == [spot(2)["id"]]
    assert response["NGSILD-Results-Count"] == "1"
    near = {
        "type": "Query",
        "entities": [{"type": "ParkingSpot"}],
        "geoQ": {"georel": "near;maxDistance==50", "geometry": "Point", "coordinates": [23.5495, 41.0905]},
    }
    assert len(api.post("/entityOperations/query", near).json()) == 2
    problem(api.post("/entityOperations/query", {"entities": []}), "BadRequestData", 400)
    problem(api.post("/entityOperations/query", {"type": "Query"}), "BadRequestData", 400)
    problem(api.post("/entityOperations/query", {"type": "Query", "temporalQ": {}}), "BadRequestData", 400)
    problem(api.post("/entityOperations/query", {**near, "geoQ": {"georel": "near"}}), "BadRequestData", 400)
    problem(api.post("/entityOperations/query", {"type": "Query", "entities": "x"}), "BadRequestData", 400)


def test_trailing_slash_and_unknown_paths(api: Api) -> None:
    assert api.get(f"/entities/{spot(1)['id']}/").status_code == 200
    assert api.get("/entities/?type=ParkingSpot").status_code == 200
    problem(api.get("/nothing/here"), "ResourceNotFound", 404)
    response = api.client.post(f"{BASE}/subscriptions", data="{}", content_type="application/json")
    problem(response, "ResourceNotFound", 404)
