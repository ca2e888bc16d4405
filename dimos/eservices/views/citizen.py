"""Citizen pages: the catalogue, a draft from first field to receipt, my applications."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dimos.core.forms import run_service
from dimos.core.navigation import _reverse as safe_reverse
from dimos.core.tenancy import require_municipality
from dimos.eservices import selectors, services
from dimos.eservices.constants import Outcome, Status
from dimos.eservices.fields import field_type
from dimos.eservices.forms import AnswerForm, ApplicationForm, field_specs, initial_from_data
from dimos.eservices.models import Attachment
from dimos.eservices.pdfs import receipt_pdf
from dimos.eservices.views.common import answers, deadline_text, file_response

# --- The catalogue ---------------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    query = request.GET.get("q", "").strip()[:100]
    items = list(selectors.service_list(municipality=municipality, query=query))
    return render(
        request,
        "services/catalogue.html",
        {
            "local": [s for s in items if not s.is_external],
            "external": [s for s in items if s.is_external],
            "query": query,
            "found": len(items),
        },
    )


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = require_municipality(request)
    service = selectors.service_get(municipality=municipality, slug=slug)
    if service is None:
        raise Http404
    return render(
        request,
        "services/service_detail.html",
        {"service": service, "appointment_url": safe_reverse("appointments:book")},
    )


@login_required
@require_POST
def apply(request: HttpRequest, slug: str) -> HttpResponse:
    municipality = require_municipality(request)
    service = selectors.service_get(municipality=municipality, slug=slug)
    if service is None:
        raise Http404
    application = run_service(
        lambda: services.application_start(municipality=municipality, service=service, citizen=request.user),
        request=request,
    )
    if application is None:
        return redirect("services:service_detail", slug=slug)
    return redirect("services:application_edit", pk=application.pk)


# --- A draft: edit, review, submit -----------------------------------------------


def _own(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    municipality = require_municipality(request)
    application = selectors.application_get_for_citizen(
        municipality=municipality, citizen=request.user, pk=pk
    )
    if application is None:
        raise Http404
    return municipality, application


def _files_by_field(application: Any) -> dict[str, list[Attachment]]:
    grouped: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        grouped.setdefault(attachment.field, []).append(attachment)
    return grouped


def _edit_rows(
    form: ApplicationForm, service: Any, files: dict[str, list[Attachment]]
) -> list[dict[str, Any]]:
    """One row per question: its field, the type's companion fields and the type's extra markup."""
    rows = []
    for spec in field_specs(service):
        kind = field_type(spec["type"])
        name = spec["name"]
        rows.append(
            {
                "field": form[name],
                # From TaxisNet and not to be changed: shown as text, not as an input that looks editable.
                "locked": name in form.locked,
                "companions": [form[companion] for companion in kind.companion_names(name)],
                "template": kind.edit_template,
                "files": files.get(name, []),
            }
        )
    return rows


def _remove_attachment(request: HttpRequest, municipality: Any, pk: int) -> None:
    try:
        attachment_id = int(request.POST["remove"])
    except ValueError:
        messages.error(request, _("Το συνημμένο δεν αφαιρέθηκε."))
        return

    def remove() -> bool:
        services.attachment_remove(
            application_id=pk, municipality=municipality, citizen=request.user, attachment_id=attachment_id
        )
        return True

    if run_service(remove, request=request):
        messages.success(request, _("Το συνημμένο αφαιρέθηκε."))


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _own(request, pk)
    if application.status != Status.DRAFT:
        return redirect("services:my_application", pk=pk)
    service = application.service
    files = _files_by_field(application)
    counts = {k: len(v) for k, v in files.items()}
    if request.method == "POST":
        if "remove" in request.POST:
            _remove_attachment(request, municipality, pk)
            return redirect("services:application_edit", pk=pk)
        draft = "save" in request.POST
        form = ApplicationForm(
            request.POST,
            request.FILES,
            service=service,
            user=request.user,
            existing_files=counts,
            draft=draft,
        )
        valid = form.is_valid()
        if valid or draft:
            values = (
                form.values() if valid else {k: v for k, v in form.values().items() if k not in form.errors}
            )
            services.application_save_draft(
                application_id=pk,
                municipality=municipality,
                citizen=request.user,
                values=values,
                files=form.new_files if valid else {},
            )
        if draft and "autosave" in request.POST:
            return HttpResponse(status=204)  # saved as the citizen types (script on the page)
        if valid:
            if draft:
                messages.success(request, _("Το πρόχειρο αποθηκεύτηκε. Μπορείτε να συνεχίσετε αργότερα."))
                return redirect("services:application_edit", pk=pk)
            return redirect("services:application_review", pk=pk)
    else:
        form = ApplicationForm(
            initial=initial_from_data(service, application.data),
            service=service,
            user=request.user,
            existing_files=counts,
        )
    rows = _edit_rows(form, service, files)
    return render(
        request,
        "services/application_edit.html",
        {
            "application": application,
            "service": service,
            "form": form,
            "rows": rows,
            "assets": sorted({field_type(s["type"]).assets_template for s in field_specs(service)} - {""}),
            "municipality": municipality,
            "autosaved_text": _("Το πρόχειρο αποθηκεύτηκε αυτόματα."),
            "autosave_failed_text": _(
                "Η αυτόματη αποθήκευση δεν έγινε· πατήστε «Αποθήκευση πρόχειρου» για να μη χαθούν όσα γράψατε."
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _own(request, pk)
    if request.method == "POST":
        submitted = run_service(
            lambda: services.application_submit(
                application_id=pk, municipality=municipality, citizen=request.user
            ),
            request=request,
        )
        if submitted is None:
            for errors in services.application_missing(application).values():
                for error in errors:
                    messages.error(request, error)
            return redirect("services:application_edit", pk=pk)
        return redirect("services:application_receipt", pk=pk)
    if application.status != Status.DRAFT:
        return redirect("services:application_receipt", pk=pk)
    return render(
        request,
        "services/application_review.html",
        {
            "application": application,
            "summary": answers(application),
            "attachments": application.attachments.all(),
            "missing": services.application_missing(application),
        },
    )


def _next_steps(application: Any) -> str:
    outcome = application.service.outcome
    if outcome == Outcome.DOCUMENT:
        return _(
            "Η αίτησή σας εξετάζεται από την αρμόδια υπηρεσία. Θα λάβετε e-mail σε κάθε αλλαγή. "
            "Όταν εκδοθεί το έγγραφο, θα το κατεβάσετε από τις «Αιτήσεις μου»· "
            "ο κωδικός QR του επιτρέπει σε οποιονδήποτε να ελέγξει τη γνησιότητά του."
        )
    if outcome == Outcome.APPOINTMENT:
        return _(
            "Η αίτησή σας εξετάζεται. Αν χρειαστεί αυτοπρόσωπη παρουσία, θα σας ζητηθεί να κλείσετε ραντεβού."
        )
    return _(
        "Η αρμόδια υπηρεσία θα εξετάσει την αίτηση και θα σας ενημερώσει για την απόφαση με e-mail "
        "και στις «Αιτήσεις μου». Αν λείπει κάποιο δικαιολογητικό, θα σας ζητηθεί εκεί."
    )


@login_required
@require_GET
def application_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    if application.status == Status.DRAFT:
        return redirect("services:application_edit", pk=pk)
    return render(
        request,
        "services/application_receipt.html",
        {
            "application": application,
            "deadline_text": deadline_text(application),
            "next_steps": _next_steps(application),
        },
    )


@login_required
@require_GET
def application_receipt_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    if application.status == Status.DRAFT:
        raise Http404
    pdf = receipt_pdf(
        application=application,
        deadline_text=deadline_text(application),
        next_steps=_next_steps(application),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="apodeixi-{application.protocol.year}-{application.protocol.number}.pdf"'
    )
    return response


# --- My applications ---------------------------------------------------------------


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    items = selectors.application_list_for_citizen(municipality=municipality, citizen=request.user)
    page = Paginator(items, 20).get_page(request.GET.get("page"))
    return render(request, "services/my_applications.html", {"page": page})


@login_required
@require_http_methods(["GET", "POST"])
def my_application(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _own(request, pk)
    if application.status == Status.DRAFT:
        return redirect("services:application_edit", pk=pk)
    form = AnswerForm()
    if request.method == "POST":
        form = AnswerForm(request.POST, request.FILES)
        if form.is_valid():
            answered = run_service(
                lambda: services.application_answer(
                    application_id=pk,
                    municipality=municipality,
                    citizen=request.user,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                ),
                request=request,  # the form is shown only while an answer is awaited
            )
            if answered is not None:
                messages.success(request, _("Η απάντησή σας στάλθηκε. Η προθεσμία συνεχίζει να τρέχει."))
                return redirect("services:my_application", pk=pk)
    return render(
        request,
        "services/my_application.html",
        {
            "application": application,
            "timeline": selectors.citizen_timeline(application),
            "summary": answers(application),
            "attachments": application.attachments.all(),
            "documents": selectors.documents_for_application(application),
            "form": form,
            "deadline_text": deadline_text(application),
            "appointment_url": safe_reverse("appointments:book")
            if application.service.outcome == Outcome.APPOINTMENT
            else "",
        },
    )


@login_required
@require_GET
def my_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return file_response(attachment.file, attachment.filename, attachment.content_type)


@login_required
@require_GET
def my_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    document = application.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return file_response(document.pdf, f"{document.code}.pdf", "application/pdf")
