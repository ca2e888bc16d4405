"""End to end: a lamp failure becomes a repair ticket for Ηλεκτροφωτισμός; a full bin a collection job."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from dimos.core.tasks import tasks_run_pending
from dimos.core.testing import SERRES_HOST
from dimos.reports.models import Report
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
    report = Report.objects.get(municipality=serres, external_ref=f"sensors:alarm:{alarm.pk}")
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
