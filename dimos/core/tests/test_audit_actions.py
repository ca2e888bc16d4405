"""One registry of audit action labels, complete and translated."""

from __future__ import annotations

import re
from pathlib import Path

from django.utils import translation

from dimos.core.audit_actions import AUDIT_ACTIONS, audit_action_label

DIMOS = Path(__file__).resolve().parents[2]


def _codes_in_source() -> set[str]:
    codes: set[str] = set()
    for path in DIMOS.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "audit_record" not in text:
            continue
        codes.update(re.findall(r'action=\s*"([a-z_]+\.[a-z_.]+)"', text))
        codes.update(
            re.findall(r'"((?:accounts|services|schools|sensors|reports)\.[a-z_]+)"\s*$', text, re.M)
        )
    return codes


def test_every_action_written_has_a_label() -> None:
    codes = _codes_in_source()
    assert "schools.licence_assigned" in codes and "accounts.activation_changed" in codes
    assert sorted(codes - AUDIT_ACTIONS.keys()) == []


def test_labels_in_greek_and_english() -> None:
    with translation.override("el"):
        assert audit_action_label("schools.licence_assigned") == "Ανάθεση άδειας λογισμικού"
    with translation.override("en"):
        assert audit_action_label("schools.licence_assigned") == "Software licence assigned"
        untranslated = [c for c, label in AUDIT_ACTIONS.items() if re.search("[α-ωά-ώ]", str(label).lower())]
    assert untranslated == []
    assert audit_action_label("vendor.unknown") == "vendor.unknown"  # visible, never hidden
