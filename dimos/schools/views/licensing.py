"""Software licences and their seats per school."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.forms import run_service
from dimos.core.tenancy import require_municipality, tenant_get_or_404, tenant_queryset
from dimos.schools import forms, services
from dimos.schools.models import Licence
from dimos.schools.views.common import office


@office
def licences(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.municipality = municipality
        obj.save()
        messages.success(request, _("Η άδεια καταχωρίστηκε."))
        return redirect("schools:licence_detail", pk=obj.pk)
    rows = tenant_queryset(Licence, municipality).annotate(used=Sum("assignments__seats"))
    return render(
        request,
        "schools/licences.html",
        {"rows": rows, "form": form, "soon": timezone.localdate() + timezone.timedelta(days=60)},
    )


@office
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    licence = tenant_get_or_404(Licence, municipality, pk=pk)
    form = forms.LicenceSeatForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        run_service(
            lambda: services.licence_assign(
                licence=licence, school=d["school"], seats=d["seats"], actor=request.user
            ),
            form=form,
        )
        if not form.errors:  # the service returns None when the seats went to 0
            messages.success(request, _("Οι θέσεις ενημερώθηκαν."))
            return redirect("schools:licence_detail", pk=licence.pk)
    seats = licence.assignments.select_related("school")
    return render(
        request,
        "schools/licence_detail.html",
        {"licence": licence, "seats": seats, "used": sum(s.seats for s in seats), "form": form},
    )
