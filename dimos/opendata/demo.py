"""Demo: build every dataset of the demo municipalities and schedule the hourly builds."""

from __future__ import annotations

from typing import Any

from dimos.core.models import Municipality, Task
from dimos.core.tasks import task_enqueue
from dimos.opendata.services import datasets_build_all


def seed(ctx: Any) -> None:
    for municipality in Municipality.objects.filter(slug__in=[ctx.serres.slug, ctx.neighbour.slug]):
        datasets_build_all(municipality=municipality)
    if not Task.objects.filter(name="opendata.build", status="pending").exists():
        task_enqueue("opendata.build", {})
    ctx.lines.append("  open data: /opendata/ · CKAN /api/3/action/package_list · DCAT /opendata/catalog")
