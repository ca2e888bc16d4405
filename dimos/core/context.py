"""Per-request context (client IP, actor) for services that do not take the request."""

from __future__ import annotations

from contextvars import ContextVar

current_ip: ContextVar[str | None] = ContextVar("dimos_current_ip", default=None)
