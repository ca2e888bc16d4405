"""Tenancy: resolving the municipality of a request and scoping staff access.

This module is the one place where isolation is enforced:

* ``municipality_for_host`` decides the tenant of a request by host name;
* ``staff_required`` lets through only staff who belong to that tenant (or the
  Region viewer, read-only), and every staff view is wrapped in it;
* ``tenant_get_or_404`` / ``tenant_queryset`` scope every lookup to the tenant, so
  an object of another municipality is simply not found (404, not 403: its
  existence is not revealed).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission

from dimos.core.capabilities import has_capability
from dimos.core.constants import StaffRole
from dimos.core.models import Municipality

M = TypeVar("M", bound=models.Model)
_HOST_CACHE_KEY = "dimos:hostmap:v1"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
HOST_CACHE_SECONDS = 60
NOT_ALLOWED = _(
    "Ο ρόλος σας δεν επιτρέπει αυτή την ενέργεια. Αν τη χρειάζεστε, ζητήστε την από τον διαχειριστή του δήμου."
)


def _host_map() -> dict[str, int]:
    mapping = cache.get(_HOST_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for pk, slug, hosts in Municipality.objects.filter(is_active=True).values_list(
            "pk", "slug", "hostnames"
        ):
            mapping[f"slug:{slug}"] = pk
            for host in hosts or []:
                mapping[str(host).lower()] = pk
        cache.set(_HOST_CACHE_KEY, mapping, HOST_CACHE_SECONDS)
    return mapping


def host_map_invalidate(municipality_id: int | None = None) -> None:
    cache.delete(_HOST_CACHE_KEY)
    if municipality_id is not None:
        cache.delete(f"dimos:municipality:{municipality_id}")


def municipality_for_host(host: str) -> Municipality | None:
    """The active municipality that serves ``host``, else the configured default."""
    hostname = (host or "").split(":")[0].lower().rstrip(".")
    pk = _host_map().get(hostname)
    if pk is None and settings.DIMOS_DEFAULT_MUNICIPALITY:
        pk = _host_map().get(f"slug:{settings.DIMOS_DEFAULT_MUNICIPALITY}")
    if pk is None:
        return None
    # The tenant row is read on every request: it is public, shared by every
    # visitor, and kept in the cache (see docs/architecture.md, "Caches"): dropped
    # on save or delete (core/signals.py) and expiring after HOST_CACHE_SECONDS,
    # the bound for a change that skips ``save`` (a queryset update).
    key = f"dimos:municipality:{pk}"
    municipality = cache.get(key)
    if municipality is None:
        municipality = Municipality.objects.filter(pk=pk, is_active=True).first()
        if municipality is None:
            return None
        cache.set(key, municipality, HOST_CACHE_SECONDS)
    return municipality


def require_municipality(request: HttpRequest) -> Municipality:
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404("No municipality is served at this address.")
    return municipality


# --- Staff access --------------------------------------------------------------


def is_staff_of(user: Any, municipality: Municipality, *, write: bool = True) -> bool:
    """Whether ``user`` may work on ``municipality``'s data.

    Municipal staff belong to exactly one municipality. The Region viewer reads
    every municipality of the platform but never writes.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    role = getattr(user, "role", "")
    if role == StaffRole.REGION_VIEWER:
        return not write
    return bool(role) and user.municipality_id == municipality.pk


def staff_required(
    view: Callable[..., HttpResponse] | None = None,
    *,
    capability: str | None = None,
    write: bool | None = None,
) -> Any:
    """Decorator for every staff page.

    Anonymous users are sent to sign in; signed-in users who are not staff of this
    request's municipality get 404, so another tenant's pages and objects are
    indistinguishable from pages that do not exist. Staff of this municipality
    without the ``capability`` the page declares (``dimos/core/capabilities.py``)
    get a 403 page that says so. ``write`` defaults to "unsafe HTTP method"; the
    Region viewer never writes.
    """

    def decorate(func: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(func)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            municipality = require_municipality(request)
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not is_staff_of(request.user, municipality, write=False):
                raise Http404("Not found")
            needs_write = write if write is not None else request.method not in SAFE_METHODS
            if needs_write and not is_staff_of(request.user, municipality, write=True):
                raise PermissionDenied(NOT_ALLOWED)
            if capability is not None and not has_capability(request.user, capability):
                raise PermissionDenied(NOT_ALLOWED)
            return func(request, *args, **kwargs)

        wrapper.dimos_staff = True  # type: ignore[attr-defined]  # read by the isolation test
        wrapper.dimos_capability = capability  # type: ignore[attr-defined]  # read by the role walk
        return wrapper

    if view is not None:
        return decorate(view)
    return decorate


class IsMunicipalStaff(BasePermission):
    """DRF permission: staff of the request's municipality (Region viewer read-only).

    Views using it are staff endpoints for the isolation test. A view may declare
    ``required_capability`` (or ``required_capabilities`` per HTTP method); staff
    without it get 403. Object lookups must still go through ``tenant_queryset``
    so another tenant's objects give 404.
    """

    dimos_staff = True

    def has_permission(self, request: Any, view: Any) -> bool:
        municipality = getattr(request, "municipality", None)
        if municipality is None:
            raise NotFound()
        if not request.user.is_authenticated:
            return False  # 401/403: sign in first
        if not is_staff_of(request.user, municipality, write=False):
            # As for pages: another tenant's endpoints look like nothing is there.
            raise NotFound()
        if request.method not in SAFE_METHODS and not is_staff_of(request.user, municipality, write=True):
            return False
        needed = getattr(view, "required_capabilities", {}).get(
            request.method, getattr(view, "required_capability", None)
        )
        return needed is None or has_capability(request.user, needed)


def tenant_queryset(
    model_or_qs: type[M] | models.QuerySet[M], municipality: Municipality
) -> models.QuerySet[M]:
    qs = model_or_qs if isinstance(model_or_qs, models.QuerySet) else model_or_qs._default_manager.all()
    return qs.filter(municipality=municipality)


def tenant_get_or_404(
    model_or_qs: type[M] | models.QuerySet[M], municipality: Municipality, **lookup: Any
) -> M:
    try:
        return tenant_queryset(model_or_qs, municipality).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
