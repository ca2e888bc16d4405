"""Personal data typed into free text is masked before it is public."""

from __future__ import annotations

import pytest

from dimos.core.privacy import mask_personal_data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Πάρτε με στο 6912345678 για λεπτομέρειες.", "Πάρτε με στο [τηλέφωνο] για λεπτομέρειες."),
        ("τηλ. 691 234 5678", "τηλ. [τηλέφωνο]"),
        ("τηλ. +30 691-234-5678", "τηλ. [τηλέφωνο]"),
        ("σταθερό 2321012345", "σταθερό [τηλέφωνο]"),
        ("γράψτε στο maria.p@example.gr παρακαλώ", "γράψτε στο [e-mail] παρακαλώ"),
        ("ΑΦΜ 090000045", "ΑΦΜ [αριθμός]"),
        ("ΑΜΚΑ 01017012345", "ΑΜΚΑ [αριθμός]"),
    ],
)
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Σβηστός στύλος ΦΣ-1234 στη Μεραρχίας 12, 621 23 Σέρρες.",
        "Από τις 03/12/2026 στις 21:30 η λάμπα αναβοσβήνει.",
        "Λακκούβα 2 μέτρα, 30 εκατοστά βάθος.",
        "",
    ],
)
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert mask_personal_data(text) == text
