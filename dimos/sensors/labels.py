"""Readings in words: the labels registry of sensor attributes and their coded values.

A device speaks Smart Data Models (``fillingLevel = 0.856``, ``status =
defectiveLamp``); a person reads «Ο κάδος είναι γεμάτος κατά 86 %» or
«Κατάσταση: ελαττωματικός λαμπτήρας». The attribute labels live beside their
schema (``schemas.TYPES``); the coded values and the few readings that read
better as a sentence are here. A code not in the registry is shown as it is,
so a new value from a vendor is visible, never hidden.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from dimos.core.formatting import number
from dimos.sensors.schemas import TYPES, unit_symbol

# Coded values of the enum attributes (``schemas.TYPES``), in any type.
VALUE_LABELS: dict[str, Any] = {
    "ok": _("εντάξει"),
    "defectiveLamp": _("ελαττωματικός λαμπτήρας"),
    "brokenLantern": _("σπασμένο φωτιστικό"),
    "columnIssue": _("πρόβλημα στον ιστό"),
    "on": _("αναμμένο"),
    "off": _("σβηστό"),
    "low": _("χαμηλή ένταση"),
    "bootingUp": _("σε εκκίνηση"),
    "closed": _("κλειστό"),
    "free": _("ελεύθερη"),
    "occupied": _("κατειλημμένη"),
    "unknown": _("άγνωστη"),
    "open": _("ανοιχτό"),
    "full": _("πλήρες"),
    "almostFull": _("σχεδόν πλήρες"),
    "spacesAvailable": _("υπάρχουν ελεύθερες θέσεις"),
    "lidOpen": _("ανοιχτό καπάκι"),
    "dropped": _("ανατράπηκε"),
    "moved": _("μετακινήθηκε"),
    "vandalized": _("βανδαλισμός"),
    "burning": _("φωτιά"),
    "onStreet": _("στον δρόμο"),
    "offStreet": _("εκτός δρόμου"),
    "indoor": _("εσωτερικός χώρος"),
    "outdoor": _("εξωτερικός χώρος"),
}

# Readings that read better as a whole sentence: (type, attribute) → sentence with %(value)s.
SENTENCES: dict[tuple[str, str], Any] = {
    ("WasteContainer", "fillingLevel"): _("Ο κάδος είναι γεμάτος κατά %(value)s"),
    ("OffStreetParking", "occupancy"): _("Ο χώρος στάθμευσης είναι γεμάτος κατά %(value)s"),
}


def attribute_label(type_code: str, name: str) -> str:
    """«Ελεύθερες θέσεις» for ``availableSpotNumber``; the name itself when the schema has no label."""
    spec = TYPES.get(type_code)
    attr = spec.attrs.get(name) if spec else None
    return capfirst(str(attr.label)) if attr is not None and attr.label else name


def value_text(type_code: str, name: str, value: Any) -> str:
    """A value as people read it: a fraction as a percentage («86 %»), a coded value as
    its label, a number with the language's decimal mark and its unit."""
    spec = TYPES.get(type_code)
    attr = spec.attrs.get(name) if spec else None
    if isinstance(value, list):
        return ", ".join(value_text(type_code, name, v) for v in value)
    if isinstance(value, str):
        return str(VALUE_LABELS.get(value, value))
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, int | float):
        if attr is not None and attr.unit == "C62" and attr.max == 1:
            return f"{number(round(value * 100))}\u00a0%"
        decimals = 0 if float(value).is_integer() else (2 if abs(value) < 10 else 1)
        unit = unit_symbol(attr.unit) if attr is not None and attr.unit else ""
        return f"{number(value, decimals)}\u00a0{unit}" if unit else number(value, decimals)
    return str(value)


def reading_text(type_code: str, name: str, value: Any) -> str:
    """One reading in words: «Ο κάδος είναι γεμάτος κατά 86 %», «Ελεύθερες θέσεις: 27»."""
    text = value_text(type_code, name, value)
    sentence = SENTENCES.get((type_code, name))
    if sentence is not None:
        return str(sentence) % {"value": text}
    return f"{attribute_label(type_code, name)}: {text}"


def readings(type_code: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value in words) for each reading, for lists and tables."""
    return [(attribute_label(type_code, k), value_text(type_code, k, v)) for k, v in values.items()]


def alarm_text(*, rule: Any, type_code: str, value: Any) -> str:
    """What an alarm says, in the active language: «Πλήρης κάδος — Ο κάδος είναι γεμάτος κατά 86 %»."""
    if rule.kind == "silent":
        hours = rule.silent_hours or 0
        return ngettext(
            "%(rule)s: καμία μέτρηση για %(hours)d ώρα",
            "%(rule)s: καμία μέτρηση για %(hours)d ώρες",
            hours,
        ) % {"rule": rule.name, "hours": hours}
    return f"{rule.name} — {reading_text(type_code, rule.attribute, value)}"
