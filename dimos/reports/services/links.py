"""Tokens and absolute links for the reports app's e-mails."""

from __future__ import annotations

import secrets

from dimos.core.links import public_url

__all__ = ["new_token", "public_url"]


def new_token() -> str:
    """An unguessable token for tracking, confirmation and unsubscribe links."""
    return secrets.token_urlsafe(32)
