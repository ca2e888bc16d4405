"""Citizen-facing pages: report a problem, nearby reports, the public map, list and statistics."""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count, F, FloatField, Min, Q
from django.db.models.functions import Cast, Floor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dimos.core.context import current_ip
from dimos.core.exceptions import ApplicationError
from dimos.core.forms import run_service
from dimos.core.models import MunicipalUnit
from dimos.core.pagination import capped_count, page_number, slice_page
from dimos.core.tenancy import require_municipality, tenant_get_or_404
from dimos.reports import classifier, report_form, services
from dimos.reports.cache import cached_response, snap_bbox
from dimos.reports.constants import CLOSED_STATUSES, OPEN_STATUSES, ReportStatus
from dimos.reports.forms import ReportForm, SupportForm
from dimos.reports.models import Category, CategoryGroup, Report, ReportFollower
from dimos.reports.selectors import (
    categories_active,
    duplicates_nearby,
    reports_public,
    streets_matching,
)

PUBLIC_PAGE_SIZE = 25


def _grouped(categories: list[Category]) -> list[tuple[CategoryGroup, list[Category]]]:
    groups: dict[int, tuple[CategoryGroup, list[Category]]] = {}
    for category in categories:
        groups.setdefault(category.group_id, (category.group, []))[1].append(category)
    return list(groups.values())


@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The citizen's report. Without JavaScript too: every category's questions are on the page,
    and a failed submit comes back with every answer kept and every problem (photos included)
    beside its part of the page."""
    municipality = require_municipality(request)
    user = request.user if request.user.is_authenticated else None
    initial = {}
    if user is not None:
        initial = {"name": user.get_full_name(), "email": user.email, "phone": getattr(user, "phone", "")}
    form = ReportForm(request.POST or None, initial=initial)
    selected = request.POST.get("category", "")
    context: dict[str, Any] = {"form": form, "selected": selected}
    photos = request.FILES.getlist("photos")
    status = 200
    if request.method == "POST":
        status = 400
        answers = report_form.question_answers(request.POST, selected)
        if form.is_valid():
            data = form.cleaned_data
            try:
                intake = services.report_intake(
                    municipality=municipality,
                    category_code=data["category"],
                    lat=data.get("lat"),
                    lon=data.get("lon"),
                    address=data.get("address", ""),
                    description=data["description"],
                    reporter=services.Reporter(
                        user=user,
                        name=data.get("name", "").strip(),
                        email=data.get("email", "") or (user.email if user else ""),
                        phone=data.get("phone", ""),
                        show_name=bool(data.get("show_name")),
                        language=(get_language() or "el")[:2],
                    ),
                    attributes=answers,
                    photos=photos,
                    # Without the page's script the citizen has not seen nearby reports yet:
                    # they are shown once before a possible duplicate is created.
                    nearby_seen=request.POST.get("nearby_checked") == "1",
                    client_ip=None if user else current_ip.get() or request.META.get("REMOTE_ADDR"),
                )
            except ApplicationError as exc:
                # Not run_service: the page shows location, answer and photo errors beside
                # their sections, which are not fields of the form.
                form.add_service_errors(exc)
            else:
                if intake.report is not None:
                    request.session["reports_receipt"] = intake.report.pk
                    return redirect("reports:receipt", token=intake.report.tracking_token)
                status = 200
                context.update({"nearby_found": intake.nearby, "nearby_category": intake.category})
        # The service stops at its first problem: a failed submit shows the questions' and the
        # photos' problems too, so that one more submit is enough.
        if not form.question_errors:
            form.question_errors = report_form.question_problems(municipality, selected, answers)
        if photos and "photos" not in form.section_errors:
            problems = report_form.photo_problems(photos, anonymous=user is None)
            if problems:
                form.section_errors["photos"] = " ".join(problems)
        if photos:
            # A browser never sends a file twice: say which ones to attach again.
            context["photos_again"] = [getattr(p, "name", "") for p in photos]
    categories = list(categories_active(municipality).select_related("group").prefetch_related("attributes"))
    context.update(
        {
            "groups": _grouped(categories),
            "question_groups": report_form.question_groups(
                categories, request.POST if request.method == "POST" else None, selected, form.question_errors
            ),
            "extra_errors": form.section_errors,
        }
    )
    return render(request, "reports/new.html", context, status=status)


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    municipality = require_municipality(request)
    report = tenant_get_or_404(
        Report.objects.select_related("category", "municipality"), municipality, tracking_token=token
    )
    if request.session.get("reports_receipt") != report.pk:
        return redirect("reports:track", token=token)
    return render(request, "reports/receipt.html", {"report": report})


@require_GET
def nearby(request: HttpRequest) -> HttpResponse:
    """Open reports of the same category near the point (an HTML fragment for the form)."""
    municipality = require_municipality(request)
    category = categories_active(municipality).filter(code=request.GET.get("category", "")).first()
    try:
        lat = services.parse_coordinate(request.GET.get("lat"), field="lat")
        lon = services.parse_coordinate(request.GET.get("lon"), field="long")
    except ApplicationError:
        return HttpResponse("", status=400)
    found = duplicates_nearby(municipality, category, lat, lon) if category else []
    return render(request, "reports/_nearby.html", {"found": found, "category": category})


@require_GET
def streets(request: HttpRequest) -> JsonResponse:
    municipality = require_municipality(request)
    rows = streets_matching(municipality, request.GET.get("q", "")[:100])
    return JsonResponse({"streets": [{"name": s.name, "lat": s.lat, "lon": s.lon} for s in rows]})


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    municipality = require_municipality(request)
    codes = {c.code: c for c in categories_active(municipality)}
    result = classifier.suggest(municipality, request.GET.get("text", "")[:4000], allowed=set(codes))
    if result is None:
        return JsonResponse({"suggestion": None})
    code, probability = result
    return JsonResponse(
        {"suggestion": {"code": code, "name": codes[code].name, "probability": round(probability, 2)}}
    )


@require_POST
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """ "This is my problem too": a supporter and a subscription instead of a duplicate."""
    municipality = require_municipality(request)
    report = tenant_get_or_404(reports_public(municipality), municipality, pk=pk)
    form = SupportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Δώστε έγκυρο e-mail."))
        return redirect("reports:detail", pk=pk)
    follower = run_service(
        lambda: services.report_support(
            report=report,
            user=request.user if request.user.is_authenticated else None,
            email=form.cleaned_data.get("email", ""),
            language=(get_language() or "el")[:2],
        ),
        request=request,
    )
    if follower is not None:
        report_form.remember_support(request, follower)
        messages.success(
            request, _("Ευχαριστούμε! Καταγράφηκε ότι έχετε το ίδιο πρόβλημα και θα λαμβάνετε ενημερώσεις.")
        )
    return redirect("reports:detail", pk=pk)


# --- Public list, map, statistics -------------------------------------------------------------


def _filtered(request: HttpRequest, municipality: Any) -> tuple[Any, dict[str, str]]:
    qs = reports_public(municipality)
    filters = {k: request.GET.get(k, "").strip() for k in ("category", "status", "unit")}
    if filters["category"]:
        qs = qs.filter(category__code=filters["category"])
    if filters["status"] == "open":
        qs = qs.filter(is_open=True)
    elif filters["status"] == "closed":
        qs = qs.filter(is_open=False)
    if filters["unit"].isdigit():
        qs = qs.filter(unit_id=int(filters["unit"]))
    return qs, filters


def public_list(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs, filters = _filtered(request, municipality)
    qs = qs.select_related("category", "unit", "municipality").only(
        "pk",
        "status",
        "created_at",
        "public_address",
        "supporters_count",
        "category__name_el",
        "category__name_en",
        "category__icon",
        "unit__name_el",
        "unit__name_en",
        "municipality__code",
        "deadline",
        "is_open",
    )
    # Paged without counting the whole list: the count stops at 1,000 (an index range,
    # reports_public_created_idx), so a view costs the same at 10,000 reports as at 100,000.
    reports, page = slice_page(qs.order_by("-created_at"), number=page_number(request), size=PUBLIC_PAGE_SIZE)
    total, more = capped_count(qs)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/public_list.html",
        {
            "page": page,
            "reports": reports,
            "total": total,
            "more": more,
            "filters": filters,
            "querystring": query.urlencode(),
            "categories": categories_active(municipality),
            "units": MunicipalUnit.objects.filter(municipality=municipality),
            "centre": (municipality.centre_lat, municipality.centre_lon),
        },
    )


def _bbox(request: HttpRequest) -> tuple[float, float, float, float] | None:
    try:
        west, south, east, north = (float(v) for v in request.GET.get("bbox", "").split(","))
    except ValueError:
        return None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        return None
    return west, south, east, north


@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    """Markers for the public map, clustered on the server on a grid that depends on the zoom.

    The answer covers the asked box grown to whole tiles (``cache.snap_bbox``), so
    that every view inside the same tiles shares one cached answer.
    """
    municipality = require_municipality(request)
    bbox = _bbox(request)
    try:
        zoom = max(0, min(20, int(request.GET.get("zoom", "14"))))
    except ValueError:
        zoom = -1
    if bbox is None or zoom < 0:
        return JsonResponse({"error": _("Δώστε bbox=δυτικά,νότια,ανατολικά,βόρεια και zoom.")}, status=400)
    box = snap_bbox(bbox, zoom)
    return cached_response(
        municipality=municipality,
        namespace="map-data",
        parts=[repr(v) for v in box]
        + [str(zoom)]
        + [f"{k}={request.GET.get(k, '')}" for k in ("category", "status", "unit")],
        build=lambda: _map_data(request, municipality, box, zoom),
    )


def _map_data(
    request: HttpRequest, municipality: Any, bbox: tuple[float, float, float, float], zoom: int
) -> JsonResponse:
    west, south, east, north = bbox
    qs, _filters = _filtered(request, municipality)
    qs = qs.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
    cell = 360.0 / (2**zoom) / 4  # ≈ 64 px cells on 256 px tiles
    cells = (
        qs.annotate(
            gx=Floor(Cast(F("lon"), FloatField()) / cell),
            gy=Floor(Cast(F("lat"), FloatField()) / cell),
        )
        .values("gx", "gy")
        .annotate(
            n=Count("id"),
            lat_avg=Avg("lat"),
            lon_avg=Avg("lon"),
            one=Min("id"),
            cat=Min("category_id"),
            open_n=Count("id", filter=Q(is_open=True)),
        )
        .order_by()[:3000]
    )
    categories = {c.pk: c for c in Category.objects.filter(municipality=municipality)}
    features = []
    for row in cells:
        props: dict[str, Any] = {"count": row["n"], "open": row["open_n"]}
        if row["n"] == 1:
            category = categories.get(row["cat"])
            props.update(
                {
                    "id": row["one"],
                    "url": reverse("reports:detail", args=[row["one"]]),
                    "category": category.name if category else "",
                    "icon": category.icon if category else "",
                    "status": "open" if row["open_n"] else "closed",
                }
            )
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(row["lon_avg"], 6), round(row["lat_avg"], 6)],
                },
                "properties": props,
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features})


def stats(request: HttpRequest) -> HttpResponse:
    """Opened and closed per week (last 12 weeks); median days to fix per category (last year)."""
    municipality = require_municipality(request)
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    weeks = [monday - dt.timedelta(weeks=i) for i in range(11, -1, -1)]
    since = timezone.make_aware(dt.datetime.combine(weeks[0], dt.time.min))
    base = reports_public(municipality)
    opened = dict.fromkeys(weeks, 0)
    closed = dict.fromkeys(weeks, 0)
    for created in base.filter(created_at__gte=since).values_list("created_at", flat=True):
        day = timezone.localtime(created).date()
        opened[day - dt.timedelta(days=day.weekday())] = (
            opened.get(day - dt.timedelta(days=day.weekday()), 0) + 1
        )
    for closed_at in base.filter(closed_at__gte=since).values_list("closed_at", flat=True):
        day = timezone.localtime(closed_at).date()
        key = day - dt.timedelta(days=day.weekday())
        closed[key] = closed.get(key, 0) + 1
    year_ago = timezone.now() - dt.timedelta(days=365)
    durations: dict[int, list[float]] = {}
    for category_id, created, fixed in base.filter(fixed_at__gte=year_ago).values_list(
        "category_id", "created_at", "fixed_at"
    ):
        durations.setdefault(category_id, []).append((fixed - created).total_seconds() / 86400)
    counts = dict(base.values_list("category_id").annotate(n=Count("id")).values_list("category_id", "n"))
    rows = []
    for category in categories_active(municipality):
        values = durations.get(category.pk, [])
        rows.append(
            {
                "category": category,
                "total": counts.get(category.pk, 0),
                "fixed": len(values),
                "median_days": round(statistics.median(values), 1) if values else None,
            }
        )
    return render(
        request,
        "reports/stats.html",
        {
            "weeks": [{"week": w, "opened": opened.get(w, 0), "closed": closed.get(w, 0)} for w in weeks],
            "rows": rows,
            "open_total": base.filter(status__in=OPEN_STATUSES).count(),
            "closed_total": base.filter(status__in=CLOSED_STATUSES).count(),
        },
    )


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    followed = ReportFollower.objects.filter(municipality=municipality, user=request.user).values_list(
        "report_id", flat=True
    )
    reports = (
        Report.objects.filter(municipality=municipality)
        .filter(Q(reporter=request.user) | Q(pk__in=followed))
        .select_related("category", "municipality")
        .order_by("-created_at")[:200]
    )
    return render(request, "reports/mine.html", {"reports": reports, "fixed": ReportStatus.FIXED})
