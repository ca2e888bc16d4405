"""Menus and home-page cards contributed by each domain app.

An app's ``AppConfig`` may declare ``dimos_public_nav``, ``dimos_staff_nav`` and
``dimos_home_cards``; the core collects them so no app edits shared templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from dimos.core.capabilities import has_capability


@dataclass(frozen=True)
class NavItem:
    """A menu entry or home card; staff entries name the capability they need."""

    url_name: str
    label: Any
    description: Any = ""
    icon: str = ""
    capability: str | None = None

    @property
    def url(self) -> str:
        return _reverse(self.url_name)


@lru_cache(maxsize=256)
def _reverse(url_name: str) -> str:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def _collect(attr: str) -> list[NavItem]:
    return list(_collected(attr))


@lru_cache(maxsize=8)
def _collected(attr: str) -> tuple[NavItem, ...]:
    # The installed apps do not change while the process runs (labels are lazy
    # translations, resolved when a page shows them).
    items: list[NavItem] = []
    for config in apps.get_app_configs():
        for entry in getattr(config, attr, ()):
            items.append(entry)
    return tuple(item for item in items if item.url)


def public_nav() -> list[NavItem]:
    return _collect("dimos_public_nav")


def staff_nav(user: Any) -> list[NavItem]:
    """The staff menu: only what ``user`` may use (``dimos/core/capabilities.py``)."""
    return [
        item
        for item in _collect("dimos_staff_nav")
        if item.capability is None or has_capability(user, item.capability)
    ]


def home_cards() -> list[NavItem]:
    return _collect("dimos_home_cards")


@dataclass(frozen=True)
class MenuEntry:
    """One link of the menu in the page header, with its ``aria-current`` value ("" when not current)."""

    url: str
    label: Any
    current: str = ""


def menu(links: list[tuple[str, Any]], path: str, *, homes: frozenset[str] = frozenset()) -> list[MenuEntry]:
    """The header menu for ``path``: the link to this page is ``aria-current="page"``.

    A page below a menu entry (``/staff/reports/12/`` under ``/staff/reports/``) marks
    that entry ``aria-current="true"`` (the section the page is in), the longest match
    winning. The ``homes`` (``/``, ``/staff/``) are current only on themselves, or they
    would be current everywhere.
    """
    urls = [url for url, _label in links]
    section = ""
    if path not in urls:
        section = max((url for url in urls if url not in homes and path.startswith(url)), key=len, default="")
    entries = []
    for url, label in links:
        current = "page" if url == path else ("true" if url == section else "")
        entries.append(MenuEntry(url=url, label=label, current=current))
    return entries
