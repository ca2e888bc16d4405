from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from dimos.appointments import links
from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment, SlotUsage
from dimos.appointments.services import appointment_book
from dimos.appointments.tests.conftest import at
from dimos.core.models import AuditEvent
from dimos.core.testing import SERRES_HOST, client_for


@pytest.fixture
def citizen_client(citizen: Any) -> Any:
    return client_for(citizen, SERRES_HOST)


def _slots_url(setup: Any) -> str:
    return reverse("appointments:slots", kwargs={"point_pk": setup.point.pk, "type_pk": setup.type.pk})


def _confirm_url(setup: Any) -> str:
    return reverse("appointments:confirm", kwargs={"point_pk": setup.point.pk, "type_pk": setup.type.pk})


def test_the_index_lists_points_types_and_hours_for_anyone(anon_client, setup):
    response = anon_client.get(reverse("appointments:index"))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Δημαρχείο" in text and "Βεβαίωση μόνιμης κατοικίας" in text and "08:00–14:00" in text


def test_booking_pages_require_sign_in(anon_client, setup):
    response = anon_client.get(_slots_url(setup))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    response = anon_client.post(_confirm_url(setup), {"start": at(setup.day, 9).isoformat()})
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Appointment.objects.exists()


def test_the_slot_page_lists_free_times_as_links(citizen_client, setup):
    response = citizen_client.get(_slots_url(setup) + f"?from={setup.day.isoformat()}")
    text = response.content.decode()
    assert response.status_code == 200
    assert ">09:00</a>" in text and ">13:45</a>" in text
    assert "start=" in text


def test_a_citizen_books_through_the_pages(citizen_client, citizen, setup):
    start = at(setup.day, 9).isoformat()
    summary = citizen_client.get(_confirm_url(setup), {"start": start})
    assert summary.status_code == 200 and "Κλείσιμο ραντεβού" in summary.content.decode()
    response = citizen_client.post(_confirm_url(setup), {"start": start})
    appointment = Appointment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("appointments:detail", kwargs={"reference": appointment.reference})
    page = citizen_client.get(response["Location"]).content.decode()
    assert appointment.reference in page and "Το ραντεβού σας έχει κλειστεί" in page
    # A double click: the same booking, not a second one.
    again = citizen_client.post(_confirm_url(setup), {"start": start})
    assert again["Location"] == response["Location"] and Appointment.objects.count() == 1
    mine = citizen_client.get(reverse("appointments:mine")).content.decode()
    assert appointment.reference in mine


@pytest.mark.parametrize("start", ["", "nonsense", "2026-13-40T09:00:00+02:00", "2030-01-01T09:00:00"])
def test_bad_start_values_get_a_message_not_an_error(citizen_client, setup, start):
    response = citizen_client.post(_confirm_url(setup), {"start": start}, follow=True)
    assert response.status_code == 200
    assert "Διαλέξτε" in response.content.decode()
    assert not Appointment.objects.exists()


def test_a_taken_slot_gets_a_clear_message(citizen_client, setup, serres, other_citizen):
    appointment_book(
        municipality=serres,
        citizen=other_citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    response = citizen_client.post(_confirm_url(setup), {"start": at(setup.day, 9).isoformat()}, follow=True)
    assert "μόλις κλείστηκε" in response.content.decode()
    assert Appointment.objects.count() == 1


def test_another_municipalitys_point_is_not_found(citizen, setup, irakleia):
    client = client_for(citizen, "irakleia.localhost")
    assert client.get(_slots_url(setup)).status_code == 404


def test_a_citizen_cannot_open_someone_elses_appointment(serres, setup, citizen, other_citizen):
    appointment = appointment_book(
        municipality=serres,
        citizen=other_citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    client = client_for(citizen, SERRES_HOST)
    url = reverse("appointments:detail", kwargs={"reference": appointment.reference})
    assert client.get(url).status_code == 404


def _booked(serres: Any, setup: Any, citizen: Any, hour: int = 9) -> Appointment:
    return appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, hour),
    )


def test_the_signed_link_cancels_without_signing_in(anon_client, serres, setup, citizen):
    appointment = _booked(serres, setup, citizen)
    url = reverse("appointments:manage", kwargs={"token": links.manage_token(appointment)})
    page = anon_client.get(url)
    assert page.status_code == 200 and appointment.reference in page.content.decode()
    assert citizen.last_name not in page.content.decode()
    cancel_url = reverse("appointments:cancel", kwargs={"token": links.manage_token(appointment)})
    assert f'href="{cancel_url}"' in page.content.decode()
    assert anon_client.post(url).status_code == 405  # the manage page itself changes nothing
    confirm = anon_client.get(cancel_url).content.decode()  # a confirmation page with the summary
    assert appointment.reference in confirm and "Η ακύρωση δεν αναιρείται." in confirm
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    response = anon_client.post(cancel_url, follow=True)
    assert "ακυρώθηκε" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert SlotUsage.objects.get().booked == 0


def test_a_forged_link_gets_a_clear_greek_error(anon_client, serres, setup, citizen):
    appointment = _booked(serres, setup, citizen)
    token = links.manage_token(appointment)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in [forged, "not-a-token", signing.dumps({"a": appointment.pk, "r": "XXXXXX"}, salt="other")]:
        response = anon_client.get(reverse("appointments:manage", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "Ο σύνδεσμος δεν είναι έγκυρος" in response.content.decode()
        response = anon_client.post(reverse("appointments:cancel", kwargs={"token": bad}))
        assert response.status_code == 400
    # A correctly signed token for another appointment's id with the wrong reference.
    wrong = signing.dumps({"a": appointment.pk, "r": "ZZZZZZ"}, salt=links.MANAGE_LINK_SALT)
    response = anon_client.get(reverse("appointments:manage", kwargs={"token": wrong}))
    assert response.status_code == 400 and "δεν αντιστοιχεί" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED


def test_an_expired_link_says_so(anon_client, serres, setup, citizen):
    appointment = _booked(serres, setup, citizen)
    token = links.manage_token(appointment)
    later = timezone.now().timestamp() + 91 * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = anon_client.get(reverse("appointments:manage", kwargs={"token": token}))
    assert response.status_code == 400 and "έχει λήξει" in response.content.decode()


def test_the_link_of_another_municipality_does_not_work_here(serres, setup, citizen, irakleia):
    appointment = _booked(serres, setup, citizen)
    client = client_for(None, "irakleia.localhost")
    response = client.get(reverse("appointments:manage", kwargs={"token": links.manage_token(appointment)}))
    assert response.status_code == 400


def test_reschedule_through_the_link(anon_client, serres, setup, citizen):
    appointment = _booked(serres, setup, citizen)
    url = reverse("appointments:reschedule", kwargs={"token": links.manage_token(appointment)})
    listing = anon_client.get(url + f"?from={setup.day.isoformat()}")
    assert listing.status_code == 200 and ">11:00</a>" in listing.content.decode()
    new_start = at(setup.day, 11).isoformat()
    assert "Αλλαγή ώρας" in anon_client.get(url, {"start": new_start}).content.decode()
    response = anon_client.post(url, {"start": new_start})
    assert response.status_code == 302
    new = Appointment.objects.get(status=AppointmentStatus.BOOKED)
    assert timezone.localtime(new.starts_at).time() == dt.time(11)
    # The old link now points at a cancelled appointment: no second move.
    again = anon_client.post(url, {"start": at(setup.day, 12).isoformat()}, follow=True)
    assert "Μόνο ένα ενεργό" in again.content.decode()
    assert Appointment.objects.filter(status=AppointmentStatus.BOOKED).count() == 1


def test_the_clerk_sees_the_day_list_and_marks_it(alice_client, serres, setup, citizen):
    appointment = _booked(serres, setup, citizen)
    url = reverse("appointments:day_list") + f"?point={setup.point.pk}&date={setup.day.isoformat()}"
    page = alice_client.get(url).content.decode()
    assert appointment.reference in page and "Παπαδοπούλου" in page
    assert AuditEvent.objects.filter(action="appointments.day_list_viewed").exists()
    printable = alice_client.get(reverse("appointments:day_print") + url[url.index("?") :])
    assert printable.status_code == 200 and appointment.reference in printable.content.decode()
    mark = reverse("appointments:mark", kwargs={"pk": appointment.pk})
    # No-show before the time: refused with a message, nothing changes.
    response = alice_client.post(mark, {"status": "no_show", "next": url}, follow=True)
    assert "μόνο μετά την ώρα" in response.content.decode()
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=30), ends_at=timezone.now() - dt.timedelta(minutes=15)
    )
    alice_client.post(mark, {"status": "served", "next": url})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.SERVED
    response = alice_client.post(mark, {"status": "cancelled"}, follow=True)
    assert "Μη έγκυρη σήμανση" in response.content.decode()
    response = alice_client.post(mark, {"status": "no_show", "next": "https://evil.example/"})
    assert response["Location"].startswith(reverse("appointments:day_list"))


def test_citizens_cannot_open_the_day_list(citizen_client, setup):
    assert citizen_client.get(reverse("appointments:day_list")).status_code == 404


def test_a_bad_date_on_the_day_list_falls_back_to_today(alice_client, setup):
    response = alice_client.get(reverse("appointments:day_list") + f"?point={setup.point.pk}&date=31-31-2026")
    assert response.status_code == 200


def test_the_clerk_cancels_for_the_citizen_with_a_reason(alice_client, serres, setup, citizen):
    from dimos.core.models import Notification

    appointment = _booked(serres, setup, citizen)
    url = reverse("appointments:staff_cancel", kwargs={"pk": appointment.pk})
    confirm = alice_client.get(url).content.decode()  # the confirmation page: who, when, the reason asked
    assert appointment.reference in confirm and citizen.last_name in confirm and 'name="reason"' in confirm
    response = alice_client.post(url, {"reason": ""})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and "Γράψτε την αιτία" in body
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    alice_client.post(url, {"reason": "Διακοπή ρεύματος στο κτίριο"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    note = Notification.objects.get(key="appointments.cancelled")
    assert "Διακοπή ρεύματος στο κτίριο" in note.body and "ακύρωσε" in note.body
    assert SlotUsage.objects.get().booked == 0


@pytest.mark.parametrize("query", ["?point=abc", "?point=99999", "?counter=99999"])
def test_a_malformed_or_foreign_filter_on_the_day_list_is_not_found(alice_client, setup, query):
    assert alice_client.get(reverse("appointments:day_list") + query).status_code == 404


@pytest.mark.parametrize("start", ["", "yesterday", "2026-11-30T09:00:00"])
def test_bad_reschedule_times_get_a_message(anon_client, serres, setup, citizen, start):
    appointment = _booked(serres, setup, citizen)
    url = reverse("appointments:reschedule", kwargs={"token": links.manage_token(appointment)})
    response = anon_client.post(url, {"start": start}, follow=True)
    assert response.status_code == 200 and "Διαλέξτε" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.BOOKED
    assert Appointment.objects.count() == 1


@pytest.mark.parametrize(("days_from_list_day_to_today", "offered"), [(-1, False), (0, True), (1, True)])
def test_served_is_offered_only_from_the_appointments_day(
    alice_client, serres, setup, citizen, days_from_list_day_to_today, offered
):
    """Tomorrow's appointments get no «Εξυπηρετήθηκε» button (the service would refuse it)."""
    appointment = _booked(serres, setup, citizen)
    today = setup.day + dt.timedelta(days=days_from_list_day_to_today)
    url = reverse("appointments:day_list") + f"?point={setup.point.pk}&date={setup.day.isoformat()}"
    with mock.patch("dimos.appointments.views._today", return_value=today):
        page = alice_client.get(url).content.decode()
    assert appointment.reference in page
    assert (f"Εξυπηρετήθηκε: {appointment.reference}" in page) is offered


def test_a_day_without_opening_hours_says_closed(citizen_client, setup):
    closed_day = setup.day + dt.timedelta(days=1)
    setup.point.hours.filter(weekday=closed_day.weekday()).delete()
    page = citizen_client.get(_slots_url(setup) + f"?from={setup.day.isoformat()}").content.decode()
    section = page[page.index(f'id="day-{closed_day:%Y%m%d}"') :]
    section = section[: section.index("</section>")]
    assert "Κλειστά" in section and "Καμία ελεύθερη ώρα" not in section
