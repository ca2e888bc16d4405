"""Test fixtures shared by every app (imported by the root conftest).

Built on the factories of ``dimos/core/tests/factories.py``; nothing here depends
on the demo. Apps add their own factories in ``dimos/<app>/tests/factories.py``.

Three staff users in the habit of healthchecks' tests: ``alice`` (clerk, Serres),
``bob`` (municipal administrator, Serres) and ``charlie`` (clerk of another
municipality, Irakleia), plus ``citizen`` and ``region_viewer``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dimos.core.constants import StaffRole
from dimos.core.models import Department, Municipality
from dimos.core.tests.factories import (
    SQUARE,
    CitizenFactory,
    DepartmentFactory,
    MunicipalityFactory,
    MunicipalUnitFactory,
    StaffFactory,
)

SERRES_HOST = "serres.localhost"
IRAKLEIA_HOST = "irakleia.localhost"

_SQUARE = SQUARE
_CITY = {
    "type": "Polygon",
    "coordinates": [[[23.50, 41.05], [23.60, 41.05], [23.60, 41.12], [23.50, 41.12], [23.50, 41.05]]],
}
_WEST = {
    "type": "Polygon",
    "coordinates": [[[23.10, 41.00], [23.40, 41.00], [23.40, 41.35], [23.10, 41.35], [23.10, 41.00]]],
}


def make_municipality(slug: str, host: str, *, boundary: dict | None = None, **extra: Any) -> Municipality:
    """A municipality served at ``host`` (``MunicipalityFactory`` with the old signature)."""
    return MunicipalityFactory(
        slug=slug,
        hostnames=[host],
        boundary=boundary,
        **{"code": slug[:3].upper(), **extra},
    )


def make_staff(username: str, municipality: Municipality | None, role: str, **extra: Any) -> Any:
    """A staff member who signs in with ``correct horse battery``."""
    return StaffFactory(username=username, municipality=municipality, role=role, **extra)


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
    MunicipalUnitFactory(municipality=municipality, name_el="Σερρών", name_en="Serres", boundary=_CITY)
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
    return DepartmentFactory(
        municipality=serres, code="dimotologio", name_el="Τμήμα Δημοτολογίου", name_en="Civil Registry"
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
    return CitizenFactory(username="maria")


@pytest.fixture
def alice_client(alice: Any) -> Client:
    return client_for(alice, SERRES_HOST)


@pytest.fixture
def charlie_client(charlie: Any) -> Client:
    return client_for(charlie, IRAKLEIA_HOST)


@pytest.fixture
def anon_client(serres: Municipality) -> Client:
    return Client(HTTP_HOST=SERRES_HOST)
