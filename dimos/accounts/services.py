"""Account services: citizen sign-in from an identity, e-mail and phone verification, TOTP."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from datetime import UTC, datetime
from typing import Any

import pyotp
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dimos.accounts.models import ExternalIdentity, TOTPDevice
from dimos.accounts.providers.base import Identity, ProviderError
from dimos.core.exceptions import ValidationFailed
from dimos.core.greek import is_valid_afm
from dimos.core.models import Municipality
from dimos.core.services import audit_record, notify

User = get_user_model()

EMAIL_TOKEN_SALT = "dimos.accounts.verify-email"  # noqa: S105  (a namespace, not a secret)
EMAIL_TOKEN_MAX_AGE = 2 * 24 * 3600
PHONE_CODE_TTL = 10 * 60
PHONE_CODE_MAX_ATTEMPTS = 5
TOTP_ISSUER = "Dimos"

STAFF_ACCOUNT = _(
    "Αυτός ο ΑΦΜ ανήκει σε λογαριασμό προσωπικού του δήμου. Οι υπάλληλοι συνδέονται με όνομα χρήστη, "
    "κωδικό και κωδικό επαλήθευσης."
)
INACTIVE_ACCOUNT = _("Ο λογαριασμός σας έχει απενεργοποιηθεί. Επικοινωνήστε με τον δήμο.")


def is_staff_account(user: Any) -> bool:
    return bool(user.role or user.is_staff or user.is_superuser)


# --- Citizens from identity providers -------------------------------------------


@transaction.atomic
def citizen_from_identity(*, identity: Identity) -> Any:
    """The citizen account for ``identity``: found by the provider's subject, else by ΑΦΜ, else new.

    Names from an authoritative provider (one that vouches for the ΑΦΜ) are
    refreshed on every sign-in. Staff accounts never sign in this way.
    """
    if identity.afm and not is_valid_afm(identity.afm):
        raise ProviderError(
            _("Ο ΑΦΜ που επέστρεψε ο πάροχος ταυτότητας δεν είναι έγκυρος. Η σύνδεση δεν ολοκληρώθηκε."),
            status=502,
            reason="invalid_afm",
        )
    link = (
        ExternalIdentity.objects.select_related("user")
        .filter(provider=identity.provider, subject=identity.subject)
        .first()
    )
    user = link.user if link else None
    if identity.afm:
        by_afm = User.objects.filter(afm=identity.afm).first()
        if user is not None and user.afm and user.afm != identity.afm:
            raise ProviderError(
                _("Τα στοιχεία του παρόχου δεν ταιριάζουν με τον λογαριασμό σας. Επικοινωνήστε με τον δήμο."),
                status=409,
                reason="afm_changed",
            )
        if user is None:
            user = by_afm
    if user is not None and is_staff_account(user):
        raise ProviderError(STAFF_ACCOUNT, status=403, reason="staff_account")
    if user is not None and not user.is_active:
        raise ProviderError(INACTIVE_ACCOUNT, status=403, reason="inactive")

    created = user is None
    if created:
        user = User(username=f"c-{secrets.token_hex(8)}")
        user.set_unusable_password()
    if identity.afm:
        user.afm = identity.afm
        user.first_name = identity.first_name or user.first_name
        user.last_name = identity.last_name or user.last_name
        user.father_name = identity.father_name or user.father_name
        user.mother_name = identity.mother_name or user.mother_name
        user.birth_year = identity.birth_year or user.birth_year
    elif created:
        user.first_name, user.last_name = identity.first_name, identity.last_name
    if identity.email and identity.email_verified and (created or not user.email_verified):
        user.email, user.email_verified = identity.email, True
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:  # two first sign-ins with the same ΑΦΜ at once
        raise ProviderError(
            _("Η σύνδεση δεν ολοκληρώθηκε λόγω ταυτόχρονης προσπάθειας. Δοκιμάστε ξανά."),
            status=409,
            reason="race",
        ) from exc
    link, _created = ExternalIdentity.objects.get_or_create(
        provider=identity.provider, subject=identity.subject, defaults={"user": user}
    )
    link.last_login_at = timezone.now()
    link.save(update_fields=["last_login_at"])
    return user


# --- E-mail verification ---------------------------------------------------------


def email_token_make(*, user: Any, email: str) -> str:
    return signing.TimestampSigner(salt=EMAIL_TOKEN_SALT).sign_object({"u": user.pk, "e": email})


def email_token_read(token: str, *, max_age: int = EMAIL_TOKEN_MAX_AGE) -> tuple[int, str]:
    """(user id, e-mail) from a verification token, or ValidationFailed (expired or forged)."""
    try:
        data = signing.TimestampSigner(salt=EMAIL_TOKEN_SALT).unsign_object(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationFailed(
            _("Ο σύνδεσμος επαλήθευσης έληξε. Ζητήστε νέο σύνδεσμο από τη σελίδα του λογαριασμού σας.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationFailed(_("Ο σύνδεσμος επαλήθευσης δεν είναι έγκυρος.")) from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e"), str):
        raise ValidationFailed(_("Ο σύνδεσμος επαλήθευσης δεν είναι έγκυρος."))
    return data["u"], data["e"]


@transaction.atomic
def email_verification_request(
    *, user: Any, email: str, municipality: Municipality, link_base: str, language: str | None = None
) -> None:
    """Store the (unverified) address and send it a signed, expiring link (in the page's language)."""
    user.email, user.email_verified = email, False
    if language in ("el", "en"):
        user.language = language
    user.save(update_fields=["email", "email_verified", "language"])
    token = email_token_make(user=user, email=email)
    notify(
        municipality=municipality,
        key="accounts.verify_email",
        context={"name": user.get_full_name(), "link": link_base.replace("TOKEN", token), "hours": 48},
        user=user,
        email=email,
        channels=("email",),
    )


@transaction.atomic
def email_verify(*, token: str, municipality: Municipality | None) -> Any:
    user_id, email = email_token_read(token)
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or user.email.lower() != email.lower():
        raise ValidationFailed(
            _("Ο σύνδεσμος αφορά διεύθυνση που δεν είναι πια η τρέχουσα. Ζητήστε νέο σύνδεσμο.")
        )
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
        audit_record(action="accounts.email_verified", actor=user, obj=user, municipality=municipality)
    return user


# --- Mobile phone verification --------------------------------------------------

_MOBILE = re.compile(r"^(?:\+30|0030)?(69\d{8})$")


def normalize_mobile(value: str) -> str | None:
    """A Greek mobile number in E.164 (+3069…), or None."""
    compact = re.sub(r"[\s\-().]", "", value or "")
    match = _MOBILE.match(compact)
    return f"+30{match.group(1)}" if match else None


def _code_hash(code: str, salt: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def phone_code_send(*, user: Any, phone: str, municipality: Municipality) -> dict[str, Any]:
    """Send a 6-digit code by SMS; returns the pending state to keep in the session."""
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    notify(
        municipality=municipality,
        key="accounts.verify_phone",
        context={"code": code, "minutes": PHONE_CODE_TTL // 60},
        user=user,
        phone=phone,
        channels=("sms",),
    )
    return {
        "phone": phone,
        "salt": salt,
        "hash": _code_hash(code, salt),
        "expires": time.time() + PHONE_CODE_TTL,
        "attempts": 0,
    }


def phone_code_check(*, user: Any, pending: dict[str, Any], code: str, municipality: Municipality) -> None:
    """Check a code against the pending state (mutated: attempts); on success the phone is verified."""
    if not pending or pending.get("expires", 0) < time.time():
        raise ValidationFailed(_("Ο κωδικός έληξε. Ζητήστε νέο κωδικό."), field="code")
    if pending.get("attempts", 0) >= PHONE_CODE_MAX_ATTEMPTS:
        raise ValidationFailed(
            _("Εξαντλήσατε τις προσπάθειες για αυτόν τον κωδικό. Ζητήστε νέο κωδικό."), field="code"
        )
    pending["attempts"] = pending.get("attempts", 0) + 1
    if not hmac.compare_digest(_code_hash(code, pending["salt"]), pending["hash"]):
        left = PHONE_CODE_MAX_ATTEMPTS - pending["attempts"]
        raise ValidationFailed(
            _("Ο κωδικός δεν είναι σωστός. Απομένουν %(left)s προσπάθειες.") % {"left": left}, field="code"
        )
    user.phone, user.phone_verified = pending["phone"], True
    user.save(update_fields=["phone", "phone_verified"])
    audit_record(action="accounts.phone_verified", actor=user, obj=user, municipality=municipality)


# --- TOTP (staff second factor) ---------------------------------------------------


def totp_device_for_enrolment(*, user: Any) -> TOTPDevice:
    """The user's unconfirmed device (created with a fresh secret if there is none)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def totp_provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.username, issuer_name=TOTP_ISSUER)


@transaction.atomic
def totp_verify(*, user: Any, code: str, at: float | None = None) -> bool:
    """Accept a code once: the current step ±1, never a step at or before the last accepted one."""
    device = TOTPDevice.objects.select_for_update().filter(user=user).first()
    code = (code or "").strip().replace(" ", "")
    if device is None or not re.fullmatch(r"\d{6}", code):
        return False
    totp = pyotp.TOTP(device.secret)
    now = time.time() if at is None else at
    current = totp.timecode(datetime.fromtimestamp(now, tz=UTC))
    for step in (current - 1, current, current + 1):
        if step > device.last_used_step and hmac.compare_digest(totp.generate_otp(step), code):
            device.last_used_step = step
            fields = ["last_used_step"]
            if device.confirmed_at is None:
                device.confirmed_at = timezone.now()
                fields.append("confirmed_at")
            device.save(update_fields=fields)
            return True
    return False
