"""Accent- and case-blind search boxes (rule 5 of the architecture): one normalised column per row.

A model lists the fields a search box looks at in ``SEARCH_FIELDS``; ``search_text`` holds them
through ``normalize_greek`` and is refreshed on every save, so every writer (the services, the
admin, the demo data, the NGSI-LD API) keeps it true without remembering to. The query goes
through the same function, so «πλατεια», «ΠΛΑΤΕΙΑ» and «Πλατεία» find the same rows on SQLite
and PostgreSQL alike, with no database collation. Writers that skip ``save()`` (``bulk_update``)
call ``search_text_refresh()`` and list ``search_text`` among the fields they write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from django.db import models
from django.db.models import Q

from dimos.core.greek import normalize_greek


def search_key(values: Iterable[Any]) -> str:
    """The normalised text of several values (blank ones skipped), as stored in ``search_text``."""
    return normalize_greek(" ".join(str(v) for v in values if v))


def search_words(query: str, limit: int = 8) -> list[str]:
    """The normalised words of a typed query (at most ``limit``, so a pasted essay stays cheap)."""
    return normalize_greek(query).split()[:limit]


def search_q(query: str, field: str = "search_text") -> Q:
    """Rows whose normalised ``field`` contains every word of ``query`` (an empty query matches all)."""
    condition = Q()
    for word in search_words(query):
        condition &= Q(**{f"{field}__contains": word})
    return condition


class SearchTextMixin(models.Model):
    """Adds ``search_text``: the normalised ``SEARCH_FIELDS`` of the row, kept up to date on save."""

    SEARCH_FIELDS: ClassVar[tuple[str, ...]] = ()

    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text_refresh()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) & set(self.SEARCH_FIELDS):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def search_text_refresh(self) -> None:
        self.search_text = search_key(getattr(self, name, "") for name in self.SEARCH_FIELDS)
