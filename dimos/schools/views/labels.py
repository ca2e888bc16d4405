"""QR labels for a school's assets, and the annual audit by scanning them."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dimos.core.tenancy import require_municipality
from dimos.schools import documents, forms, selectors
from dimos.schools.constants import AssetStatus
from dimos.schools.models import Asset
from dimos.schools.views.common import pdf_response, school_staff, school_visible


@school_staff
def labels_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = school_visible(request, pk)
    assets = list(
        Asset.objects.filter(municipality=municipality, school=school)
        .exclude(status=AssetStatus.RETIRED)
        .select_related("model", "school")
        .order_by("tag")
    )
    base = request.build_absolute_uri(reverse("schools:asset_list"))
    data = documents.labels_pdf(assets, municipality=municipality, base_url=base)
    return pdf_response(data, f"labels-{school.pk}.pdf")


@school_staff
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Annual audit: scan (or type) the labels found at the school; list what was not found."""
    municipality = require_municipality(request)
    school = school_visible(request, pk)
    form = forms.AuditForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        result = selectors.audit_by_scan(
            municipality=municipality, school=school, scanned=form.cleaned_data["tags"]
        )
    return render(request, "schools/audit.html", {"school": school, "form": form, "result": result})
