"""Data versions: the one way a shared, public cache decides that an entry is current.

A cached answer that shows some kind of a municipality's data (``topic``: the
public reports, issued documents, appointment slots) is stored under a key that
contains that data's *version*, a counter in ``DataVersion``. Every write to the
data bumps the counter **inside the writing transaction** (``data_changed``), so:

* a reader that sees the new number also sees the new data (same commit), and a
  reader that still sees the old number may cache only what was true under it;
* every process sees the change on its next request, with Redis or without it:
  the number lives in the database, not in a cache;
* deletions and bulk updates count as long as the code that makes them calls
  ``data_changed`` (model signals cover ``save``/``delete``; services that use
  ``QuerySet.update``/``delete`` call it themselves).

Reading the version is one indexed query (``data_version``). Only shared,
anonymous, public answers are cached this way (docs/architecture.md, "Caches");
never a per-user page, never personal data.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from dimos.core.models import DataVersion


def data_version(municipality_id: int, topic: str) -> int:
    """The current version of ``topic`` for a municipality (0 before its first write)."""
    number = (
        DataVersion.objects.filter(municipality_id=municipality_id, topic=topic)
        .values_list("number", flat=True)
        .first()
    )
    return number or 0


def data_changed(municipality_id: int | None, topic: str) -> None:
    """Move ``topic``'s version forward, in the caller's transaction."""
    if municipality_id is None:
        return
    rows = DataVersion.objects.filter(municipality_id=municipality_id, topic=topic)
    if rows.update(number=F("number") + 1):
        return
    try:
        with transaction.atomic():
            DataVersion.objects.create(municipality_id=municipality_id, topic=topic, number=1)
    except IntegrityError:  # another writer created it first
        rows.update(number=F("number") + 1)
