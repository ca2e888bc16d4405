"""The field-type registry: every type round-trips a value; unknown types are refused; one module adds a type."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone

from dimos.eservices.fields import (
    FieldContext,
    FieldKind,
    field_types,
    register_field_type,
    unregister_field_type,
)
from dimos.eservices.forms import (
    ApplicationForm,
    data_schema,
    display_value,
    form_definition_errors,
    initial_from_data,
)
from dimos.eservices.models import Service

# One answer per type, as stored in Application.data (files are stored as attachments).
SAMPLES: dict[str, tuple[dict[str, Any], Any]] = {
    "text": ({}, "Οδός Ερμού"),
    "textarea": ({}, "Δύο\nγραμμές"),
    "number": ({"min": 0}, "12.50"),
    "date": ({}, "2024-02-29"),
    "choice": ({"choices": [["a", "Α"], ["b", "Β", "B"]]}, "b"),
    "multichoice": ({"choices": [["a", "Α"], ["b", "Β"]]}, ["a", "b"]),
    "yesno": ({}, "yes"),
    "afm": ({}, "090000045"),
    "amka": ({}, "01017201235"),
    "address": ({}, {"text": "Μεραρχίας 12, Σέρρες", "lat": 41.09, "lon": 23.55}),
}


def _service(serres: Any, definition: list[dict[str, Any]]) -> Service:
    return Service(municipality=serres, slug="x", title_el="x", outcome="decision", form=definition)


def _post(service: Service, data: dict[str, Any], citizen: Any) -> ApplicationForm:
    posted = QueryDict(mutable=True)
    for key, value in initial_from_data(service, data).items():
        if isinstance(value, list):
            posted.setlist(key, value)
        elif value is not None:
            posted[key] = str(value)
    return ApplicationForm(posted, {}, service=service, user=citizen)


def test_every_registered_type_has_a_sample() -> None:
    assert set(field_types()) - {"file"} == set(SAMPLES)


@pytest.mark.parametrize("code", sorted(SAMPLES))
def test_every_type_round_trips_a_value(serres: Any, citizen: Any, code: str) -> None:
    options, value = SAMPLES[code]
    spec = {"name": "answer", "type": code, "label_el": "Ερώτηση", "required": True, **options}
    assert form_definition_errors([spec]) == []
    service = _service(serres, [spec])
    form = _post(service, {"answer": value}, citizen)
    assert form.is_valid(), form.errors
    assert form.values() == {"answer": value}
    assert display_value(spec, value) not in ("", "—")
    assert data_schema(service)["properties"]["answer"]["title"] == "Ερώτηση"


def test_a_required_empty_answer_is_refused_for_every_type(serres: Any, citizen: Any) -> None:
    definition = [
        {"name": f"q_{code}", "type": code, "label_el": code, "required": True, **options}
        for code, (options, _value) in SAMPLES.items()
    ]
    form = _post(_service(serres, definition), {}, citizen)
    assert not form.is_valid()
    assert set(form.errors) == {f"q_{code}" for code in SAMPLES}


@pytest.mark.parametrize(
    "spec",
    [
        {"name": "a", "type": "colour", "label_el": "x"},
        {"name": "a", "type": "text", "label_el": "x", "choices": [["a", "A"]]},  # another type's option
        {"name": "a", "type": "multichoice", "label_el": "x", "choices": [["only-a-value"]]},
        {"name": "a", "type": "date", "label_el": "x", "past_only": "yes"},
    ],
)
def test_an_unknown_type_or_option_is_refused(serres: Any, spec: dict[str, Any]) -> None:
    assert form_definition_errors([spec])
    with pytest.raises(ValidationError):
        _service(serres, [spec]).full_clean()


def test_a_past_only_date_refuses_a_future_date_at_its_field(serres: Any, citizen: Any) -> None:
    """«Κατοικώ εκεί από» accepted 2030: with ``past_only`` a future date is a Greek field error."""
    spec = {
        "name": "since",
        "type": "date",
        "label_el": "Κατοικώ εκεί από",
        "required": True,
        "past_only": True,
    }
    assert form_definition_errors([spec]) == []
    service = _service(serres, [spec])
    today = timezone.localdate()
    future = _post(service, {"since": (today + dt.timedelta(days=1)).isoformat()}, citizen)
    assert not future.is_valid()
    assert "δεν μπορεί να είναι μετά τη σημερινή" in future.errors["since"][0]
    assert 'max="' + today.isoformat() + '"' in str(future["since"])
    for past in ("2015-03-01", today.isoformat()):
        assert _post(service, {"since": past}, citizen).is_valid()
    # Without the option a future date is an ordinary answer (e.g. the start of a permit).
    plain = _service(serres, [{**spec, "past_only": False}])
    assert _post(plain, {"since": (today + dt.timedelta(days=400)).isoformat()}, citizen).is_valid()


def test_the_residence_kit_asks_a_past_since_date() -> None:
    import json
    from pathlib import Path

    import dimos.core

    kit = json.loads((Path(dimos.core.__file__).parent / "kits" / "eservices.json").read_text("utf-8"))
    since = [q for s in kit["eservices"] for q in s.get("form", []) if q["name"] == "since"]
    assert since and all(q.get("past_only") is True for q in since)


@pytest.fixture
def iban_type() -> Iterator[type[FieldKind]]:
    """A new type, written as docs/development.md shows: one class, one decorator."""

    @register_field_type
    class IbanField(FieldKind):
        code = "iban"
        label = "IBAN"

        def form_field(
            self, spec: Any, *, required: bool, context: FieldContext, **common: Any
        ) -> forms.Field:
            return forms.RegexField(regex=r"^GR\d{25}$", required=required, **common)

        def to_json(self, spec: Any, cleaned: dict[str, Any]) -> Any:
            return re.sub(r"\s", "", cleaned[spec["name"]])

        def display(self, spec: Any, value: Any) -> str:
            return " ".join(value[i : i + 4] for i in range(0, len(value), 4))

        def json_schema(self, spec: Any) -> dict[str, Any]:
            return {"type": "string", "pattern": r"^GR\d{25}$"}

    yield IbanField
    unregister_field_type("iban")


def test_a_registered_type_works_everywhere_without_touching_other_modules(
    serres: Any, citizen: Any, iban_type: Any
) -> None:
    spec = {"name": "iban", "type": "iban", "label_el": "IBAN", "required": True}
    assert form_definition_errors([spec]) == []
    service = _service(serres, [spec])
    iban = "GR1601101250000000012300695"
    form = _post(service, {"iban": iban}, citizen)
    assert form.is_valid() and form.values() == {"iban": iban}
    assert display_value(spec, iban).startswith("GR16 0110")
    assert data_schema(service)["properties"]["iban"]["pattern"] == r"^GR\d{25}$"
    assert not _post(service, {"iban": "GR16"}, citizen).is_valid()


def test_a_type_is_registered_once() -> None:
    with pytest.raises(ValueError, match="registered twice"):

        @register_field_type
        class Again(FieldKind):
            code = "text"
            label = "again"
