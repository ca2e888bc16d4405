"""Alarm wording for people: what a tripped or cleared rule says in words.

Public texts (the repair report an alarm opens, its updates) must read like a
sentence — «Ο κάδος είναι γεμάτος κατά 86 %» — never «fillingLevel = 0.856». A
wording is registered per device type and attribute (``alarm_wordings``); any other
attribute falls back to its label from the type registry (``schemas.TYPES``) and its
value formatted with its unit. Texts are written in the site's language: they are
stored data, read later by anyone.

An app adds a wording for its own type from its ``AppConfig.ready()``::

    alarm_wordings.register("WasteContainer", "fillingLevel",
                            trip=_("Ο κάδος είναι γεμάτος κατά %(value)s."),
                            clear=_("Ο κάδος αδειάστηκε (πληρότητα %(value)s)."))
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from dimos.sensors import schemas
from dimos.sensors.constants import Direction, RuleKind

if TYPE_CHECKING:
    from dimos.sensors.models import Rule


@dataclass(frozen=True)
class Wording:
    """``trip``/``clear``: texts with ``%(value)s`` (the formatted value); ``values``: enum value → words."""

    trip: Any = ""
    clear: Any = ""
    values: dict[str, Any] | None = None


class AlarmWordingRegistry:
    def __init__(self) -> None:
        self._wordings: dict[tuple[str, str], Wording] = {}

    def register(
        self,
        type_code: str,
        attribute: str,
        *,
        trip: Any = "",
        clear: Any = "",
        values: dict[str, Any] | None = None,
    ) -> None:
        self._wordings[(type_code, attribute)] = Wording(trip=trip, clear=clear, values=values)

    def get(self, type_code: str, attribute: str) -> Wording | None:
        return self._wordings.get((type_code, attribute))


alarm_wordings = AlarmWordingRegistry()

alarm_wordings.register(
    "WasteContainer",
    "fillingLevel",
    trip=gettext_lazy("Ο κάδος είναι γεμάτος κατά %(value)s."),
    clear=gettext_lazy("Ο κάδος αδειάστηκε (πληρότητα %(value)s)."),
)
alarm_wordings.register(
    "WasteContainer",
    "status",
    trip=gettext_lazy("Πρόβλημα στον κάδο: %(value)s."),
    clear=gettext_lazy("Ο κάδος είναι ξανά σε καλή κατάσταση."),
    values={
        "ok": gettext_lazy("καλή κατάσταση"),
        "lidOpen": gettext_lazy("το καπάκι είναι ανοιχτό"),
        "dropped": gettext_lazy("ο κάδος έχει ανατραπεί"),
        "moved": gettext_lazy("ο κάδος έχει μετακινηθεί"),
        "vandalized": gettext_lazy("ο κάδος έχει υποστεί φθορές"),
        "burning": gettext_lazy("ο κάδος καίγεται"),
        "unknown": gettext_lazy("άγνωστη κατάσταση"),
    },
)
alarm_wordings.register(
    "Streetlight",
    "status",
    trip=gettext_lazy("Βλάβη στο φωτιστικό: %(value)s."),
    clear=gettext_lazy("Το φωτιστικό λειτουργεί ξανά κανονικά."),
    values={
        "ok": gettext_lazy("λειτουργεί κανονικά"),
        "defectiveLamp": gettext_lazy("καμένος λαμπτήρας"),
        "brokenLantern": gettext_lazy("σπασμένο φωτιστικό"),
        "columnIssue": gettext_lazy("πρόβλημα στον ιστό"),
    },
)

alarm_wordings.register(
    "OffStreetParking",
    "status",
    values={
        "open": gettext_lazy("ανοιχτός"),
        "closed": gettext_lazy("κλειστός"),
        "full": gettext_lazy("πλήρης"),
        "almostFull": gettext_lazy("σχεδόν πλήρης"),
        "spacesAvailable": gettext_lazy("με ελεύθερες θέσεις"),
    },
)
alarm_wordings.register(
    "ParkingSpot",
    "status",
    values={
        "closed": gettext_lazy("κλειστή"),
        "free": gettext_lazy("ελεύθερη"),
        "occupied": gettext_lazy("κατειλημμένη"),
        "unknown": gettext_lazy("άγνωστη"),
    },
)


def format_value(type_code: str, attribute: str, value: Any) -> str:
    """A value as people read it: fractions 0–1 as a percentage, numbers with their unit."""
    spec = schemas.TYPES.get(type_code)
    attr = spec.attrs.get(attribute) if spec else None
    wording = alarm_wordings.get(type_code, attribute)
    if isinstance(value, list):
        return ", ".join(format_value(type_code, attribute, v) for v in value)
    if isinstance(value, str):
        if wording and wording.values and value in wording.values:
            return str(wording.values[value])
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if attr is not None and attr.unit == "C62" and attr.max == 1:
        return f"{number_format(round(value * 100))} %"
    text = number_format(round(value, 1) if isinstance(value, float) else value, decimal_pos=None)
    unit = schemas.unit_symbol(attr.unit) if attr is not None and attr.unit else ""
    return f"{text} {unit}".strip()


def _label(type_code: str, attribute: str) -> str:
    spec = schemas.TYPES.get(type_code)
    attr = spec.attrs.get(attribute) if spec else None
    label = str(attr.label) if attr is not None and attr.label else _("μέτρηση")
    return label[:1].upper() + label[1:]


def alarm_phrase(rule: Rule, value: Any, *, cleared: bool = False) -> str:
    """One sentence, in the site's language, for a rule that tripped (or cleared) at ``value``."""
    type_code = rule.type.code
    with translation.override(settings.LANGUAGE_CODE):
        if rule.kind == RuleKind.SILENT:
            if cleared:
                return _("Ο αισθητήρας στέλνει ξανά μετρήσεις.")
            hours = rule.silent_hours or 0
            return ngettext(
                "Ο αισθητήρας δεν έχει στείλει μέτρηση για %(hours)d ώρα.",
                "Ο αισθητήρας δεν έχει στείλει μέτρηση για %(hours)d ώρες.",
                hours,
            ) % {"hours": hours}
        wording = alarm_wordings.get(type_code, rule.attribute)
        shown = format_value(type_code, rule.attribute, value) if value is not None else ""
        template = (wording.clear if cleared else wording.trip) if wording else ""
        if template:
            return str(template) % {"value": shown}
        params = {"label": _label(type_code, rule.attribute), "value": shown}
        if cleared:
            return _("%(label)s %(value)s: η τιμή επανήλθε σε κανονικά επίπεδα.") % params
        if rule.kind == RuleKind.STATUS:
            return _("%(label)s: %(value)s.") % params
        params["limit"] = format_value(type_code, rule.attribute, rule.threshold)
        if rule.direction == Direction.BELOW:
            return _("%(label)s %(value)s, κάτω από το όριο των %(limit)s.") % params
        return _("%(label)s %(value)s, πάνω από το όριο των %(limit)s.") % params
