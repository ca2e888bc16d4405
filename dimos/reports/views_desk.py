"""A report's desk for staff: the case, its citizen's contact, actions, assignment and moderation.

Every page here is for staff who may handle the report (``may_handle_report``:
``reports.handle`` and the report's department is theirs or an office under it;
everything with ``reports.all_departments``). Others of this municipality get the
Greek 403 page; other municipalities 404, as for every staff page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.capabilities import Capability, has_capability, may_handle_report, may_see_citizen_contact
from dimos.core.forms import run_service
from dimos.core.models import Department
from dimos.core.services import audit_record
from dimos.core.tenancy import NOT_ALLOWED, require_municipality, staff_required, tenant_get_or_404
from dimos.reports import services
from dimos.reports.answers import report_answers
from dimos.reports.constants import TRANSITIONS, ReportStatus
from dimos.reports.forms import CommentForm, MergeForm, PriorityForm, PublicTextForm, TransitionForm
from dimos.reports.models import Report, ReportPhoto, ResponseTemplate
from dimos.reports.selectors import report_assignees, report_departments
from dimos.reports.views import _photo_response


def _handled_report(request: HttpRequest, pk: int) -> Report:
    """The report ``pk`` of this municipality, if the user may handle it (else 403; other tenants 404)."""
    municipality = require_municipality(request)
    report = tenant_get_or_404(
        Report.objects.select_related(
            "category", "unit", "department", "external_body", "assigned_to", "reporter", "municipality"
        ),
        municipality,
        pk=pk,
    )
    if not may_handle_report(request.user, report.department_id):
        raise PermissionDenied(NOT_ALLOWED)
    return report


def _show_contact(request: HttpRequest, report: Report) -> bool:
    """Whether the page shows the citizen's contact details; each time it does is an audit event."""
    if not may_see_citizen_contact(request.user, department_id=report.department_id, kind="report"):
        return False
    if report.reporter_email or report.reporter_phone or report.reporter_name:
        audit_record(action="reports.contact_read", actor=request.user, obj=report)
    return True


@staff_required(capability=Capability.REPORTS_HANDLE)
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _handled_report(request, pk)
    municipality = report.municipality
    user = request.user
    allowed = sorted(TRANSITIONS[report.status], key=lambda s: ReportStatus.values.index(s))
    forms: dict[str, Any] = {
        "transition": TransitionForm(allowed=allowed, initial={"public": True}),
        "comment": CommentForm(),
        "priority": PriorityForm(initial={"priority": report.priority}),
        "merge": MergeForm(),
        "public_text": PublicTextForm(
            initial={"public_description": report.public_description, "public_address": report.public_address}
        ),
    }
    status = 200
    if request.method == "POST":
        if _act(request, report, request.POST.get("action", ""), allowed, forms):
            return redirect("reports:staff_detail", pk=report.pk)
        status = 400
    may_assign = has_capability(user, Capability.REPORTS_ASSIGN)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "answers": report_answers(report),
            "updates": report.updates.select_related("actor"),
            "photos": report.photos.all(),
            "forms": forms,
            "templates": ResponseTemplate.objects.filter(municipality=municipality),
            "show_contact": _show_contact(request, report),
            "may_assign": may_assign,
            "may_moderate": has_capability(user, Capability.REPORTS_MODERATE),
            "departments": report_departments(municipality, user) if may_assign else [],
            "staff_users": report_assignees(municipality, report.department) if may_assign else [],
            "followers": report.followers.count(),
            "duplicates": report.duplicates.all()[:20],
        },
        status=status,
    )


def _run(call: Callable[[], object], request: HttpRequest) -> bool:
    """Run a service for an action of the desk; an error becomes a message at the top of the page.

    A message rather than a form error: the desk's forms sit in folded panels.
    """
    return run_service(call, request=request) is not None


def _transition(request: HttpRequest, report: Report, allowed: list[str], forms: dict[str, Any]) -> bool:
    form = forms["transition"] = TransitionForm(request.POST, allowed=allowed)
    if not form.is_valid():
        return False
    done = _run(
        lambda: services.report_transition(
            report=report,
            to_status=form.cleaned_data["status"],
            actor=request.user,
            comment=form.cleaned_data["comment"],
            public=form.cleaned_data["public"],
        ),
        request,
    )
    if done:
        messages.success(request, _("Η κατάσταση άλλαξε."))
    return done


def _comment(request: HttpRequest, report: Report, forms: dict[str, Any]) -> bool:
    form = forms["comment"] = CommentForm(request.POST)
    if not form.is_valid():
        return False
    done = _run(
        lambda: services.report_comment(
            report=report,
            actor=request.user,
            text=form.cleaned_data["text"],
            public=form.cleaned_data["public"],
        ),
        request,
    )
    if done:
        messages.success(request, _("Καταχωρίστηκε."))
    return done


def _priority(request: HttpRequest, report: Report, forms: dict[str, Any]) -> bool:
    form = forms["priority"] = PriorityForm(request.POST)
    if not form.is_valid():
        return False
    done = _run(
        lambda: services.report_set_priority(
            report=report, actor=request.user, priority=form.cleaned_data["priority"]
        ),
        request,
    )
    if done:
        messages.success(request, _("Η προτεραιότητα αποθηκεύτηκε."))
    return done


def _merge(request: HttpRequest, report: Report, forms: dict[str, Any]) -> bool:
    form = forms["merge"] = MergeForm(request.POST)
    if not form.is_valid():
        return False
    into = Report.objects.filter(municipality=report.municipality, pk=form.cleaned_data["into"]).first()
    # Merging moves followers onto the other report: it must be one the user handles too.
    if into is None or not may_handle_report(request.user, into.department_id):
        form.add_error("into", _("Δεν βρέθηκε αναφορά με αυτόν τον αριθμό."))
        return False
    if not _run(lambda: services.report_merge(duplicate=report, into=into, actor=request.user), request):
        return False
    messages.success(request, _("Η αναφορά συγχωνεύθηκε στην %(ref)s.") % {"ref": into.reference})
    return True


def _photo(request: HttpRequest, report: Report, action: str) -> bool:
    if action == "add_photo":
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, _("Επιλέξτε φωτογραφία."))
            return False
        if not _run(lambda: services.photo_add(report=report, upload=upload, actor=request.user), request):
            return False
        messages.success(request, _("Η φωτογραφία προστέθηκε και δημοσιεύθηκε."))
        return True
    photo_id = request.POST.get("photo", "")
    photo = tenant_get_or_404(
        ReportPhoto.objects.filter(report=report),
        report.municipality,
        pk=int(photo_id) if photo_id.isdigit() else 0,
    )
    return _run(
        lambda: services.photo_set_public(photo=photo, public=action == "publish_photo", actor=request.user),
        request,
    )


def _act(
    request: HttpRequest, report: Report, action: str, allowed: list[str], forms: dict[str, Any]
) -> bool:
    if action == "transition":
        return _transition(request, report, allowed, forms)
    if action == "comment":
        return _comment(request, report, forms)
    if action == "priority":
        return _priority(request, report, forms)
    if action == "merge":
        return _merge(request, report, forms)
    if action in ("publish_photo", "hide_photo", "add_photo"):
        return _photo(request, report, action)
    messages.error(request, _("Άγνωστη ενέργεια."))
    return False


@staff_required(capability=Capability.REPORTS_ASSIGN)
@require_POST
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Reassign a report: a head within their department and its offices, the administrator anywhere."""
    report = _handled_report(request, pk)
    municipality = report.municipality
    department_id = request.POST.get("department", "")
    assignee_id = request.POST.get("assignee", "")
    department = (
        tenant_get_or_404(Department, municipality, pk=int(department_id))
        if department_id.isdigit()
        else None
    )
    assignee = (
        report_assignees(municipality, department or report.department).filter(pk=int(assignee_id)).first()
        if assignee_id.isdigit()
        else None
    )
    if assignee_id and assignee is None:
        messages.error(request, _("Ο χειριστής δεν χειρίζεται αναφορές αυτής της υπηρεσίας."))
    elif _run(
        lambda: services.report_assign(
            report=report, actor=request.user, department=department, assignee=assignee
        ),
        request,
    ):
        messages.success(request, _("Η ανάθεση αποθηκεύτηκε."))
        if not may_handle_report(request.user, report.department_id):
            return redirect("reports:queue")
    return redirect("reports:staff_detail", pk=report.pk)


@staff_required(capability=Capability.REPORTS_MODERATE)
@require_POST
def public_text(request: HttpRequest, pk: int) -> HttpResponse:
    """Moderation: edit what the public sees of the citizen's description and address (audited)."""
    report = _handled_report(request, pk)
    form = PublicTextForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(m for errors in form.errors.values() for m in errors))
    elif _run(
        lambda: services.report_public_text_edit(
            report=report,
            actor=request.user,
            public_description=form.cleaned_data["public_description"],
            public_address=form.cleaned_data["public_address"],
        ),
        request,
    ):
        messages.success(request, _("Το δημόσιο κείμενο αποθηκεύτηκε."))
    return redirect("reports:staff_detail", pk=report.pk)


@staff_required(capability=Capability.REPORTS_HANDLE)
def staff_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    report = _handled_report(request, pk)
    photo = tenant_get_or_404(ReportPhoto.objects.filter(report=report), report.municipality, pk=photo_pk)
    return _photo_response(photo, size)
