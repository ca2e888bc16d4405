"""Application forms built from the service's form definition (data, not code)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.files import read_upload
from dimos.core.forms import AccessibleForm
from dimos.core.i18n import bilingual
from dimos.eservices.constants import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_PER_APPLICATION,
    ATTACHMENT_MAX_PER_FIELD,
    ATTACHMENT_TYPES,
    PREFILL_SOURCES,
)
from dimos.eservices.fields import FieldContext, field_type, field_types
from dimos.eservices.fields.builtin import MultipleFileField

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# Keys every question may have; each type adds its own (``FieldKind.options``).
_COMMON_KEYS = frozenset(
    {"name", "type", "label_el", "label_en", "required", "help_el", "help_en", "prefill"}
)


def form_definition_errors(definition: Any) -> list[str]:
    """Problems with a form definition, in Greek (empty when it is valid)."""
    if not isinstance(definition, list):
        return [gettext("Η φόρμα πρέπει να είναι λίστα πεδίων.")]
    errors: list[str] = []
    seen: set[str] = set()
    types = field_types()
    for i, spec in enumerate(definition, start=1):
        if not isinstance(spec, dict):
            errors.append(gettext("Πεδίο %(i)s: πρέπει να είναι αντικείμενο.") % {"i": i})
            continue
        name = spec.get("name", "")
        if not isinstance(name, str) or not _NAME.match(name):
            errors.append(gettext("Πεδίο %(i)s: μη έγκυρο όνομα (λατινικά πεζά, ψηφία, _).") % {"i": i})
        elif name in seen:
            errors.append(gettext("Πεδίο %(i)s: το όνομα %(name)s επαναλαμβάνεται.") % {"i": i, "name": name})
        seen.add(str(name))
        kind = types.get(spec.get("type"))  # type: ignore[arg-type]
        if kind is None:
            errors.append(gettext("Πεδίο %(i)s: άγνωστος τύπος.") % {"i": i})
        if not spec.get("label_el"):
            errors.append(gettext("Πεδίο %(i)s: λείπει η ετικέτα.") % {"i": i})
        unknown = set(spec) - _COMMON_KEYS - (kind.options if kind else frozenset())
        if unknown:
            errors.append(
                gettext("Πεδίο %(i)s: άγνωστα κλειδιά %(keys)s.")
                % {"i": i, "keys": ", ".join(sorted(unknown))}
            )
        for problem in kind.definition_errors(spec) if kind else []:
            errors.append(gettext("Πεδίο %(i)s: %(problem)s") % {"i": i, "problem": problem})
        if spec.get("prefill") and spec["prefill"] not in PREFILL_SOURCES:
            errors.append(gettext("Πεδίο %(i)s: άγνωστη πηγή προσυμπλήρωσης.") % {"i": i})
    return errors


def _text(spec: dict[str, Any], key: str) -> str:
    return bilingual(spec.get(f"{key}_el", ""), spec.get(f"{key}_en"))


def field_specs(service: Any) -> list[dict[str, Any]]:
    """The service's questions whose type is registered (a definition is checked when saved)."""
    types = field_types()
    return [s for s in (service.form or []) if isinstance(s, dict) and s.get("type") in types]


def prefill_values(service: Any, user: Any) -> dict[str, Any]:
    """Values for fields that come from the citizen's verified identity."""
    values = {}
    for spec in field_specs(service):
        source = spec.get("prefill")
        if source in PREFILL_SOURCES:
            value = PREFILL_SOURCES[source](user)
            if value not in ("", None):
                values[spec["name"]] = value
    return values


def prefilled_locked(service: Any, user: Any) -> set[str]:
    """Fields whose value comes from TaxisNet and may not be changed (ΑΦΜ, name)."""
    return {
        spec["name"]
        for spec in field_specs(service)
        if spec.get("prefill") in ("afm", "full_name", "first_name", "last_name")
        and PREFILL_SOURCES[spec["prefill"]](user)
    }


class ApplicationForm(AccessibleForm):
    """The dynamic form of one service. ``draft=True`` relaxes required fields."""

    def __init__(
        self,
        *args: Any,
        service: Any,
        user: Any,
        existing_files: dict[str, int] | None = None,
        draft: bool = False,
        **kwargs: Any,
    ) -> None:
        self.service = service
        self.user = user
        self.draft = draft
        self.existing_files = existing_files or {}
        self.new_files: dict[str, list[tuple[str, bytes, str]]] = {}
        self.locked = prefilled_locked(service, user)
        super().__init__(*args, **kwargs)
        for spec in field_specs(service):
            self._add(spec)
        self._wire_aria()

    def _add(self, spec: dict[str, Any]) -> None:
        name, kind = spec["name"], field_type(spec["type"])
        context = FieldContext(
            municipality=self.service.municipality, existing_files=self.existing_files.get(name, 0)
        )
        field = kind.form_field(
            spec,
            required=bool(spec.get("required")) and not self.draft,
            context=context,
            label=_text(spec, "label"),
            help_text=_text(spec, "help"),
        )
        if name in self.locked:
            field.disabled = True
            field.initial = prefill_values(self.service, self.user).get(name, "")
            field.help_text = gettext("Από τα στοιχεία ταυτοποίησής σας (TaxisNet).")
        self.fields[name] = field
        for suffix, companion in zip(kind.companions, kind.companion_names(name), strict=True):
            self.fields[companion] = kind.companion_field(suffix)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        prefill = prefill_values(self.service, self.user)
        for spec in field_specs(self.service):
            name = spec["name"]
            if name in self.locked:
                cleaned[name] = prefill.get(name, "")
            field_type(spec["type"]).clean(spec, cleaned, self)
        total = sum(len(files) for files in self.new_files.values()) + sum(self.existing_files.values())
        if total > ATTACHMENT_MAX_PER_APPLICATION:
            raise ValidationError(
                gettext("Μία αίτηση μπορεί να έχει έως %(n)s συνημμένα.")
                % {"n": ATTACHMENT_MAX_PER_APPLICATION}
            )
        return cleaned

    def values(self) -> dict[str, Any]:
        """Cleaned values as JSON (files excluded: they become Attachment rows)."""
        out: dict[str, Any] = {}
        cleaned = getattr(self, "cleaned_data", {})
        for spec in field_specs(self.service):
            kind = field_type(spec["type"])
            if not kind.stores_files and spec["name"] in cleaned:
                out[spec["name"]] = kind.to_json(spec, cleaned)
        return out


def initial_from_data(service: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Form values from stored answers (a saved draft, or answers posted to the API)."""
    initial: dict[str, Any] = {}
    for spec in field_specs(service):
        kind = field_type(spec["type"])
        if spec["name"] in data and not kind.stores_files:
            initial.update(kind.to_form(spec, data[spec["name"]]))
    return initial


def display_value(spec: dict[str, Any], value: Any) -> str:
    """A saved value as a person reads it (review page, PDF)."""
    kind = field_type(spec["type"])
    if kind.is_empty(value):
        return "—"
    return kind.display(spec, value)


def data_schema(service: Any) -> dict[str, Any]:
    """The JSON Schema of a service's ``data`` (the stored answers), for API clients."""
    properties, required = {}, []
    for spec in field_specs(service):
        kind = field_type(spec["type"])
        if kind.stores_files:
            continue
        properties[spec["name"]] = {"title": spec.get("label_el", ""), **kind.json_schema(spec)}
        if spec.get("required"):
            required.append(spec["name"])
    return {"type": "object", "properties": properties, "required": required, "additionalProperties": False}


class TextForm(AccessibleForm):
    text = forms.CharField(label=_("Κείμενο"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class ActionForm(AccessibleForm):
    """What a clerk typed into one action of the case page, kept to show it again with the error.

    Every field is optional here: the services decide what an action needs and name
    the field at fault, which ``run_service`` attaches to it.
    """

    comment = forms.CharField(required=False, strip=False)
    department = forms.CharField(required=False)
    assignee = forms.CharField(required=False)
    reason = forms.CharField(required=False, strip=False)  # revoking a document


class VoidForm(AccessibleForm):
    """The reason for voiding a protocol entry, asked on its confirmation page."""

    reason = forms.CharField(
        label=_("Αιτιολογία ακύρωσης"),
        max_length=300,
        help_text=_("Καταχωρίζεται στο βιβλίο πρωτοκόλλου και στο αρχείο ελέγχου."),
        error_messages={"required": _("Γράψτε την αιτιολογία της ακύρωσης.")},
    )


class AnswerForm(AccessibleForm):
    text = forms.CharField(
        label=_("Η απάντησή σας"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000
    )
    files = MultipleFileField(
        label=_("Συμπληρωματικά έγγραφα"),
        required=False,
        help_text=_("PDF, JPG ή PNG, έως 5 MB το καθένα."),
    )

    def clean_files(self) -> list[tuple[str, bytes, str]]:
        uploads = self.cleaned_data.get("files") or []
        if len(uploads) > ATTACHMENT_MAX_PER_FIELD:
            raise ValidationError(gettext("Επιτρέπονται έως %(n)s αρχεία.") % {"n": ATTACHMENT_MAX_PER_FIELD})
        read = []
        for upload in uploads:
            try:
                data, mime = read_upload(upload, max_bytes=ATTACHMENT_MAX_BYTES, allowed=ATTACHMENT_TYPES)
            except ValidationFailed as exc:
                raise ValidationError(f"{upload.name}: {exc.message}") from exc
            read.append((str(upload.name)[:200], data, mime))
        return read


class RangeForm(AccessibleForm):
    start = forms.DateField(label=_("Από"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Έως"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise ValidationError(gettext("Η ημερομηνία «Έως» είναι πριν από την «Από»."))
            if (end - start).days > 366:
                raise ValidationError(gettext("Επιλέξτε διάστημα έως ένα έτος."))
        return cleaned


class VerifyLookupForm(AccessibleForm):
    code = forms.CharField(
        label=_("Κωδικός επαλήθευσης"),
        max_length=20,
        help_text=_("Τυπώνεται κάτω από τον κωδικό QR του εγγράφου, π.χ. 7K3QM-2XH9P."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )


class VerifyUploadForm(AccessibleForm):
    pdf = forms.FileField(label=_("Το αρχείο PDF που λάβατε"))
