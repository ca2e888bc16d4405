"""Test fixtures shared by every app (imported by the root conftest).

Three staff users in the habit of healthchecks' tests: ``alice`` (clerk, Serres),
``bob`` (municipal administrator, Serres) and ``charlie`` (clerk of another
municipality, Irakleia), plus ``citizen`` and ``region_viewer``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.constants import StaffRole
from dimos.core.models import Department, Municipality, MunicipalUnit

SERRES_HOST = "serres.localhost"
IRAKLEIA_HOST = "irakleia.localhost"

_SQUARE = {
    "type": "Polygon",
    "coordinates": [[[23.40, 40.97], [23.70, 40.97], [23.70, 41.35], [23.40, 41.35], [23.40, 40.97]]],
}
_CITY = {
    "type": "Polygon",
    "coordinates": [[[23.50, 41.05], [23.60, 41.05], [23.60, 41.12], [23.50, 41.12], [23.50, 41.05]]],
}
_WEST = {
    "type": "Polygon",
    "coordinates": [[[23.10, 41.00], [23.40, 41.00], [23.40, 41.35], [23.10, 41.35], [23.10, 41.00]]],
}


def make_municipality(slug: str, host: str, *, boundary: dict | None = None, **extra: Any) -> Municipality:
    return Municipality.objects.create(
        slug=slug,
        name_el=extra.pop("name_el", f"Δήμος {slug}"),
        name_en=extra.pop("name_en", f"Municipality of {slug}"),
        code=extra.pop("code", slug[:3].upper()),
        hostnames=[host],
        open311_jurisdiction=extra.pop("open311_jurisdiction", f"{slug}.gr"),
        centre_lat=extra.pop("centre_lat", 41.0857),
        centre_lon=extra.pop("centre_lon", 23.5480),
        boundary=boundary,
        **extra,
    )


def make_staff(username: str, municipality: Municipality | None, role: str, **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username=username,
        password="correct horse battery",
        role=role,
        municipality=municipality,
        email=f"{username}@example.org",
        email_verified=True,
        **extra,
    )


def client_for(user: Any, host: str) -> Client:
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def serres(db: Any) -> Municipality:
    municipality = make_municipality(
        "serres",
        SERRES_HOST,
        boundary=_SQUARE,
        name_el="Δήμος Σερρών",
        name_en="Municipality of Serres",
        code="SER",
        open311_jurisdiction="serres.gr",
        local_holidays=["06-29"],
    )
    MunicipalUnit.objects.create(
        municipality=municipality, name_el="Σερρών", name_en="Serres", boundary=_CITY
    )
    return municipality


@pytest.fixture
def irakleia(db: Any) -> Municipality:
    return make_municipality(
        "irakleia",
        IRAKLEIA_HOST,
        boundary=_WEST,
        name_el="Δήμος Ηράκλειας",
        name_en="Municipality of Irakleia",
        code="IRA",
        centre_lat=41.18,
        centre_lon=23.28,
    )


@pytest.fixture
def serres_department(serres: Municipality) -> Department:
    return Department.objects.create(
        municipality=serres,
        code="dimotologio",
        name_el="Τμήμα Δημοτολογίου",
        name_en="Civil Registry",
    )


@pytest.fixture
def alice(serres: Municipality, serres_department: Department) -> Any:
    return make_staff("alice", serres, StaffRole.CLERK, department=serres_department)


@pytest.fixture
def bob(serres: Municipality) -> Any:
    return make_staff("bob", serres, StaffRole.MUNICIPAL_ADMIN, is_staff=True)


@pytest.fixture
def charlie(irakleia: Municipality) -> Any:
    return make_staff("charlie", irakleia, StaffRole.CLERK)


@pytest.fixture
def charlie_admin(irakleia: Municipality) -> Any:
    return make_staff("charlie_admin", irakleia, StaffRole.MUNICIPAL_ADMIN, is_staff=True)


@pytest.fixture
def region_viewer(db: Any) -> Any:
    return make_staff("rita", None, StaffRole.REGION_VIEWER)


@pytest.fixture
def citizen(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username="maria",
        first_name="Μαρία",
        last_name="Παπαδοπούλου",
        afm="090000045",
        email="maria@example.org",
        email_verified=True,
    )


@pytest.fixture
def alice_client(alice: Any) -> Client:
    return client_for(alice, SERRES_HOST)


@pytest.fixture
def charlie_client(charlie: Any) -> Client:
    return client_for(charlie, IRAKLEIA_HOST)


@pytest.fixture
def anon_client(serres: Municipality) -> Client:
    return Client(HTTP_HOST=SERRES_HOST)
