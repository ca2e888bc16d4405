"""WCAG 2.1 AA (axe-core) checks of the reporting and sensor pages on the full Serres demo data.

The demo data set is the richest fixture we have (600 reports, the sensor city,
alarms), so these pages are checked as a visitor and an operator would see them.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from dimos.core.models import Municipality
from dimos.core.tenancy import host_map_invalidate
from dimos.core.testing_browser import assert_accessible, in_thread, login_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_city(db: Any) -> Any:
    call_command("demo_data", stdout=io.StringIO())
    serres = Municipality.objects.get(slug="serres")
    # The live server answers on localhost, which the demo data gives to Serres already.
    assert "localhost" in serres.hostnames
    host_map_invalidate(serres.pk)
    return serres


PUBLIC = ["/reports/", "/reports/new/", "/reports/stats/", "/parking/", "/air-quality/", "/noise/"]
STAFF = ["/staff/reports/", "/staff/sensors/", "/staff/sensors/rules/", "/staff/sensors/credentials/"]


def test_city_pages_have_no_wcag_violations(live_server: Any, demo_city: Any, open_browser: Any) -> None:
    from django.contrib.auth import get_user_model

    from dimos.reports.models import Report

    page = open_browser()
    report_id = in_thread(lambda: Report.objects.filter(municipality=demo_city).order_by("pk").first().pk)
    for path in [*PUBLIC, f"/reports/{report_id}/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
    admin = in_thread(lambda: get_user_model().objects.get(username="admin.serres"))
    login_as(page, live_server.url, admin)
    for path in [*STAFF, f"/staff/reports/{report_id}/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
