"""SMS delivery behind one small interface; production plugs in a provider."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("dimos.sms")


class SmsBackend(Protocol):
    def send(self, phone: str, text: str) -> None: ...


def mask_phone(phone: str) -> str:
    return phone[:3] + "*" * max(0, len(phone) - 5) + phone[-2:] if len(phone) > 5 else "***"


class ConsoleSmsBackend:
    """Development back-end: writes the message to the log, phone number masked."""

    def send(self, phone: str, text: str) -> None:
        log.info("SMS to %s: %s", mask_phone(phone), text)


class MemorySmsBackend:
    """Test back-end: keeps messages in ``outbox``."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        MemorySmsBackend.outbox.append((phone, text))


def get_sms_backend() -> SmsBackend:
    return import_string(settings.SMS_BACKEND)()
