"""Open311 GeoReport v2: every method and error, in XML and JSON."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.testing import SERRES_HOST
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report
from dimos.reports.services import (
    Reporter,
    report_comment,
    report_submit,
    report_transition,
)
from dimos.reports.tests.conftest import CITY, jpeg_with_gps, upload
from dimos.reports.tests.open311_helpers import (
    FORMATS,
    J,
    _report,
    error_list,
    parse,
    requests_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client(HTTP_HOST=SERRES_HOST)


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


def test_cached_list_follows_every_change(client, serres, categories, alice):
    from dimos.reports.services import photo_set_public

    first = _report(serres, categories, photos=[upload(jpeg_with_gps())])
    assert [r["status"] for r in parse(client.get("/open311/v2/requests.json", J))] == ["open"]
    report_transition(report=first, to_status=ReportStatus.FIXED, actor=alice)
    assert [r["status"] for r in parse(client.get("/open311/v2/requests.json", J))] == ["closed"]
    photo_set_public(photo=first.photos.get(), public=True, actor=alice)
    assert parse(client.get("/open311/v2/requests.json", J))[0]["media_url"]
    _report(serres, categories)
    assert len(parse(client.get("/open311/v2/requests.json", J))) == 2
    map_url = "/reports/map-data/?bbox=23.4,40.9,23.7,41.4&zoom=18"
    assert sum(f["properties"]["count"] for f in client.get(map_url).json()["features"]) == 2
    _report(serres, categories, code="waste-bin")
    assert sum(f["properties"]["count"] for f in client.get(map_url).json()["features"]) == 3
