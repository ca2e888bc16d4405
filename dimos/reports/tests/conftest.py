"""Fixtures of the reports tests: departments and categories from the starter kits,
plus a water utility and a mountain routing rule of the tests' own (not the demo's)."""

from __future__ import annotations

import io
from typing import Any

import pytest

from dimos.core.bootstrap import kits_apply
from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.reports.models import Category

from .factories import ExternalBodyFactory, RoutingRuleFactory

CITY = (41.0857, 23.5480)  # inside the test unit "Σερρών"
MOUNTAIN = (41.30, 23.50)  # inside the test unit "Ορεινής"
OUTSIDE_EVERYTHING = (38.0, 23.7)  # Athens
IN_IRAKLEIA = (41.18, 23.28)

_MOUNTAIN = {
    "type": "Polygon",
    "coordinates": [[[23.40, 41.20], [23.70, 41.20], [23.70, 41.35], [23.40, 41.35], [23.40, 41.20]]],
}


@pytest.fixture
def departments(serres: Municipality, serres_department: Department) -> dict[str, Department]:
    """The ``departments`` starter kit at Serres, by code."""
    kits_apply(municipality=serres, kits=["departments"])
    return {d.code: d for d in Department.objects.filter(municipality=serres)}


@pytest.fixture
def mountain_unit(serres: Municipality) -> MunicipalUnit:
    return MunicipalUnit.objects.create(
        municipality=serres, name_el="Ορεινής", name_en="Oreini", boundary=_MOUNTAIN
    )


@pytest.fixture
def categories(
    serres: Municipality, departments: dict[str, Department], mountain_unit: MunicipalUnit
) -> dict[str, Category]:
    """The ``report-categories`` kit; water leaks go to the water utility, and in the
    mountain unit roads are the Directorate of Technical Services' own."""
    kits_apply(municipality=serres, kits=["report-categories"])
    categories = {c.code: c for c in Category.objects.filter(municipality=serres)}
    water = ExternalBodyFactory(
        municipality=serres,
        code="deya-serron",
        name_el="ΔΕΥΑ Σερρών",
        name_en="Municipal Water and Sewerage Company of Serres (DEYA)",
        email="vlaves@deya.serres.example",
    )
    categories["water-leak"].external_body = water
    categories["water-leak"].save()
    for code in ("pothole", "pavement", "storm-drain"):
        RoutingRuleFactory(
            municipality=serres,
            category=categories[code],
            unit=mountain_unit,
            department=departments["technikes"],
        )
    return categories


def jpeg_with_gps(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG carrying GPS EXIF (latitude of Serres)."""
    from PIL import Image

    img = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "TestCamera"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (41.0, 5.0, 8.5)
    gps[3] = "E"
    gps[4] = (23.0, 32.0, 52.8)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg") -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type=content_type)
