"""PDFs in Greek: the receipt of an application, issued documents, the register book.

Each is an HTML template under ``services/pdf/`` rendered as tagged PDF/UA-1 by
``dimos.core.pdf.render_pdf`` (structure tree, ``/Lang el``, embedded fonts).
"""

from __future__ import annotations

from typing import Any

from django.template import Context, Template, TemplateSyntaxError
from django.utils import timezone

from dimos.core.pdf import greek_upper, qr_data_uri, render_pdf
from dimos.eservices.codes import code_display
from dimos.eservices.fields import field_type
from dimos.eservices.forms import display_value, field_specs

DATE = "%d/%m/%Y"


def document_context(application: Any, *, protocol_label: str, issued_at: Any) -> dict[str, Any]:
    """What a service's ``document_template`` may use.

    The municipality's name comes in the three cases a sentence needs
    (``municipality``, ``municipality_genitive``, ``municipality_accusative``).
    Names of people are never inflected: the document prints them as labelled
    fields (``person_rows``), and the sentences refer to «το πρόσωπο».
    """
    citizen = application.citizen
    municipality = application.municipality
    data = {}
    for spec in field_specs(application.service):
        if not field_type(spec["type"]).stores_files:
            data[spec["name"]] = display_value(spec, application.data.get(spec["name"]))
    answers = application.data or {}
    father = citizen.father_name or str(answers.get("father_name") or "")
    mother = citizen.mother_name or str(answers.get("mother_name") or "")
    return {
        "citizen_name": citizen.get_full_name(),
        "father_name": father,
        "mother_name": mother,
        "birth_year": citizen.birth_year or "",
        "data": data,
        "protocol": protocol_label,
        "application_protocol": application.protocol_label,
        "submitted": timezone.localtime(application.submitted_at).strftime(DATE)
        if application.submitted_at
        else "",
        "date": timezone.localtime(issued_at).strftime(DATE),
        "municipality": municipality.name_el,
        "municipality_genitive": municipality.name_genitive,
        "municipality_accusative": municipality.name_accusative,
        "service": application.service.title_el,
    }


def render_document_text(template_text: str, context: dict[str, Any]) -> str:
    try:
        return Template(template_text).render(Context(context, autoescape=False)).strip()
    except TemplateSyntaxError:
        return template_text


def signatory(application: Any) -> dict[str, str]:
    """Who signs: the department's configured signatory (name and capacity)."""
    department = application.department
    if department is None:
        return {"name": "", "capacity": ""}
    return {
        "name": department.signatory_name,
        "capacity": department.signatory_capacity or department.name_el,
    }


def issued_document_pdf(
    *, application: Any, title: str, protocol_label: str, issued_at: Any, code: str, verify_url: str
) -> bytes:
    ctx = document_context(application, protocol_label=protocol_label, issued_at=issued_at)
    body = render_document_text(application.service.document_template, ctx)
    person = [("Ονοματεπώνυμο", ctx["citizen_name"])]
    if ctx["father_name"]:
        person.append(("Πατρώνυμο", ctx["father_name"]))
    if ctx["mother_name"]:
        person.append(("Μητρώνυμο", ctx["mother_name"]))
    return render_pdf(
        "services/pdf/document.html",
        {
            "heading": greek_upper(title),
            "protocol_line": f"{protocol_label} — {ctx['date']}",
            "person": person,
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "signatory": signatory(application),
            "code": code_display(code),
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url),
        },
        municipality=application.municipality,
        title=title,
        subtitle=title,
    )


def receipt_pdf(*, application: Any, deadline_text: str, next_steps: str) -> bytes:
    service = application.service
    submitted = timezone.localtime(application.submitted_at)
    rows = [
        ("Αριθμός πρωτοκόλλου", application.protocol_label),
        ("Ημερομηνία και ώρα υποβολής", f"{submitted:%d/%m/%Y %H:%M}"),
        ("Υπηρεσία", service.title_el),
        ("Αιτών/ούσα", application.citizen.get_full_name()),
        ("Αρμόδια υπηρεσία", application.department.name_el if application.department else "—"),
        ("Προθεσμία απάντησης", deadline_text),
    ]
    for spec in field_specs(service):
        if not field_type(spec["type"]).stores_files:
            rows.append(
                (spec.get("label_el", spec["name"]), display_value(spec, application.data.get(spec["name"])))
            )
    rows.append(("Συνημμένα", ", ".join(a.filename for a in application.attachments.all()) or "—"))
    return render_pdf(
        "services/pdf/receipt.html",
        {"rows": rows, "next_steps": next_steps},
        municipality=application.municipality,
        title="Απόδειξη κατάθεσης αίτησης",
        subtitle="Απόδειξη κατάθεσης αίτησης",
    )


def register_pdf(*, municipality: Any, entries: list[Any], start: Any, end: Any) -> bytes:
    rows = [
        {
            "label": e.label,
            "when": f"{timezone.localtime(e.registered_at):%d/%m/%Y %H:%M}",
            "direction": "Εισερχόμενο" if e.direction == "in" else "Εξερχόμενο",
            "subject": e.subject,
            "correspondent": e.correspondent,
            "status": f"ΑΚΥΡΩΘΗΚΕ: {e.void_reason}" if e.voided else "",
        }
        for e in entries
    ]
    title = f"Βιβλίο πρωτοκόλλου {start:%d/%m/%Y} – {end:%d/%m/%Y}"
    return render_pdf(
        "services/pdf/register.html",
        {"rows": rows},
        municipality=municipality,
        title=title,
        subtitle="Βιβλίο πρωτοκόλλου",
        landscape=True,
    )
