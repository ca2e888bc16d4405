"""Form definitions are data: the admin refuses broken ones; the dynamic form validates."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError

from dimos.eservices.forms import ApplicationForm, form_definition_errors, prefill_values
from dimos.eservices.models import Service


def test_seeded_definitions_are_valid(catalogue: dict[str, Service]) -> None:
    for service in catalogue.values():
        assert form_definition_errors(service.form) == [], service.slug


@pytest.mark.parametrize(
    "definition",
    [
        "not a list",
        [{"name": "Bad Name", "type": "text", "label_el": "x"}],
        [{"name": "a", "type": "text", "label_el": "x"}, {"name": "a", "type": "text", "label_el": "y"}],
        [{"name": "a", "type": "colour", "label_el": "x"}],
        [{"name": "a", "type": "text"}],
        [{"name": "a", "type": "choice", "label_el": "x", "choices": []}],
        [{"name": "a", "type": "text", "label_el": "x", "prefill": "password"}],
        [{"name": "a", "type": "text", "label_el": "x", "surprise": 1}],
        ["just a string"],
    ],
)
def test_broken_definitions_are_refused(serres: Any, definition: Any) -> None:
    assert form_definition_errors(definition)
    service = Service(municipality=serres, slug="x", title_el="x", outcome="decision", form=definition)
    with pytest.raises(ValidationError):
        service.full_clean()


def test_external_service_needs_a_link(serres: Any) -> None:
    with pytest.raises(ValidationError):
        Service(municipality=serres, slug="x", title_el="x", outcome="external").full_clean()


def test_every_field_type_validates(serres: Any, citizen: Any) -> None:
    form_def = [
        {"name": "t", "type": "text", "label_el": "t", "required": True, "max_length": 5},
        {"name": "n", "type": "number", "label_el": "n", "min": 1, "max": 10},
        {"name": "d", "type": "date", "label_el": "d"},
        {"name": "c", "type": "choice", "label_el": "c", "choices": [["a", "Α"], ["b", "Β"]]},
        {"name": "m", "type": "multichoice", "label_el": "m", "choices": [["a", "Α"], ["b", "Β"]]},
        {"name": "y", "type": "yesno", "label_el": "y"},
        {"name": "amka", "type": "amka", "label_el": "amka"},
    ]
    service = Service(municipality=serres, slug="all", title_el="all", outcome="decision", form=form_def)
    bad = ApplicationForm(
        {
            "t": "toolong",
            "n": "11",
            "d": "31/02/2026",
            "c": "z",
            "m": ["z"],
            "y": "maybe",
            "amka": "12345678901",
        },
        {},
        service=service,
        user=citizen,
    )
    assert not bad.is_valid()
    assert set(bad.errors) == {"t", "n", "d", "c", "m", "y", "amka"}
    good = ApplicationForm(
        {
            "t": "ok",
            "n": "3",
            "d": "2026-02-28",
            "c": "a",
            "m": ["a", "b"],
            "y": "yes",
            "amka": "01017201235",
        },
        {},
        service=service,
        user=citizen,
    )
    assert good.is_valid(), good.errors
    assert good.values() == {
        "t": "ok",
        "n": "3",
        "d": "2026-02-28",
        "c": "a",
        "m": ["a", "b"],
        "y": "yes",
        "amka": "01017201235",
    }
    # A draft may be incomplete.
    assert ApplicationForm({}, {}, service=service, user=citizen, draft=True).is_valid()


def test_prefill_comes_from_the_verified_identity(residence: Service, citizen: Any) -> None:
    values = prefill_values(residence, citizen)
    assert values == {"full_name": "Μαρία Παπαδοπούλου", "afm": "090000045"}
    # A tampered POST cannot change a locked identity field.
    form = ApplicationForm(
        {"full_name": "Κάποιος Άλλος", "afm": "000000000"}, {}, service=residence, user=citizen, draft=True
    )
    assert form.is_valid()
    assert form.values()["full_name"] == "Μαρία Παπαδοπούλου" and form.values()["afm"] == "090000045"
