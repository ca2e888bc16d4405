"""Every PDF of the e-services is accessible and reads as grammatical Greek.

Receipt, issued document and register book: tagged (structure tree), ``/Lang el``,
fonts embedded, Greek text extractable, the QR code with alternative text.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone

from dimos.core.models import Department
from dimos.core.testing_pdf import assert_accessible_pdf
from dimos.eservices.constants import Status
from dimos.eservices.models import Application, IssuedDocument


def _issue(alice_client: Any, app: Application) -> IssuedDocument:
    url = reverse("services:staff_application_action", args=[app.pk])
    alice_client.post(url, {"action": "transition", "to_status": "in_review"})
    # Approving a document service issues it: the clerk confirms on the summary page first.
    alice_client.post(url, {"action": "transition", "to_status": "approved", "confirmed": "1"})
    app.refresh_from_db()
    assert app.status == Status.ISSUED
    return IssuedDocument.objects.get(application=app)


def test_receipt_pdf_is_tagged_greek(citizen_client: Any, submitted: Application) -> None:
    response = citizen_client.get(reverse("services:application_receipt_pdf", args=[submitted.pk]))
    assert_accessible_pdf(
        response.content,
        lang="el",
        texts=["ΑΠΟΔΕΙΞΗ ΚΑΤΑΘΕΣΗΣ ΑΙΤΗΣΗΣ", submitted.protocol_label, "Μαρία Παπαδοπούλου", "Τι ακολουθεί"],
    )


def test_issued_document_is_tagged_grammatical_and_signed(
    alice_client: Any, citizen_client: Any, serres_department: Department, submitted: Application
) -> None:
    Department.objects.filter(pk=serres_department.pk).update(
        signatory_name="Ελένη Καραγιάννη", signatory_capacity="Η Προϊσταμένη του Τμήματος Δημοτολογίου"
    )
    document = _issue(alice_client, submitted)
    response = citizen_client.get(reverse("services:my_document", args=[submitted.pk, document.pk]))
    data = b"".join(response.streaming_content)
    date = timezone.localtime(document.issued_at).strftime("%d/%m/%Y")
    text = assert_accessible_pdf(
        data,
        lang="el",
        figures_with_alt=1,
        texts=[
            f"Αρ. πρωτ.: {document.protocol.label} — {date}",
            "ΒΕΒΑΙΩΣΗ ΜΟΝΙΜΗΣ ΚΑΤΟΙΚΙΑΣ",
            "Ονοματεπώνυμο: Μαρία Παπαδοπούλου",
            "Πατρώνυμο: Γεώργιος",
            "στην περιοχή του Δήμου Σερρών",
            f"αρ. πρωτ. {submitted.protocol_label} της",
            "Με εντολή Δημάρχου",
            "Η Προϊσταμένη του Τμήματος Δημοτολογίου",
            "Ελένη Καραγιάννη",
            f"/verify/{document.code}/",
        ],
    )
    flat = " ".join(text.split())
    # What the issue found: the father's name glued into a sentence, an uninflected
    # name, the number glued to the date.
    assert "του Δήμος" not in flat and "Παπαδοπούλου του" not in flat
    assert f"{submitted.protocol_label}/" not in flat


def test_the_qr_code_of_an_issued_document_has_alt_text_naming_the_address(
    alice_client: Any, submitted: Application
) -> None:
    import io

    from pypdf import PdfReader

    from dimos.core.testing_pdf import _walk

    document = _issue(alice_client, submitted)
    reader = PdfReader(io.BytesIO(document.pdf.read()))
    root = reader.trailer["/Root"].get_object()["/StructTreeRoot"]
    alts = [str(e.get("/Alt")) for e in _walk(root) if str(e["/S"]) == "/Figure"]
    # Issued from a page: the address is on the host (and port) the clerk used.
    assert alts == [f"Κωδικός QR επαλήθευσης: http://serres.localhost/verify/{document.code}/"]


def test_register_book_pdf_is_tagged_with_a_table(alice_client: Any, submitted: Application) -> None:
    today = timezone.localdate().isoformat()
    response = alice_client.get(reverse("services:register_pdf") + f"?start={today}&end={today}")
    assert response.status_code == 200
    assert_accessible_pdf(
        response.content,
        lang="el",
        texts=["Βιβλίο πρωτοκόλλου", submitted.protocol_label, "Εισερχόμενο", "Βεβαίωση μόνιμης κατοικίας"],
    )


def test_existing_services_with_the_shipped_texts_become_grammatical(residence: Any) -> None:
    """Migration 0007: the exact old kit text is replaced; a text the municipality edited is kept."""
    from importlib import import_module

    from django.apps import apps

    from dimos.core.bootstrap import kit_load
    from dimos.eservices.models import Service

    migration = import_module("dimos.eservices.migrations.0007_grammatical_document_texts")
    shipped = {s["slug"]: s.get("document_template", "") for s in kit_load("eservices").sections["eservices"]}
    assert all(new == shipped[slug] for slug, (_old, new) in migration.TEXTS.items())
    old, new = migration.TEXTS["monimi-katoikia"]
    assert "του {{ municipality }}" in old and "του {{ municipality_genitive }}" in new
    Service.objects.filter(pk=residence.pk).update(document_template=old)
    migration.forwards(apps, None)
    residence.refresh_from_db()
    assert residence.document_template == new
    Service.objects.filter(pk=residence.pk).update(document_template=old + " Τοπική προσθήκη.")
    migration.forwards(apps, None)
    residence.refresh_from_db()
    assert residence.document_template == old + " Τοπική προσθήκη."
