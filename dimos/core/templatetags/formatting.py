"""``{{ fee|money }}`` «1.890,00 €», ``{{ total|number }}`` «12.345»: the only way a
template writes an amount or a large count (see ``dimos/core/formatting.py``)."""

from __future__ import annotations

from typing import Any

from django import template

from dimos.core import formatting

register = template.Library()


@register.filter
def money(value: Any) -> str:
    return formatting.money(value)


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    return formatting.number(value, None if decimals in (None, "") else int(decimals))
