"""NGSI-LD API: entities CRUD, batch operations, queries, content negotiation, errors."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST
from dimos.sensors.models import Device, DeviceState, Reading

pytestmark = pytest.mark.django_db
BASE = "/ngsi-ld/v1"
CORE = "https://uri.etsi.org/ngsi-ld/v1/ngsi-ld-core-context.jsonld"
LINK = f'<{CORE}>; rel="http://www.w3.org/ns/json-ld#context"; type="application/ld+json"'
ERR = "https://uri.etsi.org/ngsi-ld/errors/"


class Api:
    def __init__(self, token: str | None = None, host: str = SERRES_HOST, tenant: str | None = None) -> None:
        self.client = Client(HTTP_HOST=host)
        self.headers: dict[str, str] = {}
        if token:
            self.headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        if tenant:
            self.headers["HTTP_NGSILD_TENANT"] = tenant

    def get(self, path: str, **extra: Any) -> Any:
        return self.client.get(BASE + path, **{**self.headers, **extra})

    def send(
        self, method: str, path: str, body: Any, content_type: str = "application/json", **extra: Any
    ) -> Any:
        data = body if isinstance(body, str) else json.dumps(body)
        return getattr(self.client, method)(
            BASE + path, data=data, content_type=content_type, **{**self.headers, **extra}
        )

    def post(self, path: str, body: Any, **kw: Any) -> Any:
        return self.send("post", path, body, **kw)


def spot(
    n: int, status: str = "free", lon: float = 23.5495, lat: float = 41.0905, **extra: Any
) -> dict[str, Any]:
    return {
        "id": f"urn:ngsi-ld:ParkingSpot:serres-{n:03d}",
        "type": "ParkingSpot",
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [lon, lat]}},
        "status": {
            "type": "Property",
            "value": status,
            "observedAt": (timezone.now() - timedelta(minutes=1)).isoformat(),
        },
        "category": {"type": "Property", "value": "onStreet"},
        "refParkingSite": {"type": "Relationship", "object": "urn:ngsi-ld:OffStreetParking:centre"},
        **extra,
    }


def without(entity: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in entity.items() if k not in names}


def problem(response: Any, name: str, status: int) -> None:
    assert response.status_code == status, response.content
    body = response.json()
    assert body["type"] == ERR + name
    assert body["status"] == status and body["title"] and body["detail"]


@pytest.fixture
def api(token: str) -> Api:
    return Api(token)


def test_create_read_delete(api: Api) -> None:
    response = api.post("/entities", spot(1))
    assert response.status_code == 201
    assert response["Location"] == f"{BASE}/entities/urn:ngsi-ld:ParkingSpot:serres-001"
    device = Device.objects.get(ngsi_id="urn:ngsi-ld:ParkingSpot:serres-001")
    assert device.unit is not None
    assert Reading.objects.filter(device=device).count() == 1
    got = api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-001")
    assert got.status_code == 200
    assert got["Content-Type"] == "application/json"
    assert CORE in got["Link"]
    body = got.json()
    assert body["status"]["value"] == "free" and body["status"]["observedAt"].endswith("Z")
    assert body["refParkingSite"] == {"type": "Relationship", "object": "urn:ngsi-ld:OffStreetParking:centre"}
    assert body["location"]["value"]["coordinates"] == [23.5495, 41.0905]
    kv = api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-001?options=keyValues").json()
    assert kv["status"] == "free" and kv["category"] == ["onStreet"]  # an array, as in schema.json
    assert "createdAt" in api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-001?options=sysAttrs").json()
    ld = api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-001", HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"] == "application/ld+json" and ld.json()["@context"] == CORE
    geo = api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-001", HTTP_ACCEPT="application/geo+json").json()
    assert geo["type"] == "Feature" and geo["geometry"]["type"] == "Point"
    # A device with readings is not deleted (as in the registry): deactivate it instead.
    kept = api.client.delete(f"{BASE}/entities/urn:ngsi-ld:ParkingSpot:serres-001", **api.headers)
    problem(kept, "OperationNotSupported", 409)
    assert "deactivate" in kept.json()["detail"] and Device.objects.filter(pk=device.pk).exists()
    # One registered by mistake, with no readings, is deleted, and the deletion is audited.
    assert api.post("/entities", without(spot(2), "status")).status_code == 201
    assert (
        api.client.delete(f"{BASE}/entities/urn:ngsi-ld:ParkingSpot:serres-002", **api.headers).status_code
        == 204
    )
    problem(api.get("/entities/urn:ngsi-ld:ParkingSpot:serres-002"), "ResourceNotFound", 404)
    actions = list(
        AuditEvent.objects.filter(action__startswith="sensors.device_").values_list("action", flat=True)
    )
    assert sorted(actions) == ["sensors.device_created", "sensors.device_created", "sensors.device_deleted"]
    problem(api.client.delete(f"{BASE}/entities/urn:x:y", **api.headers), "ResourceNotFound", 404)


def test_create_errors(api: Api) -> None:
    assert api.post("/entities", spot(1)).status_code == 201
    problem(api.post("/entities", spot(1)), "AlreadyExists", 409)
    problem(api.post("/entities", {**spot(2), "type": "Spaceship"}), "BadRequestData", 400)
    problem(api.post("/entities", {**spot(2), "id": "not a uri"}), "BadRequestData", 400)
    problem(api.post("/entities", spot(2, status="parked")), "BadRequestData", 400)
    problem(api.post("/entities", {**spot(2), "status": {"type": "Property"}}), "BadRequestData", 400)
    problem(api.post("/entities", "{broken", content_type="application/json"), "InvalidRequest", 400)
    problem(api.post("/entities", spot(2), content_type="text/plain"), "UnsupportedMediaType", 415)
    future = spot(3)
    future["status"]["observedAt"] = (timezone.now() + timedelta(days=2)).isoformat()
    problem(api.post("/entities", future), "BadRequestData", 400)
    bad_unit = {
        "id": "urn:ngsi-ld:AirQualityObserved:x",
        "type": "AirQualityObserved",
        "pm25": {"type": "Property", "value": 12, "unitCode": "PPM"},
    }
    problem(api.post("/entities", bad_unit), "BadRequestData", 400)
    negative = {
        "id": "urn:ngsi-ld:AirQualityObserved:y",
        "type": "AirQualityObserved",
        "pm25": {"type": "Property", "value": -3},
    }
    problem(api.post("/entities", negative), "BadRequestData", 400)
    # Nothing of the refused entities was stored.
    assert Device.objects.count() == 1 and Reading.objects.count() == 1


def test_ld_json_and_link_header(api: Api) -> None:
    body = {**spot(1), "@context": CORE}
    problem(
        api.post("/entities", body, content_type="application/ld+json", HTTP_LINK=LINK), "BadRequestData", 400
    )
    problem(api.post("/entities", spot(1), content_type="application/ld+json"), "BadRequestData", 400)
    assert api.post("/entities", body, content_type="application/ld+json").status_code == 201
    # application/json with a context Link header is fine; expanded names are compacted.
    expanded = spot(2)
    expanded["https://smartdatamodels.org/dataModel.Parking/status"] = expanded.pop("status")
    assert api.post("/entities", expanded, HTTP_LINK=LINK).status_code == 201
    assert DeviceState.objects.get(device__ngsi_id=expanded["id"]).values["status"] == "free"


def test_accept_negotiation(api: Api) -> None:
    api.post("/entities", spot(1))
    problem(api.get("/entities?type=ParkingSpot", HTTP_ACCEPT="text/html"), "NotAcceptable", 406)
    assert api.get("/entities?type=ParkingSpot", HTTP_ACCEPT="*/*").status_code == 200
    assert (
        api.get("/entities?type=ParkingSpot", HTTP_ACCEPT="text/html, application/json;q=0.5").status_code
        == 200
    )
    fc = api.get("/entities?type=ParkingSpot", HTTP_ACCEPT="application/geo+json")
    assert fc["Content-Type"] == "application/geo+json" and fc.json()["type"] == "FeatureCollection"
    problem(
        api.post("/entityOperations/upsert", [spot(1)], HTTP_ACCEPT="application/geo+json"),
        "NotAcceptable",
        406,
    )


def test_writes_need_a_credential(token: str, irakleia_token: str, serres: Any) -> None:
    problem(Api().post("/entities", spot(1)), "Unauthorized", 401)
    problem(Api("dms_0000_bad").post("/entities", spot(1)), "Unauthorized", 401)
    # Another tenant's credential does not write into Serres.
    problem(Api(irakleia_token).post("/entities", spot(1)), "Unauthorized", 401)
    problem(Api().post("/entityOperations/upsert", [spot(1)]), "Unauthorized", 401)
    assert not Device.objects.exists()


def test_tenant_header(token: str, irakleia_token: str, irakleia: Any) -> None:
    problem(Api(token, tenant="atlantis").get("/entities?type=ParkingSpot"), "NonexistentTenant", 404)
    # The Irakleia credential writes to Irakleia when the tenant header says so (any host).
    irakleia_spot = without(spot(9), "location")
    assert Api(irakleia_token, tenant="irakleia").post("/entities", irakleia_spot).status_code == 201
    assert Device.objects.get().municipality == irakleia
    assert Api(tenant="serres").get("/entities?type=ParkingSpot").json() == []
    assert len(Api(tenant="irakleia").get("/entities?type=ParkingSpot").json()) == 1


def test_public_types_open_private_types_need_credential(api: Api) -> None:
    lamp = {
        "id": "urn:ngsi-ld:Streetlight:l1",
        "type": "Streetlight",
        "status": {"type": "Property", "value": "ok"},
    }
    assert api.post("/entityOperations/create", [spot(1), lamp]).status_code == 201
    anon = Api()
    assert [e["id"] for e in anon.get("/entities?type=ParkingSpot,Streetlight").json()] == [spot(1)["id"]]
    problem(anon.get("/entities/urn:ngsi-ld:Streetlight:l1"), "ResourceNotFound", 404)
    assert api.get("/entities/urn:ngsi-ld:Streetlight:l1").json()["status"]["value"] == "ok"


def test_query_parameters(api: Api) -> None:
    entities = [
        spot(i, status="free" if i % 2 else "occupied", lon=23.5495 + i * 0.001) for i in range(1, 11)
    ]
    bin_ = {
        "id": "urn:ngsi-ld:WasteContainer:b1",
        "type": "WasteContainer",
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [23.55, 41.09]}},
        "fillingLevel": {"type": "Property", "value": 0.9},
    }
    assert api.post("/entityOperations/create", [*entities, bin_]).status_code == 201
    problem(api.get("/entities"), "BadRequestData", 400)
    page = api.get("/entities?type=ParkingSpot&limit=3&offset=2&count=true")
    assert page["NGSILD-Results-Count"] == "10"
    assert [e["id"] for e in page.json()] == [e["id"] for e in entities[2:5]]
    assert len(api.get("/entities?type=ParkingSpot").json()) == 10
    free = api.get('/entities?type=ParkingSpot&q=status=="free"').json()
    assert len(free) == 5 and all(e["status"]["value"] == "free" for e in free)
    assert len(api.get("/entities?type=ParkingSpot&q=status!=free").json()) == 5
    assert len(api.get("/entities?type=ParkingSpot&q=status==free,occupied").json()) == 10
    assert [e["id"] for e in api.get("/entities?q=fillingLevel>0.8").json()] == [bin_["id"]]
    assert api.get("/entities?q=fillingLevel<0.8").json() == []
    assert len(api.get("/entities?type=WasteContainer&q=fillingLevel==0.5..1").json()) == 1
    assert len(api.get("/entities?type=ParkingSpot&q=category==onStreet").json()) == 10
    assert len(api.get("/entities?idPattern=.*serres-00[1-3]$").json()) == 3
    ids = f"{entities[0]['id']},{entities[1]['id']}"
    assert len(api.get(f"/entities?id={ids}").json()) == 2
    only = api.get("/entities?type=ParkingSpot&attrs=status&limit=1").json()[0]
    assert set(only) == {"id", "type", "status"}
    assert [e["id"] for e in api.get("/entities?attrs=fillingLevel").json()] == [bin_["id"]]
    near = api.get(
        "/entities?type=ParkingSpot&georel=near;maxDistance==250&geometry=Point&coordinates=[23.5495,41.0905]"
    ).json()
    assert 1 <= len(near) < 10
    poly = json.dumps(
        [[[23.5490, 41.08], [23.5530, 41.08], [23.5530, 41.10], [23.5490, 41.10], [23.5490, 41.08]]]
    )
    within = api.get(
        f"/entities?type=ParkingSpot&georel=within&geometry=Polygon&coordinates={poly}&count=true"
    )
    assert within["NGSILD-Results-Count"] == "3"
    for bad in [
        "type=ParkingSpot&limit=-1",
        "type=ParkingSpot&limit=x",
        "type=ParkingSpot&count=maybe",
        "q=status===",
        "idPattern=([",
        "type=ParkingSpot&georel=near;maxDistance==10",
        "type=ParkingSpot&georel=near&geometry=Point&coordinates=[23.5,41]",
        "type=ParkingSpot&georel=within&geometry=Point&coordinates=[23.5,41]",
        "type=ParkingSpot&georel=sideways&geometry=Point&coordinates=[23.5,41]",
        "type=ParkingSpot&georel=near;maxDistance==10&geometry=Point&coordinates=oops",
        "type=ParkingSpot&bogus=1",
    ]:
        problem(api.get(f"/entities?{bad}"), "BadRequestData", 400)
    problem(api.get("/entities?type=ParkingSpot&limit=5000"), "TooManyResults", 403)
    problem(api.get("/entities?q=(status==free)|(status==occupied)"), "OperationNotSupported", 422)


def test_batch_create_and_upsert(api: Api) -> None:
    response = api.post("/entityOperations/create", [spot(1), spot(2)])
    assert response.status_code == 201 and sorted(response.json()) == [spot(1)["id"], spot(2)["id"]]
    mixed = api.post(
        "/entityOperations/create", [spot(2), spot(3), {**spot(4), "type": "Nope"}, spot(5, status="x")]
    )
    assert mixed.status_code == 207
    body = mixed.json()
    assert body["success"] == [spot(3)["id"]]
    errors = {e["entityId"]: e["error"]["type"] for e in body["errors"]}
    assert errors == {
        spot(2)["id"]: ERR + "AlreadyExists",
        spot(4)["id"]: ERR + "BadRequestData",
        spot(5)["id"]: ERR + "BadRequestData",
    }
    assert not Device.objects.filter(ngsi_id__in=[spot(4)["id"], spot(5)["id"]]).exists()
    # Upsert: all updates → 204; with a creation → 201 + created ids.
    later = spot(1, status="occupied")
    later["status"]["observedAt"] = timezone.now().isoformat()
    assert api.post("/entityOperations/upsert", [later]).status_code == 204
    assert DeviceState.objects.get(device__ngsi_id=later["id"]).values["status"] == "occupied"
    created = api.post("/entityOperations/upsert?options=update", [spot(1), spot(6)])
    assert created.status_code == 201 and created.json() == [spot(6)["id"]]
    problem(api.post("/entityOperations/upsert?options=merge", [spot(1)]), "BadRequestData", 400)
    problem(api.post("/entityOperations/create", {"id": "x"}), "BadRequestData", 400)
    problem(api.post("/entityOperations/create", []), "BadRequestData", 400)
    too_many = [spot(i) for i in range(1001)]
    problem(api.post("/entityOperations/upsert", too_many), "BadRequestData", 400)
    # Upsert again of the same observation is idempotent.
    count = Reading.objects.count()
    api.post("/entityOperations/upsert", [later])
    assert Reading.objects.count() == count


def test_upsert_replace_drops_static_attrs_update_keeps(api: Api) -> None:
    api.post("/entities", spot(1, width={"type": "Property", "value": 2.5}))
    api.post(
        "/entityOperations/upsert?options=update",
        [{"id": spot(1)["id"], "type": "ParkingSpot", "length": {"type": "Property", "value": 5}}],
    )
    device = Device.objects.get()
    assert {"width", "length", "category"} <= set(device.attrs)
    api.post(
        "/entityOperations/upsert",
        [{"id": spot(1)["id"], "type": "ParkingSpot", "length": {"type": "Property", "value": 5}}],
    )
    device.refresh_from_db()
    assert set(device.attrs) == {"length"}
    assert DeviceState.objects.get().values == {}


def test_append_and_update_attrs(api: Api) -> None:
    api.post("/entities", spot(1))
    path = f"/entities/{spot(1)['id']}/attrs"
    assert api.post(path, {"width": {"type": "Property", "value": 2.4}}).status_code == 204
    partial = api.post(
        path + "?options=noOverwrite",
        {"width": {"type": "Property", "value": 3}, "length": {"type": "Property", "value": 5}},
    )
    assert partial.status_code == 207
    assert partial.json()["notUpdated"][0]["attributeName"] == "width"
    assert Device.objects.get().attrs["width"]["value"] == 2.4
    assert api.send("patch", path, {"status": {"type": "Property", "value": "occupied"}}).status_code == 204
    assert DeviceState.objects.get().values["status"] == "occupied"
    missing = api.send("patch", path, {"refParkingGroup": {"type": "Relationship", "object": "urn:x:g"}})
    assert (
        missing.status_code == 207 and missing.json()["notUpdated"][0]["attributeName"] == "refParkingGroup"
    )
    problem(
        api.send("patch", path, {"status": {"type": "Property", "value": "flying"}}), "BadRequestData", 400
    )
    problem(api.send("patch", path, {}), "BadRequestData", 400)
    problem(
        api.send("patch", "/entities/urn:x:none/attrs", {"status": {"type": "Property", "value": "free"}}),
        "ResourceNotFound",
        404,
    )
    problem(Api().send("patch", path, {"status": {"type": "Property", "value": "free"}}), "Unauthorized", 401)


def test_temporal(api: Api) -> None:
    now = timezone.now()
    entity = spot(1)
    api.post("/entities", entity)
    path = f"/entities/{entity['id']}/attrs"
    for i, status in enumerate(["occupied", "free", "occupied"]):
        stamp = (now - timedelta(minutes=30 - i * 10)).isoformat()
        api.send("patch", path, {"status": {"type": "Property", "value": status, "observedAt": stamp}})
    t = f"/temporal/entities/{entity['id']}"
    full = api.get(t).json()
    assert len(full["status"]) == 4
    assert [i["value"] for i in api.get(t + "?lastN=2").json()["status"]] == ["occupied", "free"]
    since = (now - timedelta(minutes=15)).isoformat().replace("+", "%2B")
    after = api.get(f"{t}?timerel=after&timeAt={since}").json()
    assert [i["value"] for i in after["status"]] == ["occupied", "free"]
    tv = api.get(t + "?options=temporalValues&lastN=1").json()
    assert tv["status"]["values"][0][0] == "free"
    problem(api.get(t + "?timerel=after"), "BadRequestData", 400)
    problem(api.get(t + "?timerel=sometime&timeAt=2026-01-01T00:00:00Z"), "BadRequestData", 400)
    problem(api.get(t + "?timerel=between&timeAt=2026-01-01T00:00:00Z"), "BadRequestData", 400)
    problem(api.get(t + "?lastN=0"), "BadRequestData", 400)
    problem(api.get("/temporal/entities/urn:x:none"), "ResourceNotFound", 404)


def test_method_not_allowed(api: Api) -> None:
    response = api.client.put(f"{BASE}/entities", **api.headers)
    assert response.status_code == 405 and "GET" in response["Allow"]
