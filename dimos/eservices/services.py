"""Every write of the e-services app: drafts, submission, the workflow, documents."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, NotFound, TransitionNotAllowed, ValidationFailed
from dimos.core.exceptions import PermissionDenied as DomainPermissionDenied
from dimos.core.models import Department, Municipality
from dimos.core.services import audit_record, notify
from dimos.core.tenancy import is_staff_of
from dimos.core.workdays import add_calendar_days, add_working_days, working_days_between
from dimos.eservices.codes import code_generate
from dimos.eservices.constants import (
    FORWARD_WITHIN_WORKING_DAYS,
    TRANSITIONS,
    DeadlineKind,
    Direction,
    DocumentStatus,
    EventKind,
    FieldType,
    Outcome,
    Status,
)
from dimos.eservices.forms import field_specs, prefill_values
from dimos.eservices.models import (
    Application,
    ApplicationEvent,
    Attachment,
    IssuedDocument,
    ProtocolEntry,
    Service,
    VerificationLookup,
)
from dimos.eservices.pdfs import issued_document_pdf
from dimos.eservices.register import get_register
from dimos.eservices.signing import get_sealer

# --- Deadlines -------------------------------------------------------------------


def deadline_compute(*, service: Service, municipality: Municipality, start: dt.date) -> dt.date:
    """The legal deadline of an application filed on ``start``."""
    local = tuple(municipality.local_holidays or ())
    if service.deadline_kind == DeadlineKind.WORKING:
        return add_working_days(start, service.deadline_days, local)
    return add_calendar_days(start, service.deadline_days, local)


def deadline_extend(
    *,
    service: Service,
    municipality: Municipality,
    deadline: dt.date,
    paused_on: dt.date,
    resumed_on: dt.date,
) -> dt.date:
    """Move a deadline by the time the clock was stopped (citizen owed documents)."""
    local = tuple(municipality.local_holidays or ())
    if resumed_on <= paused_on:
        return deadline
    if service.deadline_kind == DeadlineKind.WORKING:
        return add_working_days(deadline, working_days_between(paused_on, resumed_on, local), local)
    return add_calendar_days(deadline, (resumed_on - paused_on).days, local)


# --- Helpers ---------------------------------------------------------------------


def _event(
    application: Application,
    *,
    kind: str,
    actor: Any,
    comment: str = "",
    from_status: str = "",
    to_status: str = "",
    visible: bool = True,
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        municipality_id=application.municipality_id,
        application=application,
        kind=kind,
        actor=actor if getattr(actor, "pk", None) else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        visible_to_citizen=visible,
    )


def _notify_citizen(application: Application, key: str, **extra: Any) -> None:
    with translation.override("en"):
        status_en = str(Status(application.status).label)
    notify(
        municipality=application.municipality,
        key=key,
        user=application.citizen,
        context={
            "service": application.service.title_el,
            "service_en": application.service.title_en or application.service.title_el,
            "protocol": application.protocol_label,
            "status": application.get_status_display(),
            "status_code": application.status,
            "status_en": status_en,
            "deadline": application.deadline.strftime("%d/%m/%Y") if application.deadline else "",
            "application_id": application.pk,
            **extra,
        },
    )


def _store_files(
    application: Application, files: dict[str, list[tuple[str, bytes, str]]]
) -> list[Attachment]:
    stored = []
    for field, items in files.items():
        for name, data, mime in items:
            attachment = Attachment(
                municipality_id=application.municipality_id,
                application=application,
                field=field,
                filename=name,
                content_type=mime,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
            ext = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}.get(mime, "bin")
            attachment.file.save(
                f"a{application.pk}-{attachment.sha256[:16]}.{ext}", ContentFile(data), save=False
            )
            attachment.save()
            stored.append(attachment)
    return stored


def _locked(application_id: int, municipality: Municipality) -> Application:
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("service", "citizen", "municipality", "department")
            .get(pk=application_id, municipality=municipality)
        )
    except Application.DoesNotExist as exc:
        raise NotFound(_("Η αίτηση δεν βρέθηκε.")) from exc


# --- Citizen journey -------------------------------------------------------------


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
    application = _locked(application_id, municipality)
    if application.citizen_id != citizen.pk:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if application.status != Status.DRAFT:
        raise Conflict(_("Η αίτηση έχει ήδη υποβληθεί και δεν αλλάζει."))
    application.data = {**application.data, **values}
    application.save(update_fields=["data", "updated_at"])
    _store_files(application, files or {})
    return application


@transaction.atomic
def attachment_remove(
    *, application_id: int, municipality: Municipality, citizen: Any, attachment_id: int
) -> None:
    application = _locked(application_id, municipality)
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
        name = spec["name"]
        if spec["type"] == FieldType.FILE:
            empty = name not in have_files
        else:
            value = application.data.get(name)
            if isinstance(value, dict):
                value = value.get("text")
            empty = value in (None, "", [])
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
    application = _locked(application_id, municipality)
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
    _event(
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
    _notify_citizen(application, "services.submitted")
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
    application = _locked(application_id, municipality)
    if application.citizen_id != citizen.pk:
        raise NotFound(_("Η αίτηση δεν βρέθηκε."))
    if application.status != Status.AWAITING_CITIZEN:
        raise Conflict(_("Η αίτηση δεν περιμένει στοιχεία από εσάς."))
    if not (text or "").strip():
        raise ValidationFailed(_("Γράψτε την απάντησή σας."), field="text")
    _store_files(application, {"answer": files or []})
    _event(application, kind=EventKind.ANSWER, actor=citizen, comment=text.strip())
    _resume(application, actor=citizen)
    return application


def _resume(application: Application, *, actor: Any) -> None:
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
    _event(
        application, kind=EventKind.TRANSITION, actor=actor, from_status=previous, to_status=Status.IN_REVIEW
    )
    notify(
        municipality=application.municipality,
        key="services.answer_received",
        email=application.department.email if application.department else "",
        context={"protocol": application.protocol_label, "service": application.service.title_el},
    )


# --- Clerk workflow --------------------------------------------------------------


def _require_staff(actor: Any, municipality: Municipality) -> None:
    if not is_staff_of(actor, municipality, write=True):
        raise DomainPermissionDenied(_("Δεν έχετε δικαίωμα ενεργειών σε αυτή την αίτηση."))


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
    _require_staff(actor, municipality)
    application = _locked(application_id, municipality)
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
        _event(
            application,
            kind=EventKind.NOTE,
            actor=actor,
            comment=comment or _("Συνέχιση χωρίς απάντηση μέσω της πύλης."),
            visible=False,
        )
        _resume(application, actor=actor)
        audit_record(
            action="services.application_transition",
            actor=actor,
            obj=application,
            municipality=municipality,
            old={"status": current},
            new={"status": Status.IN_REVIEW},
        )
        _notify_citizen(application, "services.status_changed")
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
    _event(application, kind=kind, actor=actor, from_status=current, to_status=to_status, comment=comment)
    audit_record(
        action="services.application_transition",
        actor=actor,
        obj=application,
        municipality=municipality,
        old={"status": current},
        new={"status": to_status},
    )
    if to_status == Status.AWAITING_CITIZEN:
        _notify_citizen(application, "services.documents_requested", request=comment)
    elif to_status == Status.REJECTED:
        _notify_citizen(application, "services.status_changed", reason=comment)
    elif to_status != Status.ISSUED:
        _notify_citizen(application, "services.status_changed")
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
    _require_staff(actor, municipality)
    application = _locked(application_id, municipality)
    text = (text or "").strip()
    if not text:
        raise ValidationFailed(_("Γράψτε το κείμενο."), field="text")
    event = _event(
        application,
        kind=EventKind.MESSAGE if to_citizen else EventKind.NOTE,
        actor=actor,
        comment=text,
        visible=to_citizen,
    )
    if to_citizen:
        _notify_citizen(application, "services.message", message=text)
    return event


@transaction.atomic
def application_assign(
    *, application_id: int, municipality: Municipality, actor: Any, assignee: Any
) -> Application:
    _require_staff(actor, municipality)
    application = _locked(application_id, municipality)
    if assignee is not None and (assignee.municipality_id != municipality.pk or not assignee.role):
        raise ValidationFailed(_("Ο/Η χειριστής πρέπει να είναι υπάλληλος του δήμου."), field="assignee")
    previous = application.assignee
    application.assignee = assignee
    application.save(update_fields=["assignee", "updated_at"])
    name = assignee.get_full_name() or assignee.username if assignee else _("κανέναν")
    _event(
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
    _require_staff(actor, municipality)
    application = _locked(application_id, municipality)
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
    _event(application, kind=EventKind.FORWARD, actor=actor, comment=text)
    audit_record(
        action="services.application_forwarded",
        actor=actor,
        obj=application,
        municipality=municipality,
        old={"department": old.pk if old else None},
        new={"department": department.pk},
    )
    return application


# --- Issued documents ------------------------------------------------------------


def verify_url(municipality: Municipality, code: str, base_url: str = "") -> str:
    """The public verification address on the municipality's host."""
    base = base_url.rstrip("/")
    if not base:
        host = (municipality.hostnames or ["localhost"])[0]
        base = f"https://{host}"
    return f"{base}/verify/{code}/"


def _unique_code() -> str:
    for _attempt in range(10):
        code = code_generate()
        if not IssuedDocument.objects.filter(code=code).exists():
            return code
    raise RuntimeError("could not draw a unique verification code")


def document_issue(
    *, application: Application, actor: Any, base_url: str = "", transition: bool = True
) -> IssuedDocument:
    """Render, seal, hash and store the document; register it as outgoing.

    Called inside the transition's transaction (the application row is locked).
    A previous valid document of the same application becomes superseded.
    """
    service = application.service
    municipality = application.municipality
    title = service.document_title or service.title_el
    code = _unique_code()  # before the number: the counter row stays locked until commit
    now = timezone.now()
    entry = get_register().register(
        municipality=municipality,
        direction=Direction.OUTGOING,
        subject=title,
        correspondent=application.citizen.get_full_name() or application.citizen.username,
        obj=application,
    )
    pdf = issued_document_pdf(
        application=application,
        title=title,
        protocol_label=entry.label,
        issued_at=now,
        code=code,
        verify_url=verify_url(municipality, code, base_url),
    )
    pdf, sealed = get_sealer().seal(pdf, municipality=municipality, reason=title)
    document = IssuedDocument(
        municipality=municipality,
        application=application,
        code=code,
        title=title,
        protocol=entry,
        issued_at=now,
        sha256=hashlib.sha256(pdf).hexdigest(),
        sealed=sealed,
    )
    document.pdf.save(f"{code}.pdf", ContentFile(pdf), save=False)
    document.save()
    entry.object_type, entry.object_id = document._meta.label_lower, str(document.pk)
    entry.save(update_fields=["object_type", "object_id"])
    previous = IssuedDocument.objects.filter(application=application, status=DocumentStatus.VALID).exclude(
        pk=document.pk
    )
    for old in previous:
        old.status = DocumentStatus.SUPERSEDED
        old.superseded_by = document
        old.status_changed_at = now
        old.status_reason = _("Αντικαταστάθηκε από το έγγραφο %(p)s.") % {"p": entry.label}
        old.save(update_fields=["status", "superseded_by", "status_changed_at", "status_reason"])
    if application.status != Status.ISSUED:
        from_status = application.status
        application.status = Status.ISSUED
        application.save(update_fields=["status", "updated_at"])
        _event(
            application,
            kind=EventKind.TRANSITION,
            actor=actor,
            from_status=from_status,
            to_status=Status.ISSUED,
        )
    _event(
        application,
        kind=EventKind.DOCUMENT,
        actor=actor,
        comment=_("Εκδόθηκε «%(t)s», αρ. πρωτ. %(p)s.") % {"t": title, "p": entry.label},
    )
    audit_record(
        action="services.document_issued",
        actor=actor,
        obj=document,
        municipality=municipality,
        new={"protocol": entry.label},
    )
    _notify_citizen(application, "services.issued", document_title=title, document_protocol=entry.label)
    return document


@transaction.atomic
def document_reissue(
    *, application_id: int, municipality: Municipality, actor: Any, base_url: str = ""
) -> IssuedDocument:
    _require_staff(actor, municipality)
    application = _locked(application_id, municipality)
    if application.status != Status.ISSUED:
        raise Conflict(_("Επανέκδοση γίνεται μόνο για αιτήσεις με εκδοθέν έγγραφο."))
    return document_issue(application=application, actor=actor, base_url=base_url)


@transaction.atomic
def document_revoke(
    *, document_id: int, municipality: Municipality, actor: Any, reason: str
) -> IssuedDocument:
    _require_staff(actor, municipality)
    document = (
        IssuedDocument.objects.select_for_update(of=("self",))
        .select_related("application__citizen", "application__service")
        .filter(pk=document_id, municipality=municipality)
        .first()
    )
    if document is None:
        raise NotFound(_("Το έγγραφο δεν βρέθηκε."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Η ανάκληση χρειάζεται αιτιολογία."), field="reason")
    if document.status != DocumentStatus.VALID:
        raise Conflict(_("Το έγγραφο δεν είναι σε ισχύ· δεν ανακαλείται."))
    document.status = DocumentStatus.REVOKED
    document.status_reason = reason[:300]
    document.status_changed_at = timezone.now()
    document.save(update_fields=["status", "status_reason", "status_changed_at"])
    _event(
        document.application,
        kind=EventKind.DOCUMENT,
        actor=actor,
        comment=_("Ανακλήθηκε το έγγραφο %(p)s: %(r)s") % {"p": document.protocol.label, "r": reason},
    )
    audit_record(
        action="services.document_revoked",
        actor=actor,
        obj=document,
        municipality=municipality,
        new={"reason": reason},
    )
    _notify_citizen(document.application, "services.revoked", document_title=document.title, reason=reason)
    return document


def verification_log(
    *,
    municipality: Municipality,
    document: IssuedDocument | None,
    how: str,
    result: str,
    document_id: int | None = None,
) -> None:
    """Log a public lookup without personal data (no IP, no user).

    One plain INSERT into a narrow table (no model instance, no signals): it runs
    on every public lookup, so it is kept as cheap as the row itself.
    """
    if document is not None:
        document_id = document.pk
    ops = connection.ops
    table = ops.quote_name(VerificationLookup._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (municipality_id, document_id, how, result, created_at) "  # noqa: S608
            "VALUES (%s, %s, %s, %s, %s)",
            [
                municipality.pk,
                document_id,
                how[:10],
                str(result)[:20],
                ops.adapt_datetimefield_value(timezone.now()),
            ],
        )


# --- The register ----------------------------------------------------------------


@transaction.atomic
def protocol_void(*, entry_id: int, municipality: Municipality, actor: Any, reason: str) -> ProtocolEntry:
    """Void an entry with a reason; its number stays used (never deleted)."""
    _require_staff(actor, municipality)
    entry = ProtocolEntry.objects.select_for_update().filter(pk=entry_id, municipality=municipality).first()
    if entry is None:
        raise NotFound(_("Η εγγραφή δεν βρέθηκε."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Η ακύρωση χρειάζεται αιτιολογία."), field="reason")
    if entry.voided:
        raise Conflict(_("Η εγγραφή έχει ήδη ακυρωθεί."))
    entry.voided, entry.void_reason, entry.voided_at, entry.voided_by = (
        True,
        reason[:300],
        timezone.now(),
        actor,
    )
    entry.save(update_fields=["voided", "void_reason", "voided_at", "voided_by"])
    audit_record(
        action="services.protocol_voided",
        actor=actor,
        obj=entry,
        municipality=municipality,
        new={"reason": reason},
    )
    return entry


@transaction.atomic
def protocol_register_manual(
    *, municipality: Municipality, actor: Any, direction: str, subject: str, correspondent: str
) -> ProtocolEntry:
    """A paper document registered by the protocol office."""
    _require_staff(actor, municipality)
    if direction not in Direction.values:
        raise ValidationFailed(_("Επιλέξτε εισερχόμενο ή εξερχόμενο."), field="direction")
    if not (subject or "").strip():
        raise ValidationFailed(_("Γράψτε το θέμα."), field="subject")
    if not (correspondent or "").strip():
        raise ValidationFailed(_("Γράψτε τον αποστολέα ή τον παραλήπτη."), field="correspondent")
    entry = get_register().register(
        municipality=municipality,
        direction=direction,
        subject=subject.strip(),
        correspondent=correspondent.strip(),
    )
    audit_record(action="services.protocol_registered", actor=actor, obj=entry, municipality=municipality)
    return entry
