"""The NGSI-LD listing's response cache never serves stale data or another tenant's or
another caller's answer: it is keyed by the municipality's listing version, which every
write bumps in its own transaction (whichever process writes)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from dimos.core.testing import IRAKLEIA_HOST
from dimos.sensors import services
from dimos.sensors.constants import Source
from dimos.sensors.models import Device, ListingVersion
from dimos.sensors.tests.test_ngsild import Api, spot

pytestmark = pytest.mark.django_db
LIST = "/entities?type=ParkingSpot&options=keyValues"


def statuses(api: Api, path: str = LIST) -> dict[str, Any]:
    response = api.get(path)
    assert response.status_code == 200, response.content
    return {e["id"]: e.get("status") for e in response.json()}


@pytest.fixture
def writer(token: str) -> Api:
    cache.clear()
    api = Api(token)
    assert api.post("/entityOperations/create", [spot(1), spot(2)]).status_code == 201
    return api


def test_reading_from_another_door_is_seen_at_once(writer: Api, serres: Any) -> None:
    reader = Api()
    first = statuses(reader)
    assert first[spot(1)["id"]] == "free"
    assert statuses(reader) == first  # served from the cache
    # A reading through the pipeline (as the MQTT consumer or the HTTP door stores it).
    services.readings_ingest(
        municipality=serres,
        items=[
            services.ReadingIn(
                device=spot(1)["id"], observed_at=timezone.now(), values={"status": "occupied"}
            )
        ],
        source=Source.MQTT,
    )
    assert statuses(reader)[spot(1)["id"]] == "occupied"


def test_ngsild_writes_invalidate(writer: Api) -> None:
    reader = Api()
    statuses(reader)
    assert writer.post("/entityOperations/upsert", [spot(2, status="occupied")]).status_code == 204
    assert statuses(reader)[spot(2)["id"]] == "occupied"
    patch = {"status": {"type": "Property", "value": "free", "observedAt": timezone.now().isoformat()}}
    assert writer.send("patch", f"/entities/{spot(2)['id']}/attrs", patch).status_code == 204
    assert statuses(reader)[spot(2)["id"]] == "free"
    moved = {"location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [23.55, 41.1]}}}
    assert writer.send("patch", f"/entities/{spot(2)['id']}/attrs", moved).status_code == 204
    located = {e["id"]: e["location"] for e in reader.get(LIST).json()}
    assert located[spot(2)["id"]]["coordinates"] == [23.55, 41.1]
    no_readings = {**spot(1), "status": None}
    del no_readings["status"]
    assert writer.post("/entityOperations/upsert?options=replace", [no_readings]).status_code == 204
    assert statuses(reader)[spot(1)["id"]] is None  # replace dropped the measured attribute
    assert writer.client.delete(f"/ngsi-ld/v1/entities/{spot(1)['id']}", **writer.headers).status_code == 204
    assert spot(1)["id"] not in statuses(reader)


def test_orm_and_registry_writes_invalidate(writer: Api, serres: Any) -> None:
    reader = Api()
    statuses(reader)
    device = Device.objects.get(ngsi_id=spot(1)["id"])
    device.lat = 41.1
    device.save()
    assert {e["id"]: e["location"] for e in reader.get(LIST).json()}[device.ngsi_id]["coordinates"][1] == 41.1
    services.device_create(municipality=serres, type_code="ParkingSpot", code="serres-003")
    assert "urn:ngsi-ld:ParkingSpot:serres-003" in statuses(reader)
    Device.objects.get(code="serres-003").delete()
    assert "urn:ngsi-ld:ParkingSpot:serres-003" not in statuses(reader)


def test_tenant_and_caller_are_part_of_the_key(writer: Api, serres: Any, irakleia: Any, token: str) -> None:
    services.device_create(
        municipality=irakleia, type_code="ParkingSpot", ngsi_id=spot(1)["id"], lat=41.2, lon=23.3
    )
    services.device_create(municipality=serres, type_code="WasteContainer", code="bin-1")
    serres_body = statuses(Api())
    assert set(serres_body) == {spot(1)["id"], spot(2)["id"]}
    # Same URL, other tenant: by host and by NGSILD-Tenant header.
    assert statuses(Api(host=IRAKLEIA_HOST)) == {spot(1)["id"]: None}
    assert statuses(Api(tenant="irakleia")) == {spot(1)["id"]: None}
    assert statuses(Api()) == serres_body
    # A credential holder sees the private types; an anonymous caller never gets that answer.
    every = "/entities?type=ParkingSpot,WasteContainer&options=keyValues"
    assert "urn:ngsi-ld:WasteContainer:bin-1" in statuses(Api(token), every)
    assert "urn:ngsi-ld:WasteContainer:bin-1" not in statuses(Api(), every)


def test_media_type_and_parameters_are_part_of_the_key(writer: Api) -> None:
    reader = Api()
    plain = reader.get("/entities?type=ParkingSpot")
    ld = reader.get("/entities?type=ParkingSpot", HTTP_ACCEPT="application/ld+json")
    assert ld["Content-Type"] == "application/ld+json" and "@context" in ld.json()[0]
    assert plain["Content-Type"] == "application/json" and "@context" not in plain.json()[0]
    geo = reader.get("/entities?type=ParkingSpot", HTTP_ACCEPT="application/geo+json").json()
    assert geo["type"] == "FeatureCollection"
    assert len(reader.get("/entities?type=ParkingSpot&limit=1").json()) == 1
    assert len(reader.get("/entities?type=ParkingSpot&limit=1&offset=1").json()) == 1
    counted = reader.get("/entities?type=ParkingSpot&count=true")
    assert counted["NGSILD-Results-Count"] == "2"
    assert reader.get("/entities?type=ParkingSpot&count=true")["NGSILD-Results-Count"] == "2"


def test_errors_are_never_cached_and_queries_are_constant(
    writer: Api, django_assert_num_queries: Any
) -> None:
    reader = Api()
    for _ in range(2):
        assert reader.get("/entities?type=ParkingSpot&limit=5000").status_code == 403
        assert reader.get("/entities?type=ParkingSpot&count=maybe").status_code == 400
    statuses(reader)
    with django_assert_num_queries(1):  # the version, nothing else
        statuses(reader)
    writer.post("/entityOperations/upsert", [spot(1, status="occupied")])
    with django_assert_num_queries(2):  # the version, then the page
        statuses(reader)


def test_version_moves_with_every_batch(writer: Api, serres: Any) -> None:
    before = ListingVersion.current(serres.pk)
    services.readings_ingest(
        municipality=serres,
        items=[
            services.ReadingIn(
                device=spot(1)["id"],
                observed_at=timezone.now() - timedelta(seconds=5),
                values={"status": "free"},
            )
        ],
        source=Source.HTTP,
    )
    assert ListingVersion.current(serres.pk) != before
