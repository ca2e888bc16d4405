"""A third-party FIWARE client (ngsildclient, from PyPI) drives the NGSI-LD API of a live
server, unchanged: create (single and batch), read, query by type / q / georel, update
attributes, delete. What the client revealed is fixed in the broker where the standard
(GS CIM 009) says so; see docs/sensors/integrators.md."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

ngsildclient = pytest.importorskip("ngsildclient", reason="ngsildclient is in the 'test' extra")

from dimos.sensors import services  # noqa: E402

# The live server thread shares the test database; the test talks to it only over HTTP.
pytestmark = pytest.mark.django_db(transaction=True)


class Bearer(requests.auth.AuthBase):
    """How a requests-based client carries an integration credential."""

    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, r: requests.PreparedRequest) -> requests.PreparedRequest:
        r.headers["Authorization"] = f"Bearer {self.token}"
        return r


_SECONDS = itertools.count()


def spot(n: int, status: str, lat: float, lon: float) -> Any:
    # Every entity built here is observed one second after the previous one, so an
    # update never carries the observation time of the reading it replaces (a
    # reading with the same device and time is a duplicate and is not stored again).
    observed = (datetime.now(UTC) - timedelta(minutes=20) + timedelta(seconds=next(_SECONDS))).replace(
        microsecond=0
    )
    entity = ngsildclient.Entity("ParkingSpot", f"serres-{n:03d}")
    entity.prop("status", status, observedat=observed)
    entity.prop("category", "onStreet")
    entity.loc(lat, lon)
    entity.rel("refParkingSite", "urn:ngsi-ld:OffStreetParking:centre")
    return entity


@pytest.fixture
def client(live_server: Any, serres: Any) -> Any:
    from urllib.parse import urlparse

    token = services.credential_create(municipality=serres, name="FIWARE client")[1]
    url = urlparse(live_server.url)
    logging.getLogger("ngsildclient").setLevel(logging.WARNING)
    with ngsildclient.Client(
        hostname=url.hostname,
        port=url.port,
        tenant="serres",
        tenant_autocreate=False,
        custom_auth=Bearer(token),
        verbose=False,
    ) as c:
        yield c


def test_fiware_client_round_trip(client: Any) -> None:
    # Create: one entity, then a batch.
    assert client.create(spot(1, "free", 41.0905, 23.5495)) is True
    result = client.batch.create([spot(n, "occupied", 41.0905 + n * 0.0001, 23.5495) for n in range(2, 6)])
    assert result.ok and result.n_ok == 4, result
    assert client.count(type="ParkingSpot") == 5

    # Read.
    one = client.get("urn:ngsi-ld:ParkingSpot:serres-001")
    assert one.type == "ParkingSpot" and one["status"].value == "free"
    assert one["refParkingSite"]["object"] == "urn:ngsi-ld:OffStreetParking:centre"
    assert client.exists("urn:ngsi-ld:ParkingSpot:serres-001")
    assert not client.exists("urn:ngsi-ld:ParkingSpot:nothing")

    # Query by type, by q, count; georel through the standard POST query.
    assert len(client.query(type="ParkingSpot")) == 5
    assert client.count(type="ParkingSpot") == 5
    occupied = client.query(type="ParkingSpot", q='status=="occupied"')
    assert sorted(e.id for e in occupied) == [f"urn:ngsi-ld:ParkingSpot:serres-{n:03d}" for n in range(2, 6)]
    near = {
        "type": "Query",
        "entities": [{"type": "ParkingSpot"}],
        "geoQ": {
            "georel": "near;maxDistance==30",
            "geometry": "Point",
            "coordinates": [23.5495, 41.0905],
        },
    }
    assert sorted(e.id for e in client.alt.query(near)) == [
        "urn:ngsi-ld:ParkingSpot:serres-001",
        "urn:ngsi-ld:ParkingSpot:serres-002",
    ]
    assert client.alt.count(near) == 2

    # Update attributes (batch update: overwrite, then noOverwrite).
    changed = spot(1, "occupied", 41.0905, 23.5495)
    assert client.batch.update([changed]).ok
    assert client.get("urn:ngsi-ld:ParkingSpot:serres-001")["status"].value == "occupied"
    kept = client.batch.update([spot(1, "free", 41.0905, 23.5495)], overwrite=False)
    assert client.get("urn:ngsi-ld:ParkingSpot:serres-001")["status"].value == "occupied", kept

    # Upsert: replace an existing one and create a new one.
    result = client.batch.upsert([spot(1, "free", 41.0905, 23.5495), spot(9, "free", 41.091, 23.55)])
    assert result.ok, result
    assert client.get("urn:ngsi-ld:ParkingSpot:serres-009")["status"].value == "free"
    # The client's own single-entity upsert is delete + create: a device with readings is not
    # deleted (as in the registry), so the broker answers 409 with "deactivate it instead".
    with pytest.raises(ngsildclient.api.exceptions.NgsiOperationNotSupportedError, match="deactivate"):
        client.upsert(spot(9, "occupied", 41.091, 23.55))
    assert client.batch.upsert([spot(9, "occupied", 41.091, 23.55)]).ok
    assert client.get("urn:ngsi-ld:ParkingSpot:serres-009")["status"].value == "occupied"

    # Delete: devices with readings are refused one by one; one registered by mistake is deleted.
    result = client.batch.delete([spot(n, "free", 41.09, 23.55) for n in range(1, 6)])
    assert not result.ok and result.n_err == 5, result
    unread = ngsildclient.Entity("ParkingSpot", "serres-042")
    unread.loc(41.0905, 23.5495)
    assert client.create(unread) is True
    assert client.entities.delete("urn:ngsi-ld:ParkingSpot:serres-042")  # DELETE /entities/{id}
    assert client.count(type="ParkingSpot") == 6


def test_fiware_client_temporal_query_and_aggregation(client: Any) -> None:
    """The client's temporal query by type (``/temporal/entities?type=…``) and its aggregation
    (``aggrMethods`` over ``aggrPeriodDuration``), at fixed past times."""
    from ngsildclient.api.constants import AggrMethod
    from ngsildclient.api.helper.temporal import TemporalQuery

    hours = [datetime(2026, 11, 1, 10, m, tzinfo=UTC) for m in (10, 40)]
    for n, levels in ((1, (0.2, 0.4)), (2, (0.6, 0.8))):
        entity = ngsildclient.Entity("WasteContainer", f"bin-{n}")
        entity.loc(41.0905, 23.5495)
        assert client.create(entity) is True
        for at, level in zip(hours, levels, strict=True):
            entity.prop("fillingLevel", level, observedat=at)
            assert client.batch.update([entity]).ok
    window = TemporalQuery().between("2026-11-01T10:00:00Z", "2026-11-01T11:00:00Z")
    troes = client.temporal.query(type="WasteContainer", tq=window)
    assert sorted(t["id"] for t in troes) == [
        "urn:ngsi-ld:WasteContainer:bin-1",
        "urn:ngsi-ld:WasteContainer:bin-2",
    ]
    result = client.temporal.aggregate(
        type="WasteContainer",
        tq=window,
        methods=[AggrMethod.AVERAGE, AggrMethod.MAXIMUM],
        period=timedelta(hours=1),
    )
    by_id = {t["id"]: t["fillingLevel"] for t in result.result}
    assert by_id["urn:ngsi-ld:WasteContainer:bin-1"]["avg"][0][0] == pytest.approx(0.3)
    assert by_id["urn:ngsi-ld:WasteContainer:bin-2"]["max"][0][0] == pytest.approx(0.8)
