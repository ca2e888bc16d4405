"""WCAG 2.1 AA (axe-core) and keyboard checks of the e-services pages, in Greek and English:
the public catalogue and verification pages, the citizen's draft/answer pages with their
error messages, and the clerk's queue, case page and register book.

With ``A11Y_SHOTS=/tmp`` the tests also save phone (390 px) and desktop (1280 px)
screenshots as ``/tmp/a11y-services-*.png``. Every checked page must also reflow
to 320 CSS px (WCAG 1.4.10) without scrolling sideways.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# If the page scrolls sideways: the innermost elements reaching past the viewport's right edge.
WIDEST = """() => {
  const root = document.documentElement, w = root.clientWidth;
  if (root.scrollWidth <= w) { return []; }
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > w + 1)) {
      out.push(el.tagName.toLowerCase() + (el.className ? "." + el.className : "") + " " + Math.round(r.right));
    }
  }
  return out.slice(0, 8);
}"""
PDF = b"%PDF-1.4\n% electricity bill\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def look(page: Any, name: str) -> None:
    """Check the page with axe-core and for reflow; with A11Y_SHOTS, screenshot it as a phone and a desktop."""
    assert_accessible(page)
    target = os.environ.get("A11Y_SHOTS")
    if target:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(target) / f"a11y-services-{name}-{width}.png"), full_page=True)
    # WCAG 1.4.10 (reflow): at 320 CSS px nothing but a table's own scroll box scrolls sideways.
    page.set_viewport_size({"width": 320, "height": 900})
    overflow = page.evaluate(WIDEST)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not overflow, f"{name}: at 320px these stick out sideways: {overflow}"


def to_english(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"


@pytest.fixture
def catalogue(serres: Any, serres_department: Any) -> Any:
    from dimos.core.tenancy import host_map_invalidate
    from dimos.eservices.demo import seed_catalogue

    serres.hostnames = [*serres.hostnames, "localhost"]
    serres.save()
    host_map_invalidate()
    return seed_catalogue(serres)


def _submitted(serres: Any, service: Any, citizen: Any) -> Any:
    from dimos.eservices import services

    app = services.application_start(municipality=serres, service=service, citizen=citizen)
    services.application_save_draft(
        application_id=app.pk,
        municipality=serres,
        citizen=citizen,
        values={
            "father_name": "Γεώργιος",
            "address": {"text": "Μεραρχίας 12, 621 23 Σέρρες", "lat": None, "lon": None},
            "since": "2015-03-01",
            "purpose": "bank",
        },
        files={"proof": [("bill.pdf", PDF, "application/pdf")]},
    )
    return services.application_submit(application_id=app.pk, municipality=serres, citizen=citizen)


@pytest.fixture
def issued(serres: Any, catalogue: Any, citizen: Any, alice: Any) -> Any:
    """An application approved with its document issued, and a second one awaiting the citizen."""
    from dimos.eservices import services
    from dimos.eservices.constants import Status

    app = _submitted(serres, catalogue["monimi-katoikia"], citizen)
    for status in (Status.IN_REVIEW, Status.APPROVED):
        services.application_transition(
            application_id=app.pk, municipality=serres, actor=alice, to_status=status
        )
    waiting = _submitted(serres, catalogue["monimi-katoikia"], citizen)
    services.application_transition(
        application_id=waiting.pk,
        municipality=serres,
        actor=alice,
        to_status=Status.AWAITING_CITIZEN,
        comment="Στείλτε και λογαριασμό νερού.",
    )
    return app, app.documents.select_related("protocol").get(), waiting


def test_public_catalogue_service_and_verification_pages(
    live_server: Any, issued: Any, tmp_path: Path, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    _app, document, _waiting = issued
    base = live_server.url.replace("127.0.0.1", "localhost")
    page = open_browser()
    page.goto(f"{base}/services/")
    look(page, "catalogue")
    page.get_by_role("link", name="Βεβαίωση μόνιμης κατοικίας").click()
    expect(page.get_by_role("link", name="Συνδεθείτε για να υποβάλετε αίτηση")).to_be_visible()
    look(page, "service")

    # Lookup: an empty code and a mistyped one are errors announced and tied to the field.
    page.goto(f"{base}/verify/")
    look(page, "verify-lookup")
    page.get_by_role("button", name="Έλεγχος").click()
    expect(page.get_by_role("alert")).to_contain_text("Κωδικός επαλήθευσης")
    expect(page.get_by_role("alert")).to_be_focused()
    field = page.get_by_label("Κωδικός επαλήθευσης")
    assert field.get_attribute("aria-invalid") == "true"
    described = field.get_attribute("aria-describedby") or ""
    assert "id_code_error" in described.split()
    assert_accessible(page)
    wrong = document.code[:-1] + ("0" if document.code[-1] != "0" else "1")
    field.fill(wrong)
    field.press("Enter")  # the form submits from the keyboard
    expect(page.get_by_role("alert")).to_contain_text("δεν είναι σωστός")
    look(page, "verify-bad-code")

    # A well-formed code of no document: the failed lookup says so.
    from dimos.eservices.codes import code_generate

    page.goto(f"{base}/verify/{code_generate()}/")
    expect(page.get_by_role("status")).to_have_text("Δεν βρέθηκε έγγραφο")
    look(page, "verify-not-found")

    # The document page, then the upload comparison with a different and the same file.
    page.goto(f"{base}/verify/{document.code}/")
    expect(page.get_by_test_id("verify-status")).to_contain_text("Έγκυρο έγγραφο")
    look(page, "verify-document")
    page.get_by_role("button", name="Σύγκριση").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.get_by_label("Το αρχείο PDF που λάβατε").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
    other = tmp_path / "other.pdf"
    other.write_bytes(PDF + b"% changed\n")
    page.get_by_label("Το αρχείο PDF που λάβατε").set_input_files(str(other))
    page.get_by_role("button", name="Σύγκριση").click()
    expect(page.get_by_text("Το αρχείο διαφέρει από το πρωτότυπο.")).to_be_visible()
    look(page, "verify-mismatch")
    original = tmp_path / "original.pdf"
    original.write_bytes(in_thread(lambda: document.pdf.open("rb").read()))
    page.get_by_label("Το αρχείο PDF που λάβατε").set_input_files(str(original))
    page.get_by_role("button", name="Σύγκριση").click()
    expect(page.get_by_text("Το αρχείο είναι πανομοιότυπο με το πρωτότυπο.")).to_be_visible()
    assert_accessible(page)

    to_english(page)
    expect(page.get_by_test_id("verify-status")).to_contain_text("Valid document")
    assert_accessible(page)
    page.goto(f"{base}/services/")
    assert_accessible(page)
    page.goto(f"{base}/services/monimi-katoikia/")
    assert_accessible(page)
    page.goto(f"{base}/verify/")
    assert_accessible(page)


def test_citizen_draft_errors_autosave_answer_and_english_pages(
    live_server: Any, issued: Any, citizen: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    from dimos.eservices.models import Application

    app, _document, waiting = issued
    base = live_server.url.replace("127.0.0.1", "localhost")
    page = open_browser()
    login_as(page, base, citizen)
    page.goto(f"{base}/services/monimi-katoikia/")
    page.get_by_role("button", name="Υποβολή αίτησης").click()
    page.wait_for_url("**/edit/")
    look(page, "form")

    # Continuing with the required fields empty: an announced summary, each field marked and described.
    page.get_by_role("button", name="Συνέχεια στον έλεγχο").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Πατρώνυμο")
    expect(summary).to_be_focused()  # the keyboard starts at the list of problems
    for label in ("Πατρώνυμο", "Διεύθυνση κατοικίας", "Κατοικώ εκεί από"):
        field = page.get_by_label(label)
        assert field.get_attribute("aria-invalid") == "true", label
        ids = (field.get_attribute("aria-describedby") or "").split()
        error_ids = [i for i in ids if i.endswith("_error")]
        assert error_ids, label
        assert page.locator(f"#{error_ids[0]}").inner_text().strip(), label
    look(page, "form-errors")
    # The summary's link takes the keyboard user to the field.
    summary.get_by_role("link", name="Πατρώνυμο", exact=False).first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Πατρώνυμο")).to_be_focused()

    # Autosave from the keyboard alone: type, Tab away, the saved draft is announced (role=status).
    page.keyboard.type("Γεώργιος")
    page.keyboard.press("Tab")
    expect(page.get_by_role("status")).to_contain_text("Το πρόχειρο αποθηκεύτηκε αυτόματα.")
    draft = in_thread(lambda: Application.objects.filter(status="draft").get())
    assert draft.data.get("father_name") == "Γεώργιος"
    # When the save cannot reach the server, that is announced too.
    edit_url = "**/edit/"
    page.route(edit_url, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_label("Διεύθυνση κατοικίας").fill("Μεραρχίας 12, 621 23 Σέρρες")
    page.keyboard.press("Tab")
    expect(page.get_by_role("status")).to_contain_text("Η αυτόματη αποθήκευση δεν έγινε")
    page.unroute(edit_url)

    page.goto(f"{base}/services/my/")
    look(page, "my-applications")
    page.goto(f"{base}/services/my/{app.pk}/")
    look(page, "my-application-issued")
    page.goto(f"{base}/services/my/{waiting.pk}/")
    expect(page.get_by_text("Στείλτε και λογαριασμό νερού.")).to_be_visible()
    look(page, "my-application-awaiting")
    page.get_by_role("button", name="Αποστολή απάντησης").click()
    expect(page.get_by_role("alert")).to_contain_text("Η απάντησή σας")
    assert page.get_by_label("Η απάντησή σας").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    to_english(page)
    assert_accessible(page)
    for path in (
        "/services/my/",
        f"/services/my/{app.pk}/",
        f"/services/my/{app.pk}/receipt/",
        f"/services/my/{draft.pk}/edit/",
        f"/services/my/{draft.pk}/review/",
    ):
        page.goto(base + path)
        assert page.evaluate("document.documentElement.lang") == "en"
        assert_accessible(page)
    page.goto(f"{base}/services/my/{draft.pk}/review/")
    # The review of an incomplete draft says what is missing, announced.
    expect(page.get_by_role("alert")).to_be_visible()


def test_clerk_queue_case_pages_and_register(
    live_server: Any, issued: Any, alice: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    app, _document, waiting = issued
    base = live_server.url.replace("127.0.0.1", "localhost")
    page = open_browser()
    login_as(page, base, alice)
    page.goto(f"{base}/staff/services/")
    look(page, "queue")
    tabs = page.get_by_role("navigation", name="Προβολές ουράς").get_by_role("link")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        page.wait_for_load_state()
        expect(tabs.nth(i)).to_have_attribute("aria-current", "page")
        assert_accessible(page)
    page.goto(f"{base}/staff/services/applications/{waiting.pk}/")
    look(page, "case-awaiting")
    # Rejecting without the reason the citizen must read is refused, with the error at the field.
    page.get_by_role("button", name="Απόρριψη").click()
    expect(page.get_by_label("Σχόλιο / αιτιολογία")).to_have_attribute("aria-invalid", "true")
    expect(page.locator(".badge", has_text="Αναμένονται στοιχεία από τον πολίτη")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{base}/staff/services/applications/{app.pk}/")
    page.get_by_text("Ανάκληση εγγράφου").click()  # the <details> opens
    expect(page.get_by_label("Αιτιολογία ανάκλησης")).to_be_visible()
    look(page, "case-issued")
    page.goto(f"{base}/staff/services/register/")
    look(page, "register")
    page.get_by_text("Καταχώριση εγγράφου σε χαρτί").click()
    assert_accessible(page)
    page.get_by_label("Από").fill("2026-05-10")
    page.get_by_label("Έως").fill("2026-05-01")
    page.get_by_role("button", name="Εμφάνιση").click()
    expect(page.get_by_role("alert")).to_contain_text("πριν από την")
    assert_accessible(page)
