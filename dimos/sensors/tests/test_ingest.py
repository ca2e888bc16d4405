"""The one pipeline and the HTTP batch door."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.testing import SERRES_HOST
from dimos.sensors import services
from dimos.sensors.constants import MAX_BATCH, Source
from dimos.sensors.models import Credential, DeviceState, Reading

pytestmark = pytest.mark.django_db
URL = "/api/v1/sensors/readings/"


def post(token: str | None, body: Any, content_type: str = "application/json") -> Any:
    client = Client(HTTP_HOST=SERRES_HOST)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data=data, content_type=content_type, **headers)


def ts(minutes_ago: float = 0) -> str:
    return (timezone.now() - timedelta(minutes=minutes_ago)).isoformat()


def test_device_gets_unit_and_ngsi_id(spot: Any, serres: Any) -> None:
    assert spot.ngsi_id == "urn:ngsi-ld:ParkingSpot:p-001"
    assert spot.unit is not None and spot.unit.name_el == "Σερρών"


def test_batch_stores_valid_and_reports_each_invalid(token: str, spot: Any, bin_: Any) -> None:
    body = {
        "readings": [
            {"device": spot.ngsi_id, "observedAt": ts(2), "values": {"status": "free"}},
            {"device": "bin-42", "observedAt": ts(1), "values": {"fillingLevel": 1.7}},
            {"device": "bin-42", "observedAt": ts(1), "values": {"fillingLevel": 0.4, "temperature": 9}},
            {"device": "nope", "observedAt": ts(1), "values": {"fillingLevel": 0.4}},
            {"device": "bin-42", "observedAt": ts(-60), "values": {"fillingLevel": 0.5}},
            {"device": "bin-42", "observedAt": "yesterday", "values": {"fillingLevel": 0.5}},
            {"device": spot.ngsi_id, "observedAt": ts(3), "values": {"status": "parked"}},
            "not an object",
        ]
    }
    response = post(token, body)
    assert response.status_code == 207
    data = response.json()
    statuses = [r["status"] for r in data["results"]]
    assert statuses == ["created", "error", "created", "error", "error", "error", "error", "error"]
    assert "εκτός φυσικού εύρους" in data["results"][1]["error"]
    assert data["results"][4]["field"] == "observedAt"
    assert data["created"] == 2 and data["errors"] == 6
    assert Reading.objects.count() == 2
    # The invalid fill level did not leak into the reading that was stored (no part of an item).
    assert Reading.objects.get(device=bin_).values == {"fillingLevel": 0.4, "temperature": 9}
    assert DeviceState.objects.get(device=spot).values == {"status": "free"}


def test_batch_is_idempotent(token: str, spot: Any) -> None:
    body = {"readings": [{"device": spot.code, "observedAt": ts(1), "values": {"status": "occupied"}}] * 2}
    first = post(token, body)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["created", "duplicate"]
    again = post(token, body)
    assert again.status_code == 200 and again.json()["duplicates"] == 2
    assert Reading.objects.count() == 1


def test_latest_state_keeps_newest_per_attribute(token: str, bin_: Any) -> None:
    post(token, {"readings": [{"device": "bin-42", "observedAt": ts(1), "values": {"fillingLevel": 0.5}}]})
    post(
        token,
        {
            "readings": [
                {"device": "bin-42", "observedAt": ts(10), "values": {"fillingLevel": 0.2, "temperature": 7}}
            ]
        },
    )
    state = DeviceState.objects.get(device=bin_)
    assert state.values == {"fillingLevel": 0.5, "temperature": 7}


@pytest.mark.parametrize(
    ("token_kind", "status"), [("none", 401), ("garbage", 401), ("revoked", 401), ("other", 401)]
)
def test_credentials_are_required(
    token_kind: str, status: int, token: str, irakleia_token: str, spot: Any, serres: Any
) -> None:
    if token_kind == "revoked":
        services.credential_revoke(
            municipality=serres, credential_id=Credential.objects.get(name="vendor").pk
        )
    value = {"none": None, "garbage": "dms_zzzz_nope", "revoked": token, "other": irakleia_token}[token_kind]
    body = {"readings": [{"device": spot.code, "observedAt": ts(), "values": {"status": "free"}}]}
    response = post(value, body)
    # A credential of another municipality is refused here too (it wrote to its own before).
    assert response.status_code == status
    assert response["Content-Type"] == "application/problem+json"
    assert Reading.objects.count() == 0


def test_credential_is_hashed_and_device_scoped(serres: Any, spot: Any, bin_: Any) -> None:
    credential, token = services.credential_create(municipality=serres, name="bin vendor", device=bin_)
    assert token not in credential.key_hash and credential.key_hash != token
    body = {
        "readings": [
            {"device": spot.code, "observedAt": ts(), "values": {"status": "free"}},
            {"device": bin_.code, "observedAt": ts(), "values": {"fillingLevel": 0.1}},
        ]
    }
    data = post(token, body).json()
    assert [r["status"] for r in data["results"]] == ["error", "created"]


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        ("{not json", "application/json", 400),
        ({"readings": []}, "application/json", 400),
        ({"readings": "x"}, "application/json", 400),
        ("a=b", "application/x-www-form-urlencoded", 415),
    ],
)
def test_bad_requests(token: str, body: Any, content_type: str, status: int) -> None:
    response = post(token, body, content_type)
    assert response.status_code == status
    assert response.json()["status"] == status


def test_batch_size_limit(token: str, spot: Any) -> None:
    base = timezone.now() - timedelta(days=1)
    body = {
        "readings": [
            {
                "device": spot.code,
                "observedAt": (base + timedelta(seconds=i)).isoformat(),
                "values": {"status": "free"},
            }
            for i in range(MAX_BATCH + 1)
        ]
    }
    response = post(token, body)
    assert response.status_code == 413
    assert Reading.objects.count() == 0
    body["readings"] = body["readings"][:MAX_BATCH]
    assert post(token, body).status_code == 200
    assert Reading.objects.count() == MAX_BATCH


def test_pipeline_queries_do_not_grow_with_batch(serres: Any, django_assert_max_num_queries: Any) -> None:
    devices = [
        services.device_create(
            municipality=serres, type_code="ParkingSpot", code=f"s{i}", lat=41.09, lon=23.55
        )
        for i in range(50)
    ]
    items = [services.ReadingIn(device=d.code, observed_at=ts(1), values={"status": "free"}) for d in devices]
    with django_assert_max_num_queries(12):
        outcome = services.readings_ingest(municipality=serres, items=items, source=Source.HTTP)
    assert outcome.created == 50


def test_the_door_answers_in_the_callers_language(token: str, spot: Any) -> None:
    client = Client(HTTP_HOST=SERRES_HOST, HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    body = {"readings": [{"device": "nope", "observedAt": ts(), "values": {"status": "free"}}, "x"]}
    response = client.post(URL, data=json.dumps(body), content_type="application/json")
    assert response.status_code == 207
    errors = [r["error"] for r in response.json()["results"]]
    assert errors == ["Unknown device.", "Every reading must be a JSON object."]
    too_many = {"readings": [{}] * (MAX_BATCH + 1)}
    problem = client.post(URL, data=json.dumps(too_many), content_type="application/json").json()
    assert problem["title"] == "Batch too large"
    assert problem["detail"] == f"At most {MAX_BATCH} readings per request; {MAX_BATCH + 1} were sent."
