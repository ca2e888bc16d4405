"""HTML pages: citizens book and manage; clerks see the day list and mark it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dimos.appointments import links, selectors, services
from dimos.appointments.constants import AppointmentStatus
from dimos.appointments.forms import (
    STATUS_BADGE,
    DayListFilterForm,
    SlotChoiceForm,
    StaffCancelForm,
    StaffMarkForm,
)
from dimos.appointments.models import Appointment, Counter, ServicePoint
from dimos.core.capabilities import Capability
from dimos.core.exceptions import ApplicationError
from dimos.core.forms import run_service
from dimos.core.services import audit_record
from dimos.core.tenancy import require_municipality, staff_required, tenant_get_or_404

DAYS_SHOWN = 7


def _today() -> dt.date:
    return timezone.localdate()


def _week_from(request: HttpRequest) -> dt.date:
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = _today()
    return max(start, _today())


def _week_nav(start: dt.date) -> dict[str, Any]:
    prev_start = start - dt.timedelta(days=DAYS_SHOWN)
    return {
        "week_start": start,
        "week_end": start + dt.timedelta(days=DAYS_SHOWN - 1),
        "prev_week": prev_start.isoformat() if start > _today() else "",
        "next_week": (start + dt.timedelta(days=DAYS_SHOWN)).isoformat(),
    }


def _point_and_type(request: HttpRequest, point_pk: int, type_pk: int) -> tuple[Any, ServicePoint, Any]:
    municipality = require_municipality(request)
    point = tenant_get_or_404(ServicePoint, municipality, pk=point_pk, is_active=True)
    appointment_type = tenant_get_or_404(
        selectors.types_for_point(municipality=municipality, point=point), municipality, pk=type_pk
    )
    return municipality, point, appointment_type


def _slot_lists(days: list[selectors.DaySlots]) -> list[dict[str, Any]]:
    """Each day with its free times: the label, the time and the ISO start the link carries."""
    tz = selectors.local_tz()
    return [
        {
            "day": d.day,
            "label": date_format(d.day, "l j E"),
            "closed_reason": d.closed_reason,
            "closed": d.closed,
            "times": [
                {"hhmm": slot.starts_at.astimezone(tz).strftime("%H:%M"), "start": slot.starts_at.isoformat()}
                for slot in d.slots
            ],
        }
        for d in days
    ]


# --- Citizen ---------------------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    points = []
    for point in selectors.point_list(municipality=municipality):
        points.append(
            {
                "point": point,
                "types": selectors.types_for_point(municipality=municipality, point=point),
                "hours": sorted(point.hours.all(), key=lambda h: (h.weekday, h.opens)),
            }
        )
    return render(request, "appointments/index.html", {"points": points})


@login_required
def slots(request: HttpRequest, point_pk: int, type_pk: int) -> HttpResponse:
    municipality, point, appointment_type = _point_and_type(request, point_pk, type_pk)
    start = _week_from(request)
    days = selectors.free_slots(
        municipality=municipality,
        point=point,
        appointment_type=appointment_type,
        start=start,
        days=DAYS_SHOWN,
    )
    confirm_url = reverse(
        "appointments:confirm", kwargs={"point_pk": point.pk, "type_pk": appointment_type.pk}
    )
    return render(
        request,
        "appointments/slots.html",
        {
            "point": point,
            "type": appointment_type,
            "days": _slot_lists(days),
            "confirm_url": confirm_url,
            **_week_nav(start),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, point_pk: int, type_pk: int) -> HttpResponse:
    municipality, point, appointment_type = _point_and_type(request, point_pk, type_pk)
    back = reverse("appointments:slots", kwargs={"point_pk": point.pk, "type_pk": appointment_type.pk})
    form = SlotChoiceForm(request.POST if request.method == "POST" else request.GET)
    if not form.is_valid():
        messages.error(request, form.errors["start"][0])
        return redirect(back)
    starts_at = form.cleaned_data["start"]
    if request.method == "POST":
        appointment = run_service(
            lambda: services.appointment_book(
                municipality=municipality,
                citizen=request.user,
                point=point,
                appointment_type=appointment_type,
                starts_at=starts_at,
            ),
            request=request,
        )
        if appointment is None:
            return redirect(f"{back}?from={timezone.localtime(starts_at).date().isoformat()}")
        messages.success(request, _("Το ραντεβού σας κλείστηκε."))
        return redirect("appointments:detail", reference=appointment.reference)
    return render(
        request,
        "appointments/confirm.html",
        {
            "point": point,
            "type": appointment_type,
            "starts_at": starts_at,
            "ends_at": starts_at + dt.timedelta(minutes=appointment_type.duration_minutes),
            "start_value": starts_at.isoformat(),
            "back": back,
        },
    )


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    now = timezone.now()
    upcoming, past = [], []
    for appointment in selectors.appointments_of_citizen(municipality=municipality, citizen=request.user):
        (upcoming if appointment.is_live else past).append(appointment)
    upcoming.reverse()
    return render(
        request,
        "appointments/mine.html",
        {"upcoming": upcoming, "past": past, "now": now, "badges": STATUS_BADGE},
    )


@login_required
def detail(request: HttpRequest, reference: str) -> HttpResponse:
    municipality = require_municipality(request)
    appointment = tenant_get_or_404(
        Appointment.objects.select_related("point", "type", "counter"),
        municipality,
        reference=reference,
        citizen=request.user,
    )
    token = links.manage_token(appointment)
    return render(
        request,
        "appointments/detail.html",
        {
            "appointment": appointment,
            "manage_token": token,
            "manage_url": reverse("appointments:manage", kwargs={"token": token}),
        },
    )


# --- Signed manage links (no sign-in needed: the token is the key) ----------------


def _from_token(request: HttpRequest, token: str) -> Appointment | HttpResponse:
    municipality = require_municipality(request)
    try:
        return links.manage_token_read(token, municipality=municipality)
    except ApplicationError as exc:
        return render(request, "appointments/link_error.html", {"message": exc.message}, status=400)


@require_GET
def manage(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _from_token(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    return render(
        request,
        "appointments/manage.html",
        {"appointment": appointment, "token": token, "badges": STATUS_BADGE},
    )


@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen cancels: a confirmation page with the appointment; the POST cancels."""
    appointment = _from_token(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    if request.method == "POST":
        cancelled = run_service(
            lambda: services.appointment_cancel(
                appointment=appointment,
                actor=request.user if request.user.is_authenticated else appointment.citizen,
            ),
            request=request,
        )
        if cancelled is not None:
            messages.success(request, _("Το ραντεβού ακυρώθηκε. Η ώρα διατίθεται πλέον σε άλλους πολίτες."))
        return redirect("appointments:manage", token=token)
    if not appointment.is_live:
        return redirect("appointments:manage", token=token)
    return render(
        request,
        "appointments/cancel.html",
        {"appointment": appointment, "token": token, "badges": STATUS_BADGE},
    )


@require_http_methods(["GET", "POST"])
def reschedule(request: HttpRequest, token: str) -> HttpResponse:
    appointment = _from_token(request, token)
    if isinstance(appointment, HttpResponse):
        return appointment
    if not appointment.is_live:
        messages.error(request, _("Μόνο ένα ενεργό, μελλοντικό ραντεβού μπορεί να αλλάξει ώρα."))
        return redirect("appointments:manage", token=token)
    here = reverse("appointments:reschedule", kwargs={"token": token})
    if request.method == "POST" or "start" in request.GET:
        form = SlotChoiceForm(request.POST if request.method == "POST" else request.GET)
        if not form.is_valid():
            messages.error(request, form.errors["start"][0])
            return redirect(here)
        starts_at = form.cleaned_data["start"]
        if request.method == "GET":
            return render(
                request,
                "appointments/confirm.html",
                {
                    "point": appointment.point,
                    "type": appointment.type,
                    "starts_at": starts_at,
                    "ends_at": starts_at + dt.timedelta(minutes=appointment.type.duration_minutes),
                    "start_value": starts_at.isoformat(),
                    "back": here,
                    "rescheduling": appointment,
                    "action": here,
                },
            )
        new = run_service(
            lambda: services.appointment_reschedule(
                appointment=appointment,
                actor=request.user if request.user.is_authenticated else appointment.citizen,
                starts_at=starts_at,
            ),
            request=request,
        )
        if new is None:
            return redirect(here)
        messages.success(request, _("Η ώρα του ραντεβού άλλαξε. Σας στείλαμε νέα επιβεβαίωση."))
        return redirect("appointments:manage", token=links.manage_token(new))
    start = _week_from(request)
    days = selectors.free_slots(
        municipality=appointment.municipality,
        point=appointment.point,
        appointment_type=appointment.type,
        start=start,
        days=DAYS_SHOWN,
    )
    return render(
        request,
        "appointments/slots.html",
        {
            "point": appointment.point,
            "type": appointment.type,
            "days": _slot_lists(days),
            "confirm_url": here,
            "rescheduling": appointment,
            **_week_nav(start),
        },
    )


# --- Staff -------------------------------------------------------------------------


def _day_context(request: HttpRequest) -> dict[str, Any]:
    municipality = require_municipality(request)
    form = DayListFilterForm(request.GET or None, municipality=municipality)
    point: ServicePoint | None = None
    counter: Counter | None = None
    day = _today()
    if form.is_bound:
        form.is_valid()
        if "point" in form.errors or "counter" in form.errors:
            # Another tenant's point or counter (or a malformed id): not here.
            raise Http404("Not found")
        point = form.cleaned_data.get("point")
        counter = form.cleaned_data.get("counter")
        day = form.cleaned_data.get("date") or day
    if point is None:
        point = ServicePoint.objects.filter(municipality=municipality).order_by("name_el").first()
    if counter is not None and point is not None and counter.point_id != point.pk:
        counter = None
    rows = (
        list(selectors.day_list(municipality=municipality, point=point, day=day, counter=counter))
        if point is not None
        else []
    )
    if rows:
        audit_record(
            action="appointments.day_list_viewed",
            actor=request.user,
            municipality=municipality,
            new={"point": point.pk if point else None, "date": day.isoformat()},
        )
    return {
        "form": form,
        "point": point,
        "counter": counter,
        "day": day,
        "rows": rows,
        "badges": STATUS_BADGE,
        "counts": {status.value: sum(1 for r in rows if r.status == status) for status in AppointmentStatus},
        "prev_day": (day - dt.timedelta(days=1)).isoformat(),
        "next_day": (day + dt.timedelta(days=1)).isoformat(),
        "now": timezone.now(),
        # The service refuses "served" before the appointment's day: not offered for days ahead.
        "may_serve": day <= _today(),
    }


@staff_required(capability=Capability.APPOINTMENTS_DESK)
def day_list(request: HttpRequest) -> HttpResponse:
    return render(request, "appointments/staff/day_list.html", _day_context(request))


@staff_required(capability=Capability.APPOINTMENTS_DESK)
def day_print(request: HttpRequest) -> HttpResponse:
    return render(request, "appointments/staff/day_print.html", _day_context(request))


@staff_required(capability=Capability.APPOINTMENTS_DESK)
@require_http_methods(["GET", "POST"])
def staff_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """The clerk cancels on the citizen's behalf (e.g. the point must close); the reason is mailed.

    The GET is the confirmation page (the appointment, the reason asked at its field);
    only its POST cancels.
    """
    municipality = require_municipality(request)
    appointment = tenant_get_or_404(
        Appointment.objects.select_related("point", "type", "counter", "citizen"), municipality, pk=pk
    )
    back = _back_to_day(request, appointment)
    form = StaffCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        cancelled = run_service(
            lambda: services.appointment_cancel(
                appointment=appointment, actor=request.user, comment=form.cleaned_data["reason"]
            ),
            form=form,
        )
        if cancelled is not None:
            messages.success(
                request,
                _("Το ραντεβού {ref} ακυρώθηκε και ο πολίτης ενημερώθηκε.").format(ref=appointment.reference),
            )
            return redirect(back)
    return render(
        request,
        "appointments/staff/cancel.html",
        {"appointment": appointment, "form": form, "back": back, "badges": STATUS_BADGE},
        status=400 if form.is_bound and form.errors else 200,
    )


def _back_to_day(request: HttpRequest, appointment: Appointment) -> str:
    back = request.POST.get("next", "") or request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        local = timezone.localtime(appointment.starts_at)
        back = (
            f"{reverse('appointments:day_list')}?point={appointment.point_id}&date={local.date().isoformat()}"
        )
    return back


@staff_required(capability=Capability.APPOINTMENTS_DESK)
@require_POST
def mark(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    appointment = tenant_get_or_404(Appointment, municipality, pk=pk)
    form = StaffMarkForm(request.POST)
    if form.is_valid():
        marked = run_service(
            lambda: services.appointment_mark(
                appointment=appointment,
                actor=request.user,
                status=form.cleaned_data["status"],
                comment=form.cleaned_data["comment"],
            ),
            request=request,
        )
        if marked is not None:
            messages.success(request, _("Ενημερώθηκε το ραντεβού {ref}.").format(ref=appointment.reference))
    else:
        messages.error(request, _("Μη έγκυρη σήμανση."))
    return redirect(_back_to_day(request, appointment))
