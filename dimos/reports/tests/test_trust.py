"""Who may do what with reports (issue 11): department scoping, the citizen's contact, reassignment.

Why: ``clerk.serres`` of the civil registry opened a greenery report, saw the
citizen's confidential e-mail and added an internal note; the school director
opened ``/staff/reports/`` with its status-change form.
"""

from __future__ import annotations

import re

import pytest

from dimos.core.constants import StaffRole
from dimos.core.exceptions import PermissionDenied
from dimos.core.models import AuditEvent
from dimos.core.navigation import staff_nav
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.reports.models import ReportUpdate
from dimos.reports.services import Reporter, report_assign, report_submit
from dimos.reports.tests.conftest import CITY, jpeg_with_gps, upload

pytestmark = pytest.mark.django_db

CONFIDENTIAL_EMAIL = "eirini.confidential@example.org"
CONFIDENTIAL_PHONE = "6944556677"


def _select(page: str, element_id: str) -> str:
    match = re.search(rf'<select id="{element_id}".*?</select>', page, re.DOTALL)
    assert match is not None
    return match.group(0)


@pytest.fixture
def greenery(serres, categories, citizen):
    """A pruning report (department «prasino») with the citizen's contact details and a photo."""
    return report_submit(
        municipality=serres,
        category=categories["pruning"],
        lat=CITY[0],
        lon=CITY[1],
        description="Κλαδί έπεσε στο πεζοδρόμιο.",
        reporter=Reporter(
            user=citizen, name="Ειρήνη Εμπιστευτική", email=CONFIDENTIAL_EMAIL, phone=CONFIDENTIAL_PHONE
        ),
        photos=[upload(jpeg_with_gps())],
    )


@pytest.fixture
def gardener(serres, departments):
    return make_staff("kipouros", serres, StaffRole.CLERK, department=departments["prasino"])


def test_a_clerk_of_another_department_is_refused_the_report_and_its_writes(greenery, alice):
    """alice is a clerk of the civil registry (``serres_department``, «dimotologio»)."""
    client = client_for(alice, SERRES_HOST)
    url = f"/staff/reports/{greenery.pk}/"
    response = client.get(url)
    assert response.status_code == 403
    assert CONFIDENTIAL_EMAIL not in response.content.decode()
    assert client.post(url, {"action": "comment", "text": "Εσωτερική σημείωση"}).status_code == 403
    assert client.post(url, {"action": "transition", "status": "in_progress"}).status_code == 403
    photo = greenery.photos.get()
    assert client.get(f"{url}photos/{photo.pk}/thumb/").status_code == 403
    assert not ReportUpdate.objects.filter(report=greenery, comment="Εσωτερική σημείωση").exists()
    assert not AuditEvent.objects.filter(action="reports.contact_read").exists()
    queue = client.get("/staff/reports/", {"department": "", "status": ""}).content.decode()
    assert f">{greenery.reference}<" not in queue


def test_the_handling_department_sees_the_contact_and_every_read_is_audited(greenery, gardener):
    client = client_for(gardener, SERRES_HOST)
    for _ in range(2):
        page = client.get(f"/staff/reports/{greenery.pk}/").content.decode()
        assert CONFIDENTIAL_EMAIL in page and CONFIDENTIAL_PHONE in page
    reads = AuditEvent.objects.filter(action="reports.contact_read", object_id=str(greenery.pk))
    assert reads.count() == 2 and {e.actor_id for e in reads} == {gardener.pk}
    assert (
        client.post(
            f"/staff/reports/{greenery.pk}/", {"action": "comment", "text": "Πάμε αύριο."}
        ).status_code
        == 302
    )


def test_a_head_handles_the_offices_under_the_department(serres, departments, categories, citizen):
    light = report_submit(
        municipality=serres,
        category=categories["street-light"],  # «ilektrofotismos», an office of «technikes»
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή",
        reporter=Reporter(user=citizen),
    )
    head = make_staff("proistamenos", serres, StaffRole.DEPARTMENT_HEAD, department=departments["technikes"])
    assert client_for(head, SERRES_HOST).get(f"/staff/reports/{light.pk}/").status_code == 200


@pytest.mark.parametrize(
    "role", [StaffRole.SCHOOL_DIRECTOR, StaffRole.EDUCATION_OFFICER, StaffRole.REGION_VIEWER]
)
def test_roles_with_no_work_on_reports_get_403(serres, greenery, role):
    user = make_staff(f"u-{role}", None if role == StaffRole.REGION_VIEWER else serres, role)
    client = client_for(user, SERRES_HOST)
    for url in (
        "/staff/reports/",
        "/staff/reports/map-data/",
        "/staff/reports/keys/",
        f"/staff/reports/{greenery.pk}/",
    ):
        assert client.get(url).status_code == 403, url
    assert (
        client.post(f"/staff/reports/{greenery.pk}/", {"action": "comment", "text": "x"}).status_code == 403
    )
    assert not {item.url_name for item in staff_nav(user)} & {"reports:queue", "reports:keys"}


def test_menus_follow_capabilities(serres, alice, bob):
    assert {"reports:queue"} <= {i.url_name for i in staff_nav(alice)}
    assert "reports:keys" not in {i.url_name for i in staff_nav(alice)}
    assert {"reports:queue", "reports:keys"} <= {i.url_name for i in staff_nav(bob)}


def test_a_head_reassigns_only_within_the_department(serres, departments, greenery, gardener):
    head = make_staff("head-prasino", serres, StaffRole.DEPARTMENT_HEAD, department=departments["prasino"])
    report_assign(report=greenery, actor=head, assignee=gardener)
    greenery.refresh_from_db()
    assert greenery.assigned_to == gardener
    with pytest.raises(PermissionDenied):
        report_assign(report=greenery, actor=head, department=departments["kathariotita"])
    outsider = make_staff(
        "kathariotita-clerk", serres, StaffRole.CLERK, department=departments["kathariotita"]
    )
    with pytest.raises(Exception, match="χειριστής"):
        report_assign(report=greenery, actor=head, assignee=outsider)
    with pytest.raises(PermissionDenied):
        report_assign(report=greenery, actor=gardener, assignee=gardener)  # a clerk does not assign
    greenery.refresh_from_db()
    assert greenery.department == departments["prasino"] and greenery.assigned_to == gardener
    # The page offers only the department's staff and departments.
    page = client_for(head, SERRES_HOST).get(f"/staff/reports/{greenery.pk}/").content.decode()
    assignees = _select(page, "id_assignee")
    assert f'value="{gardener.pk}"' in assignees and f'value="{outsider.pk}"' not in assignees
    assert f'value="{departments["kathariotita"].pk}"' not in _select(page, "id_department")
    # A clerk is shown no assignment or moderation form.
    page = client_for(gardener, SERRES_HOST).get(f"/staff/reports/{greenery.pk}/").content.decode()
    assert "/assign/" not in page and "/public-text/" not in page
