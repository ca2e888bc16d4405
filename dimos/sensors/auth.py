"""Integration credentials on requests: ``Authorization: Bearer <token>`` or ``X-Api-Key``.

No token: the request is anonymous (public reads). A token that is presented but wrong,
revoked or of another municipality is refused (401) on every endpoint, reads included:
acting as anonymous would hide the integrator's mistake."""

from __future__ import annotations

from django.http import HttpRequest

from dimos.core.models import Municipality
from dimos.sensors.models import Credential
from dimos.sensors.services import credential_check


class CredentialRefused(Exception):
    """A token was presented and is not an active credential of this municipality."""


def request_token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.headers.get("X-Api-Key", "").strip()


def request_credential(request: HttpRequest, municipality: Municipality | None) -> Credential | None:
    """The credential the request presents (None: it presents none); raises CredentialRefused."""
    token = request_token(request)
    if not token:
        return None
    credential = credential_check(token, municipality)
    if credential is None:
        raise CredentialRefused("The credential is wrong, revoked or of another municipality.")
    return credential
