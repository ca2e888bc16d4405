from __future__ import annotations

from typing import Any

from dimos.core.isolation import IsolationCase


def cases(ctx: Any) -> list[IsolationCase]:
    """Core staff pages: the staff home lists units, the audit page events."""
    from dimos.core.models import AuditEvent, MunicipalUnit

    AuditEvent.objects.create(municipality=ctx.serres, action="serres.isolation-marker")
    unit = MunicipalUnit.objects.create(
        municipality=ctx.serres,
        name_el="Ενότητα-δείκτης Σερρών",
        name_en="Marker unit",
        boundary=ctx.serres.boundary,
    )
    return [
        IsolationCase("core:audit_log", marker="serres.isolation-marker"),
        IsolationCase("core:staff_home", marker=unit.name_el),
        IsolationCase("core-api:api_departments", marker=ctx.serres_department.name_el),
    ]
