"""NGSI-LD through the registry's door, and credentials with scopes (issue 11).

Before: the API deleted a device with readings, accepted a point in Paris, left no
audit event, answered 204 to a deactivated device's readings while storing nothing,
read as anonymous with a wrong token, and answered 400 to a device-bound credential
creating another entity."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.models import AuditEvent
from dimos.sensors import services
from dimos.sensors.constants import CredentialScope as S
from dimos.sensors.models import Credential, Device, Reading
from dimos.sensors.tests.test_ngsild import Api, problem, spot, without

pytestmark = pytest.mark.django_db
PARIS = {"lon": 2.3522, "lat": 48.8566}
STATUS = {"status": {"type": "Property", "value": "occupied"}}
NAME = {"name": {"type": "Property", "value": "Θέση 1"}}


def scoped(serres: Any, *scopes: str, device: Device | None = None) -> Api:
    return Api(services.credential_create(municipality=serres, name="k", device=device, scopes=scopes)[1])


@pytest.mark.parametrize(
    "path", ["/entities?type=ParkingSpot", "/entities/urn:ngsi-ld:ParkingSpot:x", "/temporal/entities/urn:x"]
)
@pytest.mark.parametrize("kind", ["garbage", "revoked", "other"])
def test_a_wrong_token_is_401_on_reads_too(
    kind: str, path: str, token: str, irakleia_token: str, serres: Any
) -> None:
    if kind == "revoked":
        credential = Credential.objects.get(municipality=serres)
        services.credential_revoke(municipality=serres, credential_id=credential.pk)
    value = {"garbage": "dms_0000_nope", "revoked": token, "other": irakleia_token}[kind]
    problem(Api(value).get(path), "Unauthorized", 401)
    problem(
        Api(value).post("/entityOperations/query", {"type": "Query", "entities": [{"type": "ParkingSpot"}]}),
        "Unauthorized",
        401,
    )
    assert Api().get("/entities?type=ParkingSpot").status_code == 200


def test_a_point_outside_the_municipality_is_refused(token: str) -> None:
    api = Api(token)
    problem(api.post("/entities", spot(1, **PARIS)), "BadRequestData", 400)
    response = api.post("/entityOperations/upsert", [spot(2, **PARIS)])
    assert response.status_code == 207 and response.json()["errors"][0]["error"]["status"] == 400
    assert not Device.objects.exists()
    assert api.post("/entities", spot(3)).status_code == 201
    moved = {
        "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [2.3522, 48.8566]}}
    }
    problem(api.send("patch", f"/entities/{spot(3)['id']}/attrs", moved), "BadRequestData", 400)
    assert Device.objects.get().lat == 41.0905


def test_every_device_change_is_audited(token: str) -> None:
    api = Api(token)
    assert api.post("/entities", without(spot(1), "status")).status_code == 201
    assert api.post(f"/entities/{spot(1)['id']}/attrs", NAME).status_code == 204
    assert api.client.delete(f"/ngsi-ld/v1/entities/{spot(1)['id']}", **api.headers).status_code == 204
    events = list(AuditEvent.objects.filter(action__startswith="sensors.device_").order_by("pk"))
    assert [e.action for e in events] == [
        "sensors.device_created",
        "sensors.device_updated",
        "sensors.device_deleted",
    ]
    assert all(e.new_values["via"] == "ngsi-ld" for e in events)


def test_a_deactivated_device_is_refused_not_silently_dropped(token: str, serres: Any) -> None:
    api = Api(token)
    assert api.post("/entities", spot(1)).status_code == 201
    device = Device.objects.get()
    services.device_set_active(municipality=serres, device_id=device.pk, active=False, actor=None)
    stored = Reading.objects.count()
    problem(api.send("patch", f"/entities/{spot(1)['id']}/attrs", STATUS), "OperationNotSupported", 422)
    batch = api.post("/entityOperations/upsert?options=update", [spot(1, status="occupied")])
    assert batch.status_code == 207 and batch.json()["errors"][0]["error"]["status"] == 422
    assert Reading.objects.count() == stored


def test_scopes_decide_what_a_credential_may_do(token: str, serres: Any) -> None:
    assert Api(token).post("/entities", spot(1)).status_code == 201
    device = Device.objects.get()
    own = scoped(serres, S.READ, S.WRITE_DEVICE, device=device)
    # A device-bound credential creating another entity: an authorisation error, not 400.
    problem(own.post("/entities", spot(2)), "Forbidden", 403)
    assert own.post("/entityOperations/upsert", [spot(2)]).json()["errors"][0]["error"]["status"] == 403
    assert own.send("patch", f"/entities/{spot(1)['id']}/attrs", STATUS).status_code == 204
    assert own.post(f"/entities/{spot(1)['id']}/attrs", NAME).status_code == 204  # its own device
    problem(own.client.delete(f"/ngsi-ld/v1/entities/{spot(1)['id']}", **own.headers), "Forbidden", 403)
    writer = scoped(serres, S.WRITE_MUNICIPALITY)
    problem(writer.get("/entities?type=ParkingSpot"), "Forbidden", 403)
    problem(writer.post("/entities", spot(3)), "Forbidden", 403)
    assert writer.send("patch", f"/entities/{spot(1)['id']}/attrs", STATUS).status_code == 204
    manager = scoped(serres, S.MANAGE_DEVICES)
    assert manager.post(f"/entities/{spot(1)['id']}/attrs", NAME).status_code == 204
    problem(manager.send("patch", f"/entities/{spot(1)['id']}/attrs", STATUS), "Forbidden", 403)
    problem(manager.post("/entities", spot(4)), "Forbidden", 403)  # readings need write_municipality
    assert manager.post("/entities", without(spot(4), "status")).status_code == 201
    reader = scoped(serres, S.READ)
    assert reader.get("/entities?type=ParkingSpot").status_code == 200
    problem(reader.send("patch", f"/entities/{spot(1)['id']}/attrs", STATUS), "Forbidden", 403)
    problem(reader.post("/entityOperations/upsert", [spot(1)]), "Forbidden", 403)
    assert Device.objects.count() == 2


def test_batch_needs_a_write_scope(serres: Any, spot: Any) -> None:
    from dimos.sensors.tests.test_ingest import post, ts

    reader = services.credential_create(municipality=serres, name="r", scopes=[S.READ])[1]
    body = {"readings": [{"device": spot.code, "observedAt": ts(), "values": {"status": "free"}}]}
    response = post(reader, body)
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert not Reading.objects.exists()
