"""Personal data typed into free text, masked before the text is public.

A citizen describing a broken street light may add «πάρτε με στο 6912345678» or
their e-mail; the description is then shown on the public map, in Open311 and in
open data. ``mask_personal_data`` replaces phone numbers, e-mail addresses and
long numbers (ΑΦΜ, ΑΜΚΑ, IBAN-like) with a label; staff still see the original.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# Nine or more digits, optionally grouped by single spaces, dots or dashes, with an optional
# international prefix: Greek phones (10 digits, 69… or 2…), ΑΦΜ (9), ΑΜΚΑ (11), account numbers.
_LONG_NUMBER = re.compile(r"(?<![\w/])(?:(?:\+|00)\s?\d{2,3}[\s.-]?)?\d(?:[\s.-]?\d){8,}(?![\w/])")


def _number_label(match: re.Match[str]) -> str:
    digits = re.sub(r"\D", "", match.group(0))
    national = (
        digits[-10:] if len(digits) > 10 and match.group(0).lstrip().startswith(("+", "00")) else digits
    )
    if len(national) == 10 and national.startswith(("69", "2")):
        return "[" + _("τηλέφωνο") + "]"
    return "[" + _("αριθμός") + "]"


def mask_personal_data(text: str) -> str:
    """``text`` with phone numbers, e-mail addresses and ΑΦΜ/ΑΜΚΑ-like numbers replaced by labels."""
    if not text:
        return text
    text = _EMAIL.sub(lambda _m: "[" + _("e-mail") + "]", text)
    return _LONG_NUMBER.sub(_number_label, text)
