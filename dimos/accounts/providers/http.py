"""HTTP calls to identity providers: ``requests`` with timeouts, failures as ProviderError."""

from __future__ import annotations

import logging
from typing import Any

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from dimos.accounts.providers.base import ProviderError

log = logging.getLogger("dimos.accounts")

# (connect, read) seconds; a provider that hangs must not hold a worker.
TIMEOUT = (5, 10)
UNREACHABLE = _(
    "Η υπηρεσία ταυτοποίησης δεν απάντησε σωστά. Η σύνδεσή σας δεν ολοκληρώθηκε· δοκιμάστε ξανά σε λίγο."
)


def timeout() -> tuple[float, float]:
    return getattr(settings, "IDP_HTTP_TIMEOUT", TIMEOUT)


def call(method: str, url: str, *, what: str, **kwargs: Any) -> requests.Response:
    """One request to a provider; any network error or non-2xx answer is a ProviderError (502)."""
    try:
        response = requests.request(method, url, timeout=timeout(), allow_redirects=False, **kwargs)
    except requests.RequestException as exc:
        log.warning("identity provider %s unreachable: %s", what, type(exc).__name__)
        raise ProviderError(UNREACHABLE, status=502, reason=f"{what}_unreachable") from exc
    if not 200 <= response.status_code < 300:
        log.warning("identity provider %s answered HTTP %s", what, response.status_code)
        raise ProviderError(UNREACHABLE, status=502, reason=f"{what}_http_{response.status_code}")
    return response


def json_of(response: requests.Response, *, what: str) -> dict[str, Any]:
    try:
        data = response.json()
    except ValueError as exc:
        raise ProviderError(UNREACHABLE, status=502, reason=f"{what}_not_json") from exc
    if not isinstance(data, dict):
        raise ProviderError(UNREACHABLE, status=502, reason=f"{what}_not_object")
    return data
