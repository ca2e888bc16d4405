"""Tokens and absolute links for the reports app's e-mails."""

from __future__ import annotations

import secrets

from django.conf import settings

from dimos.core.models import Municipality


def new_token() -> str:
    """An unguessable token for tracking, confirmation and unsubscribe links."""
    return secrets.token_urlsafe(32)


def public_url(municipality: Municipality, path: str) -> str:
    """An absolute link for e-mails: the configured base URL, else the municipality's first host name."""
    base = settings.DIMOS_PUBLIC_BASE_URL.rstrip("/")
    if not base:
        hosts = [h for h in (municipality.hostnames or []) if h not in ("testserver",)]
        base = f"http://{hosts[0]}" if hosts else ""
    return f"{base}{path}"
