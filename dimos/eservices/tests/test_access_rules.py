"""Who handles which application (issue 11): department scoping, contact reads, assigning, voiding."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent, Department
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.eservices import services
from dimos.eservices.constants import Status
from dimos.eservices.models import Application

pytestmark = pytest.mark.django_db


@pytest.fixture
def greenery(serres: Any) -> Department:
    return Department.objects.create(municipality=serres, code="prasino", name_el="Τμήμα Πρασίνου")


@pytest.fixture
def greenery_app(greenery: Department, submitted: Application) -> Application:
    """An application that belongs to another department than alice's (civil registry)."""
    Application.objects.filter(pk=submitted.pk).update(department=greenery)
    submitted.refresh_from_db()
    return submitted


def test_a_clerk_does_not_read_another_departments_application(
    alice_client: Any, greenery_app: Application
) -> None:
    """The issue's case: a civil-registry clerk opened another department's case and saw the citizen."""
    page = alice_client.get(reverse("services:staff_application", args=[greenery_app.pk]))
    assert page.status_code == 403
    assert "Μεραρχίας 12" not in page.content.decode()
    attachment = greenery_app.attachments.get()
    assert (
        alice_client.get(
            reverse("services:staff_attachment", args=[greenery_app.pk, attachment.pk])
        ).status_code
        == 403
    )
    assert (
        alice_client.get(reverse("services-api:staff_application", args=[greenery_app.pk])).status_code == 403
    )
    note = alice_client.post(
        reverse("services:staff_application_action", args=[greenery_app.pk]),
        {"action": "note", "comment": "εσωτερική σημείωση"},
    )
    assert note.status_code == 403
    assert not greenery_app.events.filter(kind="note").exists()
    assert not AuditEvent.objects.filter(action="services.citizen_contact_read").exists()


def test_the_queue_lists_only_the_departments_i_handle(
    alice_client: Any, greenery: Department, greenery_app: Application, bob: Any
) -> None:
    for query in ("", "?department=all&view=all"):
        page = alice_client.get(reverse("services:staff_queue") + query).content.decode()
        assert greenery_app.protocol_label not in page and "Παπαδοπούλου" not in page
    assert alice_client.get(reverse("services:staff_queue") + f"?department={greenery.pk}").status_code == 403
    api = alice_client.get(reverse("services-api:staff_applications") + "?view=all").json()
    assert api["results"] == []
    assert (
        alice_client.get(
            reverse("services-api:staff_applications") + f"?department={greenery.pk}"
        ).status_code
        == 403
    )
    admin_page = client_for(bob, SERRES_HOST).get(reverse("services:staff_queue") + "?department=all")
    assert greenery_app.protocol_label in admin_page.content.decode()


def test_a_clerk_cannot_act_on_another_departments_case_through_the_services(
    alice: Any, serres: Any, greenery_app: Application
) -> None:
    from dimos.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.application_transition(
            application_id=greenery_app.pk, municipality=serres, actor=alice, to_status=Status.IN_REVIEW
        )
    with pytest.raises(PermissionDenied):
        services.application_note(
            application_id=greenery_app.pk, municipality=serres, actor=alice, text="x", to_citizen=False
        )


def test_the_head_of_a_directorate_handles_its_offices(
    serres: Any, serres_department: Department, submitted: Application
) -> None:
    directorate = Department.objects.create(municipality=serres, code="dioikisi", name_el="Διεύθυνση")
    Department.objects.filter(pk=serres_department.pk).update(parent=directorate)
    head = make_staff("director.head", serres, StaffRole.DEPARTMENT_HEAD, department=directorate)
    client = client_for(head, SERRES_HOST)
    assert client.get(reverse("services:staff_application", args=[submitted.pk])).status_code == 200
    assert submitted.protocol_label in client.get(reverse("services:staff_queue")).content.decode()


def test_each_read_of_a_citizens_data_is_an_audit_event(
    alice: Any, alice_client: Any, serres: Any, submitted: Application
) -> None:
    alice_client.get(reverse("services:staff_application", args=[submitted.pk]))
    alice_client.get(reverse("services-api:staff_application", args=[submitted.pk]))
    services.application_transition(
        application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.IN_REVIEW
    )
    services.application_transition(
        application_id=submitted.pk, municipality=serres, actor=alice, to_status=Status.APPROVED
    )
    document = submitted.documents.get()
    assert alice_client.get(reverse("services:staff_document", args=[document.pk])).status_code == 200
    events = AuditEvent.objects.filter(action="services.citizen_contact_read", object_id=str(submitted.pk))
    assert events.count() == 3 and {e.actor_id for e in events} == {alice.pk}
    alice_client.get(reverse("services:staff_queue") + "?view=all")
    listed = AuditEvent.objects.get(action="services.queue_viewed")
    assert listed.actor_id == alice.pk and listed.new_values["applications"] == [submitted.pk]


def test_only_a_head_assigns_and_only_within_the_department(
    alice: Any, alice_client: Any, serres: Any, serres_department: Department, greenery: Department,
    submitted: Application,
) -> None:  # fmt: skip
    url = reverse("services:staff_application_action", args=[submitted.pk])
    page = alice_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    assert 'value="assign"' not in page  # no control the clerk may not use
    assert alice_client.post(url, {"action": "assign", "assignee": str(alice.pk)}).status_code == 403
    head = make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department)
    outsider = make_staff("outsider", serres, StaffRole.CLERK, department=greenery)
    head_client = client_for(head, SERRES_HOST)
    page = head_client.get(reverse("services:staff_application", args=[submitted.pk])).content.decode()
    assert 'value="assign"' in page and f'value="{alice.pk}"' in page and f'value="{outsider.pk}"' not in page
    head_client.post(url, {"action": "assign", "assignee": str(outsider.pk)})
    submitted.refresh_from_db()
    assert submitted.assignee is None
    head_client.post(url, {"action": "assign", "assignee": str(alice.pk)})
    submitted.refresh_from_db()
    assert submitted.assignee == alice


def test_voiding_a_protocol_entry_needs_register_void(
    alice_client: Any, serres: Any, serres_department: Department, submitted: Application
) -> None:
    entry = submitted.protocol
    page = alice_client.get(reverse("services:register")).content.decode()
    assert reverse("services:register_void", args=[entry.pk]) not in page
    response = alice_client.post(reverse("services:register_void", args=[entry.pk]), {"reason": "λάθος"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert not entry.voided
    head = make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department)
    client_for(head, SERRES_HOST).post(
        reverse("services:register_void", args=[entry.pk]), {"reason": "λάθος"}
    )
    entry.refresh_from_db()
    assert entry.voided


@pytest.mark.parametrize(
    "role", [StaffRole.SCHOOL_DIRECTOR, StaffRole.EDUCATION_OFFICER, StaffRole.REGION_VIEWER]
)
def test_school_and_region_roles_get_403_on_the_queue_and_the_register(
    role: str, serres: Any, submitted: Application
) -> None:
    user = make_staff(f"x-{role}", None if role == StaffRole.REGION_VIEWER else serres, role)
    client = client_for(user, SERRES_HOST)
    for name in ("services:staff_queue", "services:register", "services-api:staff_applications"):
        assert client.get(reverse(name)).status_code == 403, name
    home = client.get(reverse("core:staff_home")).content.decode()
    assert reverse("services:staff_queue") not in home and reverse("services:register") not in home


def test_another_municipality_still_gets_404(charlie: Any, submitted: Application) -> None:
    client = client_for(charlie, SERRES_HOST)
    assert client.get(reverse("services:staff_application", args=[submitted.pk])).status_code == 404
