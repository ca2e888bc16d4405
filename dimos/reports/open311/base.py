"""What every Open311 view shares: the standard's error documents, parameters and ``jurisdiction_id``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dimos.core.models import Municipality
from dimos.reports.open311.render import errors


class Open311Error(Exception):
    """An answer in the standard's error shape: one HTTP status, one or more messages."""

    def __init__(self, status: int, *messages: str) -> None:
        super().__init__(messages)
        self.status = status
        self.messages = list(messages)


def open311_bad_request(request: HttpRequest, message: str) -> HttpResponse:
    """Hostile input refused at the door (``dimos.core.badinput``), in the standard's error shape.

    The format is the path's (``….xml`` or ``….json``); JSON when the path names none.
    """
    fmt = "xml" if request.path_info.rstrip("/").endswith(".xml") else "json"
    response = errors(fmt, 400, [message])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def params_of(request: HttpRequest) -> dict[str, str]:
    """Query (and form) parameters; an empty value means the same as an absent one."""
    merged: dict[str, str] = {}
    for source in (request.GET, request.POST if request.method == "POST" else {}):
        for key in source:
            value = source.get(key, "")
            if isinstance(value, str) and value.strip() != "":
                merged[key] = value.strip()
    return merged


def jurisdiction_of(params: dict[str, str]) -> Municipality:
    jurisdiction = params.get("jurisdiction_id")
    if jurisdiction:
        municipality = Municipality.objects.filter(
            open311_jurisdiction__iexact=jurisdiction, is_active=True
        ).first()
        if municipality is None:
            raise Open311Error(404, _("Άγνωστο jurisdiction_id: %(j)s") % {"j": jurisdiction[:100]})
        return municipality
    active = list(Municipality.objects.filter(is_active=True)[:2])
    if len(active) != 1:
        raise Open311Error(
            400, _("Απαιτείται η παράμετρος jurisdiction_id (ο διακομιστής εξυπηρετεί πολλούς δήμους).")
        )
    return active[0]


def open311_view(
    methods: tuple[str, ...],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Wrap a handler: method check, jurisdiction, and standard error documents."""

    def decorate(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Open311Error(
                        400, _("Η μέθοδος HTTP %(m)s δεν υποστηρίζεται εδώ.") % {"m": request.method}
                    )
                params = params_of(request)
                municipality = jurisdiction_of(params)
                response = handler(request, fmt, municipality, params, **kwargs)
            except Open311Error as exc:
                response = errors(fmt, exc.status, exc.messages)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return decorate
