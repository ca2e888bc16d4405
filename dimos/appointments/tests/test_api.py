from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment
from dimos.appointments.tests.conftest import at
from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST, client_for


@pytest.fixture
def citizen_api(citizen: Any) -> Any:
    return client_for(citizen, SERRES_HOST)


def _book(client: Any, setup: Any, when: Any) -> Any:
    return client.post(
        reverse("appointments-api:api_book"),
        {"point": setup.point.pk, "type": setup.type.pk, "starts_at": when.isoformat()},
        content_type="application/json",
    )


def test_points_and_free_slots_are_public_and_carry_no_personal_data(anon_client, citizen_api, setup):
    points = anon_client.get(reverse("appointments-api:api_points")).json()
    assert points[0]["name_el"] == "Δημαρχείο" and points[0]["types"][0]["duration_minutes"] == 15
    assert _book(citizen_api, setup, at(setup.day, 9)).status_code == 201
    response = anon_client.get(
        reverse("appointments-api:api_slots"),
        {"point": setup.point.pk, "type": setup.type.pk, "start": setup.day.isoformat(), "days": 1},
    )
    assert response.status_code == 200
    day = response.json()[0]
    assert day["day"] == setup.day.isoformat()
    starts = [s["starts_at"] for s in day["slots"]]
    assert at(setup.day, 9).isoformat() not in starts and at(setup.day, 9, 15).isoformat() in starts
    assert "Παπαδοπούλου" not in response.content.decode() and "maria" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"point": "x", "type": 1},
        {"point": 1, "type": 1, "days": 500},
        {"point": 1, "type": 1, "start": "no"},
    ],
)
def test_bad_slot_queries_get_problem_details(anon_client, setup, query):
    response = anon_client.get(reverse("appointments-api:api_slots"), query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_unknown_point_is_404_problem(anon_client, setup):
    response = anon_client.get(reverse("appointments-api:api_slots"), {"point": 99999, "type": setup.type.pk})
    assert response.status_code == 404 and response.json()["status"] == 404


def test_book_mine_and_cancel(citizen_api, setup):
    response = _book(citizen_api, setup, at(setup.day, 9))
    assert response.status_code == 201
    reference = response.json()["reference"]
    assert _book(citizen_api, setup, at(setup.day, 9)).json()["reference"] == reference  # idempotent
    mine = citizen_api.get(reverse("appointments-api:api_mine")).json()
    assert [a["reference"] for a in mine] == [reference]
    cancel = citizen_api.post(reverse("appointments-api:api_cancel", kwargs={"reference": reference}))
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    again = citizen_api.post(reverse("appointments-api:api_cancel", kwargs={"reference": reference}))
    assert again.status_code == 409 and again.json()["type"].endswith("transition_not_allowed")


def test_double_booking_is_a_409_problem(citizen_api, setup, other_citizen):
    assert _book(citizen_api, setup, at(setup.day, 9)).status_code == 201
    response = _book(client_for(other_citizen, SERRES_HOST), setup, at(setup.day, 9))
    assert response.status_code == 409
    body = response.json()
    assert body["type"].endswith("slot_taken") and "μόλις κλείστηκε" in body["detail"]
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"point": 1, "type": 1},
        {"point": 1, "type": 1, "starts_at": "tomorrow"},
    ],
)
def test_bad_bookings_get_problem_details(citizen_api, setup, payload):
    response = citizen_api.post(
        reverse("appointments-api:api_book"), payload, content_type="application/json"
    )
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert not Appointment.objects.exists()


def test_booking_off_schedule_is_refused(citizen_api, setup):
    response = _book(citizen_api, setup, at(setup.day, 7))
    assert response.status_code == 400 and "starts_at" in response.json()["errors"]


def test_booking_needs_sign_in(anon_client, setup):
    assert _book(anon_client, setup, at(setup.day, 9)).status_code in (401, 403)


def test_a_citizen_cannot_cancel_anothers_appointment(citizen_api, setup, other_citizen):
    reference = _book(client_for(other_citizen, SERRES_HOST), setup, at(setup.day, 9)).json()["reference"]
    response = citizen_api.post(reverse("appointments-api:api_cancel", kwargs={"reference": reference}))
    assert response.status_code == 404


def test_staff_day_list_and_mark(alice, citizen_api, setup):
    reference = _book(citizen_api, setup, at(setup.day, 9)).json()["reference"]
    staff = client_for(alice, SERRES_HOST)
    rows = staff.get(
        reverse("appointments-api:api_day_list"), {"point": setup.point.pk, "date": setup.day.isoformat()}
    ).json()
    assert rows[0]["reference"] == reference and rows[0]["citizen_name"] == "Μαρία Παπαδοπούλου"
    assert AuditEvent.objects.filter(action="appointments.day_list_viewed", actor=alice).exists()
    assert staff.get(reverse("appointments-api:api_day_list"), {"point": setup.point.pk}).status_code == 400
    appointment = Appointment.objects.get()
    url = reverse("appointments-api:api_mark", kwargs={"pk": appointment.pk})
    early = staff.post(url, {"status": "no_show"}, content_type="application/json")
    assert early.status_code == 400
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - timezone.timedelta(hours=1), ends_at=timezone.now()
    )
    assert staff.post(url, {"status": "served"}, content_type="application/json").json()["status"] == "served"
    wrong = staff.post(url, {"status": "booked"}, content_type="application/json")
    assert wrong.status_code == 400
    assert Appointment.objects.get().status == AppointmentStatus.SERVED


def test_citizens_cannot_use_staff_endpoints(citizen_api, setup):
    response = citizen_api.get(
        reverse("appointments-api:api_day_list"), {"point": setup.point.pk, "date": "2030-01-01"}
    )
    assert response.status_code == 404


def test_the_schema_documents_the_endpoints(anon_client):
    schema = anon_client.get(reverse("api-schema")).content.decode()
    for path in ["/api/v1/appointments/slots/", "/api/v1/appointments/staff/day/", "/api/v1/appointments/"]:
        assert path in schema
