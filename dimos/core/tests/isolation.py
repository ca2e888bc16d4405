from __future__ import annotations

from typing import Any

from dimos.core.isolation import IsolationCase


def cases(ctx: Any) -> list[IsolationCase]:
    """Core staff pages: the staff home lists Serres' units and departments."""
    return [
        IsolationCase("core:staff_home", marker=ctx.serres_department.name_el),
        IsolationCase("core-api:api_departments", marker=ctx.serres_department.name_el),
    ]
