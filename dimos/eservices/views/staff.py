"""Staff pages: the clerk's queue and the handling of one application."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dimos.core.capabilities import Capability, has_capability, may_handle_application
from dimos.core.exceptions import ValidationFailed
from dimos.core.forms import run_service
from dimos.core.i18n import bilingual, choice_labels
from dimos.core.models import Department
from dimos.core.pagination import page_number, row_urls, slice_page
from dimos.core.services import audit_record
from dimos.core.tenancy import NOT_ALLOWED, require_municipality, staff_required, tenant_get_or_404
from dimos.core.workdays import add_working_days
from dimos.eservices import selectors, services
from dimos.eservices.constants import ISSUING_STATUSES, OPEN_STATUSES, QUEUE_VIEWS_LABELS, Outcome, Status
from dimos.eservices.forms import ActionForm, TextForm
from dimos.eservices.models import IssuedDocument
from dimos.eservices.views.common import answers, base_url, deadline_text, file_response

# --- The queue -------------------------------------------------------------------


QUEUE_PAGE_SIZE = 25
STATUS_BADGES = {
    Status.REJECTED: "badge-bad",
    Status.ISSUED: "badge-ok",
    Status.APPROVED: "badge-ok",
    Status.CLOSED: "badge-ok",
    Status.AWAITING_CITIZEN: "badge-warn",
}


@dataclass(frozen=True)
class QueueRow:
    """One application of the queue as the strings the page shows, worked out once in Python."""

    url: str
    protocol: str
    service: str
    citizen: str
    status: str
    badge: str
    deadline: str
    deadline_state: str  # "", "paused", "overdue" or "soon"
    assignee: str


QUEUE_ROW_FIELDS = (
    "pk",
    "status",
    "deadline",
    "paused_on",
    "service_id",
    "service__title_el",
    "service__title_en",
    "protocol__year",
    "protocol__number",
    "citizen__first_name",
    "citizen__last_name",
    "assignee_id",
    "assignee__first_name",
    "assignee__last_name",
    "assignee__username",
)


def _full_name(first: str | None, last: str | None) -> str:
    return f"{first or ''} {last or ''}".strip()


def _queue_rows(applications: list[dict[str, Any]], *, today: date, soon: date) -> list[QueueRow]:
    """The page's rows from plain values: no model instance is built for a row of text."""
    labels = choice_labels(Status.choices)  # once for the page, not every label on every row
    detail = row_urls("services:staff_application")
    rows = []
    for a in applications:
        state = ""
        if a["deadline"] and a["paused_on"]:
            state = "paused"
        elif a["deadline"] and a["status"] in OPEN_STATUSES:
            state = "overdue" if a["deadline"] < today else "soon" if a["deadline"] <= soon else ""
        assignee = "—"
        if a["assignee_id"]:
            assignee = (
                _full_name(a["assignee__first_name"], a["assignee__last_name"]) or a["assignee__username"]
            )
        rows.append(
            QueueRow(
                url=detail(a["pk"]),
                protocol=(
                    f"{a['protocol__number']}/{a['protocol__year']}"
                    if a["protocol__number"]
                    else _("Αίτηση %(pk)s") % {"pk": a["pk"]}  # a link must have a name
                ),
                service=bilingual(a["service__title_el"], a["service__title_en"]),
                citizen=_full_name(a["citizen__first_name"], a["citizen__last_name"]),
                status=labels.get(a["status"], a["status"]),
                badge=STATUS_BADGES.get(a["status"], "badge-info"),
                deadline=date_format(a["deadline"], "SHORT_DATE_FORMAT") if a["deadline"] else "—",
                deadline_state=state,
                assignee=assignee,
            )
        )
    return rows


def _department_choice(request: HttpRequest, municipality: Any, handled: set[int]) -> int | None:
    """The department asked for; none for "all" (of those I handle).

    With no department in the query: all I handle, or, for those who handle every
    department, their own.

    Another municipality's department, or none at all, is 404; a department of this
    municipality that the reader does not handle is 403.
    """
    raw = request.GET.get("department")
    if raw == "all":
        return None
    if raw:
        try:
            pk = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        if pk not in handled:
            if Department.objects.filter(municipality=municipality, pk=pk).exists():
                raise PermissionDenied(NOT_ALLOWED)
            raise Http404
        return pk
    if not has_capability(request.user, Capability.ESERVICES_ALL_DEPARTMENTS):
        return None  # everything I handle: my department and the offices under it
    own = request.user.department_id
    return own if own in handled else None


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_GET
def staff_queue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    departments = list(selectors.departments_handled(municipality=municipality, user=request.user))
    handled = {d.pk for d in departments}
    department_id = _department_choice(request, municipality, handled)
    scope = None if has_capability(request.user, Capability.ESERVICES_ALL_DEPARTMENTS) else handled
    view = request.GET.get("view", "open")
    if view not in QUEUE_VIEWS_LABELS:
        view = "open"
    today = timezone.localdate()
    queue = selectors.application_queue(
        municipality=municipality,
        department_id=department_id,
        department_ids=scope,
        view=view,
        assignee=request.user,
        today=today,
    )
    counts = selectors.queue_counts(
        municipality=municipality, department_id=department_id, department_ids=scope, today=today
    )
    applications, page = slice_page(
        queue.values(*QUEUE_ROW_FIELDS), number=page_number(request), size=QUEUE_PAGE_SIZE
    )
    if applications:  # citizens' names on the page: the read is an audit event, as for one case
        audit_record(
            action="services.queue_viewed",
            actor=request.user,
            municipality=municipality,
            new={"department": department_id, "view": view, "applications": [a["pk"] for a in applications]},
        )
    return render(
        request,
        "services/staff/queue.html",
        {
            "page": page,
            "rows": _queue_rows(
                applications, today=today, soon=selectors.due_soon_limit(municipality, today)
            ),
            "view": view,
            "tabs": [(key, label, counts.get(key)) for key, label in QUEUE_VIEWS_LABELS.items()],
            "departments": departments,
            "department_id": department_id,
        },
    )


# --- One application -------------------------------------------------------------


def _staff_app(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    """The application, if this member of staff handles its department (403 otherwise)."""
    municipality = require_municipality(request)
    application = selectors.application_get_for_staff(municipality=municipality, pk=pk)
    if application is None or application.status == Status.DRAFT:
        raise Http404
    if not may_handle_application(request.user, application.department_id):
        raise PermissionDenied(NOT_ALLOWED)
    return municipality, application


def _application_page(
    request: HttpRequest,
    municipality: Any,
    application: Any,
    *,
    form: ActionForm | None = None,
    failed: str = "",
    failed_document: int | None = None,
) -> HttpResponse:
    """The case page; after a refused action, again with the error at its field and the input kept."""
    may_assign = has_capability(request.user, Capability.ESERVICES_ASSIGN)
    forward_by = (
        add_working_days(
            timezone.localdate(application.submitted_at), 3, tuple(municipality.local_holidays or ())
        )
        if application.submitted_at
        else None
    )
    return render(
        request,
        "services/staff/application.html",
        {
            "application": application,
            "timeline": selectors.staff_timeline(application),
            "summary": answers(application),
            "attachments": application.attachments.all(),
            "documents": selectors.documents_for_application(application),
            "transitions": [Status(s) for s in services.allowed_transitions(application)],
            "issuing": ISSUING_STATUSES if application.service.outcome == Outcome.DOCUMENT else (),
            "departments": Department.objects.filter(municipality=municipality)
            .exclude(pk=application.department_id)
            .order_by("name_el"),
            "may_assign": may_assign,
            "staff": selectors.possible_assignees(application) if may_assign else [],
            "deadline_text": deadline_text(application),
            "forward_by": forward_by,
            "today": timezone.localdate(),
            "form": form,
            "failed": failed,
            "failed_document": failed_document,
        },
        status=400 if failed else 200,
    )


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_GET
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _staff_app(request, pk)
    services.citizen_contact_read(application=application, actor=request.user)
    return _application_page(request, municipality, application)


def _transition(request: HttpRequest, municipality: Any, pk: int) -> str:
    services.application_transition(
        application_id=pk,
        municipality=municipality,
        actor=request.user,
        to_status=request.POST.get("to_status", ""),
        comment=request.POST.get("comment", ""),
        base_url=base_url(request),
    )
    return _("Η κατάσταση της αίτησης άλλαξε.")


def _note(request: HttpRequest, municipality: Any, pk: int) -> str:
    form = TextForm({"text": request.POST.get("comment", "")})
    if not form.is_valid():
        raise ValidationFailed(_("Γράψτε το κείμενο (έως 4000 χαρακτήρες)."), field="comment")
    services.application_note(
        application_id=pk,
        municipality=municipality,
        actor=request.user,
        text=form.cleaned_data["text"],
        to_citizen=request.POST.get("action") == "message",
    )
    return _("Καταχωρίστηκε.")


def _pk(raw: str) -> int | None:
    try:
        return int(raw)
    except ValueError:
        return None


def _assign(request: HttpRequest, municipality: Any, pk: int) -> str:
    raw = request.POST.get("assignee", "")
    assignee = None
    if raw:
        assignee = get_user_model().objects.filter(municipality=municipality, pk=_pk(raw)).first()
        if assignee is None:
            raise ValidationFailed(_("Επιλέξτε υπάλληλο του δήμου."), field="assignee")
    services.application_assign(
        application_id=pk, municipality=municipality, actor=request.user, assignee=assignee
    )
    return _("Η ανάθεση αποθηκεύτηκε.")


def _forward(request: HttpRequest, municipality: Any, pk: int) -> str:
    raw = request.POST.get("department", "")
    department = Department.objects.filter(municipality=municipality, pk=_pk(raw)).first() if raw else None
    if department is None:
        raise ValidationFailed(_("Επιλέξτε υπηρεσία του δήμου."), field="department")
    services.application_forward(
        application_id=pk,
        municipality=municipality,
        actor=request.user,
        department=department,
        comment=request.POST.get("comment", ""),
    )
    return _("Η αίτηση διαβιβάστηκε.")


def _reissue(request: HttpRequest, municipality: Any, pk: int) -> str:
    services.document_reissue(
        application_id=pk, municipality=municipality, actor=request.user, base_url=base_url(request)
    )
    return _("Εκδόθηκε νέο έγγραφο· το προηγούμενο σημειώθηκε ως αντικατασταθέν.")


_ACTIONS: dict[str, Callable[[HttpRequest, Any, int], str]] = {
    "transition": _transition,
    "note": _note,
    "message": _note,
    "assign": _assign,
    "forward": _forward,
    "reissue": _reissue,
}


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_POST
def staff_application_action(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _staff_app(request, pk)
    name = request.POST.get("action", "")
    if name == "assign" and not has_capability(request.user, Capability.ESERVICES_ASSIGN):
        raise PermissionDenied(NOT_ALLOWED)
    action = _ACTIONS.get(name)
    if action is None:
        messages.error(request, _("Άγνωστη ενέργεια."))
        return redirect("services:staff_application", pk=pk)
    if (
        name == "transition"
        and request.POST.get("to_status") in ISSUING_STATUSES
        and application.service.outcome == Outcome.DOCUMENT
        and request.POST.get("confirmed") != "1"
    ):  # issuing is irreversible: only from the confirmation page, which shows what will be issued
        return redirect("services:staff_issue_confirm", pk=pk)
    form = ActionForm(request.POST)
    form.is_valid()  # every field optional: the services judge; this only holds what was typed
    done = run_service(lambda: action(request, municipality, pk), form=form)
    if done is None:  # refused: the page again, the error at its field, the input kept
        application.refresh_from_db()
        return _application_page(request, municipality, application, form=form, failed=name)
    messages.success(request, done)
    moved = selectors.application_get_for_staff(municipality=municipality, pk=pk)
    if moved is not None and not may_handle_application(request.user, moved.department_id):
        return redirect("services:staff_queue")  # forwarded out of my departments
    return redirect("services:staff_application", pk=pk)


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_GET
def staff_issue_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page of approve-and-issue: what will be issued, to whom, under which service."""
    _municipality, application = _staff_app(request, pk)
    statuses = [s for s in services.allowed_transitions(application) if s in ISSUING_STATUSES]
    if application.service.outcome != Outcome.DOCUMENT or not statuses:
        messages.error(request, _("Η αίτηση δεν μπορεί να εγκριθεί με έκδοση εγγράφου στην κατάστασή της."))
        return redirect("services:staff_application", pk=pk)
    services.citizen_contact_read(application=application, actor=request.user)
    return render(
        request,
        "services/staff/issue_confirm.html",
        {
            "application": application,
            "summary": answers(application),
            "to_status": statuses[0],
            "document_title": application.service.document_title or application.service.title,
        },
    )


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_GET
def staff_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    municipality, application = _staff_app(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    audit_record(
        action="services.attachment_viewed", actor=request.user, obj=attachment, municipality=municipality
    )
    return file_response(attachment.file, attachment.filename, attachment.content_type)


def _staff_document(request: HttpRequest, pk: int) -> IssuedDocument:
    municipality = require_municipality(request)
    document = tenant_get_or_404(IssuedDocument.objects.select_related("application"), municipality, pk=pk)
    if not may_handle_application(request.user, document.application.department_id):
        raise PermissionDenied(NOT_ALLOWED)
    return document


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_GET
def staff_document(request: HttpRequest, pk: int) -> HttpResponse:
    document = _staff_document(request, pk)
    services.citizen_contact_read(application=document.application, actor=request.user)  # it names them
    return file_response(document.pdf, f"{document.code}.pdf", "application/pdf")


@staff_required(capability=Capability.ESERVICES_HANDLE)
@require_POST
def staff_document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    document = _staff_document(request, pk)
    form = ActionForm(request.POST)
    form.is_valid()
    revoked = run_service(
        lambda: services.document_revoke(
            document_id=pk,
            municipality=municipality,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        ),
        form=form,
    )
    if revoked is None:  # refused: the case page again, the error at the reason of this document
        _municipality, application = _staff_app(request, document.application_id)
        return _application_page(
            request, municipality, application, form=form, failed="revoke", failed_document=document.pk
        )
    messages.success(request, _("Το έγγραφο ανακλήθηκε."))
    return redirect("services:staff_application", pk=document.application_id)
