"""The office's equipment catalogue and the standards per school type."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dimos.core.tenancy import require_municipality
from dimos.schools import forms
from dimos.schools.constants import AssetStatus
from dimos.schools.models import EquipmentModel, Standard
from dimos.schools.views.common import region_readable


@region_readable
def catalogue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.EquipmentModelForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.municipality = municipality
        obj.save()
        messages.success(request, _("Το μοντέλο προστέθηκε στον κατάλογο."))
        return redirect("schools:catalogue")
    models = (
        EquipmentModel.objects.filter(municipality=municipality)
        .select_related("category")
        .annotate(n=Count("assets", filter=~Q(assets__status=AssetStatus.RETIRED)))
    )
    return render(request, "schools/catalogue.html", {"models": models, "form": form})


@region_readable
def standards(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.StandardForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        Standard.objects.update_or_create(
            municipality=municipality,
            school_type=data["school_type"],
            category=data["category"],
            defaults={k: data[k] for k in ("basis", "quantity", "per", "model")},
        )
        messages.success(request, _("Το πρότυπο αποθηκεύτηκε."))
        return redirect("schools:standards")
    rows = Standard.objects.filter(municipality=municipality).select_related("category", "model")
    return render(request, "schools/standards.html", {"rows": rows, "form": form})
