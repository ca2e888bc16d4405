"""Grammatical Greek by design: the municipality's name in the cases sentences need.

«του Δήμου Σερρών», «στον Δήμο Σερρών» are data on ``Municipality``, suggested
from the official name, confirmed (or corrected) when the municipality is set
up, and used by every sentence that names it.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.template.loader import render_to_string

from dimos.core.bootstrap import municipality_bootstrap
from dimos.core.greek import greek_name_cases
from dimos.core.models import Municipality


@pytest.mark.parametrize(
    ("name", "cases"),
    [
        ("Δήμος Σερρών", ("Δήμου Σερρών", "Δήμο Σερρών")),
        ("Δήμος  Κιλκίς", ("Δήμου Κιλκίς", "Δήμο Κιλκίς")),
        ("Δήμος Νέας Ζίχνης", ("Δήμου Νέας Ζίχνης", "Δήμο Νέας Ζίχνης")),
        ("Κοινότητα Άνω Πορόιων", ("Κοινότητας Άνω Πορόιων", "Κοινότητα Άνω Πορόιων")),
        ("Serres", ("Serres", "Serres")),
        ("Δήμος", ("Δήμος", "Δήμος")),
    ],
)
def test_suggested_cases_inflect_only_the_title(name: str, cases: tuple[str, str]) -> None:
    assert greek_name_cases(name) == cases


def test_the_test_municipalities_carry_their_cases(serres: Any, irakleia: Any) -> None:
    serres.refresh_from_db()
    assert (serres.name_genitive, serres.name_accusative) == ("Δήμου Σερρών", "Δήμο Σερρών")
    assert Municipality.objects.get(pk=irakleia.pk).name_genitive == "Δήμου Ηράκλειας"


def test_a_corrected_case_is_kept(serres: Any) -> None:
    serres.name_genitive = "Δήμου Σερρών (Π.Ε. Σερρών)"
    serres.save()
    serres.refresh_from_db()
    assert serres.name_genitive == "Δήμου Σερρών (Π.Ε. Σερρών)" and serres.name_accusative == "Δήμο Σερρών"


def _values(**overrides: Any) -> dict[str, Any]:
    return {
        "slug": "kilkis",
        "name_el": "Δήμος Κιλκίς",
        "name_en": "Municipality of Kilkis",
        "code": "KIL",
        "hostnames": ["kilkis.localhost"],
        "open311_jurisdiction": "kilkis.gr",
        "centre_lat": 40.993,
        "centre_lon": 22.875,
        **overrides,
    }


def test_bootstrap_stores_the_suggestion_or_what_it_is_given(db: Any) -> None:
    kilkis = municipality_bootstrap(**_values())
    assert (kilkis.name_genitive, kilkis.name_accusative) == ("Δήμου Κιλκίς", "Δήμο Κιλκίς")
    kilkis = municipality_bootstrap(**_values(name_genitive="Δήμου  Κιλκίς ", name_accusative="Δήμο Κιλκίς"))
    assert kilkis.name_genitive == "Δήμου Κιλκίς"


def test_the_command_offers_the_cases_and_takes_corrections(db: Any, monkeypatch: Any) -> None:
    args = [
        "municipality_bootstrap",
        "--slug=kilkis",
        "--name-el=Δήμος Κιλκίς",
        "--name-en=Municipality of Kilkis",
        "--code=KIL",
        "--host=kilkis.localhost",
        "--centre=40.993,22.875",
    ]
    out = io.StringIO()
    call_command(*args, "--no-input", stdout=out)
    assert "«του Δήμου Κιλκίς»" in out.getvalue() and "«στον Δήμο Κιλκίς»" in out.getvalue()
    # At a terminal it asks, showing the suggestion; Enter keeps it, text replaces it.
    answers = iter(["", "Δήμο του Κιλκίς"])
    prompts: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: prompts.append(prompt) or next(answers))
    call_command(*args, stdout=io.StringIO())
    assert prompts == ["Genitive (του …) [Δήμου Κιλκίς]: ", "Accusative (στον …) [Δήμο Κιλκίς]: "]
    kilkis = Municipality.objects.get(slug="kilkis")
    assert (kilkis.name_genitive, kilkis.name_accusative) == ("Δήμου Κιλκίς", "Δήμο του Κιλκίς")
    call_command(*args, "--name-accusative=Δήμο Κιλκίς", "--no-input", stdout=io.StringIO())
    assert Municipality.objects.get(slug="kilkis").name_accusative == "Δήμο Κιλκίς"


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("notifications/core.test.email.el.txt", "από τον Δήμο Σερρών"),
        ("notifications/services.submitted.email.el.txt", "υποβλήθηκε στον Δήμο Σερρών"),
        ("notifications/appointments.reminder.email.el.txt", "στον Δήμο Σερρών"),
        ("notifications/appointments.confirmed.email.el.txt", "στον Δήμο Σερρών"),
    ],
)
def test_greek_emails_name_the_municipality_in_the_right_case(
    serres: Any, template: str, expected: str
) -> None:
    import datetime as dt

    text = render_to_string(
        template,
        {
            "municipality": serres,
            "what": "x",
            "service": "Βεβαίωση",
            "protocol": "1/2026",
            "starts_at": dt.datetime(2026, 12, 4, 10, 0, tzinfo=dt.UTC),
            "manage_url": "http://serres.localhost:8000/a/",
        },
    )
    assert expected in text and "Δήμος Σερρών" not in text.split("\n", 2)[1]


def test_the_report_form_says_outside_of_the_municipality_in_the_genitive(serres: Any) -> None:
    from dimos.core.exceptions import ValidationFailed
    from dimos.reports.services.validation import validate_location

    with pytest.raises(ValidationFailed) as caught:
        validate_location(serres, 38.0, 23.7)
    assert "εκτός των ορίων του Δήμου Σερρών" in caught.value.message


def test_no_template_or_kit_glues_a_case_to_the_nominative() -> None:
    """A grep as a test: «του/στον/τον {{ municipality.name_el }}» must not come back."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    pattern = re.compile(r"(του|στον|τον|στο δημοτολόγιο του)\s+\{\{\s*municipality(\.name_el)?\s*\}\}")
    offenders = [
        str(path.relative_to(root))
        for suffix in ("*.txt", "*.html", "*.json")
        for path in root.rglob(suffix)
        if pattern.search(path.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert offenders == []


def test_the_admin_edits_the_cases_and_a_department_signatory(
    bob: Any, serres: Any, serres_department: Any
) -> None:
    from django.urls import reverse

    from dimos.core.testing import SERRES_HOST, client_for

    client = client_for(bob, SERRES_HOST)
    page = client.get(reverse("admin:core_department_change", args=[serres_department.pk])).content.decode()
    assert 'name="signatory_name"' in page and 'name="signatory_capacity"' in page
    # The municipal administrator corrects the cases of their own municipality.
    html = client.get(reverse("admin:core_municipality_change", args=[serres.pk])).content.decode()
    assert 'name="name_genitive"' in html and 'name="name_accusative"' in html
