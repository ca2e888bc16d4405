from __future__ import annotations

from django.db.models import QuerySet

from dimos.core.models import AuditEvent, Department, Municipality, MunicipalUnit


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
