"""Fault reports and repairs."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from dimos.core.files import IMAGE_TYPES, read_upload
from dimos.core.forms import run_service
from dimos.core.tenancy import require_municipality
from dimos.schools import forms, services
from dimos.schools.access import manages_schools, school_object_or_403, scope
from dimos.schools.constants import OPEN_REPAIR_STATUSES
from dimos.schools.models import Repair
from dimos.schools.views.common import OFFICE, SCHOOL_STAFF, asset_visible, school_staff, schools_page

PER_PAGE = 100


@school_staff
def repair_report(request: HttpRequest, pk: int) -> HttpResponse:
    asset = asset_visible(request, pk)
    form = forms.RepairReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = None
        upload = form.cleaned_data.get("photo")
        if upload:
            read = run_service(
                lambda: read_upload(upload, max_bytes=8 * 1024 * 1024, allowed=IMAGE_TYPES, field="photo"),
                form=form,
            )
            photo = read[0] if read else None
        if not form.errors:
            repair = run_service(
                lambda: services.repair_report(
                    asset=asset, description=form.cleaned_data["description"], photo=photo, actor=request.user
                ),
                form=form,
            )
            if repair is not None:
                messages.success(request, _("Η βλάβη καταχωρίστηκε (αρ. %(n)s).") % {"n": repair.pk})
                return redirect("schools:repair_detail", pk=repair.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Αναφορά βλάβης %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
            "multipart": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@school_staff
def repairs(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Repair.objects.select_related("asset__model", "school"), request.user, municipality)
    state = request.GET.get("state", "open")
    qs = (
        qs.filter(status__in=OPEN_REPAIR_STATUSES)
        if state == "open"
        else qs.exclude(status__in=OPEN_REPAIR_STATUSES)
    )
    page = Paginator(qs.order_by("-reported_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "schools/repairs.html", {"rows": page.object_list, "page": page, "state": state})


@schools_page(read=SCHOOL_STAFF, write=OFFICE)
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    repair = school_object_or_403(
        Repair.objects.select_related("asset__model", "school", "reported_by"),
        request.user,
        municipality,
        pk=pk,
    )
    office_user = manages_schools(request.user)
    form = forms.RepairUpdateForm(
        request.POST or None,
        initial={
            "status": repair.status,
            "supplier": repair.supplier,
            "cost": repair.cost,
            "under_warranty": repair.under_warranty,
        },
    )
    if request.method == "POST" and form.is_valid():
        done = run_service(
            lambda: services.repair_update(repair=repair, actor=request.user, **form.cleaned_data),
            form=form,
        )
        if done is not None:
            messages.success(request, _("Η επισκευή ενημερώθηκε."))
            return redirect("schools:repair_detail", pk=repair.pk)
    return render(
        request,
        "schools/repair_detail.html",
        {
            "repair": repair,
            "events": repair.events.select_related("actor"),
            "form": form if office_user else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@school_staff
@require_safe
def repair_photo(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    repair = school_object_or_403(Repair.objects.all(), request.user, municipality, pk=pk)
    if not repair.photo:
        raise Http404("Not found")
    response = FileResponse(repair.photo.open("rb"), content_type=repair.photo_type or "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
