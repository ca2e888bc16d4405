"""The development stand-in for TaxisNet (demo only).

It imitates the TaxisNet round trip inside the platform: the sign-in button
sends the browser to a page that lists the demo citizens and lets one type a
fictional person; choosing one redirects back to the callback with a one-time
code and the same ``state``, so the demo goes through the real state checks,
account matching and e-mail step. Enabled only when ``settings.DIMOS_DEV_LOGIN``
(DEMO and DEBUG); otherwise it is neither listed nor reachable.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.accounts.providers.base import FlowState, Identity, IdentityProvider, ProviderError, register

CODE_TTL = 120
_CODE_KEY = "dimos:devlogin:code:"
BAD_CODE = _("Ο κωδικός της σύνδεσης επίδειξης έληξε ή δεν είναι έγκυρος. Ξεκινήστε ξανά τη σύνδεση.")


def dev_code_issue(request: HttpRequest, identity: Identity) -> str:
    """A one-time code for the chosen identity, kept in the visitor's own session.

    In the session (stored in the database), not in the shared cache: the identity
    carries an ΑΦΜ, and personal data never goes into a cache.
    """
    code = secrets.token_urlsafe(24)
    request.session[_CODE_KEY + code] = {"identity": dataclasses.asdict(identity), "at": time.time()}
    return code


def dev_code_redeem(request: HttpRequest, code: str) -> Identity | None:
    if not code:
        return None
    data = request.session.pop(_CODE_KEY + code, None)  # single use
    if not isinstance(data, dict) or time.time() - data.get("at", 0) > CODE_TTL:
        return None
    return Identity(**data["identity"])


@register
class DevTaxisNetProvider(IdentityProvider):
    id = "taxisnet-demo"
    label = _("Σύνδεση με TaxisNet (επίδειξη)")
    description = _("Μόνο για επίδειξη: επιλέξτε φανταστικό πολίτη, χωρίς πραγματικούς κωδικούς.")
    is_demo = True

    def is_enabled(self) -> bool:
        return bool(getattr(settings, "DIMOS_DEV_LOGIN", False))

    def authorization_url(self, request: HttpRequest, *, flow: FlowState, redirect_uri: str) -> str:
        return f"{reverse('accounts:dev_authorize')}?{urlencode({'state': flow.state})}"

    def complete(
        self, request: HttpRequest, *, params: Mapping[str, str], flow: FlowState, redirect_uri: str
    ) -> Identity:
        identity = dev_code_redeem(request, params.get("code", ""))
        if identity is None or identity.provider != self.id:
            raise ProviderError(BAD_CODE, status=400, reason="dev_code_invalid")
        return identity
