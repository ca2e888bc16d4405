"""``{% for label, value in reading.values|readings:type_code %}``: readings in words, never
``availableSpotNumber=27`` (see ``dimos/sensors/labels.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from dimos.sensors import labels

register = template.Library()


@register.filter
def readings(values: dict[str, Any] | None, type_code: str) -> list[tuple[str, str]]:
    return labels.readings(type_code, values or {})
