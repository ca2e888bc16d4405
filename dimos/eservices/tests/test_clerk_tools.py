"""The clerk's tools (issue 13, item 8): confirmation pages, blank defaults, field-level errors."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent, Department
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.eservices.constants import Status
from dimos.eservices.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def head_client(serres: Any, serres_department: Department) -> Any:
    return client_for(
        make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department), SERRES_HOST
    )


def test_the_register_links_each_row_to_a_void_confirmation_page(
    head_client: Any, submitted: Application
) -> None:
    """No inline reason box and button per row any more: one «Ακύρωση…» link to a page of its own."""
    page = head_client.get(reverse("services:register")).content.decode()
    void_url = reverse("services:register_void", args=[submitted.protocol_id])
    assert f'href="{void_url}' in page
    assert 'name="reason"' not in page


def test_voiding_asks_a_reason_at_the_field_and_warns_when_the_application_is_open(
    head_client: Any, submitted: Application
) -> None:
    url = reverse("services:register_void", args=[submitted.protocol_id])
    page = head_client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert submitted.protocol_label in text and "Βεβαίωση μόνιμης κατοικίας" in text
    assert "η αίτηση αυτής της εγγραφής είναι ακόμη ανοικτή" in text
    refused = head_client.post(url, {"reason": "  "})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="id_reason_error"' in body and 'aria-describedby="id_reason_help id_reason_error"' in body
    submitted.protocol.refresh_from_db()
    assert not submitted.protocol.voided
    done = head_client.post(url, {"reason": "Διπλοκαταχώριση", "query": "start=2026-01-01"})
    assert done.status_code == 302 and done["Location"].endswith("?start=2026-01-01")
    submitted.protocol.refresh_from_db()
    assert submitted.protocol.voided and submitted.protocol.void_reason == "Διπλοκαταχώριση"
    assert AuditEvent.objects.filter(action="services.protocol_voided").count() == 1
    again = head_client.get(url).content.decode()
    assert "Η εγγραφή έχει ήδη ακυρωθεί." in again and 'name="reason"' not in again


def test_no_warning_when_the_application_is_closed(head_client: Any, submitted: Application) -> None:
    Application.objects.filter(pk=submitted.pk).update(status=Status.REJECTED)
    text = head_client.get(reverse("services:register_void", args=[submitted.protocol_id])).content.decode()
    assert "ακόμη ανοικτή" not in text and 'name="reason"' in text


def test_a_clerk_cannot_open_the_void_page(alice_client: Any, submitted: Application) -> None:
    url = reverse("services:register_void", args=[submitted.protocol_id])
    assert alice_client.get(url).status_code == 403


def _in_review(alice_client: Any, app: Application) -> None:
    url = reverse("services:staff_application_action", args=[app.pk])
    alice_client.post(url, {"action": "transition", "to_status": "in_review"})


def test_approve_and_issue_goes_through_a_confirmation_page(
    alice_client: Any, submitted: Application
) -> None:
    _in_review(alice_client, submitted)
    page = alice_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    confirm_url = reverse("services:staff_issue_confirm", args=[submitted.pk])
    assert f'href="{confirm_url}"' in page and 'value="approved"' not in page
    action = reverse("services:staff_application_action", args=[submitted.pk])
    # A POST that skips the confirmation issues nothing: it is sent to the confirmation page.
    skipped = alice_client.post(action, {"action": "transition", "to_status": "approved"})
    assert skipped.status_code == 302 and skipped["Location"] == confirm_url
    submitted.refresh_from_db()
    assert submitted.status == Status.IN_REVIEW and not submitted.documents.exists()
    summary = alice_client.get(confirm_url).content.decode()
    assert "Τι θα εκδοθεί" in summary and submitted.protocol_label in summary and "Γεώργιος" in summary
    assert 'name="confirmed" value="1"' in summary and 'value="approved"' in summary
    alice_client.post(action, {"action": "transition", "to_status": "approved", "confirmed": "1"})
    submitted.refresh_from_db()
    assert submitted.status == Status.ISSUED and submitted.documents.count() == 1
    # Nothing left to issue: the confirmation page sends back to the case.
    assert alice_client.get(confirm_url).status_code == 302


def test_a_missing_comment_is_shown_at_its_field_with_the_input_kept(
    alice_client: Any, submitted: Application
) -> None:
    action = reverse("services:staff_application_action", args=[submitted.pk])
    refused = alice_client.post(action, {"action": "transition", "to_status": "rejected", "comment": "   "})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'id="t-comment-error"' in page and "Η απόρριψη χρειάζεται αιτιολογία" in page
    assert 'aria-describedby="t-comment-help t-comment-error"' in page and 'aria-invalid="true"' in page
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    note = alice_client.post(action, {"action": "message", "comment": ""})
    assert note.status_code == 400 and 'id="n-comment-error"' in note.content.decode()


def test_the_transfer_list_starts_blank_and_requires_a_choice(
    alice_client: Any, serres: Any, submitted: Application
) -> None:
    Department.objects.create(municipality=serres, code="police", name_el="Δημοτική Αστυνομία")
    page = alice_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    select = page[page.index('<select id="department"') :]
    select = select[: select.index("</select>")]
    assert '<option value="">— επιλέξτε —</option>' in select and "selected" not in select
    action = reverse("services:staff_application_action", args=[submitted.pk])
    refused = alice_client.post(action, {"action": "forward", "department": "", "comment": "για έλεγχο"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="department-error"' in body and "Επιλέξτε υπηρεσία του δήμου." in body
    assert 'value="για έλεγχο"' in body
    submitted.refresh_from_db()
    assert submitted.department.name_el != "Δημοτική Αστυνομία"


def test_a_revocation_without_reason_is_shown_at_its_field(alice_client: Any, submitted: Application) -> None:
    _in_review(alice_client, submitted)
    action = reverse("services:staff_application_action", args=[submitted.pk])
    alice_client.post(action, {"action": "transition", "to_status": "approved", "confirmed": "1"})
    document = submitted.documents.get()
    refused = alice_client.post(
        reverse("services:staff_document_revoke", args=[document.pk]), {"reason": " "}
    )
    assert refused.status_code == 400
    page = refused.content.decode()
    assert f'id="reason-{document.pk}-error"' in page and "Η ανάκληση χρειάζεται αιτιολογία." in page
    assert "<details open>" in page
    document.refresh_from_db()
    assert document.status == "valid"
