"""Fixtures of the e-services tests: the starter-kit catalogue, a submitted application."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dimos.core.bootstrap import kits_apply
from dimos.core.testing import SERRES_HOST, client_for
from dimos.eservices import services
from dimos.eservices.models import Application, Service

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_upload(name: str = "bill.pdf", data: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def catalogue(serres: Any, serres_department: Any) -> dict[str, Service]:
    """The ``eservices`` starter kit (product content, not the demo) at Serres, by slug."""
    kits_apply(municipality=serres, kits=["eservices"])
    return {s.slug: s for s in Service.objects.filter(municipality=serres)}


@pytest.fixture
def residence(catalogue: dict[str, Service]) -> Service:
    return catalogue["monimi-katoikia"]


@pytest.fixture
def citizen_client(citizen: Any) -> Client:
    return client_for(citizen, SERRES_HOST)


RESIDENCE_VALUES = {
    "father_name": "Γεώργιος",
    "address": {"text": "Μεραρχίας 12, 621 23 Σέρρες", "lat": None, "lon": None},
    "since": "2015-03-01",
    "purpose": "bank",
}


def make_submitted(serres: Any, service: Service, citizen: Any, values: dict | None = None) -> Application:
    app = services.application_start(municipality=serres, service=service, citizen=citizen)
    services.application_save_draft(
        application_id=app.pk,
        municipality=serres,
        citizen=citizen,
        values=values if values is not None else RESIDENCE_VALUES,
        files={"proof": [("bill.pdf", PDF_BYTES, "application/pdf")]}
        if service.slug == "monimi-katoikia"
        else {},
    )
    return services.application_submit(application_id=app.pk, municipality=serres, citizen=citizen)


@pytest.fixture
def submitted(serres: Any, residence: Service, citizen: Any) -> Application:
    return make_submitted(serres, residence, citizen)
