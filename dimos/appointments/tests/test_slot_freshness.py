"""The free-slot grid is a shared cache, and a change is visible on the very next request.

The grid's key holds the municipality's appointments data version
(``dimos.core.versions``); the version lives in the database, so what holds here
for one process holds for every process, with Redis or without it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dimos.appointments import links
from dimos.appointments.constants import SLOTS_TOPIC
from dimos.appointments.models import Closure, Counter, OpeningHours, SlotUsage
from dimos.appointments.selectors import free_slots
from dimos.appointments.services import appointment_book
from dimos.appointments.tests.conftest import at
from dimos.core.testing import SERRES_HOST, client_for
from dimos.core.versions import data_changed, data_version


@pytest.fixture
def citizen_client(citizen: Any) -> Any:
    return client_for(citizen, SERRES_HOST)


def _times(serres: Any, setup: Any) -> tuple[list[dt.time], Any]:
    days = free_slots(
        municipality=serres, point=setup.point, appointment_type=setup.type, start=setup.day, days=1
    )
    return [timezone.localtime(s.starts_at).time() for s in days[0].slots], days[0]


def _slots_page(client: Any, setup: Any, url: str = "") -> str:
    """The times offered on ``setup.day`` (the page shows a week: only that day's section)."""
    url = url or reverse("appointments:slots", kwargs={"point_pk": setup.point.pk, "type_pk": setup.type.pk})
    page = client.get(url, {"from": setup.day.isoformat()}).content.decode()
    return page.split(f'id="day-{setup.day:%Y%m%d}"', 1)[1].split("</section>", 1)[0]


def test_a_repeated_listing_is_served_from_the_shared_cache(serres, setup):
    _times(serres, setup)
    with CaptureQueriesContext(connection) as ctx:
        _times(serres, setup)
    assert len(ctx.captured_queries) == 1  # only the data version


def test_a_booking_made_in_one_request_is_gone_from_the_grid_on_the_next(citizen_client, setup):
    assert ">09:00</a>" in _slots_page(citizen_client, setup)  # the grid is now cached
    confirm = reverse("appointments:confirm", kwargs={"point_pk": setup.point.pk, "type_pk": setup.type.pk})
    assert citizen_client.post(confirm, {"start": at(setup.day, 9).isoformat()}).status_code == 302
    page = _slots_page(citizen_client, setup)
    assert ">09:00</a>" not in page and ">09:15</a>" in page


def test_a_cancellation_through_the_link_frees_the_time_on_the_next_request(
    anon_client, citizen_client, serres, setup, citizen
):
    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    assert ">09:00</a>" not in _slots_page(citizen_client, setup)
    anon_client.post(reverse("appointments:cancel", kwargs={"token": links.manage_token(appointment)}))
    assert ">09:00</a>" in _slots_page(citizen_client, setup)


def test_a_reschedule_moves_the_free_time_on_the_next_request(
    anon_client, citizen_client, serres, setup, citizen
):
    appointment = appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    assert ">11:00</a>" in _slots_page(citizen_client, setup)
    url = reverse("appointments:reschedule", kwargs={"token": links.manage_token(appointment)})
    anon_client.post(url, {"start": at(setup.day, 11).isoformat()})
    page = _slots_page(citizen_client, setup)
    assert ">09:00</a>" in page and ">11:00</a>" not in page


def test_a_bulk_update_in_a_service_is_visible_once_it_moves_the_version(serres, setup):
    """``QuerySet.update`` sends no signal: the service that uses it calls ``data_changed`` itself."""
    assert dt.time(9) in _times(serres, setup)[0]
    SlotUsage.objects.create(
        municipality=serres, counter=setup.counter, starts_at=at(setup.day, 9), booked=0, capacity=1
    )
    data_changed(serres.pk, SLOTS_TOPIC)
    assert dt.time(9) in _times(serres, setup)[0]
    # What a service does: a bulk write, then the version in the same transaction.
    SlotUsage.objects.filter(counter=setup.counter, starts_at=at(setup.day, 9)).update(booked=F("capacity"))
    data_changed(serres.pk, SLOTS_TOPIC)
    assert dt.time(9) not in _times(serres, setup)[0]


def test_a_change_committed_by_another_process_is_seen_here(serres, setup):
    """Another process has its own cache; what it shares with us is the version row in the database."""
    assert _times(serres, setup)[0][0] == dt.time(8)
    before = data_version(serres.pk, SLOTS_TOPIC)
    OpeningHours.objects.filter(point=setup.point).update(opens=dt.time(9))
    data_changed(serres.pk, SLOTS_TOPIC)  # as the other process's writer did, in its transaction
    assert data_version(serres.pk, SLOTS_TOPIC) == before + 1
    assert _times(serres, setup)[0][0] == dt.time(9)


def test_back_office_edits_move_the_version_through_model_signals(serres, setup):
    assert _times(serres, setup)[0][0] == dt.time(8)
    for hours in OpeningHours.objects.filter(point=setup.point):
        hours.opens = dt.time(9)
        hours.save()  # the admin saves rows one by one
    assert _times(serres, setup)[0][0] == dt.time(9)
    counter = Counter.objects.get(pk=setup.counter.pk)
    counter.types.remove(setup.type)
    assert _times(serres, setup)[0] == []
    counter.types.add(setup.type)
    assert _times(serres, setup)[0]
    closure = Closure.objects.create(
        municipality=serres, date_from=setup.day, date_to=setup.day, reason="Απολύμανση"
    )
    times, day = _times(serres, setup)
    assert times == [] and day.closed_reason == "Απολύμανση"
    closure.delete()
    assert _times(serres, setup)[0]
    setup.point.slot_minutes = 30
    setup.point.save()
    assert dt.time(8, 15) not in _times(serres, setup)[0]


def test_the_grid_in_the_cache_holds_no_personal_data(serres, setup, citizen):
    appointment_book(
        municipality=serres,
        citizen=citizen,
        point=setup.point,
        appointment_type=setup.type,
        starts_at=at(setup.day, 9),
    )
    _times(serres, setup)
    keys = [k for k in cache._cache if "appointments:grid" in k]  # type: ignore[attr-defined]
    assert keys
    for key in keys:
        stored = cache._cache[key]  # type: ignore[attr-defined]
        for secret in (citizen.username, citizen.last_name, getattr(citizen, "afm", "") or "ΑΦΜ-none"):
            assert secret.encode() not in stored
