"""Checks of what a citizen or a client application sends: coordinates, place, text, answers."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.geo import municipality_at, municipality_contains, valid_lat_lon
from dimos.core.models import Municipality
from dimos.reports.constants import MAX_DESCRIPTION, AttributeType
from dimos.reports.models import Category

_HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")


def parse_coordinate(value: Any, *, field: str) -> float:
    """A finite float from user input, or a Greek error naming the field."""
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("Οι συντεταγμένες πρέπει να είναι αριθμοί."), field=field) from exc
    if not math.isfinite(number):
        raise ValidationFailed(_("Οι συντεταγμένες πρέπει να είναι αριθμοί."), field=field)
    return number


def validate_location(municipality: Municipality, lat: float, lon: float) -> None:
    if not valid_lat_lon(lat, lon):
        raise ValidationFailed(
            _("Το σημείο δεν είναι έγκυρο (γεωγραφικό πλάτος/μήκος WGS84)."), field="location"
        )
    if not municipality_contains(municipality, lat, lon):
        other = municipality_at(lat, lon)
        # «εκτός του Δήμου Σερρών»: the Greek sentence needs the stored genitive.
        greek = (get_language() or "el").startswith("el")
        ours = municipality.name_genitive if greek else municipality.name_en
        if other is not None and other.pk != municipality.pk:
            message = _("Το σημείο βρίσκεται εκτός του %(ours)s. Αρμόδιος είναι ο %(theirs)s.") % {
                "ours": ours,
                "theirs": other.name_el if greek else other.name_en,
            }
        else:
            message = _("Το σημείο βρίσκεται εκτός των ορίων του %(ours)s.") % {"ours": ours}
        raise ValidationFailed(
            message,
            field="location",
            code="outside_municipality",
            extra={"responsible": other.name_el if other is not None and other.pk != municipality.pk else ""},
        )


def validate_description(text: str, *, required: bool = True) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationFailed(_("Περιγράψτε το πρόβλημα."), field="description")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(
            _("Η περιγραφή ξεπερνά τους %(n)s χαρακτήρες.") % {"n": MAX_DESCRIPTION}, field="description"
        )
    if _HTML.search(text):
        raise ValidationFailed(_("Η περιγραφή δεν μπορεί να περιέχει HTML."), field="description")
    return text


def validate_attributes(category: Category, raw: dict[str, Any]) -> dict[str, Any]:
    """Check answers to the category's extra questions (Open311 attributes)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for attr in category.attributes.all():
        if not attr.variable:
            continue
        value = raw.get(attr.code)
        if isinstance(value, list):
            value = [str(v).strip() for v in value if str(v).strip()]
        elif value is not None:
            value = str(value).strip()
        if value in (None, "", []):
            if attr.required:
                errors[f"attribute[{attr.code}]"] = [
                    _("Απαιτείται απάντηση: %(q)s") % {"q": attr.description_el}
                ]
            continue
        keys = {str(v.get("key")) for v in attr.values or []}
        if attr.datatype == AttributeType.SINGLE:
            if isinstance(value, list):
                value = value[0] if len(value) == 1 else value
            if isinstance(value, list) or value not in keys:
                errors[f"attribute[{attr.code}]"] = [
                    _("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif attr.datatype == AttributeType.MULTI:
            values = value if isinstance(value, list) else [value]
            if any(v not in keys for v in values):
                errors[f"attribute[{attr.code}]"] = [
                    _("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}
                ]
                continue
            value = values
        elif attr.datatype == AttributeType.NUMBER:
            try:
                number = float(str(value).replace(",", "."))
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                errors[f"attribute[{attr.code}]"] = [
                    _("Δώστε αριθμό για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif attr.datatype == AttributeType.DATETIME:
            try:
                dt.datetime.fromisoformat(str(value))
            except ValueError:
                errors[f"attribute[{attr.code}]"] = [
                    _("Δώστε ημερομηνία ISO 8601 για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif isinstance(value, list):
            value = ", ".join(value)
        if isinstance(value, str) and (len(value) > 1000 or _HTML.search(value)):
            errors[f"attribute[{attr.code}]"] = [_("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}]
            continue
        clean[attr.code] = value
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors, code="attribute")
    return clean
