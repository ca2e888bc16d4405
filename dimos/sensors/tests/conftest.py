"""Fixtures of the sensors tests: one device of each common type, credentials."""

from __future__ import annotations

from typing import Any

import pytest

from dimos.core.models import Department
from dimos.core.tests.factories import DepartmentFactory
from dimos.sensors import services

from .factories import DeviceFactory


@pytest.fixture
def lighting(serres: Any) -> Department:
    return DepartmentFactory(
        municipality=serres,
        code="ilektrofotismos",
        name_el="Τμήμα Ηλεκτροφωτισμού",
        name_en="Street Lighting",
        email="light@serres.example",
    )


@pytest.fixture
def spot(serres: Any) -> Any:
    return DeviceFactory(
        municipality=serres,
        type_code="ParkingSpot",
        code="p-001",
        name="Μεραρχίας 1",
        group="Μεραρχίας",
        lat=41.0905,
        lon=23.5495,
        attrs={"category": "onStreet"},
    )


@pytest.fixture
def bin_(serres: Any) -> Any:
    return DeviceFactory(
        municipality=serres,
        type_code="WasteContainer",
        code="bin-42",
        name="Κάδος 42",
        lat=41.0910,
        lon=23.5480,
        dev_eui="70B3D57ED0000042",
        ttn_device_id="bin-0042",
    )


@pytest.fixture
def lamp(serres: Any, lighting: Department) -> Any:
    return DeviceFactory(
        municipality=serres,
        type_code="Streetlight",
        code="lamp-7",
        name="Φωτιστικό 7",
        lat=41.0912,
        lon=23.5501,
        department=lighting,
    )


@pytest.fixture
def station(serres: Any) -> Any:
    return DeviceFactory(
        municipality=serres,
        type_code="AirQualityObserved",
        code="aq-centre",
        name="Κέντρο",
        lat=41.0915,
        lon=23.5470,
    )


@pytest.fixture
def token(serres: Any) -> str:
    return services.credential_create(municipality=serres, name="vendor")[1]


@pytest.fixture
def irakleia_token(irakleia: Any) -> str:
    return services.credential_create(municipality=irakleia, name="other")[1]


@pytest.fixture
def operator(serres: Any, serres_department: Department) -> Any:
    """A sensor operator of Serres (``sensors.read`` and ``sensors.operate``, no credentials)."""
    from dimos.core.constants import StaffRole
    from dimos.core.testing import make_staff

    return make_staff("olympia", serres, StaffRole.SENSOR_OPERATOR, department=serres_department)


@pytest.fixture
def operator_client(operator: Any) -> Any:
    from dimos.core.testing import SERRES_HOST, client_for

    return client_for(operator, SERRES_HOST)


@pytest.fixture
def admin_client(bob: Any) -> Any:
    """The municipal administrator of Serres: the one who issues integration credentials."""
    from dimos.core.testing import SERRES_HOST, client_for

    return client_for(bob, SERRES_HOST)
