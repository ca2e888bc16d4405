"""One format for each thing, from Python: money, numbers, dates and times.

Templates reach the same functions through the ``formatting`` template library
(``{{ fee|money }}``, ``{{ n|number }}``); CSV exports and PDFs call them
directly. The patterns themselves live in ``dimos/formats/<lang>/formats.py``.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone


def number(value: Any, decimals: int | None = None) -> str:
    """``value`` with the active language's separators and thousands grouping
    (Greek «1.890,5», English «1,890.5»); ``decimals`` fixes the digits after the mark."""
    if value is None or value == "":
        return ""
    try:
        value = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value: Any) -> str:
    """An amount in euros as people read it: «1.890,00 €» in Greek, «€1,890.00» in English."""
    if value is None or value == "":
        return ""
    amount = number(value, 2)
    if formats.get_format("DECIMAL_SEPARATOR") == ".":
        return f"−€{amount[1:]}" if amount.startswith("-") else f"€{amount}"
    return f"{amount}\u00a0€"


def short_date(value: date | datetime | None) -> str:
    """A date in the one short format («03/12/2026»); a datetime in local time."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def short_datetime(value: datetime | None) -> str:
    """Local date and time to the minute («03/12/2026 14:05»), never microseconds."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "SHORT_DATETIME_FORMAT")
