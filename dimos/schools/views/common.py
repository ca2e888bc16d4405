"""What every schools page shares: the access decorators and the visible school or asset."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from dimos.core.tenancy import require_municipality, staff_required
from dimos.schools.access import scoped_get_or_404, visible_schools
from dimos.schools.constants import ALL_ROLES, OFFICE_ROLES
from dimos.schools.models import Asset, School

office = staff_required(roles=OFFICE_ROLES)
anyone = staff_required(roles=ALL_ROLES)


def pdf_response(data: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


def school_visible(request: HttpRequest, pk: int) -> School:
    """A school the signed-in user may see (a director only their own), or 404."""
    municipality = require_municipality(request)
    try:
        return visible_schools(request.user, municipality).select_related("unit", "director").get(pk=pk)
    except (School.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc


def asset_visible(request: HttpRequest, pk: int) -> Asset:
    """An asset the signed-in user may see (a director only their school's), or 404."""
    municipality = require_municipality(request)
    return scoped_get_or_404(
        Asset.objects.select_related("model__category", "school"), request.user, municipality, pk=pk
    )
