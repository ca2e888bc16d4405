"""The Open311 GeoReport v2 server (with discovery and the mySociety updates extension).

Plain Django views, so every response (including errors) has exactly the
standard's shape in both formats. ``jurisdiction_id`` picks the municipality
(``Municipality.open311_jurisdiction``); POST needs an API key issued to the
client application by the municipality's administrator.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from dimos.core.exceptions import ApplicationError
from dimos.core.models import Municipality
from dimos.reports import services
from dimos.reports.constants import CLOSED_STATUSES, OPEN_STATUSES, ReportStatus, Source, UpdateKind
from dimos.reports.models import Category, Report, ReportPhoto, ReportUpdate, Street
from dimos.reports.open311.render import errors, iso, respond
from dimos.reports.selectors import categories_active, street_resolve

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_RESULTS = 1000
MAX_SPAN = dt.timedelta(days=90)
_ATTRIBUTE = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


class Open311Error(Exception):
    def __init__(self, status: int, *messages: str) -> None:
        super().__init__(messages)
        self.status = status
        self.messages = list(messages)


def _params(request: HttpRequest) -> dict[str, str]:
    """Query (and form) parameters; an empty value means the same as an absent one."""
    merged: dict[str, str] = {}
    for source in (request.GET, request.POST if request.method == "POST" else {}):
        for key in source:
            value = source.get(key, "")
            if isinstance(value, str) and value.strip() != "":
                merged[key] = value.strip()
    return merged


def _jurisdiction(params: dict[str, str]) -> Municipality:
    jurisdiction = params.get("jurisdiction_id")
    if jurisdiction:
        municipality = Municipality.objects.filter(
            open311_jurisdiction__iexact=jurisdiction, is_active=True
        ).first()
        if municipality is None:
            raise Open311Error(404, _("Άγνωστο jurisdiction_id: %(j)s") % {"j": jurisdiction[:100]})
        return municipality
    active = list(Municipality.objects.filter(is_active=True)[:2])
    if len(active) != 1:
        raise Open311Error(
            400, _("Απαιτείται η παράμετρος jurisdiction_id (ο διακομιστής εξυπηρετεί πολλούς δήμους).")
        )
    return active[0]


def open311_view(
    methods: tuple[str, ...],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Wrap a handler: method check, jurisdiction, and standard error documents."""

    def decorate(handler: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        def view(request: HttpRequest, fmt: str, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in methods:
                    raise Open311Error(
                        400, _("Η μέθοδος HTTP %(m)s δεν υποστηρίζεται εδώ.") % {"m": request.method}
                    )
                params = _params(request)
                municipality = _jurisdiction(params)
                response = handler(request, fmt, municipality, params, **kwargs)
            except Open311Error as exc:
                response = errors(fmt, exc.status, exc.messages)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        view.__name__ = handler.__name__
        view.__doc__ = handler.__doc__
        return view

    return decorate


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


# --- Discovery ------------------------------------------------------------------------


@csrf_exempt
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    """Service discovery: where the GeoReport v2 endpoint is and which formats it speaks."""
    if request.method not in ("GET", "HEAD"):
        return errors(fmt, 400, [_("Η μέθοδος HTTP %(m)s δεν υποστηρίζεται εδώ.") % {"m": request.method}])
    params = _params(request)
    municipality = getattr(request, "municipality", None)
    if params.get("jurisdiction_id"):
        try:
            municipality = _jurisdiction(params)
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


def _public_requests(municipality: Municipality) -> QuerySet[Report]:
    return (
        Report.objects.filter(municipality=municipality, is_public=True)
        .select_related("category", "department", "external_body")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ReportPhoto.objects.filter(is_public=True).only("pk", "report_id").order_by("pk"),
                to_attr="public_photos",
            )
        )
        .defer("reporter_name", "reporter_email", "reporter_phone", "attributes", "device_id", "account_id")
    )


def _record(request: HttpRequest, report: Report, municipality: Municipality) -> dict[str, Any]:
    """One request record. Never the reporter's personal data."""
    media_url = report.media_url
    photos = getattr(report, "public_photos", None)
    if photos:
        media_url = _absolute(
            request, reverse("reports:public_photo", args=[report.pk, photos[0].pk, "full"])
        )
    if report.external_body_id:
        agency = report.external_body.name
    elif report.department_id:
        agency = report.department.name
    else:
        agency = municipality.name
    record = {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": report.status_notes,
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(report.deadline) if report.status in OPEN_STATUSES else "",
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": report.lat,
        "long": report.lon,
        "media_url": media_url,
    }
    return record


def _parse_when(value: str | None, name: str) -> dt.datetime | None:
    if not value:
        return None
    parsed: dt.datetime | None = None
    try:
        parsed = parse_datetime(value.replace(" ", "+") if "T" in value and " " in value else value)
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = dt.datetime.combine(day, dt.time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, _("Η παράμετρος %(p)s δεν είναι ημερομηνία ISO 8601.") % {"p": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _window(params: dict[str, str]) -> tuple[dt.datetime, dt.datetime]:
    start = _parse_when(params.get("start_date"), "start_date")
    end = _parse_when(params.get("end_date"), "end_date")
    if start and end:
        if end < start:
            raise Open311Error(400, _("Η end_date είναι πριν από την start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("Το διάστημα start_date–end_date δεν μπορεί να ξεπερνά τις 90 ημέρες."))
    elif start:
        end = start + MAX_SPAN
    elif end:
        start = end - MAX_SPAN
    else:
        end = timezone.now()
        start = end - MAX_SPAN
    return start, end  # type: ignore[return-value]


@csrf_exempt
def requests_endpoint(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return request_create(request, fmt=fmt)
    return request_list(request, fmt=fmt)


@open311_view(("GET", "HEAD"))
def request_list(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str]
) -> HttpResponse:
    qs = _public_requests(municipality)
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
            start, end = _window(params)
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
    data = [_record(request, r, municipality) for r in qs[:MAX_RESULTS]]
    return respond(fmt, "service_requests", data)


@open311_view(("GET", "HEAD"))
def request_detail(
    request: HttpRequest, fmt: str, municipality: Municipality, params: dict[str, str], request_id: str
) -> HttpResponse:
    report = (
        _public_requests(municipality).filter(pk=int(request_id)).first() if request_id.isdigit() else None
    )
    if report is None:
        raise Open311Error(404, _("Άγνωστο service_request_id: %(id)s") % {"id": request_id[:40]})
    return respond(fmt, "service_requests", [_record(request, report, municipality)])


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
    if not api_key:
        raise Open311Error(403, _("Λείπει το api_key."))
    client = services.open311_client_for_key(municipality, api_key)
    if client is None:
        raise Open311Error(403, _("Μη έγκυρο api_key για αυτόν τον δήμο."))
    problems: list[str] = []
    category = None
    code = params.get("service_code")
    if not code:
        problems.append(_("Απαιτείται η παράμετρος service_code."))
    else:
        category = categories_active(municipality).prefetch_related("attributes").filter(code=code).first()
        if category is None:
            problems.append(_("Άγνωστο service_code: %(c)s") % {"c": code[:60]})
    lat, lon, address = params.get("lat"), params.get("long"), params.get("address_string", "")
    if (lat is None) != (lon is None):
        problems.append(_("Δώστε και lat και long."))
    elif lat is None:
        street = None
        if params.get("address_id"):
            address_id = params["address_id"]
            street = (
                Street.objects.filter(municipality=municipality, pk=int(address_id)).first()
                if address_id.isdigit()
                else None
            )
            if street is None:
                problems.append(_("Άγνωστο address_id."))
        elif address:
            street = street_resolve(municipality, address)
            if street is None:
                problems.append(
                    _("Η διεύθυνση δεν βρέθηκε στον κατάλογο οδών του δήμου: %(a)s") % {"a": address[:100]}
                )
        else:
            problems.append(_("Δώστε τοποθεσία: lat και long, ή address_string, ή address_id."))
        if street is not None:
            lat, lon = str(street.lat), str(street.lon)
            address = address or street.name
    email = params.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            problems.append(_("Μη έγκυρο email."))
    media_url = params.get("media_url", "")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            problems.append(_("Μη έγκυρο media_url (διεύθυνση http/https)."))
    if problems:
        raise Open311Error(400, *problems)
    name = " ".join(filter(None, [params.get("first_name", ""), params.get("last_name", "")]))
    photos = request.FILES.getlist("media")[:3] if request.FILES else []
    try:
        report = services.report_submit(
            municipality=municipality,
            category=category,
            lat=lat,
            lon=lon,
            description=params.get("description", ""),
            reporter=services.Reporter(
                name=name[:150], email=email, phone=params.get("phone", "")[:30], show_name=False
            ),
            attributes=_attributes(request.POST),
            address=address,
            photos=photos,
            source=Source.OPEN311,
            client=client,
            media_url=media_url,
            device_id=params.get("device_id", ""),
            account_id=params.get("account_id", ""),
            description_required=False,
        )
    except ApplicationError as exc:
        messages = [m for msgs in exc.errors.values() for m in msgs] or [exc.message]
        raise Open311Error(403 if exc.status == 403 else 400, *messages) from exc
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
    start, end = _window(params)
    updates = (
        ReportUpdate.objects.filter(
            municipality=municipality,
            is_public=True,
            report__is_public=True,
            created_at__gte=start,
            created_at__lte=end,
        )
        .exclude(kind=UpdateKind.CREATED)
        .only("pk", "report_id", "status", "to_status", "text", "created_at", "kind")
        .order_by("created_at", "pk")[:MAX_RESULTS]
    )
    data = [
        {
            "update_id": str(u.pk),
            "service_request_id": str(u.report_id),
            "status": u.status_for_open311,
            "updated_datetime": iso(u.created_at),
            "description": u.text
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
