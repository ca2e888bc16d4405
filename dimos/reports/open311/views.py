"""The Open311 GeoReport v2 server (with discovery and the mySociety updates extension).

Plain Django views, so every response (including errors) has exactly the
standard's shape in both formats. ``jurisdiction_id`` picks the municipality
(``Municipality.open311_jurisdiction``); POST needs an API key issued to the
client application by the municipality's administrator.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dimos.core.context import current_ip
from dimos.core.exceptions import ApplicationError, RateLimited
from dimos.core.models import Municipality
from dimos.reports import services
from dimos.reports.cache import cached_response
from dimos.reports.constants import CLOSED_STATUSES, OPEN_STATUSES, ReportStatus, Source, UpdateKind
from dimos.reports.models import Category, Report, ReportUpdate
from dimos.reports.open311.base import Open311Error, jurisdiction_of, open311_view, params_of
from dimos.reports.open311.keys import open311_client_for_key
from dimos.reports.open311.records import request_records, time_window
from dimos.reports.open311.render import errors, iso, respond
from dimos.reports.selectors import categories_active, reports_public
from dimos.reports.throttle import check_open311_address, check_open311_key

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_RESULTS = 1000
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- Discovery ------------------------------------------------------------------------


@csrf_exempt
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    if request.method not in ("GET", "HEAD"):
        return errors(fmt, 400, [_("Η μέθοδος HTTP %(m)s δεν υποστηρίζεται εδώ.") % {"m": request.method}])
    params = params_of(request)
    municipality = getattr(request, "municipality", None)
    if params.get("jurisdiction_id"):
        try:
            municipality = jurisdiction_of(params)
        except Open311Error as exc:
            return errors(fmt, exc.status, exc.messages)
    from django.conf import settings

    changeset_at = (
        Category.objects.filter(municipality=municipality)
        .order_by("-updated_at")
        .values_list("updated_at", flat=True)
        .first()
        if municipality
        else None
    )
    changeset = iso(changeset_at or dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    contact = (
        f"{municipality.name_el}, {municipality.address}, {municipality.email}".strip(", ")
        if municipality
        else "Dimos"
    )
    key_service = (
        _("Τα κλειδιά API εκδίδει ο διαχειριστής του δήμου: %(email)s") % {"email": municipality.email}
        if municipality and municipality.email
        else _("Τα κλειδιά API εκδίδει ο διαχειριστής του δήμου.")
    )
    data = {
        "changeset": changeset,
        "contact": contact,
        "key_service": key_service,
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": _absolute(request, "/open311/v2/"),
                "changeset": changeset,
                "type": "test" if settings.DEMO else "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    response = respond(fmt, "discovery", data)
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- Services ----------------------------------------------------------------------------


@open311_view(("GET", "HEAD"))
def service_list(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    categories = categories_active(municipality).prefetch_related("attributes")
    data = [
        {
            "service_code": c.code,
            "service_name": c.name,
            "description": c.description,
            "metadata": any(a.variable for a in c.attributes.all()),
            "type": "realtime",
            "keywords": c.keywords,
            "group": c.group.name,
        }
        for c in categories
    ]
    return respond(fmt, "services", data)


@open311_view(("GET", "HEAD"))
def service_definition(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str], code: str
) -> HttpResponse:
    category = categories_active(municipality).filter(code=code).prefetch_related("attributes").first()
    if category is None:
        raise Open311Error(404, _("Άγνωστο service_code: %(c)s") % {"c": code[:60]})
    data = {
        "service_code": category.code,
        "attributes": [
            {
                "variable": a.variable,
                "code": a.code,
                "datatype": a.datatype,
                "required": a.required,
                "datatype_description": a.datatype_description,
                "order": a.order,
                "description": a.description,
                "values": [
                    {"key": str(v.get("key", "")), "name": str(v.get("name", ""))} for v in a.values or []
                ],
            }
            for a in category.attributes.all()
        ],
    }
    return respond(fmt, "service_definition", data)


# --- Requests -------------------------------------------------------------------------------


@csrf_exempt
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return request_create(request, fmt=fmt)
    return request_list(request, fmt=fmt)


@open311_view(("GET", "HEAD"))
def request_list(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    return cached_response(
        municipality=municipality,
        namespace="open311-requests",
        parts=[fmt, request.get_host(), *(f"{k}={v}" for k, v in sorted(params.items()) if k != "api_key")],
        build=lambda: _request_list(request, fmt, municipality, params),
    )


def _request_list(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    qs = reports_public(municipality)
    ids = params.get("service_request_id")
    if ids:
        wanted = [i.strip() for i in ids.split(",") if i.strip()]
        numeric = [int(i) for i in wanted if i.isdigit()][:MAX_RESULTS]
        qs = qs.filter(pk__in=numeric).order_by("-created_at")
    else:
        problems = []
        statuses = set()
        if params.get("status"):
            statuses = {s.strip().lower() for s in params["status"].split(",") if s.strip()}
            if not statuses <= {"open", "closed"}:
                problems.append(_("Η παράμετρος status δέχεται open, closed ή και τα δύο."))
        try:
            start, end = time_window(params)
        except Open311Error as exc:
            problems += exc.messages
            start = end = None
        if problems:
            raise Open311Error(400, *problems)
        if params.get("service_code"):
            codes = [c.strip() for c in params["service_code"].split(",") if c.strip()]
            qs = qs.filter(category__code__in=codes)
        if statuses == {"open"}:
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif statuses == {"closed"}:
            qs = qs.filter(status__in=CLOSED_STATUSES)
        qs = qs.filter(created_at__gte=start, created_at__lte=end).order_by("-created_at")
    data = request_records(request, qs[:MAX_RESULTS], municipality)
    return respond(fmt, "service_requests", data)


@open311_view(("GET", "HEAD"))
def request_detail(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str], request_id: str
) -> HttpResponse:
    records = (
        request_records(request, reports_public(municipality).filter(pk=int(request_id)), municipality)
        if request_id.isdigit()
        else []
    )
    if not records:
        raise Open311Error(404, _("Άγνωστο service_request_id: %(id)s") % {"id": request_id[:40]})
    return respond(fmt, "service_requests", records)


@open311_view(("GET", "HEAD"))
def token_detail(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str], token: str
) -> HttpResponse:
    report = (
        Report.objects.filter(municipality=municipality, open311_token=token)
        .exclude(open311_token="")
        .only("pk")
        .first()
    )
    if report is None:
        raise Open311Error(404, _("Άγνωστο token."))
    return respond(fmt, "service_requests", [{"service_request_id": str(report.pk), "token": token}])


def _attributes(post: Any) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key in post:
        match = _ATTRIBUTE.match(key)
        if not match:
            continue
        code, multi = match.group(1), match.group(2)
        values = [v for v in post.getlist(key) if v.strip()]
        if not values:
            continue
        found[code] = values if multi or len(values) > 1 else values[0]
    return found


@open311_view(("POST",))
def request_create(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    """POST requests: a new service request from a client application with an API key."""
    api_key = params.get("api_key", "")
    try:
        check_open311_address(current_ip.get() or request.META.get("REMOTE_ADDR"))
        if not api_key:
            raise Open311Error(403, _("Λείπει το api_key."))
        client = open311_client_for_key(municipality, api_key)
        if client is None:
            raise Open311Error(403, _("Μη έγκυρο api_key για αυτόν τον δήμο."))
        check_open311_key(api_key)
    except RateLimited as exc:
        raise Open311Error(429, exc.message) from exc
    name = " ".join(filter(None, [params.get("first_name", ""), params.get("last_name", "")]))
    try:
        report = services.report_intake(
            municipality=municipality,
            category_code=params.get("service_code", ""),
            lat=params.get("lat"),
            lon=params.get("long"),
            address=params.get("address_string", ""),
            address_id=params.get("address_id", ""),
            description=params.get("description", ""),
            reporter=services.Reporter(
                name=name[:150],
                email=params.get("email", ""),
                phone=params.get("phone", "")[:30],
                show_name=False,
            ),
            attributes=_attributes(request.POST),
            photos=request.FILES.getlist("media")[:3] if request.FILES else [],
            source=Source.OPEN311,
            client=client,
            media_url=params.get("media_url", ""),
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
        ).report
    except ApplicationError as exc:
        messages = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
        raise Open311Error(exc.status if exc.status in (403, 429) else 400, *messages) from exc
    assert report is not None  # Open311 clients are never shown nearby reports first
    if report.status == ReportStatus.FORWARDED and report.external_body_id:
        notice = _("Η αναφορά διαβιβάστηκε στον αρμόδιο φορέα: %(b)s.") % {"b": report.external_body.name}
    else:
        notice = (
            _("Προθεσμία αποκατάστασης: %(d)s.") % {"d": report.deadline.strftime("%d/%m/%Y")}
            if report.deadline
            else ""
        )
    data = [
        {
            "service_request_id": str(report.pk),
            "token": report.open311_token,
            "service_notice": notice,
            "account_id": report.account_id,
        }
    ]
    return respond(fmt, "service_requests", data)


# --- mySociety extension: servicerequestupdates -------------------------------------------


@open311_view(("GET", "HEAD"))
def request_updates(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    start, end = time_window(params)
    updates = (
        ReportUpdate.objects.filter(
            municipality=municipality,
            is_public=True,
            report__is_public=True,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(kind=UpdateKind.CREATED)
        .only("pk", "report_id", "status", "to_status", "comment", "created_at", "kind")
        .order_by("created_at", "pk")[:MAX_RESULTS]
    )
    data = [
        {
            "update_id": str(u.pk),
            "service_request_id": str(u.report_id),
            "status": u.status_for_open311,
            "updated_datetime": iso(u.created_at),
            "description": u.comment
            or (str(ReportStatus(u.status).label) if u.status in ReportStatus.values else ""),
            "media_url": "",
        }
        for u in updates
    ]
    return respond(fmt, "service_request_updates", data)


@csrf_exempt
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "xml" if rest.endswith(".xml") else "json"
    return errors(fmt, 404, [_("Άγνωστη μέθοδος Open311: /open311/%(p)s") % {"p": rest[:100]}])
