"""Rules and alarms: hysteresis, de-duplication, transitions, auto-resolve, actions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation

from dimos.core.exceptions import TransitionNotAllowed, ValidationFailed
from dimos.core.tasks import tasks_run_pending
from dimos.sensors import services
from dimos.sensors.constants import AlarmStatus, Direction, RuleKind, Source
from dimos.sensors.models import Alarm, AlarmEvent, DeviceType, Rule

pytestmark = pytest.mark.django_db


def feed(municipality: Any, device: Any, values: dict, minutes_ago: float = 0) -> None:
    at = timezone.now() - timedelta(minutes=minutes_ago)
    outcome = services.readings_ingest(
        municipality=municipality,
        items=[services.ReadingIn(device=device, observed_at=at, values=values)],
        source=Source.SIMULATOR,
    )
    assert outcome.errors == 0, outcome.results


def rule(serres: Any, code: str, **kw: Any) -> Rule:
    return services.rule_save(
        rule=Rule(municipality=serres, type=DeviceType.objects.get(code=code), **kw), actor=None
    )


def test_threshold_with_hysteresis_and_no_storms(serres: Any, bin_: Any) -> None:
    full = rule(
        serres,
        "WasteContainer",
        name="Γεμάτος κάδος",
        kind=RuleKind.THRESHOLD,
        attribute="fillingLevel",
        direction=Direction.ABOVE,
        threshold=0.8,
        clear_threshold=0.3,
    )
    feed(serres, bin_, {"fillingLevel": 0.5}, 50)
    assert not Alarm.objects.exists()
    feed(serres, bin_, {"fillingLevel": 0.85}, 40)
    feed(serres, bin_, {"fillingLevel": 0.95}, 30)  # still full: no second alarm
    feed(serres, bin_, {"fillingLevel": 0.6}, 20)  # inside the band: stays open
    assert Alarm.objects.filter(rule=full).count() == 1
    assert Alarm.objects.get().status == AlarmStatus.OPEN
    feed(serres, bin_, {"fillingLevel": 0.1}, 10)  # emptied: auto-resolve
    alarm = Alarm.objects.get()
    assert alarm.status == AlarmStatus.RESOLVED and alarm.resolved_at
    assert list(alarm.events.values_list("to_status", flat=True)) == ["open", "resolved"]
    feed(serres, bin_, {"fillingLevel": 0.9}, 5)
    assert Alarm.objects.filter(status=AlarmStatus.OPEN).count() == 1 and Alarm.objects.count() == 2


def test_below_direction(serres: Any, station: Any) -> None:
    rule(
        serres,
        "AirQualityObserved",
        name="Πολύ χαμηλή υγρασία",
        kind=RuleKind.THRESHOLD,
        attribute="relativeHumidity",
        direction=Direction.BELOW,
        threshold=0.2,
        clear_threshold=0.25,
    )
    feed(serres, station, {"relativeHumidity": 0.1}, 3)
    feed(serres, station, {"relativeHumidity": 0.22}, 2)
    assert Alarm.objects.get().status == AlarmStatus.OPEN
    feed(serres, station, {"relativeHumidity": 0.3}, 1)
    assert Alarm.objects.get().status == AlarmStatus.RESOLVED


def test_status_rule_and_manual_transitions(serres: Any, lamp: Any, alice: Any) -> None:
    rule(
        serres,
        "Streetlight",
        name="Βλάβη λαμπτήρα",
        kind=RuleKind.STATUS,
        attribute="status",
        status_values=["defectiveLamp", "brokenLantern"],
    )
    feed(serres, lamp, {"status": "defectiveLamp"}, 5)
    alarm = Alarm.objects.get()
    services.alarm_transition(
        municipality=serres, alarm_id=alarm.pk, to_status=AlarmStatus.ACKNOWLEDGED, actor=alice
    )
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.ACKNOWLEDGED and alarm.assignee == alice
    with pytest.raises(TransitionNotAllowed):
        services.alarm_transition(
            municipality=serres, alarm_id=alarm.pk, to_status=AlarmStatus.OPEN, actor=alice
        )
    feed(serres, lamp, {"status": "defectiveLamp"}, 4)  # acknowledged still counts as open: no new alarm
    assert Alarm.objects.count() == 1
    feed(serres, lamp, {"status": "ok"}, 1)
    alarm.refresh_from_db()
    assert alarm.status == AlarmStatus.RESOLVED
    with pytest.raises(TransitionNotAllowed):
        services.alarm_transition(
            municipality=serres, alarm_id=alarm.pk, to_status=AlarmStatus.RESOLVED, actor=alice
        )
    assert AlarmEvent.objects.filter(alarm=alarm, actor=alice).count() == 1


def test_silent_rule(serres: Any, bin_: Any) -> None:
    rule(serres, "WasteContainer", name="Σιωπηλός κάδος", kind=RuleKind.SILENT, silent_hours=6)
    later = timezone.now() + timedelta(hours=7)
    bin_.created_at = timezone.now() - timedelta(days=1)
    bin_.save()
    assert len(services.alarms_check_silent(municipality=serres, now=later)) == 1
    assert services.alarms_check_silent(municipality=serres, now=later) == []  # no storm
    feed(serres, bin_, {"fillingLevel": 0.2})
    assert Alarm.objects.get().status == AlarmStatus.RESOLVED


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": RuleKind.THRESHOLD, "attribute": "nope", "threshold": 1}, "attribute"),
        ({"kind": RuleKind.THRESHOLD, "attribute": "status"}, "attribute"),
        ({"kind": RuleKind.THRESHOLD, "attribute": "fillingLevel"}, "threshold"),
        (
            {
                "kind": RuleKind.THRESHOLD,
                "attribute": "fillingLevel",
                "threshold": 0.8,
                "clear_threshold": 0.9,
            },
            "clear_threshold",
        ),
        ({"kind": RuleKind.STATUS, "attribute": "status", "status_values": ["exploded"]}, "status_values"),
        ({"kind": RuleKind.SILENT}, "silent_hours"),
        ({"kind": RuleKind.SILENT, "silent_hours": 2, "actions": ["teleport"]}, "actions"),
        ({"kind": RuleKind.SILENT, "silent_hours": 2, "actions": ["notify"]}, "department"),
    ],
)
def test_rule_validation(serres: Any, kw: dict, field: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        rule(serres, "WasteContainer", name="x", **kw)
    assert exc.value.field == field


def test_notify_action_emails_the_department(serres: Any, lamp: Any, lighting: Any) -> None:
    rule(
        serres,
        "Streetlight",
        name="Βλάβη",
        kind=RuleKind.STATUS,
        attribute="status",
        status_values=["defectiveLamp"],
        actions=["notify"],
        department=lighting,
    )
    feed(serres, lamp, {"status": "defectiveLamp"})
    tasks_run_pending()
    tasks_run_pending()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["light@serres.example"]
    assert "Φωτιστικό 7" in mail.outbox[0].subject


def test_alarm_history_has_the_municipality_and_stored_text_is_in_the_site_language(
    serres: Any, bin_: Any
) -> None:
    rule(serres, "WasteContainer", name="Σιωπηλός κάδος", kind=RuleKind.SILENT, silent_hours=1)
    bin_.created_at = timezone.now() - timedelta(days=1)
    bin_.save()
    with translation.override("en"):  # e.g. a request in English runs the check
        (alarm,) = services.alarms_check_silent(municipality=serres, now=timezone.now() + timedelta(hours=2))
    assert alarm.message == "Σιωπηλός κάδος: καμία μέτρηση για 1 ώρα"
    event = AlarmEvent.objects.get(alarm=alarm)
    assert event.municipality_id == serres.pk and event.comment == alarm.message
