"""PDF and XLSX documents: the funding proposal, label sheets, loan agreements."""

from __future__ import annotations

import io
from collections import defaultdict
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
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


def _grid(
    rows: list[list[Any]], widths: list[float], *, numeric: tuple[int, ...] = (), header: bool = True
) -> Any:
    """A table whose header and text cells wrap (Paragraphs) and whose numbers align right."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, TableStyle

    st = pdf.styles()
    head = ParagraphStyle("GridHead", parent=st["Small"], fontName=pdf.FONT_BOLD, fontSize=7.5, leading=9)
    head_right = ParagraphStyle("GridHeadRight", parent=head, alignment=TA_RIGHT)
    cell = st["Small"]
    out = []
    for r, row in enumerate(rows):
        line = []
        for c, value in enumerate(row):
            if isinstance(value, str) and not (r and c in numeric):
                style = (head_right if c in numeric else head) if (header and r == 0) else cell
                value = Paragraph(escape(value), style)
            line.append(value)
        out.append(line)
    table = pdf.table(out, col_widths=widths, header=header)
    table.setStyle(TableStyle([("ALIGN", (c, 1 if header else 0), (c, -1), "RIGHT") for c in numeric]))
    return table


def proposal_pdf(version: ProposalVersion) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

    proposal = version.proposal
    municipality = proposal.municipality
    st = pdf.styles()
    data = breakdown(version)
    p = lambda text, style="Normal": Paragraph(escape(str(text)), st[style])  # noqa: E731
    today = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    story: list[Any] = [
        p(_("Ημερομηνία: %(d)s") % {"d": today}, "Right"),
        p(_("Διεύθυνση Παιδείας"), "Small"),
        Spacer(1, 4 * mm),
        p(proposal.title, "Title"),
        p(
            _("Πρόταση εξοπλισμού ψηφιακής εκπαίδευσης · έκδοση %(v)s · σχολικό έτος %(y)s–%(y2)s")
            % {"v": version.number, "y": version.school_year, "y2": version.school_year + 1}
        ),
    ]
    if proposal.funding_programme:
        story.append(p(_("Πρόγραμμα χρηματοδότησης: %(p)s") % {"p": proposal.funding_programme}))
    story += [
        Spacer(1, 3 * mm),
        _grid(
            [
                [_("Συνολική ανάγκη κατά τα πρότυπα"), fmt_eur(version.total_need)],
                [_("Προϋπολογισμός (ανώτατο όριο)"), fmt_eur(version.budget_cap)],
                [_("Ποσό πρότασης"), fmt_eur(version.total_funded)],
                [_("Κανόνας προτεραιότητας"), str(PriorityRule(version.rule).label)],
            ],
            [80 * mm, 94 * mm],
            header=False,
        ),
        Spacer(1, 3 * mm),
        p(
            _(
                "Μέθοδος: για κάθε σχολείο και κατηγορία, η απαίτηση προκύπτει από τα πρότυπα του δήμου "
                "(ανά αίθουσα, ανά εκπαιδευτικό, ανά Ν μαθητές ή ανά σχολείο)· από αυτήν αφαιρείται ο "
                "εξοπλισμός που διαθέτει ήδη το σχολείο (σε χρήση, σε αποθήκη ή δανεισμένος, εντός "
                "αναμενόμενης διάρκειας ζωής). Τα κενά κοστολογούνται με τις τιμές του καταλόγου και "
                "ταξινομούνται με τον κανόνα προτεραιότητας· ο προϋπολογισμός διατίθεται με τη σειρά αυτή."
            ),
            "Small",
        ),
        p(_("Ανάλυση ανά κατηγορία"), "Heading"),
    ]
    rows = [[_("Κατηγορία"), _("Κενό (τεμ.)"), _("Πρόταση (τεμ.)"), _("Ανάγκη"), _("Ποσό πρότασης")]]
    for name, c in data["categories"]:
        rows.append([name, c["gap"], c["quantity"], fmt_eur(c["need"]), fmt_eur(c["amount"])])
    rows.append(
        [
            _("Σύνολο"),
            sum(c["gap"] for _n, c in data["categories"]),
            sum(c["quantity"] for _n, c in data["categories"]),
            fmt_eur(version.total_need),
            fmt_eur(version.total_funded),
        ]
    )
    story.append(_grid(rows, [58 * mm, 22 * mm, 24 * mm, 35 * mm, 35 * mm], numeric=(1, 2, 3, 4)))
    story.append(p(_("Ανάλυση ανά σχολείο"), "Heading"))
    rows = [[_("Σχολείο"), _("Κενό (τεμ.)"), _("Πρόταση (τεμ.)"), _("Ποσό πρότασης")]]
    for name, s in data["schools"]:
        rows.append([name, s["gap"], s["quantity"], fmt_eur(s["amount"])])
    story.append(_grid(rows, [93 * mm, 22 * mm, 24 * mm, 35 * mm], numeric=(1, 2, 3)))
    funded = [ln for ln in data["lines"] if ln.quantity]
    story += [PageBreak(), p(_("Αναλυτικός πίνακας πρότασης με αιτιολόγηση προτεραιότητας"), "Heading")]
    rows = [
        [
            _("Α/Α"),
            _("Σχολείο / κατηγορία"),
            _("Απαιτ."),
            _("Υπάρχ."),
            _("Κενό"),
            _("Πρότ."),
            _("Ποσό"),
            _("Αιτιολόγηση"),
        ]
    ]
    for ln in funded:
        rows.append(
            [
                ln.rank,
                Paragraph(f"{escape(ln.school.name)}<br/>{escape(ln.category.name)}", st["Small"]),
                ln.required,
                ln.have,
                ln.gap,
                ln.quantity,
                fmt_eur(ln.amount),
                Paragraph(escape(ln.explanation), st["Small"]),
            ]
        )
    widths = [10 * mm, 40 * mm, 14 * mm, 15 * mm, 12 * mm, 13 * mm, 23 * mm, 47 * mm]
    story.append(_grid(rows, widths, numeric=(0, 2, 3, 4, 5, 6)))
    story.append(
        KeepTogether(
            [
                Spacer(1, 10 * mm),
                p(_("Ο/Η Δήμαρχος"), "Right"),
                Spacer(1, 14 * mm),
                p(_("(υπογραφή – σφραγίδα)"), "Right"),
            ]
        )
    )
    rest = [ln for ln in data["lines"] if not ln.quantity]
    if rest:
        story += [
            PageBreak(),
            p(_("Παράρτημα: ανάγκες που δεν καλύπτονται από τον προϋπολογισμό"), "Heading"),
            p(
                _("%(n)s γραμμές, συνολικού κόστους %(cost)s, με τη σειρά προτεραιότητάς τους.")
                % {"n": len(rest), "cost": fmt_eur(sum(ln.unit_price * ln.gap for ln in rest))},
                "Small",
            ),
        ]
        rows = [[_("Α/Α"), _("Σχολείο"), _("Κατηγορία"), _("Κενό"), _("Κόστος")]]
        for ln in rest:
            rows.append([ln.rank, ln.school.name, ln.category.name, ln.gap, fmt_eur(ln.unit_price * ln.gap)])
        story.append(_grid(rows, [14 * mm, 70 * mm, 50 * mm, 14 * mm, 26 * mm], numeric=(0, 3, 4)))
    return pdf.build_pdf(
        story,
        municipality=municipality,
        title=proposal.title,
        subtitle=_("Διεύθυνση Παιδείας · Πρόταση ψηφιακού εξοπλισμού σχολείων"),
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
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    from dimos.core.qr import qr_flowable

    st = pdf.styles()
    cells = []
    for a in assets:
        url = f"{base_url}{a.pk}/"
        text = Paragraph(
            f"<b>{escape(a.tag)}</b><br/>{escape(str(a.model))}<br/>{escape(a.school.name if a.school else '')}",
            st["Small"],
        )
        inner = Table([[qr_flowable(url, size_mm=21), text]], colWidths=[23 * mm, 32 * mm])
        inner.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 1)])
        )
        cells.append(inner)
    while len(cells) % 3:
        cells.append("")
    rows = [cells[i : i + 3] for i in range(0, len(cells), 3)] or [["", "", ""]]
    grid = Table(rows, colWidths=[58 * mm] * 3, rowHeights=[29 * mm] * len(rows))
    grid.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, "#b0b7bf"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return pdf.build_pdf(
        [grid], municipality=municipality, title=_("Ετικέτες παγίων"), subtitle=_("Ετικέτες παγίων σχολείων")
    )


def loan_agreement_pdf(loan: Loan) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = pdf.styles()
    p = lambda text, style="Normal": Paragraph(escape(str(text)), st[style])  # noqa: E731
    asset = loan.asset
    d = lambda v: formats.date_format(v, "SHORT_DATE_FORMAT")  # noqa: E731
    rows = [
        [_("Σχολείο"), loan.school.name],
        [_("Εξοπλισμός"), f"{asset.model} ({asset.model.category})"],
        [_("Αριθμός ετικέτας"), asset.tag],
        [_("Σειριακός αριθμός"), asset.serial or "—"],
        [_("Δανειζόμενος/η"), f"{loan.borrower_name} ({BorrowerKind(loan.borrower_kind).label})"],
    ]
    if loan.borrower_kind == BorrowerKind.PUPIL:
        rows += [
            [_("Τάξη/τμήμα"), loan.pupil_class or "—"],
            [_("Κηδεμόνας"), loan.guardian_name],
            [
                _("Συγκατάθεση κηδεμόνα"),
                _("Ναι, καταχωρίστηκε στις %(d)s") % {"d": d(timezone.localtime(loan.consent_recorded_at))},
            ],
        ]
    rows += [[_("Έναρξη"), d(loan.start_date)], [_("Επιστροφή έως"), d(loan.due_date)]]
    story = [
        p(_("Συμφωνητικό δανεισμού εξοπλισμού αρ. %(n)s") % {"n": loan.pk}, "Title"),
        pdf.table(rows, col_widths=[50 * mm, 110 * mm], header=False),
        Spacer(1, 5 * mm),
        p(_("Όροι"), "Heading"),
        p(_("1. Ο εξοπλισμός ανήκει στον δήμο και παραχωρείται αποκλειστικά για εκπαιδευτική χρήση.")),
        p(
            _(
                "2. Ο/Η δανειζόμενος/η (ή ο κηδεμόνας) φροντίζει για την καλή του κατάσταση και τον επιστρέφει έως την ημερομηνία επιστροφής, με τον φορτιστή και τα παρελκόμενά του."
            )
        ),
        p(_("3. Βλάβη ή απώλεια αναφέρεται αμέσως στη διεύθυνση του σχολείου.")),
        p(_("4. Τα προσωπικά δεδομένα του συμφωνητικού τηρούνται μόνο για τη διαχείριση του δανεισμού.")),
        Spacer(1, 14 * mm),
        pdf.table(
            [[_("Για το σχολείο"), _("Ο/Η δανειζόμενος/η ή ο/η κηδεμόνας")], ["\n\n\n", "\n\n\n"]],
            col_widths=[80 * mm, 80 * mm],
        ),
    ]
    return pdf.build_pdf(
        story,
        municipality=loan.school.municipality,
        title=_("Συμφωνητικό δανεισμού"),
        subtitle=loan.school.name,
    )
