"""Answers to a category's extra questions, as people read them.

Stored as codes (``{"pole_number": "ΦΣ-1234", "light_state": "off"}``, the
Open311 attribute keys); shown as the question and the chosen value's name in
the reader's language («Τι συμβαίνει;: Σβηστός»), never ``light_state: off``.
A value's English name is ``name_en`` beside its ``name`` in the question's
``values``; a key the category no longer asks keeps its code, so nothing is lost.
"""

from __future__ import annotations

from typing import Any

from dimos.core.i18n import bilingual
from dimos.reports.models import CategoryAttribute, Report


def value_name(attribute: CategoryAttribute, key: Any) -> str:
    """The name of one answer (a list answer's key → its name in the active language)."""
    for value in attribute.values or []:
        if str(value.get("key", "")) == str(key):
            return bilingual(str(value.get("name", key)), value.get("name_en"))
    return str(key)


def report_answers(report: Report) -> list[tuple[str, str]]:
    """(question, answer) for each answer of ``report``, in the category's order."""
    answers = dict(report.attributes or {})
    if not answers:
        return []
    rows: list[tuple[str, str]] = []
    for attribute in report.category.attributes.all():
        if attribute.code not in answers:
            continue
        raw = answers.pop(attribute.code)
        keys = raw if isinstance(raw, list) else [raw]
        if attribute.values:
            text = ", ".join(value_name(attribute, k) for k in keys)
        else:
            text = ", ".join(str(k) for k in keys)
        rows.append((attribute.description, text))
    rows.extend((str(code), str(value)) for code, value in answers.items())
    return rows
