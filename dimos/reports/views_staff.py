"""Staff pages: the queue of the departments a member of staff handles (list and map), Open311 keys.

A report's desk is in ``views_desk``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib import messages
from django.db.models.functions import Substr
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dimos.core.capabilities import Capability, has_capability
from dimos.core.forms import run_service
from dimos.core.i18n import bilingual, choice_labels
from dimos.core.models import MunicipalUnit
from dimos.core.pagination import capped_count, page_number, row_urls, slice_page
from dimos.core.tenancy import require_municipality, staff_required, tenant_get_or_404
from dimos.reports import services
from dimos.reports.constants import Priority, ReportStatus
from dimos.reports.forms import KeyForm
from dimos.reports.models import Category, Open311Client, Report
from dimos.reports.selectors import report_departments, staff_queue


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
EXCERPT_LENGTH = 90


@dataclass(frozen=True)
class QueueLine:
    """One row of the queue as the strings the page shows, worked out once in Python.

    A template that walks model relations and bilingual properties per cell costs
    several times what the data does; the row is plain text by the time it renders.
    """

    url: str
    reference: str
    address: str
    excerpt: str
    category: str
    unit: str
    handled_by: str
    status: str
    priority: str
    deadline: str
    overdue: bool
    age: str
    assignee: str


def _age(created: date, today: date) -> str:
    days = (today - created).days
    if days <= 0:
        return _("σήμερα")
    return ngettext("%(n)d ημέρα", "%(n)d ημέρες", days) % {"n": days}


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) < EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


QUEUE_ROW_FIELDS = (
    "pk",
    "address",
    "excerpt",
    "status",
    "priority",
    "deadline",
    "is_open",
    "created_at",
    "category__name_el",
    "category__name_en",
    "unit__name_el",
    "unit__name_en",
    "department__name_el",
    "department__name_en",
    "external_body__name_el",
    "external_body__name_en",
    "assigned_to__first_name",
    "assigned_to__last_name",
)


def _queue_lines(reports: list[dict[str, Any]], *, code: str) -> list[QueueLine]:
    """The page's rows from plain values: no model instance is built for a row of text."""
    statuses, priorities = choice_labels(ReportStatus.choices), choice_labels(Priority.choices)
    today = timezone.localdate()
    detail = row_urls("reports:staff_detail")
    lines = []
    for r in reports:
        handled_by = bilingual(r["department__name_el"] or "", r["department__name_en"]) or bilingual(
            r["external_body__name_el"] or "", r["external_body__name_en"]
        )
        assignee = f"{r['assigned_to__first_name'] or ''} {r['assigned_to__last_name'] or ''}".strip()
        lines.append(
            QueueLine(
                url=detail(r["pk"]),
                reference=f"{code}-{r['pk']}",
                address=r["address"],
                excerpt=_excerpt(r["excerpt"] or ""),
                category=bilingual(r["category__name_el"] or "", r["category__name_en"]),
                unit=bilingual(r["unit__name_el"] or "", r["unit__name_en"]) or "—",
                handled_by=handled_by or "—",
                status=statuses.get(r["status"], r["status"]),
                priority=priorities.get(r["priority"], ""),
                deadline=date_format(r["deadline"], "SHORT_DATE_FORMAT") if r["deadline"] else "—",
                overdue=bool(r["is_open"] and r["deadline"] and r["deadline"] < today),
                age=_age(timezone.localdate(r["created_at"]), today),
                assignee=assignee or "—",
            )
        )
    return lines


@staff_required(capability=Capability.REPORTS_HANDLE)
def queue(request: HttpRequest) -> HttpResponse:
    """The queue, paged without counting the whole of it (an index serves its filter and order)."""
    municipality = require_municipality(request)
    filters = _queue_filters(request)
    rows = staff_queue(municipality, filters)
    # The page shows an excerpt of the description, none of the other long texts and none of
    # the reporter's details: they stay in the database.
    listed = rows.annotate(excerpt=Substr("description", 1, EXCERPT_LENGTH + 1)).values(*QUEUE_ROW_FIELDS)
    reports, page = slice_page(listed, number=page_number(request), size=QUEUE_PAGE_SIZE)
    total, more = capped_count(rows)
    lines = _queue_lines(reports, code=municipality.code)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/staff/queue.html",
        {
            "page": page,
            "lines": lines,
            "total": total,
            "more": more,
            "filters": filters,
            "querystring": query.urlencode(),
            "departments": report_departments(municipality, request.user),
            "all_departments": has_capability(request.user, Capability.REPORTS_ALL_DEPARTMENTS),
            "categories": Category.objects.filter(municipality=municipality),
            "units": MunicipalUnit.objects.filter(municipality=municipality),
            "statuses": ReportStatus.choices,
        },
    )


@staff_required(capability=Capability.REPORTS_HANDLE)
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


@staff_required(capability=Capability.OPEN311_KEYS)
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
