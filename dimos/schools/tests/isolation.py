"""Isolation cases: every staff URL of the schools app, with Serres objects."""

from __future__ import annotations

from typing import Any

from dimos.core.isolation import IsolationCase
from dimos.schools.tests.factories import world


def cases(ctx: Any) -> list[IsolationCase]:
    w = world(ctx.serres, prefix="iso-")
    asset, school = w.asset, w.school
    return [
        IsolationCase("schools:overview", marker=school.name),
        IsolationCase("schools:my_school"),
        IsolationCase("schools:school_create"),
        IsolationCase("schools:school_detail", {"pk": school.pk}, marker=school.name),
        IsolationCase("schools:school_edit", {"pk": school.pk}, marker=school.name),
        IsolationCase(
            "schools:school_year",
            {"pk": school.pk},
            method="POST",
            data={"year": 2025, "pupils": 1, "teachers": 1},
        ),
        IsolationCase("schools:labels_pdf", {"pk": school.pk}),
        IsolationCase("schools:audit", {"pk": school.pk}, marker=school.name),
        IsolationCase("schools:catalogue", marker=w.tablet.code),
        IsolationCase("schools:standards", marker=str(w.board)),
        IsolationCase("schools:asset_list", marker=asset.tag),
        IsolationCase("schools:asset_create"),
        IsolationCase("schools:asset_import"),
        IsolationCase("schools:asset_export_csv", marker=asset.serial),
        IsolationCase("schools:asset_export_xlsx"),
        IsolationCase("schools:asset_detail", {"pk": asset.pk}, marker=asset.tag),
        IsolationCase("schools:asset_status", {"pk": asset.pk}, method="POST", data={"status": "retired"}),
        IsolationCase("schools:asset_move", {"pk": asset.pk}, method="POST", data={"room": "X"}),
        IsolationCase("schools:loan_create", {"pk": asset.pk}, marker=asset.tag),
        IsolationCase("schools:repair_report", {"pk": asset.pk}, marker=asset.tag),
        IsolationCase("schools:licences", marker=w.licence.product),
        IsolationCase("schools:licence_detail", {"pk": w.licence.pk}, marker=w.licence.product),
        IsolationCase("schools:proposals", marker=w.proposal.title),
        IsolationCase("schools:proposal_detail", {"pk": w.proposal.pk}, marker=w.proposal.title),
        IsolationCase(
            "schools:proposal_status", {"pk": w.proposal.pk}, method="POST", data={"status": "draft"}
        ),
        IsolationCase("schools:proposal_pdf", {"pk": w.proposal.pk, "number": 1}),
        IsolationCase("schools:proposal_xlsx", {"pk": w.proposal.pk, "number": 1}),
        IsolationCase("schools:order_detail", {"pk": w.order.pk}, marker=w.order.number),
        IsolationCase("schools:loans", marker=w.loan.asset.tag),
        IsolationCase("schools:loan_return", {"pk": w.loan.pk}, marker=w.loan.asset.tag),
        IsolationCase("schools:loan_pdf", {"pk": w.loan.pk}),
        IsolationCase("schools:repairs", marker=w.repair.asset.tag),
        IsolationCase("schools:repair_detail", {"pk": w.repair.pk}, marker=w.repair.asset.tag),
        IsolationCase("schools:repair_photo", {"pk": w.repair.pk}, method="POST"),
    ]
