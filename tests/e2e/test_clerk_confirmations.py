"""The clerk's irreversible actions in a real browser, without JavaScript needed (issue 13, item 8).

Voiding a protocol entry (by a department head) and approve-and-issue (by a clerk) each go
through a confirmation page: checked with axe-core, at 320 CSS px for reflow, and with a
refused submission whose error sits at its field. ``A11Y_SHOTS=/tmp`` saves phone and
desktop screenshots as ``/tmp/a11y-clerk-*.png``.
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


def look(page: Any, name: str) -> None:
    assert_accessible(page)
    target = os.environ.get("A11Y_SHOTS")
    if target:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=str(Path(target) / f"a11y-clerk-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 900})
    overflow = page.evaluate(WIDEST)
    page.set_viewport_size({"width": 1280, "height": 900})
    assert not overflow, f"{name}: at 320px these stick out sideways: {overflow}"


@pytest.fixture
def submitted(serres: Any, serres_department: Any, citizen: Any) -> Any:
    from dimos.core.bootstrap import kits_apply
    from dimos.eservices.models import Service
    from dimos.eservices.tests.conftest import make_submitted

    kits_apply(municipality=serres, kits=["eservices"])
    return make_submitted(serres, Service.objects.get(municipality=serres, slug="monimi-katoikia"), citizen)


def test_void_and_issue_through_confirmation_pages(
    live_server: Any, submitted: Any, alice: Any, serres: Any, serres_department: Any, open_browser: Any
) -> None:
    from playwright.sync_api import expect

    from dimos.core.constants import StaffRole
    from dimos.core.testing import make_staff

    head = make_staff("head", serres, StaffRole.DEPARTMENT_HEAD, department=serres_department)
    label = submitted.protocol_label
    base = live_server.url
    page = open_browser()
    page.set_default_timeout(60_000)  # a loaded machine
    login_as(page, base, head)
    page.goto(f"{base}/staff/services/register/")
    look(page, "register")
    page.get_by_role("link", name=f"Ακύρωση… της εγγραφής {label}").click()
    expect(page.get_by_role("alert")).to_contain_text("η αίτηση αυτής της εγγραφής είναι ακόμη ανοικτή")
    look(page, "void-confirm")
    page.get_by_role("button", name=f"Οριστική ακύρωση της {label}").click()  # no reason
    reason = page.get_by_label("Αιτιολογία ακύρωσης")
    expect(reason).to_have_attribute("aria-invalid", "true")
    look(page, "void-error")
    assert not in_thread(lambda: type(submitted.protocol).objects.get(pk=submitted.protocol_id).voided)

    # Approve-and-issue, by the clerk: the summary first, then the one button that issues.
    clerk = page
    login_as(clerk, base, alice)
    clerk.goto(f"{base}/staff/services/applications/{submitted.pk}/")
    clerk.get_by_role("button", name="Σε επεξεργασία").click()
    clerk.get_by_role("button", name="Απόρριψη").click()  # no reason: refused at the field
    expect(clerk.get_by_label("Σχόλιο / αιτιολογία")).to_have_attribute("aria-invalid", "true")
    look(clerk, "case-error")
    clerk.get_by_role("link", name="Έγκριση και έκδοση εγγράφου…").click()
    expect(clerk.get_by_role("heading", name="Τι θα εκδοθεί")).to_be_visible()
    look(clerk, "issue-confirm")
    clerk.get_by_role("button", name="Έγκριση και έκδοση", exact=True).click()
    expect(clerk.locator(".badge", has_text="Εκδόθηκε")).to_be_visible()
