"""Browser: the live parking page shows free spaces that change when readings arrive (no reload)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from conftest import chromium_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_parking_page_updates_without_reload(live_server: Any, serres: Any, monkeypatch: Any) -> None:
    # Playwright's sync API runs an event loop in this thread; the ORM calls below are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import expect, sync_playwright

    from dimos.sensors import services
    from dimos.sensors.constants import Source

    spots = [
        services.device_create(
            municipality=serres,
            type_code="ParkingSpot",
            code=f"m-{i}",
            name=f"Μεραρχίας {i}",
            group="Μεραρχίας",
            lat=41.0905 + i * 0.0001,
            lon=23.55,
        )
        for i in range(3)
    ]

    def feed(statuses: list[str], seconds_ago: int) -> None:
        at = timezone.now() - timedelta(seconds=seconds_ago)
        services.readings_ingest(
            municipality=serres,
            items=[
                services.ReadingIn(device=s, observed_at=at, values={"status": st})
                for s, st in zip(spots, statuses, strict=True)
            ],
            source=Source.HTTP,
        )

    feed(["free", "occupied", "occupied"], 60)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path(),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        try:
            page = browser.new_page(locale="el-GR")
            page.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
            page.goto(f"{live_server.url}/parking/")
            row = page.locator("#parking-table tr", has_text="Μεραρχίας")
            expect(row.locator("[data-free-cell]")).to_have_text("✓ 1")
            expect(page.locator(".parking-total")).to_contain_text("1 ελεύθερη θέση")
            expect(page.locator("#parking-map path.leaflet-interactive")).to_have_count(1)  # one per street
            page.evaluate("window.__marker = 'same page'")
            feed(["free", "free", "free"], 1)
            # htmx polls every 15 s and swaps the list in place.
            expect(row.locator("[data-free-cell]")).to_have_text("✓ 3", timeout=25_000)
            expect(page.locator(".parking-total")).to_contain_text("3 ελεύθερες θέσεις")
            assert page.evaluate("window.__marker") == "same page"  # no reload happened
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs use connections of their own
            # context: close them here, or PostgreSQL cannot drop the test database.
            connections.close_all()
