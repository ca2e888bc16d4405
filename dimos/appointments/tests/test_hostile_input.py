"""Hostile input on every appointments URL (issue 11): NUL bytes and deeply nested JSON are a 400.

A NUL byte reaches PostgreSQL as ``DataError`` (a 500); run these on PostgreSQL too.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import URLPattern, get_resolver, reverse

from dimos.appointments.models import Appointment
from dimos.appointments.tests.conftest import at
from dimos.core.testing import SERRES_HOST, client_for

pytestmark = pytest.mark.django_db

NAMESPACES = ("appointments", "appointments-api")
DEEP = "[" * 5000 + "]" * 5000


@pytest.fixture
def appointment(setup: Any, citizen: Any) -> Appointment:
    start = at(setup.day, 9)
    return Appointment.objects.create(
        municipality=setup.point.municipality,
        reference="NUL001",
        point=setup.point,
        counter=setup.counter,
        type=setup.type,
        citizen=citizen,
        starts_at=start,
        ends_at=start + dt.timedelta(minutes=setup.type.duration_minutes),
    )


def _urls(setup: Any, appointment: Appointment) -> list[str]:
    values = {
        "pk": appointment.pk,
        "point_pk": setup.point.pk,
        "type_pk": setup.type.pk,
        "reference": appointment.reference,
        "token": "x",
    }
    urls = []
    for namespace in NAMESPACES:
        _prefix, sub = get_resolver().namespace_dict[namespace]
        for pattern in sub.url_patterns:
            if isinstance(pattern, URLPattern) and pattern.name:
                kwargs = {name: values[name] for name in pattern.pattern.regex.groupindex}
                urls.append(reverse(f"{namespace}:{pattern.name}", kwargs=kwargs))
    return urls


def test_a_nul_byte_in_any_query_value_is_a_400(
    alice: Any, citizen: Any, setup: Any, appointment: Appointment
) -> None:
    urls = _urls(setup, appointment)
    assert len(urls) >= 18
    for user in (alice, citizen, None):
        client = client_for(user, SERRES_HOST)
        for url in urls:
            response = client.get(url + f"?point={setup.point.pk}&date=%00&week=%00")
            assert response.status_code == 400, (url, response.status_code)
            if url.startswith("/api/"):
                assert response["Content-Type"].startswith("application/problem+json"), url


def test_a_nul_byte_in_a_path_value_is_a_400(citizen: Any) -> None:
    client = client_for(citizen, SERRES_HOST)
    for url in ("/appointments/mine/%00/", "/appointments/manage/%00/", "/api/v1/appointments/%00/cancel/"):
        assert client.get(url).status_code == 400, url


def test_a_nul_byte_in_any_form_field_is_a_400(
    alice: Any, citizen: Any, setup: Any, appointment: Appointment
) -> None:
    fields = {"status": "served", "reason": "κλειστά\x00", "comment": "\x00", "slot": "\x00", "next": "/"}
    for user in (alice, citizen):
        client = client_for(user, SERRES_HOST)
        for url in _urls(setup, appointment):
            response = client.post(url, fields)
            assert response.status_code == 400, (url, response.status_code)
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_deeply_nested_json_is_refused_on_every_post_endpoint(
    alice: Any, citizen: Any, setup: Any, appointment: Appointment
) -> None:
    doors = [
        (citizen, reverse("appointments-api:api_book")),
        (alice, reverse("appointments-api:api_mark", kwargs={"pk": appointment.pk})),
    ]
    for user, url in doors:
        response = client_for(user, SERRES_HOST).post(url, DEEP, content_type="application/json")
        assert response.status_code == 400, (url, response.status_code)
        assert response["Content-Type"].startswith("application/problem+json"), url
    assert Appointment.objects.count() == 1
