"""The CKAN Action API: read by the ``ckanapi`` client unchanged, with CKAN's envelope and errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dimos.core.testing import SERRES_HOST

pytestmark = pytest.mark.django_db


def _get(client: Any, action: str, **params: Any) -> Any:
    response = client.get(f"/api/3/action/{action}", params, HTTP_HOST=SERRES_HOST)
    return response.status_code, response.json()


def test_the_envelope(built: Any, client: Any) -> None:
    status, body = _get(client, "package_list")
    assert status == 200
    assert set(body) == {"help", "success", "result"} and body["success"] is True
    assert "serres-air-quality-hourly" in body["result"]


def test_unversioned_path_serves_the_same(built: Any, client: Any) -> None:
    response = client.get("/api/action/package_list", HTTP_HOST=SERRES_HOST)
    assert response.json()["result"] == _get(client, "package_list")[1]["result"]


def test_package_show_has_the_fields_harvesters_read(built: Any, client: Any) -> None:
    _status, body = _get(client, "package_show", id="serres-reports")
    package = body["result"]
    for field in [
        "id",
        "name",
        "title",
        "notes",
        "license_id",
        "license_title",
        "license_url",
        "organization",
        "owner_org",
        "tags",
        "groups",
        "resources",
        "metadata_created",
        "metadata_modified",
        "maintainer",
        "maintainer_email",
        "url",
        "state",
        "type",
        "private",
        "num_resources",
        "num_tags",
        "extras",
    ]:
        assert field in package, field
    assert package["license_id"] == "CC-BY-4.0"
    assert package["organization"]["name"] == "serres"
    assert {r["format"] for r in package["resources"]} == {"CSV", "JSON", "GeoJSON"}
    csv_resource = next(r for r in package["resources"] if r["format"] == "CSV")
    download = client.get(csv_resource["url"].replace("http://serres.localhost", ""), HTTP_HOST=SERRES_HOST)
    assert download.status_code == 200
    assert int(csv_resource["size"]) == len(b"".join(download.streaming_content))
    # by id as well as by name
    assert _get(client, "package_show", id=package["id"])[1]["result"]["name"] == "serres-reports"


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("package_show", {"id": "no-such-dataset"}),
        ("organization_show", {"id": "no-such-municipality"}),
        ("group_show", {"id": "nothing"}),
        ("resource_show", {"id": "not-a-uuid"}),
        ("datastore_search", {"resource_id": "00000000-0000-0000-0000-000000000000"}),
    ],
)
def test_unknown_objects_answer_not_found(built: Any, client: Any, action: str, params: dict) -> None:
    status, body = _get(client, action, **params)
    assert status == 404
    assert body["success"] is False
    assert body["error"] == {"__type": "Not Found Error", "message": "Not found"}


@pytest.mark.parametrize(
    ("action", "params", "field"),
    [
        ("package_search", {"rows": "ten"}, "rows"),
        ("package_search", {"rows": "-1"}, "rows"),
        ("package_search", {"start": "x"}, "start"),
        ("package_search", {"fq": "colour:blue"}, "fq"),
        ("package_search", {"fq": 'tags:"unclosed'}, "fq"),
        ("package_search", {"sort": "name sideways"}, "sort"),
        ("package_search", {"facet.field": '["password"]'}, "facet.field"),
        ("package_list", {"limit": "many"}, "limit"),
        ("package_show", {}, "id"),
        ("datastore_search", {"resource_id": "RID", "filters": "{not json"}, "filters"),
        ("datastore_search", {"resource_id": "RID", "filters": '{"nope": 1}'}, "filters"),
        ("datastore_search", {"resource_id": "RID", "filters": "[1, 2]"}, "filters"),
        ("datastore_search", {"resource_id": "RID", "limit": "-5"}, "limit"),
        ("datastore_search", {"resource_id": "RID", "sort": "nope desc"}, "sort"),
        ("datastore_search", {"resource_id": "RID", "fields": "id,nope"}, "fields"),
    ],
)
def test_bad_parameters_answer_a_validation_error(
    built: Any, client: Any, action: str, params: dict, field: str
) -> None:
    if params.get("resource_id") == "RID":
        package = _get(client, "package_show", id="serres-reports")[1]["result"]
        params["resource_id"] = next(r["id"] for r in package["resources"] if r["format"] == "CSV")
    status, body = _get(client, action, **params)
    assert status == 409, body
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert field in body["error"]


def test_a_nul_byte_is_a_validation_error_not_a_500(built: Any, client: Any) -> None:
    response = client.get("/api/3/action/package_search?q=%00", HTTP_HOST=SERRES_HOST)
    assert response.status_code == 409
    assert response.json()["error"]["__type"] == "Validation Error"


def test_a_deep_json_body_is_a_validation_error(built: Any, client: Any) -> None:
    response = client.post(
        "/api/3/action/package_search", "[" * 100000, content_type="application/json", HTTP_HOST=SERRES_HOST
    )
    assert response.status_code == 409


def test_rows_are_capped_at_1000(built: Any, client: Any) -> None:
    status, body = _get(client, "package_search", rows="100000")
    assert status == 200
    assert body["result"]["count"] == len(body["result"]["results"]) <= 1000


def test_package_search_q_is_greek_aware(built: Any, client: Any) -> None:
    # «ΠΟΙΟΤΗΤΑ» without accents, in capitals, finds «Ποιότητα του αέρα».
    result = _get(client, "package_search", q="ΠΟΙΟΤΗΤΑ αερα")[1]["result"]
    assert [p["name"] for p in result["results"]] == ["serres-air-quality-hourly"]


def test_package_search_fq_sort_paging_and_facets(built: Any, client: Any) -> None:
    result = _get(
        client,
        "package_search",
        fq="organization:serres groups:envi",
        sort="name asc",
        rows=1,
        start=1,
        **{"facet.field": json.dumps(["groups", "res_format"])},
    )[1]["result"]
    assert result["count"] == 2  # air quality, noise
    assert [p["name"] for p in result["results"]] == ["serres-noise-hourly"]
    assert result["facets"]["groups"] == {"envi": 2}
    assert result["facets"]["res_format"] == {"CSV": 2, "JSON": 2, "GeoJSON": 2}
    assert result["search_facets"]["groups"]["items"][0] == {
        "name": "envi",
        "display_name": "envi",
        "count": 2,
    }


def test_organizations_and_groups(built: Any, client: Any) -> None:
    assert _get(client, "organization_list")[1]["result"] == ["serres"]
    org = _get(client, "organization_show", id="serres")[1]["result"]
    assert org["package_count"] == 13 and org["title"] == "Δήμος Σερρών"
    groups = _get(client, "group_list")[1]["result"]
    assert set(groups) == {"envi", "tran", "gove", "regi", "educ"}


def test_datastore_search_filters_and_pages(built: Any, client: Any) -> None:
    package = _get(client, "package_show", id="serres-reports")[1]["result"]
    rid = next(r["id"] for r in package["resources"] if r["format"] == "CSV")
    everything = _get(client, "datastore_search", resource_id=rid, limit=3)[1]["result"]
    assert everything["total"] == 8 and len(everything["records"]) == 3
    assert {"id": "id", "type": "int"} in everything["fields"]
    fixed = _get(
        client,
        "datastore_search",
        resource_id=rid,
        filters=json.dumps({"status": "fixed"}),
        fields="id,status,days_to_resolve",
        sort="id desc",
        limit=2,
        offset=1,
    )[1]["result"]
    assert fixed["total"] == 4
    assert [set(r) for r in fixed["records"]] == [{"id", "status", "days_to_resolve"}] * 2
    assert fixed["records"][0]["id"] > fixed["records"][1]["id"]
    assert all(r["status"] == "fixed" and r["days_to_resolve"] == 2.0 for r in fixed["records"])


def test_another_municipality_sees_none_of_it(built: Any, irakleia: Any, client: Any) -> None:
    response = client.get("/api/3/action/package_show?id=serres-reports", HTTP_HOST="irakleia.localhost")
    assert response.status_code == 404
    response = client.get("/api/3/action/package_list", HTTP_HOST="irakleia.localhost")
    assert response.json()["result"] == []


@pytest.mark.django_db(transaction=True)
def test_ckanapi_reads_the_catalogue_unchanged(built: Any, live_server: Any) -> None:
    from ckanapi import NotFound, RemoteCKAN, ValidationError

    # The live server answers on localhost; the municipality is found by host name.
    from dimos.core.tenancy import host_map_invalidate

    municipality = built.municipality
    municipality.hostnames = [*municipality.hostnames, "localhost"]
    municipality.save(update_fields=["hostnames"])
    host_map_invalidate(municipality.pk)

    ckan = RemoteCKAN(live_server.url, user_agent="dimos-tests/1.0")
    names = ckan.action.package_list()
    assert "serres-reports" in names
    found = ckan.action.package_search(q="θόρυβος", fq="organization:serres tags:noise", rows=5)
    assert [p["name"] for p in found["results"]] == ["serres-noise-hourly"]
    package = ckan.action.package_show(id="serres-air-quality-hourly")
    assert package["organization"]["name"] == "serres"
    assert ckan.action.organization_list() == ["serres"]
    rid = next(r["id"] for r in package["resources"] if r["format"] == "CSV")
    rows = ckan.action.datastore_search(resource_id=rid, filters={"station": "station-1"}, limit=2)
    assert rows["total"] == 6 and len(rows["records"]) == 2
    with pytest.raises(NotFound):
        ckan.action.package_show(id="no-such-dataset")
    with pytest.raises(ValidationError):
        ckan.action.package_search(rows="many")
