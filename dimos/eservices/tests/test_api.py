"""The REST API: catalogue, citizen applications, staff queue and transitions, register, verification."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from dimos.core.testing import IRAKLEIA_HOST, SERRES_HOST, client_for
from dimos.eservices.constants import Status
from dimos.eservices.models import Application, IssuedDocument, ProtocolEntry


def test_catalogue_is_public(anon_client: Any, catalogue: Any) -> None:
    data = anon_client.get(reverse("services-api:catalogue")).json()
    slugs = {s["slug"] for s in data}
    assert {"monimi-katoikia", "dimotiki-enimerotita", "gov-gennisi"} <= slugs
    residence = next(s for s in data if s["slug"] == "monimi-katoikia")
    assert any(f["type"] == "afm" for f in residence["form"])


def test_citizen_creates_and_submits_through_the_api(citizen_client: Any, catalogue: Any) -> None:
    url = reverse("services-api:my_applications")
    created = citizen_client.post(
        url,
        {"service": "dimotiki-enimerotita", "data": {"father_name": "Γεώργιος", "purpose": "bank"}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["data"]["afm"] == "090000045"
    submit = reverse("services-api:my_application_submit", args=[pk])
    first = citizen_client.post(submit)
    second = citizen_client.post(submit)
    assert first.status_code == second.status_code == 200
    assert first.json()["protocol"] == second.json()["protocol"] == f"1/{timezone.localdate().year}"
    assert ProtocolEntry.objects.count() == 1
    detail = citizen_client.get(reverse("services-api:my_application", args=[pk])).json()
    assert detail["status"] == Status.SUBMITTED and detail["timeline"]
    assert [a["id"] for a in citizen_client.get(url).json()] == [pk]


def test_api_bad_input_is_problem_details(citizen_client: Any, citizen: Any, catalogue: Any) -> None:
    url = reverse("services-api:my_applications")
    response = citizen_client.post(url, {"service": "nope"}, content_type="application/json")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    citizen.afm = ""
    citizen.save()
    response = citizen_client.post(
        url,
        {"service": "eggrafi-dimotologio", "data": {"afm": "111111111", "amka": "99999999999"}},
        content_type="application/json",
    )
    body = response.json()
    assert response.status_code == 400 and {"afm", "amka"} <= set(body["errors"])
    assert not Application.objects.exists()
    # Submitting an incomplete draft: 400, no number consumed.
    created = citizen_client.post(
        url, {"service": "monimi-katoikia", "data": {}}, content_type="application/json"
    )
    response = citizen_client.post(reverse("services-api:my_application_submit", args=[created.json()["id"]]))
    assert response.status_code == 400 and "errors" in response.json()
    assert not ProtocolEntry.objects.exists()
    assert citizen_client.post(url, "{bad json", content_type="application/json").status_code == 400


def test_staff_queue_detail_and_transitions(alice: Any, submitted: Application, citizen_client: Any) -> None:
    client = client_for(alice, SERRES_HOST)
    listing = client.get(reverse("services-api:staff_applications") + "?view=open").json()
    assert listing["count"] == 1 and listing["results"][0]["protocol"] == submitted.protocol_label
    assert client.get(reverse("services-api:staff_applications") + "?view=nope").status_code == 400
    assert client.get(reverse("services-api:staff_applications") + "?department=x").status_code == 400
    url = reverse("services-api:staff_transition", args=[submitted.pk])
    bad = client.post(url, {"to_status": "issued"}, content_type="application/json")
    assert bad.status_code == 409 and bad.json()["type"].endswith("transition_not_allowed")
    assert client.post(url, {"to_status": "rejected"}, content_type="application/json").status_code == 400
    assert client.post(url, {"to_status": "whatever"}, content_type="application/json").status_code == 400
    ok = client.post(url, {"to_status": "in_review"}, content_type="application/json")
    assert ok.status_code == 200 and "approved" in ok.json()["allowed_transitions"]
    client.post(url, {"to_status": "approved"}, content_type="application/json")
    detail = client.get(reverse("services-api:staff_application", args=[submitted.pk])).json()
    assert detail["status"] == Status.ISSUED
    # The citizen API cannot reach staff endpoints.
    assert citizen_client.get(reverse("services-api:staff_applications")).status_code == 404


def test_register_entries_api(alice: Any, submitted: Application) -> None:
    client = client_for(alice, SERRES_HOST)
    today = timezone.localdate().isoformat()
    data = client.get(reverse("services-api:register_entries") + f"?start={today}&end={today}").json()
    assert data["results"][0]["number"] == 1
    assert client.get(reverse("services-api:register_entries") + "?start=x&end=y").status_code == 400
    assert (
        client.get(reverse("services-api:register_entries") + "?start=2026-02-01&end=2026-01-01").status_code
        == 400
    )


def test_verification_api(
    alice: Any, serres: Any, anon_client: Any, submitted: Application, irakleia: Any
) -> None:
    from dimos.eservices import services

    services.application_transition(
        application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.IN_REVIEW
    )
    services.application_transition(
        application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.APPROVED
    )
    document = IssuedDocument.objects.get()
    data = anon_client.get(reverse("services-api:verify", args=[document.code])).json()
    assert data["status"] == "valid" and data["protocol"] == document.protocol.label
    assert "Παπαδοπούλου" not in str(data)
    wrong = document.code[:-1] + ("0" if document.code[-1] != "0" else "1")
    response = anon_client.get(reverse("services-api:verify", args=[wrong]))
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    # Another municipality's host does not find Serres' document.
    other = client_for(None, IRAKLEIA_HOST)
    assert other.get(reverse("services-api:verify", args=[document.code])).status_code == 404


def test_openapi_schema_documents_the_endpoints(anon_client: Any, serres: Any) -> None:
    schema = anon_client.get(reverse("api-schema") + "?format=json").json()
    paths = schema["paths"]
    for path in [
        "/api/v1/services/catalogue/",
        "/api/v1/services/applications/",
        "/api/v1/services/staff/applications/{id}/transitions/",
        "/api/v1/services/staff/register/",
        "/api/v1/services/verify/{code}/",
    ]:
        assert path in paths
