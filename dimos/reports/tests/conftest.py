"""Fixtures of the reports tests: Serres' departments, categories and routing."""

from __future__ import annotations

import io
from typing import Any

import pytest

from dimos.core.demo import SERRES_DEPARTMENTS
from dimos.core.models import Department, Municipality, MunicipalUnit
from dimos.reports.demo import seed_categories
from dimos.reports.models import Category

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
    found: dict[str, Department] = {}
    for code, name_el, name_en, parent in SERRES_DEPARTMENTS:
        found[code], _ = Department.objects.get_or_create(
            municipality=serres,
            code=code,
            defaults={
                "name_el": name_el,
                "name_en": name_en,
                "parent": found.get(parent) if parent else None,
            },
        )
    return found


@pytest.fixture
def mountain_unit(serres: Municipality) -> MunicipalUnit:
    return MunicipalUnit.objects.create(
        municipality=serres, name_el="Ορεινής", name_en="Oreini", boundary=_MOUNTAIN
    )


@pytest.fixture
def categories(
    serres: Municipality, departments: dict[str, Department], mountain_unit: MunicipalUnit
) -> dict[str, Category]:
    return seed_categories(serres)


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
