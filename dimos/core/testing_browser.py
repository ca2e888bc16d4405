"""Browser-test helpers: headless Debian Chromium through Playwright, and axe-core.

Used by tests marked ``browser`` (see the root conftest for when they run).
``assert_accessible`` runs axe-core (shipped inside the axe-playwright-python
package) with the WCAG 2.0/2.1 A and AA rules on the current page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Any]:
    # Playwright's sync API refuses to run inside a running asyncio loop, and
    # Django's async-unsafe guard must allow the live server's DB access.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from conftest import chromium_path

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser: Any) -> Iterator[Any]:
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900}, locale="el-GR")
    # Map tiles and any other outside request fail fast instead of hanging: no internet here.
    context.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def login_as(page: Any, live_server_url: str, user: Any) -> None:
    """Sign ``user`` in by handing the browser a session made by the test client."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    host = live_server_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "domain": host, "path": "/"}]
    )


def assert_accessible(page: Any, *, exclude: list[str] | None = None) -> None:
    """Fail with the list of WCAG 2.1 A/AA violations axe-core finds on the page."""
    from axe_playwright_python.sync_playwright import Axe

    context: Any = {"exclude": [[sel] for sel in exclude]} if exclude else None
    options = {"runOnly": {"type": "tag", "values": WCAG_AA}}
    results = Axe().run(page, context=context, options=options)
    violations = results.response["violations"]
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} → {[n['target'] for n in v['nodes']][:5]}"
        for v in violations
    )
