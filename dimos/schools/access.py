"""Who sees which school: the office sees all of its municipality's schools, a director only theirs."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.http import Http404

from dimos.core.constants import StaffRole
from dimos.core.models import Municipality
from dimos.core.tenancy import tenant_queryset
from dimos.schools.models import School


def is_director(user: Any) -> bool:
    return getattr(user, "role", "") == StaffRole.SCHOOL_DIRECTOR and not user.is_superuser


def visible_schools(user: Any, municipality: Municipality) -> models.QuerySet[School]:
    qs = tenant_queryset(School, municipality)
    if is_director(user):
        qs = qs.filter(director=user)
    return qs


def scope(
    qs: models.QuerySet, user: Any, municipality: Municipality, *, via: str = "school"
) -> models.QuerySet:
    """Restrict a queryset of school-owned rows to what ``user`` may see."""
    qs = tenant_queryset(qs, municipality)
    if is_director(user):
        qs = qs.filter(**{f"{via}__director": user})
    return qs


def scoped_get_or_404(
    qs: models.QuerySet, user: Any, municipality: Municipality, *, via: str = "school", **lookup: Any
) -> Any:
    try:
        return scope(qs, user, municipality, via=via).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
