"""Version-keyed caching of staff pages and API answers.

Rendering a staff list (templates, serializers, 50 rows) costs several times more
than everything else a request does. The content of such a page is a function of
a few things: the page and its query string, the language, the tenant, the
signed-in user, and the data behind it. The data is summarised by a **version**:
one cheap, indexed query that changes whenever the data shown changes (e.g. the
newest audit event's id, or the count and newest ``updated_at`` of departments).
The answer is cached under all of these: a change to the data gives a new version
and so a new key, and old entries simply expire.

The version is read from the database (the writers include other processes: the
worker, the MQTT consumer, other web processes) and remembered for
``VERSION_SECONDS`` (``data_version``), so a busy page costs no query at all. A
write made through the ORM forgets it at once and again when its transaction
commits (``data_changed``, wired to model signals): the writer's process sees the
change immediately, any other writer (another process with its own cache, a bulk
update) within those seconds. ``PAGE_CACHE_SECONDS`` bounds the one case a
version cannot see: a transaction that commits a row stamped earlier than the
newest one already visible.

Rules the helpers enforce:

* access checks run on every request (wrap the view in ``staff_required`` first,
  the cache inside it), so a cached page is never shown to someone who may not see it;
* only GET/HEAD answers with status 200 are cached, never errors or redirects;
* a page with a flash message waiting, or without a CSRF cookie yet, is rendered
  normally (pages embed the CSRF token of the logout form; the cookie's secret is
  part of the key so a cached token always matches the visitor's cookie).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

PAGE_CACHE_SECONDS = 60
VERSION_SECONDS = 2

Version = Callable[[HttpRequest], Hashable]


def db_version(sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...]:
    """One row of a small aggregate query, as a hashable version.

    Raw SQL on purpose: the ORM spends more time building a query than the
    database spends answering an indexed aggregate.
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    return tuple(str(value) for value in row) if row else ()


def _version_key(topic: str, municipality_id: Any) -> str:
    return f"dimos:version:{topic}:{municipality_id}"


def data_version(topic: str, municipality_id: Any, compute: Callable[[], Hashable]) -> Hashable:
    """The version of a kind of data of a municipality, read from the database at most every few seconds."""
    key = _version_key(topic, municipality_id)
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, VERSION_SECONDS)
    return value


def now_and_on_commit(forget: Callable[[], None]) -> None:
    """Run a cache invalidation now and again once the current transaction commits.

    Now, so the writer's own next read (inside its transaction) sees the change;
    after commit, because another request may have read the old data meanwhile
    and cached it under the version that was just dropped.
    """
    forget()
    transaction.on_commit(forget)


def data_changed(topic: str, municipality_id: Any) -> None:
    """Forget the remembered version of ``topic`` (now and on commit)."""
    key = _version_key(topic, municipality_id)
    now_and_on_commit(lambda: cache.delete(key))


def _user_part(request: HttpRequest) -> tuple[Any, ...]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ("anon",)
    return (
        user.pk,
        user.role,
        user.is_superuser,
        user.municipality_id,
        user.department_id,
        user.get_full_name(),
        user.username,
    )


def cache_key(request: HttpRequest, scope: str, version: Hashable, *extra: Any) -> str:
    """A key for everything that can change an answer, hashed to a fixed length."""
    municipality = getattr(request, "municipality", None)
    parts = (
        scope,
        request.scheme,
        request.get_host(),
        request.path,
        sorted(request.GET.lists()),
        getattr(request, "LANGUAGE_CODE", ""),
        (municipality.pk, str(municipality.updated_at)) if municipality is not None else None,
        _user_part(request),
        request.headers.get("HX-Request", ""),
        version,
        extra,
    )
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    return f"dimos:page:{scope}:{digest}"


def _csrf_secret(request: HttpRequest) -> str | None:
    if settings.CSRF_USE_SESSIONS:
        return request.session.get("_csrftoken")
    return request.COOKIES.get(settings.CSRF_COOKIE_NAME)


def _has_pending_messages(request: HttpRequest) -> bool:
    if CookieStorage.cookie_name in request.COOKIES:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(SessionStorage.session_key))


def _recording(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    """What a cached answer keeps: the body and the headers the view set."""
    return response.content, list(response.items())


def _replay(hit: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = hit
    response = HttpResponse(content)
    for name, value in headers:
        response[name] = value
    return response


def cached_page(version: Version, *, timeout: int = PAGE_CACHE_SECONDS) -> Callable[..., Any]:
    """Cache a page's HTML under its version (see the module's docstring).

    Put it *inside* ``staff_required``::

        @staff_required
        @cached_page(version=lambda request: audit_version(municipality=request.municipality))
        def audit_log(request): ...
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        scope = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            secret = _csrf_secret(request)
            if request.method not in ("GET", "HEAD") or not secret or _has_pending_messages(request):
                return view(request, *args, **kwargs)
            key = cache_key(request, scope, version(request), secret, args, sorted(kwargs.items()))
            hit = cache.get(key)
            if hit is not None:
                return _replay(hit)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if response.status_code == 200 and not response.streaming and not response.cookies:
                cache.set(key, _recording(response), timeout)
            return response

        return wrapper

    return decorate


def cached_api_response(
    request: Any,
    scope: str,
    version: Hashable,
    build: Callable[[], Any],
    *,
    timeout: int = PAGE_CACHE_SECONDS,
) -> HttpResponse:
    """A DRF view's answer, rendered once per version and media type.

    ``build`` returns the response data. The cached bytes are those the
    negotiated renderer produced, so the media type (and its parameters, such
    as ``indent``) is part of the key; content negotiation, authentication and
    permissions still run on every request, before the view.
    """
    from rest_framework.response import Response

    key = cache_key(request, scope, version, request.accepted_media_type)
    hit = cache.get(key)
    if hit is not None:
        return _replay(hit)
    response = Response(build())

    def remember(rendered: Any) -> None:
        if rendered.status_code == 200:
            cache.set(key, _recording(rendered), timeout)

    response.add_post_render_callback(remember)
    return response


BODY_MARKER = "\x00dimos-body\x00"


def render_in_shell(
    request: HttpRequest, template_name: str, body: str, *, status: int = 200, timeout: int = 300
) -> HttpResponse:
    """Render ``template_name`` (which shows ``{{ body }}``) around an already rendered body.

    For anonymous visitors the page around the body (the layout, header, footer)
    is the same for every request of that template, municipality and language,
    so it is rendered once with markers and reused: this is what keeps the public
    verification page cheap for a different document on every request. Signed-in
    visitors, and visitors with a message waiting, get a normal render.
    """
    from django.shortcuts import render

    from dimos.core.templatetags.dimos_layout import current_nav, fill_next

    user = getattr(request, "user", None)
    if (user is not None and user.is_authenticated) or _has_pending_messages(request):
        return render(request, template_name, {"body": mark_safe(body)}, status=status)
    municipality = getattr(request, "municipality", None)
    parts = (
        template_name,
        (municipality.pk, str(municipality.updated_at)) if municipality is not None else None,
        getattr(request, "LANGUAGE_CODE", ""),
        current_nav(request.path),
    )
    key = "dimos:shell:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()
    shell = cache.get(key)
    if shell is None:
        shell = render_to_string(
            template_name, {"body": mark_safe(BODY_MARKER), "dimos_keep_markers": True}, request=request
        )
        cache.set(key, shell, timeout)
    return HttpResponse(fill_next(shell, request).replace(BODY_MARKER, body), status=status)
