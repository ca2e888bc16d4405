"""One report intake: the web form and Open311 POST find, place and route a report the same way."""

from __future__ import annotations

import pytest
from django.test import Client

from dimos.core.testing import SERRES_HOST, client_for
from dimos.reports.models import Report, RoutingRule, Street
from dimos.reports.services import Reporter, open311_client_issue, report_intake, report_submit
from dimos.reports.tests.conftest import CITY, MOUNTAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def mountain_rule(serres, categories, departments, mountain_unit) -> RoutingRule:
    return RoutingRule.objects.create(
        municipality=serres,
        category=categories["street-light"],
        unit=mountain_unit,
        department=departments["prasino"],
    )


@pytest.mark.parametrize(
    ("web_place", "open311_place"),
    [
        (
            {"lat": str(MOUNTAIN[0]), "lon": str(MOUNTAIN[1])},
            {"lat": str(MOUNTAIN[0]), "long": str(MOUNTAIN[1])},
        ),
        ({"lat": "", "lon": "", "address": "Κάστρου 3"}, {"address_string": "Κάστρου 3"}),
    ],
)
def test_both_doors_route_the_same_input_to_the_same_unit_and_department(
    serres, citizen, mountain_unit, mountain_rule, web_place, open311_place
):
    Street.objects.create(municipality=serres, name="Κάστρου", lat=MOUNTAIN[0], lon=MOUNTAIN[1])
    web = client_for(citizen, SERRES_HOST).post(
        "/reports/new/",
        {"category": "street-light", "description": "Σβηστή λάμπα.", "nearby_checked": "1", **web_place},
    )
    assert web.status_code == 302
    _, key = open311_client_issue(municipality=serres, name="App")
    api = Client(HTTP_HOST=SERRES_HOST).post(
        "/open311/v2/requests.json",
        {"jurisdiction_id": "serres.gr", "api_key": key, "service_code": "street-light", **open311_place},
    )
    assert api.status_code == 200, api.content
    from_web, from_api = Report.objects.order_by("pk")
    assert (from_web.source, from_api.source) == ("web", "open311")
    for report in (from_web, from_api):
        assert report.unit == mountain_unit
        assert report.department == mountain_rule.department
        assert (report.lat, report.lon) == MOUNTAIN


def test_nearby_open_reports_come_back_instead_of_a_new_report(serres, categories, citizen):
    existing = report_submit(
        municipality=serres,
        category=categories["street-light"],
        lat=CITY[0],
        lon=CITY[1],
        description="Σβηστή λάμπα.",
        reporter=Reporter(user=citizen),
    )
    arguments = {
        "municipality": serres,
        "category_code": "street-light",
        "lat": CITY[0],
        "lon": CITY[1],
        "description": "Πάλι σβηστή.",
        "reporter": Reporter(user=citizen),
    }
    intake = report_intake(**arguments, nearby_seen=False)
    assert intake.report is None
    assert [report for report, _distance in intake.nearby] == [existing]
    assert Report.objects.count() == 1
    intake = report_intake(**arguments, nearby_seen=True)
    assert intake.report is not None and intake.nearby == []
    assert Report.objects.count() == 2


def test_every_problem_of_the_first_step_is_reported_at_once(serres, categories):
    from dimos.core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        report_intake(
            municipality=serres,
            category_code="no-such",
            description="",
            reporter=Reporter(email="not-an-email"),
            source="open311",
        )
    assert set(caught.value.errors) == {"category", "location", "email"}
    assert "no-such" in caught.value.errors["category"][0]
    assert not Report.objects.exists()
