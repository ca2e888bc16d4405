"""What every schools page shares: the capability each page declares and the visible school or asset.

Three kinds of page (the table is ``dimos/schools/tests/access.py``):

* ``office``: the education office only (``schools.manage``);
* ``school_staff``: the office and school directors, a director on their own school only
  (``schools.own_school``, checked on each object with ``is_own_school``);
* ``region_readable``: the office, and the Region viewer for reading (``region.read``): the
  aggregates and the funding proposals, never pupils, guardians or staff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from dimos.core.capabilities import Capability, has_any_capability
from dimos.core.tenancy import NOT_ALLOWED, SAFE_METHODS, require_municipality, staff_required
from dimos.schools.access import school_object_or_403
from dimos.schools.models import Asset, School

OFFICE = frozenset({Capability.SCHOOLS_MANAGE})
SCHOOL_STAFF = OFFICE | {Capability.SCHOOLS_OWN_SCHOOL}
OFFICE_AND_REGION = OFFICE | {Capability.REGION_READ}


def schools_page(
    *, read: Iterable[Capability], write: Iterable[Capability]
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """A staff page that needs one of ``read`` to read it and one of ``write`` to post to it.

    Tenancy (404 for another municipality, the Region viewer never writes) is
    ``staff_required``'s; the capability check follows it, 403 with the Greek page.
    """
    read, write = frozenset(read), frozenset(write)

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            needed = read if request.method in SAFE_METHODS else write
            if not has_any_capability(request.user, needed):
                raise PermissionDenied(NOT_ALLOWED)
            return func(request, *args, **kwargs)

        wrapper = staff_required(checked)
        wrapper.dimos_capability = {"read": read, "write": write}  # type: ignore[attr-defined]
        return wrapper

    return decorate


office = schools_page(read=OFFICE, write=OFFICE)
school_staff = schools_page(read=SCHOOL_STAFF, write=SCHOOL_STAFF)
region_readable = schools_page(read=OFFICE_AND_REGION, write=OFFICE)


def pdf_response(data: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


def school_visible(request: HttpRequest, pk: int) -> School:
    """A school of this municipality (else 404) that the user may work on (else 403)."""
    municipality = require_municipality(request)
    return school_object_or_403(
        School.objects.select_related("unit", "director"), request.user, municipality, pk=pk
    )


def asset_visible(request: HttpRequest, pk: int) -> Asset:
    """An asset of this municipality (else 404) at a school the user may work on (else 403)."""
    municipality = require_municipality(request)
    return school_object_or_403(
        Asset.objects.select_related("model__category", "school"), request.user, municipality, pk=pk
    )
