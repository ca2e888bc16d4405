"""HTML views: the catalogue, the citizen journey, the clerk's desk, verification."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dimos.core.exceptions import ApplicationError
from dimos.core.models import Department
from dimos.core.navigation import _reverse as safe_reverse
from dimos.core.pagecache import cached_page, render_in_shell
from dimos.core.tenancy import require_municipality, staff_required, tenant_get_or_404
from dimos.eservices import caching, selectors, services
from dimos.eservices.codes import code_display, code_is_valid, code_normalize
from dimos.eservices.constants import (
    QUEUE_VIEWS_LABELS,
    SERVICE_ROLES,
    VERIFY_MAX_PDF_BYTES,
    VERIFY_RATE_PER_MINUTE,
    FieldType,
    Outcome,
    Status,
)
from dimos.eservices.forms import (
    AnswerForm,
    ApplicationForm,
    RangeForm,
    TextForm,
    VerifyLookupForm,
    VerifyUploadForm,
    display_value,
    field_specs,
    initial_from_data,
)
from dimos.eservices.models import Attachment, IssuedDocument, ProtocolEntry
from dimos.eservices.pdfs import receipt_pdf, register_pdf
from dimos.eservices.rendering import QUEUE_COLUMNS, queue_rows, verify_result

# --- Public catalogue ----------------------------------------------------------


@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    items = list(selectors.service_list(municipality=municipality))
    return render(
        request,
        "services/catalogue.html",
        {
            "local": [s for s in items if not s.is_external],
            "external": [s for s in items if s.is_external],
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
    try:
        application = services.application_start(
            municipality=municipality, service=service, citizen=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("services:service_detail", slug=slug)
    return redirect("services:application_edit", pk=application.pk)


# --- Citizen: my applications --------------------------------------------------


def _own(request: HttpRequest, pk: int) -> Any:
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
            try:
                services.attachment_remove(
                    application_id=pk,
                    municipality=municipality,
                    citizen=request.user,
                    attachment_id=int(request.POST["remove"]),
                )
                messages.success(request, _("Το συνημμένο αφαιρέθηκε."))
            except (ApplicationError, ValueError):
                messages.error(request, _("Το συνημμένο δεν αφαιρέθηκε."))
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
    return render(
        request,
        "services/application_edit.html",
        {
            "application": application,
            "service": service,
            "form": form,
            "files": files,
            "file_fields": {s["name"] for s in field_specs(service) if s["type"] == FieldType.FILE},
            "address_fields": [s["name"] for s in field_specs(service) if s["type"] == FieldType.ADDRESS],
            "municipality": municipality,
            "autosaved_text": _("Το πρόχειρο αποθηκεύτηκε αυτόματα."),
            "autosave_failed_text": _(
                "Η αυτόματη αποθήκευση δεν έγινε· πατήστε «Αποθήκευση πρόχειρου» για να μη χαθούν όσα γράψατε."
            ),
        },
    )


def _summary(application: Any) -> list[tuple[str, str]]:
    rows = []
    for spec in field_specs(application.service):
        if spec["type"] == FieldType.FILE:
            continue
        label = spec.get("label_en") if request_is_en() and spec.get("label_en") else spec.get("label_el")
        rows.append((label, display_value(spec, application.data.get(spec["name"]))))
    return rows


def request_is_en() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "el").startswith("en")


@login_required
@require_http_methods(["GET", "POST"])
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _own(request, pk)
    if request.method == "POST":
        try:
            application = services.application_submit(
                application_id=pk, municipality=municipality, citizen=request.user
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
            for errors in exc.errors.values():
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
            "summary": _summary(application),
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


def _deadline_text(application: Any) -> str:
    if not application.deadline:
        return "—"
    service = application.service
    return _("έως %(date)s (%(n)s %(kind)s, %(law)s)") % {
        "date": application.deadline.strftime("%d/%m/%Y"),
        "n": service.deadline_days,
        "kind": service.get_deadline_kind_display().lower(),
        "law": service.legal_basis or "ν. 2690/1999",
    }


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
            "deadline_text": _deadline_text(application),
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
        deadline_text=_deadline_text(application),
        next_steps=_next_steps(application),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="apodeixi-{application.protocol.year}-{application.protocol.number}.pdf"'
    )
    return response


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
            try:
                services.application_answer(
                    application_id=pk,
                    municipality=municipality,
                    citizen=request.user,
                    text=form.cleaned_data["text"],
                    files=form.cleaned_data["files"],
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Η απάντησή σας στάλθηκε. Η προθεσμία συνεχίζει να τρέχει."))
                return redirect("services:my_application", pk=pk)
    return render(
        request,
        "services/my_application.html",
        {
            "application": application,
            "timeline": selectors.citizen_timeline(application),
            "summary": _summary(application),
            "attachments": application.attachments.all(),
            "documents": selectors.documents_for_application(application),
            "form": form,
            "deadline_text": _deadline_text(application),
            "appointment_url": safe_reverse("appointments:book")
            if application.service.outcome == Outcome.APPOINTMENT
            else "",
        },
    )


def _file_response(field_file: Any, filename: str, content_type: str) -> FileResponse:
    response = FileResponse(
        field_file.open("rb"), content_type=content_type, as_attachment=True, filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def my_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    return _file_response(attachment.file, attachment.filename, attachment.content_type)


@login_required
@require_GET
def my_document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    _municipality, application = _own(request, pk)
    document = application.documents.filter(pk=document_pk).first()
    if document is None:
        raise Http404
    return _file_response(document.pdf, f"{document.code}.pdf", "application/pdf")


# --- Staff: the queue and one application -------------------------------------


class QueuePage:
    """Offset pagination without COUNT(*): one extra row tells whether a next page exists."""

    size = 25

    def __init__(self, rows: list[Any], number: int) -> None:
        self.object_list = rows[: self.size]
        self.number = number
        self.has_next = len(rows) > self.size
        self.has_previous = number > 1
        self.has_other_pages = self.has_next or self.has_previous
        self.next_page_number = number + 1
        self.previous_page_number = number - 1

    @staticmethod
    def number_of(raw: str | None) -> int:
        try:
            return max(1, min(int(raw or 1), 10_000))
        except ValueError:
            return 1

    @classmethod
    def of(cls, qs: Any, raw: str | None) -> QueuePage:
        number = cls.number_of(raw)
        start = (number - 1) * cls.size
        return cls(list(qs[start : start + cls.size + 1]), number)


def _department_choice(request: HttpRequest, municipality: Any, departments: dict[int, Any]) -> int | None:
    raw = request.GET.get("department")
    if raw == "all":
        return None
    if raw:
        try:
            pk = int(raw)
        except ValueError as exc:
            raise Http404 from exc
        if pk not in departments:  # another municipality's or no such department
            raise Http404
        return pk
    return request.user.department_id if request.user.municipality_id == municipality.pk else None


def _queue_version(request: HttpRequest) -> tuple[Any, dt.date]:
    # Bumped by every save of an application or department (see caching.py); the
    # day is part of it because "overdue" and "due soon" move at midnight.
    return caching.queue_version(request.municipality.pk), timezone.localdate()  # type: ignore[attr-defined]


@staff_required(roles=SERVICE_ROLES)
@require_GET
@cached_page(version=_queue_version)
def staff_queue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    departments = caching.departments(municipality.pk)
    department_id = _department_choice(request, municipality, departments)
    view = request.GET.get("view", "open")
    if view not in QUEUE_VIEWS_LABELS:
        view = "open"
    number = QueuePage.number_of(request.GET.get("page"))
    today = timezone.localdate()
    lang = get_language() or "el"
    version = caching.queue_version(municipality.pk)
    key = caching.queue_body_key(
        municipality_id=municipality.pk,
        department_id=department_id,
        view=view,
        page=number,
        lang=lang,
        today=today,
        user_id=request.user.pk,
    )
    hit = cache.get(key)
    if hit is not None and hit[0] == version:
        body = hit[1]
    else:
        body = _queue_body(request, municipality, departments, department_id, view, number, today)
        cache.set(key, (version, body), caching.QUEUE_TTL)
    return render(request, "services/staff/queue.html", {"body": mark_safe(body)})  # our own rendered HTML


def _queue_body(
    request: HttpRequest,
    municipality: Any,
    departments: dict[int, Any],
    department_id: int | None,
    view: str,
    number: int,
    today: dt.date,
) -> str:
    qs = selectors.application_queue(
        municipality=municipality, department_id=department_id, view=view, assignee=request.user
    )
    page = QueuePage.of(qs.values_list(*QUEUE_COLUMNS), str(number))
    soon = selectors.due_soon_limit(municipality, today)
    counts_key = f"services:queue_counts:{municipality.pk}:{department_id}"
    counts = cache.get(counts_key)
    if counts is None:  # a minute's staleness keeps the page fast with tens of thousands of rows
        counts = selectors.queue_counts(municipality=municipality, department_id=department_id, today=today)
        cache.set(counts_key, counts, 60)
    english = (get_language() or "el").startswith("en")
    return render_to_string(
        "services/staff/_queue_body.html",
        {
            "page": page,
            "rows": queue_rows(page.object_list, today=today, soon=soon),
            "view": view,
            "views": QUEUE_VIEWS_LABELS,
            "counts": counts,
            "departments": [
                {"pk": pk, "name": name_en if english else name_el}
                for pk, (name_el, name_en) in departments.items()
            ],
            "department_id": department_id,
        },
        request=request,
    )


def _staff_app(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    municipality = require_municipality(request)
    application = selectors.application_get_for_staff(municipality=municipality, pk=pk)
    if application is None or application.status == Status.DRAFT:
        raise Http404
    return municipality, application


@staff_required(roles=SERVICE_ROLES)
@require_GET
def staff_application(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, application = _staff_app(request, pk)
    from dimos.core.services import audit_record

    audit_record(
        action="services.application_viewed", actor=request.user, obj=application, municipality=municipality
    )
    from dimos.core.workdays import add_working_days

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
            "summary": _summary(application),
            "attachments": application.attachments.all(),
            "documents": selectors.documents_for_application(application),
            "transitions": [Status(s) for s in services.allowed_transitions(application)],
            "departments": Department.objects.filter(municipality=municipality)
            .exclude(pk=application.department_id)
            .order_by("name_el"),
            "staff": get_user_model()
            .objects.filter(municipality=municipality)
            .exclude(role="")
            .order_by("last_name", "username"),
            "deadline_text": _deadline_text(application),
            "forward_by": forward_by,
            "today": timezone.localdate(),
            "error": request.GET.get("error", ""),
        },
    )


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


@staff_required(roles=SERVICE_ROLES)
@require_POST
def staff_application_action(request: HttpRequest, pk: int) -> HttpResponse:
    municipality, _application = _staff_app(request, pk)
    action = request.POST.get("action", "")
    text = request.POST.get("comment", "")
    try:
        if action == "transition":
            services.application_transition(
                application_id=pk,
                municipality=municipality,
                actor=request.user,
                to_status=request.POST.get("to_status", ""),
                comment=text,
                base_url=_base_url(request),
            )
            messages.success(request, _("Η κατάσταση της αίτησης άλλαξε."))
        elif action in ("note", "message"):
            form = TextForm({"text": text})
            if not form.is_valid():
                raise services.ValidationFailed(
                    _("Γράψτε το κείμενο (έως 4000 χαρακτήρες)."), field="comment"
                )
            services.application_note(
                application_id=pk,
                municipality=municipality,
                actor=request.user,
                text=form.cleaned_data["text"],
                to_citizen=action == "message",
            )
            messages.success(request, _("Καταχωρίστηκε."))
        elif action == "assign":
            raw = request.POST.get("assignee", "")
            assignee = None
            if raw:
                try:
                    assignee = get_user_model().objects.filter(municipality=municipality, pk=int(raw)).first()
                except ValueError:
                    assignee = None
                if assignee is None:
                    raise services.ValidationFailed(_("Επιλέξτε υπάλληλο του δήμου."), field="assignee")
            services.application_assign(
                application_id=pk, municipality=municipality, actor=request.user, assignee=assignee
            )
            messages.success(request, _("Η ανάθεση αποθηκεύτηκε."))
        elif action == "forward":
            try:
                department = Department.objects.filter(
                    municipality=municipality, pk=int(request.POST.get("department", ""))
                ).first()
            except ValueError:
                department = None
            if department is None:
                raise services.ValidationFailed(_("Επιλέξτε υπηρεσία του δήμου."), field="department")
            services.application_forward(
                application_id=pk,
                municipality=municipality,
                actor=request.user,
                department=department,
                comment=text,
            )
            messages.success(request, _("Η αίτηση διαβιβάστηκε."))
        elif action == "reissue":
            services.document_reissue(
                application_id=pk, municipality=municipality, actor=request.user, base_url=_base_url(request)
            )
            messages.success(request, _("Εκδόθηκε νέο έγγραφο· το προηγούμενο σημειώθηκε ως αντικατασταθέν."))
        else:
            messages.error(request, _("Άγνωστη ενέργεια."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("services:staff_application", pk=pk)


@staff_required(roles=SERVICE_ROLES)
@require_GET
def staff_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    municipality, application = _staff_app(request, pk)
    attachment = application.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    from dimos.core.services import audit_record

    audit_record(
        action="services.attachment_viewed", actor=request.user, obj=attachment, municipality=municipality
    )
    return _file_response(attachment.file, attachment.filename, attachment.content_type)


@staff_required(roles=SERVICE_ROLES)
@require_GET
def staff_document(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    document = tenant_get_or_404(IssuedDocument, municipality, pk=pk)
    return _file_response(document.pdf, f"{document.code}.pdf", "application/pdf")


@staff_required(roles=SERVICE_ROLES)
@require_POST
def staff_document_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    document = tenant_get_or_404(IssuedDocument, municipality, pk=pk)
    try:
        services.document_revoke(
            document_id=pk,
            municipality=municipality,
            actor=request.user,
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Το έγγραφο ανακλήθηκε."))
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return redirect("services:staff_application", pk=document.application_id)


# --- Staff: the protocol register ---------------------------------------------


def _range(request: HttpRequest) -> tuple[RangeForm, dt.date, dt.date]:
    today = timezone.localdate()
    form = RangeForm(request.GET or {"start": today.replace(day=1).isoformat(), "end": today.isoformat()})
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, today, today


@staff_required(roles=SERVICE_ROLES)
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    if request.method == "POST":
        try:
            entry = services.protocol_register_manual(
                municipality=municipality,
                actor=request.user,
                direction=request.POST.get("direction", ""),
                subject=request.POST.get("subject", ""),
                correspondent=request.POST.get("correspondent", ""),
            )
            messages.success(request, _("Καταχωρίστηκε με αριθμό πρωτοκόλλου %(n)s.") % {"n": entry.label})
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("services:register")
    form, start, end = _range(request)
    entries = (
        selectors.register_entries(municipality=municipality, start=start, end=end)
        if form.is_valid()
        else ProtocolEntry.objects.none()
    )
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(
        request, "services/staff/register.html", {"form": form, "page": page, "start": start, "end": end}
    )


@staff_required(roles=SERVICE_ROLES)
@require_GET
def register_csv(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form, start, end = _range(request)
    if not form.is_valid():
        return HttpResponse(
            _("Μη έγκυρο διάστημα ημερομηνιών."), status=400, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="protokollo-{start}-{end}.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 Greek correctly with a BOM
    writer = csv.writer(response)
    writer.writerow(
        [
            "number",
            "year",
            "registered_at",
            "direction",
            "subject",
            "correspondent",
            "external_ref",
            "voided",
            "void_reason",
        ]
    )
    for e in selectors.register_entries(municipality=municipality, start=start, end=end).iterator():
        writer.writerow([
            e.number, e.year, timezone.localtime(e.registered_at).isoformat(), e.direction,
            e.subject, e.correspondent, e.external_ref, "yes" if e.voided else "no", e.void_reason,
        ])  # fmt: skip
    return response


@staff_required(roles=SERVICE_ROLES)
@require_GET
def register_pdf_view(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form, start, end = _range(request)
    if not form.is_valid():
        return HttpResponse(
            _("Μη έγκυρο διάστημα ημερομηνιών."), status=400, content_type="text/plain; charset=utf-8"
        )
    entries = list(selectors.register_entries(municipality=municipality, start=start, end=end)[:5000])
    pdf = register_pdf(municipality=municipality, entries=entries, start=start, end=end)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="protokollo-{start}-{end}.pdf"'
    return response


@staff_required(roles=SERVICE_ROLES)
@require_POST
def register_void(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    tenant_get_or_404(ProtocolEntry, municipality, pk=pk)
    try:
        entry = services.protocol_void(
            entry_id=pk, municipality=municipality, actor=request.user, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("Η εγγραφή %(n)s ακυρώθηκε.") % {"n": entry.label})
    except ApplicationError as exc:
        messages.error(request, exc.message)
    return HttpResponseRedirect(reverse("services:register") + "?" + request.POST.get("query", ""))


# --- Public verification -------------------------------------------------------


def rate_limited(request: HttpRequest) -> bool:
    """Fixed-window limit per client address (Django cache); true when over."""
    ip = request.META.get("REMOTE_ADDR", "unknown")
    key = f"services:verify:{hashlib.sha256(ip.encode()).hexdigest()[:16]}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, 90):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 90)
        return False
    return count > getattr(settings, "DIMOS_VERIFY_RATE_PER_MINUTE", VERIFY_RATE_PER_MINUTE)


def _limited_response(request: HttpRequest) -> HttpResponse:
    response = render(request, "services/verify_limited.html", status=429)
    response["Retry-After"] = "60"
    return response


@require_GET
def verify_lookup(request: HttpRequest) -> HttpResponse:
    require_municipality(request)
    form = VerifyLookupForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = code_normalize(form.cleaned_data["code"])
        if code_is_valid(code):
            return redirect("verify:document", code=code)
        form.add_error(
            "code",
            _(
                "Ο κωδικός δεν είναι σωστός: ελέγξτε ότι τον πληκτρολογήσατε όπως είναι τυπωμένος (10 χαρακτήρες)."
            ),
        )
    return render(request, "services/verify_lookup.html", {"form": form})


# No CSRF token: the page is public and anonymous, and its only POST compares an
# uploaded file with a stored hash; it changes nothing a forged request could
# abuse (the lookup log and the per-address limit apply to every request anyway).
# So the page sets no cookie, and a visitor's page holds nothing of theirs.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def verify_document(request: HttpRequest, code: str) -> HttpResponse:
    municipality = require_municipality(request)
    if rate_limited(request):
        services.verification_log(
            municipality=municipality, document=None, how="limited", result="rate_limited"
        )
        return _limited_response(request)
    normal = code_normalize(code)
    if normal != code and code_is_valid(normal):
        return redirect("verify:document", code=normal)
    if not code_is_valid(normal):
        services.verification_log(municipality=municipality, document=None, how="lookup", result="bad_check")
        form = VerifyLookupForm({"code": code})
        form.is_valid()
        form.add_error(
            "code",
            _("Ο κωδικός δεν είναι σωστός (λάθος χαρακτήρας ελέγχου). Ελέγξτε τον και δοκιμάστε ξανά."),
        )
        return render(request, "services/verify_lookup.html", {"form": form}, status=400)
    if request.method == "GET":
        return _verify_get(request, municipality, normal)
    document = selectors.document_for_code(municipality=municipality, code=normal)
    comparison = None
    upload_form = VerifyUploadForm()
    if document is not None:
        upload_form = VerifyUploadForm(request.POST, request.FILES)
        if upload_form.is_valid():
            upload = upload_form.cleaned_data["pdf"]
            if upload.size > VERIFY_MAX_PDF_BYTES:
                upload_form.add_error("pdf", _("Το αρχείο είναι πολύ μεγάλο."))
            else:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                comparison = digest.hexdigest() == document.sha256
                services.verification_log(
                    municipality=municipality,
                    document=document,
                    how="upload",
                    result="match" if comparison else "mismatch",
                )
    else:
        services.verification_log(municipality=municipality, document=None, how="lookup", result="not_found")
    body = _verify_body(request, document, normal, comparison, upload_form)
    return _verify_page(request, body, status=200 if document else 404)


def _verify_body(
    request: HttpRequest, document: Any, code: str, comparison: bool | None, upload_form: Any
) -> str:
    """The page's content, with a marker where the visitor's CSRF token goes."""
    if document is not None:
        return verify_result(
            document,
            code_display=code_display(code),
            upload_panel=_upload_panel(request, comparison, upload_form),
        )
    return render_to_string(
        "services/_verify_not_found.html", {"code_display": code_display(code)}, request=request
    )


def _upload_panel(request: HttpRequest, comparison: bool | None, upload_form: Any) -> str:
    """The PDF comparison panel; the blank one is the same for every document (cached per language).

    ``upload_form`` is None for the blank panel (no form is built unless the cache misses).
    """
    blank = comparison is None and (upload_form is None or not upload_form.is_bound)
    key = f"services:verify_panel:{get_language() or 'el'}"
    if blank and (panel := cache.get(key)) is not None:
        return mark_safe(panel)  # our own rendered HTML
    panel = render_to_string(
        "services/_verify_upload_panel.html",
        {
            "comparison": comparison,
            "upload_form": upload_form if upload_form is not None else VerifyUploadForm(),
        },
        request=request,
    )
    if blank:
        cache.set(key, panel, 3600)
    return panel


def _verify_page(request: HttpRequest, body: str, *, status: int) -> HttpResponse:
    return render_in_shell(request, "services/verify_document.html", body, status=status)


def _verify_get(request: HttpRequest, municipality: Any, code: str) -> HttpResponse:
    """A lookup by code: the rendered result is cached per code and language (see caching.py).

    The cached entry holds the municipality's ``updated_at`` (its name is shown),
    the document's id and status (for the log); saving the document drops it.
    Every lookup is still logged.
    """
    key = caching.verify_key(municipality_id=municipality.pk, code=code, lang=get_language() or "el")
    stamp = municipality.updated_at
    hit = cache.get(key)
    if hit is None or hit[0] != stamp:
        document = selectors.document_summary_for_code(municipality=municipality, code=code)
        if document is None:
            services.verification_log(
                municipality=municipality, document=None, how="lookup", result="not_found"
            )
            body = _verify_body(request, None, code, None, None)
            return _verify_page(request, body, status=404)
        hit = (
            stamp,
            _verify_body(request, document, code, None, None),
            document.pk,
            document.status,
        )
        cache.set(key, hit, caching.VERIFY_TTL)
    _stamp, body, document_id, status = hit
    services.verification_log(
        municipality=municipality, document=None, document_id=document_id, how="lookup", result=status
    )
    return _verify_page(request, body, status=200)
