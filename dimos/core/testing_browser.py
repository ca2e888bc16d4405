"""Browser-test helpers: headless Debian Chromium through Playwright, and axe-core.

Used by tests marked ``browser`` (see the root conftest for when they run).
``assert_accessible`` runs axe-core (shipped inside the axe-playwright-python
package) with the WCAG 2.0/2.1 A and AA rules on the current page.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from django.db import connections

T = TypeVar("T")

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


@pytest.fixture
def open_browser() -> Iterator[Callable[[], Any]]:
    """A factory for a headless Chromium page (Greek locale), closed after the test.

    The test calls it in its body, after every database fixture is set up: while
    Playwright's sync API runs, Django treats this thread as async, so ORM code in
    the test body after that goes through ``in_thread``.
    """
    state: dict[str, Any] = {}

    def open_page() -> Any:
        from playwright.sync_api import sync_playwright

        from conftest import chromium_path

        state["playwright"] = playwright = sync_playwright().start()
        state["browser"] = browser = playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="el-GR")
        # Map tiles and any other outside request fail fast: there is no internet here.
        context.route("http*://*.openstreetmap.org/**", lambda route: route.abort())
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    if state:
        state["browser"].close()
        state["playwright"].stop()
        # Leaving Playwright's greenlet loop can leave it marked as running in this
        # thread; Django would then refuse ORM calls in later fixtures as "async".
        asyncio.events._set_running_loop(None)


def in_thread(query: Callable[[], T]) -> T:
    """Run ORM code outside Playwright's event loop, on a connection closed afterwards.

    (Setting DJANGO_ALLOW_ASYNC_UNSAFE instead would leave a connection open that
    keeps PostgreSQL from dropping the test database.)
    """
    result: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(query())
        except BaseException as exc:  # re-raised in the test thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def login_as(page: Any, live_server_url: str, user: Any) -> None:
    """Sign ``user`` in by handing the browser a session made by the test client."""
    from django.conf import settings
    from django.test import Client

    def session_cookie() -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    value = in_thread(session_cookie)
    host = live_server_url.split("//", 1)[1].split(":")[0]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": value, "domain": host, "path": "/"}]
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
