"""Integration credentials: stored as a SHA-256 hash, shown once, revocable."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.sensors.constants import CredentialScope
from dimos.sensors.models import Credential, Device

TOKEN_PREFIX = "dms"  # noqa: S105 (a public prefix, not a secret)
TOKEN_RE = re.compile(rf"{TOKEN_PREFIX}_[A-Za-z0-9]{{1,12}}_[A-Za-z0-9_-]{{1,200}}")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def default_scopes(device: Device | None) -> list[str]:
    """What a credential could do before scopes were explicit (migration 0008 maps the same)."""
    if device is not None:
        return [CredentialScope.READ, CredentialScope.WRITE_DEVICE]
    return [CredentialScope.READ, CredentialScope.WRITE_MUNICIPALITY, CredentialScope.MANAGE_DEVICES]


def scopes_validate(scopes: Iterable[str], *, device: Device | None) -> list[str]:
    """The scopes in a stable order; a device-bound credential writes its device only."""
    chosen = set(scopes)
    if not chosen:
        raise ValidationFailed(_("Επιλέξτε τουλάχιστον ένα δικαίωμα."), field="scopes")
    if chosen - set(CredentialScope.values):
        raise ValidationFailed(_("Άγνωστο δικαίωμα διαπιστευτηρίου."), field="scopes")
    if CredentialScope.WRITE_DEVICE in chosen and device is None:
        raise ValidationFailed(
            _("Για «μετρήσεις μόνο της συσκευής του» επιλέξτε τη συσκευή."), field="device"
        )
    if device is not None and chosen & {CredentialScope.WRITE_MUNICIPALITY, CredentialScope.MANAGE_DEVICES}:
        raise ValidationFailed(
            _(
                "Ένα διαπιστευτήριο μίας συσκευής γράφει μόνο τις μετρήσεις της· "
                "για όλο τον δήμο αφήστε κενή τη συσκευή."
            ),
            field="scopes",
        )
    return [scope for scope in CredentialScope.values if scope in chosen]


@transaction.atomic
def credential_create(
    *,
    municipality: Municipality,
    name: str,
    vendor: str = "",
    device: Device | None = None,
    scopes: Iterable[str] | None = None,
    actor: Any = None,
) -> tuple[Credential, str]:
    """Create a credential; the plain token is returned ONCE and never stored.

    ``scopes`` (``CredentialScope`` values) say what it may do; None gives what a
    credential could do before scopes existed (``default_scopes``)."""
    if not name.strip():
        raise ValidationFailed(_("Δώστε ονομασία στο διαπιστευτήριο."), field="name")
    if device is not None and device.municipality_id != municipality.pk:
        raise NotFound(_("Η συσκευή δεν βρέθηκε."))
    chosen = scopes_validate(default_scopes(device) if scopes is None else scopes, device=device)
    prefix = secrets.token_hex(4)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    credential = Credential.objects.create(
        municipality=municipality,
        name=name.strip()[:120],
        vendor=vendor.strip()[:100],
        device=device,
        scopes=chosen,
        prefix=prefix,
        key_hash=_hash(token),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        action="sensors.credential_created",
        actor=actor,
        obj=credential,
        new={"prefix": prefix, "device": device.pk if device else None, "scopes": chosen},
    )
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
    if not TOKEN_RE.fullmatch(token or ""):
        return None  # never let arbitrary bytes (a NUL) reach the database
    parts = token.split("_", 2)
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
