"""The inventory: list, registration, one asset's page, status changes and moves."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.forms import run_service
from dimos.core.qr import qr_svg
from dimos.core.tenancy import require_municipality
from dimos.schools import forms, selectors, services
from dimos.schools.access import manages_schools, scope, visible_schools
from dimos.schools.constants import MANUAL_TRANSITIONS, AssetStatus
from dimos.schools.models import Asset, EquipmentCategory
from dimos.schools.views.common import asset_visible, office, school_staff

PER_PAGE = 100


@school_staff
def asset_list(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Asset.objects.select_related("model__category", "school"), request.user, municipality)
    g = request.GET
    qs = selectors.asset_search(
        qs,
        q=g.get("q", "").strip(),
        status=g.get("status", ""),
        school=g.get("school", ""),
        category=g.get("category", ""),
    )
    page = Paginator(qs.order_by("tag"), PER_PAGE).get_page(g.get("page"))
    return render(
        request,
        "schools/asset_list.html",
        {
            "assets": page.object_list,
            "page": page,
            "total": page.paginator.count,
            "statuses": AssetStatus.choices,
            "schools": visible_schools(request.user, municipality),
            "categories": EquipmentCategory.objects.filter(municipality=municipality),
            "query": g,
            "is_office": manages_schools(request.user),
        },
    )


@office
def asset_create(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.AssetForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        text_fields = ("serial", "room", "supplier", "order_ref", "funding_source")
        data = {k: ("" if v is None and k in text_fields else v) for k, v in form.cleaned_data.items()}
        asset = run_service(
            lambda: services.asset_create(municipality=municipality, actor=request.user, **data), form=form
        )
        if asset is not None:
            messages.success(request, _("Καταχωρίστηκε το πάγιο %(tag)s.") % {"tag": asset.tag})
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {"form": form, "title": _("Νέο πάγιο"), "back": reverse("schools:asset_list")},
    )


@school_staff
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    asset = asset_visible(request, pk)
    choices = [(s, AssetStatus(s).label) for s in sorted(MANUAL_TRANSITIONS[asset.status])]
    url = request.build_absolute_uri()
    return render(
        request,
        "schools/asset_detail.html",
        {
            "asset": asset,
            "qr": qr_svg(url, scale=3, title=asset.tag),
            "url": url,
            "events": asset.events.select_related("actor", "from_school", "to_school"),
            "loans": asset.loans.all()[:20],
            "repairs": asset.repairs.all()[:20],
            "status_form": forms.AssetStatusForm(choices=choices) if choices else None,
            "move_form": forms.AssetMoveForm(
                municipality=municipality, initial={"school": asset.school_id, "room": asset.room}
            ),
            "is_office": manages_schools(request.user),
            "can_loan": asset.status == AssetStatus.DEPLOYED,
            "can_report": asset.status in (AssetStatus.DEPLOYED, AssetStatus.IN_STOCK),
        },
    )


@office
@require_POST
def asset_status(request: HttpRequest, pk: int) -> HttpResponse:
    asset = asset_visible(request, pk)
    choices = [(s, AssetStatus(s).label) for s in sorted(MANUAL_TRANSITIONS[asset.status])]
    form = forms.AssetStatusForm(request.POST, choices=choices)
    if form.is_valid():
        done = run_service(
            lambda: services.asset_transition(
                asset=asset,
                to_status=form.cleaned_data["status"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            ),
            form=form,
        )
        if done is not None:
            messages.success(request, _("Η κατάσταση άλλαξε."))
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Αλλαγή κατάστασης %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
        },
        status=400,
    )


@office
@require_POST
def asset_move(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    asset = asset_visible(request, pk)
    form = forms.AssetMoveForm(request.POST, municipality=municipality)
    if form.is_valid():
        d = form.cleaned_data
        done = run_service(
            lambda: services.asset_move(
                asset=asset, school=d["school"], room=d["room"], actor=request.user, comment=d["comment"]
            ),
            form=form,
        )
        if done is not None:
            messages.success(request, _("Η μετακίνηση καταχωρίστηκε."))
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Μετακίνηση %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
        },
        status=400,
    )
