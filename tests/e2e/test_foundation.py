"""The foundation in a real browser: home page, language switch, citizen sign-in (demo stand-in)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, TypeVar

import pytest
from django.contrib.auth import get_user_model

from dimos.core.models import Notification
from dimos.core.tenancy import host_map_invalidate
from dimos.core.testing import make_municipality
from dimos.core.testing_browser import in_thread

T = TypeVar("T")
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def site(settings: Any) -> Any:
    settings.DIMOS_DEV_LOGIN = True
    municipality = make_municipality(
        "serres", "serres.localhost", name_el="Δήμος Σερρών", name_en="Municipality of Serres", code="SER"
    )
    # live_server answers on localhost.
    municipality.hostnames = ["serres.localhost", "localhost", "127.0.0.1"]
    municipality.save()
    host_map_invalidate()
    # A demo citizen who has not yet given an e-mail address.
    get_user_model().objects.create_user(
        username="c-demo-nikos", first_name="Νίκος", last_name="Γεωργίου", afm="090000045", birth_year=1972
    )
    return municipality


def test_home_language_and_citizen_sign_in(
    live_server: Any, site: Any, open_browser: Any, tmp_path: Path
) -> None:
    page = open_browser()
    # Screenshots to look at: DIMOS_SCREENSHOTS=/some/dir pytest tests/e2e/test_foundation.py
    shots = Path(os.environ.get("DIMOS_SCREENSHOTS") or tmp_path)
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "el"
    assert "Δήμος Σερρών" in page.locator("header").inner_text()

    # Switch to English and back.
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Ελληνικά").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "el"

    # Sign in through the demo stand-in for TaxisNet.
    page.get_by_role("link", name="Σύνδεση").first.click()
    page.get_by_role("link", name="Σύνδεση με TaxisNet (επίδειξη)").click()
    assert "Σελίδα επίδειξης" in page.content()
    page.screenshot(path=shots / "accounts-demo-taxisnet.png", full_page=True)
    page.get_by_role("button", name="Σύνδεση ως Νίκος Γεωργίου").click()

    # No e-mail yet: the e-mail step is shown.
    if "/accounts/me/email/" in page.url:
        page.get_by_label("Διεύθυνση e-mail").fill("nikos@example.org")
        page.get_by_role("button", name="Αποστολή συνδέσμου επαλήθευσης").click()
        assert "Ελέγξτε το e-mail σας" in page.content()
        body = in_thread(lambda: Notification.objects.get(key="accounts.verify_email").body)
        link = re.search(r"https?://\S+/accounts/me/email/verify/\S+/", body).group(0)
        page.goto(link)
        assert "Η διεύθυνση e-mail σας επαληθεύτηκε" in page.content()
        assert "επαληθευμένο" in page.locator("main").inner_text()

    assert "Νίκος Γεωργίου" in page.locator("header .who").inner_text()
    page.screenshot(path=shots / "accounts-my-account.png", full_page=True)
    assert in_thread(lambda: get_user_model().objects.get(afm="090000045").email_verified)


def test_the_menu_folds_behind_a_button_on_phones_with_and_without_javascript(
    live_server: Any, site: Any, open_browser: Any
) -> None:
    from dimos.core.testing_browser import assert_accessible

    page = open_browser()
    menu_link = page.locator(".main-nav").get_by_role("link", name="Αναφορά προβλήματος")
    button = page.locator(".main-nav summary")

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    assert button.is_visible() and button.inner_text().strip() == "Μενού"
    assert not menu_link.is_visible()  # folded: the first screen is the page, not the menu
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    assert menu_link.is_visible() and button.get_attribute("aria-expanded") == "true"
    assert_accessible(page)
    menu_link.focus()
    page.keyboard.press("Escape")
    assert not menu_link.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    # By keyboard: Enter on the button opens it.
    page.keyboard.press("Enter")
    assert menu_link.is_visible()

    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(live_server.url + "/")
    assert menu_link.is_visible() and not button.is_visible()  # wide screens: always open

    # Without JavaScript: the same, from HTML and CSS alone.
    context = page.context.browser.new_context(java_script_enabled=False, locale="el-GR")
    plain = context.new_page()
    plain.set_viewport_size({"width": 320, "height": 640})
    plain.goto(live_server.url + "/")
    link = plain.locator(".main-nav").get_by_role("link", name="Αναφορά προβλήματος")
    assert not link.is_visible()
    plain.locator(".main-nav summary").click()
    assert link.is_visible()
    plain.set_viewport_size({"width": 1280, "height": 800})
    plain.goto(live_server.url + "/")
    assert link.is_visible() and not plain.locator(".main-nav summary").is_visible()
    context.close()


@pytest.mark.parametrize("role", ["clerk", "municipal_admin", "school_director", "region_viewer"])
def test_the_staff_home_and_staff_menu_of_a_role_are_accessible(
    live_server: Any, site: Any, open_browser: Any, role: str
) -> None:
    from dimos.core.testing import make_staff
    from dimos.core.testing_browser import assert_accessible, login_as

    user = make_staff(f"home-{role}", None if role == "region_viewer" else site, role)
    page = open_browser()
    login_as(page, live_server.url, user)
    page.goto(live_server.url + "/staff/")
    assert page.locator("nav.main-nav").get_attribute("aria-label") == "Μενού υπηρεσιών"
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.locator(".main-nav summary").click()
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
