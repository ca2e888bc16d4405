"""The real 403/404/500 pages in the demo, which runs with ``DEBUG=true``.

With ``DEBUG`` on, Django answers a missing page or a crash with its technical debug
pages (English, with the URL patterns and settings) and never calls ``handler404`` or
``handler500``. The demo is shown to citizens and clerks, so ``manage.py demo_serve``
adds this middleware (last, so the municipality and the user are known): it renders
the pages production shows. Errors are still logged with their traceback.
``demo_serve --debug-pages`` leaves Django's pages for developers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import Resolver404, resolve

from dimos.core.views import error_403, error_404, error_500

MIDDLEWARE = "dimos.core.error_pages.RealErrorPagesMiddleware"
logger = logging.getLogger("django.request")


class RealErrorPagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # An address no URL pattern matches never reaches a view (nor process_exception).
        try:
            resolve(request.path_info, getattr(request, "urlconf", None))
        except Resolver404 as exc:
            return error_404(request, exc)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse:
        if isinstance(exception, Http404):
            return error_404(request, exception)
        if isinstance(exception, PermissionDenied):
            return error_403(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return error_500(request)
