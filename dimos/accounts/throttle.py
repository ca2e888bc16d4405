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
        entry = cache.get(_key(scope, kind, value))
        if (
            entry
            and entry[0] >= limit
            and entry[1] > now
            and (blocked is None or entry[1] > blocked.retry_at)
        ):
            blocked = Throttled(retry_at=entry[1])
    return blocked


def record_failure(scope: str, keys: dict[str, str]) -> None:
    window = settings.LOGIN_THROTTLE_WINDOW
    now = time.time()
    for kind, value in keys.items():
        if not value:
            continue
        key = _key(scope, kind, value)
        entry = cache.get(key)
        if not entry or entry[1] <= now:
            entry = (0, now + window)
        entry = (entry[0] + 1, entry[1])
        cache.set(key, entry, max(1, int(entry[1] - now) + 1))


def reset(scope: str, kind: str, value: str) -> None:
    cache.delete(_key(scope, kind, value))
