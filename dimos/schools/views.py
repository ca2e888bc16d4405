"""HTML pages of the schools app (thin: forms in, services do the work)."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dimos.core.exceptions import ApplicationError
from dimos.core.files import IMAGE_TYPES, read_upload
from dimos.core.models import MunicipalUnit
from dimos.core.qr import qr_svg
from dimos.core.services import audit_record
from dimos.core.tenancy import require_municipality, staff_required, tenant_get_or_404, tenant_queryset
from dimos.schools import documents, forms, selectors, services
from dimos.schools.access import is_director, scope, scoped_get_or_404, visible_schools
from dimos.schools.constants import (
    ALL_ROLES,
    MANUAL_TRANSITIONS,
    OFFICE_ROLES,
    OPEN_REPAIR_STATUSES,
    AssetStatus,
    LoanStatus,
    ProposalStatus,
)
from dimos.schools.importer import Mode, export_csv_stream, export_xlsx, import_assets
from dimos.schools.models import (
    Asset,
    EquipmentCategory,
    EquipmentModel,
    Licence,
    Loan,
    Proposal,
    ProposalLine,
    PurchaseOrder,
    PurchaseOrderLine,
    Repair,
    School,
    SchoolYear,
    Standard,
)

office = staff_required(roles=OFFICE_ROLES)
anyone = staff_required(roles=ALL_ROLES)


def _try(form: Any, func: Callable[[], Any]) -> Any:
    """Run a service; an ApplicationError becomes a form error on its field."""
    try:
        return func()
    except ApplicationError as exc:
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return None


def _pdf(data: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


# --- Overview, schools ------------------------------------------------------------------


@office
def overview(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    rows = selectors.overview(municipality=municipality)
    points = [
        {
            "name": r["school"].name,
            "lat": r["school"].lat,
            "lon": r["school"].lon,
            "per_pupil": r["per_pupil"],
            "devices": r["devices"],
            "url": reverse("schools:school_detail", args=[r["school"].pk]),
        }
        for r in rows
        if r["school"].lat is not None
    ]
    totals = {
        "schools": len(rows),
        "pupils": sum(r["pupils"] for r in rows),
        "devices": sum(r["devices"] for r in rows),
        "past_life": sum(r["past_life"] for r in rows),
        "open_repairs": sum(r["open_repairs"] for r in rows),
        "overdue": selectors.overdue_loans(municipality=municipality).count(),
    }
    return render(
        request,
        "schools/overview.html",
        {
            "rows": rows,
            "points": points,
            "units": [
                {"name": u.name, "boundary": u.boundary}
                for u in MunicipalUnit.objects.filter(municipality=municipality)
            ],
            "totals": totals,
        },
    )


@anyone
def my_school(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    if not is_director(request.user):
        return overview(request)
    school = visible_schools(request.user, municipality).first()
    if school is None:
        return render(request, "schools/no_school.html")
    return redirect("schools:school_detail", pk=school.pk)


@anyone
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = _school(request, pk)
    assets = Asset.objects.filter(municipality=municipality, school=school)
    by_category = (
        assets.exclude(status=AssetStatus.RETIRED)
        .values("model__category__name")
        .annotate(n=Count("id"), deployed=Count("id", filter=Q(status=AssetStatus.DEPLOYED)))
        .order_by("model__category__name")
    )
    context = {
        "school": school,
        "years": SchoolYear.objects.filter(municipality=municipality, school=school),
        "by_category": by_category,
        "status_counts": dict(assets.values_list("status").annotate(n=Count("id")).order_by()),
        "repairs": Repair.objects.filter(
            municipality=municipality, school=school, status__in=OPEN_REPAIR_STATUSES
        ).select_related("asset__model"),
        "loans": Loan.objects.filter(
            municipality=municipality, school=school, status=LoanStatus.ACTIVE
        ).select_related("asset__model"),
        "licences": school.licence_seats.select_related("licence"),
        "year_form": forms.SchoolYearForm(initial={"year": selectors.current_school_year()}),
        "today": timezone.localdate(),
        "is_office": not is_director(request.user),
    }
    return render(request, "schools/school_detail.html", context)


def _school(request: HttpRequest, pk: int) -> School:
    municipality = require_municipality(request)
    try:
        return visible_schools(request.user, municipality).select_related("unit", "director").get(pk=pk)
    except (School.DoesNotExist, ValueError) as exc:
        raise Http404("Not found") from exc


@office
def school_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    municipality = require_municipality(request)
    school = tenant_get_or_404(School, municipality, pk=pk) if pk else School(municipality=municipality)
    form = forms.SchoolForm(request.POST or None, instance=school, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        saved = _try(form, lambda: services.school_save(school=form.save(commit=False), actor=request.user))
        if saved is not None:
            messages.success(request, _("Το σχολείο αποθηκεύτηκε."))
            return redirect("schools:school_detail", pk=saved.pk)
    return render(
        request,
        "schools/form.html",
        {"form": form, "title": _("Σχολείο"), "back": reverse("schools:overview")},
    )


@office
@require_POST
def school_year(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = tenant_get_or_404(School, municipality, pk=pk)
    form = forms.SchoolYearForm(request.POST)
    if form.is_valid():
        done = _try(
            form, lambda: services.school_year_set(school=school, actor=request.user, **form.cleaned_data)
        )
        if done is not None:
            messages.success(request, _("Τα στοιχεία του σχολικού έτους αποθηκεύτηκαν."))
            return redirect("schools:school_detail", pk=school.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Στοιχεία σχολικού έτους"),
            "back": reverse("schools:school_detail", args=[pk]),
        },
        status=400,
    )


# --- Catalogue and standards --------------------------------------------------------------


@office
def catalogue(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.EquipmentModelForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.municipality = municipality
        obj.save()
        messages.success(request, _("Το μοντέλο προστέθηκε στον κατάλογο."))
        return redirect("schools:catalogue")
    models = (
        EquipmentModel.objects.filter(municipality=municipality)
        .select_related("category")
        .annotate(n=Count("assets", filter=~Q(assets__status=AssetStatus.RETIRED)))
    )
    return render(request, "schools/catalogue.html", {"models": models, "form": form})


@office
def standards(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.StandardForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        Standard.objects.update_or_create(
            municipality=municipality,
            school_type=data["school_type"],
            category=data["category"],
            defaults={k: data[k] for k in ("basis", "quantity", "per", "model")},
        )
        messages.success(request, _("Το πρότυπο αποθηκεύτηκε."))
        return redirect("schools:standards")
    rows = Standard.objects.filter(municipality=municipality).select_related("category", "model")
    return render(request, "schools/standards.html", {"rows": rows, "form": form})


# --- Assets -------------------------------------------------------------------------------


@anyone
def asset_list(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Asset.objects.select_related("model__category", "school"), request.user, municipality)
    g = request.GET
    qs = selectors.asset_search(
        qs,
        q=g.get("q", "").strip(),
        status=g.get("status", ""),
        school=g.get("school", ""),
        category=g.get("category", ""),
    )
    total = qs.count()
    page = max(1, int(g.get("page", "1"))) if g.get("page", "1").isdigit() else 1
    per = 100
    assets = list(qs.order_by("tag")[(page - 1) * per : page * per])
    return render(
        request,
        "schools/asset_list.html",
        {
            "assets": assets,
            "total": total,
            "page": page,
            "has_next": page * per < total,
            "statuses": AssetStatus.choices,
            "schools": visible_schools(request.user, municipality),
            "categories": EquipmentCategory.objects.filter(municipality=municipality),
            "query": g,
            "querystring": "&".join(f"{k}={v}" for k, v in g.items() if k != "page"),
            "is_office": not is_director(request.user),
        },
    )


@office
def asset_create(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.AssetForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        text_fields = ("serial", "room", "supplier", "order_ref", "funding_source")
        data = {k: ("" if v is None and k in text_fields else v) for k, v in form.cleaned_data.items()}
        asset = _try(
            form, lambda: services.asset_create(municipality=municipality, actor=request.user, **data)
        )
        if asset is not None:
            messages.success(request, _("Καταχωρίστηκε το πάγιο %(tag)s.") % {"tag": asset.tag})
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {"form": form, "title": _("Νέο πάγιο"), "back": reverse("schools:asset_list")},
    )


def _asset(request: HttpRequest, pk: int) -> Asset:
    municipality = require_municipality(request)
    return scoped_get_or_404(
        Asset.objects.select_related("model__category", "school"), request.user, municipality, pk=pk
    )


@anyone
def asset_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    asset = _asset(request, pk)
    choices = [(s, AssetStatus(s).label) for s in sorted(MANUAL_TRANSITIONS[asset.status])]
    url = request.build_absolute_uri()
    return render(
        request,
        "schools/asset_detail.html",
        {
            "asset": asset,
            "qr": qr_svg(url, scale=3, title=asset.tag),
            "url": url,
            "events": asset.events.select_related("actor", "from_school", "to_school"),
            "loans": asset.loans.all()[:20],
            "repairs": asset.repairs.all()[:20],
            "status_form": forms.AssetStatusForm(choices=choices) if choices else None,
            "move_form": forms.AssetMoveForm(
                municipality=municipality, initial={"school": asset.school_id, "room": asset.room}
            ),
            "is_office": not is_director(request.user),
            "can_loan": asset.status == AssetStatus.DEPLOYED,
            "can_report": asset.status in (AssetStatus.DEPLOYED, AssetStatus.IN_STOCK),
        },
    )


@office
@require_POST
def asset_status(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    choices = [(s, AssetStatus(s).label) for s in sorted(MANUAL_TRANSITIONS[asset.status])]
    form = forms.AssetStatusForm(request.POST, choices=choices)
    if form.is_valid():
        done = _try(
            form,
            lambda: services.asset_transition(
                asset=asset,
                to_status=form.cleaned_data["status"],
                actor=request.user,
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(request, _("Η κατάσταση άλλαξε."))
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Αλλαγή κατάστασης %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
        },
        status=400,
    )


@office
@require_POST
def asset_move(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    asset = _asset(request, pk)
    form = forms.AssetMoveForm(request.POST, municipality=municipality)
    if form.is_valid():
        d = form.cleaned_data
        done = _try(
            form,
            lambda: services.asset_move(
                asset=asset, school=d["school"], room=d["room"], actor=request.user, comment=d["comment"]
            ),
        )
        if done is not None:
            messages.success(request, _("Η μετακίνηση καταχωρίστηκε."))
            return redirect("schools:asset_detail", pk=asset.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Μετακίνηση %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
        },
        status=400,
    )


@anyone
def labels_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    school = _school(request, pk)
    assets = list(
        Asset.objects.filter(municipality=municipality, school=school)
        .exclude(status=AssetStatus.RETIRED)
        .select_related("model", "school")
        .order_by("tag")
    )
    base = request.build_absolute_uri(reverse("schools:asset_list"))
    data = documents.labels_pdf(assets, municipality=municipality, base_url=base)
    return _pdf(data, f"labels-{school.pk}.pdf")


@anyone
def audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Annual audit: scan (or type) the labels found at the school; list what was not found."""
    municipality = require_municipality(request)
    school = _school(request, pk)
    form = forms.AuditForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        scanned = []
        for raw in form.cleaned_data["tags"].split():
            token = raw.strip().rstrip("/")
            if "/" in token:  # a scanned QR gives the asset URL: …/assets/<pk>
                tail = token.rsplit("/", 1)[-1]
                found = (
                    Asset.objects.filter(municipality=municipality, pk=int(tail))
                    .values_list("tag", flat=True)
                    .first()
                    if tail.isdigit()
                    else None
                )
                token = found or token
            scanned.append(token.upper())
        scanned_set = set(scanned)
        expected = (
            Asset.objects.filter(municipality=municipality, school=school)
            .exclude(status__in=[AssetStatus.RETIRED, AssetStatus.ON_LOAN])
            .select_related("model")
        )
        on_loan = Asset.objects.filter(
            municipality=municipality, school=school, status=AssetStatus.ON_LOAN
        ).select_related("model")
        known = {
            a.tag: a
            for a in Asset.objects.filter(municipality=municipality, tag__in=scanned_set).select_related(
                "school", "model"
            )
        }
        result = {
            "found": [a for a in expected if a.tag in scanned_set],
            "missing": [a for a in expected if a.tag not in scanned_set],
            "on_loan": list(on_loan),
            "elsewhere": [a for t, a in known.items() if a.school_id != school.pk],
            "unknown": sorted(t for t in scanned_set if t not in known),
        }
    return render(request, "schools/audit.html", {"school": school, "form": form, "result": result})


# --- Import / export ------------------------------------------------------------------------


def _import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "schools" / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@office
def asset_import(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.ImportUploadForm(request.POST or None, request.FILES or None)
    report = None
    pending = request.session.get("schools_import")
    if request.method == "POST" and "mode" in request.POST:
        mode = request.POST["mode"]
        if not pending or pending.get("m") != municipality.pk:
            messages.error(request, _("Ανεβάστε πρώτα το αρχείο για έλεγχο."))
            return redirect("schools:asset_import")
        if mode not in (Mode.VALID_ONLY, Mode.ALL_OR_NOTHING):
            messages.error(request, _("Επιλέξτε πώς θα γίνει η εισαγωγή."))
            return redirect("schools:asset_import")
        path = _import_dir() / pending["id"]
        try:
            with path.open("rb") as fh:
                report = import_assets(
                    municipality=municipality, upload=fh, name=pending["name"], mode=mode, actor=request.user
                )
        except FileNotFoundError:
            messages.error(request, _("Το αρχείο δεν βρέθηκε· ανεβάστε το ξανά."))
            return redirect("schools:asset_import")
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect("schools:asset_import")
        path.unlink(missing_ok=True)
        request.session.pop("schools_import", None)
        if report.applied:
            messages.success(request, _("Καταχωρίστηκαν %(n)s πάγια.") % {"n": report.applied})
        else:
            messages.warning(request, _("Δεν καταχωρίστηκε κανένα πάγιο."))
        return render(
            request,
            "schools/import.html",
            {"form": forms.ImportUploadForm(), "report": report, "applied": True},
        )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith((".csv", ".xlsx")):
            form.add_error("file", _("Ανεβάστε αρχείο CSV ή XLSX."))
        elif upload.size > 50 * 1024 * 1024:
            form.add_error("file", _("Το αρχείο είναι πολύ μεγάλο (όριο 50 MB)."))
        else:
            file_id = f"{uuid.uuid4().hex}{Path(name).suffix.lower()}"
            target = _import_dir() / file_id
            with target.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            try:
                with target.open("rb") as fh:
                    report = import_assets(
                        municipality=municipality, upload=fh, name=name, mode=Mode.DRY_RUN, actor=request.user
                    )
            except ApplicationError as exc:
                target.unlink(missing_ok=True)
                form.add_error("file", exc.message)
            else:
                old = request.session.get("schools_import")
                if old:
                    (_import_dir() / old["id"]).unlink(missing_ok=True)
                request.session["schools_import"] = {"id": file_id, "name": name[:200], "m": municipality.pk}
    return render(request, "schools/import.html", {"form": form, "report": report})


@anyone
def asset_export(request: HttpRequest, fmt: str) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Asset.objects.all(), request.user, municipality)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = StreamingHttpResponse(export_csv_stream(qs), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="assets-{stamp}.csv"'
        return response
    if fmt != "xlsx":
        raise Http404("Not found")
    tmp = tempfile.TemporaryFile()  # noqa: SIM115  (FileResponse closes it)
    export_xlsx(qs, tmp)
    tmp.seek(0)
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=f"assets-{stamp}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


# --- Licences --------------------------------------------------------------------------------


@office
def licences(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.LicenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        obj.municipality = municipality
        obj.save()
        messages.success(request, _("Η άδεια καταχωρίστηκε."))
        return redirect("schools:licence_detail", pk=obj.pk)
    rows = tenant_queryset(Licence, municipality).annotate(used=Sum("assignments__seats"))
    return render(
        request,
        "schools/licences.html",
        {"rows": rows, "form": form, "soon": timezone.localdate() + timezone.timedelta(days=60)},
    )


@office
def licence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    licence = tenant_get_or_404(Licence, municipality, pk=pk)
    form = forms.LicenceSeatForm(request.POST or None, municipality=municipality)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if _try(
            form,
            lambda: (
                services.licence_assign(
                    licence=licence, school=d["school"], seats=d["seats"], actor=request.user
                )
                or True
            ),
        ):
            messages.success(request, _("Οι θέσεις ενημερώθηκαν."))
            return redirect("schools:licence_detail", pk=licence.pk)
    seats = licence.assignments.select_related("school")
    return render(
        request,
        "schools/licence_detail.html",
        {"licence": licence, "seats": seats, "used": sum(s.seats for s in seats), "form": form},
    )


# --- Proposals and orders ---------------------------------------------------------------------


@office
def proposals(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    form = forms.ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proposal = _try(
            form,
            lambda: services.proposal_create(
                municipality=municipality, actor=request.user, **form.cleaned_data
            ),
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


@office
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
        version = _try(
            form,
            lambda: services.proposal_version_build(
                proposal=proposal, actor=request.user, **form.cleaned_data
            ),
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


@office
def proposal_pdf(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    return _pdf(documents.proposal_pdf(version), f"proposal-{pk}-v{number}.pdf", inline=False)


@office
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
    try:
        services.proposal_transition(
            proposal=proposal, to_status=request.POST.get("status", ""), actor=request.user
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
    except ValueError:
        messages.error(request, _("Άγνωστη κατάσταση."))
    else:
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
            created = _try(
                form,
                lambda: services.order_receive(
                    line=line,
                    serials=d["serials"].splitlines(),
                    supplier=d["supplier"],
                    delivered_on=d["delivered_on"],
                    actor=request.user,
                ),
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


# --- Loans -----------------------------------------------------------------------------------


@anyone
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
    return render(request, "schools/loans.html", {"rows": qs[:500], "state": state, "today": today})


@anyone
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    form = forms.LoanForm(
        request.POST or None, initial={"due_date": timezone.localdate() + timezone.timedelta(days=120)}
    )
    if request.method == "POST" and form.is_valid():
        loan = _try(
            form, lambda: services.loan_checkout(asset=asset, actor=request.user, **form.cleaned_data)
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


@anyone
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    loan = scoped_get_or_404(Loan.objects.select_related("asset"), request.user, municipality, pk=pk)
    form = forms.LoanReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = _try(form, lambda: services.loan_return(loan=loan, actor=request.user, **form.cleaned_data))
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


@anyone
def loan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    loan = scoped_get_or_404(
        Loan.objects.select_related("asset__model__category", "school__municipality"),
        request.user,
        municipality,
        pk=pk,
    )
    # The agreement carries a pupil's and a guardian's names: every read is audited.
    audit_record(action="schools.loan_agreement_viewed", actor=request.user, obj=loan)
    return _pdf(documents.loan_agreement_pdf(loan), f"loan-{loan.pk}.pdf")


# --- Repairs ---------------------------------------------------------------------------------


@anyone
def repair_report(request: HttpRequest, pk: int) -> HttpResponse:
    asset = _asset(request, pk)
    form = forms.RepairReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = None
        upload = form.cleaned_data.get("photo")
        if upload:
            try:
                photo, _mime = read_upload(
                    upload, max_bytes=8 * 1024 * 1024, allowed=IMAGE_TYPES, field="photo"
                )
            except ApplicationError as exc:
                form.add_error("photo", exc.message)
        if not form.errors:
            repair = _try(
                form,
                lambda: services.repair_report(
                    asset=asset, description=form.cleaned_data["description"], photo=photo, actor=request.user
                ),
            )
            if repair is not None:
                messages.success(request, _("Η βλάβη καταχωρίστηκε (αρ. %(n)s).") % {"n": repair.pk})
                return redirect("schools:repair_detail", pk=repair.pk)
    return render(
        request,
        "schools/form.html",
        {
            "form": form,
            "title": _("Αναφορά βλάβης %(tag)s") % {"tag": asset.tag},
            "back": reverse("schools:asset_detail", args=[pk]),
            "multipart": True,
        },
        status=400 if request.method == "POST" else 200,
    )


@anyone
def repairs(request: HttpRequest) -> HttpResponse:
    municipality = require_municipality(request)
    qs = scope(Repair.objects.select_related("asset__model", "school"), request.user, municipality)
    state = request.GET.get("state", "open")
    qs = (
        qs.filter(status__in=OPEN_REPAIR_STATUSES)
        if state == "open"
        else qs.exclude(status__in=OPEN_REPAIR_STATUSES)
    )
    return render(request, "schools/repairs.html", {"rows": qs[:500], "state": state})


@anyone
def repair_detail(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    repair = scoped_get_or_404(
        Repair.objects.select_related("asset__model", "school", "reported_by"),
        request.user,
        municipality,
        pk=pk,
    )
    office_user = not is_director(request.user)
    form = forms.RepairUpdateForm(
        request.POST or None,
        initial={
            "status": repair.status,
            "supplier": repair.supplier,
            "cost": repair.cost,
            "under_warranty": repair.under_warranty,
        },
    )
    if request.method == "POST":
        if not office_user:
            raise Http404("Not found")
        if form.is_valid():
            done = _try(
                form, lambda: services.repair_update(repair=repair, actor=request.user, **form.cleaned_data)
            )
            if done is not None:
                messages.success(request, _("Η επισκευή ενημερώθηκε."))
                return redirect("schools:repair_detail", pk=repair.pk)
    return render(
        request,
        "schools/repair_detail.html",
        {
            "repair": repair,
            "events": repair.events.select_related("actor"),
            "form": form if office_user else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@anyone
def repair_photo(request: HttpRequest, pk: int) -> HttpResponse:
    municipality = require_municipality(request)
    repair = scoped_get_or_404(Repair.objects.all(), request.user, municipality, pk=pk)
    if not repair.photo:
        raise Http404("Not found")
    response = FileResponse(repair.photo.open("rb"), content_type=repair.photo_type or "image/jpeg")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
