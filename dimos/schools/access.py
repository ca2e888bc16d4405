"""Who sees which school (architecture rule 13, object rules of ``dimos/core/capabilities.py``).

The education office (``schools.manage``) sees and changes every school of its
municipality; a school director (``schools.own_school``) only the school their
account directs. Another municipality's objects are 404 (tenancy); another
school's object, for a director, is 403 (``is_own_school``): the director learns
they may not, as for any capability they lack.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from dimos.core.capabilities import Capability, has_capability, is_own_school
from dimos.core.models import Municipality
from dimos.core.tenancy import NOT_ALLOWED, tenant_queryset
from dimos.schools.models import School


def manages_schools(user: Any) -> bool:
    """The education office (and the municipal administrator): every school, every write control."""
    return has_capability(user, Capability.SCHOOLS_MANAGE)


def visible_schools(user: Any, municipality: Municipality) -> models.QuerySet[School]:
    qs = tenant_queryset(School, municipality)
    if manages_schools(user):
        return qs
    if has_capability(user, Capability.SCHOOLS_OWN_SCHOOL):
        return qs.filter(director=user)
    return qs.none()


def scope(
    qs: models.QuerySet, user: Any, municipality: Municipality, *, via: str = "school"
) -> models.QuerySet:
    """Restrict a queryset of school-owned rows (lists) to what ``user`` may see."""
    qs = tenant_queryset(qs, municipality)
    if manages_schools(user):
        return qs
    if has_capability(user, Capability.SCHOOLS_OWN_SCHOOL):
        return qs.filter(**{f"{via}__director": user})
    return qs.none()


def require_own_school(user: Any, school: School | None) -> None:
    """403 unless ``user`` may work on ``school`` (an asset in the warehouse has none: office only)."""
    allowed = manages_schools(user) if school is None else is_own_school(user, school)
    if not allowed:
        raise PermissionDenied(NOT_ALLOWED)


def school_object_or_403(
    qs: models.QuerySet, user: Any, municipality: Municipality, *, via: str = "school", **lookup: Any
) -> Any:
    """One school-owned row: 404 if it is not this municipality's, 403 if not ``user``'s school."""
    try:
        obj = tenant_queryset(qs, municipality).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
    school = obj if isinstance(obj, School) else getattr(obj, via)
    require_own_school(user, school)
    return obj
