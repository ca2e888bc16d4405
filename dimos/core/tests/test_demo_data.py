"""The demo itself (``manage.py demo_data``, run by ``make demo``): it loads and is idempotent.

The only test that uses the demo's content; every other test builds its own
world with factories and starter kits.
"""

from __future__ import annotations

import io

from django.core.management import call_command

from dimos.appointments.models import Appointment, AppointmentType, Counter, OpeningHours, ServicePoint
from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.eservices.models import Application, Service
from dimos.reports.models import Category, Report

MODELS = (
    Municipality,
    MunicipalUnit,
    Department,
    Service,
    Application,
    Category,
    Report,
    ServicePoint,
    Counter,
    AppointmentType,
    OpeningHours,
    Appointment,
)


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def test_demo_data_loads_serres_and_irakleia_and_a_second_run_adds_nothing(db):
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    first = _counts()
    assert {m.slug for m in Municipality.objects.all()} == {"serres", "irakleia"}
    assert (first["Department"], first["Service"], first["Category"]) == (21, 20, 24)
    assert (first["ServicePoint"], first["Counter"], first["AppointmentType"], first["OpeningHours"]) == (
        3,
        7,
        5,
        15,
    )
    assert "Demo data loaded." in out.getvalue() and "admin.serres" in out.getvalue()
    serres = Municipality.objects.get(slug="serres")
    assert (serres.name_genitive, serres.name_accusative) == ("Δήμου Σερρών", "Δήμο Σερρών")
    registry = Department.objects.get(municipality=serres, code="dimotologio")
    assert registry.signatory_name and registry.signatory_capacity.startswith("Η Προϊσταμένη")

    call_command("demo_data", stdout=io.StringIO())
    assert _counts() == first
