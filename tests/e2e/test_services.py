"""Browser test: a citizen applies for a βεβαίωση μόνιμης κατοικίας, a clerk approves it,
the citizen downloads the PDF and the verification page (from the PDF's QR address) says valid.

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
from django.conf import settings
from django.test import Client

from conftest import chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("SERVICES_SCREENSHOTS", "")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _session_cookie(user: Any, base: str) -> dict[str, Any]:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": base,
    }


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_citizen_applies_clerk_approves_citizen_downloads_and_verifies(
    live_server: Any,
    serres: Any,
    serres_department: Any,
    alice: Any,
    citizen: Any,
    tmp_path: Path,
    monkeypatch: Any,
) -> None:
    # Playwright's sync API runs an event loop in this thread; the ORM calls here are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from dimos.core.tenancy import host_map_invalidate
    from dimos.services.demo import seed_catalogue
    from dimos.services.models import Application, IssuedDocument

    serres.hostnames = [*serres.hostnames, "localhost"]
    serres.save()
    host_map_invalidate()
    seed_catalogue(serres)
    base = live_server.url.replace("127.0.0.1", "localhost")
    proof = tmp_path / "logariasmos-dei.pdf"
    proof.write_bytes(b"%PDF-1.4\n% electricity bill\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=ARGS)
        try:
            citizen_ctx = browser.new_context(
                locale="el-GR", viewport={"width": 1280, "height": 900}, accept_downloads=True
            )
            citizen_ctx.add_cookies([_session_cookie(citizen, base)])
            page = citizen_ctx.new_page()
            page.goto(f"{base}/services/")
            _shot(page, "01-catalogue")
            page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας").click()
            _shot(page, "02-service")
            page.get_by_role("button", name="Υποβολή αίτησης").click()
            expect(page.get_by_label("ΑΦΜ")).to_have_value("090000045")
            page.get_by_label("Πατρώνυμο").fill("Γεώργιος")
            page.get_by_label("Διεύθυνση κατοικίας").fill("Μεραρχίας 12, 621 23 Σέρρες")
            page.get_by_label("Κατοικώ εκεί από").fill("2015-03-01")
            page.get_by_label("Σκοπός").select_option("bank")
            page.get_by_label("Αποδεικτικό κατοικίας").set_input_files(str(proof))
            _shot(page, "03-form")
            page.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
            expect(page.get_by_text("Μεραρχίας 12, 621 23 Σέρρες")).to_be_visible()
            _shot(page, "04-review")
            page.get_by_role("button", name="Υποβολή αίτησης").click()
            expect(page.get_by_role("heading", name="Η αίτησή σας υποβλήθηκε")).to_be_visible()
            protocol = page.get_by_test_id("protocol").inner_text().strip()
            assert re.fullmatch(r"1/\d{4}", protocol)
            _shot(page, "05-receipt")
            application = Application.objects.get()

            clerk_ctx = browser.new_context(locale="el-GR", viewport={"width": 1280, "height": 900})
            clerk_ctx.add_cookies([_session_cookie(alice, base)])
            clerk = clerk_ctx.new_page()
            clerk.goto(f"{base}/staff/services/")
            _shot(clerk, "10-queue")
            clerk.get_by_role("link", name=protocol).click()
            clerk.get_by_role("button", name="Σε επεξεργασία").click()
            expect(clerk.get_by_text("Η κατάσταση της αίτησης άλλαξε.")).to_be_visible()
            _shot(clerk, "11-application")
            clerk.get_by_role("button", name="Έγκριση και έκδοση εγγράφου").click()
            expect(clerk.locator(".badge", has_text="Εκδόθηκε")).to_be_visible()
            _shot(clerk, "12-issued")

            page.goto(f"{base}/services/my/{application.pk}/")
            _shot(page, "06-my-application")
            with page.expect_download() as info:
                page.get_by_role("link", name=re.compile("Λήψη «Βεβαίωση μόνιμης κατοικίας»")).click()
            data = Path(info.value.path()).read_bytes()
            document = IssuedDocument.objects.get()
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
            expect(anon.get_by_text(document.protocol.label)).to_be_visible()
            assert "Παπαδοπούλου" not in anon.content()
            _shot(anon, "20-verify")

            if SHOTS:
                clerk.goto(f"{base}/staff/services/register/")
                _shot(clerk, "13-register")
        finally:
            browser.close()
