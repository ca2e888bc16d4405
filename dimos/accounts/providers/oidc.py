"""Generic OpenID Connect sign-in (authorisation-code flow with PKCE and nonce).

Discovery at ``{OIDC_ISSUER}/.well-known/openid-configuration``; the ID token is
verified with PyJWT against the provider's JWKS (signature, issuer, audience,
expiry, nonce); the user info endpoint, when there is one, must agree on ``sub``.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import jwt
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dimos.accounts.providers import http
from dimos.accounts.providers.base import FlowState, Identity, IdentityProvider, ProviderError, register

ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]
DISCOVERY_TTL = 3600
BAD_TOKEN = _(
    "Η υπηρεσία ταυτοποίησης επέστρεψε στοιχεία που δεν μπορούν να επαληθευτούν. Η σύνδεση δεν ολοκληρώθηκε."
)


def pkce_challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _issuer() -> str:
    return settings.OIDC_ISSUER.rstrip("/")


def discovery() -> dict[str, Any]:
    key = f"dimos:oidc:discovery:{hashlib.sha256(_issuer().encode()).hexdigest()[:16]}"
    doc = cache.get(key)
    if doc is None:
        doc = http.json_of(
            http.call("GET", f"{_issuer()}/.well-known/openid-configuration", what="oidc_discovery"),
            what="oidc_discovery",
        )
        for required in ("authorization_endpoint", "token_endpoint", "jwks_uri", "issuer"):
            if not isinstance(doc.get(required), str):
                raise ProviderError(http.UNREACHABLE, status=502, reason="oidc_discovery_incomplete")
        if doc["issuer"].rstrip("/") != _issuer():
            raise ProviderError(http.UNREACHABLE, status=502, reason="oidc_issuer_mismatch")
        cache.set(key, doc, DISCOVERY_TTL)
    return doc


def verify_id_token(token: str, *, doc: dict[str, Any], nonce: str) -> dict[str, Any]:
    jwks = http.json_of(http.call("GET", doc["jwks_uri"], what="oidc_jwks"), what="oidc_jwks")
    try:
        header = jwt.get_unverified_header(token)
        key_set = jwt.PyJWKSet.from_dict(jwks)
        candidates = [k for k in key_set.keys if not header.get("kid") or k.key_id == header.get("kid")]
        if not candidates:
            raise ProviderError(BAD_TOKEN, status=502, reason="oidc_unknown_kid")
        claims = jwt.decode(
            token,
            key=candidates[0],
            algorithms=ALGORITHMS,
            audience=settings.OIDC_CLIENT_ID,
            issuer=doc["issuer"],
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            leeway=60,
        )
    except (jwt.PyJWTError, ValueError, KeyError) as exc:
        raise ProviderError(BAD_TOKEN, status=502, reason=f"oidc_id_token_{type(exc).__name__}") from exc
    if not nonce or claims.get("nonce") != nonce:
        raise ProviderError(BAD_TOKEN, status=502, reason="oidc_nonce_mismatch")
    return claims


@register
class OIDCProvider(IdentityProvider):
    id = "oidc"
    label = _("OpenID Connect")
    description = _("Με λογαριασμό σε πάροχο ταυτότητας που έχει ορίσει ο δήμος.")

    def is_enabled(self) -> bool:
        return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)

    def get_label(self) -> Any:
        return settings.OIDC_LABEL or self.label

    def authorization_url(self, request: HttpRequest, *, flow: FlowState, redirect_uri: str) -> str:
        doc = discovery()
        query = urlencode(
            {
                "response_type": "code",
                "client_id": settings.OIDC_CLIENT_ID,
                "redirect_uri": redirect_uri,
                "scope": "openid profile email",
                "state": flow.state,
                "nonce": flow.nonce,
                "code_challenge": pkce_challenge(flow.code_verifier),
                "code_challenge_method": "S256",
            }
        )
        endpoint = doc["authorization_endpoint"]
        return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"

    def complete(
        self, request: HttpRequest, *, params: Mapping[str, str], flow: FlowState, redirect_uri: str
    ) -> Identity:
        code = params.get("code", "")
        if not code:
            raise ProviderError(BAD_TOKEN, status=400, reason="missing_code")
        doc = discovery()
        token = http.json_of(
            http.call(
                "POST",
                doc["token_endpoint"],
                what="oidc_token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                    "client_id": settings.OIDC_CLIENT_ID,
                    "client_secret": settings.OIDC_CLIENT_SECRET,
                    "code_verifier": flow.code_verifier,
                },
                headers={"Accept": "application/json"},
            ),
            what="oidc_token",
        )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise ProviderError(BAD_TOKEN, status=502, reason="oidc_no_id_token")
        claims = verify_id_token(id_token, doc=doc, nonce=flow.nonce)
        access_token = token.get("access_token")
        if doc.get("userinfo_endpoint") and isinstance(access_token, str) and access_token:
            info = http.json_of(
                http.call(
                    "GET",
                    doc["userinfo_endpoint"],
                    what="oidc_userinfo",
                    headers={"Authorization": f"Bearer {access_token}", "Accept": "application/json"},
                ),
                what="oidc_userinfo",
            )
            if info.get("sub") != claims["sub"]:
                raise ProviderError(BAD_TOKEN, status=502, reason="oidc_userinfo_sub_mismatch")
            claims = {**info, **claims}
        email = claims.get("email") if isinstance(claims.get("email"), str) else ""
        return Identity(
            provider=self.id,
            subject=str(claims["sub"])[:255],
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("family_name") or "")[:150],
            email=email[:254],
            email_verified=bool(email) and claims.get("email_verified") is True,
        )

    def logout_url(self, request: HttpRequest, *, return_to: str) -> str | None:
        return None
