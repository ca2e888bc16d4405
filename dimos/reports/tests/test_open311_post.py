"""Open311 GeoReport v2 ``POST requests``: new service requests from client applications."""

from __future__ import annotations

import pytest
from django.test import Client

from dimos.core.testing import SERRES_HOST
from dimos.reports.models import Report, ReportPhoto
from dimos.reports.services import open311_client_issue
from dimos.reports.tests.conftest import CITY, IN_IRAKLEIA, jpeg_with_gps, upload
from dimos.reports.tests.open311_helpers import (
    FORMATS,
    J,
    error_list,
    requests_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=SERRES_HOST)


@pytest.fixture
def api_key(serres, categories) -> str:
    _, raw = open311_client_issue(municipality=serres, name="Test app")
    return raw


# --- POST requests --------------------------------------------------------------------


def _post(client, fmt, data):
    return client.post(f"/open311/v2/requests.{fmt}", data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request(client, serres, api_key, fmt, mailoutbox):
    response = _post(
        client,
        fmt,
        {
            **J,
            "api_key": api_key,
            "service_code": "pothole",
            "lat": str(CITY[0]),
            "long": str(CITY[1]),
            "attribute[size]": "large",
            "description": "Μεγάλη λακκούβα μπροστά στο περίπτερο.",
            "email": "app.user@example.org",
            "first_name": "Κώστας",
            "last_name": "Ιδιώτης",
            "phone": "6912345678",
            "device_id": "dev-1",
            "account_id": "acc-9",
            "media_url": "https://img.example.org/p/1.jpg",
        },
    )
    assert response.status_code == 200, response.content
    data = requests_of(response, fmt)
    assert len(data) == 1
    item = data[0]
    report = Report.objects.get(pk=int(item["service_request_id"]))
    assert item["token"] == report.open311_token
    assert item["account_id"] == "acc-9"
    assert item["service_notice"]
    assert report.source == "open311" and report.client.name == "Test app"
    assert report.attributes == {"size": "large"}
    assert report.reporter_email == "app.user@example.org" and report.show_name is False
    assert report.department.code == "odopoiia"
    assert report.media_url == "https://img.example.org/p/1.jpg"
    # follow it
    follow = client.get(f"/open311/v2/requests/{report.pk}.{fmt}", J)
    record = requests_of(follow, fmt)[0]
    assert record["service_request_id"] == str(report.pk)
    assert record["status"] == "open"
    assert record["media_url"] == "https://img.example.org/p/1.jpg"
    for secret in (b"app.user@example.org", "Ιδιώτης".encode(), b"6912345678", b"acc-9", b"dev-1"):
        assert secret not in follow.content


def test_post_multivalue_attribute(client, serres, api_key):
    response = _post(
        client,
        "json",
        {
            **J,
            "api_key": api_key,
            "service_code": "waste-bin",
            "lat": str(CITY[0]),
            "long": str(CITY[1]),
            "attribute[bin_type][]": ["general", "recycling"],
        },
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert report.attributes == {"bin_type": ["general", "recycling"]}
    assert report.description == ""


def test_post_by_address_string_and_id(client, serres, api_key):
    from dimos.reports.models import Street

    street = Street.objects.create(municipality=serres, name="Μεραρχίας", lat=41.0830, lon=23.5530)
    response = _post(
        client,
        "json",
        {
            **J,
            "api_key": api_key,
            "service_code": "street-light",
            "address_string": "Μεραρχιας 12",
            "description": "x",
        },
    )
    assert response.status_code == 200, response.content
    report = Report.objects.get()
    assert (report.lat, report.lon, report.address) == (41.0830, 23.5530, "Μεραρχιας 12")
    response = _post(
        client,
        "json",
        {**J, "api_key": api_key, "service_code": "street-light", "address_id": str(street.pk)},
    )
    assert response.status_code == 200


def test_post_with_media_upload_is_sanitised(client, serres, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            **J,
            "api_key": api_key,
            "service_code": "street-light",
            "lat": str(CITY[0]),
            "long": str(CITY[1]),
            "media": upload(jpeg_with_gps()),
        },
    )
    assert response.status_code == 200
    photo = ReportPhoto.objects.get()
    assert photo.is_public is False
    assert b"GPS" not in photo.image.read()


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("key", "status"),
    [(None, 403), ("", 403), ("wrong-key", 403)],
)
def test_post_key_problems(client, serres, api_key, fmt, key, status):
    data = {**J, "service_code": "street-light", "lat": str(CITY[0]), "long": str(CITY[1])}
    if key is not None:
        data["api_key"] = key
    response = _post(client, fmt, data)
    assert response.status_code == status
    assert error_list(response, fmt)
    assert not Report.objects.exists()


def test_key_of_another_municipality_is_refused(client, serres, irakleia, categories):
    from dimos.reports.demo import seed_categories

    seed_categories(irakleia)
    _, other_key = open311_client_issue(municipality=irakleia, name="Other")
    response = _post(
        client,
        "json",
        {**J, "api_key": other_key, "service_code": "street-light", "lat": "41.0857", "long": "23.548"},
    )
    assert response.status_code == 403


def test_revoked_key_is_refused(client, serres, categories):
    client_obj, raw = open311_client_issue(municipality=serres, name="Old")
    client_obj.is_active = False
    client_obj.save()
    response = _post(
        client, "json", {**J, "api_key": raw, "service_code": "street-light", "lat": "41.08", "long": "23.54"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    ("data", "needle"),
    [
        ({"lat": "41.0857", "long": "23.548"}, "service_code"),
        ({"service_code": "no-such", "lat": "41.0857", "long": "23.548"}, "no-such"),
        ({"service_code": "street-light"}, "lat"),
        ({"service_code": "street-light", "lat": "41.0857"}, "long"),
        ({"service_code": "street-light", "lat": "abc", "long": "23.548"}, "αριθμοί"),
        ({"service_code": "street-light", "lat": "38.0", "long": "23.7"}, "εκτός"),
        (
            {"service_code": "street-light", "lat": str(IN_IRAKLEIA[0]), "long": str(IN_IRAKLEIA[1])},
            "Ηράκλειας",
        ),
        ({"service_code": "pothole", "lat": "41.0857", "long": "23.548"}, "Πόσο μεγάλη"),
        (
            {"service_code": "pothole", "lat": "41.0857", "long": "23.548", "attribute[size]": "huge"},
            "Πόσο μεγάλη",
        ),
        (
            {"service_code": "street-light", "lat": "41.0857", "long": "23.548", "description": "x" * 4001},
            "4000",
        ),
        (
            {
                "service_code": "street-light",
                "lat": "41.0857",
                "long": "23.548",
                "description": "<script>x</script>",
            },
            "HTML",
        ),
        (
            {"service_code": "street-light", "lat": "41.0857", "long": "23.548", "email": "not-an-email"},
            "email",
        ),
        (
            {
                "service_code": "street-light",
                "lat": "41.0857",
                "long": "23.548",
                "media_url": "javascript:alert(1)",
            },
            "media_url",
        ),
        ({"service_code": "street-light", "address_string": "Οδός που δεν υπάρχει"}, "Οδός"),
        ({"service_code": "street-light", "address_id": "999999"}, "address_id"),
    ],
)
def test_post_bad_input(client, serres, irakleia, api_key, fmt, data, needle):
    response = _post(client, fmt, {**J, "api_key": api_key, **data})
    assert response.status_code == 400, response.content
    assert any(needle in message for message in error_list(response, fmt)), error_list(response, fmt)
    assert not Report.objects.exists()


def test_post_several_errors_at_once(client, serres, api_key):
    response = _post(client, "json", {**J, "api_key": api_key, "email": "bad"})
    assert response.status_code == 400
    assert len(error_list(response, "json")) == 3


def test_post_not_image_media(client, serres, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            **J,
            "api_key": api_key,
            "service_code": "street-light",
            "lat": "41.0857",
            "long": "23.548",
            "media": upload(b"%PDF-1.4 not a photo", "x.jpg"),
        },
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
