"""The registry of e-service field types: the contract every type fulfils, and the decorator.

A service's application form is data (``Service.form``: a list of question
definitions, each with a ``type``). Everything that depends on the type lives in
one ``FieldKind`` subclass, registered with ``@register_field_type``:

* ``code`` and ``label`` (what the form definition names, what the admin reads);
* ``options``: the definition keys the type accepts beyond the common ones, and
  ``definition_errors`` for their values;
* ``form_field`` (and ``companions`` for extra inputs, such as an address's
  coordinates) and ``clean``: the Django form the pages and the API validate with;
* ``to_json`` / ``to_form``: a cleaned answer as stored JSON, and back;
* ``is_empty`` and ``display``: a required answer's check, the answer as a person reads it;
* ``json_schema``: the stored answer's JSON Schema, published in the catalogue API;
* ``stores_files``, ``edit_template`` and ``assets_template`` for the edit page.

docs/development.md ("Extension point: e-service field types") shows a new type.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django import forms

Spec = dict[str, Any]


@dataclass(frozen=True)
class FieldContext:
    """What a form field may depend on beyond its definition."""

    municipality: Any
    existing_files: int = 0


class FieldKind:
    """One type of question of an application form (see the module's docstring)."""

    code: ClassVar[str]
    label: ClassVar[str | Promise]
    options: ClassVar[frozenset[str]] = frozenset()
    companions: ClassVar[tuple[str, ...]] = ()
    stores_files: ClassVar[bool] = False
    edit_template: ClassVar[str] = ""
    assets_template: ClassVar[str] = ""

    def definition_errors(self, spec: Spec) -> list[str]:
        """Problems with the type's own definition keys (the common ones are checked for every type)."""
        return []

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        """The Django form field; ``common`` holds the translated ``label`` and ``help_text``."""
        raise NotImplementedError

    def companion_field(self, suffix: str) -> forms.Field:
        """The extra input ``<name>__<suffix>`` for each suffix in ``companions``."""
        raise NotImplementedError

    def companion_names(self, name: str) -> list[str]:
        return [f"{name}__{suffix}" for suffix in self.companions]

    def clean(self, spec: Spec, cleaned: dict[str, Any], form: Any) -> None:
        """Checks across the field and its companions; errors go to ``form.add_error(name, …)``."""

    def to_json(self, spec: Spec, cleaned: dict[str, Any]) -> Any:
        """The cleaned answer as it is stored in ``Application.data``."""
        value = cleaned[spec["name"]]
        if isinstance(value, Decimal):
            return str(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def to_form(self, spec: Spec, value: Any) -> dict[str, Any]:
        """A stored (or API-posted) answer as form values: the inverse of ``to_json``."""
        return {spec["name"]: value}

    def is_empty(self, value: Any) -> bool:
        return value in (None, "", [], {})

    def display(self, spec: Spec, value: Any) -> str:
        """The stored answer as a person reads it (review page, staff page, PDFs)."""
        return str(value)

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string"}


_REGISTRY: dict[str, FieldKind] = {}

K = TypeVar("K", bound=type[FieldKind])


def register_field_type(cls: K) -> K:
    """Class decorator: make a ``FieldKind`` subclass available under its ``code``."""
    code = getattr(cls, "code", "")
    if not code or code in _REGISTRY:
        raise ValueError(f"field type {code!r}: missing or registered twice")
    _REGISTRY[code] = cls()
    return cls


def field_type(code: str) -> FieldKind:
    """The registered type ``code`` (``KeyError`` for an unknown one: definitions are checked first)."""
    return _REGISTRY[code]


def field_types() -> dict[str, FieldKind]:
    """Every registered type by code, in registration order."""
    return dict(_REGISTRY)


def unregister_field_type(code: str) -> None:
    """Remove a type (tests that register a throw-away type clean up with this)."""
    del _REGISTRY[code]
