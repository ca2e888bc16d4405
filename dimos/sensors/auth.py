"""Integration credentials on requests: ``Authorization: Bearer <token>`` or ``X-Api-Key``."""

from __future__ import annotations

from django.http import HttpRequest

from dimos.core.models import Municipality
from dimos.sensors.models import Credential
from dimos.sensors.services import credential_check


def request_token(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    return request.headers.get("X-Api-Key", "").strip()


def request_credential(request: HttpRequest, municipality: Municipality | None = None) -> Credential | None:
    token = request_token(request)
    return credential_check(token, municipality) if token else None
