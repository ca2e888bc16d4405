"""RFC 9457 problem details for the REST API (``application/problem+json``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dimos.core.exceptions import ApplicationError

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "https://dimos.gr/problems/"


def problem_body(
    *, status: int, title: str, detail: str, code: str, instance: str = "", errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": title,
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    *, status: int, title: str, detail: str, code: str, instance: str = "", errors: Any = None
) -> JsonResponse:
    """A problem-details response outside DRF (plain Django views)."""
    return JsonResponse(
        problem_body(status=status, title=title, detail=detail, code=code, instance=instance, errors=errors),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def _flatten(detail: Any) -> str:
    if isinstance(detail, dict):
        parts = [f"{k}: {_flatten(v)}" for k, v in detail.items()]
        return "; ".join(parts)
    if isinstance(detail, list):
        return " ".join(_flatten(d) for d in detail)
    return str(detail)


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF exception handler: every error becomes problem details."""
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, ApplicationError):
        response = Response(
            problem_body(
                status=exc.status,
                title=exc.title,
                detail=exc.message,
                code=exc.code,
                instance=instance,
                errors=exc.errors or None,
            ),
            status=exc.status,
        )
        response.content_type = PROBLEM_CONTENT_TYPE
        return response
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(
            detail=exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    assert isinstance(exc, drf_exceptions.APIException)
    errors = exc.detail if isinstance(exc.detail, dict | list) else None
    code = exc.default_code if isinstance(exc.default_code, str) else "error"
    title = str(exc.default_detail)
    detail = _flatten(exc.detail)
    if isinstance(exc, drf_exceptions.ValidationError):
        title = "Τα στοιχεία δεν είναι έγκυρα"
        detail = _flatten(exc.detail)
    response.data = problem_body(
        status=response.status_code,
        title=title,
        detail=detail,
        code=code,
        instance=instance,
        errors=errors if isinstance(errors, dict) else None,
    )
    response.content_type = PROBLEM_CONTENT_TYPE
    return response
