"""The cached queue body and verification result never show stale data."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dimos.core.models import AuditEvent, Department
from dimos.core.testing import SERRES_HOST
from dimos.eservices import caching, services
from dimos.eservices.constants import DocumentStatus, Status
from dimos.eservices.models import Application, IssuedDocument, VerificationLookup


def _act(client: Any, app: Application, **data: Any) -> Any:
    return client.post(reverse("services:staff_application_action", args=[app.pk]), data, follow=True)


def _badge(label: str) -> str:
    return f'">{label}</span>'


def test_queue_shows_a_transition_at_once(alice_client: Any, alice: Any, submitted: Application) -> None:
    url = reverse("services:staff_queue") + "?department=all&view=open"
    page = alice_client.get(url).content.decode()
    assert _badge(Status.SUBMITTED.label) in page
    assert _badge(Status.SUBMITTED.label) in alice_client.get(url).content.decode()  # from the cache
    services.application_transition(
        application_id=submitted.pk,
        municipality=submitted.municipality,
        actor=alice,
        to_status=Status.IN_REVIEW,
    )
    page = alice_client.get(url).content.decode()
    assert _badge(Status.IN_REVIEW.label) in page and _badge(Status.SUBMITTED.label) not in page


def test_queue_department_filter_follows_department_changes(
    alice_client: Any, serres: Any, submitted: Application
) -> None:
    url = reverse("services:staff_queue") + "?department=all"
    assert "Νέο Τμήμα Δοκιμής" not in alice_client.get(url).content.decode()
    new = Department.objects.create(
        municipality=serres, code="new-test", name_el="Νέο Τμήμα Δοκιμής", name_en="New"
    )
    assert "Νέο Τμήμα Δοκιμής" in alice_client.get(url).content.decode()
    assert alice_client.get(reverse("services:staff_queue") + f"?department={new.pk}").status_code == 200


def test_queue_mine_is_per_clerk(alice_client: Any, alice: Any, submitted: Application) -> None:
    key = {"municipality_id": 1, "department_id": None, "view": "mine", "page": 1, "lang": "el"}
    key["today"] = submitted.created_at
    assert caching.queue_body_key(**key, user_id=1) != caching.queue_body_key(**key, user_id=2)
    key["view"] = "open"
    assert caching.queue_body_key(**key, user_id=1) == caching.queue_body_key(**key, user_id=2)


def test_verification_result_follows_revocation_and_logs_every_lookup(
    alice_client: Any, alice: Any, anon_client: Any, submitted: Application
) -> None:
    _act(alice_client, submitted, action="transition", to_status="in_review")
    _act(alice_client, submitted, action="transition", to_status="approved")
    document = IssuedDocument.objects.get(application=submitted)
    url = reverse("verify:document", args=[document.code])
    for _ in range(2):
        page = anon_client.get(url)
        assert page.status_code == 200 and "Έγκυρο έγγραφο" in page.content.decode()
    assert VerificationLookup.objects.filter(how="lookup", document=document).count() == 2
    services.document_revoke(
        document_id=document.pk, municipality=document.municipality, actor=alice, reason="Λάθος διεύθυνση"
    )
    html = anon_client.get(url).content.decode()
    assert "ανακλήθηκε" in html and "Έγκυρο έγγραφο" not in html
    lookups = VerificationLookup.objects.filter(how="lookup", document=document).order_by("pk")
    assert [e.result for e in lookups][-1] == DocumentStatus.REVOKED
    assert all(e.created_at is not None and e.municipality_id == document.municipality_id for e in lookups)
    # Public lookups stay out of the staff audit trail.
    assert not AuditEvent.objects.filter(action__startswith="services.verify_").exists()


def test_verification_page_sets_no_cookie_and_its_comparison_needs_no_token(
    alice_client: Any, anon_client: Any, submitted: Application
) -> None:
    _act(alice_client, submitted, action="transition", to_status="in_review")
    _act(alice_client, submitted, action="transition", to_status="approved")
    document = IssuedDocument.objects.get(application=submitted)
    url = reverse("verify:document", args=[document.code])
    for _ in range(2):  # the second page comes from the caches
        visitor = Client(HTTP_HOST=SERRES_HOST, enforce_csrf_checks=True)
        page = visitor.get(url)
        html = page.content.decode()
        assert page.status_code == 200 and "\x00" not in html
        assert "csrfmiddlewaretoken" not in html and not page.cookies
        # The comparison form posts without a token (public, changes nothing).
        response = visitor.post(url, {"pdf": SimpleUploadedFile("d.pdf", b"%PDF-1.4 not ours")})
        assert response.status_code == 200 and "διαφέρει" in response.content.decode()
