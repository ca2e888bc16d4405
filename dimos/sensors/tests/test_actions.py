"""The registry of alarm actions: a rule may only name a registered action, an app
registers its own from ``AppConfig.ready()``, and a registered action runs for the alarm."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from dimos.core.exceptions import ValidationFailed
from dimos.core.tasks import tasks_run_pending
from dimos.sensors import services
from dimos.sensors.actions import alarm_actions
from dimos.sensors.constants import RuleKind, Source
from dimos.sensors.forms import RuleForm
from dimos.sensors.models import Alarm, DeviceType, Rule

pytestmark = pytest.mark.django_db


def lamp_rule(serres: Any, **kw: Any) -> Rule:
    fields = {
        "name": "Φωτιστικό σε βλάβη",
        "kind": RuleKind.STATUS,
        "attribute": "status",
        "status_values": ["defectiveLamp"],
        **kw,
    }
    return Rule(municipality=serres, type=DeviceType.objects.get(code="Streetlight"), **fields)


@pytest.fixture
def ring() -> Iterator[list[int]]:
    """A test action 'ring' that records the alarms it ran for."""
    rung: list[int] = []

    def no_night_shift(rule: Rule) -> None:
        if rule.name.startswith("νύχτα"):
            raise ValidationFailed("όχι τη νύχτα", field="name")

    @alarm_actions.register("ring", label="Κουδούνι", check_rule=no_night_shift)
    def ring_bell(alarm: Alarm) -> None:
        rung.append(alarm.pk)

    yield rung
    alarm_actions.unregister("ring")


def test_an_unknown_action_is_refused_when_a_rule_is_saved(serres: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.rule_save(rule=lamp_rule(serres, actions=["sms"]), actor=None)
    assert exc.value.field == "actions" and "sms" in str(exc.value)
    assert not Rule.objects.exists()


def test_an_action_unregistered_since_is_refused_too(serres: Any, ring: list[int]) -> None:
    services.rule_save(rule=lamp_rule(serres, actions=["ring"]), actor=None)
    alarm_actions.unregister("ring")
    with pytest.raises(ValidationFailed) as exc:
        services.rule_save(rule=lamp_rule(serres, actions=["ring"]), actor=None)
    assert exc.value.field == "actions"


def test_the_reports_app_registers_the_report_action() -> None:
    report = alarm_actions.get("report")
    assert report is not None
    assert report.run.__module__ == "dimos.reports.sensor_actions"
    assert "report" in alarm_actions and "notify" in alarm_actions


def test_a_registered_action_checks_the_rule_and_runs_for_the_alarm(
    serres: Any, lamp: Any, ring: list[int]
) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.rule_save(rule=lamp_rule(serres, actions=["ring"], name="νύχτα"), actor=None)
    assert exc.value.field == "name"
    services.rule_save(rule=lamp_rule(serres, actions=["ring"]), actor=None)
    services.readings_ingest(
        municipality=serres,
        items=[
            services.ReadingIn(device=lamp, observed_at=lamp.created_at, values={"status": "defectiveLamp"})
        ],
        source=Source.SIMULATOR,
    )
    tasks_run_pending()
    assert ring == [Alarm.objects.get(device=lamp).pk]


def test_the_rule_form_offers_the_registered_actions(serres: Any, ring: list[int]) -> None:
    names = [name for name, _label in RuleForm(municipality=serres).fields["actions"].choices]
    assert names == sorted(alarm_actions) and {"notify", "report", "ring"} <= set(names)


def test_a_name_cannot_be_taken_twice(ring: list[int]) -> None:
    with pytest.raises(ImproperlyConfigured):

        @alarm_actions.register("ring", label="Άλλο κουδούνι")
        def another_bell(alarm: Alarm) -> None:
            raise AssertionError("never registered")
