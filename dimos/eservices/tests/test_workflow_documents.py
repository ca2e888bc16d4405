"""Clerk workflow, issued documents and public verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dimos.core.constants import StaffRole
from dimos.core.exceptions import TransitionNotAllowed, ValidationFailed
from dimos.core.models import AuditEvent, Department
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.eservices import selectors, services
from dimos.eservices.codes import code_display
from dimos.eservices.constants import VERIFY_RATE_PER_MINUTE, DocumentStatus, Status
from dimos.eservices.models import Application, IssuedDocument, VerificationLookup

from .conftest import make_submitted


def _act(client: Any, app: Application, **data: Any) -> Any:
    return client.post(reverse("services:staff_application_action", args=[app.pk]), data, follow=True)


def test_queue_shows_department_applications(alice_client: Any, submitted: Application) -> None:
    page = alice_client.get(reverse("services:staff_queue")).content.decode()
    assert submitted.protocol_label in page and "Παπαδοπούλου" in page
    detail = alice_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    assert "Μεραρχίας 12" in detail and "bill.pdf" in detail
    assert AuditEvent.objects.filter(action="services.citizen_contact_read").exists()
    for view in ["mine", "overdue", "due_soon", "awaiting", "done", "all", "bogus"]:
        assert (
            alice_client.get(reverse("services:staff_queue") + f"?view={view}&department=all").status_code
            == 200
        )
    assert alice_client.get(reverse("services:staff_queue") + "?department=abc").status_code == 404


def test_citizen_cannot_reach_staff_pages(citizen_client: Any, submitted: Application) -> None:
    assert citizen_client.get(reverse("services:staff_queue")).status_code == 404
    assert citizen_client.get(reverse("services:staff_application", args=[submitted.pk])).status_code == 404


def test_approval_issues_a_verifiable_pdf(
    alice_client: Any, citizen_client: Any, anon_client: Any, submitted: Application
) -> None:
    _act(alice_client, submitted, action="transition", to_status="in_review")
    _act(alice_client, submitted, action="transition", to_status="approved", confirmed="1")
    submitted.refresh_from_db()
    assert submitted.status == Status.ISSUED
    document = IssuedDocument.objects.get(application=submitted)
    pdf = citizen_client.get(reverse("services:my_document", args=[submitted.pk, document.pk]))
    data = b"".join(pdf.streaming_content)
    assert data.startswith(b"%PDF") and hashlib.sha256(data).hexdigest() == document.sha256
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "ΒΕΒΑΙΩΣΗ ΜΟΝΙΜΗΣ ΚΑΤΟΙΚΙΑΣ" in text and document.protocol.label in text
    assert f"/verify/{document.code}/" in text and "Μαρία Παπαδοπούλου" in text
    assert document.protocol.direction == "out"
    # Public verification: valid, no personal data.
    page = anon_client.get(reverse("verify:document", args=[document.code]))
    html = page.content.decode()
    assert page.status_code == 200 and "Έγκυρο έγγραφο" in html and document.protocol.label in html
    for personal in ["Παπαδοπούλου", "Μαρία", "090000045", "Μεραρχίας"]:
        assert personal not in html
    # Upload comparison.
    same = anon_client.post(
        reverse("verify:document", args=[document.code]), {"pdf": SimpleUploadedFile("d.pdf", data)}
    )
    assert "πανομοιότυπο" in same.content.decode()
    other = anon_client.post(
        reverse("verify:document", args=[document.code]), {"pdf": SimpleUploadedFile("d.pdf", data + b"x")}
    )
    assert "διαφέρει" in other.content.decode()
    logged = VerificationLookup.objects.filter(document=document)
    assert sorted(logged.values_list("how", "result")) == [
        ("lookup", DocumentStatus.VALID),
        ("upload", "match"),
        ("upload", "mismatch"),
    ]


def test_revocation_and_supersession_show_on_the_verification_page(
    alice_client: Any, anon_client: Any, submitted: Application
) -> None:
    _act(alice_client, submitted, action="transition", to_status="in_review")
    _act(alice_client, submitted, action="transition", to_status="approved", confirmed="1")
    first = IssuedDocument.objects.get(application=submitted)
    _act(alice_client, submitted, action="reissue")
    first.refresh_from_db()
    second = IssuedDocument.objects.exclude(pk=first.pk).get()
    assert first.status == DocumentStatus.SUPERSEDED and first.superseded_by == second
    assert (
        "αντικαταστάθηκε" in anon_client.get(reverse("verify:document", args=[first.code])).content.decode()
    )
    # Revocation needs a reason.
    alice_client.post(reverse("services:staff_document_revoke", args=[second.pk]), {"reason": ""})
    second.refresh_from_db()
    assert second.status == DocumentStatus.VALID
    alice_client.post(
        reverse("services:staff_document_revoke", args=[second.pk]), {"reason": "Λάθος διεύθυνση"}
    )
    second.refresh_from_db()
    assert second.status == DocumentStatus.REVOKED
    assert "ανακλήθηκε" in anon_client.get(reverse("verify:document", args=[second.code])).content.decode()


def test_verification_bad_check_character_and_unknown_code(anon_client: Any, serres: Any) -> None:
    from dimos.eservices.codes import code_generate

    code = code_generate()
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    response = anon_client.get(reverse("verify:document", args=[wrong]))
    assert response.status_code == 400 and "χαρακτήρας ελέγχου" in response.content.decode()
    assert anon_client.get(reverse("verify:document", args=[code])).status_code == 404
    lookup = anon_client.get(reverse("verify:lookup") + f"?code={code_display(code).lower()}")
    assert lookup.status_code == 302 and lookup["Location"].endswith(f"/verify/{code}/")
    bad = anon_client.get(reverse("verify:lookup") + "?code=ABC")
    assert bad.status_code == 200 and "δεν είναι σωστός" in bad.content.decode()


def test_verification_is_rate_limited(anon_client: Any, serres: Any) -> None:
    from dimos.eservices.codes import code_generate

    code = code_generate()
    # One fixed window for every request: on a slow machine they could otherwise straddle a minute.
    moment = timezone.now().replace(second=5)
    with mock.patch("dimos.eservices.verification.timezone.now", return_value=moment):
        statuses = [
            anon_client.get(reverse("verify:document", args=[code])).status_code
            for _ in range(VERIFY_RATE_PER_MINUTE + 2)
        ]
    assert statuses[-1] == 429 and 404 in statuses


def test_transition_not_in_the_table_is_refused(alice: Any, serres: Any, submitted: Application) -> None:
    with pytest.raises(TransitionNotAllowed):
        services.application_transition(
            application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.ISSUED
        )
    with pytest.raises(TransitionNotAllowed):
        services.application_transition(
            application_id=submitted.pk, municipality=serres, actor=alice, to_status="bogus"
        )
    submitted.refresh_from_db()
    assert (
        submitted.status == Status.SUBMITTED and not submitted.events.filter(to_status=Status.ISSUED).exists()
    )


def test_page_shows_a_clear_message_for_a_forbidden_transition(
    alice_client: Any, submitted: Application
) -> None:
    page = _act(alice_client, submitted, action="transition", to_status="closed").content.decode()
    assert "δεν μπορεί να γίνει" in page


def test_rejection_needs_a_reason_the_citizen_sees(
    alice: Any, serres: Any, alice_client: Any, citizen_client: Any, submitted: Application
) -> None:
    with pytest.raises(ValidationFailed):
        services.application_transition(
            application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.REJECTED
        )
    _act(alice_client, submitted, action="note", comment="ΕΣΩΤΕΡΙΚΟ-μυστικό")
    _act(
        alice_client, submitted, action="transition", to_status="rejected", comment="Δεν κατοικείτε στον δήμο"
    )
    page = citizen_client.get(reverse("services:my_application", args=[submitted.pk])).content.decode()
    assert "Δεν κατοικείτε στον δήμο" in page and "ΕΣΩΤΕΡΙΚΟ-μυστικό" not in page
    staff_page = alice_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    assert "ΕΣΩΤΕΡΙΚΟ-μυστικό" in staff_page


def test_request_for_documents_stops_the_clock_and_the_answer_restarts_it(
    alice: Any, serres: Any, citizen_client: Any, alice_client: Any, submitted: Application, monkeypatch: Any
) -> None:
    original = submitted.deadline
    _act(alice_client, submitted, action="transition", to_status="awaiting_citizen")
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED  # a request without text is refused
    _act(
        alice_client,
        submitted,
        action="transition",
        to_status="awaiting_citizen",
        comment="Στείλτε μισθωτήριο",
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.AWAITING_CITIZEN and submitted.paused_on == timezone.localdate()
    page = citizen_client.get(reverse("services:my_application", args=[submitted.pk])).content.decode()
    assert "Στείλτε μισθωτήριο" in page
    # Answer a week later: the deadline moves by the working days the clock stood still.
    later = timezone.now() + dt.timedelta(days=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = citizen_client.post(
        reverse("services:my_application", args=[submitted.pk]),
        {"text": "Επισυνάπτω το μισθωτήριο", "files": SimpleUploadedFile("lease.pdf", b"%PDF-1.4 lease")},
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW and submitted.paused_on is None
    assert submitted.deadline > original
    assert submitted.attachments.filter(field="answer").count() == 1


def test_answer_bad_input(citizen_client: Any, submitted: Application, alice: Any, serres: Any) -> None:
    url = reverse("services:my_application", args=[submitted.pk])
    response = citizen_client.post(url, {"text": "x"}, follow=True)
    assert "δεν περιμένει" in response.content.decode()
    services.application_transition(
        application_id=submitted.pk,
        municipality=serres,
        actor=alice,
        to_status=Status.AWAITING_CITIZEN,
        comment="Λείπει",
    )
    response = citizen_client.post(url, {"text": "", "files": SimpleUploadedFile("x.pdf", b"GIF89a...")})
    assert response.status_code == 200
    submitted.refresh_from_db()
    assert submitted.status == Status.AWAITING_CITIZEN


def test_assignment_and_forwarding(
    alice: Any, serres: Any, serres_department: Any, alice_client: Any, submitted: Application
) -> None:
    head = make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department)
    head_client = client_for(head, SERRES_HOST)
    _act(head_client, submitted, action="assign", assignee=str(alice.pk))
    submitted.refresh_from_db()
    assert submitted.assignee == alice
    assert (
        selectors.application_queue(municipality=serres, view="mine", assignee=alice)
        .filter(pk=submitted.pk)
        .exists()
    )
    page = _act(head_client, submitted, action="assign", assignee="999999").content.decode()
    assert "Επιλέξτε υπάλληλο" in page
    other = Department.objects.create(
        municipality=serres, code="esoda", name_el="Τμήμα Εσόδων", name_en="Revenue"
    )
    forwarded = _act(
        alice_client, submitted, action="forward", department=str(other.pk), comment="Αρμοδιότητα εσόδων"
    )
    assert forwarded.redirect_chain[-1][0] == reverse("services:staff_queue")  # not a 403 page
    submitted.refresh_from_db()
    assert submitted.department == other and submitted.assignee is None
    assert submitted.events.filter(kind="forward").exists()
    # Forwarded away, the case is no longer the civil registry's to handle.
    assert alice_client.get(reverse("services:staff_application", args=[submitted.pk])).status_code == 403


def test_forwarding_needs_a_department(alice_client: Any, submitted: Application) -> None:
    page = _act(alice_client, submitted, action="forward", department="abc").content.decode()
    assert "Επιλέξτε υπηρεσία" in page


def test_overdue_and_due_soon_lists(serres: Any, residence: Any, citizen: Any) -> None:
    app = make_submitted(serres, residence, citizen)
    today = timezone.localdate()
    Application.objects.filter(pk=app.pk).update(deadline=today - dt.timedelta(days=1))
    assert list(selectors.application_queue(municipality=serres, view="overdue")) == [app]
    Application.objects.filter(pk=app.pk).update(deadline=today)
    assert list(selectors.application_queue(municipality=serres, view="due_soon")) == [app]
    counts = selectors.queue_counts(municipality=serres, department_id=None)
    assert counts["due_soon"] == 1 and counts["overdue"] == 0
    Application.objects.filter(pk=app.pk).update(
        status=Status.AWAITING_CITIZEN, deadline=today - dt.timedelta(days=3)
    )
    assert not selectors.application_queue(municipality=serres, view="overdue").exists()  # clock stopped


def test_register_book_exports_and_voiding(
    alice_client: Any, serres: Any, serres_department: Any, submitted: Application
) -> None:
    today = timezone.localdate().isoformat()
    page = alice_client.get(reverse("services:register") + f"?start={today}&end={today}").content.decode()
    assert submitted.protocol_label in page
    csv = alice_client.get(reverse("services:register_csv") + f"?start={today}&end={today}")
    assert csv.status_code == 200 and "Βεβαίωση μόνιμης κατοικίας" in b"".join(csv.streaming_content).decode()
    pdf = alice_client.get(reverse("services:register_pdf") + f"?start={today}&end={today}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        alice_client.get(reverse("services:register_csv") + "?start=2026-05-01&end=2026-01-01").status_code
        == 400
    )
    assert alice_client.get(reverse("services:register_pdf") + "?start=nonsense&end=").status_code == 400
    entry = submitted.protocol
    head = client_for(
        make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department), SERRES_HOST
    )
    head.post(reverse("services:register_void", args=[entry.pk]), {"reason": ""})
    entry.refresh_from_db()
    assert not entry.voided
    head.post(reverse("services:register_void", args=[entry.pk]), {"reason": "Διπλοκαταχώριση"})
    entry.refresh_from_db()
    assert entry.voided and entry.void_reason == "Διπλοκαταχώριση"
    # Manual registration of a paper document.
    alice_client.post(
        reverse("services:register"),
        {"direction": "in", "subject": "Έγγραφο ΔΕΥΑ", "correspondent": "ΔΕΥΑ Σερρών"},
    )
    assert submitted.protocol.__class__.objects.filter(subject="Έγγραφο ΔΕΥΑ", number=2).exists()
    alice_client.post(reverse("services:register"), {"direction": "x", "subject": "", "correspondent": ""})
    assert submitted.protocol.__class__.objects.count() == 2


def test_region_viewer_neither_reads_nor_acts(region_viewer: Any, submitted: Application) -> None:
    """Applications carry citizens' personal data: none of it for the Region viewer."""
    client = client_for(region_viewer, SERRES_HOST)
    assert client.get(reverse("services:staff_application", args=[submitted.pk])).status_code == 403
    assert (
        client.post(
            reverse("services:staff_application_action", args=[submitted.pk]),
            {"action": "transition", "to_status": "in_review"},
        ).status_code
        == 403  # a Greek page that says so, not a "page not found"
    )
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_appointment_outcome_links_only_when_the_app_exists(
    anon_client: Any, serres: Any, catalogue: Any
) -> None:
    from dimos.eservices.models import Service

    Service.objects.create(
        municipality=serres, slug="rantevou", title_el="Ραντεβού ΚΕΠ", outcome="appointment"
    )
    page = anon_client.get(reverse("services:service_detail", args=["rantevou"]))
    assert page.status_code == 200  # appointments:book may not exist: no link, no error


def test_notifications_follow_the_citizens_language(alice: Any, serres: Any, submitted: Application) -> None:
    from dimos.core.models import Notification

    citizen = submitted.citizen
    citizen.language = "en"
    citizen.save()
    services.application_transition(
        application_id=submitted.pk,
        municipality=serres,
        actor=alice,
        to_status=Status.REJECTED,
        comment="Not a resident",
    )
    message = Notification.objects.filter(key="services.status_changed").latest("pk")
    assert (
        message.language == "en" and "is now: Rejected" in message.body and "Not a resident" in message.body
    )
    greek = Notification.objects.get(key="services.submitted")
    assert greek.language == "el" and submitted.protocol_label in greek.subject


def test_other_staff_roles_do_not_handle_applications(serres: Any, submitted: Application) -> None:
    director = make_staff("director", serres, StaffRole.SCHOOL_DIRECTOR)
    client = client_for(director, SERRES_HOST)
    assert client.get(reverse("services:staff_queue")).status_code == 403
    assert client.get(reverse("services-api:staff_applications")).status_code == 403
