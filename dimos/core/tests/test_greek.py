import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from dimos.core.greek import (
    is_valid_afm,
    is_valid_amka,
    normalize_greek,
    validate_afm,
    validate_amka,
)


@pytest.mark.parametrize("afm", ["090000045", "094014201", "900010011"])
def test_valid_afm(afm: str) -> None:
    assert is_valid_afm(afm)


@pytest.mark.parametrize(
    "afm", ["090000046", "000000000", "12345678", "1234567890", "09000004a", "", " 090000045"]
)
def test_invalid_afm(afm: str) -> None:
    assert not is_valid_afm(afm)


def test_validate_afm_gives_a_greek_message() -> None:
    with translation.override("el"), pytest.raises(ValidationError) as exc:
        validate_afm("123456789")
    assert "ΑΦΜ" in str(exc.value)


def _amka(prefix: str) -> str:
    for last in range(10):
        candidate = f"{prefix}{last}"
        digits = [int(c) for c in candidate]
        total = 0
        for i, d in enumerate(reversed(digits)):
            if i % 2:
                d = d * 2 - 9 if d * 2 > 9 else d * 2
            total += d
        if total % 10 == 0:
            return candidate
    raise AssertionError


def test_valid_amka() -> None:
    assert is_valid_amka(_amka("1505850123"))


def test_amka_with_impossible_birth_date_or_bad_checksum_is_invalid() -> None:
    good = _amka("1505850123")
    bad_check = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert not is_valid_amka(bad_check)
    assert not is_valid_amka(_amka("3102850123"))  # 31 February
    assert not is_valid_amka("1505850")
    with pytest.raises(ValidationError):
        validate_amka("abc")


def test_normalize_greek_is_accent_and_case_blind() -> None:
    assert normalize_greek("Βεβαίωση Μόνιμης ΚΑΤΟΙΚΊΑΣ") == normalize_greek("βεβαιωση μονιμης κατοικιας")
    assert normalize_greek("Ταΰγετος") == "ταυγετοσ"
    assert normalize_greek("  Σέρρες\t") == "σερρεσ"
