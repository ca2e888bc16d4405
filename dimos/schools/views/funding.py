"""Funding proposals, their versions and the purchase orders they become."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.forms import run_service
from dimos.core.tenancy import require_municipality, tenant_get_or_404, tenant_queryset
from dimos.schools import documents, forms, services
from dimos.schools.constants import ProposalStatus
from dimos.schools.models import Proposal, ProposalLine, PurchaseOrder, PurchaseOrderLine
from dimos.schools.views.common import office, pdf_response, region_readable


@region_readable
def proposals(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = run_service(
            lambda: services.proposal_create(
                municipality=municipality, actor=request.user, **form.cleaned_data
            ),
            form=form,
        )
        if proposal is not None:
            return redirect("schools:proposal_detail", pk=proposal.pk)
    rows = tenant_queryset(Proposal, municipality).annotate(n_versions=Count("versions"))
    return render(request, "schools/proposals.html", {"rows": rows, "form": form})


def _compare(current: Any, previous: Any) -> list[dict[str, Any]]:
    def index(version: Any) -> dict[tuple[str, str], ProposalLine]:
        return {
            (ln.school.name, ln.category.name): ln
            for ln in version.lines.select_related("school", "category")
        }

    a, b = index(current), index(previous)
    rows = []
    for key in sorted(set(a) | set(b)):
        new, old = a.get(key), b.get(key)
        nq, oq = (new.quantity if new else 0), (old.quantity if old else 0)
        na, oa = (new.amount if new else 0), (old.amount if old else 0)
        if nq != oq or na != oa:
            rows.append(
                {
                    "school": key[0],
                    "category": key[1],
                    "old_q": oq,
                    "new_q": nq,
                    "old_a": oa,
                    "new_a": na,
                    "diff": na - oa,
                }
            )
    return rows


@region_readable
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    proposal = tenant_get_or_404(Proposal, municipality, pk=pk)
    versions = list(proposal.versions.order_by("-number"))
    form = forms.ProposalVersionForm(
        request.POST or None,
        initial={
            "budget_cap": versions[0].budget_cap if versions else None,
            "rule": versions[0].rule if versions else None,
        },
    )
    if request.method == "POST" and form.is_valid():
        version = run_service(
            lambda: services.proposal_version_build(
                proposal=proposal, actor=request.user, **form.cleaned_data
            ),
            form=form,
        )
        if version is not None:
            messages.success(request, _("Αποθηκεύτηκε η έκδοση %(n)s.") % {"n": version.number})
            return redirect(f"{reverse('schools:proposal_detail', args=[pk])}?v={version.number}")
    number = request.GET.get("v", "")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    previous = next((v for v in versions if version and v.number == version.number - 1), None)
    data = documents.breakdown(version) if version else None
    return render(
        request,
        "schools/proposal_detail.html",
        {
            "proposal": proposal,
            "versions": versions,
            "version": version,
            "previous": previous,
            "data": data,
            "comparison": _compare(version, previous) if version and previous else None,
            "form": form,
            "orders": proposal.orders.all(),
            "statuses": ProposalStatus,
        },
        status=400 if request.method == "POST" else 200,
    )


def _version(request: HttpRequest, pk: int, number: int) -> Any:
    municipality = require_municipality(request)
    proposal = tenant_get_or_404(Proposal, municipality, pk=pk)
    version = proposal.versions.filter(number=number).first()
    if version is None:
        raise Http404("Not found")
    return version


@region_readable
def proposal_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    return pdf_response(documents.proposal_pdf(version), f"proposal-{pk}-v{number}.pdf", inline=False)


@region_readable
def proposal_xlsx(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    response = HttpResponse(
        documents.proposal_xlsx(version),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="proposal-{pk}-v{number}.xlsx"'
    return response


@office
@require_POST
def proposal_status(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    proposal = tenant_get_or_404(Proposal, municipality, pk=pk)
    moved = run_service(
        lambda: services.proposal_transition(
            proposal=proposal, to_status=request.POST.get("status", ""), actor=request.user
        ),
        request=request,
    )
    if moved is not None:
        messages.success(request, _("Η κατάσταση της πρότασης άλλαξε."))
    return redirect("schools:proposal_detail", pk=proposal.pk)


@office
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    order = tenant_get_or_404(
        PurchaseOrder.objects.select_related("category", "proposal"), municipality, pk=pk
    )
    form = forms.ReceiveForm(request.POST or None)
    line_id = request.POST.get("line", "")
    if request.method == "POST" and form.is_valid():
        line = PurchaseOrderLine.objects.filter(
            order=order, pk=int(line_id) if line_id.isdigit() else 0
        ).first()
        if line is None:
            form.add_error(None, _("Επιλέξτε γραμμή της παραγγελίας."))
        else:
            d = form.cleaned_data
            created = run_service(
                lambda: services.order_receive(
                    line=line,
                    serials=d["serials"].splitlines(),
                    supplier=d["supplier"],
                    delivered_on=d["delivered_on"],
                    actor=request.user,
                ),
                form=form,
            )
            if created is not None:
                messages.success(request, _("Παραλήφθηκαν %(n)s τεμάχια.") % {"n": len(created)})
                return redirect("schools:order_detail", pk=order.pk)
    lines = order.lines.select_related("school", "model")
    return render(
        request,
        "schools/order_detail.html",
        {"order": order, "lines": lines, "form": form, "line_id": line_id},
        status=400 if request.method == "POST" else 200,
    )
