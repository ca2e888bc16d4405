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
