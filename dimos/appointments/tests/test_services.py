from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.models import Appointment, AppointmentEvent, Closure, Counter, SlotUsage
from dimos.appointments.selectors import free_slots
from dimos.appointments.services import (
    appointment_book,
    appointment_cancel,
    appointment_mark,
    appointment_reschedule,
    appointment_send_reminder,
)
from dimos.appointments.tests.conftest import at, make_point
from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.models import Notification, Task
from dimos.core.tasks import tasks_run_pending


def book(serres: Any, setup: Any, citizen: Any, when: dt.datetime) -> Appointment:
    return appointment_book(
        municipality=serres, citizen=citizen, point=setup.point, appointment_type=setup.type, starts_at=when
    )


def test_booking_takes_the_slot_and_notifies(serres, setup, citizen):
    appointment = book(serres, setup, citizen, at(setup.day, 9))
    assert appointment.status == AppointmentStatus.BOOKED
    assert appointment.counter == setup.counter
    assert appointment.ends_at - appointment.starts_at == dt.timedelta(minutes=15)
    assert len(appointment.reference) == 6
    usage = SlotUsage.objects.get(counter=setup.counter, starts_at=at(setup.day, 9))
    assert (usage.booked, usage.capacity) == (1, 1)
    note = Notification.objects.get(key="appointments.confirmed")
    assert appointment.reference in note.subject
    assert "/appointments/manage/" in note.body
    assert citizen.afm not in note.body
    assert AppointmentEvent.objects.filter(appointment=appointment, to_status="booked").count() == 1
    day = free_slots(
        municipality=serres, point=setup.point, appointment_type=setup.type, start=setup.day, days=1
    )
    times = [timezone.localtime(s.starts_at).time() for s in day[0].slots]
    assert dt.time(9) not in times and dt.time(9, 15) in times
    tasks_run_pending()
    assert mail.outbox and mail.outbox[0].to == ["maria@example.org"]


def test_a_full_slot_cannot_be_booked_twice(serres, setup, citizen, other_citizen):
    book(serres, setup, citizen, at(setup.day, 9))
    with pytest.raises(Conflict) as exc:
        book(serres, setup, other_citizen, at(setup.day, 9))
    assert "μόλις κλείστηκε" in exc.value.message
    assert Appointment.objects.count() == 1
    assert SlotUsage.objects.get(starts_at=at(setup.day, 9)).booked == 1


def test_capacity_two_takes_two_then_stops(serres, citizen, other_citizen, django_user_model):
    setup = make_point(serres, capacity=2)
    third = django_user_model.objects.create_user(username="third")
    book(serres, setup, citizen, at(setup.day, 10))
    book(serres, setup, other_citizen, at(setup.day, 10))
    with pytest.raises(Conflict):
        book(serres, setup, third, at(setup.day, 10))


def test_a_second_counter_takes_the_overflow(serres, setup, citizen, other_citizen):
    counter2 = Counter.objects.create(municipality=serres, point=setup.point, name="Γκισέ 2")
    counter2.types.add(setup.type)
    first = book(serres, setup, citizen, at(setup.day, 9))
    second = book(serres, setup, other_citizen, at(setup.day, 9))
    assert {first.counter_id, second.counter_id} == {setup.counter.pk, counter2.pk}


def test_a_double_submit_returns_the_same_booking(serres, setup, citizen):
    first = book(serres, setup, citizen, at(setup.day, 9))
    again = book(serres, setup, citizen, at(setup.day, 9))
    assert first.pk == again.pk
    assert Appointment.objects.count() == 1
    assert Notification.objects.filter(key="appointments.confirmed").count() == 1


def test_a_citizen_cannot_hold_two_overlapping_appointments(serres, citizen):
    setup = make_point(serres, minutes=30)
    book(serres, setup, citizen, at(setup.day, 9))
    with pytest.raises(Conflict) as exc:
        book(serres, setup, citizen, at(setup.day, 9, 15))
    assert "Έχετε ήδη ραντεβού" in exc.value.message


def test_long_appointments_occupy_every_slot_they_cover(serres, citizen, other_citizen):
    setup = make_point(serres, minutes=30)
    book(serres, setup, citizen, at(setup.day, 9))
    with pytest.raises(Conflict):  # 09:15 overlaps the second half of 09:00–09:30
        book(serres, setup, other_citizen, at(setup.day, 9, 15))
    book(serres, setup, other_citizen, at(setup.day, 9, 30))
    # The last start that fits before closing (14:00) is 13:30.
    day = free_slots(
        municipality=serres, point=setup.point, appointment_type=setup.type, start=setup.day, days=1
    )
    assert timezone.localtime(day[0].slots[-1].starts_at).time() == dt.time(13, 30)


@pytest.mark.parametrize(
    "when",
    [
        lambda d: at(d, 7, 45),  # before opening
        lambda d: at(d, 13, 50),  # ends after closing
        lambda d: at(d, 9, 7),  # off the slot grid
        lambda d: at(d - dt.timedelta(days=30), 9),  # in the past
        lambda d: at(d + dt.timedelta(days=60), 9),  # beyond the horizon
    ],
)
def test_times_outside_the_schedule_are_refused(serres, setup, citizen, when):
    with pytest.raises(ValidationFailed) as exc:
        book(serres, setup, citizen, when(setup.day))
    assert exc.value.field == "starts_at"
    assert not Appointment.objects.exists() and not SlotUsage.objects.exists()


def test_a_naive_time_is_refused(serres, setup, citizen):
    with pytest.raises(ValidationFailed):
        book(serres, setup, citizen, dt.datetime.combine(setup.day, dt.time(9)))


def test_holidays_and_closures_have_no_slots(serres, setup, citizen):
    easter_monday = dt.date(2027, 5, 3)  # Orthodox Easter 2027 is 2 May
    local = dt.date(2027, 6, 29)  # Serres' local holiday in the fixture
    days = free_slots(
        municipality=serres,
        point=setup.point,
        appointment_type=setup.type,
        start=easter_monday,
        days=1,
        now=timezone.make_aware(dt.datetime(2027, 4, 20, 9)),
    )
    assert days[0].closed_reason == "Επίσημη αργία" and not days[0].slots
    days = free_slots(
        municipality=serres,
        point=setup.point,
        appointment_type=setup.type,
        start=local,
        days=1,
        now=timezone.make_aware(dt.datetime(2027, 6, 20, 9)),
    )
    assert days[0].closed_reason == "Τοπική αργία"
    Closure.objects.create(municipality=serres, date_from=setup.day, date_to=setup.day, reason="Απογραφή")
    days = free_slots(
        municipality=serres, point=setup.point, appointment_type=setup.type, start=setup.day, days=1
    )
    assert days[0].closed_reason == "Απογραφή" and not days[0].slots
    with pytest.raises(ValidationFailed):
        book(serres, setup, citizen, at(setup.day, 9))


def test_cancel_frees_the_slot_and_notifies(serres, setup, citizen, other_citizen):
    appointment = book(serres, setup, citizen, at(setup.day, 9))
    appointment_cancel(appointment=appointment, actor=citizen)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert SlotUsage.objects.get(starts_at=at(setup.day, 9)).booked == 0
    assert Notification.objects.filter(key="appointments.cancelled").count() == 1
    book(serres, setup, other_citizen, at(setup.day, 9))  # the slot is free again
    with pytest.raises(TransitionNotAllowed):
        appointment_cancel(appointment=appointment, actor=citizen)


def test_reschedule_moves_the_booking_atomically(serres, setup, citizen, other_citizen):
    old = book(serres, setup, citizen, at(setup.day, 9))
    new = appointment_reschedule(appointment=old, actor=citizen, starts_at=at(setup.day, 11))
    old.refresh_from_db()
    assert old.status == AppointmentStatus.CANCELLED and new.rescheduled_from_id == old.pk
    assert SlotUsage.objects.get(starts_at=at(setup.day, 9)).booked == 0
    assert SlotUsage.objects.get(starts_at=at(setup.day, 11)).booked == 1
    assert Notification.objects.filter(key="appointments.rescheduled").count() == 1
    book(serres, setup, other_citizen, at(setup.day, 9))
    # Moving onto a taken slot fails and leaves everything as it was.
    with pytest.raises(Conflict):
        appointment_reschedule(appointment=new, actor=citizen, starts_at=at(setup.day, 9))
    new.refresh_from_db()
    assert new.status == AppointmentStatus.BOOKED
    assert SlotUsage.objects.get(starts_at=at(setup.day, 11)).booked == 1


def test_reschedule_to_an_overlapping_time_of_its_own(serres, citizen):
    setup = make_point(serres, minutes=30)
    old = book(serres, setup, citizen, at(setup.day, 9))
    new = appointment_reschedule(appointment=old, actor=citizen, starts_at=at(setup.day, 9, 15))
    usage = dict(SlotUsage.objects.values_list("starts_at", "booked"))
    assert (
        usage[at(setup.day, 9)] == 0 and usage[at(setup.day, 9, 15)] == 1 and usage[at(setup.day, 9, 30)] == 1
    )
    assert new.status == AppointmentStatus.BOOKED


def test_the_transition_table_governs_clerk_marks(serres, setup, citizen, alice):
    appointment = book(serres, setup, citizen, at(setup.day, 9))
    with pytest.raises(ValidationFailed):  # not yet: it is in the future
        appointment_mark(appointment=appointment, actor=alice, status=AppointmentStatus.NO_SHOW)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=1), ends_at=timezone.now() - dt.timedelta(minutes=45)
    )
    appointment_mark(appointment=appointment, actor=alice, status=AppointmentStatus.NO_SHOW)
    appointment_mark(
        appointment=appointment, actor=alice, status=AppointmentStatus.SERVED, comment="ήρθε αργά"
    )
    with pytest.raises(TransitionNotAllowed):
        appointment_mark(appointment=appointment, actor=alice, status=AppointmentStatus.NO_SHOW)
    with pytest.raises(ValidationFailed):
        appointment_mark(appointment=appointment, actor=alice, status=AppointmentStatus.CANCELLED)
    history = list(
        AppointmentEvent.objects.filter(appointment=appointment).values_list("from_status", "to_status")
    )
    assert history == [("", "booked"), ("booked", "no_show"), ("no_show", "served")]


def test_the_reminder_is_scheduled_for_the_day_before_and_sent_once(serres, setup, citizen):
    book(serres, setup, citizen, at(setup.day, 9))
    task = Task.objects.get(name="appointments.remind")
    expected = at(setup.day - dt.timedelta(days=1), 10)
    assert abs((task.run_after - expected).total_seconds()) < 5
    assert appointment_send_reminder(**task.payload) is True
    assert appointment_send_reminder(**task.payload) is False  # idempotent
    assert Notification.objects.filter(key="appointments.reminder").count() == 1
    reminder = Notification.objects.get(key="appointments.reminder")
    assert "αύριο" in reminder.subject.lower() or "Υπενθύμιση" in reminder.subject


def test_no_reminder_after_cancel_or_reschedule(serres, setup, citizen):
    appointment = book(serres, setup, citizen, at(setup.day, 9))
    payload = Task.objects.get(name="appointments.remind").payload
    new = appointment_reschedule(appointment=appointment, actor=citizen, starts_at=at(setup.day, 10))
    assert appointment_send_reminder(**payload) is False
    new_payload = Task.objects.filter(name="appointments.remind").order_by("-pk").first().payload
    appointment_cancel(appointment=new, actor=citizen)
    assert appointment_send_reminder(**new_payload) is False
    assert not Notification.objects.filter(key="appointments.reminder").exists()


def test_english_speakers_get_english_notifications(serres, setup, citizen):
    citizen.language = "en"
    citizen.save()
    book(serres, setup, citizen, at(setup.day, 9))
    note = Notification.objects.get(key="appointments.confirmed")
    assert note.subject.startswith("Appointment") and "Certificate of residence" in note.body


def test_the_database_refuses_an_overbooked_slot(serres, setup):
    usage = SlotUsage.objects.create(
        municipality=serres, counter=setup.counter, starts_at=at(setup.day, 9), booked=1, capacity=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        SlotUsage.objects.filter(pk=usage.pk).update(booked=2)


def test_the_reminder_also_goes_by_sms_to_a_verified_mobile(serres, setup, citizen):
    citizen.phone, citizen.phone_verified = "+306900000001", True
    citizen.save()
    book(serres, setup, citizen, at(setup.day, 9))
    appointment_send_reminder(**Task.objects.get(name="appointments.remind").payload)
    sms = Notification.objects.get(key="appointments.reminder", channel="sms")
    assert sms.recipient == "+306900000001"
    assert "09:00" in sms.body and "/appointments/manage/" in sms.body
    assert Notification.objects.filter(key="appointments.reminder", channel="email").count() == 1


def test_appointment_history_is_append_only(serres, setup, citizen):
    from dimos.core.models import HistoryEntry

    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    event = AppointmentEvent.objects.get(appointment=appointment)
    assert isinstance(event, HistoryEntry) and event.to_status == AppointmentStatus.BOOKED
    assert event.get_to_status_display() == AppointmentStatus.BOOKED.label
    event.comment = "αλλαγμένο"
    with pytest.raises(RuntimeError):
        event.save()
    assert AppointmentEvent._meta.db_table == "appointments_appointmentevent"
