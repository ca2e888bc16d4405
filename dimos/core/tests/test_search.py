"""Greek-aware search (rule 5): the keyboard-layout mapping, the normalised column kept on every
save, and the audit log searched by its translated action labels."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from dimos.core.audit_actions import AUDIT_ACTIONS, audit_action_label
from dimos.core.greek import latin_keys
from dimos.core.models import AuditEvent
from dimos.core.search import search_q, search_words
from dimos.core.selectors import audit_event_list
from dimos.core.testing import SERRES_HOST, client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("σερ-000017", "ser-000017"),
        ("ΣΕΡ-000017", "ser-000017"),
        ("σέρ", "ser"),
        ("ςερτυθιοπ", "wertyuiop"),
        ("ασδφγηξκλ", "asdfghjkl"),
        ("ζχψωβνμ", "zxcvbnm"),
        ("SER-17", "ser-17"),
    ],
)
def test_greek_keys_are_read_as_the_latin_keys_they_sit_on(typed: str, meant: str) -> None:
    assert latin_keys(typed) == meant


def test_query_words_are_normalised_and_bounded() -> None:
    assert search_words("  Πλατεία   ΕΛΕΥΘΕΡΊΑΣ ") == ["πλατεια", "ελευθεριασ"]
    assert len(search_words("α " * 100)) == 8
    assert str(search_q("")) == str(search_q("   "))  # nothing typed: no condition


@pytest.fixture
def trail(serres: Any) -> None:
    for action in ("services.protocol_voided", "services.protocol_registered", "schools.licence_assigned"):
        AuditEvent.objects.create(municipality=serres, action=action)


def actions(serres: Any, typed: str) -> set[str]:
    return set(audit_event_list(municipality=serres, action=typed).values_list("action", flat=True))


@pytest.mark.parametrize(
    "typed", ["ακύρωση πρωτοκόλλου", "ΑΚΥΡΩΣΗ ΠΡΩΤΟΚΟΛΛΟΥ", "ακυρωση", "protocol_voided"]
)
def test_the_audit_log_is_searched_by_label_or_code(serres: Any, trail: None, typed: str) -> None:
    assert actions(serres, typed) == {"services.protocol_voided"}


def test_audit_search_by_words_of_the_label(serres: Any, trail: None) -> None:
    assert actions(serres, "αδεια λογισμικου") == {"schools.licence_assigned"}
    assert actions(serres, "πρωτοκ") == {"services.protocol_voided", "services.protocol_registered"}
    assert actions(serres, "services.") == {"services.protocol_voided", "services.protocol_registered"}
    assert actions(serres, "ανύπαρκτη ενέργεια") == set()


def test_audit_search_in_english_by_the_english_label(serres: Any, trail: None) -> None:
    with translation.override("en"):
        label = audit_action_label("services.protocol_voided")
        # In English the English label finds it; the Greek one still does (staff type both).
        assert actions(serres, label) == {"services.protocol_voided"}
        assert actions(serres, "ακυρωση πρωτοκολλου") == {"services.protocol_voided"}


def test_the_audit_page_finds_events_by_their_greek_label(serres: Any, bob: Any, trail: None) -> None:
    html = client_for(bob, SERRES_HOST).get("/staff/audit/", {"action": "ανάθεση άδειας"}).content.decode()
    # The page shows the labels (never the codes): the licence event is found, the voiding is not.
    assert "Ανάθεση άδειας λογισμικού" in html and "Ακύρωση αριθμού πρωτοκόλλου" not in html


def test_every_audited_action_has_a_label() -> None:
    """A code written by ``audit_record`` with no label would be found only by its code."""
    root = Path(__file__).resolve().parents[2]
    written = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text(encoding="utf-8")))
    assert written, "no audit_record call found: the pattern is wrong"
    assert sorted(written - set(AUDIT_ACTIONS)) == []
