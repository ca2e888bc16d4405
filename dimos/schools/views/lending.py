"""Loans of equipment and their signed agreements."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.forms import run_service
from dimos.core.services import audit_record
from dimos.core.tenancy import require_municipality
from dimos.schools import documents, forms, services
from dimos.schools.access import school_object_or_403, scope
from dimos.schools.constants import LoanStatus
from dimos.schools.models import Loan
from dimos.schools.views.common import asset_visible, pdf_response, school_staff

PER_PAGE = 100


@school_staff
def loans(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Loan.objects.select_related("asset__model", "school"), request.user, municipality)
    state = request.GET.get("state", "active")
    today = timezone.localdate()
    if state == "overdue":
        qs = qs.filter(status=LoanStatus.ACTIVE, due_date__lt=today)
    elif state == "returned":
        qs = qs.filter(status=LoanStatus.RETURNED)
    else:
        qs = qs.filter(status=LoanStatus.ACTIVE)
    page = Paginator(qs.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "schools/loans.html",
        {"rows": page.object_list, "page": page, "state": state, "today": today},
    )


@school_staff
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    asset = asset_visible(request, pk)
    form = forms.LoanForm(
        request.POST or None, initial={"due_date": timezone.localdate() + timezone.timedelta(days=120)}
    )
    if request.method == "POST" and form.is_valid():
        loan = run_service(
            lambda: services.loan_checkout(asset=asset, actor=request.user, **form.cleaned_data), form=form
        )
        if loan is not None:
            messages.success(request, _("Ο δανεισμός καταχωρίστηκε. Τυπώστε το συμφωνητικό για υπογραφή."))
            return redirect("schools:loans")
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Δανεισμός %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
        },
        status=400 if request.method == "POST" else 200,
    )


@school_staff
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    loan = school_object_or_403(Loan.objects.select_related("asset"), request.user, municipality, pk=pk)
    form = forms.LoanReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            lambda: services.loan_return(loan=loan, actor=request.user, **form.cleaned_data), form=form
        )
        if done is not None:
            messages.success(request, _("Η επιστροφή καταχωρίστηκε."))
            return redirect("schools:loans")
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Επιστροφή %(tag)s") % {"tag": loan.asset.tag},
            "back": reverse("schools:loans"),
        },
        status=400 if request.method == "POST" else 200,
    )


@school_staff
def loan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    loan = school_object_or_403(
        Loan.objects.select_related("asset__model__category", "school__municipality"),
        request.user,
        municipality,
        pk=pk,
    )
    # The agreement carries a pupil's and a guardian's names: every read is audited.
    audit_record(action="schools.loan_agreement_viewed", actor=request.user, obj=loan)
    return pdf_response(documents.loan_agreement_pdf(loan), f"loan-{loan.pk}.pdf")
