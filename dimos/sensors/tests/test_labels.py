"""Readings and alarms in words, never «fillingLevel = 0.856» or «status = defectiveLamp»."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from dimos.sensors.constants import AlarmStatus, Direction, RuleKind
from dimos.sensors.labels import reading_text, readings
from dimos.sensors.models import Alarm, AlarmEvent
from dimos.sensors.tests.test_rules import feed, rule

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "type_code", "name", "value", "expected"),
    [
        ("el", "WasteContainer", "fillingLevel", 0.856, "Ο κάδος είναι γεμάτος κατά 86\u00a0%"),
        ("en", "WasteContainer", "fillingLevel", 0.856, "The bin is 86\u00a0% full"),
        ("el", "OffStreetParking", "availableSpotNumber", 27, "Ελεύθερες θέσεις: 27"),
        ("en", "OffStreetParking", "availableSpotNumber", 27, "Free spaces: 27"),
        ("el", "Streetlight", "status", "defectiveLamp", "Κατάσταση: ελαττωματικός λαμπτήρας"),
        ("en", "Streetlight", "status", "defectiveLamp", "Status: defective lamp"),
        ("el", "AirQualityObserved", "temperature", 6.22, "Θερμοκρασία: 6,22\u00a0°C"),
    ],
)
def test_a_reading_in_words(language: str, type_code: str, name: str, value: Any, expected: str) -> None:
    with translation.override(language):
        assert reading_text(type_code, name, value) == expected


def test_an_unknown_code_stays_visible() -> None:
    assert readings("Streetlight", {"vendorThing": "weird"}) == [("vendorThing", "weird")]


def test_alarm_messages_are_words_in_both_languages(serres: Any, bin_: Any, lamp: Any) -> None:
    rule(
        serres, "WasteContainer", name="Γεμάτος κάδος", kind=RuleKind.THRESHOLD, attribute="fillingLevel",
        direction=Direction.ABOVE, threshold=0.8, clear_threshold=0.3,
    )  # fmt: skip
    rule(
        serres, "Streetlight", name="Βλάβη λαμπτήρα", kind=RuleKind.STATUS, attribute="status",
        status_values=["defectiveLamp"],
    )  # fmt: skip
    feed(serres, bin_, {"fillingLevel": 0.856})
    feed(serres, lamp, {"status": "defectiveLamp"})
    full = Alarm.objects.get(device=bin_)
    broken = Alarm.objects.get(device=lamp)
    assert full.message == "Γεμάτος κάδος — Ο κάδος είναι γεμάτος κατά 86\u00a0%"
    assert broken.message == "Βλάβη λαμπτήρα — Κατάσταση: ελαττωματικός λαμπτήρας"
    with translation.override("en"):
        assert broken.text == "Βλάβη λαμπτήρα — Status: defective lamp"


def test_alarm_page_shows_words_and_labelled_transitions(
    serres: Any, lamp: Any, operator_client: Any
) -> None:
    rule(
        serres, "Streetlight", name="Βλάβη λαμπτήρα", kind=RuleKind.STATUS, attribute="status",
        status_values=["defectiveLamp"],
    )  # fmt: skip
    feed(serres, lamp, {"status": "defectiveLamp"})
    alarm = Alarm.objects.get()
    page = operator_client.get(reverse("sensors:alarm_detail", args=[alarm.pk])).content.decode()
    assert "defectiveLamp" not in page and "ελαττωματικός λαμπτήρας" in page
    assert "— → open" not in page and "Ανοιχτός" in page
    device = operator_client.get(reverse("sensors:device_detail", args=[lamp.pk])).content.decode()
    assert "status=defectiveLamp" not in device and "Κατάσταση: ελαττωματικός λαμπτήρας" in device


def test_transitions_read_as_labels() -> None:
    event = AlarmEvent(from_status=AlarmStatus.OPEN, to_status=AlarmStatus.ACKNOWLEDGED)
    first = AlarmEvent(from_status="", to_status=AlarmStatus.OPEN)
    with translation.override("el"):
        assert event.transition_label == "Ανοιχτός → Σε χειρισμό" and first.transition_label == "Ανοιχτός"
    with translation.override("en"):
        assert first.transition_label == "Open"


def test_an_alarm_without_a_reading_keeps_its_message(serres: Any, lamp: Any) -> None:
    from dimos.sensors.models import DeviceType, Rule

    manual = Rule.objects.create(
        municipality=serres, type=DeviceType.objects.get(code="Streetlight"), name="R"
    )
    alarm = Alarm.objects.create(municipality=serres, device=lamp, rule=manual, message="Σβηστό")
    assert alarm.text == "Σβηστό"
