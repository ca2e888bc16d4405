"""Hostile input on every sensor door: a 400 in the door's own shape, never a 500, nothing lost."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from django.test import Client

from dimos.core.testing import SERRES_HOST
from dimos.sensors.models import Reading
from dimos.sensors.mqtt import Resolver, store
from dimos.sensors.tests.test_ingest import post, ts
from dimos.sensors.tests.test_mqtt import Msg

pytestmark = pytest.mark.django_db
DEEP = "[" * 100_000
NGSI = "/ngsi-ld/v1"


def _ngsi_problem(response: Any, name: str) -> None:
    assert response.status_code == 400, response.content[:300]
    assert response.json()["type"].endswith("/" + name)


@pytest.mark.parametrize(
    "url",
    [
        f"{NGSI}/entities?id=%00",
        f"{NGSI}/entities?type=ParkingSpot&q=pm10!=%00",
        f"{NGSI}/entities/urn:ngsi-ld:ParkingSpot:%00",
        f"{NGSI}/temporal/entities/urn:ngsi-ld:ParkingSpot:p-001?lastN=%00",
        f"{NGSI}/entities?idPattern=%00",
        f"{NGSI}/entities?type=%00",
        f"{NGSI}/entities?type=ParkingSpot&attrs=%00",
        f"{NGSI}/entities?type=ParkingSpot&limit=%00&offset=%00",
        f"{NGSI}/entities?type=ParkingSpot&options=%00",
        f"{NGSI}/entities?type=ParkingSpot&georel=%00&geometry=Point&coordinates=[23.5,41.1]",
        f"{NGSI}/entities/%00",
        f"{NGSI}/entities/urn:ngsi-ld:ParkingSpot:p-001?type=%00",
        f"{NGSI}/entities/%00/attrs",
        f"{NGSI}/temporal/entities/%00",
        f"{NGSI}/temporal/entities/urn:ngsi-ld:ParkingSpot:p-001?timerel=after&timeAt=%00",
        f"{NGSI}/temporal/entities/urn:ngsi-ld:ParkingSpot:p-001?attrs=%00",
        f"{NGSI}/%00",
    ],
)
def test_nul_bytes_in_ngsi_ld_urls_are_bad_request_data(serres: Any, url: str) -> None:
    _ngsi_problem(Client(HTTP_HOST=SERRES_HOST).get(url), "BadRequestData")


@pytest.mark.parametrize(
    "headers",
    [
        {"HTTP_AUTHORIZATION": "Bearer dms_\x00\x00_x"},
        {"HTTP_X_API_KEY": "dms_ab\x00cd_x"},
        {"HTTP_NGSILD_TENANT": "ser\x00res"},
    ],
)
def test_nul_bytes_in_ngsi_ld_headers_never_crash(serres: Any, headers: dict[str, str]) -> None:
    response = Client(HTTP_HOST=SERRES_HOST).get(f"{NGSI}/entities?type=ParkingSpot", **headers)
    assert response.status_code in (400, 401, 404), response.content[:300]
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("url", ["/api/v1/sensors/readings/?x=%00", "/parking/?p=%00", "/air-quality/?q=%00"])
def test_nul_bytes_on_the_other_sensor_doors(serres: Any, url: str) -> None:
    assert Client(HTTP_HOST=SERRES_HOST).get(url).status_code == 400


def test_a_nul_byte_in_a_batch_token_is_401(serres: Any) -> None:
    assert post("dms_\x00_x", {"readings": [{}]}).status_code == 401


def test_deep_json_to_the_anonymous_query_door_is_bad_request_data(serres: Any) -> None:
    response = Client(HTTP_HOST=SERRES_HOST).post(
        f"{NGSI}/entityOperations/query", DEEP, content_type="application/json"
    )
    _ngsi_problem(response, "BadRequestData")


def test_deep_json_to_entity_creation_is_bad_request_data(serres: Any, token: str) -> None:
    response = Client(HTTP_HOST=SERRES_HOST).post(
        f"{NGSI}/entities", DEEP, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    _ngsi_problem(response, "BadRequestData")


def test_deep_coordinates_in_a_geo_query_are_bad_request_data(serres: Any) -> None:
    url = f"{NGSI}/entities?type=ParkingSpot&georel=near;maxDistance==10&geometry=Point&coordinates={'[' * 5000}"
    _ngsi_problem(Client(HTTP_HOST=SERRES_HOST).get(url), "BadRequestData")


def test_deep_json_to_the_http_batch_is_a_400_problem(token: str) -> None:
    response = post(token, DEEP)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_a_poisoned_mqtt_batch_keeps_the_good_readings(serres: Any, bin_: Any) -> None:
    topic = "dimos/serres/bin-42/up"
    good = {"observedAt": ts(1), "values": {"fillingLevel": 0.4}}
    batch = [
        Msg(topic, DEEP.encode()),
        Msg(topic, b"\x00\xff not even text"),
        Msg(topic, [[[["nested", "but", "not", "a reading"]]]]),
        Msg(topic, good),
    ]
    dead: Counter[str] = Counter()
    assert store(batch, Resolver(), dead) == (1, 3)
    assert dead == {"poison": 3}
    assert Reading.objects.get(device=bin_).values == {"fillingLevel": 0.4}
    assert json.loads(Msg(topic, good).payload) == good


def test_out_of_range_timestamps_and_wrong_types_are_item_errors(token: str, bin_: Any) -> None:
    body = {
        "readings": [
            {"device": "bin-42", "observedAt": "0001-01-01T00:00:00+14:00", "values": {"fillingLevel": 0.5}},
            {"device": "bin-42", "observedAt": "9999-12-31T23:59:59-14:00", "values": {"fillingLevel": 0.5}},
            {"device": {"a": 1}, "observedAt": ts(1), "values": {"fillingLevel": 0.5}},
            {"device": ["bin-42"], "observedAt": ts(1), "values": {"fillingLevel": 0.5}},
            {"device": "bin-42", "observedAt": 12345, "values": {"fillingLevel": 0.5}},
            {"device": "bin-42", "observedAt": ts(1), "values": [0.5]},
            {"device": "bin-42", "observedAt": ts(1), "values": {"fillingLevel": {"deep": 1}}},
            {"device": "bin-42", "observedAt": ts(1), "values": {"fillingLevel": 0.4}},
        ]
    }
    response = post(token, body)
    assert response.status_code == 207, response.content[:500]
    statuses = [r["status"] for r in response.json()["results"]]
    assert statuses == ["error"] * 7 + ["created"]
    assert Reading.objects.get(device=bin_).values == {"fillingLevel": 0.4}


def test_ingest_and_dead_letters_reach_the_metrics(serres: Any, bin_: Any) -> None:
    from dimos.core.metrics import INGEST_READINGS, MQTT_DEAD_LETTERS

    stored = INGEST_READINGS.labels(door="mqtt", outcome="stored")
    poison = MQTT_DEAD_LETTERS.labels(reason="poison")
    before = stored._value.get(), poison._value.get()
    topic = "dimos/serres/bin-42/up"
    store(
        [Msg(topic, DEEP.encode()), Msg(topic, {"observedAt": ts(1), "values": {"fillingLevel": 0.4}})],
        Resolver(),
    )
    assert stored._value.get() == before[0] + 1
    assert poison._value.get() == before[1] + 1
