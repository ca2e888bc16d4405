"""Extra answers read as questions and named choices, never «pole_number: ΦΣ-1234; light_state: off»."""

from __future__ import annotations

import pytest
from django.utils import translation

from dimos.core.constants import StaffRole
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.reports.answers import report_answers
from dimos.reports.services import Reporter, report_submit
from dimos.reports.tests.conftest import CITY

pytestmark = pytest.mark.django_db


def _light(serres, categories, citizen):
    return report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα",
        reporter=Reporter(user=citizen),
        attributes={"pole_number": "ΦΣ-1234", "light_state": "off"},
    )


def test_answers_in_greek_and_english(serres, categories, citizen):
    report = _light(serres, categories, citizen)
    with translation.override("el"):
        assert report_answers(report) == [
            ("Αριθμός στύλου (αν φαίνεται)", "ΦΣ-1234"),
            ("Τι συμβαίνει;", "Σβηστός"),
        ]
    with translation.override("en"):
        assert report_answers(report) == [("Pole number (if visible)", "ΦΣ-1234"), ("What is wrong?", "Off")]


def test_the_clerk_reads_labels(serres, categories, citizen, departments):
    report = _light(serres, categories, citizen)
    clerk = make_staff("petros", serres, StaffRole.CLERK, department=departments["ilektrofotismos"])
    page = client_for(clerk, SERRES_HOST).get(f"/staff/reports/{report.pk}/").content.decode()
    assert "light_state" not in page and "pole_number" not in page
    assert "<dt>Τι συμβαίνει;</dt><dd>Σβηστός</dd>" in page
