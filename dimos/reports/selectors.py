"""Reads of reports and categories; every function takes the municipality explicitly."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dimos.core.capabilities import ROLE_CAPABILITIES, Capability, has_capability
from dimos.core.geo import bbox_around, haversine_m
from dimos.core.greek import normalize_greek
from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.reports.models import Category, Report, RoutingRule, Street


def categories_active(municipality: Municipality) -> QuerySet[Category]:
    return (
        Category.objects.filter(municipality=municipality, is_active=True)
        .select_related("group")
        .order_by("group__order", "group__name_el", "order", "name_el")
    )


def category_by_code(municipality: Municipality, code: str) -> Category | None:
    return (
        Category.objects.filter(municipality=municipality, code=code, is_active=True)
        .select_related("group")
        .first()
    )


def route_for(
    municipality: Municipality, category: Category, unit: MunicipalUnit | None
) -> Department | None:
    """The department for category × unit: a unit-specific rule, else a rule for any unit, else the default."""
    rules = {
        rule.unit_id: rule.department
        for rule in RoutingRule.objects.filter(municipality=municipality, category=category).select_related(
            "department"
        )
    }
    if unit is not None and unit.pk in rules:
        return rules[unit.pk]
    if None in rules:
        return rules[None]
    return category.department


def reports_public(municipality: Municipality) -> QuerySet[Report]:
    # ``IN (true)`` lets SQLite use the (municipality, is_public, …) indexes as equality.
    return Report.objects.filter(municipality=municipality, is_public__in=[True])


def duplicates_nearby(
    municipality: Municipality,
    category: Category,
    lat: float,
    lon: float,
    *,
    radius_m: float | None = None,
    limit: int = 5,
) -> list[tuple[Report, float]]:
    """Open public reports of the same category within the category's radius, nearest first."""
    radius = float(radius_m if radius_m is not None else category.duplicate_radius_m)
    min_lat, max_lat, min_lon, max_lon = bbox_around(lat, lon, radius)
    rows = Report.objects.filter(
        municipality=municipality,
        category=category,
        is_open=True,
        is_public=True,
        lat__gte=min_lat,
        lat__lte=max_lat,
        lon__gte=min_lon,
        lon__lte=max_lon,
    ).only(
        "pk",
        "lat",
        "lon",
        "public_description",
        "status",
        "created_at",
        "supporters_count",
        "public_address",
        "municipality_id",
    )[:200]
    found = []
    for report in rows:
        distance = haversine_m(lat, lon, report.lat, report.lon)
        if distance <= radius:
            found.append((report, distance))
    found.sort(key=lambda pair: pair[1])
    return found[:limit]


def streets_matching(municipality: Municipality, text: str, limit: int = 8) -> list[Street]:
    key = normalize_greek(text.strip())
    if len(key) < 2:
        return []
    starts = list(Street.objects.filter(municipality=municipality, name_normalized__startswith=key)[:limit])
    if len(starts) < limit:
        seen = {s.pk for s in starts}
        starts += [
            s
            for s in Street.objects.filter(municipality=municipality, name_normalized__contains=key)[
                : limit * 2
            ]
            if s.pk not in seen
        ][: limit - len(starts)]
    return starts


def street_resolve(municipality: Municipality, text: str) -> Street | None:
    """A typed address → the street of the municipality's list it names (exact, else unique prefix)."""
    key = normalize_greek(text.split(",")[0].strip())
    key = key.rstrip("0123456789 ").strip()
    if not key:
        return None
    exact = Street.objects.filter(municipality=municipality, name_normalized=key).first()
    if exact:
        return exact
    candidates = list(Street.objects.filter(municipality=municipality, name_normalized__startswith=key)[:2])
    return candidates[0] if len(candidates) == 1 else None


def report_departments(municipality: Municipality, user: Any) -> QuerySet[Department]:
    """The departments whose reports ``user`` handles (``capabilities.handles_department``).

    Every department with ``reports.all_departments``; else their own and the offices under it.
    """
    qs = Department.objects.filter(municipality=municipality)
    if has_capability(user, Capability.REPORTS_ALL_DEPARTMENTS):
        return qs
    own = getattr(user, "department_id", None)
    if own is None or not has_capability(user, Capability.REPORTS_HANDLE):
        return qs.none()
    return qs.filter(Q(pk=own) | Q(parent_id=own))


def report_assignees(municipality: Municipality, department: Department | None) -> QuerySet[Any]:
    """Active staff who may handle reports of ``department`` (``capabilities.may_handle_report``)."""
    handle = [role for role, caps in ROLE_CAPABILITIES.items() if Capability.REPORTS_HANDLE in caps]
    everywhere = [
        role for role, caps in ROLE_CAPABILITIES.items() if Capability.REPORTS_ALL_DEPARTMENTS in caps
    ]
    scope = Q(role__in=everywhere)
    if department is not None:
        scope |= Q(role__in=handle, department_id__in=[department.pk, department.parent_id])
    return (
        get_user_model()
        .objects.filter(municipality=municipality, is_active=True)
        .filter(scope)
        .order_by("last_name", "first_name")
    )


def staff_queue(municipality: Municipality, filters: dict[str, Any]) -> QuerySet[Report]:
    """The reports queue of ``filters["user"]``: only the departments they handle."""
    from django.utils import timezone

    qs = Report.objects.filter(municipality=municipality, is_public=True).select_related(
        "category", "unit", "department", "external_body", "assigned_to", "municipality"
    )
    user = filters.get("user")
    if not has_capability(user, Capability.REPORTS_ALL_DEPARTMENTS):
        qs = qs.filter(department__in=report_departments(municipality, user))
    if filters.get("department"):
        qs = qs.filter(department_id=filters["department"])
    if filters.get("status") == "open":
        qs = qs.filter(is_open=True)
    elif filters.get("status") == "closed":
        qs = qs.filter(is_open=False)
    elif filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("overdue"):
        qs = qs.filter(is_open=True, deadline__lt=timezone.localdate())
    if filters.get("mine") and filters.get("user"):
        qs = qs.filter(assigned_to=filters["user"])
    return qs.order_by("-priority", "deadline", "-created_at")
