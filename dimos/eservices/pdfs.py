"""PDFs in Greek: the receipt of an application, issued documents, the register book."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from dimos.core.pdf import build_pdf, greek_upper, styles, table
from dimos.core.qr import qr_flowable
from dimos.eservices.codes import code_display
from dimos.eservices.fields import field_type
from dimos.eservices.forms import display_value, field_specs


def _p(text: str, style: Any) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def document_context(application: Any, *, protocol_label: str, issued_at: Any) -> dict[str, Any]:
    citizen = application.citizen
    data = {}
    for spec in field_specs(application.service):
        if not field_type(spec["type"]).stores_files:
            data[spec["name"]] = display_value(spec, application.data.get(spec["name"]))
    return {
        "citizen_name": citizen.get_full_name(),
        "father_name": citizen.father_name,
        "mother_name": citizen.mother_name,
        "birth_year": citizen.birth_year or "",
        "data": data,
        "protocol": protocol_label,
        "application_protocol": application.protocol_label,
        "submitted": timezone.localtime(application.submitted_at).strftime("%d/%m/%Y")
        if application.submitted_at
        else "",
        "date": timezone.localtime(issued_at).strftime("%d/%m/%Y"),
        "municipality": application.municipality.name_el,
        "service": application.service.title_el,
    }


def render_document_text(template_text: str, context: dict[str, Any]) -> str:
    try:
        return Template(template_text).render(Context(context, autoescape=False)).strip()
    except TemplateSyntaxError:
        return template_text


def issued_document_pdf(
    *, application: Any, title: str, protocol_label: str, issued_at: Any, code: str, verify_url: str
) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    st = styles()
    municipality = application.municipality
    ctx = document_context(application, protocol_label=protocol_label, issued_at=issued_at)
    local = timezone.localtime(issued_at)
    head = Table(
        [
            [
                _p("", st["Normal"]),
                _p(f"Ημερομηνία: {local:%d/%m/%Y}", st["Right"]),
            ],
            [_p("", st["Normal"]), _p(f"Αρ. Πρωτ.: {protocol_label}", st["Right"])],
        ],
        colWidths=[90 * mm, 84 * mm],
    )
    story: list[Any] = [head, Spacer(1, 8 * mm), _p(greek_upper(title), st["Title"]), Spacer(1, 4 * mm)]
    body = render_document_text(application.service.document_template, ctx)
    for paragraph in body.split("\n\n"):
        story += [_p(paragraph.strip(), st["Normal"]), Spacer(1, 3 * mm)]
    story += [
        Spacer(1, 8 * mm),
        _p(
            f"Με εντολή Δημάρχου\nΓια την υπηρεσία: {application.department.name_el if application.department else ''}",
            st["Right"],
        ),
        Spacer(1, 12 * mm),
    ]
    qr = Table(
        [
            [
                qr_flowable(verify_url, size_mm=30),
                _p(
                    "Επαλήθευση γνησιότητας\n"
                    f"Κωδικός: {code_display(code)}\n{verify_url}\n"
                    "Σαρώστε τον κωδικό QR ή επισκεφθείτε τη διεύθυνση για να δείτε αν το έγγραφο ισχύει.",
                    st["Small"],
                ),
            ]
        ],
        colWidths=[36 * mm, 138 * mm],
    )
    qr.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(qr)
    return build_pdf(story, municipality=municipality, title=title, subtitle=title)


def receipt_pdf(*, application: Any, deadline_text: str, next_steps: str) -> bytes:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    st = styles()
    service = application.service
    submitted = timezone.localtime(application.submitted_at)
    rows = [
        ["Αριθμός πρωτοκόλλου", application.protocol_label],
        ["Ημερομηνία και ώρα υποβολής", f"{submitted:%d/%m/%Y %H:%M}"],
        ["Υπηρεσία", service.title_el],
        ["Αιτών/ούσα", application.citizen.get_full_name()],
        ["Αρμόδια υπηρεσία", application.department.name_el if application.department else "—"],
        ["Προθεσμία απάντησης", deadline_text],
    ]
    for spec in field_specs(service):
        if not field_type(spec["type"]).stores_files:
            rows.append(
                [spec.get("label_el", spec["name"]), display_value(spec, application.data.get(spec["name"]))]
            )
    names = ", ".join(a.filename for a in application.attachments.all()) or "—"
    rows.append(["Συνημμένα", names])
    wrapped = [[_p(str(a), st["Small"]), _p(str(b), st["Small"])] for a, b in rows]
    story = [
        _p("ΑΠΟΔΕΙΞΗ ΚΑΤΑΘΕΣΗΣ ΑΙΤΗΣΗΣ", st["Title"]),
        table(wrapped, col_widths=[60 * mm, 114 * mm], header=False),
        Spacer(1, 6 * mm),
        _p("Τι ακολουθεί", st["Heading"]),
        _p(next_steps, st["Normal"]),
    ]
    return build_pdf(
        story,
        municipality=application.municipality,
        title="Απόδειξη κατάθεσης",
        subtitle="Απόδειξη κατάθεσης αίτησης",
    )


def register_pdf(*, municipality: Any, entries: list[Any], start: Any, end: Any) -> bytes:
    from reportlab.lib.units import mm

    st = styles()
    rows: list[list[Any]] = [
        ["Αριθμός", "Ημ/νία και ώρα", "Κατ.", "Θέμα", "Αποστολέας / παραλήπτης", "Κατάσταση"]
    ]
    for e in entries:
        rows.append(
            [
                e.label,
                f"{timezone.localtime(e.registered_at):%d/%m/%Y %H:%M}",
                "ΕΙΣ" if e.direction == "in" else "ΕΞ",
                _p(e.subject, st["Small"]),
                _p(e.correspondent, st["Small"]),
                _p(f"ΑΚΥΡΩΘΗΚΕ: {e.void_reason}" if e.voided else "", st["Small"]),
            ]
        )
    title = f"Βιβλίο πρωτοκόλλου {start:%d/%m/%Y} – {end:%d/%m/%Y}"
    story = [
        _p(title, st["Title"]),
        table(rows, col_widths=[22 * mm, 32 * mm, 12 * mm, 100 * mm, 60 * mm, 35 * mm]),
    ]
    return build_pdf(
        story, municipality=municipality, title=title, subtitle="Βιβλίο πρωτοκόλλου", landscape=True
    )
