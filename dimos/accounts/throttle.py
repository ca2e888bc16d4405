"""Login throttling in the Django cache: a fixed window per key.

Sign-in steps (password, TOTP) are limited in two ways (``sign_in_blocked``):

* **per account**: after ``LOGIN_THROTTLE_ATTEMPTS`` failures within
  ``LOGIN_THROTTLE_WINDOW`` seconds of the first one, the account refuses every
  attempt, from any address, until the window ends;
* **per address**, with a higher limit (``LOGIN_THROTTLE_ADDRESS_ATTEMPTS``): an
  address over it is refused only for the accounts that have failed from it. A
  whole office behind one NAT address therefore cannot be locked out by someone
  guessing at other accounts: a colleague's correct password still signs in.

Keys hold a hash of the value, never a username or an address in clear. The
cache is shared between processes in production (Redis, ``CACHE_URL``).
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


def _state(scope: str, kind: str, value: str) -> tuple[int, float]:
    """Failures counted for a key in its current window, and when the window ends."""
    base = _key(scope, kind, value)
    values = cache.get_many([f"{base}:n", f"{base}:until"])
    count, until = values.get(f"{base}:n") or 0, values.get(f"{base}:until") or 0
    return (count, until) if until > time.time() else (0, 0)


def check(scope: str, keys: dict[str, str], *, limit: int | None = None) -> Throttled | None:
    """The throttle that blocks this attempt, if any (the one that ends last)."""
    limit = limit if limit is not None else settings.LOGIN_THROTTLE_ATTEMPTS
    blocked: Throttled | None = None
    for kind, value in keys.items():
        if not value:
            continue
        count, until = _state(scope, kind, value)
        if count >= limit and (blocked is None or until > blocked.retry_at):
            blocked = Throttled(retry_at=until)
    return blocked


def _sign_in_keys(account: str, address: str) -> dict[str, str]:
    return {"user": account, "ip": address, "pair": f"{address}|{account}" if address else ""}


def sign_in_blocked(scope: str, *, account: str, address: str) -> Throttled | None:
    """Whether a sign-in step for ``account`` from ``address`` is refused now (see the module doc)."""
    blocked = check(scope, {"user": account})
    if blocked or not address:
        return blocked
    failures, until = _state(scope, "ip", address)
    if (
        failures >= settings.LOGIN_THROTTLE_ADDRESS_ATTEMPTS
        and _state(scope, "pair", f"{address}|{account}")[0]
    ):
        return Throttled(retry_at=until)
    return None


def sign_in_failed(scope: str, *, account: str, address: str) -> None:
    """Count a failed sign-in step against the account, the address and the pair."""
    record_failure(scope, _sign_in_keys(account, address))


def sign_in_succeeded(scope: str, *, account: str) -> None:
    reset(scope, "user", account)


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
