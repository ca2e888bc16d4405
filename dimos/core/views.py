from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dimos.core.navigation import home_cards
from dimos.core.selectors import department_list, unit_list
from dimos.core.tasks import pending_tasks_summary
from dimos.core.tenancy import require_municipality, staff_required


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    return render(request, "core/home.html", {"cards": home_cards()})


@staff_required
def staff_home(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    return render(
        request,
        "core/staff_home.html",
        {
            "units": unit_list(municipality=municipality),
            "departments": department_list(municipality=municipality),
        },
    )


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


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
