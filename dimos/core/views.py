from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dimos.core.capabilities import Capability, has_capability
from dimos.core.navigation import home_cards
from dimos.core.pagination import page_number, slice_page
from dimos.core.selectors import audit_event_list, department_list, unit_list
from dimos.core.tasks import pending_tasks_summary
from dimos.core.tenancy import require_municipality, staff_required


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    return render(request, "core/home.html", {"cards": home_cards()})


@staff_required(capability=Capability.STAFF_AREA)
def staff_home(request: HttpRequest) -> HttpResponse:
    """A home made for the role: the cards of what it may use (the staff menu) and only its figures.

    The municipality's structure (units and their population, the number of services)
    is for those who manage it; a registry clerk or a school director does not need it.
    """
    municipality = require_municipality(request)
    context: dict[str, object] = {
        "shows_structure": has_capability(request.user, Capability.STRUCTURE_MANAGE)
    }
    if context["shows_structure"]:
        context["units"] = unit_list(municipality=municipality)
        context["department_count"] = department_list(municipality=municipality).count()
    return render(request, "core/staff_home.html", context)


AUDIT_PAGE_SIZE = 50


@staff_required(capability=Capability.AUDIT_READ)
def audit_log(request: HttpRequest) -> HttpResponse:
    """The audit trail of the municipality, 50 events a page, filterable by action."""
    municipality = require_municipality(request)
    action = request.GET.get("action", "").strip()[:80]
    # What the page shows, and no more: the old and new values and the actor's other columns stay behind.
    shown = audit_event_list(municipality=municipality, action=action).only(
        "created_at",
        "action",
        "object_type",
        "object_id",
        "ip_address",
        "actor__first_name",
        "actor__last_name",
        "actor__username",
    )
    events, page = slice_page(
        shown,
        number=page_number(request),
        size=AUDIT_PAGE_SIZE,
    )
    return render(
        request,
        "core/audit_log.html",
        {
            "events": events,
            "action": action,
            "page": page,
        },
    )


@require_GET
def switch_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language in a cookie and go back to the page.

    A plain link (GET): choosing a language changes nothing but a preference, so
    it needs no form or CSRF token, and pages for anonymous visitors stay cacheable.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404("Unknown language")
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    return render(request, "core/accessibility.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    return render(request, "core/privacy.html")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and readiness for load balancers: the database answers, tasks drain."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        tasks = pending_tasks_summary()
    except Exception as exc:
        return JsonResponse(
            {"status": "error", "database": "unreachable", "error": type(exc).__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "tasks": tasks})


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """A member of staff without the capability a page needs (tenancy failures are 404s)."""
    message = str(exception) if exception is not None and str(exception) else ""
    return render(request, "403.html", {"message": message}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
