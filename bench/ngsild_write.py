"""Single-entity NGSI-LD writes: ``PATCH /ngsi-ld/v1/entities/{id}/attrs`` in this process.

Each PATCH sets one measured attribute (``status`` of a ParkingSpot, a new observedAt each
time) of one of 500 entities, through Django's full WSGI stack with an integration
credential; the floor is ``/__bench_floor__`` (a constant response through the same stack),
alternated with the target. Reported: median seconds per PATCH, the ratio to the floor,
updates per second of one process, and the SQL statements of one PATCH (target: at most 3
on PostgreSQL: the credential, the entity, the store)."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.common import (
    Timer,
    alternate,
    count_queries,
    database_label,
    fresh_database,
    result,
    write_results,
)

ENTITIES = 500


def run(*, quick: bool = False) -> Path:
    from django.db import connection
    from django.test import Client

    from dimos.core import demo
    from dimos.sensors import services

    connection.settings_dict["CONN_MAX_AGE"] = 60
    fresh_database()
    ctx = demo.seed()
    services.device_types_sync()
    _, token = services.credential_create(municipality=ctx.serres, name="bench")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_HOST": "serres.localhost"}
    client = Client()
    base = datetime.now(UTC) - timedelta(days=1)
    entities = [
        {
            "id": f"urn:ngsi-ld:ParkingSpot:patch-{i:04d}",
            "type": "ParkingSpot",
            "location": {"type": "GeoProperty", "value": {"type": "Point", "coordinates": [23.55, 41.09]}},
            "status": {"type": "Property", "value": "free", "observedAt": base.isoformat()},
        }
        for i in range(ENTITIES)
    ]
    response = client.post(
        "/ngsi-ld/v1/entityOperations/create", json.dumps(entities), content_type="application/json", **auth
    )
    assert response.status_code == 201, response.content[:300]
    counter = {"n": 0}

    def patch() -> None:
        counter["n"] += 1
        n = counter["n"]
        entity = entities[n % ENTITIES]["id"]
        body = {
            "status": {
                "type": "Property",
                "value": "occupied" if n % 2 else "free",
                "observedAt": (base + timedelta(milliseconds=n)).isoformat(),
            }
        }
        response = client.patch(
            f"/ngsi-ld/v1/entities/{entity}/attrs", json.dumps(body), content_type="application/json", **auth
        )
        assert response.status_code == 204, response.content[:300]

    floor = Timer().get("/__bench_floor__")
    rounds = 200 if quick else 2000
    t, f = alternate(patch, floor, rounds, warmup=50)
    queries = count_queries(patch)
    label = database_label()
    rows = [
        result(
            "ngsild_patch_attrs",
            "median_seconds",
            t,
            f,
            {
                "entities": ENTITIES,
                "requests": rounds,
                "updates_per_s_one_process": round(1 / t, 1),
                "queries_per_patch": queries,
                "floor": "/__bench_floor__ through the same stack",
                "load_average_1_5_15": [round(x, 2) for x in os.getloadavg()],
            },
            target="queries <= 3 on PostgreSQL (7 on SQLite); ratio reported",
            meets_target=queries <= (3 if label == "postgresql" else 7),
        )
    ]
    return write_results("ngsild_write", rows)
