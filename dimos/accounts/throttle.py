"""Login throttling in the Django cache: a fixed window per key (username, IP, user).

After ``LOGIN_THROTTLE_ATTEMPTS`` failures within ``LOGIN_THROTTLE_WINDOW``
seconds of the first one, further attempts are refused until the window ends.
The cache is shared between processes in production (Redis, ``CACHE_URL``).
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Throttled:
    retry_at: float

    @property
    def seconds_left(self) -> int:
        return max(1, int(self.retry_at - time.time()) + 1)

    @property
    def minutes_left(self) -> int:
        return max(1, -(-self.seconds_left // 60))


def _key(scope: str, kind: str, value: str) -> str:
    digest = hashlib.sha256(value.strip().lower().encode("utf-8")).hexdigest()[:32]
    return f"dimos:throttle:{scope}:{kind}:{digest}"


def check(scope: str, keys: dict[str, str]) -> Throttled | None:
    """The throttle that blocks this attempt, if any (the one that ends last)."""
    limit = settings.LOGIN_THROTTLE_ATTEMPTS
    blocked: Throttled | None = None
    now = time.time()
    for kind, value in keys.items():
        if not value:
            continue
        base = _key(scope, kind, value)
        values = cache.get_many([f"{base}:n", f"{base}:until"])
        count, until = values.get(f"{base}:n") or 0, values.get(f"{base}:until") or 0
        if count >= limit and until > now and (blocked is None or until > blocked.retry_at):
            blocked = Throttled(retry_at=until)
    return blocked


def record_failure(scope: str, keys: dict[str, str]) -> None:
    """Count one failure; the window starts at the first failure (``cache.add``) and the
    count is an atomic ``incr``, so parallel attempts cannot slip past the limit."""
    window = settings.LOGIN_THROTTLE_WINDOW
    now = time.time()
    for kind, value in keys.items():
        if not value:
            continue
        base = _key(scope, kind, value)
        cache.add(f"{base}:until", now + window, window + 1)
        until = cache.get(f"{base}:until") or now + window
        ttl = max(1, int(until - now) + 1)
        cache.add(f"{base}:n", 0, ttl)
        try:
            cache.incr(f"{base}:n")
        except ValueError:  # expired between add and incr
            cache.set(f"{base}:n", 1, ttl)


def reset(scope: str, kind: str, value: str) -> None:
    base = _key(scope, kind, value)
    cache.delete_many([f"{base}:n", f"{base}:until"])
