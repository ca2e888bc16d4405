"""API keys of Open311 client applications: issued once, stored hashed, looked up per request."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.reports.models import Open311Client


def hash_key(raw: str) -> str:
    """The stored form of a key: SHA-256 (keys are long random strings, so no salt or stretching)."""
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def open311_client_issue(
    *,
    municipality: Municipality,
    name: str,
    contact_email: str = "",
    actor: Any = None,
    raw_key: str | None = None,
) -> tuple[Open311Client, str]:
    """Issue an API key to a client application. The key is returned once; only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Δώστε το όνομα της εφαρμογής."), field="name")
    raw = raw_key or f"o311_{secrets.token_urlsafe(24)}"
    client = Open311Client.objects.create(
        municipality=municipality,
        name=name[:150],
        contact_email=contact_email,
        key_prefix=raw[:12],
        key_hash=hash_key(raw),
    )
    audit_record(action="reports.open311_key_issued", actor=actor, obj=client)
    return client, raw


@transaction.atomic
def open311_client_revoke(*, client: Open311Client, actor: Any = None) -> Open311Client:
    """Stop a client application's key from working; the row stays for the audit trail."""
    client.is_active = False
    client.save(update_fields=["is_active"])
    audit_record(action="reports.open311_key_revoked", actor=actor, obj=client)
    return client


def open311_client_for_key(municipality: Municipality, raw: str) -> Open311Client | None:
    """The active client of this municipality with this key; its last use is noted at most every 5 minutes."""
    if not raw:
        return None
    client = Open311Client.objects.filter(
        municipality=municipality, key_hash=hash_key(raw), is_active=True
    ).first()
    if client is not None and (
        client.last_used_at is None or timezone.now() - client.last_used_at > dt.timedelta(minutes=5)
    ):
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
