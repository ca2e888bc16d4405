"""The field types every municipality has: text, numbers, dates, choices, identity numbers, address, files."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.files import read_upload
from dimos.core.geo import municipality_contains, valid_lat_lon
from dimos.core.greek import validate_afm, validate_amka
from dimos.core.i18n import is_english
from dimos.eservices.constants import ATTACHMENT_MAX_BYTES, ATTACHMENT_MAX_PER_FIELD, ATTACHMENT_TYPES
from dimos.eservices.fields.registry import FieldContext, FieldKind, Spec, register_field_type


@register_field_type
class TextField(FieldKind):
    code = "text"
    label = _("Κείμενο")
    options = frozenset({"max_length"})
    default_max_length = 200
    widget: type[forms.Widget] = forms.TextInput

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.CharField(
            max_length=int(spec.get("max_length", self.default_max_length)),
            widget=self.widget,
            required=required,
            **common,
        )

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string", "maxLength": int(spec.get("max_length", self.default_max_length))}


@register_field_type
class TextareaField(TextField):
    code = "textarea"
    label = _("Μεγάλο κείμενο")
    default_max_length = 4000
    widget = forms.Textarea


@register_field_type
class NumberField(FieldKind):
    code = "number"
    label = _("Αριθμός")
    options = frozenset({"min", "max"})

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.DecimalField(
            min_value=Decimal(str(spec["min"])) if "min" in spec else None,
            max_value=Decimal(str(spec["max"])) if "max" in spec else None,
            max_digits=12,
            decimal_places=2,
            required=required,
            **common,
        )

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        # Stored as a decimal string ("12.50"), so no precision is lost on the way.
        return {"type": "string", "pattern": r"^-?\d+(\.\d{1,2})?$"}


@register_field_type
class DateField(FieldKind):
    """A date; ``"past_only": true`` refuses dates after today (e.g. «Κατοικώ εκεί από»)."""

    code = "date"
    label = _("Ημερομηνία")
    options = frozenset({"past_only"})

    def definition_errors(self, spec: Spec) -> list[str]:
        if "past_only" in spec and not isinstance(spec["past_only"], bool):
            return [gettext("«past_only» είναι true ή false.")]
        return []

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        attrs = {"type": "date"}
        validators = []
        if spec.get("past_only"):
            today = timezone.localdate()
            attrs["max"] = today.isoformat()  # the browser's picker stops at today; the server decides
            validators.append(_not_after_today)
        return forms.DateField(
            widget=forms.DateInput(attrs=attrs), required=required, validators=validators, **common
        )

    def display(self, spec: Spec, value: Any) -> str:
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except (TypeError, ValueError):
            return str(value)

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


def _not_after_today(value: dt.date) -> None:
    today = timezone.localdate()
    if value > today:
        raise forms.ValidationError(
            gettext("Η ημερομηνία δεν μπορεί να είναι μετά τη σημερινή (%(today)s).")
            % {"today": today.strftime("%d/%m/%Y")},
            code="future_date",
        )


def choice_labels(spec: Spec) -> list[tuple[str, str]]:
    """A choice question's (value, label) pairs in the active language."""
    english = is_english()
    return [(c[0], c[2] if english and len(c) > 2 else c[1]) for c in spec.get("choices", [])]


@register_field_type
class ChoiceField(FieldKind):
    code = "choice"
    label = _("Μία επιλογή")
    options = frozenset({"choices"})

    def definition_errors(self, spec: Spec) -> list[str]:
        choices = spec.get("choices")
        if (
            isinstance(choices, list)
            and choices
            and all(
                isinstance(c, list) and len(c) in (2, 3) and all(isinstance(p, str) for p in c)
                for c in choices
            )
        ):
            return []
        return [gettext("οι επιλογές πρέπει να είναι [τιμή, ετικέτα, (ετικέτα en)].")]

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.ChoiceField(choices=[("", "—"), *choice_labels(spec)], required=required, **common)

    def display(self, spec: Spec, value: Any) -> str:
        labels = dict(choice_labels(spec))
        items = value if isinstance(value, list) else [value]
        return ", ".join(str(labels.get(v, v)) for v in items)

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string", "enum": [c[0] for c in spec.get("choices", [])]}


@register_field_type
class MultiChoiceField(ChoiceField):
    code = "multichoice"
    label = _("Πολλαπλή επιλογή")

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=choice_labels(spec), widget=forms.CheckboxSelectMultiple, required=required, **common
        )

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "array", "items": super().json_schema(spec), "uniqueItems": True}


@register_field_type
class YesNoField(FieldKind):
    code = "yesno"
    label = _("Ναι/Όχι")

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.TypedChoiceField(
            choices=[("", "—"), ("yes", _("Ναι")), ("no", _("Όχι"))], required=required, **common
        )

    def display(self, spec: Spec, value: Any) -> str:
        return gettext("Ναι") if value == "yes" else gettext("Όχι")

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string", "enum": ["yes", "no"]}


@register_field_type
class AfmField(FieldKind):
    code = "afm"
    label = _("ΑΦΜ")
    digits = 9
    validator = staticmethod(validate_afm)

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        return forms.CharField(
            max_length=self.digits,
            min_length=self.digits,
            validators=[self.validator],
            required=required,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **common,
        )

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "string", "pattern": rf"^\d{{{self.digits}}}$"}


@register_field_type
class AmkaField(AfmField):
    code = "amka"
    label = _("ΑΜΚΑ")
    digits = 11
    validator = staticmethod(validate_amka)


@register_field_type
class AddressField(FieldKind):
    """A street address with an optional point on the map (two companion inputs)."""

    code = "address"
    label = _("Διεύθυνση με σημείο στον χάρτη")
    companions = ("lat", "lon")
    edit_template = "services/fields/address.html"
    assets_template = "services/fields/address_assets.html"

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        field = forms.CharField(max_length=300, required=required, **common)
        field.widget.attrs["autocomplete"] = "street-address"
        return field

    def companion_field(self, suffix: str) -> forms.Field:
        label = _("Γεωγραφικό πλάτος") if suffix == "lat" else _("Γεωγραφικό μήκος")
        return forms.FloatField(required=False, label=label, widget=forms.NumberInput(attrs={"step": "any"}))

    def clean(self, spec: Spec, cleaned: dict[str, Any], form: Any) -> None:
        name = spec["name"]
        lat, lon = cleaned.get(f"{name}__lat"), cleaned.get(f"{name}__lon")
        if (lat is None) != (lon is None):
            form.add_error(name, gettext("Δώστε και τις δύο συντεταγμένες ή καμία."))
            return
        if lat is None or lon is None:
            return
        municipality = form.service.municipality
        if not valid_lat_lon(lat, lon) or (
            municipality.boundary and not municipality_contains(municipality, lat, lon)
        ):
            form.add_error(name, gettext("Το σημείο στον χάρτη είναι εκτός των ορίων του δήμου."))

    def to_json(self, spec: Spec, cleaned: dict[str, Any]) -> Any:
        name = spec["name"]
        return {
            "text": cleaned[name] or "",
            "lat": cleaned.get(f"{name}__lat"),
            "lon": cleaned.get(f"{name}__lon"),
        }

    def to_form(self, spec: Spec, value: Any) -> dict[str, Any]:
        name = spec["name"]
        if not isinstance(value, dict):
            return {name: value}
        return {
            name: value.get("text", ""),
            f"{name}__lat": value.get("lat"),
            f"{name}__lon": value.get("lon"),
        }

    def is_empty(self, value: Any) -> bool:
        return super().is_empty(value.get("text") if isinstance(value, dict) else value)

    def display(self, spec: Spec, value: Any) -> str:
        return (value.get("text") if isinstance(value, dict) else str(value)) or "—"

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        point = {"type": ["number", "null"]}
        return {
            "type": "object",
            "properties": {"text": {"type": "string", "maxLength": 300}, "lat": point, "lon": point},
            "required": ["text"],
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


@register_field_type
class FileField(FieldKind):
    """Uploaded documents: stored as ``Attachment`` rows, not in ``Application.data``; pages only."""

    code = "file"
    label = _("Αρχείο")
    options = frozenset({"max_files"})
    stores_files = True
    edit_template = "services/fields/file.html"

    def form_field(self, spec: Spec, *, required: bool, context: FieldContext, **common: Any) -> forms.Field:
        field = MultipleFileField(required=required and context.existing_files == 0, **common)
        field.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
        if not common.get("help_text"):
            field.help_text = gettext("PDF, JPG ή PNG, έως %(mb)s MB το καθένα, έως %(n)s αρχεία.") % {
                "mb": ATTACHMENT_MAX_BYTES // 1_048_576,
                "n": self.limit(spec),
            }
        return field

    @staticmethod
    def limit(spec: Spec) -> int:
        return int(spec.get("max_files", ATTACHMENT_MAX_PER_FIELD))

    def clean(self, spec: Spec, cleaned: dict[str, Any], form: Any) -> None:
        """Read and sniff the uploads into ``form.new_files`` (the service stores them)."""
        name = spec["name"]
        uploads = cleaned.get(name) or []
        limit = self.limit(spec)
        if len(uploads) + form.existing_files.get(name, 0) > limit:
            form.add_error(name, gettext("Επιτρέπονται έως %(n)s αρχεία σε αυτό το πεδίο.") % {"n": limit})
            return
        read: list[tuple[str, bytes, str]] = []
        for upload in uploads:
            try:
                data, mime = read_upload(
                    upload, max_bytes=ATTACHMENT_MAX_BYTES, allowed=ATTACHMENT_TYPES, field=name
                )
            except ValidationFailed as exc:
                form.add_error(name, f"{upload.name}: {exc.message}")
                return
            read.append((str(upload.name)[:200], data, mime))
        form.new_files[name] = read

    def json_schema(self, spec: Spec) -> dict[str, Any]:
        return {"type": "null", "description": "Uploaded through the web pages; not part of the data."}
