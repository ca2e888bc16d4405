from __future__ import annotations

from collections.abc import Hashable

from django.db.models import QuerySet

from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit
from dimos.core.pagecache import data_version, db_version


def municipality_list_public() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).order_by("name_el")


def unit_list(*, municipality: Municipality) -> QuerySet[MunicipalUnit]:
    return MunicipalUnit.objects.filter(municipality=municipality).order_by("name_el")


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return Department.objects.filter(municipality=municipality).select_related("parent").order_by("name_el")


def audit_event_list(
    *, municipality: Municipality, action: str = "", object_type: str = ""
) -> QuerySet[AuditEvent]:
    """The municipality's audit trail, newest first (the staff audit page)."""
    qs = AuditEvent.objects.filter(municipality=municipality).select_related("actor")
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs.order_by("-created_at", "-pk")


AUDIT_ROW_FIELDS = (
    "created_at",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "actor__first_name",
    "actor__last_name",
    "actor__username",
)


def audit_event_rows(*, municipality: Municipality, action: str = "") -> QuerySet:
    """Plain tuples for the audit list page (no model instances per row)."""
    return audit_event_list(municipality=municipality, action=action).values_list(*AUDIT_ROW_FIELDS)


# --- Versions of staff pages (dimos/core/pagecache.py) ---------------------------


def audit_version(*, municipality: Municipality) -> Hashable:
    """The newest event of the trail: any new event changes every page of it."""
    return data_version(
        "audit",
        municipality.pk,
        lambda: db_version(
            f"SELECT id FROM {AuditEvent._meta.db_table} WHERE municipality_id = %s "  # noqa: S608
            "ORDER BY created_at DESC, id DESC LIMIT 1",
            [municipality.pk],
        ),
    )


def department_version(*, municipality: Municipality) -> Hashable:
    """Count and newest change of the departments (the count catches deletions)."""
    return data_version(
        "departments",
        municipality.pk,
        lambda: db_version(
            f"SELECT COUNT(*), MAX(updated_at) FROM {Department._meta.db_table} WHERE municipality_id = %s",  # noqa: S608
            [municipality.pk],
        ),
    )


def structure_version(*, municipality: Municipality) -> Hashable:
    """Departments and municipal units together (the staff home page)."""
    return data_version(
        "structure",
        municipality.pk,
        lambda: db_version(
            f"SELECT (SELECT COUNT(*) FROM {Department._meta.db_table} WHERE municipality_id = %s), "  # noqa: S608
            f"(SELECT COUNT(*) FROM {MunicipalUnit._meta.db_table} WHERE municipality_id = %s), "
            f"(SELECT MAX(updated_at) FROM {MunicipalUnit._meta.db_table} WHERE municipality_id = %s)",
            [municipality.pk] * 3,
        ),
    )
