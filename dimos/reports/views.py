"""HTML views of the reports app (thin: forms, selectors and services do the work)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dimos.core.forms import run_service
from dimos.core.tenancy import require_municipality, tenant_get_or_404
from dimos.reports import report_form, services
from dimos.reports.constants import ReportStatus
from dimos.reports.forms import FeedbackForm
from dimos.reports.models import Report, ReportFollower, ReportPhoto


def _public_report(request: HttpRequest, pk: int) -> Report:
    municipality = require_municipality(request)
    qs = Report.objects.filter(is_public=True).select_related(
        "category", "category__group", "unit", "municipality"
    )
    return tenant_get_or_404(qs, municipality, pk=pk)


def _report_context(report: Report) -> dict:
    return {
        "report": report,
        "updates": report.updates.filter(is_public=True).select_related(None),
        "photos": report.photos.filter(is_public=True),
    }


def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The public page of a report; a visitor who supports it sees so, with a way to stop updates
    (the page differs per visitor: it is never cached)."""
    report = _public_report(request, pk)
    context = _report_context(report)
    context["supporter"] = report_form.supporter_of(request, report)
    return render(request, "reports/detail.html", context)


def public_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> FileResponse:
    report = _public_report(request, pk)
    photo = tenant_get_or_404(
        ReportPhoto.objects.filter(report=report, is_public=True), report.municipality, pk=photo_pk
    )
    return _photo_response(photo, size)


def _photo_response(photo: ReportPhoto, size: str) -> FileResponse:
    if size not in ("full", "thumb"):
        raise Http404("Not found")
    field = photo.image if size == "full" else photo.thumbnail
    try:
        handle = field.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404("Not found") from exc
    response = FileResponse(handle, content_type=photo.content_type if size == "full" else "image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest, token: str) -> HttpResponse:
    """The reporter's tracking page (the link in the receipt): timeline and "was it fixed?"."""
    municipality = require_municipality(request)
    report = tenant_get_or_404(
        Report.objects.select_related("category", "unit", "municipality"), municipality, tracking_token=token
    )
    form = FeedbackForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        done = run_service(
            lambda: services.report_feedback(
                report=report,
                fixed=form.cleaned_data["fixed"] == "yes",
                comment=form.cleaned_data["comment"],
                actor=request.user,
            ),
            form=form,
        )
        if done is not None:
            messages.success(request, _("Ευχαριστούμε για την απάντησή σας."))
            return redirect("reports:track", token=token)
    error = " ".join(message for messages_ in form.errors.values() for message in messages_)
    context = _report_context(report)
    context.update({"tracking": True, "ask_fixed": report.status == ReportStatus.FIXED, "error": error})
    return render(request, "reports/detail.html", context, status=400 if error else 200)


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    municipality = require_municipality(request)
    if request.method == "POST":
        report = run_service(
            lambda: services.report_confirm_email(municipality=municipality, token=token), request=request
        )
        if report is None:  # the reason is in the page's messages
            return render(request, "reports/message.html", status=404)
        messages.success(request, _("Η αναφορά σας επιβεβαιώθηκε και δημοσιεύθηκε."))
        return redirect("reports:track", token=report.tracking_token)
    # A GET only shows a button: mail scanners that follow links must not confirm.
    if (
        not Report.objects.filter(municipality=municipality, confirmation_token=token)
        .exclude(confirmation_token="")
        .exists()
    ):
        return render(
            request,
            "reports/message.html",
            {"message": _("Ο σύνδεσμος επιβεβαίωσης δεν είναι έγκυρος ή έχει ήδη χρησιμοποιηθεί.")},
            status=404,
        )
    return render(request, "reports/confirm.html", {"token": token})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    municipality = require_municipality(request)
    if request.method == "POST":
        follower = ReportFollower.objects.filter(municipality=municipality, unsubscribe_token=token).first()
        done = run_service(
            lambda: services.follower_unsubscribe(municipality=municipality, token=token), request=request
        )
        if done is None:  # the reason is in the page's messages
            return render(request, "reports/message.html", status=404)
        if follower is not None and request.POST.get("from") == "report":
            # «Stop updates» on the report's own page: back to it, which offers support again.
            report_form.forget_support(request, follower.report_id)
            messages.success(request, _("Δεν θα λαμβάνετε άλλες ενημερώσεις για αυτή την αναφορά."))
            return redirect("reports:detail", pk=follower.report_id)
        return render(request, "reports/message.html", {"message": _("Δεν θα λαμβάνετε άλλες ενημερώσεις.")})
    return render(request, "reports/unsubscribe.html", {"token": token})
