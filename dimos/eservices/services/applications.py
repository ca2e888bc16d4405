"""The citizen's side of an application: draft, attachments, submission, answers."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.eservices.constants import Direction, EventKind, Outcome, Status
from dimos.eservices.fields import field_type
from dimos.eservices.forms import field_specs, prefill_values
from dimos.eservices.models import Application, Service
from dimos.eservices.register import get_register
from dimos.eservices.services.common import locked, notify_citizen, record_event, store_files
from dimos.eservices.services.deadlines import deadline_compute
from dimos.eservices.services.workflow import application_resume


@transaction.atomic
def application_start(*, municipality: Municipality, service: Service, citizen: Any) -> Application:
    """Resume the citizen's draft for the service or open a new one (prefilled)."""
    if service.municipality_id != municipality.pk or not service.is_active:
        raise NotFound(_("Η υπηρεσία δεν βρέθηκε."))
    if service.is_external:
        raise ValidationFailed(_("Η υπηρεσία παρέχεται από το gov.gr· ακολουθήστε τον σύνδεσμο."))
    if service.outcome == Outcome.APPOINTMENT and not service.form:
        raise ValidationFailed(_("Για αυτή την υπηρεσία κλείνετε ραντεβού."))
    existing = Application.objects.filter(
        municipality=municipality, service=service, citizen=citizen, status=Status.DRAFT
    ).first()
    if existing is not None:
        return existing
    return Application.objects.create(
        municipality=municipality,
        service=service,
        citizen=citizen,
        department=service.department,
        data=prefill_values(service, citizen) | {},
    )


@transaction.atomic
def application_save_draft(
    *,
    application_id: int,
    municipality: Municipality,
    citizen: Any,
    values: dict[str, Any],
    files: dict[str, list[tuple[str, bytes, str]]] | None = None,
) -> Application:
    application = locked(application_id, municipality)
    if application.citizen_id != citizen.pk:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if application.status != Status.DRAFT:
        raise Conflict(_("Η αίτηση έχει ήδη υποβληθεί και δεν αλλάζει."))
    application.data = {**application.data, **values}
    application.save(update_fields=["data", "updated_at"])
    store_files(application, files or {})
    return application


@transaction.atomic
def attachment_remove(
    *, application_id: int, municipality: Municipality, citizen: Any, attachment_id: int
) -> None:
    application = locked(application_id, municipality)
    if application.citizen_id != citizen.pk or application.status != Status.DRAFT:
        raise Conflict(_("Τα συνημμένα αλλάζουν μόνο πριν από την υποβολή."))
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound(_("Το συνημμένο δεν βρέθηκε."))
    attachment.file.delete(save=False)
    attachment.delete()


def application_missing(application: Application) -> dict[str, list[str]]:
    """Required fields still empty (files counted from attachments)."""
    errors: dict[str, list[str]] = {}
    have_files = {a.field for a in application.attachments.all()}
    for spec in field_specs(application.service):
        if not spec.get("required"):
            continue
        name, kind = spec["name"], field_type(spec["type"])
        empty = name not in have_files if kind.stores_files else kind.is_empty(application.data.get(name))
        if empty:
            errors[name] = [
                _("Το πεδίο «%(label)s» είναι υποχρεωτικό.") % {"label": spec.get("label_el", name)}
            ]
    return errors


@transaction.atomic
def application_submit(*, application_id: int, municipality: Municipality, citizen: Any) -> Application:
    """Submit a draft: protocol number at once, deadline, receipt notification.

    Idempotent: submitting an already submitted application (a double click, a
    retried request) returns it unchanged with the same number. A failing check
    raises before the number is taken, and any later failure rolls the whole
    transaction back, number included.
    """
    application = locked(application_id, municipality)
    if application.citizen_id != citizen.pk:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if application.status != Status.DRAFT:
        return application
    missing = application_missing(application)
    if missing:
        raise ValidationFailed(_("Συμπληρώστε τα υποχρεωτικά πεδία πριν από την υποβολή."), errors=missing)
    service = application.service
    # Everything that does not need the number is done first: the number is
    # taken as late as possible, so the counter row (which every submission of
    # the municipality queues on until commit) is locked for as little as possible.
    now = timezone.now()
    application.status = Status.SUBMITTED
    application.submitted_at = now
    application.department = application.department or service.department
    application.deadline = deadline_compute(
        service=service, municipality=municipality, start=timezone.localdate(now)
    )
    application.save()
    record_event(
        application,
        kind=EventKind.TRANSITION,
        actor=citizen,
        from_status=Status.DRAFT,
        to_status=Status.SUBMITTED,
    )
    entry = get_register().register(
        municipality=municipality,
        direction=Direction.INCOMING,
        subject=_("Αίτηση: %(service)s") % {"service": service.title_el},
        correspondent=citizen.get_full_name() or citizen.username,
        obj=application,
    )
    application.protocol = entry
    application.save(update_fields=["protocol"])
    audit_record(
        action="services.application_submitted",
        actor=citizen,
        obj=application,
        municipality=municipality,
        new={"protocol": entry.label},
    )
    notify_citizen(application, "services.submitted")
    return application


@transaction.atomic
def application_answer(
    *,
    application_id: int,
    municipality: Municipality,
    citizen: Any,
    text: str,
    files: list[tuple[str, bytes, str]] | None = None,
) -> Application:
    """The citizen answers a request for documents: the clock runs again."""
    application = locked(application_id, municipality)
    if application.citizen_id != citizen.pk:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if application.status != Status.AWAITING_CITIZEN:
        raise Conflict(_("Η αίτηση δεν περιμένει στοιχεία από εσάς."))
    if not (text or "").strip():
        raise ValidationFailed(_("Γράψτε την απάντησή σας."), field="text")
    store_files(application, {"answer": files or []})
    record_event(application, kind=EventKind.ANSWER, actor=citizen, comment=text.strip())
    application_resume(application, actor=citizen)
    return application
