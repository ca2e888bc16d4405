"""The clerk's side of an application: transitions checked against the table, notes, assignment, forwarding."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability, may_handle_application, may_see_citizen_contact
from dimos.core.exceptions import Conflict, TransitionNotAllowed, ValidationFailed
from dimos.core.exceptions import PermissionDenied as DomainPermissionDenied
from dimos.core.models import AuditEvent, Department, Municipality
from dimos.core.services import audit_record, notify
from dimos.core.workdays import working_days_between
from dimos.eservices.constants import FORWARD_WITHIN_WORKING_DAYS, TRANSITIONS, EventKind, Outcome, Status
from dimos.eservices.models import Application, ApplicationEvent
from dimos.eservices.services.common import (
    locked,
    notify_citizen,
    record_event,
    require_handler,
    require_staff,
)
from dimos.eservices.services.deadlines import deadline_extend
from dimos.eservices.services.documents import document_issue


def application_resume(application: Application, *, actor: Any) -> None:
    today = timezone.localdate()
    if application.paused_on and application.deadline:
        application.deadline = deadline_extend(
            service=application.service,
            municipality=application.municipality,
            deadline=application.deadline,
            paused_on=application.paused_on,
            resumed_on=today,
        )
    application.paused_on = None
    previous = application.status
    application.status = Status.IN_REVIEW
    application.save()
    record_event(
        application, kind=EventKind.TRANSITION, actor=actor, from_status=previous, to_status=Status.IN_REVIEW
    )
    notify(
        municipality=application.municipality,
        key="services.answer_received",
        email=application.department.email if application.department else "",
        context={"protocol": application.protocol_label, "service": application.service.title_el},
    )


def citizen_contact_read(*, application: Application, actor: Any) -> AuditEvent:
    """Record that ``actor`` is shown the citizen's personal data on ``application``.

    Name, ΑΦΜ, ΑΜΚΑ, e-mail, phone and address are shown only to staff who may
    handle the application (``may_see_citizen_contact``), and every such read is an
    audit event, so the municipality can answer "who looked at my data".
    """
    if not may_see_citizen_contact(actor, department_id=application.department_id, kind="application"):
        raise DomainPermissionDenied(_("Η αίτηση ανήκει σε άλλο τμήμα."))
    return audit_record(
        action="services.citizen_contact_read",
        actor=actor,
        obj=application,
        municipality=application.municipality,
    )


def allowed_transitions(application: Application) -> list[str]:
    return sorted(TRANSITIONS.get(application.status, frozenset()) - {Status.SUBMITTED})


@transaction.atomic
def application_transition(
    *,
    application_id: int,
    municipality: Municipality,
    actor: Any,
    to_status: str,
    comment: str = "",
    base_url: str = "",
) -> Application:
    """One status change by staff, checked against the transition table."""
    require_staff(actor, municipality, Capability.ESERVICES_HANDLE)
    application = locked(application_id, municipality)
    require_handler(actor, application)
    current = application.status
    if (
        to_status not in Status.values
        or to_status not in TRANSITIONS.get(current, frozenset())
        or to_status == Status.SUBMITTED
    ):
        raise TransitionNotAllowed(
            _("Η αίτηση είναι «%(current)s» και δεν μπορεί να γίνει «%(target)s».")
            % {
                "current": Status(current).label,
                "target": Status(to_status).label if to_status in Status.values else to_status,
            }
        )
    comment = (comment or "").strip()
    if to_status == Status.REJECTED and not comment:
        raise ValidationFailed(
            _("Η απόρριψη χρειάζεται αιτιολογία, την οποία θα δει ο πολίτης."), field="comment"
        )
    if to_status == Status.AWAITING_CITIZEN and not comment:
        raise ValidationFailed(_("Γράψτε ποια στοιχεία ή έγγραφα λείπουν."), field="comment")
    if to_status == Status.ISSUED and application.service.outcome != Outcome.DOCUMENT:
        raise TransitionNotAllowed(_("Η υπηρεσία δεν εκδίδει έγγραφο."))
    if current == Status.AWAITING_CITIZEN and to_status == Status.IN_REVIEW:
        record_event(
            application,
            kind=EventKind.NOTE,
            actor=actor,
            comment=comment or _("Συνέχιση χωρίς απάντηση μέσω της πύλης."),
            visible=False,
        )
        application_resume(application, actor=actor)
        audit_record(
            action="services.application_transition",
            actor=actor,
            obj=application,
            municipality=municipality,
            old={"status": current},
            new={"status": Status.IN_REVIEW},
        )
        notify_citizen(application, "services.status_changed")
        return application
    application.status = to_status
    if to_status == Status.AWAITING_CITIZEN:
        application.paused_on = timezone.localdate()
    if to_status == Status.REJECTED:
        application.rejection_reason = comment
    if to_status in (Status.APPROVED, Status.REJECTED):
        application.decided_at = timezone.now()
    if application.assignee_id is None and actor.pk and getattr(actor, "role", ""):
        application.assignee = actor
    application.save()
    kind = EventKind.REQUEST if to_status == Status.AWAITING_CITIZEN else EventKind.TRANSITION
    record_event(
        application, kind=kind, actor=actor, from_status=current, to_status=to_status, comment=comment
    )
    audit_record(
        action="services.application_transition",
        actor=actor,
        obj=application,
        municipality=municipality,
        old={"status": current},
        new={"status": to_status},
    )
    if to_status == Status.AWAITING_CITIZEN:
        notify_citizen(application, "services.documents_requested", request=comment)
    elif to_status == Status.REJECTED:
        notify_citizen(application, "services.status_changed", reason=comment)
    elif to_status != Status.ISSUED:
        notify_citizen(application, "services.status_changed")
    if to_status == Status.APPROVED and application.service.outcome == Outcome.DOCUMENT:
        # Approval of a document service issues the document at once.
        document_issue(application=application, actor=actor, base_url=base_url)
    elif to_status == Status.ISSUED:
        document_issue(application=application, actor=actor, base_url=base_url, transition=False)
    return application


@transaction.atomic
def application_note(
    *, application_id: int, municipality: Municipality, actor: Any, text: str, to_citizen: bool
) -> ApplicationEvent:
    """An internal note (staff only) or a message the citizen sees."""
    require_staff(actor, municipality, Capability.ESERVICES_HANDLE)
    application = locked(application_id, municipality)
    require_handler(actor, application)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Γράψτε το κείμενο."), field="text")
    event = record_event(
        application,
        kind=EventKind.MESSAGE if to_citizen else EventKind.NOTE,
        actor=actor,
        comment=text,
        visible=to_citizen,
    )
    if to_citizen:
        notify_citizen(application, "services.message", message=text)
    return event


@transaction.atomic
def application_assign(
    *, application_id: int, municipality: Municipality, actor: Any, assignee: Any
) -> Application:
    """A head (``eservices.assign``) gives the case to someone who may handle it: within the department."""
    require_staff(actor, municipality, Capability.ESERVICES_ASSIGN)
    application = locked(application_id, municipality)
    require_handler(actor, application)
    if assignee is not None and (
        assignee.municipality_id != municipality.pk
        or not assignee.role
        or not may_handle_application(assignee, application.department_id)
    ):
        raise ValidationFailed(
            _("Ο/Η χειριστής πρέπει να είναι υπάλληλος του τμήματος της αίτησης."), field="assignee"
        )
    previous = application.assignee
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated_at"])
    name = assignee.get_full_name() or assignee.username if assignee else _("κανέναν")
    record_event(
        application,
        kind=EventKind.ASSIGN,
        actor=actor,
        comment=_("Ανάθεση σε: %(name)s") % {"name": name},
        visible=False,
    )
    audit_record(
        action="services.application_assigned",
        actor=actor,
        obj=application,
        municipality=municipality,
        old={"assignee": previous.pk if previous else None},
        new={"assignee": assignee.pk if assignee else None},
    )
    return application


@transaction.atomic
def application_forward(
    *, application_id: int, municipality: Municipality, actor: Any, department: Department, comment: str = ""
) -> Application:
    """Forward to the competent department (by law within 3 working days of filing)."""
    require_staff(actor, municipality, Capability.ESERVICES_HANDLE)
    application = locked(application_id, municipality)
    require_handler(actor, application)
    if department.municipality_id != municipality.pk:
        raise ValidationFailed(_("Η υπηρεσία δεν ανήκει στον δήμο."), field="department")
    if application.status not in (Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN):
        raise Conflict(_("Η αίτηση δεν μπορεί πλέον να διαβιβαστεί."))
    if department.pk == application.department_id:
        raise ValidationFailed(_("Η αίτηση βρίσκεται ήδη σε αυτή την υπηρεσία."), field="department")
    late = ""
    if application.submitted_at:
        used = working_days_between(
            timezone.localdate(application.submitted_at),
            timezone.localdate(),
            tuple(municipality.local_holidays or ()),
        )
        if used > FORWARD_WITHIN_WORKING_DAYS:
            late = _(" (εκπρόθεσμη διαβίβαση: %(n)s εργάσιμες από την κατάθεση)") % {"n": used}
    old = application.department
    application.department = department
    application.assignee = None
    application.save(update_fields=["department", "assignee", "updated_at"])
    text = (
        _("Διαβίβαση από «%(old)s» σε «%(new)s».")
        % {"old": old.name_el if old else "—", "new": department.name_el}
        + late
    )
    if comment:
        text += "\n" + comment.strip()
    record_event(application, kind=EventKind.FORWARD, actor=actor, comment=text)
    audit_record(
        action="services.application_forwarded",
        actor=actor,
        obj=application,
        municipality=municipality,
        old={"department": old.pk if old else None},
        new={"department": department.pk},
    )
    return application
