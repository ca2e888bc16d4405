"""Digital schools in a real browser: a director reports a broken tablet; the
education department builds a funding proposal and downloads its PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from dimos.core.constants import StaffRole
from dimos.core.models import MunicipalUnit
from dimos.core.testing import make_municipality, make_staff
from dimos.core.testing_browser import assert_accessible, in_thread, login_as
from dimos.schools.constants import AssetStatus, RepairStatus
from dimos.schools.models import Asset, Repair
from dimos.schools.tests.factories import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CITY = {
    "type": "Polygon",
    "coordinates": [[[23.50, 41.05], [23.60, 41.05], [23.60, 41.12], [23.50, 41.12], [23.50, 41.05]]],
}


@pytest.fixture
def serres_local(db: Any) -> Any:
    municipality = make_municipality(
        "serres", "localhost", name_el="Δήμος Σερρών", name_en="Municipality of Serres", code="SER"
    )
    MunicipalUnit.objects.create(municipality=municipality, name_el="Σερρών", name_en="Serres", boundary=CITY)
    return municipality


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (80, 60), "gray").save(out, format="PNG")
    return out.getvalue()


def test_director_reports_a_broken_tablet(live_server: Any, serres_local: Any, open_browser: Any) -> None:
    w = world(serres_local)
    page = open_browser()
    login_as(page, live_server.url, w.director)
    page.goto(live_server.url + "/staff/schools/my-school/")
    assert page.get_by_role("heading", level=1).inner_text() == w.school.name
    assert_accessible(page)
    page.get_by_role("link", name="Εξοπλισμός του σχολείου").click()
    assert w.other_asset.tag not in page.content()  # another school's tablet is not listed
    page.get_by_role("link", name=w.asset.tag).click()
    page.get_by_role("link", name="Αναφορά βλάβης").click()
    assert_accessible(page)
    # Submitting without a description names the field.
    page.get_by_role("button", name="Αποθήκευση").click()
    page.locator(".error-summary").wait_for()
    page.get_by_label("Περιγραφή βλάβης").fill("Η οθόνη του tablet έσπασε στο διάλειμμα.")
    page.get_by_label("Φωτογραφία (προαιρετικά)").set_input_files(
        files=[{"name": "tablet.png", "mimeType": "image/png", "buffer": _png()}]
    )
    page.get_by_role("button", name="Αποθήκευση").click()
    page.wait_for_url("**/repairs/*/")
    page.wait_for_load_state()
    assert "Η βλάβη καταχωρίστηκε" in page.content()
    assert page.get_by_role("img", name="Φωτογραφία της βλάβης").is_visible()
    repair = in_thread(lambda: Repair.objects.select_related("reported_by").get(asset=w.asset))
    assert repair.status == RepairStatus.REPORTED and repair.reported_by == w.director
    assert in_thread(lambda: Asset.objects.get(pk=w.asset.pk).status) == AssetStatus.IN_REPAIR
    # The director cannot change the ticket: that is the department's job.
    assert page.get_by_role("button", name="Αποθήκευση").count() == 0
    assert_accessible(page)


def test_director_pages_loans_and_audit_are_accessible(
    live_server: Any, serres_local: Any, open_browser: Any
) -> None:
    w = world(serres_local)
    page = open_browser()
    login_as(page, live_server.url, w.director)
    for path in [
        "/staff/schools/loans/",
        "/staff/schools/repairs/",
        "/staff/schools/assets/",
        f"/staff/schools/assets/{w.asset.pk}/loan/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    page.goto(live_server.url + f"/staff/schools/schools/{w.school.pk}/audit/")
    # Headless Chromium has no camera scanning: the manual entry always works.
    page.get_by_label("Ετικέτες που σαρώθηκαν ή πληκτρολογήθηκαν (μία ανά γραμμή)").fill(w.asset.tag)
    page.get_by_role("button", name="Έλεγχος").click()
    page.wait_for_load_state()
    missing = page.locator("h3:text('Δεν βρέθηκαν') + ul").inner_text()
    assert w.repair.asset.tag in missing and w.asset.tag not in missing
    assert_accessible(page)


def test_administrator_builds_a_proposal_and_downloads_it(
    live_server: Any, serres_local: Any, tmp_path: Path, open_browser: Any
) -> None:
    world(serres_local, full=False)
    from dimos.schools.constants import SchoolType, StandardBasis
    from dimos.schools.models import EquipmentCategory, EquipmentModel, Standard

    tablets = EquipmentCategory.objects.get(code="tablet")
    Standard.objects.create(
        municipality=serres_local,
        school_type=SchoolType.PRIMARY,
        category=tablets,
        basis=StandardBasis.PER_PUPILS,
        quantity=1,
        per=4,
        model=EquipmentModel.objects.get(code="tab-10"),
    )
    admin = make_staff("anna", serres_local, StaffRole.MUNICIPAL_ADMIN, is_staff=True, first_name="Άννα")
    page = open_browser()
    login_as(page, live_server.url, admin)
    page.goto(live_server.url + "/staff/schools/")
    assert page.locator("#schools-map .leaflet-interactive").count() >= 2  # school markers, no tiles needed
    assert_accessible(page)
    page.get_by_role("link", name="Προτάσεις χρηματοδότησης").first.click()
    page.get_by_label("Τίτλος").fill("Ψηφιακά σχολεία 2026")
    page.get_by_label("Πρόγραμμα χρηματοδότησης").fill("Κεντρική Μακεδονία 2021-2027")
    page.get_by_role("button", name="Δημιουργία").click()
    page.get_by_label("Προϋπολογισμός (€)").fill("-100")
    page.get_by_role("button", name="Υπολογισμός και αποθήκευση έκδοσης").click()
    assert "δεν μπορεί να είναι αρνητικός" in page.locator(".error-summary").inner_text()
    page.get_by_label("Προϋπολογισμός (€)").fill("5000")
    page.get_by_role("button", name="Υπολογισμός και αποθήκευση έκδοσης").click()
    page.wait_for_url("**/?v=1")
    page.wait_for_load_state()
    assert "Αποθηκεύτηκε η έκδοση 1" in page.content()
    # School 1: 120 pupils / 4 = 30 tablets, has 1 → gap 29 (0.242 per pupil, first);
    # school 2: 200 / 4 = 50, has 1 → gap 49 (0.245 per pupil, so in fact first): 250 € each.
    lines = page.locator("#lines-h + .table-wrap tbody tr")
    assert lines.count() == 2
    first = lines.nth(0).inner_text()
    assert "2ο Δημοτικό" in first and "Σειρά 1" in first and "0,245 ανά μαθητή" in first
    assert "20 από 49" in first  # 5000 € / 250 € = 20 tablets fit
    assert "δεν χωρά" in lines.nth(1).inner_text()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Λήψη PDF").click()
    target = tmp_path / "proposal.pdf"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF-")
    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Ψηφιακά σχολεία 2026" in text and "ΔΗΜΟΣ ΣΕΡΡΩΝ" in text and "1ο Δημοτικό Σχολείο Σερρών" in text
    with page.expect_download() as info:
        page.get_by_role("link", name="Λήψη XLSX").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_administrator_checks_discards_then_applies_an_import(
    live_server: Any, serres_local: Any, open_browser: Any, settings: Any
) -> None:
    """The file is checked first (nothing registered), can be discarded, and is applied only on request."""
    world(serres_local, full=False)
    admin = make_staff("anna", serres_local, StaffRole.MUNICIPAL_ADMIN, is_staff=True, first_name="Άννα")
    body = "model,serial,school\ntab-10,E2E-1,1ο Δημοτικό Σχολείο Σερρών\ntab-00,E2E-2,\n".encode()
    upload = [{"name": "assets.csv", "mimeType": "text/csv", "buffer": body}]
    staged = Path(settings.MEDIA_ROOT) / "schools" / "imports"
    page = open_browser()
    login_as(page, live_server.url, admin)
    page.goto(live_server.url + "/staff/schools/assets/import/")
    page.locator("input[type=file]").set_input_files(files=upload)
    page.get_by_role("button", name="Έλεγχος (χωρίς καταχώριση)").click()
    page.get_by_role("heading", name="Αποτέλεσμα ελέγχου (δεν καταχωρίστηκε τίποτα)").wait_for()
    assert "tab-00" in page.locator("table").inner_text()
    assert_accessible(page)
    assert len(list(staged.glob("*/*"))) == 1
    page.get_by_role("button", name="Απόρριψη αρχείου").click()
    page.locator(".messages").get_by_text("Το αρχείο απορρίφθηκε").wait_for()
    assert list(staged.glob("*/*")) == []
    page.locator("input[type=file]").set_input_files(files=upload)
    page.get_by_role("button", name="Έλεγχος (χωρίς καταχώριση)").click()
    page.get_by_label("Καταχώριση των 1 έγκυρων γραμμών", exact=False).check()
    page.get_by_role("button", name="Εκτέλεση εισαγωγής").click()
    page.get_by_role("heading", name="Αποτέλεσμα εισαγωγής").wait_for()
    assert in_thread(
        lambda: list(Asset.objects.filter(serial__startswith="E2E-").values_list("serial", flat=True))
    ) == ["E2E-1"]
    assert list(staged.glob("*/*")) == []
    assert_accessible(page)


def test_scripts_come_from_static_files_and_the_region_viewer_gets_no_forms(
    live_server: Any, serres_local: Any, open_browser: Any
) -> None:
    """No inline script (the CSP has no 'unsafe-inline'): the map and the audit scanner still work."""
    w = world(serres_local)
    officer = make_staff("eleni", serres_local, StaffRole.EDUCATION_OFFICER)
    viewer = make_staff("rita", None, StaffRole.REGION_VIEWER)
    page = open_browser()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login_as(page, live_server.url, officer)
    page.goto(live_server.url + "/staff/schools/")
    page.locator("#schools-map path.leaflet-interactive").first.wait_for()
    assert page.locator("#schools-map path.leaflet-interactive").count() >= 2
    # Only json_script data blocks are inline; no executable inline script.
    assert page.locator("script:not([src]):not([type='application/json'])").count() == 0
    page.goto(live_server.url + f"/staff/schools/schools/{w.school.pk}/audit/")
    # audit.js ran: headless Chromium has no BarcodeDetector, so the manual-entry notice shows.
    page.locator("#scan-unsupported").wait_for()
    assert not errors, errors

    page.context.clear_cookies()
    login_as(page, live_server.url, viewer)
    for path in ["/staff/schools/", "/staff/schools/proposals/", "/staff/schools/catalogue/"]:
        page.goto(live_server.url + path)
        assert page.locator("main form[method='post']").count() == 0, path
        assert_accessible(page)
    page.goto(live_server.url + "/staff/schools/loans/")
    assert page.get_by_role("heading", level=1).inner_text() != ""
    assert "Ελένη Δασκάλου" not in page.content()
