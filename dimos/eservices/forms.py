"""Application forms built from the service's form definition (data, not code)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.files import read_upload
from dimos.core.forms import AccessibleForm
from dimos.core.geo import municipality_contains, valid_lat_lon
from dimos.core.greek import validate_afm, validate_amka
from dimos.eservices.constants import (
    ATTACHMENT_MAX_BYTES,
    ATTACHMENT_MAX_PER_APPLICATION,
    ATTACHMENT_MAX_PER_FIELD,
    ATTACHMENT_TYPES,
    PREFILL_SOURCES,
    FieldType,
)

_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_KEYS = {
    "name", "type", "label_el", "label_en", "required", "help_el", "help_en",
    "choices", "prefill", "min", "max", "max_length", "max_files",
}  # fmt: skip


def form_definition_errors(definition: Any) -> list[str]:
    """Problems with a form definition, in Greek (empty when it is valid)."""
    if not isinstance(definition, list):
        return [gettext("Η φόρμα πρέπει να είναι λίστα πεδίων.")]
    errors: list[str] = []
    seen: set[str] = set()
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
        if spec.get("type") not in FieldType.values:
            errors.append(gettext("Πεδίο %(i)s: άγνωστος τύπος.") % {"i": i})
        if not spec.get("label_el"):
            errors.append(gettext("Πεδίο %(i)s: λείπει η ετικέτα.") % {"i": i})
        unknown = set(spec) - _KEYS
        if unknown:
            errors.append(
                gettext("Πεδίο %(i)s: άγνωστα κλειδιά %(keys)s.")
                % {"i": i, "keys": ", ".join(sorted(unknown))}
            )
        if spec.get("type") in (FieldType.CHOICE, FieldType.MULTICHOICE):
            choices = spec.get("choices")
            if (
                not isinstance(choices, list)
                or not choices
                or not all(
                    isinstance(c, list) and len(c) in (2, 3) and all(isinstance(p, str) for p in c)
                    for c in choices
                )
            ):
                errors.append(
                    gettext("Πεδίο %(i)s: οι επιλογές πρέπει να είναι [τιμή, ετικέτα, (ετικέτα en)].")
                    % {"i": i}
                )
        if spec.get("prefill") and spec["prefill"] not in PREFILL_SOURCES:
            errors.append(gettext("Πεδίο %(i)s: άγνωστη πηγή προσυμπλήρωσης.") % {"i": i})
    return errors


def _label(spec: dict[str, Any], key: str) -> str:
    if (get_language() or "el").startswith("en"):
        return spec.get(f"{key}_en") or spec.get(f"{key}_el", "")
    return spec.get(f"{key}_el", "")


def _choices(spec: dict[str, Any]) -> list[tuple[str, str]]:
    en = (get_language() or "el").startswith("en")
    return [(c[0], c[2] if en and len(c) > 2 else c[1]) for c in spec.get("choices", [])]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def field_specs(service: Any) -> list[dict[str, Any]]:
    return [s for s in (service.form or []) if isinstance(s, dict)]


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
        name, kind = spec["name"], spec["type"]
        required = bool(spec.get("required")) and not self.draft
        common: dict[str, Any] = {"label": _label(spec, "label"), "help_text": _label(spec, "help")}
        field: forms.Field
        if kind == FieldType.TEXT:
            field = forms.CharField(max_length=int(spec.get("max_length", 200)), required=required, **common)
        elif kind == FieldType.TEXTAREA:
            field = forms.CharField(
                max_length=int(spec.get("max_length", 4000)),
                widget=forms.Textarea,
                required=required,
                **common,
            )
        elif kind == FieldType.NUMBER:
            field = forms.DecimalField(
                min_value=Decimal(str(spec["min"])) if "min" in spec else None,
                max_value=Decimal(str(spec["max"])) if "max" in spec else None,
                max_digits=12,
                decimal_places=2,
                required=required,
                **common,
            )
        elif kind == FieldType.DATE:
            field = forms.DateField(
                widget=forms.DateInput(attrs={"type": "date"}), required=required, **common
            )
        elif kind == FieldType.CHOICE:
            field = forms.ChoiceField(choices=[("", "—"), *_choices(spec)], required=required, **common)
        elif kind == FieldType.MULTICHOICE:
            field = forms.MultipleChoiceField(
                choices=_choices(spec), widget=forms.CheckboxSelectMultiple, required=required, **common
            )
        elif kind == FieldType.YESNO:
            field = forms.TypedChoiceField(
                choices=[("", "—"), ("yes", _("Ναι")), ("no", _("Όχι"))], required=required, **common
            )
        elif kind == FieldType.AFM:
            field = forms.CharField(
                max_length=9,
                min_length=9,
                validators=[validate_afm],
                required=required,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                **common,
            )
        elif kind == FieldType.AMKA:
            field = forms.CharField(
                max_length=11,
                min_length=11,
                validators=[validate_amka],
                required=required,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                **common,
            )
        elif kind == FieldType.ADDRESS:
            field = forms.CharField(max_length=300, required=required, **common)
            field.widget.attrs["autocomplete"] = "street-address"
            self.fields[f"{name}__lat"] = forms.FloatField(
                required=False, label=_("Γεωγραφικό πλάτος"), widget=forms.NumberInput(attrs={"step": "any"})
            )
            self.fields[f"{name}__lon"] = forms.FloatField(
                required=False, label=_("Γεωγραφικό μήκος"), widget=forms.NumberInput(attrs={"step": "any"})
            )
        elif kind == FieldType.FILE:
            have = self.existing_files.get(name, 0)
            field = MultipleFileField(required=required and have == 0, **common)
            field.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
            if not common["help_text"]:
                field.help_text = gettext("PDF, JPG ή PNG, έως %(mb)s MB το καθένα, έως %(n)s αρχεία.") % {
                    "mb": ATTACHMENT_MAX_BYTES // 1_048_576,
                    "n": int(spec.get("max_files", ATTACHMENT_MAX_PER_FIELD)),
                }
        else:  # pragma: no cover - form_definition_errors rejects unknown types
            return
        if name in self.locked:
            field.disabled = True
            field.initial = prefill_values(self.service, self.user).get(name, "")
            field.help_text = gettext("Από τα στοιχεία ταυτοποίησής σας (TaxisNet).")
        self.fields[name] = field

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        prefill = prefill_values(self.service, self.user)
        total_new = 0
        for spec in field_specs(self.service):
            name, kind = spec["name"], spec["type"]
            if name in self.locked:
                cleaned[name] = prefill.get(name, "")
            if kind == FieldType.ADDRESS:
                lat, lon = cleaned.get(f"{name}__lat"), cleaned.get(f"{name}__lon")
                if (lat is None) != (lon is None):
                    self.add_error(name, gettext("Δώστε και τις δύο συντεταγμένες ή καμία."))
                elif (
                    lat is not None
                    and lon is not None
                    and (
                        not valid_lat_lon(lat, lon)
                        or (
                            self.service.municipality.boundary
                            and not municipality_contains(self.service.municipality, lat, lon)
                        )
                    )
                ):
                    self.add_error(name, gettext("Το σημείο στον χάρτη είναι εκτός των ορίων του δήμου."))
            if kind == FieldType.FILE:
                uploads = cleaned.get(name) or []
                limit = int(spec.get("max_files", ATTACHMENT_MAX_PER_FIELD))
                if len(uploads) + self.existing_files.get(name, 0) > limit:
                    self.add_error(
                        name, gettext("Επιτρέπονται έως %(n)s αρχεία σε αυτό το πεδίο.") % {"n": limit}
                    )
                    continue
                read: list[tuple[str, bytes, str]] = []
                for upload in uploads:
                    try:
                        data, mime = read_upload(
                            upload, max_bytes=ATTACHMENT_MAX_BYTES, allowed=ATTACHMENT_TYPES, field=name
                        )
                    except ValidationFailed as exc:
                        self.add_error(name, f"{upload.name}: {exc.message}")
                        break
                    read.append((str(upload.name)[:200], data, mime))
                else:
                    self.new_files[name] = read
                    total_new += len(read)
        if total_new + sum(self.existing_files.values()) > ATTACHMENT_MAX_PER_APPLICATION:
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
            name, kind = spec["name"], spec["type"]
            if kind == FieldType.FILE or name not in cleaned:
                continue
            value = cleaned[name]
            if kind == FieldType.ADDRESS:
                value = {
                    "text": value or "",
                    "lat": cleaned.get(f"{name}__lat"),
                    "lon": cleaned.get(f"{name}__lon"),
                }
            elif isinstance(value, Decimal):
                value = str(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[name] = value
        return out


def initial_from_data(service: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Form initial values from a saved draft's JSON."""
    initial: dict[str, Any] = {}
    for spec in field_specs(service):
        name = spec["name"]
        if name not in data:
            continue
        value = data[name]
        if spec["type"] == FieldType.ADDRESS and isinstance(value, dict):
            initial[name] = value.get("text", "")
            initial[f"{name}__lat"] = value.get("lat")
            initial[f"{name}__lon"] = value.get("lon")
        else:
            initial[name] = value
    return initial


def display_value(spec: dict[str, Any], value: Any) -> str:
    """A saved value as a person reads it (review page, PDF)."""
    kind = spec["type"]
    if value in (None, "", [], {}):
        return "—"
    if kind == FieldType.ADDRESS and isinstance(value, dict):
        return value.get("text") or "—"
    if kind == FieldType.YESNO:
        return gettext("Ναι") if value == "yes" else gettext("Όχι")
    if kind in (FieldType.CHOICE, FieldType.MULTICHOICE):
        labels = dict(_choices(spec))
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in items)
    if kind == FieldType.DATE:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)
    return str(value)


class TransitionForm(AccessibleForm):
    to_status = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Σχόλιο / αιτιολογία"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class TextForm(AccessibleForm):
    text = forms.CharField(label=_("Κείμενο"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


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
