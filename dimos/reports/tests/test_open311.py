"""Open311 GeoReport v2: every method and error, in XML and JSON."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.testing import SERRES_HOST
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report, ReportPhoto
from dimos.reports.services import (
    Reporter,
    open311_client_issue,
    report_comment,
    report_submit,
    report_transition,
)
from dimos.reports.tests.conftest import CITY, IN_IRAKLEIA, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db
FORMATS = ["json", "xml"]
J = {"jurisdiction_id": "serres.gr"}


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=SERRES_HOST)


@pytest.fixture
def api_key(serres, categories) -> str:
    _, raw = open311_client_issue(municipality=serres, name="Test app")
    return raw


def parse(response):
    """(content type kind, data) with XML turned into comparable Python structures."""
    ctype = response["Content-Type"]
    if ctype.startswith("application/json"):
        assert ctype == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert ctype == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def error_list(response, fmt):
    data = parse(response)
    if fmt == "json":
        assert isinstance(data, list) and data
        for item in data:
            assert set(item) == {"code", "description"}
            assert item["code"] == str(response.status_code)
        return [item["description"] for item in data]
    assert data.tag == "errors"
    items = data.findall("error")
    assert items
    for item in items:
        assert item.findtext("code") == str(response.status_code)
    return [item.findtext("description") for item in items]


def requests_of(response, fmt):
    data = parse(response)
    if fmt == "json":
        return data
    assert data.tag == "service_requests"
    return [{child.tag: (child.text or "") for child in item} for item in data.findall("request")]


def _report(serres, categories, code="street-light", **kw):
    return report_submit(
        municipality=serres,
        category=categories[code],
        lat=kw.pop("lat", CITY[0]),
        lon=kw.pop("lon", CITY[1]),
        description=kw.pop("description", "Σβηστή λάμπα στη γωνία."),
        reporter=Reporter(name="Ιωάννα Κρυφή", email="secret.person@example.org", phone="6900000001"),
        source="open311",
        **kw,
    )


# --- discovery -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, serres, fmt):
    response = client.get(f"/open311/discovery.{fmt}")
    assert response.status_code == 200
    data = parse(response)
    if fmt == "json":
        assert set(data) == {"changeset", "contact", "key_service", "endpoints"}
        endpoint = data["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"].endswith("/open311/v2/")
        assert endpoint["type"] in ("production", "test")
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert "+" in data["changeset"] or data["changeset"].endswith("Z")
    else:
        assert data.tag == "discovery"
        endpoint = data.find("endpoints/endpoint")
        assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
        assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_unknown_jurisdiction(client, serres, fmt):
    response = client.get(f"/open311/discovery.{fmt}", {"jurisdiction_id": "nowhere.gr"})
    assert response.status_code == 404
    assert error_list(response, fmt)


# --- services ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_services(client, categories, fmt):
    response = client.get(f"/open311/v2/services.{fmt}", J)
    assert response.status_code == 200
    data = parse(response)
    if fmt == "json":
        by_code = {s["service_code"]: s for s in data}
        light = by_code["street-light"]
        assert set(light) == {
            "service_code",
            "service_name",
            "description",
            "metadata",
            "type",
            "keywords",
            "group",
        }
        assert light["metadata"] is True and light["type"] == "realtime"
        assert light["group"] == "Φωτισμός"
        assert by_code["pavement"]["metadata"] is False
    else:
        services = {s.findtext("service_code"): s for s in data.findall("service")}
        assert services["street-light"].findtext("metadata") == "true"
        assert services["pavement"].findtext("metadata") == "false"
        assert services["water-leak"].findtext("group") == "Νερό και όμβρια"
    assert len(data) == 12


def test_services_in_english(client, categories):
    data = parse(client.get("/open311/v2/services.json", J, HTTP_ACCEPT_LANGUAGE="en"))
    assert {s["service_code"]: s["service_name"] for s in data}["pothole"] == "Pothole / damaged road surface"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client, categories, fmt):
    response = client.get(f"/open311/v2/services/pothole.{fmt}", J)
    assert response.status_code == 200
    data = parse(response)
    if fmt == "json":
        assert data["service_code"] == "pothole"
        attr = data["attributes"][0]
        assert attr == {
            "variable": True,
            "code": "size",
            "datatype": "singlevaluelist",
            "required": True,
            "datatype_description": "",
            "order": 1,
            "description": "Πόσο μεγάλη είναι;",
            "values": [
                {"key": "small", "name": "Μικρή (< 30 cm)"},
                {"key": "medium", "name": "Μεσαία (30–100 cm)"},
                {"key": "large", "name": "Μεγάλη (> 1 m)"},
            ],
        }
    else:
        assert data.tag == "service_definition"
        attr = data.find("attributes/attribute")
        assert attr.findtext("required") == "true"
        assert [v.findtext("key") for v in attr.findall("values/value")] == ["small", "medium", "large"]
        assert attr.findtext("order") == "1"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_unknown(client, categories, fmt):
    response = client.get(f"/open311/v2/services/nope.{fmt}", J)
    assert response.status_code == 404
    assert error_list(response, fmt)


# --- jurisdiction ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_jurisdiction_required_with_several_municipalities(client, categories, irakleia, fmt):
    response = client.get(f"/open311/v2/services.{fmt}")
    assert response.status_code == 400
    assert "jurisdiction_id" in error_list(response, fmt)[0]


def test_jurisdiction_optional_with_one_municipality(client, categories):
    response = client.get("/open311/v2/services.json")
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_jurisdiction(client, categories, fmt):
    response = client.get(f"/open311/v2/services.{fmt}", {"jurisdiction_id": "atlantis.gr"})
    assert response.status_code == 404
    assert error_list(response, fmt)


def test_empty_jurisdiction_means_absent(client, categories, irakleia):
    assert client.get("/open311/v2/services.json", {"jurisdiction_id": ""}).status_code == 400


def test_jurisdiction_maps_to_the_right_municipality(client, serres, categories, irakleia):
    from dimos.reports.demo import seed_categories

    seed_categories(irakleia)
    _report(serres, categories)
    assert len(parse(client.get("/open311/v2/requests.json", J))) == 1
    assert parse(client.get("/open311/v2/requests.json", {"jurisdiction_id": "irakleia.gr"})) == []


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


# --- tokens -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_token(client, serres, categories, fmt):
    report = _report(serres, categories)
    response = client.get(f"/open311/v2/tokens/{report.open311_token}.{fmt}", J)
    assert response.status_code == 200
    assert requests_of(response, fmt) == [
        {"service_request_id": str(report.pk), "token": report.open311_token}
    ]


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_unknown(client, categories, fmt):
    response = client.get(f"/open311/v2/tokens/nope.{fmt}", J)
    assert response.status_code == 404
    assert error_list(response, fmt)


# --- GET requests ------------------------------------------------------------------------

REQUIRED_FIELDS = {
    "service_request_id",
    "status",
    "service_name",
    "service_code",
    "description",
    "requested_datetime",
    "updated_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests(client, serres, categories, alice, fmt):
    a = _report(serres, categories)
    b = _report(serres, categories, code="waste-bin")
    report_transition(report=b, to_status=ReportStatus.FIXED, actor=alice, comment="Αδειάστηκε.")
    response = client.get(f"/open311/v2/requests.{fmt}", J)
    assert response.status_code == 200
    records = requests_of(response, fmt)
    assert [r["service_request_id"] for r in records] == [str(b.pk), str(a.pk)]
    for record in records:
        assert set(record) >= REQUIRED_FIELDS
    fixed = records[0]
    assert fixed["status"] == "closed" and fixed["status_notes"] == "Αδειάστηκε."
    assert records[1]["status"] == "open"
    assert "+02:00" in records[1]["requested_datetime"] or "+03:00" in records[1]["requested_datetime"]
    if fmt == "json":
        assert isinstance(records[0]["service_request_id"], str)
        assert records[1]["lat"] == CITY[0]
    for secret in (b"secret.person@example.org", "Κρυφή".encode(), b"6900000001"):
        assert secret not in response.content


def test_get_requests_filters(client, serres, categories, alice):
    a = _report(serres, categories)
    b = _report(serres, categories, code="waste-bin")
    report_transition(report=b, to_status=ReportStatus.CLOSED, actor=alice)

    def ids(**params):
        return [
            r["service_request_id"] for r in parse(client.get("/open311/v2/requests.json", {**J, **params}))
        ]

    assert ids(status="open") == [str(a.pk)]
    assert ids(status="closed") == [str(b.pk)]
    assert ids(status="open,closed") == [str(b.pk), str(a.pk)]
    assert ids(service_code="waste-bin") == [str(b.pk)]
    assert ids(service_code="waste-bin,street-light") == [str(b.pk), str(a.pk)]
    # service_request_id overrides every other filter
    assert ids(service_request_id=f"{a.pk},{b.pk}", service_code="nothing", status="closed") == [
        str(b.pk),
        str(a.pk),
    ]
    now = timezone.now()
    assert ids(start_date=(now - dt.timedelta(days=1)).isoformat()) == [str(b.pk), str(a.pk)]
    assert ids(end_date=(now - dt.timedelta(days=1)).isoformat()) == []
    assert ids(
        start_date=(now - dt.timedelta(days=3)).date().isoformat(),
        end_date=(now + dt.timedelta(days=1)).date().isoformat(),
    ) == [str(b.pk), str(a.pk)]
    # an old report falls out of the default 90-day window
    Report.objects.filter(pk=a.pk).update(created_at=now - dt.timedelta(days=120))
    assert ids() == [str(b.pk)]
    assert ids(service_request_id=str(a.pk)) == [str(a.pk)]


def test_unconfirmed_reports_are_not_listed(client, serres, categories):
    report = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Ανώνυμη",
        reporter=Reporter(email="anon@example.org"),
    )
    assert not report.is_public
    assert parse(client.get("/open311/v2/requests.json", J)) == []
    assert client.get(f"/open311/v2/requests/{report.pk}.json", J).status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2026-01-01T00:00:00+02:00", "end_date": "2026-06-01T00:00:00+02:00"},
        {"start_date": "yesterday"},
        {"end_date": "2026-13-45"},
        {"start_date": "2026-03-01", "end_date": "2026-02-01"},
        {"status": "pending"},
    ],
)
def test_get_requests_bad_input(client, categories, fmt, params):
    response = client.get(f"/open311/v2/requests.{fmt}", {**J, **params})
    assert response.status_code == 400
    assert error_list(response, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_request_unknown(client, categories, fmt):
    for rid in ("999999", "abc"):
        response = client.get(f"/open311/v2/requests/{rid}.{fmt}", J)
        assert response.status_code == 404
        assert error_list(response, fmt)


def test_public_photo_is_media_url_only_after_publishing(client, serres, categories, alice):
    from dimos.reports.services import photo_set_public

    report = _report(serres, categories, photos=[upload(jpeg_with_gps())])
    record = parse(client.get(f"/open311/v2/requests/{report.pk}.json", J))[0]
    assert record["media_url"] == ""
    photo_set_public(photo=report.photos.get(), public=True, actor=alice)
    record = parse(client.get(f"/open311/v2/requests/{report.pk}.json", J))[0]
    assert record["media_url"].startswith("http://serres.localhost/reports/")
    assert client.get(record["media_url"].replace("http://serres.localhost", "")).status_code == 200


# --- servicerequestupdates --------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_updates(client, serres, categories, alice, fmt):
    report = _report(serres, categories)
    report_transition(
        report=report, to_status=ReportStatus.IN_PROGRESS, actor=alice, comment="Ανατέθηκε σε συνεργείο."
    )
    report_comment(report=report, actor=alice, text="Εσωτερικό: να δει ο Γιώργος", public=False)
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=alice)
    response = client.get(f"/open311/v2/servicerequestupdates.{fmt}", J)
    assert response.status_code == 200
    data = parse(response)
    if fmt == "xml":
        assert data.tag == "service_request_updates"
        data = [{c.tag: (c.text or "") for c in item} for item in data.findall("request_update")]
    assert [u["status"] for u in data] == ["IN_PROGRESS", "FIXED"]
    assert set(data[0]) == {
        "update_id",
        "service_request_id",
        "status",
        "updated_datetime",
        "description",
        "media_url",
    }
    assert data[0]["description"] == "Ανατέθηκε σε συνεργείο."
    assert data[1]["description"] == "Διορθώθηκε"
    assert "Γιώργος".encode() not in response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_updates_span(client, categories, fmt):
    response = client.get(
        f"/open311/v2/servicerequestupdates.{fmt}",
        {**J, "start_date": "2026-01-01", "end_date": "2026-05-01"},
    )
    assert response.status_code == 400
    assert error_list(response, fmt)


# --- other errors ------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_method_and_path(client, categories, fmt):
    response = client.get(f"/open311/v2/nothing.{fmt}", J)
    assert response.status_code == 404
    assert error_list(response, fmt)
    response = client.delete(f"/open311/v2/services.{fmt}?jurisdiction_id=serres.gr")
    assert response.status_code == 400
    assert error_list(response, fmt)
