"""Browser test: a citizen applies for a βεβαίωση μόνιμης κατοικίας, a clerk approves it,
the citizen downloads the PDF and the verification page (from the PDF's QR address) says valid.
Every page of the journey is checked with axe-core (WCAG 2.1 AA).

Set SERVICES_SCREENSHOTS=docs/services/img to refresh the guides' screenshots.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SERVICES_SCREENSHOTS", "")


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def catalogue(serres: Any, serres_department: Any) -> Any:
    """The demo catalogue, with Serres answering on ``localhost`` (the host the PDF's QR names)."""
    from dimos.core.tenancy import host_map_invalidate
    from dimos.eservices.demo import seed_catalogue

    serres.hostnames = [*serres.hostnames, "localhost"]
    serres.save()
    host_map_invalidate()
    return seed_catalogue(serres)


def test_citizen_applies_clerk_approves_citizen_downloads_and_verifies(
    live_server: Any,
    catalogue: Any,
    alice: Any,
    citizen: Any,
    tmp_path: Path,
    open_browser: Any,
) -> None:
    from playwright.sync_api import expect

    from dimos.eservices.models import Application, IssuedDocument

    base = live_server.url.replace("127.0.0.1", "localhost")
    proof = tmp_path / "logariasmos-dei.pdf"
    proof.write_bytes(b"%PDF-1.4\n% electricity bill\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    page = open_browser()
    browser = page.context.browser
    login_as(page, base, citizen)
    page.goto(f"{base}/services/")
    _shot(page, "01-catalogue")
    assert_accessible(page)
    page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας").click()
    _shot(page, "02-service")
    assert_accessible(page)
    page.get_by_role("button", name="Υποβολή αίτησης").click()
    # From TaxisNet: read as text with its source, not as an input (issue 13).
    expect(page.get_by_role("group", name="ΑΦΜ")).to_contain_text("090000045")
    expect(page.get_by_role("group", name="ΑΦΜ")).to_contain_text("από το TaxisNet")
    assert_accessible(page)
    page.get_by_label("Πατρώνυμο").fill("Γεώργιος")
    page.get_by_label("Διεύθυνση κατοικίας").fill("Μεραρχίας 12, 621 23 Σέρρες")
    page.get_by_label("Κατοικώ εκεί από").fill("2015-03-01")
    page.get_by_label("Σκοπός").select_option("bank")
    page.get_by_label("Αποδεικτικό κατοικίας").set_input_files(str(proof))
    _shot(page, "03-form")
    page.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
    expect(page.get_by_text("Μεραρχίας 12, 621 23 Σέρρες")).to_be_visible()
    _shot(page, "04-review")
    assert_accessible(page)
    page.get_by_role("button", name="Υποβολή αίτησης").click()
    expect(page.get_by_role("heading", name="Η αίτησή σας υποβλήθηκε")).to_be_visible()
    protocol = page.get_by_test_id("protocol").inner_text().strip()
    assert re.fullmatch(r"1/\d{4}", protocol)
    _shot(page, "05-receipt")
    assert_accessible(page)
    application = in_thread(lambda: Application.objects.get())

    page.goto(f"{base}/services/my/")
    expect(page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας")).to_be_visible()
    assert_accessible(page)

    clerk_ctx = browser.new_context(locale="el-GR", viewport={"width": 1280, "height": 900})
    clerk = clerk_ctx.new_page()
    login_as(clerk, base, alice)
    clerk.goto(f"{base}/staff/services/")
    _shot(clerk, "10-queue")
    assert_accessible(clerk)
    clerk.get_by_role("link", name=protocol, exact=True).click()
    assert_accessible(clerk)
    clerk.get_by_role("button", name="Σε επεξεργασία").click()
    expect(clerk.get_by_text("Η κατάσταση της αίτησης άλλαξε.")).to_be_visible()
    _shot(clerk, "11-application")
    assert_accessible(clerk)
    clerk.get_by_role("link", name="Έγκριση και έκδοση εγγράφου…").click()
    expect(clerk.get_by_role("heading", name="Τι θα εκδοθεί")).to_be_visible()  # the confirmation page
    _shot(clerk, "11b-issue-confirm")
    assert_accessible(clerk)
    clerk.get_by_role("button", name="Έγκριση και έκδοση", exact=True).click()
    expect(clerk.locator(".badge", has_text="Εκδόθηκε")).to_be_visible()
    _shot(clerk, "12-issued")
    assert_accessible(clerk)

    page.goto(f"{base}/services/my/{application.pk}/")
    _shot(page, "06-my-application")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Λήψη «Βεβαίωση μόνιμης κατοικίας»")).click()
    data = Path(info.value.path()).read_bytes()
    document = in_thread(lambda: IssuedDocument.objects.select_related("protocol").get())
    assert hashlib.sha256(data).hexdigest() == document.sha256

    from pypdf import PdfReader

    text = "".join(pg.extract_text() for pg in PdfReader(io.BytesIO(data)).pages)
    found = re.search(r"https?://\S+/verify/\S+/", text)
    assert found, text
    verify_path = urlparse(found.group(0)).path
    anon_ctx = browser.new_context(locale="el-GR", viewport={"width": 1280, "height": 900})
    anon = anon_ctx.new_page()
    anon.goto(f"{base}{verify_path}")
    expect(anon.get_by_test_id("verify-status")).to_contain_text("Έγκυρο έγγραφο")
    # Exact: a substring search for «2/2026» also matches the date «03/12/2026».
    expect(anon.get_by_text(document.protocol.label, exact=True)).to_be_visible()
    assert "Παπαδοπούλου" not in anon.content()
    _shot(anon, "20-verify")
    assert_accessible(anon)

    clerk.goto(f"{base}/staff/services/register/")
    expect(clerk.get_by_role("cell", name=protocol).first).to_be_visible()
    _shot(clerk, "13-register")
    assert_accessible(clerk)
