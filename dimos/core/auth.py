"""The authentication back-end: Django's, with the signed-in user served from the cache.

Every signed-in request needs the user, and every staff page also needs their
department (and its parent). Reading them from the database costs a query and,
on these pages, more time than everything else the request does; so the user is
loaded once with ``select_related`` and kept in the cache.

Correctness does not depend on the cache: saving or deleting a user, or a
department, drops the affected entries (``dimos/core/signals.py``), and entries
expire after ``USER_CACHE_SECONDS`` anyway. With a cache shared by all processes
(Redis, ``CACHE_URL``, as production runs) a change is seen at once; with the
per-process local-memory cache of the demo, other processes see it within that
expiry. Django still checks the session hash against the (cached) password hash
on every request, so a password change ends other sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

USER_CACHE_SECONDS = 60


def user_cache_key(user_id: Any) -> str:
    return f"dimos:user:v1:{user_id}"


def user_cache_forget(user_ids: Iterable[Any]) -> None:
    """Drop cached users (after a change to them or to their department)."""
    keys = [user_cache_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)


class DimosModelBackend(ModelBackend):
    """Loads the signed-in user with their department (and its parent), through the cache.

    (Not the municipality: the request already has it from the tenant cache.)
    """

    def get_user(self, user_id: Any) -> Any:
        key = user_cache_key(user_id)
        user = cache.get(key)
        if user is None:
            User = get_user_model()
            try:
                user = User._default_manager.select_related("department__parent").get(pk=user_id)
            except (User.DoesNotExist, ValueError, TypeError):
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None
