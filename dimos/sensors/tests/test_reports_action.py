"""End to end: a lamp failure becomes a repair ticket for Ηλεκτροφωτισμός; a full bin a collection job."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.constants import StaffRole
from dimos.core.models import Notification
from dimos.core.tasks import tasks_run_pending
from dimos.core.testing import SERRES_HOST
from dimos.core.tests.factories import StaffFactory
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report
from dimos.reports.services import report_assign, report_comment, report_transition
from dimos.reports.tests.conftest import categories, departments, mountain_unit  # noqa: F401 (fixtures)
from dimos.sensors import services
from dimos.sensors.constants import AlarmStatus, Direction, RuleKind
from dimos.sensors.models import Alarm, DeviceType, Rule

pytestmark = pytest.mark.django_db


def post_readings(token: str, readings: list[dict]) -> Any:
    return Client(HTTP_HOST=SERRES_HOST).post(
        "/api/v1/sensors/readings/",
        data=json.dumps({"readings": readings}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_lamp_failure_opens_a_repair_ticket(serres: Any, categories: Any, token: str) -> None:  # noqa: F811
    lamp = services.device_create(
        municipality=serres,
        type_code="Streetlight",
        code="lamp-17",
        name="Φωτιστικό 17, Μεραρχίας",
        lat=41.0857,
        lon=23.5480,
    )
    services.rule_save(
        rule=Rule(
            municipality=serres,
            type=DeviceType.objects.get(code="Streetlight"),
            name="Βλάβη λαμπτήρα",
            kind=RuleKind.STATUS,
            attribute="status",
            status_values=["defectiveLamp", "brokenLantern"],
            actions=["report"],
            report_category="street-light",
        ),
        actor=None,
    )
    now = timezone.now()
    response = post_readings(
        token,
        [
            {
                "device": "lamp-17",
                "observedAt": (now - timedelta(minutes=2)).isoformat(),
                "values": {"status": "ok"},
            },
            {
                "device": "lamp-17",
                "observedAt": (now - timedelta(minutes=1)).isoformat(),
                "values": {"status": "defectiveLamp", "powerState": "off"},
            },
        ],
    )
    assert response.status_code == 200
    alarm = Alarm.objects.get(device=lamp)
    assert alarm.status == AlarmStatus.OPEN
    tasks_run_pending()
    report = Report.objects.get(
        municipality=serres, external_ref=f"sensors:device:{lamp.pk}:rule:{alarm.rule_id}"
    )
    assert report.department.code == "ilektrofotismos"
    assert report.category.code == "street-light"
    assert report.source == "sensor"
    alarm.refresh_from_db()
    assert alarm.report_ref == report.reference
    # A retried task does not open a second report.
    services.alarm_run_actions(alarm_id=alarm.pk)
    assert Report.objects.filter(municipality=serres).count() == 1


def test_full_bin_becomes_a_collection_job(serres: Any, categories: Any, token: str) -> None:  # noqa: F811
    services.device_create(
        municipality=serres,
        type_code="WasteContainer",
        code="bin-7",
        name="Κάδος 7",
        lat=41.0860,
        lon=23.5470,
    )
    services.rule_save(
        rule=Rule(
            municipality=serres,
            type=DeviceType.objects.get(code="WasteContainer"),
            name="Γεμάτος κάδος",
            kind=RuleKind.THRESHOLD,
            attribute="fillingLevel",
            direction=Direction.ABOVE,
            threshold=0.8,
            clear_threshold=0.2,
            actions=["report"],
            report_category="waste-bin",
        ),
        actor=None,
    )
    post_readings(
        token,
        [{"device": "bin-7", "observedAt": timezone.now().isoformat(), "values": {"fillingLevel": 0.92}}],
    )
    tasks_run_pending()
    report = Report.objects.get(municipality=serres)
    assert report.department.code == "kathariotita" and report.category.code == "waste-bin"


# --- The ticket's lifecycle follows the alarm's ------------------------------------------------


def _bin_with_rule(serres: Any, code: str = "bin-9") -> Any:
    device = services.device_create(
        municipality=serres,
        type_code="WasteContainer",
        code=code,
        name="Κάδος 9, Μεραρχίας",
        lat=41.0860,
        lon=23.5470,
    )
    services.rule_save(
        rule=Rule(
            municipality=serres,
            type=DeviceType.objects.get(code="WasteContainer"),
            name="Γεμάτος κάδος",
            kind=RuleKind.THRESHOLD,
            attribute="fillingLevel",
            direction=Direction.ABOVE,
            threshold=0.8,
            clear_threshold=0.2,
            actions=["report"],
            report_category="waste-bin",
        ),
        actor=None,
    )
    return device


BASE = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def fill(token: str, code: str, level: float, minute: int) -> None:
    """One reading at a fixed time, then the queue (alarm actions) runs."""
    at = BASE + timedelta(minutes=minute)
    response = post_readings(
        token, [{"device": code, "observedAt": at.isoformat(), "values": {"fillingLevel": level}}]
    )
    assert response.status_code == 200, response.content
    tasks_run_pending()


def public_updates(report: Report) -> list[str]:
    return list(report.updates.filter(is_public=True).exclude(comment="").values_list("comment", flat=True))


def test_fill_alarm_one_report_recurrence_empty_resolved(serres: Any, categories: Any, token: str) -> None:  # noqa: F811
    """End to end: fill → alarm → one report → still full → empty → resolved with a public update;
    the next fill opens a new report, since the first one is closed."""
    _bin_with_rule(serres)
    fill(token, "bin-9", 0.5, 0)
    assert not Report.objects.exists()
    fill(token, "bin-9", 0.856, 10)
    report = Report.objects.get(municipality=serres)
    assert report.status == ReportStatus.SUBMITTED and report.is_open
    # Words, never the attribute's name or its raw value.
    assert report.public_description.startswith("Ο κάδος είναι γεμάτος κατά 86 %.")
    assert "fillingLevel" not in report.public_description and "0.856" not in report.public_description
    open311 = Client(HTTP_HOST=SERRES_HOST).get("/open311/v2/requests.json", {"jurisdiction_id": "serres.gr"})
    (request,) = open311.json()
    assert "κατά 86 %" in request["description"] and "fillingLevel" not in request["description"]
    alarm = Alarm.objects.get()
    assert "fillingLevel" not in alarm.message and "86 %" in alarm.message.replace("\xa0", " ")

    fill(token, "bin-9", 0.95, 20)  # the recurrence of a full bin: no second alarm, no second report
    fill(token, "bin-9", 0.5, 30)  # inside the hysteresis band: nothing moves
    assert Report.objects.count() == 1 and Alarm.objects.count() == 1

    fill(token, "bin-9", 0.05, 40)  # emptied
    report.refresh_from_db()
    assert report.status == ReportStatus.FIXED and not report.is_open and report.closed_at
    last = report.updates.order_by("-pk").first()
    assert last.is_public and last.to_status == ReportStatus.FIXED and last.actor is None
    assert last.comment.startswith("Ο κάδος αδειάστηκε (πληρότητα 5 %).")
    assert Alarm.objects.get().status == AlarmStatus.RESOLVED
    # A retried clearing task changes nothing more.
    services.alarm_run_actions(alarm_id=alarm.pk, event="clear", value=0.05)
    assert report.updates.count() == 2

    fill(token, "bin-9", 0.9, 50)  # full again: the old ticket is closed, so a new one opens
    assert Report.objects.filter(is_open=True).count() == 1 and Report.objects.count() == 2


def test_recurrence_adds_to_the_open_report_and_staff_in_hand_are_told(
    serres: Any,
    categories: Any,  # noqa: F811
    token: str,
) -> None:
    """Staff took the ticket in hand: the clearing tells them instead of resolving it, and the
    next alarm of the same device and rule adds a public update to that ticket, not a new one."""
    _bin_with_rule(serres)
    fill(token, "bin-9", 0.9, 0)
    report = Report.objects.get()
    head = StaffFactory(municipality=serres, department=report.department, role=StaffRole.DEPARTMENT_HEAD)
    handler = StaffFactory(municipality=serres, department=report.department, email="driver@serres.example")
    report_assign(report=report, actor=head, department=report.department, assignee=handler)

    fill(token, "bin-9", 0.1, 10)  # emptied: the ticket stays with its handler
    report.refresh_from_db()
    assert report.is_open and report.status == ReportStatus.SUBMITTED
    assert public_updates(report)[-1].startswith(
        "Σύμφωνα με τον αισθητήρα: Ο κάδος αδειάστηκε (πληρότητα 10 %)."
    )
    (message,) = Notification.objects.filter(key="sensors.alarm_cleared")
    assert message.recipient == "driver@serres.example"
    assert report.reference in message.subject and "Ο κάδος αδειάστηκε" in message.body

    fill(token, "bin-9", 0.88, 20)  # a new alarm of the same device and rule
    assert Alarm.objects.count() == 2 and Report.objects.count() == 1
    report.refresh_from_db()
    assert public_updates(report)[-1] == "Νέα ειδοποίηση του αισθητήρα: Ο κάδος είναι γεμάτος κατά 88 %."
    assert set(Alarm.objects.values_list("report_ref", flat=True)) == {report.reference}

    report_transition(report=report, to_status=ReportStatus.FIXED, actor=handler, comment="Αδειάστηκε.")
    fill(token, "bin-9", 0.1, 30)  # clears after staff closed it: nothing left to do
    report.refresh_from_db()
    assert report.status == ReportStatus.FIXED and Report.objects.count() == 1


def test_a_note_is_taking_in_hand_and_department_is_told(serres: Any, categories: Any, token: str) -> None:  # noqa: F811
    _bin_with_rule(serres)
    fill(token, "bin-9", 0.9, 0)
    report = Report.objects.get()
    clerk = StaffFactory(municipality=serres, department=report.department)
    report_comment(report=report, actor=clerk, text="Ενημερώθηκε το συνεργείο.", public=False)
    report.department.email = "kathariotita@serres.example"
    report.department.save(update_fields=["email"])
    fill(token, "bin-9", 0.1, 10)
    report.refresh_from_db()
    assert report.is_open
    recipients = Notification.objects.filter(key="sensors.alarm_cleared").values_list("recipient", flat=True)
    assert list(recipients) == ["kathariotita@serres.example"]


def test_an_alarm_that_cleared_before_its_task_opens_no_report(
    serres: Any,
    categories: Any,  # noqa: F811
    token: str,
) -> None:
    _bin_with_rule(serres)
    for minute, level in ((0, 0.9), (1, 0.1)):
        post_readings(
            token,
            [
                {
                    "device": "bin-9",
                    "observedAt": (BASE + timedelta(minutes=minute)).isoformat(),
                    "values": {"fillingLevel": level},
                }
            ],
        )
    tasks_run_pending()
    assert Alarm.objects.get().status == AlarmStatus.RESOLVED
    assert not Report.objects.exists()
