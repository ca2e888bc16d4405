from typing import Any

from django.test import Client

from dimos.core.testing import SERRES_HOST, client_for


def test_public_municipality_directory(anon_client: Client, irakleia: Any) -> None:
    response = anon_client.get("/api/v1/municipalities/")
    assert response.status_code == 200
    slugs = {m["slug"] for m in response.json()}
    assert {"serres", "irakleia"} <= slugs


def test_departments_need_staff_and_answer_problem_details(anon_client: Client) -> None:
    response = anon_client.get("/api/v1/departments/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= set(body)
    assert body["status"] == response.status_code


def test_staff_see_their_departments(alice: Any, serres_department: Any) -> None:
    response = client_for(alice, SERRES_HOST).get("/api/v1/departments/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"][0]["code"] == "dimotologio"


def test_unknown_api_path_is_404(anon_client: Client) -> None:
    assert anon_client.get("/api/v1/nothing-here/").status_code == 404


def test_schema_and_docs_are_served(anon_client: Client) -> None:
    schema = anon_client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/municipalities/" in schema.content
    docs = anon_client.get("/api/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
    assert b"cdn" not in docs.content.lower()  # served from the sidecar package
