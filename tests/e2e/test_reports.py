"""Browser flow: a citizen drops a pin, attaches a photo and submits; staff mark it fixed;
the citizen sees the update. Map tiles never load (no internet): the page must work without them."""

from __future__ import annotations

import io
import os
from typing import Any

import pytest
from django.db import connections
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = os.environ.get("REPORTS_SCREENSHOTS", "")


def _jpeg(path: str) -> str:
    from PIL import Image

    img = Image.new("RGB", (800, 600), (180, 40, 40))
    buffer = io.BytesIO()
    img.save(buffer, format="JPEG")
    with open(path, "wb") as handle:
        handle.write(buffer.getvalue())
    return path


def _login(context: Any, client_factory: Any, user: Any, base: str) -> None:
    """Sign in through a session cookie (the login pages are being rebuilt in parallel)."""
    from django.conf import settings

    client = client_factory()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base}])


def _shot(page: Any, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def test_citizen_reports_staff_fix_citizen_sees_update(
    live_server: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    # Playwright's sync API runs an event loop in this thread; the ORM calls below are synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.contrib.auth import get_user_model
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from dimos.core.constants import StaffRole
    from dimos.core.demo import SERRES_DEPARTMENTS
    from dimos.core.models import Department
    from dimos.core.testing import make_municipality, make_staff
    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Report

    host = live_server.url.split("//")[1].split(":")[0]  # localhost
    serres = make_municipality(
        "serres",
        host,
        boundary={
            "type": "Polygon",
            "coordinates": [[[23.40, 40.97], [23.70, 40.97], [23.70, 41.35], [23.40, 41.35], [23.40, 40.97]]],
        },
        name_el="Δήμος Σερρών",
        code="SER",
        open311_jurisdiction="serres.gr",
    )
    for code, name_el, name_en, _parent in SERRES_DEPARTMENTS:
        Department.objects.create(municipality=serres, code=code, name_el=name_el, name_en=name_en)
    seed_categories(serres)
    User = get_user_model()
    citizen = User.objects.create_user(
        username="maria", first_name="Μαρία", last_name="Π.", email="maria@example.org", email_verified=True
    )
    clerk = make_staff(
        "petros",
        serres,
        StaffRole.CLERK,
        department=Department.objects.get(municipality=serres, code="ilektrofotismos"),
    )
    registry_clerk = make_staff(
        "kostas",
        serres,
        StaffRole.CLERK,
        department=Department.objects.get(municipality=serres, code="dimotologio"),
    )
    photo = _jpeg(str(tmp_path / "lamp.jpg"))

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            citizen_ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="el-GR")
            citizen_ctx.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
            _login(citizen_ctx, lambda: Client(HTTP_HOST=host), citizen, live_server.url)
            page = citizen_ctx.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(f"{live_server.url}/reports/new/")
            # Drop a pin: click in the middle of the map (the map centre is the city centre).
            page.locator("#pick-map").click()
            _shot(page, "00-pin")
            # A locator, not wait_for_function: the pages' Content-Security-Policy forbids eval.
            expect(page.locator("#id_lat")).not_to_have_value("", timeout=5000)
            assert not errors, errors
            assert "Σημείο" in page.locator("#pin-status").inner_text()
            page.get_by_label("Σβηστός ή χαλασμένος λαμπτήρας οδοφωτισμού").check()
            page.get_by_label("Περιγραφή").fill("Η λάμπα του στύλου μπροστά στο σπίτι μου είναι σβηστή.")
            page.set_input_files("#id_photos", photo)
            _shot(page, "01-report-form")
            page.get_by_role("button", name="Υποβολή αναφοράς").click()
            page.wait_for_url("**/reports/receipt/**")
            report = Report.objects.get()
            # Exactly the reference: "SER-1" is also inside "SER-10".
            assert page.locator("strong.ref").inner_text() == report.reference
            assert report.photos.count() == 1
            _shot(page, "02-receipt")

            staff_ctx = browser.new_context(locale="el-GR")
            staff_ctx.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
            _login(staff_ctx, lambda: Client(HTTP_HOST=host), clerk, live_server.url)
            staff = staff_ctx.new_page()
            staff.goto(f"{live_server.url}/staff/reports/")
            staff.get_by_role("link", name=report.reference, exact=True).click()
            _shot(staff, "03-staff-desk")
            staff.select_option("#id_status", "fixed")
            staff.fill("#id_comment", "Αντικαταστάθηκε ο λαμπτήρας.")
            staff.locator("#transition-form button[type=submit]").click()
            staff.get_by_text("Η κατάσταση άλλαξε.").wait_for()
            report.refresh_from_db()
            assert report.status == "fixed"

            # A clerk of another department (the civil registry) is told, in Greek, that they may not.
            other_ctx = browser.new_context(locale="el-GR")
            _login(other_ctx, lambda: Client(HTTP_HOST=host), registry_clerk, live_server.url)
            other = other_ctx.new_page()
            response = other.goto(f"{live_server.url}/staff/reports/{report.pk}/")
            assert response is not None and response.status == 403
            assert other.get_by_role("heading", name="Δεν επιτρέπεται").is_visible()
            assert "maria@example.org" not in other.content()
            other.goto(f"{live_server.url}/staff/reports/")
            assert report.reference not in other.locator("table").inner_text()

            page.goto(f"{live_server.url}/reports/mine/")
            page.get_by_role("link", name=report.reference, exact=True).click()
            assert "Αντικαταστάθηκε ο λαμπτήρας." in page.content()
            assert "Διορθώθηκε πράγματι το πρόβλημα;" in page.content()
            _shot(page, "04-citizen-sees-update")
            page.get_by_label("Ναι, διορθώθηκε").check()
            page.get_by_role("button", name="Αποστολή").click()
            page.get_by_text("Ευχαριστούμε για την απάντησή σας.").wait_for()
            report.refresh_from_db()
            assert report.status == "closed"
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs use connections of their own
            # context: close them here, or PostgreSQL cannot drop the test database.
            connections.close_all()


def test_typed_address_and_this_is_my_problem_too(live_server: Any, monkeypatch: Any) -> None:
    """A typed street sets the point; the nearby open report is offered instead of a duplicate."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from django.contrib.auth import get_user_model
    from django.test import Client
    from playwright.sync_api import sync_playwright

    from dimos.core.demo import SERRES_DEPARTMENTS
    from dimos.core.models import Department
    from dimos.core.testing import make_municipality
    from dimos.reports.demo import seed_categories
    from dimos.reports.models import Report, Street
    from dimos.reports.services import Reporter, report_submit

    host = live_server.url.split("//")[1].split(":")[0]
    serres = make_municipality(
        "serres",
        host,
        boundary={
            "type": "Polygon",
            "coordinates": [[[23.40, 40.97], [23.70, 40.97], [23.70, 41.35], [23.40, 41.35], [23.40, 40.97]]],
        },
        code="SER",
        open311_jurisdiction="serres.gr",
    )
    for code, name_el, name_en, _parent in SERRES_DEPARTMENTS:
        Department.objects.create(municipality=serres, code=code, name_el=name_el, name_en=name_en)
    categories = seed_categories(serres)
    Street.objects.create(municipality=serres, name="Μεραρχίας", lat=41.0830, lon=23.5530)
    neighbour = get_user_model().objects.create_user(
        username="nikos", email="nikos@example.org", email_verified=True
    )
    existing = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=41.0831,
        lon=23.5530,
        description="Σβηστή λάμπα στη Μεραρχίας",
        reporter=Reporter(user=neighbour),
    )
    citizen = get_user_model().objects.create_user(
        username="maria", email="maria@example.org", email_verified=True
    )

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 390, "height": 844}, locale="el-GR")
            context.route("**/tile.openstreetmap.org/**", lambda route: route.abort())
            _login(context, lambda: Client(HTTP_HOST=host), citizen, live_server.url)
            page = context.new_page()
            page.goto(f"{live_server.url}/reports/new/")
            page.get_by_label("Διεύθυνση").fill("Μεραρχίας")
            expect(page.locator("#id_lat")).not_to_have_value("")
            assert page.input_value("#id_lat").startswith("41.083")
            page.get_by_label("Σβηστός ή χαλασμένος λαμπτήρας οδοφωτισμού").check()
            button = page.get_by_role("button", name="Είναι και δικό μου πρόβλημα")
            button.wait_for()
            _shot(page, "05-nearby")
            button.click()
            page.get_by_text("Καταγράφηκε ότι έχετε το ίδιο πρόβλημα").wait_for()
        finally:
            browser.close()
            # ORM calls made while Playwright's loop runs use connections of their own
            # context: close them here, or PostgreSQL cannot drop the test database.
            connections.close_all()
    existing.refresh_from_db()
    assert existing.supporters_count == 1
    assert Report.objects.count() == 1
