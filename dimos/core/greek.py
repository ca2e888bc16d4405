"""Greek text normalisation and the ΑΦΜ / ΑΜΚΑ validators."""

from __future__ import annotations

import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def normalize_greek(text: str) -> str:
    """Lower-case, strip tonos/dialytika and map final sigma, for accent-blind search.

    The same function fills the normalised column and the query, so search works
    identically on SQLite and PostgreSQL without database collations.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # casefold() maps ς to σ and handles final sigma the same as medial.
    return " ".join(unicodedata.normalize("NFC", stripped).casefold().split())


# The Latin key each Greek letter sits on in the standard Greek keyboard layout (ELOT 928):
# a code typed with the keyboard left in Greek («σερ-000017») is the Latin code meant (SER-000017).
_GREEK_KEYS = str.maketrans(
    "αβψδεφγηιξκλμνοπρστθωςχυζΑΒΨΔΕΦΓΗΙΞΚΛΜΝΟΠΡΣΤΘΩΧΥΖ",
    "abcdefghijklmnoprstuvwxyzabcdefghijklmnoprstuvxyz",
)


def latin_keys(text: str) -> str:
    """What ``text`` would have been had the keyboard been in Latin: «σερ-000017» → «ser-000017».

    Accents go first, so «ΣΕΡ» and «σέρ» give the same answer; final sigma is the W key.
    Characters that are not Greek letters stay as they are (lower-cased).
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.translate(_GREEK_KEYS).lower().split())


def is_valid_afm(value: str) -> bool:
    """Greek tax number: 9 digits, weighted mod-11 check digit; all zeros is invalid."""
    if not isinstance(value, str) or len(value) != 9 or not value.isdigit() or value == "0" * 9:
        return False
    digits = [int(c) for c in value]
    total = sum(d * 2 ** (8 - i) for i, d in enumerate(digits[:8]))
    return total % 11 % 10 == digits[8]


def _luhn_ok(number: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def is_valid_amka(value: str) -> bool:
    """Social security number: 11 digits, DDMMYY birth date first, Luhn check."""
    if not isinstance(value, str) or len(value) != 11 or not value.isdigit():
        return False
    day, month, year = int(value[0:2]), int(value[2:4]), int(value[4:6])
    try:
        # The century is not encoded; any year validates the day/month pair.
        dt.date(2000 + year, month, day)
    except ValueError:
        try:
            dt.date(1900 + year, month, day)
        except ValueError:
            return False
    return _luhn_ok(value)


def validate_afm(value: str) -> None:
    if not is_valid_afm((value or "").strip()):
        raise ValidationError(
            _("Ο ΑΦΜ πρέπει να έχει 9 ψηφία και έγκυρο ψηφίο ελέγχου. Ελέγξτε τον και δοκιμάστε ξανά."),
            code="invalid_afm",
        )


def validate_amka(value: str) -> None:
    if not is_valid_amka((value or "").strip()):
        raise ValidationError(
            _(
                "Ο ΑΜΚΑ πρέπει να έχει 11 ψηφία, να ξεκινά με ημερομηνία γέννησης (ΗΗΜΜΕΕ) και να είναι έγκυρος."
            ),
            code="invalid_amka",
        )


# The first word of a municipality's official name and its genitive and accusative.
_TITLE_CASES = {
    "Δήμος": ("Δήμου", "Δήμο"),
    "Κοινότητα": ("Κοινότητας", "Κοινότητα"),
    "Περιφέρεια": ("Περιφέρειας", "Περιφέρεια"),
}


def greek_name_cases(name_el: str) -> tuple[str, str]:
    """A suggested (genitive, accusative) of an official name such as «Δήμος Σερρών».

    Only the leading title inflects («Δήμος Σερρών» → «Δήμου Σερρών», «Δήμο
    Σερρών»); the place name of an official name is already a genitive. Any other
    name is returned unchanged: the suggestion is offered for a person to confirm
    or correct, and what they confirm is stored as data.
    """
    name = " ".join((name_el or "").split())
    first, _space, rest = name.partition(" ")
    if first in _TITLE_CASES and rest:
        genitive, accusative = _TITLE_CASES[first]
        return f"{genitive} {rest}", f"{accusative} {rest}"
    return name, name
