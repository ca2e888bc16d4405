"""The public caches (Open311 list, map data) show every change on the next request."""

from __future__ import annotations

import json
import pickle
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from dimos.core.testing import SERRES_HOST
from dimos.core.versions import data_version
from dimos.reports.cache import snap_bbox
from dimos.reports.constants import DATA_TOPIC, ReportStatus
from dimos.reports.models import Report, ReportUpdate
from dimos.reports.services import Reporter, photo_add, report_submit, report_transition
from dimos.reports.tests.conftest import CITY, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

J = {"jurisdiction_id": "serres.gr"}
MAP = "/reports/map-data/"
WIDE = {"bbox": "23.4,40.9,23.7,41.4", "zoom": "18"}
SECRETS = ("Ιωάννα Κρυφή", "secret.person@example.org", "6900000001")


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=SERRES_HOST)


def _report(serres, categories, code="street-light", lat=CITY[0], lon=CITY[1]) -> Report:
    return report_submit(
        municipality=serres,
        category=categories[code],
        lat=lat,
        lon=lon,
        description="Σβηστή λάμπα στη γωνία.",
        reporter=Reporter(name=SECRETS[0], email=SECRETS[1], phone=SECRETS[2]),
        source="open311",
    )


def _listed(client) -> list[str]:
    return [r["service_request_id"] for r in json.loads(client.get("/open311/v2/requests.json", J).content)]


def _on_map(client, params=WIDE) -> int:
    return sum(f["properties"]["count"] for f in client.get(MAP, params).json()["features"])


@pytest.fixture(params=["locmem", "redis"])
def shared_cache(request, settings):
    """The same test with the per-process cache and with Redis (shared by every process)."""
    if request.param == "locmem":
        yield request.param
        return
    import redis

    url = "redis://127.0.0.1:6379/0"
    server = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        server.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    # Never clear a shared Redis: this run's own key prefix keeps its entries apart.
    prefix = f"test-reports-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
        }
    }
    yield request.param
    written = server.keys(f"{prefix}:*")
    assert written, "the answers were not cached in Redis"
    server.delete(*written)


def test_a_deleted_report_disappears_from_open311_and_the_map(client, serres, categories, shared_cache):
    # The older of the two goes: the newest change of the remaining data stays the same.
    gone, keep = _report(serres, categories), _report(serres, categories, code="waste-bin")
    assert sorted(_listed(client)) == sorted([str(keep.pk), str(gone.pk)])
    assert _on_map(client) == 2
    gone.delete()
    assert _listed(client) == [str(keep.pk)]
    assert _on_map(client) == 1


def test_a_queryset_delete_is_seen_too(client, serres, categories):
    _report(serres, categories)
    assert _on_map(client) == 1
    Report.objects.filter(municipality=serres).delete()
    assert _listed(client) == []
    assert _on_map(client) == 0


def test_a_change_made_with_queryset_update_in_a_service_is_seen(client, serres, categories, alice):
    report = _report(serres, categories)
    before = json.loads(client.get("/open311/v2/requests.json", J).content)[0]
    assert before["media_url"] == ""
    version = data_version(serres.pk, DATA_TOPIC)
    photo_add(report=report, upload=upload(jpeg_with_gps()), actor=alice)
    assert data_version(serres.pk, DATA_TOPIC) > version
    after = json.loads(client.get("/open311/v2/requests.json", J).content)[0]
    assert after["media_url"] and after["updated_datetime"] >= before["updated_datetime"]


def test_a_renamed_category_is_seen(client, serres, categories):
    _report(serres, categories)
    category = categories["street-light"]
    assert (
        json.loads(client.get("/open311/v2/requests.json", J).content)[0]["service_name"] == category.name_el
    )
    category.name_el = "Φωτισμός οδού"
    category.save()
    assert (
        json.loads(client.get("/open311/v2/requests.json", J).content)[0]["service_name"] == "Φωτισμός οδού"
    )


def test_map_answer_is_computed_for_the_snapped_box(client, serres, categories):
    _report(serres, categories)  # at CITY = (41.0857, 23.5480)
    zoom = 14
    # Two boxes to the east of the report, in the same tiles: neither contains the report,
    # both snap to a box that does.
    first = (23.549, 41.082, 23.553, 41.09)
    second = (23.550, 41.083, 23.554, 41.10)
    snapped = snap_bbox(first, zoom)
    assert snapped == snap_bbox(second, zoom)
    west, south, east, north = snapped
    assert west <= first[0] and south <= first[1] and east >= first[2] and north >= first[3]
    assert west <= CITY[1] < first[0] and south <= CITY[0] <= north

    def ask(box):
        return client.get(MAP, {"bbox": ",".join(map(str, box)), "zoom": zoom}).json()

    answer = ask(first)
    assert sum(f["properties"]["count"] for f in answer["features"]) == 1
    assert ask(second) == answer
    cache.clear()
    assert ask(second) == answer  # built afresh for the second box: the same answer


def test_snapped_box_stays_on_the_globe():
    assert snap_bbox((-179.99, -89.99, 179.99, 89.99), 1) == (-180.0, -90.0, 180.0, 90.0)


def _cached_bodies() -> list[str]:
    """The bodies in the (local-memory) cache, JSON unescaped so that Greek text is searchable."""
    bodies = []
    for value in cache._cache.values():  # type: ignore[attr-defined]
        entry = pickle.loads(value)  # noqa: S301  (this test's own cache)
        if isinstance(entry, tuple) and len(entry) == 3:
            _status, content_type, body = entry
            text = body.decode()
            if content_type.startswith("application/json"):
                text = json.dumps(json.loads(text), ensure_ascii=False)
            bodies.append(text)
    return bodies


def test_no_personal_data_in_any_cached_entry(client, serres, categories, alice):
    if not hasattr(cache, "_cache"):
        pytest.skip("reads the entries of the local-memory cache")
    report = _report(serres, categories)
    report_transition(report=report, to_status=ReportStatus.IN_PROGRESS, actor=alice, comment="Σε εξέλιξη.")
    cache.clear()
    assert _listed(client) and _on_map(client) == 1
    client.get("/open311/v2/requests.xml", J)
    bodies = _cached_bodies()
    assert len(bodies) == 3 and any(categories["street-light"].name_el in body for body in bodies)
    for secret in SECRETS:
        assert not any(secret in body for body in bodies)


def test_report_update_is_an_append_only_history_entry(serres, categories, alice):
    report = _report(serres, categories)
    report_transition(report=report, to_status=ReportStatus.IN_PROGRESS, actor=alice, comment="Σε εξέλιξη.")
    update = ReportUpdate.objects.get(report=report, to_status=ReportStatus.IN_PROGRESS)
    assert update.comment == "Σε εξέλιξη." and update.actor == alice
    assert update.from_status == ReportStatus.SUBMITTED
    update.comment = "άλλο"
    with pytest.raises(RuntimeError):
        update.save()
