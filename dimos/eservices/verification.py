"""Public verification of issued documents: the shared result cache and the per-address limit.

The result of a lookup by code is the one thing of this app kept in a shared
cache. It is public (anyone holding the code may ask) and anonymous: a
``DocumentSummary`` carries the document's type, protocol number, dates, status
and fingerprint, never its holder, the application or any contact data. Its key
holds the municipality's ``documents`` data version (``dimos.core.versions``),
moved inside the transaction of every save or delete of an ``IssuedDocument``
(issue, revoke, supersede): the next lookup after a commit, in any process,
reads the new version and so the new result. Not-found answers are not cached
(random codes would only fill the cache).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone

from dimos.core.middleware import client_ip
from dimos.core.models import Municipality
from dimos.core.versions import data_changed, data_version
from dimos.eservices.constants import DOCUMENTS_TOPIC, VERIFY_RATE_PER_MINUTE
from dimos.eservices.selectors import DocumentSummary, document_summary_for_code

# The key changes with every write; the time-to-live only returns memory.
VERIFY_TTL = 3600


def verify_key(*, municipality_id: int, version: int, code: str) -> str:
    return f"services:verify:{municipality_id}:{version}:{code}"


def verification_result(*, municipality: Municipality, code: str) -> DocumentSummary | None:
    """What the public may know of the document with ``code``, from the shared cache when current."""
    key = verify_key(
        municipality_id=municipality.pk, version=data_version(municipality.pk, DOCUMENTS_TOPIC), code=code
    )
    summary = cache.get(key)
    if summary is None:
        summary = document_summary_for_code(municipality=municipality, code=code)
        if summary is not None:
            cache.set(key, summary, VERIFY_TTL)
    return summary


def rate_limited(request: HttpRequest) -> bool:
    """Fixed-window limit per client address (Django cache); true when over."""
    ip = client_ip(request) or "unknown"
    window = int(timezone.now().timestamp() // 60)
    key = f"services:verify_rate:{hashlib.sha256(ip.encode()).hexdigest()[:16]}:{window}"
    if cache.add(key, 1, 90):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 90)
        return False
    return count > getattr(settings, "DIMOS_VERIFY_RATE_PER_MINUTE", VERIFY_RATE_PER_MINUTE)


def _documents_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    data_changed(instance.municipality_id, DOCUMENTS_TOPIC)


def connect() -> None:
    """Every save or delete of an issued document moves the ``documents`` version (AppConfig.ready)."""
    from django.db.models.signals import post_delete, post_save

    from dimos.eservices.models import IssuedDocument

    for signal in (post_save, post_delete):
        signal.connect(_documents_changed, sender=IssuedDocument, dispatch_uid=f"services-documents-{signal}")
