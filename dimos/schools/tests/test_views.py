"""Pages: director isolation, office pages, bad input, PDF and XLSX documents."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from dimos.core.testing import SERRES_HOST, client_for
from dimos.schools.constants import AssetStatus
from dimos.schools.models import Asset, Loan, Repair
from dimos.schools.tests.factories import world


@pytest.fixture
def w(serres):
    return world(serres)


@pytest.fixture
def director_client(w):
    return client_for(w.director, SERRES_HOST)


@pytest.fixture
def bob_client(bob):
    return client_for(bob, SERRES_HOST)


def test_director_sees_only_their_school(w, director_client) -> None:
    assert director_client.get(reverse("schools:my_school")).url == reverse(
        "schools:school_detail", args=[w.school.pk]
    )
    assert director_client.get(reverse("schools:school_detail", args=[w.school.pk])).status_code == 200
    for name, pk in [
        ("schools:school_detail", w.other_school.pk),
        ("schools:labels_pdf", w.other_school.pk),
        ("schools:audit", w.other_school.pk),
        ("schools:asset_detail", w.other_asset.pk),
        ("schools:repair_report", w.other_asset.pk),
        ("schools:loan_create", w.other_asset.pk),
    ]:
        # Another school of the same municipality: the director is told they may not (403).
        assert director_client.get(reverse(name, args=[pk])).status_code == 403, name
    listing = director_client.get(reverse("schools:asset_list")).content.decode()
    assert w.asset.tag in listing and w.other_asset.tag not in listing
    export = b"".join(director_client.get(reverse("schools:asset_export_csv")).streaming_content).decode()
    assert w.asset.serial in export and w.other_asset.serial not in export


def test_director_cannot_use_office_pages(w, director_client) -> None:
    for name, kwargs in [
        ("schools:overview", {}),
        ("schools:proposals", {}),
        ("schools:standards", {}),
        ("schools:catalogue", {}),
        ("schools:asset_import", {}),
        ("schools:licences", {}),
        ("schools:proposal_detail", {"pk": w.proposal.pk}),
    ]:
        assert director_client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    response = director_client.post(reverse("schools:asset_status", args=[w.asset.pk]), {"status": "retired"})
    assert response.status_code == 403
    response = director_client.post(
        reverse("schools:repair_detail", args=[w.repair.pk]), {"status": "repaired"}
    )
    assert response.status_code == 403
    w.repair.refresh_from_db()
    assert w.repair.status != "repaired"


def test_director_reports_a_fault_with_a_photo(w, director_client) -> None:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(out, format="PNG")
    out.seek(0)
    out.name = "x.png"
    response = director_client.post(
        reverse("schools:repair_report", args=[w.asset.pk]), {"description": "Σπασμένη οθόνη", "photo": out}
    )
    assert response.status_code == 302
    repair = Repair.objects.get(asset=w.asset)
    assert director_client.get(reverse("schools:repair_photo", args=[repair.pk])).status_code == 200
    w.asset.refresh_from_db()
    assert w.asset.status == AssetStatus.IN_REPAIR


def test_fault_report_bad_input(w, director_client) -> None:
    bad = io.BytesIO(b"%PDF-1.4 not an image")
    bad.name = "x.jpg"
    response = director_client.post(
        reverse("schools:repair_report", args=[w.asset.pk]), {"description": "x", "photo": bad}
    )
    assert response.status_code == 400 and "δεν επιτρέπεται" in response.content.decode()
    response = director_client.post(reverse("schools:repair_report", args=[w.asset.pk]), {"description": ""})
    assert response.status_code == 400


def test_director_runs_loans_and_bad_loan_input(w, director_client) -> None:
    url = reverse("schools:loan_create", args=[w.asset.pk])
    due = (timezone.localdate() + timedelta(days=60)).isoformat()
    response = director_client.post(
        url,
        {"borrower_kind": "pupil", "borrower_name": "Νίκος Κ.", "guardian_name": "Άννα Κ.", "due_date": due},
    )
    assert response.status_code == 400 and "συγκατάθεση" in response.content.decode()
    response = director_client.post(
        url,
        {
            "borrower_kind": "pupil",
            "borrower_name": "Νίκος Κ.",
            "guardian_name": "Άννα Κ.",
            "guardian_consent": "on",
            "due_date": due,
        },
    )
    assert response.status_code == 302
    loan = Loan.objects.get(asset=w.asset)
    response = director_client.post(url, {"borrower_kind": "teacher", "borrower_name": "Χ", "due_date": due})
    assert response.status_code == 400 and "ήδη δανεισμένο" in response.content.decode()
    pdf = director_client.get(reverse("schools:loan_pdf", args=[loan.pk]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Συμφωνητικό δανεισμού" in text and "Άννα Κ." in text and w.asset.tag in text
    response = director_client.post(
        reverse("schools:loan_return", args=[loan.pk]), {"condition": "worn", "notes": "γρατζουνιές"}
    )
    assert response.status_code == 302
    assert (
        director_client.get(reverse("schools:loans") + "?state=returned").content.decode().count(w.asset.tag)
        >= 1
    )


def test_office_pages_render(w, bob_client) -> None:
    for name, kwargs in [
        ("schools:overview", {}),
        ("schools:school_detail", {"pk": w.school.pk}),
        ("schools:catalogue", {}),
        ("schools:standards", {}),
        ("schools:asset_list", {}),
        ("schools:asset_create", {}),
        ("schools:asset_detail", {"pk": w.asset.pk}),
        ("schools:licences", {}),
        ("schools:proposals", {}),
        ("schools:proposal_detail", {"pk": w.proposal.pk}),
        ("schools:order_detail", {"pk": w.order.pk}),
        ("schools:loans", {}),
        ("schools:repairs", {}),
        ("schools:asset_import", {}),
    ]:
        response = bob_client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 200, name
    overview = bob_client.get(reverse("schools:overview")).content.decode()
    assert "leaflet/leaflet.js" in overview and "<table" in overview and w.school.name in overview


def test_proposal_builder_bad_input_versions_and_documents(w, bob_client) -> None:
    create = bob_client.post(
        reverse("schools:proposals"),
        {"title": "Ψηφιακά σχολεία 2026", "funding_programme": "ΠΕΠ Κεντρικής Μακεδονίας"},
    )
    url = create.url
    response = bob_client.post(url, {"budget_cap": "-5", "rule": "gap_per_pupil"})
    assert response.status_code == 400 and "αρνητικός" in response.content.decode()
    response = bob_client.post(url, {"budget_cap": "abc", "rule": "gap_per_pupil"})
    assert response.status_code == 400
    assert bob_client.post(url, {"budget_cap": "3000", "rule": "gap_per_pupil"}).status_code == 302
    assert (
        bob_client.post(url, {"budget_cap": "9000", "rule": "lowest_coverage", "note": "αύξηση"}).status_code
        == 302
    )
    page = bob_client.get(url + "?v=2").content.decode()
    assert "Σύγκριση με την έκδοση 1" in page and "3.000,00" in page and "9.000,00" in page
    pk = int(url.rstrip("/").split("/")[-1])
    pdf = bob_client.get(reverse("schools:proposal_pdf", args=[pk, 2]))
    assert pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "ΔΗΜΟΣ ΣΕΡΡΩΝ" in text and "Ψηφιακά σχολεία 2026" in text and "Ανάλυση ανά σχολείο" in text
    assert w.school.name in text and "Αιτιολόγηση" in text
    xlsx = bob_client.get(reverse("schools:proposal_xlsx", args=[pk, 2]))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(xlsx.content))
    assert len(book.sheetnames) == 3 and book.worksheets[0]["B2"].value
    assert bob_client.get(reverse("schools:proposal_pdf", args=[pk, 9])).status_code == 404
    response = bob_client.post(reverse("schools:proposal_status", args=[pk]), {"status": "funded"})
    assert "δεν μπορεί" in bob_client.get(response.url).content.decode()


def test_labels_pdf_has_a_label_per_asset(w, bob_client) -> None:
    response = bob_client.get(reverse("schools:labels_pdf", args=[w.school.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    for asset in Asset.objects.filter(school=w.school).exclude(status="retired"):
        assert asset.tag in text


def test_audit_lists_what_was_not_found(w, bob_client) -> None:
    extra = Asset.objects.filter(school=w.school, status=AssetStatus.IN_REPAIR).first()
    url = reverse("schools:audit", args=[w.school.pk])
    scanned = (
        f"{w.asset.tag.lower()}\nhttp://serres.localhost/staff/schools/assets/{w.other_asset.pk}/\nSER-424242"
    )
    page = bob_client.post(url, {"tags": scanned}).content.decode()
    missing = page.split("Δεν βρέθηκαν</h3>")[1].split("</ul>")[0]
    assert extra.tag in missing and w.asset.tag not in missing
    assert "SER-424242" in page and w.other_school.name in page  # unknown, and registered elsewhere
    assert bob_client.post(url, {"tags": ""}).status_code == 200


def test_school_form_sets_unit_from_point_and_validates(w, bob_client, serres) -> None:
    url = reverse("schools:school_create")
    data = {
        "name": "3ο Νηπιαγωγείο Σερρών",
        "school_type": "kindergarten",
        "classrooms": 2,
        "lat": "41.08",
        "lon": "23.55",
        "is_active": "on",
    }
    response = bob_client.post(url, data)
    assert response.status_code == 302
    from dimos.schools.models import School

    assert School.objects.get(name="3ο Νηπιαγωγείο Σερρών").unit.name_el == "Σερρών"
    response = bob_client.post(url, {**data, "name": "Εκτός", "lat": "38.0", "lon": "23.7"})
    assert "δημοτική ενότητα" in response.content.decode()
    response = bob_client.post(url, data)
    assert "Υπάρχει ήδη" in response.content.decode()
    response = bob_client.post(url, {**data, "name": "Με λάθος διευθυντή", "director": w.director.pk + 999})
    assert response.status_code == 200 and "director" in response.context["form"].errors


def test_import_page_flow(w, bob_client) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = "model,serial,school\ntab-10,W-1,1ο Δημοτικό Σχολείο Σερρών\ntab-00,W-2,\n".encode()
    url = reverse("schools:asset_import")
    page = bob_client.post(url, {"file": SimpleUploadedFile("a.csv", body)}).content.decode()
    assert "tab-00" in page and not Asset.objects.filter(serial="W-1").exists()
    page = bob_client.post(url, {"mode": "all_or_nothing"}).content.decode()
    assert not Asset.objects.filter(serial="W-1").exists()
    bob_client.post(url, {"file": SimpleUploadedFile("a.csv", body)})
    bob_client.post(url, {"mode": "valid_only"})
    assert Asset.objects.filter(serial="W-1").exists()
    assert bob_client.post(url, {"mode": "valid_only"}).status_code == 302  # nothing pending any more
    page = bob_client.post(url, {"file": SimpleUploadedFile("a.exe", b"MZ")}).content.decode()
    assert "CSV ή XLSX" in page


def test_bad_asset_and_standard_input(w, bob_client) -> None:
    page = bob_client.post(
        reverse("schools:asset_create"), {"model": w.tablet.pk, "serial": "SN-TAB-1", "status": "in_stock"}
    ).content.decode()
    assert "υπάρχει ήδη" in page
    page = bob_client.post(
        reverse("schools:asset_create"), {"model": w.tablet.pk, "serial": "Z", "status": "deployed"}
    ).content.decode()
    assert "πρέπει να έχει σχολείο" in page
    page = bob_client.post(
        reverse("schools:standards"),
        {
            "school_type": "primary",
            "category": w.tablets.pk,
            "basis": "pupils",
            "quantity": 1,
            "per": 4,
            "model": w.board.pk,
        },
    ).content.decode()
    assert "δεν ανήκει στην κατηγορία" in page
    response = bob_client.post(reverse("schools:asset_status", args=[w.asset.pk]), {"status": "on_loan"})
    assert response.status_code == 400


def test_pages_in_english(w, bob_client, settings) -> None:
    bob_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = bob_client.get(reverse("schools:overview")).content.decode()
    assert "Digital schools: overview" in page and "Devices per pupil on the map" in page
    page = bob_client.get(reverse("schools:asset_detail", args=[w.asset.pk])).content.decode()
    assert "Report a fault" in page and "Serial number" in page


def test_create_asset_page_and_qr_on_asset_page(w, bob_client) -> None:
    response = bob_client.post(
        reverse("schools:asset_create"),
        {
            "model": w.board.pk,
            "serial": "IB-NEW-1",
            "school": w.school.pk,
            "room": "Β2",
            "status": "deployed",
            "cost": "1800.00",
            "purchase_date": "2026-09-01",
        },
    )
    asset = Asset.objects.get(serial="IB-NEW-1")
    assert response.url == reverse("schools:asset_detail", args=[asset.pk])
    assert asset.tag.startswith("SER-") and asset.room == "Β2" and asset.supplier == ""
    page = bob_client.get(response.url).content.decode()
    assert "<svg" in page and f"/assets/{asset.pk}/" in page


def test_reading_a_loan_agreement_is_audited(w, bob_client) -> None:
    from dimos.core.models import AuditEvent

    bob_client.get(reverse("schools:loan_pdf", args=[w.loan.pk]))
    assert AuditEvent.objects.filter(
        action="schools.loan_agreement_viewed", object_id=str(w.loan.pk)
    ).exists()


def test_region_viewer_reads_but_cannot_write(w, region_viewer) -> None:
    client = client_for(region_viewer, SERRES_HOST)
    for name, kwargs in [
        ("schools:overview", {}),
        ("schools:proposal_detail", {"pk": w.proposal.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 200, name
    for name, kwargs in [
        ("schools:school_detail", {"pk": w.school.pk}),
        ("schools:asset_detail", {"pk": w.asset.pk}),
    ]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 403, name
    response = client.post(reverse("schools:asset_status", args=[w.asset.pk]), {"status": "retired"})
    assert response.status_code == 403 and "Δεν επιτρέπεται" in response.content.decode()
    assert Asset.objects.get(pk=w.asset.pk).status == AssetStatus.DEPLOYED


def test_asset_list_pager_keeps_every_filter(w, bob_client, monkeypatch) -> None:
    """Page links come from the shared pager: the filters (Greek text included) survive paging."""
    monkeypatch.setattr("dimos.schools.views.assets.PER_PAGE", 1)
    url = reverse("schools:asset_list")
    page = bob_client.get(url, {"q": "SN", "school": w.school.pk, "from": "α&β", "page": 1})
    assert page.context["page"].paginator.num_pages >= 2
    html = page.content.decode()
    # every parameter kept and encoded (the hand-built links broke on "&" in a value)
    assert f"?q=SN&amp;school={w.school.pk}&amp;from=%CE%B1%26%CE%B2&amp;page=2" in html
    second = bob_client.get(url, {"q": "SN", "school": w.school.pk, "page": 2})
    assert second.context["page"].number == 2
    assert bob_client.get(url, {"q": "τάμπλετ & Β", "page": "x"}).status_code == 200


def test_loans_and_repairs_lists_are_paged(w, bob_client, monkeypatch) -> None:
    monkeypatch.setattr("dimos.schools.views.lending.PER_PAGE", 1)
    monkeypatch.setattr("dimos.schools.views.maintenance.PER_PAGE", 1)
    for name, state in (("schools:loans", "active"), ("schools:repairs", "open")):
        page = bob_client.get(reverse(name), {"state": state})
        assert page.status_code == 200 and len(page.context["rows"]) <= 1


def test_unknown_proposal_status_is_a_message_not_an_error(w, bob_client) -> None:
    response = bob_client.post(
        reverse("schools:proposal_status", args=[w.proposal.pk]), {"status": "nonsense"}, follow=True
    )
    assert response.status_code == 200 and "Άγνωστη κατάσταση" in response.content.decode()
