"""The factories make valid rows, and every row of one factory call belongs to one municipality."""

from __future__ import annotations

from django.contrib.auth import authenticate

from dimos.appointments.tests.factories import CounterFactory, OpeningHoursFactory
from dimos.core.tests.factories import STAFF_PASSWORD, CitizenFactory, DepartmentFactory, StaffFactory
from dimos.eservices.tests.factories import ApplicationFactory
from dimos.reports.tests.factories import RoutingRuleFactory
from dimos.sensors.tests.factories import DeviceFactory


def test_staff_sign_in_with_the_shared_password_and_citizens_have_none(db):
    staff = StaffFactory(department=DepartmentFactory())

    assert authenticate(username=staff.username, password=STAFF_PASSWORD) == staff
    assert not CitizenFactory().has_usable_password()


def test_related_rows_share_the_municipality_of_the_row(db):
    rule = RoutingRuleFactory()
    application = ApplicationFactory()
    counter = CounterFactory(types=[])
    hours = OpeningHoursFactory(point=counter.point)

    assert (
        rule.municipality
        == rule.category.municipality
        == rule.unit.municipality
        == rule.department.municipality
    )
    assert rule.category.group.municipality == rule.municipality
    assert application.municipality == application.service.municipality
    assert counter.municipality == counter.point.municipality == hours.municipality


def test_a_device_goes_through_the_service(db):
    device = DeviceFactory()

    # The NGSI-LD id is made by device_create; a bare model save would leave it empty.
    assert device.ngsi_id.startswith("urn:ngsi-ld:WasteContainer:")
    assert device.type.code == "WasteContainer"
