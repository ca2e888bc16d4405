"""WCAG 2.1 AA checks (axe-core) of the core pages, in Greek and English, as a citizen and as staff."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.models import AuditEvent
from dimos.core.testing import make_municipality, make_staff
from dimos.core.testing_browser import assert_accessible, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def municipality(db: Any) -> Any:
    return make_municipality(
        "serres",
        "localhost",
        name_el="Δήμος Σερρών",
        name_en="Municipality of Serres",
        code="SER",
        phone="23213 50100",
        address="Κωνσταντίνου Καραμανλή 1",
    )


@pytest.mark.parametrize("path", ["/", "/accessibility/", "/privacy/"])
def test_public_pages_have_no_wcag_violations(
    live_server: Any, municipality: Any, path: str, open_browser: Any
) -> None:
    browser_page = open_browser()
    browser_page.goto(live_server.url + path)
    assert browser_page.evaluate("document.documentElement.lang") == "el"
    assert_accessible(browser_page)


def test_english_home_page_and_skip_link(live_server: Any, municipality: Any, open_browser: Any) -> None:
    page = open_browser()
    page.goto(live_server.url + "/")
    with page.expect_navigation():
        page.get_by_role("link", name="English").click()
    assert page.evaluate("document.documentElement.lang") == "en"
    assert_accessible(page)
    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.fixture
def admin(municipality: Any) -> Any:
    user = make_staff("anna", municipality, "municipal_admin", is_staff=True, first_name="Άννα")
    AuditEvent.objects.create(municipality=municipality, action="application.submit", actor=user)
    return user


def test_staff_pages_have_no_wcag_violations(live_server: Any, admin: Any, open_browser: Any) -> None:
    browser_page = open_browser()
    login_as(browser_page, live_server.url, admin)
    for path in ["/staff/", "/staff/audit/"]:
        browser_page.goto(live_server.url + path)
        assert "Άννα" in browser_page.content()
        assert_accessible(browser_page)
