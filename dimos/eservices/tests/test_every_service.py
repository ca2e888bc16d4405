"""Every service of the ``eservices`` starter kit works end to end through the pages:
apply, submit, decide. The kit is product content (every new municipality starts
from it), loaded through the bootstrap service, not the demo."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from dimos.core.bootstrap import kit_load
from dimos.core.constants import StaffRole
from dimos.core.testing import SERRES_HOST, client_for, make_staff
from dimos.eservices.constants import Outcome, Status
from dimos.eservices.forms import field_specs
from dimos.eservices.models import Application, IssuedDocument, Service

from .conftest import pdf_upload

SAMPLE = {
    "text": "Δοκιμή",
    "textarea": "Κείμενο δοκιμής",
    "number": "3",
    "date": "2026-03-02",
    "yesno": "yes",
    "afm": "090000045",
    "amka": "01017201235",
    "address": "Μεραρχίας 12, 621 23 Σέρρες",
}


def _post_data(service: Service) -> dict[str, Any]:
    data: dict[str, Any] = {"continue": "1"}
    for spec in field_specs(service):
        kind, name = spec["type"], spec["name"]
        if kind == "choice":
            data[name] = spec["choices"][0][0]
        elif kind == "multichoice":
            data[name] = [spec["choices"][0][0]]
        elif kind == "file":
            if spec.get("required"):
                data[name] = pdf_upload(f"{name}.pdf")
        elif kind == "address":
            data[name] = SAMPLE["address"]
            data[f"{name}__lat"], data[f"{name}__lon"] = "41.0889", "23.5467"
        else:
            data[name] = SAMPLE[kind]
    return data


KIT_SERVICES = [s["slug"] for s in kit_load("eservices").sections["eservices"] if s["outcome"] != "external"]


def test_the_kit_has_services_to_walk() -> None:
    assert len(KIT_SERVICES) >= 6


@pytest.mark.parametrize("slug", KIT_SERVICES)
def test_each_kit_service_end_to_end(slug: str, catalogue: Any, citizen: Any, serres: Any) -> None:
    service = catalogue[slug]
    citizen_client = client_for(citizen, SERRES_HOST)
    citizen_client.post(reverse("services:apply", args=[slug]))
    app = Application.objects.get(service=service)
    response = citizen_client.post(reverse("services:application_edit", args=[app.pk]), _post_data(service))
    assert response.status_code == 302, response.context["form"].errors
    citizen_client.post(reverse("services:application_review", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == Status.SUBMITTED and app.protocol_id and app.deadline
    # A clerk of the department the service belongs to handles it; a case of no
    # department (not created in this test) is the municipal administrator's.
    handler = (
        make_staff(f"clerk-{slug}", serres, StaffRole.CLERK, department=app.department)
        if app.department_id
        else make_staff(f"admin-{slug}", serres, StaffRole.MUNICIPAL_ADMIN)
    )
    staff = client_for(handler, SERRES_HOST)
    action = reverse("services:staff_application_action", args=[app.pk])
    staff.post(action, {"action": "transition", "to_status": "in_review"})
    staff.post(action, {"action": "transition", "to_status": "approved", "confirmed": "1"})
    app.refresh_from_db()
    if service.outcome == Outcome.DOCUMENT:
        assert app.status == Status.ISSUED
        document = IssuedDocument.objects.get(application=app)
        assert (
            citizen_client.get(reverse("services:my_document", args=[app.pk, document.pk])).status_code == 200
        )
    else:
        assert app.status == Status.APPROVED
        staff.post(action, {"action": "transition", "to_status": "closed"})
        app.refresh_from_db()
        assert app.status == Status.CLOSED
    page = citizen_client.get(reverse("services:my_application", args=[app.pk])).content.decode()
    assert app.get_status_display() in page
