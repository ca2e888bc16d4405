"""NGSI-LD temporal: query by type and q, aggregation (avg/min/max/sum) served from the rollups."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from dimos.sensors.models import Device, Reading
from dimos.sensors.services.rollups import rollups_compute
from dimos.sensors.tests.test_ngsild import Api

pytestmark = pytest.mark.django_db
BIN = "urn:ngsi-ld:WasteContainer:bin-{}"
# Fixed times (no dependence on today): 10:00–12:00 UTC on 1 November 2026.
LEVELS = {
    "2026-11-01T10:10:00Z": 0.2,
    "2026-11-01T10:40:00Z": 0.4,
    "2026-11-01T11:15:00Z": 0.6,
    "2026-11-01T11:45:00Z": 0.8,
}
BETWEEN = "timerel=between&timeAt=2026-11-01T10:00:00Z&endTimeAt=2026-11-01T12:00:00Z"


def _bin(n: int, lat: float = 41.0905) -> dict[str, Any]:
    return {
        "id": BIN.format(n),
        "type": "WasteContainer",
        "location": {"type": "Point", "coordinates": [23.5495, lat]},
    }


@pytest.fixture
def api(token: str, serres: Any) -> Api:
    api = Api(token)
    assert api.post("/entityOperations/create?options=keyValues", [_bin(1), _bin(2)]).status_code == 201
    for n, scale in ((1, 1.0), (2, 0.5)):
        for at, level in LEVELS.items():
            body = {"fillingLevel": {"type": "Property", "value": level * scale, "observedAt": at}}
            assert api.post(f"/entities/{BIN.format(n)}/attrs", body).status_code == 204
    return api


def series(body: dict[str, Any], method: str) -> list[list[Any]]:
    return body["fillingLevel"][method]


def test_temporal_query_by_type_and_q(api: Api) -> None:
    body = api.get(f"/temporal/entities?type=WasteContainer&{BETWEEN}").json()
    assert [e["id"] for e in body] == [BIN.format(1), BIN.format(2)]
    assert [p["value"] for p in body[0]["fillingLevel"]] == list(LEVELS.values())
    full = api.get(f"/temporal/entities?type=WasteContainer&q=fillingLevel>0.5&{BETWEEN}").json()
    assert [e["id"] for e in full] == [BIN.format(1)]  # by its latest value (0.8; the other 0.4)
    after = api.get("/temporal/entities?type=WasteContainer&timerel=after&timeAt=2026-11-01T11:30:00Z").json()
    assert [len(e["fillingLevel"]) for e in after] == [1, 1]


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("timerel=before&timeAt=2026-11-01T10:00:00Z", "type"),
        ("type=WasteContainer", "timerel"),
        ("type=Spaceship&timerel=before&timeAt=2026-11-01T10:00:00Z", "Spaceship"),
        ("type=WasteContainer&timerel=sometime&timeAt=2026-11-01T10:00:00Z", "timerel"),
        ("type=WasteContainer&timerel=before&timeAt=yesterday", "timeAt"),
        (f"type=WasteContainer&{BETWEEN}&aggrMethods=median", "aggrMethods"),
        (f"type=WasteContainer&{BETWEEN}&aggrMethods=avg&aggrPeriodDuration=1 hour", "aggrPeriodDuration"),
        (f"type=WasteContainer&{BETWEEN}&aggrPeriodDuration=PT1H", "aggrMethods"),
        (f"type=WasteContainer&{BETWEEN}&q=fillingLevel>>1", "q"),
        (f"type=WasteContainer&{BETWEEN}&limit=1000", "limit"),
    ],
)
def test_temporal_query_bad_input(api: Api, query: str, named: str) -> None:
    response = api.get(f"/temporal/entities?{query}")
    assert response.status_code in (400, 403)
    assert named in response.json()["detail"]


def test_aggregation_per_hour_from_the_readings(api: Api) -> None:
    url = f"/temporal/entities/{BIN.format(1)}?{BETWEEN}&aggrMethods=avg,min,max,sum&aggrPeriodDuration=PT1H"
    body = api.get(url).json()
    ten, eleven, noon = "2026-11-01T10:00:00Z", "2026-11-01T11:00:00Z", "2026-11-01T12:00:00Z"
    assert series(body, "avg") == [[0.3, ten, eleven], [0.7, eleven, noon]]
    assert series(body, "min") == [[0.2, ten, eleven], [0.6, eleven, noon]]
    assert series(body, "max") == [[0.4, ten, eleven], [0.8, eleven, noon]]
    assert series(body, "sum") == [[0.6, ten, eleven], [1.4, eleven, noon]]
    whole = api.get(f"/temporal/entities/{BIN.format(1)}?{BETWEEN}&aggrMethods=avg,max").json()
    assert series(whole, "avg") == [[0.5, ten, noon]] and series(whole, "max") == [[0.8, ten, noon]]


def test_aggregation_is_served_from_the_rollups(api: Api, serres: Any) -> None:
    rollups_compute(
        municipality=serres,
        start=datetime(2026, 11, 1, 10, tzinfo=UTC),
        end=datetime(2026, 11, 1, 12, tzinfo=UTC),
    )
    # Raw readings past retention are purged; the rollups keep answering.
    device = Device.objects.get(ngsi_id=BIN.format(1))
    Reading.objects.filter(device=device, observed_at__lt=datetime(2026, 11, 1, 11, tzinfo=UTC)).delete()
    url = f"/temporal/entities/{BIN.format(1)}?{BETWEEN}&aggrMethods=avg,sum&aggrPeriodDuration=P1D"
    body = api.get(url).json()
    day, next_day = "2026-11-01T00:00:00Z", "2026-11-02T00:00:00Z"
    assert series(body, "avg") == [[0.5, day, next_day]] and series(body, "sum") == [[2.0, day, next_day]]
    # Over many entities, by type: the same figures.
    many = api.get(f"/temporal/entities?type=WasteContainer&{BETWEEN}&aggrMethods=max").json()
    assert [series(e, "max")[0][0] for e in many] == [0.8, 0.4]


def test_temporal_errors_in_greek(api: Api) -> None:
    response = api.get(
        f"/temporal/entities?type=WasteContainer&{BETWEEN}&aggrMethods=median", HTTP_ACCEPT_LANGUAGE="el"
    )
    body = response.json()
    assert response.status_code == 400 and response["Content-Language"] == "el"
    assert body["detail"].startswith("Το «aggrMethods» πρέπει να απαριθμεί μεθόδους από: avg, min, max, sum")
    assert body["title"] == "Τα δεδομένα του αιτήματος δεν πληρούν τις απαιτήσεις της λειτουργίας"
