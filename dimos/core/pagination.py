"""Paging without counting: "page N, next" for lists that grow without bound.

Counting a whole list (``COUNT(*)``) on every view costs time that grows with the
data; staff lists and the audit trail need only "is there a next page", which one
extra row answers. ``SimplePage`` has the attributes ``includes/pager.html`` reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse

MAX_PAGE = 10_000


def page_number(request: HttpRequest, *, name: str = "page") -> int:
    """The requested page number, 1 for anything that is not a sane positive number."""
    try:
        return max(1, min(int(request.GET.get(name, "1")), MAX_PAGE))
    except ValueError:
        return 1


@dataclass(frozen=True)
class SimplePage:
    """A page that knows its number and whether another follows, not the total."""

    number: int
    has_next: bool
    paginator: None = None

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def capped_count(rows: Any, *, cap: int = 1000) -> tuple[int, bool]:
    """How many rows, counting no further than ``cap``: ``(count, more)``.

    "More than 1,000" is all a person needs of a long list, and counting to a cap
    walks at most ``cap + 1`` index entries where a full ``COUNT(*)`` grows with
    the table.
    """
    found = rows.order_by()[: cap + 1].count()
    return min(found, cap), found > cap


def slice_page(rows: Sequence[Any] | Any, *, number: int, size: int) -> tuple[list[Any], SimplePage]:
    """Rows of page ``number`` (fetching one extra row to learn whether there is a next page)."""
    start = (number - 1) * size
    fetched = list(rows[start : start + size + 1])
    return fetched[:size], SimplePage(number=number, has_next=len(fetched) > size)


def row_urls(name: str) -> Callable[[int], str]:
    """The URL of each row's object from its pk, with ``reverse()`` run once for the page.

    ``reverse()`` per row is a noticeable part of a 50-row list; the URL pattern of a
    ``<int:pk>`` route differs between rows only in the number.
    """
    marker = 987654321
    head, tail = reverse(name, args=[marker]).split(str(marker), 1)
    return lambda pk: f"{head}{pk}{tail}"
