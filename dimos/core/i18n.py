"""Content in two languages: the one place that decides which of a pair to show.

Municipal content (names, notes, templates) is stored as ``*_el`` / ``*_en``
pairs. Greek is the language of record; English falls back to Greek when the
English text has not been written yet, so a page never shows an empty label.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import get_language


def is_english() -> bool:
    """Whether the active language is English (any ``en-*`` variant)."""
    return (get_language() or "el").startswith("en")


def bilingual(el: str, en: str | None = "") -> str:
    """The text in the active language, Greek when there is no English."""
    return en if en and is_english() else el


def localized(obj: object, field: str) -> str:
    """``obj.<field>_el`` or ``obj.<field>_en`` by the active language (see ``bilingual``)."""
    return bilingual(getattr(obj, f"{field}_el", "") or "", getattr(obj, f"{field}_en", "") or "")


def choice_labels(choices: Iterable[tuple[Any, Any]]) -> dict[Any, str]:
    """The labels of a set of choices in the active language, evaluated once.

    For lists: ``get_FOO_display()`` rebuilds and hashes every label of the field's
    choices on each call, which on a 50-row page is thousands of translations.
    """
    return {value: str(label) for value, label in choices}


class BilingualNameMixin:
    """``name`` in the active language for models with ``name_el`` and ``name_en``."""

    name_el: str
    name_en: str

    @property
    def name(self) -> str:
        return bilingual(self.name_el, self.name_en)
