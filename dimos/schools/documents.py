"""PDF and XLSX documents: the funding proposal, label sheets, loan agreements."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from dimos.core import pdf
from dimos.schools.constants import BorrowerKind, PriorityRule
from dimos.schools.models import Asset, Loan, ProposalVersion
from dimos.schools.planning import fmt_eur


def breakdown(version: ProposalVersion) -> dict[str, Any]:
    """Per-school and per-category totals of a version (funded quantities and amounts)."""
    per_school: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"gap": 0, "quantity": 0, "amount": Decimal("0")}
    )
    per_category: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"gap": 0, "quantity": 0, "amount": Decimal("0"), "need": Decimal("0")}
    )
    lines = list(version.lines.select_related("school", "category", "model").order_by("rank"))
    for ln in lines:
        s = per_school[ln.school.name]
        s["gap"] += ln.gap
        s["quantity"] += ln.quantity
        s["amount"] += ln.amount
        c = per_category[ln.category.name]
        c["gap"] += ln.gap
        c["quantity"] += ln.quantity
        c["amount"] += ln.amount
        c["need"] += ln.unit_price * ln.gap
    return {
        "lines": lines,
        "schools": sorted(per_school.items(), key=lambda kv: -kv[1]["amount"]),
        "categories": sorted(per_category.items()),
    }


def _lang() -> str:
    """The PDF's language: the page's (Greek unless the person reads English)."""
    return "en" if (get_language() or "el").startswith("en") else "el"


def proposal_pdf(version: ProposalVersion) -> bytes:
    proposal = version.proposal
    data = breakdown(version)
    categories = [
        {
            "name": name,
            "gap": c["gap"],
            "quantity": c["quantity"],
            "need": fmt_eur(c["need"]),
            "amount": fmt_eur(c["amount"]),
        }
        for name, c in data["categories"]
    ]
    schools = [
        {"name": name, "gap": s["gap"], "quantity": s["quantity"], "amount": fmt_eur(s["amount"])}
        for name, s in data["schools"]
    ]
    funded = [ln for ln in data["lines"] if ln.quantity]
    rest = [ln for ln in data["lines"] if not ln.quantity]
    lines = [
        {
            "rank": ln.rank,
            "school": ln.school.name,
            "category": ln.category.name,
            "required": ln.required,
            "have": ln.have,
            "gap": ln.gap,
            "quantity": ln.quantity,
            "amount": fmt_eur(ln.amount),
            "explanation": ln.explanation,
        }
        for ln in funded
    ]
    unfunded = [
        {
            "rank": ln.rank,
            "school": ln.school.name,
            "category": ln.category.name,
            "gap": ln.gap,
            "cost": fmt_eur(ln.unit_price * ln.gap),
        }
        for ln in rest
    ]
    return pdf.render_pdf(
        "schools/pdf/proposal.html",
        {
            "proposal": proposal,
            "version": version,
            "school_year_end": version.school_year + 1,
            "today": formats.date_format(timezone.localdate(), "j/n/Y"),
            "summary": [
                (_("Συνολική ανάγκη κατά τα πρότυπα"), fmt_eur(version.total_need)),
                (_("Προϋπολογισμός (ανώτατο όριο)"), fmt_eur(version.budget_cap)),
                (_("Ποσό πρότασης"), fmt_eur(version.total_funded)),
                (_("Κανόνας προτεραιότητας"), str(PriorityRule(version.rule).label)),
            ],
            "categories": categories,
            "category_totals": {
                "gap": sum(c["gap"] for _n, c in data["categories"]),
                "quantity": sum(c["quantity"] for _n, c in data["categories"]),
                "need": fmt_eur(version.total_need),
                "amount": fmt_eur(version.total_funded),
            },
            "schools": schools,
            "lines": lines,
            "unfunded": unfunded,
            "unfunded_cost": fmt_eur(sum(ln.unit_price * ln.gap for ln in rest)),
        },
        municipality=proposal.municipality,
        title=proposal.title,
        subtitle=_("Διεύθυνση Παιδείας · Πρόταση ψηφιακού εξοπλισμού σχολείων"),
        lang=_lang(),
    )


def proposal_xlsx(version: ProposalVersion) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    data = breakdown(version)
    wb = Workbook()
    ws = wb.active
    ws.title = _("Γραμμές")[:31]
    head = [
        _("Α/Α"),
        _("Σχολείο"),
        _("Κατηγορία"),
        _("Μοντέλο"),
        _("Μαθητές"),
        _("Απαιτούμενα"),
        _("Υπάρχοντα"),
        _("Κενό"),
        _("Τιμή μονάδας"),
        _("Πρόταση (τεμ.)"),
        _("Ποσό"),
        _("Αιτιολόγηση"),
    ]
    ws.append(head)
    for ln in data["lines"]:
        ws.append(
            [
                ln.rank,
                ln.school.name,
                ln.category.name,
                str(ln.model),
                ln.pupils,
                ln.required,
                ln.have,
                ln.gap,
                float(ln.unit_price),
                ln.quantity,
                float(ln.amount),
                ln.explanation,
            ]
        )
    ws2 = wb.create_sheet(_("Ανά σχολείο")[:31])
    ws2.append([_("Σχολείο"), _("Κενό (τεμ.)"), _("Πρόταση (τεμ.)"), _("Ποσό")])
    for name, s in data["schools"]:
        ws2.append([name, s["gap"], s["quantity"], float(s["amount"])])
    ws3 = wb.create_sheet(_("Ανά κατηγορία")[:31])
    ws3.append([_("Κατηγορία"), _("Κενό (τεμ.)"), _("Πρόταση (τεμ.)"), _("Ανάγκη"), _("Ποσό")])
    for name, c in data["categories"]:
        ws3.append([name, c["gap"], c["quantity"], float(c["need"]), float(c["amount"])])
    ws3.append([_("Προϋπολογισμός"), None, None, None, float(version.budget_cap)])
    for sheet in (ws, ws2, ws3):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    for col, width in zip("ABCDEFGHIJKL", (6, 40, 22, 30, 9, 12, 11, 8, 13, 14, 13, 90), strict=True):
        ws.column_dimensions[col].width = width
    ws2.column_dimensions["A"].width = 40
    ws3.column_dimensions["A"].width = 30
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def labels_pdf(assets: list[Asset], *, municipality: Any, base_url: str) -> bytes:
    """A4 sheets of 3 × 8 labels: QR to the asset's page, tag, model, school."""
    labels = []
    for a in assets:
        url = f"{base_url}{a.pk}/"
        labels.append(
            {
                "tag": a.tag,
                "model": str(a.model),
                "school": a.school.name if a.school else "",
                "url": url,
                "qr": pdf.qr_data_uri(url),
            }
        )
    return pdf.render_pdf(
        "schools/pdf/labels.html",
        {"rows": [([*labels[i : i + 3], None, None])[:3] for i in range(0, len(labels), 3)]},
        municipality=municipality,
        title=_("Ετικέτες παγίων"),
        subtitle=_("Ετικέτες παγίων σχολείων"),
        lang=_lang(),
    )


def loan_agreement_pdf(loan: Loan) -> bytes:
    asset = loan.asset
    d = lambda v: formats.date_format(v, "SHORT_DATE_FORMAT")  # noqa: E731
    rows = [
        (_("Σχολείο"), loan.school.name),
        (_("Εξοπλισμός"), f"{asset.model} ({asset.model.category})"),
        (_("Αριθμός ετικέτας"), asset.tag),
        (_("Σειριακός αριθμός"), asset.serial or "—"),
        (_("Δανειζόμενος/η"), f"{loan.borrower_name} ({BorrowerKind(loan.borrower_kind).label})"),
    ]
    if loan.borrower_kind == BorrowerKind.PUPIL:
        rows += [
            (_("Τάξη/τμήμα"), loan.pupil_class or "—"),
            (_("Κηδεμόνας"), loan.guardian_name),
            (
                _("Συγκατάθεση κηδεμόνα"),
                _("Ναι, καταχωρίστηκε στις %(d)s") % {"d": d(timezone.localtime(loan.consent_recorded_at))},
            ),
        ]
    rows += [(_("Έναρξη"), d(loan.start_date)), (_("Επιστροφή έως"), d(loan.due_date))]
    return pdf.render_pdf(
        "schools/pdf/loan_agreement.html",
        {"loan": loan, "rows": rows},
        municipality=loan.school.municipality,
        title=_("Συμφωνητικό δανεισμού εξοπλισμού αρ. %(n)s") % {"n": loan.pk},
        subtitle=loan.school.name,
        lang=_lang(),
    )
