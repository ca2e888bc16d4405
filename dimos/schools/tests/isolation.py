"""Isolation cases: every staff URL of the schools app, with Serres objects, read and written.

The write cases post incomplete forms on purpose: the walks only need to know
whether the door opens (403/404 or not), and an invalid form leaves the data as
it was for the next role.
"""

from __future__ import annotations

import io
from typing import Any

from django.core.files.base import ContentFile
from PIL import Image

from dimos.core.isolation import IsolationCase
from dimos.schools.tests.factories import world


def _with_photo(repair: Any) -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, format="PNG")
    repair.photo.save("fault.png", ContentFile(out.getvalue()), save=False)
    repair.photo_type = "image/png"
    repair.save(update_fields=["photo", "photo_type"])


def cases(ctx: Any) -> list[IsolationCase]:
    w = world(ctx.serres, prefix="iso-")
    asset, school = w.asset, w.school
    _with_photo(w.repair)
    school_pk, asset_pk = {"pk": school.pk}, {"pk": asset.pk}
    return [
        IsolationCase("schools:overview", marker=school.name),
        IsolationCase("schools:my_school"),
        IsolationCase("schools:school_create"),
        IsolationCase("schools:school_create", method="POST"),
        IsolationCase("schools:school_detail", school_pk, marker=school.name),
        IsolationCase("schools:school_edit", school_pk, marker=school.name),
        IsolationCase("schools:school_edit", school_pk, method="POST"),
        IsolationCase(
            "schools:school_year", school_pk, method="POST", data={"year": 2025, "pupils": 1, "teachers": 1}
        ),
        IsolationCase("schools:labels_pdf", school_pk),
        IsolationCase("schools:audit", school_pk, marker=school.name),
        IsolationCase("schools:audit", school_pk, method="POST", data={"tags": asset.tag}),
        IsolationCase("schools:catalogue", marker=w.tablet.code),
        IsolationCase("schools:catalogue", method="POST"),
        IsolationCase("schools:standards", marker=str(w.board)),
        IsolationCase("schools:standards", method="POST"),
        IsolationCase("schools:asset_list", marker=asset.tag),
        IsolationCase("schools:asset_create"),
        IsolationCase("schools:asset_create", method="POST"),
        IsolationCase("schools:asset_import"),
        IsolationCase("schools:asset_import", method="POST"),
        IsolationCase("schools:asset_export_csv", marker=asset.serial),
        IsolationCase("schools:asset_export_xlsx"),
        IsolationCase("schools:asset_detail", asset_pk, marker=asset.tag),
        IsolationCase("schools:asset_status", asset_pk, method="POST", data={"status": "retired"}),
        IsolationCase("schools:asset_move", asset_pk, method="POST", data={"room": "X"}),
        IsolationCase("schools:loan_create", asset_pk, marker=asset.tag),
        IsolationCase("schools:loan_create", asset_pk, method="POST"),
        IsolationCase("schools:repair_report", asset_pk, marker=asset.tag),
        IsolationCase("schools:repair_report", asset_pk, method="POST"),
        IsolationCase("schools:licences", marker=w.licence.product),
        IsolationCase("schools:licences", method="POST"),
        IsolationCase("schools:licence_detail", {"pk": w.licence.pk}, marker=w.licence.product),
        IsolationCase("schools:licence_detail", {"pk": w.licence.pk}, method="POST"),
        IsolationCase("schools:proposals", marker=w.proposal.title),
        IsolationCase("schools:proposals", method="POST"),
        IsolationCase("schools:proposal_detail", {"pk": w.proposal.pk}, marker=w.proposal.title),
        IsolationCase("schools:proposal_detail", {"pk": w.proposal.pk}, method="POST"),
        IsolationCase(
            "schools:proposal_status", {"pk": w.proposal.pk}, method="POST", data={"status": "draft"}
        ),
        IsolationCase("schools:proposal_pdf", {"pk": w.proposal.pk, "number": 1}),
        IsolationCase("schools:proposal_xlsx", {"pk": w.proposal.pk, "number": 1}),
        IsolationCase("schools:order_detail", {"pk": w.order.pk}, marker=w.order.number),
        IsolationCase("schools:order_detail", {"pk": w.order.pk}, method="POST"),
        IsolationCase("schools:loans", marker=w.loan.asset.tag),
        IsolationCase("schools:loan_return", {"pk": w.loan.pk}, marker=w.loan.asset.tag),
        IsolationCase("schools:loan_return", {"pk": w.loan.pk}, method="POST"),
        IsolationCase("schools:loan_pdf", {"pk": w.loan.pk}),
        IsolationCase("schools:repairs", marker=w.repair.asset.tag),
        IsolationCase("schools:repair_detail", {"pk": w.repair.pk}, marker=w.repair.asset.tag),
        IsolationCase("schools:repair_detail", {"pk": w.repair.pk}, method="POST"),
        IsolationCase("schools:repair_photo", {"pk": w.repair.pk}),
    ]
