from __future__ import annotations

from django.db.models import QuerySet

from dimos.core.models import Department, Municipality, MunicipalUnit


def municipality_list_public() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).order_by("name_el")


def unit_list(*, municipality: Municipality) -> QuerySet[MunicipalUnit]:
    return MunicipalUnit.objects.filter(municipality=municipality).order_by("name_el")


def department_list(*, municipality: Municipality) -> QuerySet[Department]:
    return Department.objects.filter(municipality=municipality).select_related("parent").order_by("name_el")
