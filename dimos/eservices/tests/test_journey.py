"""The citizen journey through the pages, bad input included."""

from __future__ import annotations

from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dimos.core.models import Notification
from dimos.core.tasks import tasks_run_pending
from dimos.eservices.constants import ATTACHMENT_MAX_BYTES, Status
from dimos.eservices.models import Application, Attachment, ProtocolEntry

from .conftest import PDF_BYTES, pdf_upload

FORM = {
    "father_name": "Γεώργιος",
    "address": "Μεραρχίας 12, 621 23 Σέρρες",
    "address__lat": "",
    "address__lon": "",
    "since": "2015-03-01",
    "purpose": "bank",
}


def _start(client: Any, slug: str = "monimi-katoikia") -> Application:
    response = client.post(reverse("services:apply", args=[slug]))
    assert response.status_code == 302
    return Application.objects.latest("pk")


def test_catalogue_lists_local_services_and_gov_gr_links(anon_client: Any, catalogue: Any) -> None:
    page = anon_client.get(reverse("services:catalogue")).content.decode()
    for title in [
        "Βεβαίωση μόνιμης κατοικίας",
        "Άδεια κατάληψης κοινόχρηστου χώρου",
        "Κάρτα στάθμευσης μόνιμου κατοίκου",
        "Αποκομιδή ογκωδών αντικειμένων",
        "Δημοτική ενημερότητα",
        "Βεβαίωση εγγραφής στο δημοτολόγιο",
    ]:
        assert title in page
    assert "https://www.gov.gr/" in page
    detail = anon_client.get(reverse("services:service_detail", args=["monimi-katoikia"]))
    assert "ν. 3463/2006" in detail.content.decode()
    assert anon_client.get(reverse("services:service_detail", args=["nope"])).status_code == 404


def test_applying_needs_sign_in(anon_client: Any, catalogue: Any) -> None:
    response = anon_client.post(reverse("services:apply", args=["monimi-katoikia"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert anon_client.get(reverse("services:my_applications")).status_code == 302


def test_external_service_cannot_be_applied_for(citizen_client: Any, catalogue: Any) -> None:
    response = citizen_client.post(reverse("services:apply", args=["gov-gennisi"]), follow=True)
    assert "gov.gr" in response.content.decode()
    assert not Application.objects.exists()


def test_full_journey_draft_attach_review_submit_receipt(
    citizen_client: Any, citizen: Any, catalogue: Any
) -> None:
    app = _start(citizen_client)
    edit = reverse("services:application_edit", args=[app.pk])
    page = citizen_client.get(edit).content.decode()
    assert "090000045" in page  # ΑΦΜ prefilled from the verified identity (and locked)
    # Locked identity answers read as text with their source, never as inputs that look editable.
    assert 'name="afm"' not in page and 'name="full_name"' not in page
    assert page.count("από το TaxisNet, δεν αλλάζει εδώ") == 2 and 'name="father_name"' in page
    # Draft save keeps partial data, no required-field errors.
    response = citizen_client.post(edit, {"save": "1", "father_name": "Γεώργιος"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.data["father_name"] == "Γεώργιος" and app.status == Status.DRAFT
    # Continue with everything and an attachment.
    response = citizen_client.post(edit, {**FORM, "continue": "1", "proof": pdf_upload()})
    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"].endswith("/review/")
    assert Attachment.objects.get(application=app).content_type == "application/pdf"
    review = citizen_client.get(reverse("services:application_review", args=[app.pk])).content.decode()
    assert "Μεραρχίας 12" in review and "bill.pdf" in review
    response = citizen_client.post(reverse("services:application_review", args=[app.pk]))
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.protocol.number == 1 and app.deadline
    receipt = citizen_client.get(reverse("services:application_receipt", args=[app.pk])).content.decode()
    assert app.protocol_label in receipt and "Τι ακολουθεί" in receipt
    pdf = citizen_client.get(reverse("services:application_receipt_pdf", args=[app.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    # The receipt e-mail goes out through the task worker.
    tasks_run_pending()
    assert any(app.protocol_label in m.subject for m in mail.outbox)
    assert Notification.objects.filter(key="services.submitted").count() == 1
    mine = citizen_client.get(reverse("services:my_applications")).content.decode()
    assert app.protocol_label in mine


def test_double_submit_gives_one_number(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    citizen_client.post(
        reverse("services:application_edit", args=[app.pk]), {**FORM, "continue": "1", "proof": pdf_upload()}
    )
    url = reverse("services:application_review", args=[app.pk])
    citizen_client.post(url)
    citizen_client.post(url)
    assert ProtocolEntry.objects.count() == 1
    app.refresh_from_db()
    assert app.protocol.number == 1
    # A second apply opens a new draft; the first one is untouched.
    again = _start(citizen_client)
    assert again.pk != app.pk and again.status == Status.DRAFT


def _continue(client: Any, app: Application, **overrides: Any) -> Any:
    data = {**FORM, "continue": "1", **overrides}
    return client.post(reverse("services:application_edit", args=[app.pk]), data)


def test_missing_required_fields_are_reported_and_nothing_is_numbered(
    citizen_client: Any, catalogue: Any
) -> None:
    app = _start(citizen_client)
    response = _continue(citizen_client, app, address="", since="")
    assert response.status_code == 200
    assert (
        "υποχρεωτικό" in response.content.decode().lower()
        or "απαιτείται" in response.content.decode().lower()
    )
    # Submitting a draft with gaps directly is refused, no number consumed.
    response = citizen_client.post(reverse("services:application_review", args=[app.pk]), follow=True)
    assert "υποχρεωτικά" in response.content.decode()
    assert not ProtocolEntry.objects.exists()
    app.refresh_from_db()
    assert app.status == Status.DRAFT


def test_invalid_afm_and_amka_are_refused(citizen_client: Any, citizen: Any, catalogue: Any) -> None:
    citizen.afm = ""  # not prefilled: the citizen types it
    citizen.save()
    app = _start(citizen_client, "eggrafi-dimotologio")
    response = citizen_client.post(
        reverse("services:application_edit", args=[app.pk]),
        {
            "continue": "1",
            "full_name": "Μαρία Π.",
            "father_name": "Γ",
            "afm": "123456789",
            "mother_name": "Ε",
            "amka": "32139912345",
            "purpose": "any",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "ψηφίο ελέγχου" in page and "ΑΜΚΑ πρέπει" in page
    app.refresh_from_db()
    assert "afm" not in app.data or app.data.get("afm") != "123456789"


def test_attachment_of_the_wrong_type_is_refused_by_content(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    fake = SimpleUploadedFile("bill.pdf", b"MZ\x90\x00 this is an exe", content_type="application/pdf")
    response = _continue(citizen_client, app, proof=fake)
    assert response.status_code == 200
    assert "τύπος του αρχείου δεν επιτρέπεται" in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_too_large_or_too_many(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    big = SimpleUploadedFile(
        "big.pdf", PDF_BYTES + b"0" * ATTACHMENT_MAX_BYTES, content_type="application/pdf"
    )
    response = _continue(citizen_client, app, proof=big)
    assert "πολύ μεγάλο" in response.content.decode()
    response = _continue(
        citizen_client, app, proof=[pdf_upload("a.pdf"), pdf_upload("b.pdf"), pdf_upload("c.pdf")]
    )
    assert "έως 2 αρχεία" in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachment_can_be_removed_from_a_draft(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    _continue(citizen_client, app, proof=pdf_upload())
    attachment = Attachment.objects.get()
    response = citizen_client.post(
        reverse("services:application_edit", args=[app.pk]), {"remove": str(attachment.pk)}
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()


def test_point_outside_the_municipality_is_refused(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    response = _continue(citizen_client, app, address__lat="37.98", address__lon="23.72", proof=pdf_upload())
    assert "εκτός των ορίων" in response.content.decode()
    response = _continue(citizen_client, app, address__lat="41.08", address__lon="")
    assert "και τις δύο" in response.content.decode()


def test_other_citizens_applications_are_not_found(
    citizen_client: Any, submitted: Any, django_user_model: Any
) -> None:
    from dimos.core.testing import SERRES_HOST, client_for

    other = client_for(django_user_model.objects.create_user(username="other"), SERRES_HOST)
    for name in ["my_application", "application_edit", "application_receipt", "application_receipt_pdf"]:
        assert other.get(reverse(f"services:{name}", args=[submitted.pk])).status_code == 404
    attachment = submitted.attachments.first()
    assert other.get(reverse("services:my_attachment", args=[submitted.pk, attachment.pk])).status_code == 404
    assert (
        citizen_client.get(reverse("services:my_attachment", args=[submitted.pk, attachment.pk])).status_code
        == 200
    )


def test_submitted_application_cannot_be_edited(citizen_client: Any, submitted: Any) -> None:
    response = citizen_client.post(
        reverse("services:application_edit", args=[submitted.pk]), {**FORM, "continue": "1"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.data["address"]["text"].startswith("Μεραρχίας 12")


def test_autosave_keeps_the_draft_without_a_page_load(citizen_client: Any, catalogue: Any) -> None:
    app = _start(citizen_client)
    response = citizen_client.post(
        reverse("services:application_edit", args=[app.pk]),
        {"save": "1", "autosave": "1", "father_name": "Γεώργιος", "since": "not a date"},
    )
    assert response.status_code == 204
    app.refresh_from_db()
    assert app.data["father_name"] == "Γεώργιος" and "since" not in app.data


def test_pages_speak_english_too(anon_client: Any, catalogue: Any) -> None:
    from django.conf import settings

    anon_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = anon_client.get(reverse("services:catalogue")).content.decode()
    assert "Certificate of permanent residence" in page and "Services on gov.gr" in page
    detail = anon_client.get(reverse("services:service_detail", args=["monimi-katoikia"])).content.decode()
    assert "Sign in to apply" in detail and "Legal basis" in detail
