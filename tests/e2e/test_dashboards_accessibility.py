"""WCAG 2.1 AA checks (axe-core) of the mayor's dashboard and «Ο δήμος σε αριθμούς», at desktop and 320 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from dimos.core.constants import StaffRole
from dimos.core.testing import make_municipality, make_staff
from dimos.core.testing_browser import assert_accessible, login_as
from dimos.dashboards.tests.helpers import TODAY, application, report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def municipality(db: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr("dimos.dashboards.views.timezone.localdate", lambda: TODAY)
    serres = make_municipality(
        "serres", "localhost", name_el="Δήμος Σερρών", name_en="Municipality of Serres"
    )
    for day in range(1, 9):
        report(serres, created=dt.date(2026, 11, day), fixed=dt.date(2026, 11, day + 2) if day % 2 else None)
        application(
            serres,
            submitted=dt.date(2026, 10, day),
            decided=dt.date(2026, 11, day),
            deadline=dt.date(2026, 11, 5),
        )
    return serres


def _no_horizontal_scroll(page: Any) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_public_figures_page(live_server: Any, municipality: Any, open_browser: Any) -> None:
    page = open_browser()
    page.goto(live_server.url + "/numbers/")
    assert page.get_by_role("img", name="Αναφορές πολιτών ανά μήνα").count() == 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert _no_horizontal_scroll(page)
    assert_accessible(page)


def test_mayors_dashboard(live_server: Any, municipality: Any, open_browser: Any) -> None:
    mayor = make_staff("mayor", municipality, StaffRole.MAYOR, first_name="Αλέξανδρος")
    page = open_browser()
    login_as(page, live_server.url, mayor)
    page.goto(live_server.url + "/staff/dashboard/")
    assert page.get_by_role("heading", name="Αιτήσεις πολιτών").count() == 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert _no_horizontal_scroll(page)
    assert_accessible(page)
