"""Isolation cases for every staff URL of the reports app (see dimos/core/isolation.py)."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from dimos.core.isolation import IsolationCase


def cases(ctx: Any) -> list[IsolationCase]:
    from PIL import Image

    from dimos.reports.demo import seed_categories
    from dimos.reports.services import Reporter, open311_client_issue, report_submit

    categories = seed_categories(ctx.serres)
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(buffer, format="JPEG")
    report = report_submit(
        municipality=ctx.serres,
        category=categories["street-light"],
        lat=41.0857,
        lon=23.5480,
        description="Μοναδικό κείμενο isolation αναφοράς Σερρών",
        reporter=Reporter(user=ctx.alice, name="Άλκηστις Δοκιμή"),
        photos=[SimpleUploadedFile("p.jpg", buffer.getvalue(), content_type="image/jpeg")],
    )
    # The walk's staff of every role work in ``serres_department``: the report is that department's.
    report.department = ctx.serres_department
    report.save(update_fields=["department"])
    photo = report.photos.get()
    client, _ = open311_client_issue(municipality=ctx.serres, name="Εφαρμογή-Σερρών-isolation")
    return [
        IsolationCase("reports:queue", query="?status=", marker=f">{report.reference}<"),
        IsolationCase("reports:queue_map_data", query="?status=", marker=f'"ref": "{report.reference}"'),
        IsolationCase("reports:keys", marker=client.name),
        IsolationCase("reports:keys", method="POST", data={"action": "issue", "name": "Εφαρμογή walk"}),
        IsolationCase("reports:staff_detail", {"pk": report.pk}, marker=report.description),
        IsolationCase("reports:staff_photo", {"pk": report.pk, "photo_pk": photo.pk, "size": "thumb"}),
        IsolationCase(
            "reports:staff_detail",
            {"pk": report.pk},
            method="POST",
            data={"action": "transition", "status": "fixed", "comment": "x", "public": "on"},
        ),
        IsolationCase(
            "reports:assign",
            {"pk": report.pk},
            method="POST",
            data={"department": ctx.serres_department.pk, "assignee": ""},
        ),
        IsolationCase(
            "reports:public_text",
            {"pk": report.pk},
            method="POST",
            data={"public_description": "Σβηστή λάμπα", "public_address": ""},
        ),
    ]
