"""Integration credentials: stored as a SHA-256 hash, shown once, revocable."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.sensors.models import Credential, Device

TOKEN_PREFIX = "dms"  # noqa: S105 (a public prefix, not a secret)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def credential_create(
    *,
    municipality: Municipality,
    name: str,
    vendor: str = "",
    device: Device | None = None,
    actor: Any = None,
) -> tuple[Credential, str]:
    """Create a credential; the plain token is returned ONCE and never stored."""
    if not name.strip():
        raise ValidationFailed(_("Δώστε ονομασία στο διαπιστευτήριο."), field="name")
    if device is not None and device.municipality_id != municipality.pk:
        raise NotFound(_("Η συσκευή δεν βρέθηκε."))
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    credential = Credential.objects.create(
        municipality=municipality,
        name=name.strip()[:120],
        vendor=vendor.strip()[:100],
        device=device,
        prefix=prefix,
        key_hash=_hash(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(action="sensors.credential_created", actor=actor, obj=credential, new={"prefix": prefix})
    return credential, token


@transaction.atomic
def credential_revoke(*, municipality: Municipality, credential_id: int, actor: Any = None) -> Credential:
    credential = (
        Credential.objects.select_for_update().filter(municipality=municipality, pk=credential_id).first()
    )
    if credential is None:
        raise NotFound(_("Το διαπιστευτήριο δεν βρέθηκε."))
    if credential.revoked_at is None:
        credential.revoked_at = timezone.now()
        credential.save(update_fields=["revoked_at"])
        audit_record(action="sensors.credential_revoked", actor=actor, obj=credential)
    return credential


def credential_check(token: str, municipality: Municipality | None = None) -> Credential | None:
    """The active credential for ``token`` (of ``municipality`` if given), else None."""
    parts = (token or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    credential = Credential.objects.select_related("municipality").filter(prefix=parts[1]).first()
    if credential is None or not hmac.compare_digest(credential.key_hash, _hash(token)):
        return None
    if credential.revoked_at is not None:
        return None
    if municipality is not None and credential.municipality_id != municipality.pk:
        return None
    now = timezone.now()
    if credential.last_used_at is None or now - credential.last_used_at > timedelta(minutes=1):
        Credential.objects.filter(pk=credential.pk).update(last_used_at=now)
    return credential
