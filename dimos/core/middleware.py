from __future__ import annotations

import ipaddress
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from dimos.core.context import current_ip
from dimos.core.tenancy import municipality_for_host


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the audit trail and the sign-in throttle.

    ``REMOTE_ADDR`` unless the request came through one of ``TRUSTED_PROXIES``
    (the nginx in front, docs/deploy/): then the last address that proxy wrote
    into ``X-Forwarded-For``. A header sent by anyone else is never believed,
    or every visitor could choose the address the throttle counts.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    if remote is None or remote not in settings.TRUSTED_PROXIES:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    try:
        return str(ipaddress.ip_address(hops[-1]))
    except ValueError:
        return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class MunicipalityMiddleware:
    """Resolves ``request.municipality`` once per request, by host name.

    An unknown host with no configured default leaves it ``None``; pages that need
    a municipality answer 404 through ``require_municipality``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # get_host() validates against ALLOWED_HOSTS and raises DisallowedHost
        # (answered 400 by Django) for hosts that are not allowed at all.
        request.municipality = municipality_for_host(request.get_host())  # type: ignore[attr-defined]
        return self.get_response(request)


class GreekFirstLocaleMiddleware:
    """Greek unless the visitor chose otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would
    show most visitors' phones an English site; a Greek public service is Greek
    first, and English is an explicit choice remembered in a cookie. Machine
    interfaces (REST, Open311, NGSI-LD) do honour Accept-Language: there a client
    asks for a language on purpose.
    """

    API_PREFIXES = ("/api/", "/open311/", "/ngsi-ld/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation
        from django.utils.cache import patch_vary_headers

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if chosen in dict(settings.LANGUAGES):
            language = chosen
        elif request.path.startswith(self.API_PREFIXES):
            language = translation.get_language_from_request(request)
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class PermissionsPolicyMiddleware:
    """``Permissions-Policy`` on every response (``settings.PERMISSIONS_POLICY``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
