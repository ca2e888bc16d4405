"""The reusable tenancy isolation check (architecture rule 1).

Every staff page and staff API endpoint is found by walking the URL resolver
(views wrapped in ``staff_required``, class views with ``dimos_staff = True`` and
DRF views with ``IsMunicipalStaff``). Each app registers, in
``<app>/tests/isolation.py``, a function ``cases(ctx)`` that creates objects in
Serres and returns ``IsolationCase`` rows. The core test then:

1. fails if any staff URL has no case (new pages cannot slip through);
2. as staff of another municipality, on their own host and on Serres' host,
   requests each URL and expects 404 for object URLs, and for list URLs a page
   that does not show the Serres object's marker text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass
class IsolationCase:
    url_name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    method: str = "GET"
    data: dict[str, Any] | None = None
    # Text that identifies the Serres object; must not appear to other tenants.
    marker: str = ""
    # Query string appended to the URL (e.g. "?format=json").
    query: str = ""
    # False for a page no member of a municipality's staff may use (the Region's pages, for
    # Region staff only): the owner check below skips it; its own app tests who sees it.
    municipal: bool = True


def _is_staff_callback(callback: Any) -> bool:
    if getattr(callback, "dimos_staff", False):
        return True
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is None:
        return False
    if getattr(view_class, "dimos_staff", False):
        return True
    return any(getattr(p, "dimos_staff", False) for p in getattr(view_class, "permission_classes", ()))


def _walk(patterns: list[Any], namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            yield from _walk(pattern.url_patterns, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def staff_url_names() -> set[str]:
    """Names of every URL whose view is a staff view (admin excluded: tested apart)."""
    return {
        name
        for name, callback in _walk(get_resolver().url_patterns)
        if not name.startswith("admin:") and _is_staff_callback(callback)
    }
