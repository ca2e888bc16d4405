"""Isolation cases for every staff URL of the e-services app (see dimos/core/isolation.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from dimos.core.isolation import IsolationCase
from dimos.eservices import services
from dimos.eservices.constants import Status
from dimos.eservices.demo import seed_catalogue

MARKER = "Ισοτιμιάδου"
SUBJECT = "Φάκελος-Απομόνωσης-Σερρών"


def cases(ctx: Any) -> list[IsolationCase]:
    serres = ctx.serres
    catalogue = seed_catalogue(serres)
    citizen = get_user_model().objects.create_user(
        username="iso.citizen", first_name="Ζωή", last_name=MARKER, email="iso@example.org"
    )
    service = catalogue["monimi-katoikia"]

    def submitted() -> Any:
        app = services.application_start(municipality=serres, service=service, citizen=citizen)
        services.application_save_draft(
            application_id=app.pk,
            municipality=serres,
            citizen=citizen,
            values={
                "father_name": "Π",
                "afm": "090000045",
                "address": {"text": "Οδός 1", "lat": None, "lon": None},
                "since": "2020-01-01",
                "purpose": "any",
            },
            files={"proof": [("proof.pdf", b"%PDF-1.4 iso", "application/pdf")]},
        )
        services.application_submit(application_id=app.pk, municipality=serres, citizen=citizen)
        return app

    app = submitted()
    in_review = submitted()  # the approve-and-issue confirmation page needs an application it may issue
    services.application_transition(
        application_id=in_review.pk, municipality=serres, actor=ctx.alice, to_status=Status.IN_REVIEW
    )
    services.application_transition(
        application_id=app.pk, municipality=serres, actor=ctx.alice, to_status=Status.IN_REVIEW
    )
    services.application_transition(
        application_id=app.pk, municipality=serres, actor=ctx.alice, to_status=Status.APPROVED
    )
    document = app.documents.get()
    attachment = app.attachments.get()
    entry = services.protocol_register_manual(
        municipality=serres, actor=ctx.alice, direction="in", subject=SUBJECT, correspondent="Κάποιος"
    )
    today = timezone.localdate().isoformat()
    span = f"?start={today}&end={today}"
    return [
        IsolationCase("services:staff_queue", query="?department=all&view=all", marker=MARKER),
        IsolationCase("services:staff_application", {"pk": app.pk}, marker=MARKER),
        IsolationCase("services:staff_issue_confirm", {"pk": in_review.pk}, marker=MARKER),
        IsolationCase(
            "services:staff_application_action",
            {"pk": app.pk},
            method="POST",
            data={"action": "note", "comment": "x"},
        ),
        IsolationCase("services:staff_attachment", {"pk": app.pk, "attachment_pk": attachment.pk}),
        IsolationCase("services:staff_document", {"pk": document.pk}),
        IsolationCase(
            "services:staff_document_revoke", {"pk": document.pk}, method="POST", data={"reason": "x"}
        ),
        IsolationCase("services:register", query=span, marker=SUBJECT),
        IsolationCase(
            "services:register",
            method="POST",
            data={"direction": "in", "subject": "", "correspondent": "Κάποιος"},  # refused: no subject
        ),
        IsolationCase("services:register_csv", query=span, marker=SUBJECT),
        IsolationCase("services:register_pdf", query=span),
        IsolationCase("services:register_void", {"pk": entry.pk}),  # the confirmation page
        IsolationCase("services:register_void", {"pk": entry.pk}, method="POST", data={"reason": "x"}),
        IsolationCase("services-api:staff_applications", query="?view=all", marker="monimi-katoikia"),
        IsolationCase("services-api:staff_application", {"pk": app.pk}, marker=MARKER),
        IsolationCase(
            "services-api:staff_transition", {"pk": app.pk}, method="POST", data={"to_status": "closed"}
        ),
        IsolationCase("services-api:register_entries", query=span, marker=SUBJECT),
    ]
