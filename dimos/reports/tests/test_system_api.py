"""report_create_from_system: the API other systems (sensor alarms) open reports with."""

from __future__ import annotations

import pytest

from dimos.core.exceptions import NotFound, ValidationFailed
from dimos.reports.constants import ReportStatus, Source
from dimos.reports.models import Report, ReportFollower
from dimos.reports.services import report_create_from_system, report_transition
from dimos.reports.tests.conftest import CITY, IN_IRAKLEIA, MOUNTAIN, OUTSIDE_EVERYTHING

pytestmark = pytest.mark.django_db


def _make(serres, **kw):
    args = {
        "municipality": serres,
        "category_code": "street-light",
        "lat": CITY[0],
        "lon": CITY[1],
        "description": "Ο φωτιστικός κόμβος 17 δεν ανάβει (συναγερμός αισθητήρα).",
        "external_ref": "alarm:42",
    }
    args.update(kw)
    return report_create_from_system(**args)


def test_routes_like_a_citizen_report(serres, categories):
    report = _make(serres)
    assert report.category.code == "street-light"
    assert report.department.code == "ilektrofotismos"
    assert report.unit.name_el == "Σερρών"
    assert report.source == Source.SENSOR
    assert report.status == ReportStatus.SUBMITTED and report.is_open and report.is_public
    assert report.deadline is not None
    assert report.updates.count() == 1


def test_waste_bin_goes_to_cleaning(serres, categories):
    report = _make(serres, category_code="waste-bin", external_ref="bin:7")
    assert report.department.code == "kathariotita"


def test_unit_rule_overrides_default(serres, categories):
    city = _make(serres, category_code="pothole", external_ref="a")
    mountain = _make(serres, category_code="pothole", external_ref="b", lat=MOUNTAIN[0], lon=MOUNTAIN[1])
    assert city.department.code == "odopoiia"
    assert mountain.unit.name_el == "Ορεινής"
    assert mountain.department.code == "technikes"


def test_idempotent_while_open(serres, categories):
    first = _make(serres)
    again = _make(serres, description="άλλο κείμενο")
    assert again.pk == first.pk
    assert Report.objects.filter(municipality=serres).count() == 1


def test_new_report_after_close(serres, categories, alice):
    first = _make(serres)
    report_transition(report=first, to_status=ReportStatus.FIXED, actor=alice)
    second = _make(serres)
    assert second.pk != first.pk
    assert Report.objects.filter(municipality=serres, external_ref="alarm:42").count() == 2


def test_same_ref_in_two_municipalities_is_independent(serres, irakleia, categories):
    from dimos.reports.demo import seed_categories

    seed_categories(irakleia)
    a = _make(serres)
    b = _make(irakleia, lat=IN_IRAKLEIA[0], lon=IN_IRAKLEIA[1])
    assert a.pk != b.pk and b.municipality == irakleia


def test_no_personal_data(serres, categories):
    report = _make(serres)
    assert report.reporter is None
    assert report.reporter_name == report.reporter_email == report.reporter_phone == ""
    assert not ReportFollower.objects.filter(report=report).exists()


def test_water_leak_is_forwarded_not_assigned(serres, categories, mailoutbox):
    from dimos.core.tasks import tasks_run_pending

    report = _make(serres, category_code="water-leak", external_ref="flow:3")
    assert report.status == ReportStatus.FORWARDED
    assert report.department is None
    assert report.external_body.code == "deya-serron"
    tasks_run_pending()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [report.external_body.email]
    assert report.reference in mailoutbox[0].subject


@pytest.mark.parametrize(
    ("kw", "error"),
    [
        ({"category_code": "no-such"}, NotFound),
        ({"lat": "abc"}, ValidationFailed),
        ({"lat": float("nan")}, ValidationFailed),
        ({"lat": OUTSIDE_EVERYTHING[0], "lon": OUTSIDE_EVERYTHING[1]}, ValidationFailed),
        ({"lat": IN_IRAKLEIA[0], "lon": IN_IRAKLEIA[1]}, ValidationFailed),
        ({"description": ""}, ValidationFailed),
        ({"description": "<b>x</b>"}, ValidationFailed),
        ({"description": "x" * 4001}, ValidationFailed),
        ({"external_ref": ""}, ValidationFailed),
        ({"source": "nonsense"}, ValidationFailed),
    ],
)
def test_bad_input_writes_nothing(serres, irakleia, categories, kw, error):
    with pytest.raises(error):
        _make(serres, **kw)
    assert not Report.objects.exists()


def test_outside_names_the_responsible_municipality(serres, irakleia, categories):
    with pytest.raises(ValidationFailed) as info:
        _make(serres, lat=IN_IRAKLEIA[0], lon=IN_IRAKLEIA[1])
    assert "Ηράκλειας" in info.value.message
