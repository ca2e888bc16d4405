"""The register's CSV opens as columns in Greek Excel and speaks the reader's language."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dimos.eservices.models import Application, ProtocolEntry


def _download(client: Any, day: dt.date) -> str:
    response = client.get(reverse("services:register_csv") + f"?start={day}&end={day}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return b"".join(response.streaming_content).decode("utf-8")


def _at_noon_with_microseconds() -> dt.datetime:
    return timezone.make_aware(dt.datetime(2026, 3, 12, 12, 30, 15, 123456))  # Athens, winter: UTC+2


@pytest.mark.django_db
def test_greek_csv_has_bom_semicolons_labels_and_local_times(
    alice_client: Any, submitted: Application
) -> None:
    ProtocolEntry.objects.filter(pk=submitted.protocol.pk).update(registered_at=_at_noon_with_microseconds())
    text = _download(alice_client, dt.date(2026, 3, 12))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0] == [
        "Αριθμός", "Έτος", "Ημερομηνία και ώρα", "Κατεύθυνση", "Θέμα",
        "Αποστολέας / παραλήπτης", "Εξωτερικό πρωτόκολλο", "Ακυρωμένο", "Αιτιολογία ακύρωσης",
    ]  # fmt: skip
    row = rows[1]
    assert row[2] == "12/03/2026 12:30:15"  # local time, no microseconds, no «T» or offset
    assert row[3] == "Εισερχόμενο" and row[7] == "Όχι"  # labels, never «in» / «no»


@pytest.mark.django_db
def test_english_csv_uses_commas_and_english_labels(alice_client: Any, submitted: Application) -> None:
    ProtocolEntry.objects.filter(pk=submitted.protocol.pk).update(registered_at=_at_noon_with_microseconds())
    alice_client.cookies["dimos_language"] = "en"
    text = _download(alice_client, dt.date(2026, 3, 12))
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["Number", "Year", "Date and time", "Direction"]
    assert rows[1][3] == "Incoming" and rows[1][7] == "No"
