"""Fixed-window limits per client: anonymous report submissions, Open311 POSTs per key and per address.

The counters live in the cache under a keyed hash of the client's address or API
key (HMAC with the site's secret), never the raw value: the cache is shared
infrastructure, and an address or a key is not something to leave lying there.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from dimos.core.exceptions import RateLimited

ANONYMOUS_REPORTS_PER_HOUR = 20
# Open311 POST requests are limited per hour (settings.OPEN311_POSTS_PER_*): a client
# application with its own key (a city app used by many people) needs more than one address does.
WINDOW_SECONDS = 3600


def client_hash(value: str) -> str:
    """A keyed hash of an address or key: stable for counting, useless for recovering the value."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _count(scope: str, identity: str) -> int:
    """Count one event of ``identity`` in ``scope`` in the current window; the count so far."""
    window = int(time.time() // WINDOW_SECONDS)
    key = f"dimos:reports:throttle:{scope}:{client_hash(identity)}:{window}"
    if cache.add(key, 1, WINDOW_SECONDS + 100):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, WINDOW_SECONDS + 100)
        return 1


def check_anonymous(
    ip: str | None, *, scope: str = "report", limit: int = ANONYMOUS_REPORTS_PER_HOUR
) -> None:
    """Count one anonymous submission from ``ip``; refuse beyond ``limit`` in the current hour."""
    if ip and _count(scope, ip) > limit:
        raise RateLimited(_("Πάρα πολλές αναφορές από αυτή τη σύνδεση. Δοκιμάστε ξανά σε λίγο ή συνδεθείτε."))


def check_open311_address(ip: str | None) -> None:
    """Count one Open311 POST from ``ip`` (before the key is checked, so guessing keys counts too)."""
    limit = settings.OPEN311_POSTS_PER_ADDRESS_PER_HOUR
    if ip and _count("open311-address", ip) > limit:
        raise RateLimited(_("Πάρα πολλά αιτήματα POST από αυτή τη διεύθυνση. Δοκιμάστε ξανά σε μία ώρα."))


def check_open311_key(api_key: str) -> None:
    """Count one Open311 POST with ``api_key``; refuse beyond the hourly limit per key."""
    limit = settings.OPEN311_POSTS_PER_KEY_PER_HOUR
    if api_key and _count("open311-key", api_key) > limit:
        raise RateLimited(_("Πάρα πολλά αιτήματα POST με αυτό το api_key. Δοκιμάστε ξανά σε μία ώρα."))
