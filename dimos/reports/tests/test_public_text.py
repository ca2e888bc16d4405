"""Citizens' free text (issue 11, item 7): personal data masked in every public output, moderation audited.

Why: a phone number typed into a report description was shown on the public page and in Open311.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from django.test import Client

from dimos.core.constants import StaffRole
from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report, ReportUpdate
from dimos.reports.services import Reporter, report_feedback, report_submit, report_transition
from dimos.reports.tests.conftest import CITY
from dimos.reports.tests.open311_helpers import FORMATS, J, requests_of

pytestmark = pytest.mark.django_db

PHONE = "6981234567"
EMAIL = "kalese.me@example.org"
AMKA = "01017012345"
DESCRIPTION = f"Σπασμένο φανάρι. Πάρτε με στο {PHONE} ή γράψτε στο {EMAIL}, ΑΜΚΑ {AMKA}."
ADDRESS = f"Μεραρχίας 12 (κουδούνι {PHONE})"
SECRETS = (PHONE, EMAIL, AMKA)


@pytest.fixture
def report(serres, categories, citizen):
    return report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description=DESCRIPTION,
        address=ADDRESS,
        reporter=Reporter(user=citizen),
    )


@pytest.fixture
def head(serres, departments):
    return make_staff(
        "head-technikes", serres, StaffRole.DEPARTMENT_HEAD, department=departments["ilektrofotismos"]
    )


def _public_outputs(report: Report) -> dict[str, str]:
    client = Client(HTTP_HOST=SERRES_HOST)
    outputs = {
        "page": client.get(f"/reports/{report.pk}/").content.decode(),
        "track": client.get(f"/reports/track/{report.tracking_token}/").content.decode(),
        "list": client.get("/reports/", {"status": ""}).content.decode(),
        "map": client.get(
            "/reports/map-data/", {"bbox": "23.0,40.5,24.0,41.5", "zoom": "16"}
        ).content.decode(),
        "nearby": client.get(
            "/reports/new/nearby/", {"category": "street-light", "lat": CITY[0], "lon": CITY[1]}
        ).content.decode(),
    }
    for fmt in FORMATS:
        outputs[f"open311-list-{fmt}"] = client.get(f"/open311/v2/requests.{fmt}", J).content.decode()
        outputs[f"open311-one-{fmt}"] = client.get(
            f"/open311/v2/requests/{report.pk}.{fmt}", J
        ).content.decode()
        outputs[f"open311-updates-{fmt}"] = client.get(
            f"/open311/v2/servicerequestupdates.{fmt}", J
        ).content.decode()
    return outputs


def test_a_phone_number_in_a_description_is_in_no_public_output(report):
    for name, body in _public_outputs(report).items():
        for secret in SECRETS:
            assert secret not in body, f"{secret} in {name}"
    page = _public_outputs(report)["page"]
    assert "Σπασμένο φανάρι" in page and "[τηλέφωνο]" in page and "[e-mail]" in page
    record = requests_of(
        Client(HTTP_HOST=SERRES_HOST).get(f"/open311/v2/requests/{report.pk}.json", J), "json"
    )
    assert record[0]["description"].startswith("Σπασμένο φανάρι") and "[τηλέφωνο]" in record[0]["address"]


def test_staff_who_handle_the_report_see_the_original(report, head):
    page = client_for(head, SERRES_HOST).get(f"/staff/reports/{report.pk}/").content.decode()
    assert PHONE in page and EMAIL in page


def test_a_moderator_edits_the_public_text_and_the_edit_is_audited(report, head):
    client = client_for(head, SERRES_HOST)
    response = client.post(
        f"/staff/reports/{report.pk}/public-text/",
        {"public_description": "Σπασμένο φανάρι στη Μεραρχίας.", "public_address": "Μεραρχίας 12"},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.public_description == "Σπασμένο φανάρι στη Μεραρχίας." and report.description == DESCRIPTION
    event = AuditEvent.objects.get(action="reports.public_text_edited", object_id=str(report.pk))
    assert event.actor_id == head.pk
    page = Client(HTTP_HOST=SERRES_HOST).get(f"/reports/{report.pk}/").content.decode()
    assert "Σπασμένο φανάρι στη Μεραρχίας." in page
    # Open311 answers come from a cache keyed by the data version: the edit shows at once.
    record = requests_of(
        Client(HTTP_HOST=SERRES_HOST).get(f"/open311/v2/requests/{report.pk}.json", J), "json"
    )
    assert record[0]["description"] == "Σπασμένο φανάρι στη Μεραρχίας."


def test_a_clerk_may_not_moderate(report, serres, departments):
    clerk = make_staff("clerk-light", serres, StaffRole.CLERK, department=departments["ilektrofotismos"])
    client = client_for(clerk, SERRES_HOST)
    assert (
        client.post(
            f"/staff/reports/{report.pk}/public-text/", {"public_description": "x", "public_address": ""}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert "[τηλέφωνο]" in report.public_description


def test_the_citizens_feedback_is_masked_in_public_and_kept_for_staff(report, head):
    report_transition(report=report, to_status=ReportStatus.FIXED, actor=head)
    report_feedback(report=report, fixed=False, comment=f"Ακόμα σβηστό, τηλ. {PHONE}")
    for name, body in _public_outputs(report).items():
        assert PHONE not in body, name
    note = ReportUpdate.objects.get(report=report, is_public=False, comment__contains=PHONE)
    assert note.kind == "note"


def test_the_migration_fills_the_public_text_of_existing_reports(report):
    Report.objects.filter(pk=report.pk).update(public_description="", public_address="")
    migration = importlib.import_module("dimos.reports.migrations.0004_report_public_text")
    migration.fill_public_text(django_apps, None)
    report.refresh_from_db()
    assert report.public_description.startswith("Σπασμένο φανάρι") and PHONE not in report.public_description
    assert report.public_address.startswith("Μεραρχίας 12") and PHONE not in report.public_address
