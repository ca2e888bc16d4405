"""A small fixed-window limit on anonymous report submissions per client IP (anti-spam)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from dimos.core.exceptions import RateLimited

ANONYMOUS_REPORTS_PER_HOUR = 20


def check_anonymous(
    ip: str | None, *, scope: str = "report", limit: int = ANONYMOUS_REPORTS_PER_HOUR
) -> None:
    """Count one anonymous submission from ``ip``; refuse beyond ``limit`` in the current hour."""
    if not ip:
        return
    window = int(time.time() // 3600)
    key = f"dimos:reports:throttle:{scope}:{ip}:{window}"
    if cache.add(key, 1, 3700):
        return
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3700)
        return
    if count > limit:
        raise RateLimited(_("Πάρα πολλές αναφορές από αυτή τη σύνδεση. Δοκιμάστε ξανά σε λίγο ή συνδεθείτε."))
