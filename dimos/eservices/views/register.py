"""Staff pages of the protocol register: the book, its exports, manual entries, voiding."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from dimos.core.capabilities import Capability, has_capability
from dimos.core.csv_export import Column, csv_response
from dimos.core.forms import run_service
from dimos.core.i18n import choice_labels
from dimos.core.tenancy import NOT_ALLOWED, require_municipality, staff_required, tenant_get_or_404
from dimos.eservices import selectors, services
from dimos.eservices.constants import ACTIVE_STATUSES, Direction
from dimos.eservices.forms import RangeForm, VoidForm
from dimos.eservices.models import ProtocolEntry
from dimos.eservices.pdfs import register_pdf

REGISTER_COLUMNS = [
    Column("number", gettext_lazy("Αριθμός")),
    Column("year", gettext_lazy("Έτος")),
    Column("registered_at", gettext_lazy("Ημερομηνία και ώρα")),
    Column("direction", gettext_lazy("Κατεύθυνση")),
    Column("subject", gettext_lazy("Θέμα")),
    Column("correspondent", gettext_lazy("Αποστολέας / παραλήπτης")),
    Column("external_ref", gettext_lazy("Εξωτερικό πρωτόκολλο")),
    Column("voided", gettext_lazy("Ακυρωμένο")),
    Column("void_reason", gettext_lazy("Αιτιολογία ακύρωσης")),
]


def _range(request: HttpRequest) -> tuple[RangeForm, dt.date, dt.date]:
    today = timezone.localdate()
    form = RangeForm(request.GET or {"start": today.replace(day=1).isoformat(), "end": today.isoformat()})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, today, today


def _bad_range() -> HttpResponse:
    return HttpResponse(
        _("Μη έγκυρο διάστημα ημερομηνιών."), status=400, content_type="text/plain; charset=utf-8"
    )


@staff_required(capability=Capability.REGISTER_READ)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    if request.method == "POST":
        if not has_capability(request.user, Capability.REGISTER_WRITE):
            raise PermissionDenied(NOT_ALLOWED)
        entry = run_service(
            lambda: services.protocol_register_manual(
                municipality=municipality,
                actor=request.user,
                direction=request.POST.get("direction", ""),
                subject=request.POST.get("subject", ""),
                correspondent=request.POST.get("correspondent", ""),
            ),
            request=request,
        )
        if entry is not None:
            messages.success(request, _("Καταχωρίστηκε με αριθμό πρωτοκόλλου %(n)s.") % {"n": entry.label})
            return redirect("services:register")
        # Refused (the message says why): the book is shown again, as after a GET.
    form, start, end = _range(request)
    entries = (
        selectors.register_entries(municipality=municipality, start=start, end=end)
        if form.is_valid()
        else ProtocolEntry.objects.none()
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "services/staff/register.html",
        {
            "form": form,
            "page": page,
            "start": start,
            "end": end,
            "may_write": has_capability(request.user, Capability.REGISTER_WRITE),
            "may_void": has_capability(request.user, Capability.REGISTER_VOID),
        },
    )


@staff_required(capability=Capability.REGISTER_READ)
@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form, start, end = _range(request)
    if not form.is_valid():
        return _bad_range()
    directions = choice_labels(Direction.choices)
    entries = selectors.register_entries(municipality=municipality, start=start, end=end).iterator()
    rows = (
        [
            e.number, e.year, e.registered_at, directions.get(e.direction, e.direction),
            e.subject, e.correspondent, e.external_ref, e.voided, e.void_reason,
        ]
        for e in entries
    )  # fmt: skip
    return csv_response(f"protokollo-{start}-{end}.csv", REGISTER_COLUMNS, rows)


@staff_required(capability=Capability.REGISTER_READ)
@require_GET
def register_pdf_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form, start, end = _range(request)
    if not form.is_valid():
        return _bad_range()
    entries = list(selectors.register_entries(municipality=municipality, start=start, end=end)[:5000])
    pdf = register_pdf(municipality=municipality, entries=entries, start=start, end=end)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokollo-{start}-{end}.pdf"'
    return response


@staff_required(capability=Capability.REGISTER_READ)
@require_http_methods(["GET", "POST"])
def register_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Void one entry: a confirmation page with the entry, the reason and a warning; the POST voids."""
    municipality = require_municipality(request)
    entry = tenant_get_or_404(  # another municipality's entry: 404 first
        ProtocolEntry.objects.select_related("application__service"), municipality, pk=pk
    )
    if not has_capability(request.user, Capability.REGISTER_VOID):
        raise PermissionDenied(NOT_ALLOWED)
    query = request.POST.get("query", "") if request.method == "POST" else request.GET.urlencode()
    back = reverse("services:register") + (f"?{query}" if query else "")
    form = VoidForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        voided = run_service(
            lambda: services.protocol_void(
                entry_id=pk, municipality=municipality, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            form=form,
        )
        if voided is not None:
            messages.success(request, _("Η εγγραφή %(n)s ακυρώθηκε.") % {"n": voided.label})
            return HttpResponseRedirect(back)
    application = getattr(entry, "application", None)
    return render(
        request,
        "services/staff/register_void.html",
        {
            "entry": entry,
            "form": form,
            "query": query,
            "back": back,
            "application": application,
            "application_open": application is not None and application.status in ACTIVE_STATUSES,
        },
        status=400 if form.is_bound and form.errors else 200,
    )
