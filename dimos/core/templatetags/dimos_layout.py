"""The page header, rendered once and reused.

The header is the same for every visitor of a municipality in a language,
except for three things: who is signed in, which menu entry is the current page,
and two per-request values (the page the language switch returns to, and the
CSRF token of the sign-out form). It is rendered with markers for those two and
cached under the rest, so a page pays a cache read and two replacements instead
of a template render.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from django import template
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from dimos.core.navigation import public_nav

register = template.Library()

HEADER_SECONDS = 300
_NEXT = "\x00dimos-next\x00"
_CSRF = "\x00dimos-csrf\x00"


def fill_next(html: str, request: HttpRequest) -> str:
    """Put the page's own path where the language switch returns to."""
    return html.replace(_NEXT, quote(request.path, safe="/"))


def current_nav(path: str) -> str:
    """The menu entry marked as the current page, if the path is one."""
    if path == "/" or any(item.url == path for item in public_nav()):
        return path
    return ""


@register.simple_tag(takes_context=True)
def site_header(context: template.Context) -> SafeString:
    request = context.get("request")
    municipality = context.get("municipality")
    user = context.get("user")
    signed_in = bool(user is not None and user.is_authenticated)
    path = request.path if request is not None else "/"
    parts = repr(
        (
            (municipality.pk, str(municipality.updated_at)) if municipality is not None else None,
            get_language(),
            current_nav(path),
            (user.pk, user.display_name, bool(context.get("is_municipal_staff"))) if signed_in else None,
        )
    )
    key = "dimos:header:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
    html = cache.get(key)
    if html is None:
        header = context.template.engine.get_template("includes/header.html")
        with context.push(header_next=mark_safe(_NEXT), header_csrf=mark_safe(_CSRF)):
            html = header.render(context)
        cache.set(key, str(html), HEADER_SECONDS)
    if context.get("dimos_keep_markers"):
        return mark_safe(html)  # a shell: render_in_shell fills the markers per request
    html = html.replace(_NEXT, quote(path, safe="/"))
    if signed_in and request is not None:
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        html = html.replace(_CSRF, csrf)
    return mark_safe(html)  # our own rendered template; the replacements are escaped above
