"""The overview and the schools' own pages."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.forms import run_service
from dimos.core.models import MunicipalUnit
from dimos.core.tenancy import require_municipality, tenant_get_or_404
from dimos.schools import forms, selectors, services
from dimos.schools.access import manages_schools, visible_schools
from dimos.schools.constants import OPEN_REPAIR_STATUSES, AssetStatus, LoanStatus
from dimos.schools.models import Asset, Loan, Repair, School, SchoolYear
from dimos.schools.views.common import office, region_readable, school_staff, school_visible


@region_readable
def overview(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    rows = selectors.overview(municipality=municipality)
    can_manage = manages_schools(request.user)
    points = [
        {
            "name": r["school"].name,
            "lat": r["school"].lat,
            "lon": r["school"].lon,
            "per_pupil": r["per_pupil"],
            "devices": r["devices"],
            "url": reverse("schools:school_detail", args=[r["school"].pk]) if can_manage else "",
        }
        for r in rows
        if r["school"].lat is not None
    ]
    totals = {
        "schools": len(rows),
        "pupils": sum(r["pupils"] for r in rows),
        "devices": sum(r["devices"] for r in rows),
        "past_life": sum(r["past_life"] for r in rows),
        "open_repairs": sum(r["open_repairs"] for r in rows),
        "overdue": selectors.overdue_loans(municipality=municipality).count(),
    }
    return render(
        request,
        "schools/overview.html",
        {
            "rows": rows,
            "points": points,
            "units": [
                {"name": u.name, "boundary": u.boundary}
                for u in MunicipalUnit.objects.filter(municipality=municipality)
            ],
            "totals": totals,
            "can_manage": can_manage,
        },
    )


@school_staff
def my_school(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    if manages_schools(request.user):
        return overview(request)
    school = visible_schools(request.user, municipality).first()
    if school is None:
        return render(request, "schools/no_school.html")
    return redirect("schools:school_detail", pk=school.pk)


@school_staff
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = school_visible(request, pk)
    assets = Asset.objects.filter(municipality=municipality, school=school)
    by_category = (
        assets.exclude(status=AssetStatus.RETIRED)
        .values("model__category__name")
        .annotate(n=Count("id"), deployed=Count("id", filter=Q(status=AssetStatus.DEPLOYED)))
        .order_by("model__category__name")
    )
    context = {
        "school": school,
        "years": SchoolYear.objects.filter(municipality=municipality, school=school),
        "by_category": by_category,
        "status_counts": dict(assets.values_list("status").annotate(n=Count("id")).order_by()),
        "repairs": Repair.objects.filter(
            municipality=municipality, school=school, status__in=OPEN_REPAIR_STATUSES
        ).select_related("asset__model"),
        "loans": Loan.objects.filter(
            municipality=municipality, school=school, status=LoanStatus.ACTIVE
        ).select_related("asset__model"),
        "licences": school.licence_seats.select_related("licence"),
        "year_form": forms.SchoolYearForm(initial={"year": selectors.current_school_year()}),
        "today": timezone.localdate(),
        "is_office": manages_schools(request.user),
    }
    return render(request, "schools/school_detail.html", context)


@office
def school_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = require_municipality(request)
    school = tenant_get_or_404(School, municipality, pk=pk) if pk else School(municipality=municipality)
    form = forms.SchoolForm(request.POST or None, instance=school, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            lambda: services.school_save(school=form.save(commit=False), actor=request.user), form=form
        )
        if saved is not None:
            messages.success(request, _("Το σχολείο αποθηκεύτηκε."))
            return redirect("schools:school_detail", pk=saved.pk)
    return render(
        request,
        "schools/form.html",
        {"form": form, "title": _("Σχολείο"), "back": reverse("schools:overview")},
    )


@office
@require_POST
def school_year(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = tenant_get_or_404(School, municipality, pk=pk)
    form = forms.SchoolYearForm(request.POST)
    if form.is_valid():
        done = run_service(
            lambda: services.school_year_set(school=school, actor=request.user, **form.cleaned_data),
            form=form,
        )
        if done is not None:
            messages.success(request, _("Τα στοιχεία του σχολικού έτους αποθηκεύτηκαν."))
            return redirect("schools:school_detail", pk=school.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Στοιχεία σχολικού έτους"),
            "back": reverse("schools:school_detail", args=[pk]),
        },
        status=400,
    )
