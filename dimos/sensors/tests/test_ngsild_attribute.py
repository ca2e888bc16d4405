"""NGSI-LD: one attribute (PATCH, DELETE), the registry's name, errors by Accept-Language."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.models import AuditEvent
from dimos.sensors import services
from dimos.sensors.constants import CredentialScope as S
from dimos.sensors.models import Device, Reading
from dimos.sensors.tests.test_ngsild import Api, spot

pytestmark = pytest.mark.django_db
ID = "urn:ngsi-ld:ParkingSpot:serres-001"
ATTR = f"/entities/{ID}/attrs"


@pytest.fixture
def api(token: str) -> Api:
    api = Api(token)
    assert api.post("/entities", spot(1)).status_code == 201
    return api


def test_patch_one_measured_attribute_is_a_reading(api: Api) -> None:
    assert api.send("patch", f"{ATTR}/status", {"type": "Property", "value": "occupied"}).status_code == 204
    assert api.get(f"/entities/{ID}?options=keyValues").json()["status"] == "occupied"
    assert Reading.objects.filter(device__ngsi_id=ID).count() == 2
    # A partial fragment (no type) keeps the attribute's kind.
    assert api.send("patch", f"{ATTR}/status", {"value": "free"}).status_code == 204
    assert api.get(f"/entities/{ID}?options=keyValues").json()["status"] == "free"


def test_patch_one_static_attribute(api: Api) -> None:
    body = {"value": ["offStreet"]}
    assert api.send("patch", f"{ATTR}/category", body).status_code == 204
    assert Device.objects.get(ngsi_id=ID).attrs["category"]["value"] == ["offStreet"]


@pytest.mark.parametrize(
    ("attr", "body", "status", "named"),
    [
        ("status", {"type": "Property", "value": "parked"}, 400, "status"),
        ("category", {"value": ["inTheRiver"]}, 400, "category"),
        ("status", {"type": "Property"}, 400, "status"),
        ("status", [1, 2], 400, "status"),
        ("width", {"value": 2.5}, 404, "width"),  # not on this entity: PATCH does not append
    ],
)
def test_patch_one_attribute_bad_input(api: Api, attr: str, body: Any, status: int, named: str) -> None:
    response = api.send("patch", f"{ATTR}/{attr}", body)
    assert response.status_code == status
    assert named in response.json()["detail"]
    assert api.get(f"/entities/{ID}?options=keyValues").json()["status"] == "free"  # unchanged


def test_delete_one_attribute(api: Api) -> None:
    assert api.send("delete", f"{ATTR}/refParkingSite", "").status_code == 204
    assert api.send("delete", f"{ATTR}/status", "").status_code == 204
    body = api.get(f"/entities/{ID}").json()
    assert "refParkingSite" not in body and "status" not in body and "category" in body
    assert Reading.objects.filter(device__ngsi_id=ID).count() == 1  # the history is kept
    assert AuditEvent.objects.filter(action="sensors.device_updated").count() == 2
    missing = api.send("delete", f"{ATTR}/status", "")
    assert missing.status_code == 404 and "status" in missing.json()["detail"]


def test_one_attribute_needs_a_credential_of_this_entity(api: Api, serres: Any) -> None:
    problem = Api().send("delete", f"{ATTR}/status", "")
    assert problem.status_code == 401
    other = Device.objects.create(
        municipality=serres, type=Device.objects.get(ngsi_id=ID).type, code="x", ngsi_id="urn:x:1"
    )
    token = services.credential_create(
        municipality=serres, name="own", scopes=[S.READ, S.WRITE_DEVICE], device=other
    )[1]
    assert Api(token).send("delete", f"{ATTR}/status", "").status_code == 403
    greek = Api(token).send("delete", f"{ATTR}/status", "", HTTP_ACCEPT_LANGUAGE="el").json()["detail"]
    assert greek.startswith("Στο διαπιστευτήριο λείπει το δικαίωμα") and f"για την {ID}" in greek
    assert Api(token).send("patch", f"{ATTR}/status", {"value": "occupied"}).status_code == 403


def test_registry_name_is_the_ngsi_ld_name(api: Api) -> None:
    Device.objects.filter(ngsi_id=ID).update(name="Μεραρχίας 1")
    assert api.get(f"/entities/{ID}").json()["name"] == {"type": "Property", "value": "Μεραρχίας 1"}
    assert api.get(f"/entities/{ID}?options=keyValues").json()["name"] == "Μεραρχίας 1"
    listed = api.get("/entities?type=ParkingSpot&options=keyValues").json()
    assert listed[0]["name"] == "Μεραρχίας 1"


@pytest.mark.parametrize(
    ("header", "language", "title", "detail"),
    [
        (None, "en", "The referred resource has not been found", "Entity urn:x:404 was not found."),
        (
            "en-GB,en;q=0.9",
            "en",
            "The referred resource has not been found",
            "Entity urn:x:404 was not found.",
        ),
        ("el-GR,el;q=0.9,en;q=0.5", "el", "Ο πόρος δεν βρέθηκε", "Η οντότητα urn:x:404 δεν βρέθηκε."),
        ("fr,el;q=0.8", "el", "Ο πόρος δεν βρέθηκε", "Η οντότητα urn:x:404 δεν βρέθηκε."),
    ],
)
def test_errors_in_the_language_asked(
    api: Api, header: str | None, language: str, title: str, detail: str
) -> None:
    extra = {"HTTP_ACCEPT_LANGUAGE": header} if header else {}
    response = api.get("/entities/urn:x:404", **extra)
    body = response.json()
    assert response.status_code == 404
    assert (body["title"], body["detail"], response["Content-Language"]) == (title, detail, language)


@pytest.mark.parametrize(
    ("header", "detail"),
    [
        ("el", "Το «status» πρέπει να είναι ένα από: closed, free, occupied, unknown."),
        ("en", "'status' must be one of: closed, free, occupied, unknown."),
    ],
)
def test_model_errors_in_the_language_asked(api: Api, header: str, detail: str) -> None:
    response = api.send("patch", f"{ATTR}/status", {"value": "parked"}, HTTP_ACCEPT_LANGUAGE=header)
    assert response.json()["detail"] == detail
    assert response["Content-Language"] == header


def test_a_detail_without_greek_is_wholly_english(api: Api) -> None:
    response = api.get("/entities?type=ParkingSpot&idPattern=(", HTTP_ACCEPT_LANGUAGE="el")
    body = response.json()
    assert response.status_code == 400 and response["Content-Language"] == "en"
    assert body["title"].startswith("The request includes input data")
    assert body["detail"].startswith("Invalid idPattern")


def test_the_http_batch_is_in_the_openapi_document(client: Any) -> None:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    document = response.json()
    post = document["paths"]["/api/v1/sensors/readings/"]["post"]
    assert post["security"] == [{"SensorCredential": []}]
    assert {"200", "207", "400", "401", "403", "413", "415"} <= set(post["responses"])
    assert document["components"]["securitySchemes"]["SensorCredential"]["scheme"] == "bearer"
