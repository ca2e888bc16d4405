"""Hostile input refused at the door, in the error shape of the interface it came to.

Control characters have no place in a path, a query string or a form field that
a person typed: a NUL byte in particular reaches PostgreSQL as ``DataError`` (a
500) wherever it is used in a query. ``HostileInputMiddleware`` refuses them with
a 400 before any view runs. JSON bodies are parsed with a depth limit
(``json_loads``): Python's parser recurses, and ``"[" * 100000`` would raise
``RecursionError``.

Each interface answers bad input in its own shape (Open311's error list,
NGSI-LD's ProblemDetails, RFC 9457 for the REST API, a Greek page for people):
an app registers the responder for its path prefix with ``@bad_request_responder``
in its ``AppConfig.ready()``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import accumulate
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from dimos.core.exceptions import ValidationFailed

Responder = Callable[[HttpRequest, str], HttpResponse]

# C0 controls and DEL, except TAB, LF and CR, which a textarea legitimately sends.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKETS = re.compile(r"[\[\]{}]")
_RESPONDERS: dict[str, Responder] = {}


class JsonTooDeep(ValidationFailed, ValueError):
    """Nesting beyond ``JSON_MAX_DEPTH``; a ``ValueError`` too, like any other malformed JSON."""

    code = "json_too_deep"


def bad_request_responder(prefix: str) -> Callable[[Responder], Responder]:
    """Register how requests under ``prefix`` (e.g. ``"/open311/"``) are told their input is bad."""

    def register(responder: Responder) -> Responder:
        _RESPONDERS[prefix] = responder
        return responder

    return register


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """A 400 in the shape of the interface the request came to (the longest registered prefix)."""
    matches = [prefix for prefix in _RESPONDERS if request.path_info.startswith(prefix)]
    if matches:
        return _RESPONDERS[max(matches, key=len)](request, message)
    if request.path_info.startswith("/api/"):
        from dimos.core.problems import problem_response

        return problem_response(
            status=400, title=_("Μη έγκυρο αίτημα"), detail=message, code="invalid", instance=""
        )
    return render(request, "400.html", {"message": message}, status=400)


def has_control_characters(value: str) -> bool:
    return bool(_CONTROL.search(value))


def _first_hostile(request: HttpRequest) -> str | None:
    if has_control_characters(request.path_info):
        return _("Η διεύθυνση περιέχει μη επιτρεπτούς χαρακτήρες ελέγχου.")
    for key, values in request.GET.lists():
        if has_control_characters(key) or any(has_control_characters(v) for v in values):
            return _("Η παράμετρος «%(name)s» περιέχει μη επιτρεπτούς χαρακτήρες ελέγχου.") % {
                "name": _CONTROL.sub("", key)[:40]
            }
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        for key, values in request.POST.lists():
            if has_control_characters(key) or any(has_control_characters(v) for v in values):
                return _("Το πεδίο «%(name)s» περιέχει μη επιτρεπτούς χαρακτήρες ελέγχου.") % {
                    "name": _CONTROL.sub("", key)[:40]
                }
    return None


class HostileInputMiddleware:
    """Refuses control characters in the path, the query string and form fields with a 400."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        message = _first_hostile(request)
        if message is not None:
            return bad_request(request, message)
        return self.get_response(request)


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in a JSON text (strings are skipped, not parsed)."""
    brackets = _JSON_BRACKETS.findall(_JSON_STRING.sub('""', text))
    return max(accumulate(1 if b in "[{" else -1 for b in brackets), default=0)


def json_loads(data: bytes | str, *, max_depth: int | None = None) -> Any:
    """``json.loads`` that refuses nesting deeper than ``JSON_MAX_DEPTH`` with ``JsonTooDeep``.

    Other malformed JSON raises ``ValueError`` as ``json.loads`` does.
    """
    limit = max_depth if max_depth is not None else settings.JSON_MAX_DEPTH
    text = data.decode("utf-8") if isinstance(data, bytes | bytearray) else data
    if json_depth(text) > limit:
        raise JsonTooDeep(
            _("Το JSON έχει πάνω από %(n)s επίπεδα εμφώλευσης.") % {"n": limit}, code="json_too_deep"
        )
    return json.loads(text)


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser with the depth limit: a deep body is a 400, never a RecursionError."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return json_loads(stream.read() if stream is not None else b"")
        except JsonTooDeep as exc:
            raise ParseError(exc.message) from exc
        except ValueError as exc:
            raise ParseError(_("Το σώμα του αιτήματος δεν είναι έγκυρο JSON.")) from exc
