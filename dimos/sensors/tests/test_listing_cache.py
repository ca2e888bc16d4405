"""The NGSI-LD listing's micro-cache: shared across processes (the key is made of the
request only), anonymous and public only, and stale for at most the configured seconds
(time is advanced with a patched clock, never slept)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.cache import cache
from django.utils import timezone

from dimos.core.testing import IRAKLEIA_HOST
from dimos.sensors import services
from dimos.sensors.constants import Source
from dimos.sensors.ngsild import listing
from dimos.sensors.tests.test_ngsild import Api, spot

pytestmark = pytest.mark.django_db
LIST = "/entities?type=ParkingSpot&options=keyValues"
KEY_ARGS: dict[str, Any] = {
    "municipality_id": 7,
    "params": [("type", "ParkingSpot"), ("options", "keyValues"), ("limit", "50")],
    "media": "application/geo+json",
    "language": "el",
}


class Clock:
    """Stands in for the micro-cache's wall clock."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(settings: Any) -> Any:
    settings.SENSORS_NGSILD_LISTING_CACHE_SECONDS = 2
    fake = Clock()
    with mock.patch.object(listing, "_now", fake):
        yield fake


@pytest.fixture
def writer(token: str) -> Api:
    api = Api(token)
    assert api.post("/entityOperations/create", [spot(1), spot(2)]).status_code == 201
    return api


def statuses(api: Api, path: str = LIST, **extra: Any) -> dict[str, Any]:
    response = api.get(path, **extra)
    assert response.status_code == 200, response.content
    return {e["id"]: e.get("status") for e in response.json()}


def occupy(municipality: Any, n: int) -> None:
    """A reading through the pipeline, as the MQTT consumer or the HTTP door stores it."""
    services.readings_ingest(
        municipality=municipality,
        items=[
            services.ReadingIn(
                device=spot(n)["id"], observed_at=timezone.now(), values={"status": "occupied"}
            )
        ],
        source=Source.MQTT,
    )


def test_the_key_has_no_per_process_part() -> None:
    key = listing.listing_cache_key(**KEY_ARGS)
    with (
        mock.patch("time.monotonic", return_value=123456.0),
        mock.patch("os.getpid", return_value=4242),
        mock.patch("time.time", return_value=42.0),
    ):
        assert listing.listing_cache_key(**KEY_ARGS) == key
    # The order of the parameters does not matter; their values do.
    shuffled = {**KEY_ARGS, "params": list(reversed(KEY_ARGS["params"]))}
    assert listing.listing_cache_key(**shuffled) == key
    assert listing.listing_cache_key(**{**KEY_ARGS, "params": [("type", "ParkingSpot")]}) != key
    assert listing.listing_cache_key(**{**KEY_ARGS, "media": "application/json"}) != key
    assert listing.listing_cache_key(**{**KEY_ARGS, "language": "en"}) != key
    assert listing.listing_cache_key(**{**KEY_ARGS, "municipality_id": 8}) != key


def test_another_process_builds_the_same_key() -> None:
    root = Path(__file__).resolve().parents[3]
    code = (
        "import json, sys, django\n"
        "django.setup()\n"
        "from dimos.sensors.ngsild.listing import listing_cache_key\n"
        "args = json.loads(sys.argv[1])\n"
        "args['params'] = [tuple(p) for p in args['params']]\n"
        "print(listing_cache_key(**args))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "dimos.settings_test", "PYTHONPATH": str(root)}
    result = subprocess.run(
        [sys.executable, "-c", code, json.dumps(KEY_ARGS)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == listing.listing_cache_key(**KEY_ARGS)


def test_a_change_is_visible_once_the_micro_cache_time_has_passed(
    writer: Api, serres: Any, clock: Any
) -> None:
    reader = Api()
    assert statuses(reader)[spot(1)["id"]] == "free"
    occupy(serres, 1)
    clock.now += 1.5
    assert statuses(reader)[spot(1)["id"]] == "free"  # within the 2 s the answer may be stale
    clock.now += 0.6
    assert statuses(reader)[spot(1)["id"]] == "occupied"


def test_the_entry_lives_in_the_shared_cache_under_the_request_key(
    writer: Api, serres: Any, clock: Any
) -> None:
    statuses(Api())
    key = listing.listing_cache_key(
        municipality_id=serres.pk,
        params=[("type", "ParkingSpot"), ("options", "keyValues")],
        media="application/json",
        language="en",  # NGSI-LD answers in English unless asked for Greek
    )
    stored_at, content, content_type, _headers = cache.get(key)
    assert stored_at == clock.now and content_type == "application/json"
    assert spot(1)["id"] in content.decode()
    # Any process reading that cache serves it: here, a changed entry is what is answered.
    cache.set(key, (clock.now, b"[]", content_type, {}), 10)
    assert statuses(Api()) == {}


def test_credential_holders_always_get_a_fresh_answer(writer: Api, serres: Any, clock: Any) -> None:
    assert statuses(writer)[spot(1)["id"]] == "free"
    occupy(serres, 1)
    assert statuses(writer)[spot(1)["id"]] == "occupied"
    # ... and an anonymous entry is never an answer to them (they see the private types too).
    services.device_create(municipality=serres, type_code="WasteContainer", code="bin-1")
    every = "/entities?type=ParkingSpot,WasteContainer&options=keyValues"
    assert "urn:ngsi-ld:WasteContainer:bin-1" not in statuses(Api(), every)
    assert "urn:ngsi-ld:WasteContainer:bin-1" in statuses(writer, every)


def test_tenant_media_type_and_language_are_part_of_the_key(
    writer: Api, serres: Any, irakleia: Any, clock: Any
) -> None:
    services.device_create(
        municipality=irakleia, type_code="ParkingSpot", ngsi_id=spot(1)["id"], lat=41.2, lon=23.3
    )
    serres_body = statuses(Api())
    assert set(serres_body) == {spot(1)["id"], spot(2)["id"]}
    assert statuses(Api(host=IRAKLEIA_HOST)) == {spot(1)["id"]: None}
    assert statuses(Api(tenant="irakleia")) == {spot(1)["id"]: None}
    reader = Api()
    plain = reader.get("/entities?type=ParkingSpot")
    ld = reader.get("/entities?type=ParkingSpot", HTTP_ACCEPT="application/ld+json")
    assert plain["Content-Type"] == "application/json" and "@context" not in plain.json()[0]
    assert ld["Content-Type"] == "application/ld+json" and "@context" in ld.json()[0]
    assert reader.get("/entities?type=ParkingSpot", HTTP_ACCEPT="application/geo+json").json()["type"] == (
        "FeatureCollection"
    )
    assert len(reader.get("/entities?type=ParkingSpot&limit=1").json()) == 1
    assert reader.get("/entities?type=ParkingSpot&count=true")["NGSILD-Results-Count"] == "2"
    statuses(reader, HTTP_ACCEPT_LANGUAGE="el")
    keys = {
        listing.listing_cache_key(
            municipality_id=serres.pk,
            params=[("type", "ParkingSpot"), ("options", "keyValues")],
            media="application/json",
            language=language,
        )
        for language in ("el", "en")
    }
    assert len(keys) == 2 and all(cache.get(k) is not None for k in keys)


def test_errors_are_never_cached_and_a_hit_runs_no_query(
    writer: Api, clock: Any, django_assert_num_queries: Any
) -> None:
    reader = Api()
    for _ in range(2):
        assert reader.get("/entities?type=ParkingSpot&limit=5000").status_code == 403
        assert reader.get("/entities?type=ParkingSpot&count=maybe").status_code == 400
    statuses(reader)
    with django_assert_num_queries(0):
        statuses(reader)


def test_zero_seconds_turns_the_micro_cache_off(writer: Api, serres: Any, settings: Any) -> None:
    settings.SENSORS_NGSILD_LISTING_CACHE_SECONDS = 0
    reader = Api()
    statuses(reader)
    occupy(serres, 1)
    assert statuses(reader)[spot(1)["id"]] == "occupied"
