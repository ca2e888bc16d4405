"""Cached HTML of the two busiest pages, invalidated by version keys.

* The clerk's queue: its body (filters, tabs with counts, rows, pager) is cached
  per municipality, department, view, page, language and day, under a
  per-municipality *queue version* that every save or delete of an application
  bumps (signals below; every application write goes through ``save``). A short
  time-to-live bounds what no signal sees (a renamed user or department).
* The public verification page: the result of a lookup of one code is cached
  per municipality, code and language; saving or deleting that document (issue,
  revoke, supersede) drops it. The page holds no CSRF token (see the view).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache

from dimos.core.pagecache import now_and_on_commit

QUEUE_TTL = 60
VERIFY_TTL = 300


def _queue_version_key(municipality_id: int) -> str:
    return f"services:queue_v:{municipality_id}"


def queue_version(municipality_id: int) -> Any:
    key = _queue_version_key(municipality_id)
    version = cache.get(key)
    if version is None:
        version = time.time_ns()
        cache.add(key, version, None)
        version = cache.get(key, version)
    return version


def queue_bump(municipality_id: int | None) -> None:
    """A new queue version, now and again on commit (see ``now_and_on_commit``)."""
    if municipality_id is not None:
        key = _queue_version_key(municipality_id)
        now_and_on_commit(lambda: cache.set(key, time.time_ns(), None))


def queue_body_key(
    *,
    municipality_id: int,
    department_id: int | None,
    view: str,
    page: int,
    lang: str,
    today: Any,
    user_id: Any,
) -> str:
    # "mine" depends on who asks; the other views are the same for every clerk.
    who = user_id if view == "mine" else ""
    return f"services:queue:{municipality_id}:{department_id}:{view}:{page}:{lang}:{today:%Y%m%d}:{who}"


def verify_key(*, municipality_id: int, code: str, lang: str) -> str:
    return f"services:verify:{municipality_id}:{code}:{lang}"


def verify_drop(municipality_id: int, code: str) -> None:
    """Drop a code's cached result, now and again on commit (see ``now_and_on_commit``)."""
    from django.conf import settings

    keys = [
        verify_key(municipality_id=municipality_id, code=code, lang=lang)
        for lang, _name in settings.LANGUAGES
    ]
    now_and_on_commit(lambda: cache.delete_many(keys))


def _application_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    queue_bump(instance.municipality_id)


def _document_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    verify_drop(instance.municipality_id, instance.code)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from dimos.core.models import Department
    from dimos.eservices.models import Application, IssuedDocument

    for signal in (post_save, post_delete):
        signal.connect(_department_changed, sender=Department, dispatch_uid=f"services-departments-{signal}")
        signal.connect(_application_changed, sender=Application, dispatch_uid=f"services-queue-{signal}")
        signal.connect(_document_changed, sender=IssuedDocument, dispatch_uid=f"services-verify-{signal}")


def _departments_key(municipality_id: int) -> str:
    return f"services:departments:{municipality_id}"


def departments(municipality_id: int) -> dict[int, tuple[str, str]]:
    """The municipality's departments as {pk: (name_el, name_en)}, by Greek name."""
    key = _departments_key(municipality_id)
    found = cache.get(key)
    if found is None:
        from dimos.core.models import Department

        found = {
            pk: (name_el, name_en)
            for pk, name_el, name_en in Department.objects.filter(municipality_id=municipality_id)
            .order_by("name_el")
            .values_list("pk", "name_el", "name_en")
        }
        cache.set(key, found, 300)
    return found


def _department_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    cache.delete(_departments_key(instance.municipality_id))
    queue_bump(instance.municipality_id)
