"""Staff pages: the queue per department (list and map), a report's desk, Open311 keys."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dimos.core.constants import StaffRole
from dimos.core.forms import run_service
from dimos.core.models import Department, MunicipalUnit
from dimos.core.pagination import capped_count, page_number, slice_page
from dimos.core.services import audit_record
from dimos.core.tenancy import require_municipality, staff_required, tenant_get_or_404
from dimos.reports import services
from dimos.reports.constants import TRANSITIONS, ReportStatus
from dimos.reports.forms import CommentForm, KeyForm, MergeForm, PriorityForm, TransitionForm
from dimos.reports.models import Category, Open311Client, Report, ReportPhoto, ResponseTemplate
from dimos.reports.selectors import staff_queue
from dimos.reports.views import _photo_response


def _queue_filters(request: HttpRequest) -> dict[str, Any]:
    filters: dict[str, Any] = {}
    department = request.GET.get("department")
    if department is None and getattr(request.user, "department_id", None):
        department = str(request.user.department_id)
        if not Report.objects.filter(municipality=request.municipality, department_id=department).exists():
            department = ""
    for key, value in (
        ("department", department or ""),
        ("category", request.GET.get("category", "")),
        ("unit", request.GET.get("unit", "")),
    ):
        if value.isdigit():
            filters[key] = int(value)
    status = request.GET.get("status", "open")
    if status in ("open", "closed", "") or status in ReportStatus.values:
        filters["status"] = status
    filters["overdue"] = request.GET.get("overdue") == "1"
    filters["mine"] = request.GET.get("mine") == "1"
    filters["user"] = request.user
    return filters


QUEUE_PAGE_SIZE = 50


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """The queue, paged without counting the whole of it (an index serves its filter and order)."""
    municipality = require_municipality(request)
    filters = _queue_filters(request)
    rows = staff_queue(municipality, filters)
    reports, page = slice_page(rows, number=page_number(request), size=QUEUE_PAGE_SIZE)
    total, more = capped_count(rows)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/staff/queue.html",
        {
            "page": page,
            "reports": reports,
            "total": total,
            "more": more,
            "filters": filters,
            "querystring": query.urlencode(),
            "departments": Department.objects.filter(municipality=municipality),
            "categories": Category.objects.filter(municipality=municipality),
            "units": MunicipalUnit.objects.filter(municipality=municipality),
            "statuses": ReportStatus.choices,
        },
    )


@staff_required
def queue_map_data(request: HttpRequest) -> JsonResponse:
    municipality = require_municipality(request)
    rows = staff_queue(municipality, _queue_filters(request)).values_list(
        "pk", "lat", "lon", "status", "category__name_el", "deadline", "priority"
    )[:2000]
    return JsonResponse(
        {
            "reports": [
                {
                    "id": pk,
                    "ref": f"{municipality.code}-{pk}",
                    "lat": lat,
                    "lon": lon,
                    "status": str(ReportStatus(status).label),
                    "category": category,
                    "url": reverse("reports:staff_detail", args=[pk]),
                }
                for pk, lat, lon, status, category, _deadline, _priority in rows
            ]
        }
    )


def _staff_users(municipality: Any) -> Any:
    return (
        get_user_model()
        .objects.filter(municipality=municipality, is_active=True)
        .exclude(role="")
        .order_by("last_name", "first_name")
    )


@staff_required
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    report = tenant_get_or_404(
        Report.objects.select_related(
            "category", "unit", "department", "external_body", "assigned_to", "reporter", "municipality"
        ),
        municipality,
        pk=pk,
    )
    allowed = sorted(TRANSITIONS[report.status], key=lambda s: ReportStatus.values.index(s))
    forms = {
        "transition": TransitionForm(allowed=allowed, initial={"public": True}),
        "comment": CommentForm(),
        "priority": PriorityForm(initial={"priority": report.priority}),
        "merge": MergeForm(),
    }
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        if _act(request, report, action, allowed, forms):
            return redirect("reports:staff_detail", pk=report.pk)
        status = 400
    else:
        # Reading a citizen's contact details is audited (architecture rule 8).
        if report.reporter_email or report.reporter_phone or report.reporter_name:
            audit_record(action="reports.personal_data_viewed", actor=request.user, obj=report)
    return render(
        request,
        "reports/staff/detail.html",
        {
            "report": report,
            "updates": report.updates.select_related("actor"),
            "photos": report.photos.all(),
            "forms": forms,
            "templates": ResponseTemplate.objects.filter(municipality=municipality),
            "departments": Department.objects.filter(municipality=municipality),
            "staff_users": _staff_users(municipality),
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


def _act(
    request: HttpRequest, report: Report, action: str, allowed: list[str], forms: dict[str, Any]
) -> bool:
    municipality = report.municipality
    user = request.user
    if action == "transition":
        form = TransitionForm(request.POST, allowed=allowed)
        forms["transition"] = form
        if not form.is_valid():
            return False
        if not _run(
            lambda: services.report_transition(
                report=report,
                to_status=form.cleaned_data["status"],
                actor=user,
                comment=form.cleaned_data["comment"],
                public=form.cleaned_data["public"],
            ),
            request,
        ):
            return False
        messages.success(request, _("Η κατάσταση άλλαξε."))
        return True
    if action == "comment":
        form = CommentForm(request.POST)
        forms["comment"] = form
        if not form.is_valid():
            return False
        if not _run(
            lambda: services.report_comment(
                report=report, actor=user, text=form.cleaned_data["text"], public=form.cleaned_data["public"]
            ),
            request,
        ):
            return False
        messages.success(request, _("Καταχωρίστηκε."))
        return True
    if action == "assign":
        department_id = request.POST.get("department", "")
        assignee_id = request.POST.get("assignee", "")
        department = (
            tenant_get_or_404(Department, municipality, pk=int(department_id))
            if department_id.isdigit()
            else None
        )
        assignee = (
            _staff_users(municipality).filter(pk=int(assignee_id)).first() if assignee_id.isdigit() else None
        )
        if assignee_id and assignee is None:
            messages.error(request, _("Άγνωστος χειριστής."))
            return False
        if not _run(
            lambda: services.report_assign(
                report=report, actor=user, department=department, assignee=assignee
            ),
            request,
        ):
            return False
        messages.success(request, _("Η ανάθεση αποθηκεύτηκε."))
        return True
    if action == "priority":
        form = PriorityForm(request.POST)
        forms["priority"] = form
        if not form.is_valid():
            return False
        if not _run(
            lambda: services.report_set_priority(
                report=report, actor=user, priority=form.cleaned_data["priority"]
            ),
            request,
        ):
            return False
        messages.success(request, _("Η προτεραιότητα αποθηκεύτηκε."))
        return True
    if action == "merge":
        form = MergeForm(request.POST)
        forms["merge"] = form
        if not form.is_valid():
            return False
        into = Report.objects.filter(municipality=municipality, pk=form.cleaned_data["into"]).first()
        if into is None:
            form.add_error("into", _("Δεν βρέθηκε αναφορά με αυτόν τον αριθμό."))
            return False
        if not _run(lambda: services.report_merge(duplicate=report, into=into, actor=user), request):
            return False
        messages.success(request, _("Η αναφορά συγχωνεύθηκε στην %(ref)s.") % {"ref": into.reference})
        return True
    if action in ("publish_photo", "hide_photo"):
        photo_id = request.POST.get("photo", "")
        photo = tenant_get_or_404(
            ReportPhoto.objects.filter(report=report),
            municipality,
            pk=int(photo_id) if photo_id.isdigit() else 0,
        )
        return _run(
            lambda: services.photo_set_public(photo=photo, public=action == "publish_photo", actor=user),
            request,
        )
    if action == "add_photo":
        upload = request.FILES.get("photo")
        if upload is None:
            messages.error(request, _("Επιλέξτε φωτογραφία."))
            return False
        if not _run(lambda: services.photo_add(report=report, upload=upload, actor=user), request):
            return False
        messages.success(request, _("Η φωτογραφία προστέθηκε και δημοσιεύθηκε."))
        return True
    messages.error(request, _("Άγνωστη ενέργεια."))
    return False


@staff_required
def staff_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    municipality = require_municipality(request)
    report = tenant_get_or_404(Report, municipality, pk=pk)
    photo = tenant_get_or_404(ReportPhoto.objects.filter(report=report), municipality, pk=photo_pk)
    return _photo_response(photo, size)


@staff_required(roles=[StaffRole.MUNICIPAL_ADMIN])
def keys(request: HttpRequest) -> HttpResponse:
    """Open311 API keys of client applications: issue (shown once) and revoke."""
    municipality = require_municipality(request)
    form = KeyForm(request.POST if request.POST.get("action") == "issue" else None)
    new_key = ""
    status = 200
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            client_id = request.POST.get("client", "")
            client = tenant_get_or_404(
                Open311Client, municipality, pk=int(client_id) if client_id.isdigit() else 0
            )
            services.open311_client_revoke(client=client, actor=request.user)
            messages.success(request, _("Το κλειδί ανακλήθηκε."))
            return redirect("reports:keys")
        issued = (
            run_service(
                lambda: services.open311_client_issue(
                    municipality=municipality,
                    name=form.cleaned_data["name"],
                    contact_email=form.cleaned_data.get("contact_email", ""),
                    actor=request.user,
                ),
                form=form,
            )
            if form.is_valid()
            else None
        )
        if issued is not None:
            new_key = issued[1]
            form = KeyForm()
        else:
            status = 400
    response = render(
        request,
        "reports/staff/keys.html",
        {
            "form": form,
            "new_key": new_key,
            "clients": Open311Client.objects.filter(municipality=municipality).order_by("-created_at"),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
