"""Bulk import (checked first, then applied or discarded) and export of assets.

The staging of the file belongs to the service (``services.import_stage`` and
friends); the page keeps only the staged file's token in the session.
"""

from __future__ import annotations

import tempfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.csv_export import csv_response
from dimos.core.forms import run_service
from dimos.core.tenancy import require_municipality
from dimos.schools import forms, services
from dimos.schools.access import scope
from dimos.schools.importer import export_columns, export_rows, export_xlsx
from dimos.schools.models import Asset
from dimos.schools.views.common import office, school_staff

SESSION_KEY = "schools_import"


@office
def asset_import(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    pending = request.session.get(SESSION_KEY)
    if pending and pending.get("m") != municipality.pk:
        pending = None
    if request.method == "POST" and "discard" in request.POST:
        if pending:
            services.import_discard(municipality=municipality, token=pending["id"])
        request.session.pop(SESSION_KEY, None)
        messages.info(request, _("Το αρχείο απορρίφθηκε· δεν καταχωρίστηκε τίποτα."))
        return redirect("schools:asset_import")
    if request.method == "POST" and "mode" in request.POST:
        if not pending:
            messages.error(request, _("Ανεβάστε πρώτα το αρχείο για έλεγχο."))
            return redirect("schools:asset_import")
        report = run_service(
            lambda: services.import_apply(
                municipality=municipality,
                token=pending["id"],
                name=pending["name"],
                mode=request.POST["mode"],
                actor=request.user,
            ),
            request=request,
        )
        if report is None:
            return redirect("schools:asset_import")
        request.session.pop(SESSION_KEY, None)
        if report.applied:
            messages.success(request, _("Καταχωρίστηκαν %(n)s πάγια.") % {"n": report.applied})
        else:
            messages.warning(request, _("Δεν καταχωρίστηκε κανένα πάγιο."))
        return render(
            request,
            "schools/import.html",
            {"form": forms.ImportUploadForm(), "report": report, "applied": True},
        )
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        staged = run_service(
            lambda: services.import_stage(
                municipality=municipality,
                upload=form.cleaned_data["file"],
                actor=request.user,
                replaces=pending["id"] if pending else "",
            ),
            form=form,
        )
        if staged is not None:
            request.session[SESSION_KEY] = {"id": staged.token, "name": staged.name, "m": municipality.pk}
            report = staged.report
    return render(request, "schools/import.html", {"form": form, "report": report})


@school_staff
def asset_export(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Asset.objects.all(), request.user, municipality)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        return csv_response(f"assets-{stamp}.csv", export_columns(), export_rows(qs))
    if fmt != "xlsx":
        raise Http404("Not found")
    tmp = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    export_xlsx(qs, tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"assets-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
