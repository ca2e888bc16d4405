from __future__ import annotations

from django.urls import reverse
from django.utils import translation

from dimos.appointments.constants import AppointmentStatus


def test_english_translations_are_compiled_and_used(anon_client, setup):
    with translation.override("en"):
        assert str(AppointmentStatus.NO_SHOW.label) == "No-show"
    anon_client.cookies["dimos_language"] = "en"
    text = anon_client.get(reverse("appointments:index")).content.decode()
    assert "Book an appointment" in text and "What you can book" in text and "15 minutes" in text
