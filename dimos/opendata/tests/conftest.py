"""A small city with something in every dataset, and personal data planted where it must not leak."""

from __future__ import annotations

import datetime as dt
import secrets
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from dimos.core.testing import SERRES_HOST  # noqa: F401  (re-exported for the tests)

AFM = "090000045"  # a valid ΑΦΜ
AMKA = "01017012345"
EMAIL = "maria.papadopoulou@example.org"
PHONE = "6912345678"
NAME = "Μαρία Παπαδοπούλου"
# Fixed hours in the past (no dependence on today's date beyond "before now").
START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def media(tmp_path: Any, settings: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_air_readings(municipality: Any, device: Any, hours: int, *, start: dt.datetime = START) -> None:
    from dimos.sensors import services
    from dimos.sensors.constants import Source

    items = [
        services.ReadingIn(
            device=device,
            observed_at=start + dt.timedelta(minutes=30 * i),
            values={"pm25": 4.0 + (i % 4) * 5, "no2": 12.0, "o3": 40.0},
        )
        for i in range(hours * 2)
    ]
    services.readings_ingest(municipality=municipality, items=items, source=Source.SIMULATOR)


@pytest.fixture
def city(serres: Any, serres_department: Any, citizen: Any, media: Any) -> SimpleNamespace:
    from dimos.eservices.constants import Status
    from dimos.eservices.tests.factories import ApplicationFactory, ServiceFactory
    from dimos.reports.models import Report
    from dimos.reports.tests.factories import CategoryFactory
    from dimos.sensors import services as sensor_services
    from dimos.sensors.tests.factories import DeviceFactory

    sensor_services.device_types_sync()
    station = DeviceFactory(
        municipality=serres, type_code="AirQualityObserved", code="station-1", name="Σταθμός Κέντρου"
    )
    add_air_readings(serres, station, 6)
    category = CategoryFactory(
        municipality=serres, code="pothole", name_el="Λακκούβα", department=serres_department
    )
    for i in range(8):
        created = START + dt.timedelta(days=i)
        Report.objects.create(
            municipality=serres,
            category=category,
            department=serres_department,
            status="fixed" if i % 2 else "submitted",
            is_open=not i % 2,
            is_public=True,
            lat=41.09,
            lon=23.55,
            description=f"Λακκούβα. {NAME}, ΑΦΜ {AFM}, ΑΜΚΑ {AMKA}, {EMAIL}, {PHONE}",
            public_description=f"Λακκούβα στη γωνία. Καλέστε με στο {PHONE} ή {EMAIL}, ΑΦΜ {AFM}",
            reporter_name=NAME,
            reporter_email=EMAIL,
            reporter_phone=PHONE,
            tracking_token=secrets.token_urlsafe(32),
            created_at=created,
            updated_at=created,
            fixed_at=created + dt.timedelta(days=2) if i % 2 else None,
        )
    Report.objects.create(
        municipality=serres,
        category=category,
        department=serres_department,
        is_public=False,
        lat=41.0,
        lon=23.5,
        description="ιδιωτική αναφορά",
        public_description="κρυφή αναφορά",
        tracking_token=secrets.token_urlsafe(32),
    )
    service = ServiceFactory(municipality=serres, slug="vevaiosi", title_el="Βεβαίωση μόνιμης κατοικίας")
    for i in range(7):
        ApplicationFactory(
            service=service,
            citizen=citizen,
            status=Status.APPROVED if i < 6 else Status.SUBMITTED,
            submitted_at=timezone.make_aware(dt.datetime(2026, 3, 2 + i, 10)),
            decided_at=timezone.make_aware(dt.datetime(2026, 3, 9 + i, 10)) if i < 6 else None,
            deadline=dt.date(2026, 3, 20),
        )
    return SimpleNamespace(municipality=serres, station=station, category=category, service=service)


@pytest.fixture
def built(city: SimpleNamespace) -> SimpleNamespace:
    from dimos.opendata.services import datasets_build_all

    city.results = datasets_build_all(municipality=city.municipality)
    return city
