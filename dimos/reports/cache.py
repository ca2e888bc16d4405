"""Caching of the public list endpoints (Open311 requests, public map data).

A cached body is keyed by a *data version*: the newest ``updated_at`` of the
municipality's reports and categories (two indexed MAX queries). Every write that
changes what these endpoints show moves a report's ``updated_at`` forward, so a
cached answer is never stale for longer than it takes to commit the change; the
time-to-live only bounds memory and covers renamed departments.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from dimos.core.models import Municipality
from dimos.reports.models import Category, Report

TTL_SECONDS = 300


def data_version(municipality: Municipality) -> str:
    """Newest change of the municipality's reports and categories, in one indexed round trip."""
    from django.db import connection

    report_table, category_table = Report._meta.db_table, Category._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT (SELECT MAX(updated_at) FROM "{report_table}" WHERE municipality_id = %s), '  # noqa: S608
            f'(SELECT MAX(updated_at) FROM "{category_table}" WHERE municipality_id = %s)',
            [municipality.pk, municipality.pk],
        )
        reports, categories = cursor.fetchone()
    return f"{reports}|{categories}"


def cached_response(
    *, municipality: Municipality, namespace: str, parts: list[str], build: Callable[[], HttpResponse]
) -> HttpResponse:
    """The cached answer for this request and data version, else build (and store) it."""
    raw = "|".join(
        [
            namespace,
            str(municipality.pk),
            data_version(municipality),
            get_language() or "el",
            timezone.localdate().isoformat(),
            *parts,
        ]
    )
    key = "dimos:reports:" + hashlib.sha256(raw.encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        status, content_type, body = hit
        return HttpResponse(body, content_type=content_type, status=status)
    response = build()
    if response.status_code == 200:
        cache.set(key, (response.status_code, response["Content-Type"], response.content), TTL_SECONDS)
    return response
