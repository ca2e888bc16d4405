"""Verification codes: random, short enough to type, with a check character.

Nine random symbols from Crockford's base-32 alphabet (no I, L, O, U: nothing to
confuse) and one check symbol by the Luhn mod N algorithm over the same
alphabet, which catches every single-symbol typo and most swaps of neighbours.
Shown as two groups of five, e.g. ``7K3QM-2XH9P``.
"""

from __future__ import annotations

import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_N = len(ALPHABET)
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
# Symbols people type by mistake for the ones in the alphabet.
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})
BODY_LENGTH = 9


def check_symbol(body: str) -> str:
    factor, total = 2, 0
    for ch in reversed(body):
        addend = factor * _INDEX[ch]
        factor = 1 if factor == 2 else 2
        total += addend // _N + addend % _N
    return ALPHABET[(_N - total % _N) % _N]


def code_generate() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + check_symbol(body)


def code_normalize(text: str) -> str:
    """Upper-case, drop spaces and dashes, map confusable letters."""
    return "".join(ch for ch in (text or "").upper() if ch not in " -\t").translate(_CONFUSABLE)


def code_is_valid(code: str) -> bool:
    """Right length, right alphabet and a matching check symbol (normalised input)."""
    if len(code) != BODY_LENGTH + 1 or any(ch not in _INDEX for ch in code):
        return False
    return check_symbol(code[:-1]) == code[-1]


def code_display(code: str) -> str:
    return f"{code[:5]}-{code[5:]}"
