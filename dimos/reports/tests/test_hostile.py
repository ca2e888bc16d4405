"""Hostile input on the reports doors (issue 11): NUL bytes, pixel bombs, photo metadata, Open311 floods.

Run on PostgreSQL too: SQLite accepts NUL bytes that PostgreSQL refuses with ``DataError``.
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from dimos.core.testing import SERRES_HOST
from dimos.reports.models import Report
from dimos.reports.services import Reporter, open311_client_issue, report_submit
from dimos.reports.tests.conftest import CITY, upload
from dimos.reports.tests.open311_helpers import FORMATS, J, error_list

pytestmark = pytest.mark.django_db

NUL_URLS = [
    "/reports/track/%00/",
    "/reports/receipt/%00/",
    "/reports/confirm/%00/",
    "/reports/unsubscribe/%00/",
    "/reports/?category=%00",
    "/reports/map-data/?bbox=23,40,24,41&zoom=14&category=%00",
    "/reports/new/streets/?q=%00",
    "/reports/new/suggest/?text=%00",
    "/reports/new/nearby/?category=%00&lat=41&lon=23",
]
NUL_OPEN311_URLS = [
    "/open311/v2/requests.{fmt}?jurisdiction_id=%00",
    "/open311/v2/requests.{fmt}?jurisdiction_id=serres.gr&service_code=%00",
    "/open311/v2/requests/%00.{fmt}?jurisdiction_id=serres.gr",
    "/open311/v2/services/%00.{fmt}?jurisdiction_id=serres.gr",
    "/open311/v2/tokens/%00.{fmt}?jurisdiction_id=serres.gr",
    "/open311/v2/servicerequestupdates.{fmt}?jurisdiction_id=serres.gr&start_date=%00",
]


@pytest.fixture
def client(serres, categories) -> Client:
    return Client(HTTP_HOST=SERRES_HOST)


@pytest.mark.parametrize("url", NUL_URLS)
def test_a_nul_byte_on_a_public_page_is_a_400(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("url", NUL_OPEN311_URLS)
def test_a_nul_byte_on_open311_is_a_400_in_the_standards_shape(client, url, fmt):
    response = client.get(url.format(fmt=fmt))
    assert response.status_code == 400
    assert error_list(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_nul_byte_in_an_open311_post_is_a_400_in_the_standards_shape(client, fmt):
    response = client.post(f"/open311/v2/requests.{fmt}", {**J, "description": "a\x00b"})
    assert response.status_code == 400
    assert error_list(response, fmt)


# --- photos ------------------------------------------------------------------------------


def _big_png() -> bytes:
    """A 6000 × 6000 PNG of one colour: about 35 KB on disk, 36 megapixels once decoded."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (6000, 6000)).save(out, format="PNG", optimize=True)
    return out.getvalue()


@pytest.fixture
def big_png(monkeypatch) -> bytes:
    """The bomb; from then on, decoding any image fails the test (the cap is read from the header)."""
    from PIL import Image

    data = _big_png()

    def refuse(self, *args, **kwargs):
        raise AssertionError("the image was decoded")

    monkeypatch.setattr(Image.Image, "load", refuse)
    return data


def test_a_pixel_bomb_from_an_anonymous_citizen_is_refused_without_decoding(client, big_png):
    assert len(big_png) < 64_000
    response = client.post(
        "/reports/new/",
        {
            "category": "street-light",
            "lat": str(CITY[0]),
            "lon": str(CITY[1]),
            "description": "Σβηστή λάμπα.",
            "email": "anon@example.org",
            "nearby_checked": "1",
            "photos": [upload(big_png, "bomb.png", "image/png")],
        },
    )
    assert response.status_code == 400
    assert "υπερβολικά πολλά pixel" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_pixel_bomb_through_open311_is_an_error_in_the_standards_shape(client, serres, fmt, big_png):
    _, key = open311_client_issue(municipality=serres, name="App")
    response = client.post(
        f"/open311/v2/requests.{fmt}",
        {
            **J,
            "api_key": key,
            "service_code": "street-light",
            "lat": str(CITY[0]),
            "long": str(CITY[1]),
            "description": "Σβηστή",
            "media": upload(big_png, "bomb.png", "image/png"),
        },
    )
    assert response.status_code == 400
    assert any("pixel" in message for message in error_list(response, fmt))
    assert not Report.objects.exists()


def test_a_jpeg_comment_never_survives(serres, categories, citizen):
    from PIL import Image

    raw = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 90, 30)).save(raw, format="JPEG", comment=b"Eirini 6944556677 secret")
    assert b"secret" in raw.getvalue()
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
        photos=[upload(raw.getvalue())],
    )
    photo = report.photos.get()
    for field in (photo.image, photo.thumbnail):
        with field.open("rb") as handle:
            stored = handle.read()
        assert b"secret" not in stored and b"6944556677" not in stored
        assert "comment" not in Image.open(io.BytesIO(stored)).info


# --- Open311 POST rate limits -------------------------------------------------------------


def _post(client, fmt, key, address="203.0.113.7"):
    return client.post(
        f"/open311/v2/requests.{fmt}",
        {**J, "api_key": key, "service_code": "nonexistent"},
        REMOTE_ADDR=address,
    )


@pytest.mark.parametrize("fmt", FORMATS)
@override_settings(OPEN311_POSTS_PER_ADDRESS_PER_HOUR=2)
def test_open311_posts_are_limited_per_address(client, serres, fmt):
    cache.clear()
    _, key = open311_client_issue(municipality=serres, name="App")
    assert [_post(client, fmt, key).status_code for _ in range(2)] == [400, 400]
    response = _post(client, fmt, key)
    assert response.status_code == 429
    assert error_list(response, fmt)
    assert _post(client, fmt, "wrong-key").status_code == 429  # guessing keys counts too
    assert _post(client, fmt, key, address="198.51.100.9").status_code == 400  # another address


@override_settings(OPEN311_POSTS_PER_KEY_PER_HOUR=2)
def test_open311_posts_are_limited_per_key_and_counted_under_a_hash(client, serres):
    cache.clear()
    _, key = open311_client_issue(municipality=serres, name="App")
    _, other = open311_client_issue(municipality=serres, name="Other app")
    statuses = [_post(client, "json", key, address=f"198.51.100.{n}").status_code for n in range(3)]
    assert statuses == [400, 400, 429]
    assert _post(client, "json", other, address="198.51.100.50").status_code == 400
    stored = " ".join(str(k) for k in cache._cache)  # the local-memory cache of the tests
    assert "throttle" in stored
    assert key not in stored and "198.51.100.1" not in stored and "203.0.113" not in stored


def test_anonymous_report_counters_hold_no_raw_address(client):
    cache.clear()
    client.post(
        "/reports/new/",
        {
            "category": "street-light",
            "lat": str(CITY[0]),
            "lon": str(CITY[1]),
            "description": "Σβηστή λάμπα.",
            "email": "anon@example.org",
            "nearby_checked": "1",
        },
        REMOTE_ADDR="192.0.2.77",
    )
    stored = " ".join(str(k) for k in cache._cache)
    assert "throttle" in stored and "192.0.2.77" not in stored
