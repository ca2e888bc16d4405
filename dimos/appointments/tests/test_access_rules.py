"""The desk is for those who serve citizens (issue 11): the day list names them."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dimos.appointments import services
from dimos.appointments.models import Appointment
from dimos.appointments.tests.test_hostile_input import appointment  # noqa: F401  (fixture)
from dimos.core.constants import StaffRole
from dimos.core.exceptions import PermissionDenied
from dimos.core.testing import SERRES_HOST, client_for, make_staff

pytestmark = pytest.mark.django_db

OUTSIDERS = [StaffRole.SCHOOL_DIRECTOR, StaffRole.EDUCATION_OFFICER, StaffRole.REGION_VIEWER]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_school_and_region_roles_get_403_at_the_desk(
    role: str,
    serres: Any,
    setup: Any,
    appointment: Appointment,  # noqa: F811
) -> None:
    user = make_staff(f"x-{role}", None if role == StaffRole.REGION_VIEWER else serres, role)
    client = client_for(user, SERRES_HOST)
    query = {"point": setup.point.pk, "date": setup.day.isoformat()}
    for name in ("appointments:day_list", "appointments:day_print", "appointments-api:api_day_list"):
        response = client.get(reverse(name), query)
        assert response.status_code == 403, name
        assert "Παπαδοπούλου" not in response.content.decode()
    mark = client.post(reverse("appointments:mark", kwargs={"pk": appointment.pk}), {"status": "served"})
    assert mark.status_code == 403
    home = client.get(reverse("core:staff_home")).content.decode()
    assert reverse("appointments:day_list") not in home
    with pytest.raises(PermissionDenied):
        services.appointment_mark(appointment=appointment, actor=user, status="served")
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_the_clerk_has_the_desk_in_the_menu(alice: Any, setup: Any) -> None:
    home = client_for(alice, SERRES_HOST).get(reverse("core:staff_home")).content.decode()
    assert reverse("appointments:day_list") in home
