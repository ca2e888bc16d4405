"""The mayor's dashboard and «Ο δήμος σε αριθμούς» as people see them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from dimos.core.constants import StaffRole
from dimos.core.testing import IRAKLEIA_HOST, SERRES_HOST, client_for, make_staff
from dimos.core.tests.factories import MunicipalUnitFactory
from dimos.dashboards.tests.helpers import TODAY, application, report

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("dimos.dashboards.views.timezone.localdate", lambda: TODAY)


@pytest.fixture
def mayor(serres: Any) -> Any:
    return make_staff("mayor", serres, StaffRole.MAYOR)


def test_the_mayor_sees_the_figures_but_no_links_to_lists_they_may_not_open(serres: Any, mayor: Any) -> None:
    for day in (2, 3, 4):
        application(serres, submitted=D(2026, 11, day))
    page = client_for(mayor, SERRES_HOST).get(reverse("dashboards:mayor"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Πίνακας δεικτών του δήμου" in html
    assert '<td class="num kpi-now">3</td>' in html  # applications received in November
    assert 'role="img"' in html and "<desc" in html  # the trend chart, with its table
    for url_name in ("services:staff_queue", "reports:queue", "sensors:dashboard"):
        assert f'href="{reverse(url_name)}"' not in html


def test_the_administrator_gets_a_link_to_each_list(bob: Any) -> None:
    html = client_for(bob, SERRES_HOST).get(reverse("dashboards:mayor")).content.decode()
    for url_name in ("services:staff_queue", "reports:queue", "sensors:dashboard", "appointments:day_list"):
        assert f'href="{reverse(url_name)}"' in html


def test_a_clerk_is_told_no_and_another_municipality_finds_nothing(alice: Any, irakleia: Any) -> None:
    assert client_for(alice, SERRES_HOST).get(reverse("dashboards:mayor")).status_code == 403
    other_mayor = make_staff("other-mayor", irakleia, StaffRole.MAYOR)
    assert client_for(other_mayor, SERRES_HOST).get(reverse("dashboards:mayor")).status_code == 404
    assert client_for(other_mayor, IRAKLEIA_HOST).get(reverse("dashboards:mayor")).status_code == 200


def test_the_mayors_menu_holds_the_dashboard(mayor: Any) -> None:
    html = client_for(mayor, SERRES_HOST).get(reverse("core:staff_home")).content.decode()
    assert reverse("dashboards:mayor") in html


def test_public_figures_suppress_small_counts_and_write_greek_numbers(serres: Any) -> None:
    for day in range(1, 7):
        report(serres, created=D(2026, 11, day))
    report(serres, created=D(2026, 10, 3))
    page = client_for(None, SERRES_HOST).get(reverse("dashboards:figures"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ο δήμος σε αριθμούς" in html
    assert '<td class="num">6</td>' in html
    assert '<td class="num">1</td>' not in html  # October's single report is not published


def test_public_figures_as_csv_and_a_bad_chart_name(serres: Any) -> None:
    for day in range(1, 7):
        report(serres, created=D(2026, 11, day))
    client = client_for(None, SERRES_HOST)
    csv = client.get(reverse("dashboards:figures") + "?csv=reports")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode().splitlines()
    assert lines[0] == "\ufeffΜήνας;Αναφορές" and lines[-1].endswith(";6") and len(lines) == 13
    assert lines[-2].endswith(";")  # October: suppressed, an empty cell, not 0
    bad = client.get(reverse("dashboards:figures") + "?csv=salaries")
    assert bad.status_code == 400 and "reports" in bad.content.decode()


def test_region_staff_compare_municipalities_per_1000_residents(
    serres: Any, irakleia: Any, region_viewer: Any
) -> None:
    MunicipalUnitFactory(municipality=serres, population=2000)
    MunicipalUnitFactory(municipality=irakleia, population=500)
    for day in (2, 3):
        report(serres, created=D(2026, 11, day), fixed=D(2026, 11, day + 1))
    report(irakleia, created=D(2026, 11, 2))
    client = client_for(region_viewer, SERRES_HOST)
    html = client.get(reverse("dashboards:region")).content.decode()
    html = html[html.index("<tbody") :]
    # Irakleia: 1 report / 500 residents = 2,00 per 1.000, ranked above Serres' 2 / 2000 = 1,00.
    assert html.index(irakleia.name_el) < html.index(serres.name_el)
    assert "2,0" in html and "100,0 %" in html
    download = client.get(reverse("dashboards:region") + "?format=csv")
    csv = b"".join(download.streaming_content).decode().splitlines()
    assert csv[0].startswith("\ufeffΔήμος;Πληθυσμός;Αιτήσεις")
    assert csv[1].split(";")[1:] == ["500", "0", "0,0", "1", "2,0", "0,0"]
    assert csv[2].split(";")[1:] == ["2000", "0", "0,0", "2", "1,0", "100,0"]


def test_municipal_staff_get_no_region_comparison(bob: Any, mayor: Any) -> None:
    for user in (bob, mayor):
        assert client_for(user, SERRES_HOST).get(reverse("dashboards:region")).status_code == 403
