"""NGSI-LD request plumbing: tenant, content negotiation, @context, bodies, responses.

Content negotiation, ProblemDetails and ``NGSILD-Tenant`` follow ETSI GS CIM 009 (see the
standards sheet); ``ngsi`` turns the handlers of one resource into a Django view."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from dimos.core.badinput import JsonTooDeep, json_loads
from dimos.core.models import Municipality
from dimos.sensors.auth import CredentialRefused, request_credential
from dimos.sensors.constants import CredentialScope
from dimos.sensors.ngsild import convert
from dimos.sensors.ngsild.errors import NgsiError, forbidden

BASE = "/ngsi-ld/v1"
JSON = "application/json"
LD_JSON = "application/ld+json"
GEO_JSON = "application/geo+json"
MAX_LIMIT = 1000
TENANT_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,99}")


class Ctx:
    """One request: its tenant, the credential it presents (None: anonymous), the media type."""

    def __init__(self, request: HttpRequest, municipality: Municipality) -> None:
        self.request = request
        self.municipality = municipality
        try:
            self.credential = request_credential(request, municipality)
        except CredentialRefused as exc:
            raise NgsiError(
                "Unauthorized",
                "The integration credential presented is wrong, revoked or of another tenant.",
            ) from exc
        self.accept = JSON

    def require_credential(self) -> None:
        if self.credential is None:
            raise NgsiError(
                "Unauthorized",
                "Writes need an integration credential (Authorization: Bearer …); "
                "it is missing, wrong, revoked or of another tenant.",
            )

    def require_scope(self, *scopes: str) -> None:
        """A credential is needed and must hold one of ``scopes`` (403 otherwise)."""
        self.require_credential()
        if not self.credential.has_scope(*scopes):  # type: ignore[union-attr]
            raise forbidden(scopes)


def tenant_of(request: HttpRequest) -> Municipality:
    slug = request.headers.get("NGSILD-Tenant")
    if slug:
        slug = slug.strip().lower()
        if not TENANT_RE.fullmatch(slug):
            raise NgsiError("NonexistentTenant", "No such tenant.")
        found = Municipality.objects.filter(slug=slug, is_active=True).first()
        if found is None:
            raise NgsiError("NonexistentTenant", f"Tenant '{slug}' does not exist.")
        return found
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise NgsiError("NonexistentTenant", "No tenant is served at this address; send NGSILD-Tenant.")
    return municipality


def media_type(value: str) -> str:
    return value.split(";")[0].strip().lower()


def negotiate(request: HttpRequest, allow_geo: bool) -> str:
    header = request.headers.get("Accept", "")
    if not header.strip():
        return JSON
    offered = [JSON, LD_JSON] + ([GEO_JSON] if allow_geo else [])
    ranked = []
    for part in header.split(","):
        pieces = part.split(";")
        media = pieces[0].strip().lower()
        q = 1.0
        for p in pieces[1:]:
            if p.strip().startswith("q="):
                try:
                    q = float(p.strip()[2:])
                except ValueError:
                    q = 0.0
        ranked.append((q, media))
    for q, media in sorted(ranked, key=lambda r: -r[0]):
        if q <= 0:
            continue
        if media in offered:
            return media
        if media in ("*/*", "application/*"):
            return JSON
    raise NgsiError(
        "NotAcceptable",
        f"Accept must allow one of: {', '.join(offered)}.",
    )


def link_context(request: HttpRequest) -> str | None:
    link = request.headers.get("Link", "")
    if link and convert.LINK_REL in link:
        match = re.search(r"<([^>]*)>", link)
        return match.group(1) if match else ""
    return None


def read_body(request: HttpRequest) -> Any:
    media = media_type(request.content_type or "")
    if media not in (JSON, LD_JSON):
        raise NgsiError(
            "UnsupportedMediaType", "Content-Type must be application/json or application/ld+json."
        )
    link = link_context(request)
    try:
        body = json_loads(request.body or b"")
    except JsonTooDeep as exc:
        raise NgsiError("BadRequestData", "The request body nests arrays or objects too deeply.") from exc
    except ValueError as exc:
        raise NgsiError("InvalidRequest", "The request body is not valid JSON.") from exc
    if media == LD_JSON:
        if link is not None:
            raise NgsiError(
                "BadRequestData",
                "With Content-Type application/ld+json the @context goes in the body, not in a Link header.",
            )
        items = body if isinstance(body, list) else [body]
        if any(isinstance(i, dict) and "@context" not in i for i in items):
            raise NgsiError("BadRequestData", "An application/ld+json body must carry an @context.")
    return body


def respond(ctx: Ctx, payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    media = ctx.accept
    if media == LD_JSON:
        if isinstance(payload, dict):
            payload = {"@context": convert.CORE_CONTEXT, **payload}
        elif isinstance(payload, list):
            payload = [{"@context": convert.CORE_CONTEXT, **p} if isinstance(p, dict) else p for p in payload]
    response = HttpResponse(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":")), status=status, content_type=media
    )
    if media != LD_JSON:
        response["Link"] = f'<{convert.CORE_CONTEXT}>; rel="{convert.LINK_REL}"; type="application/ld+json"'
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def ngsi(
    methods: dict[str, Callable[..., HttpResponse]],
    geo_methods: tuple[str, ...] = (),
    read_methods: tuple[str, ...] = ("GET",),
) -> Callable[..., HttpResponse]:
    """The handlers of one resource as a view; a credential presented on a read needs ``read``."""

    @csrf_exempt
    @wraps(next(iter(methods.values())))
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with translation.override(language_of(request)):
            return _serve(request, kwargs)

    def _serve(request: HttpRequest, kwargs: dict[str, Any]) -> HttpResponse:
        try:
            handler = methods.get(request.method or "")
            if handler is None:
                response = NgsiError(
                    "InvalidRequest", f"Method {request.method} is not allowed here.", status=405
                ).response()
                response["Allow"] = ", ".join(methods)
                return response
            municipality = tenant_of(request)
            ctx = Ctx(request, municipality)
            if ctx.credential is not None and request.method in read_methods:
                ctx.require_scope(CredentialScope.READ)
            ctx.accept = negotiate(request, request.method in geo_methods)
            return handler(ctx, **kwargs)
        except NgsiError as exc:
            return exc.response()

    return view


def language_of(request: HttpRequest) -> str:
    """Greek when the client's Accept-Language puts Greek before English; English otherwise,
    also without the header (the standard's language: a client asks for Greek on purpose)."""
    header = request.headers.get("Accept-Language", "")
    for tag, _q in parse_accept_lang_header(header[:500]) if header else ():
        primary = tag.split("-")[0].lower()
        if primary in ("el", "en"):
            return primary
    return "en"


def options_param(request: HttpRequest) -> set[str]:
    return {o.strip() for o in request.GET.get("options", "").split(",") if o.strip()}
