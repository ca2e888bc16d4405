"""Service request records of the Open311 list and detail, and the ``start_date``/``end_date`` window.

Records are built from plain rows in a constant number of queries, never with the
reporter's personal data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from dimos.core.i18n import bilingual
from dimos.core.models import Department, Municipality
from dimos.reports.constants import OPEN_STATUSES
from dimos.reports.models import Category, ExternalBody, Report, ReportPhoto
from dimos.reports.open311.base import Open311Error
from dimos.reports.open311.render import iso

MAX_SPAN = dt.timedelta(days=90)


RECORD_FIELDS = (
    "pk",
    "status",
    "status_notes",
    "public_description",
    "created_at",
    "updated_at",
    "deadline",
    "public_address",
    "lat",
    "lon",
    "media_url",
    "category_id",
    "department_id",
    "external_body_id",
)


def _names(model: Any, municipality: Municipality) -> dict[int, str]:
    return {
        pk: bilingual(name_el, name_en)
        for pk, name_el, name_en in model.objects.filter(municipality=municipality).values_list(
            "pk", "name_el", "name_en"
        )
    }


def request_records(
    request: HttpRequest, qs: QuerySet[Report], municipality: Municipality
) -> list[dict[str, Any]]:
    """Request records for the reports of ``qs`` (already limited), in a constant number of queries.

    Built from plain tuples (no model instances, no joins, no per-row dicts from the ORM) and never
    with the reporter's personal data: the description and address are the public (masked,
    moderated) text. Time stamps are converted with one time zone object and deadlines formatted
    once per day: with up to 1,000 records, per-value ``timezone.localtime`` was most of the cost.
    """
    rows = list(qs.values_list(*RECORD_FIELDS))
    if not rows:
        return []
    ids = {r[0] for r in rows}
    photos: dict[int, int] = {}
    for report_id, photo_id in (
        ReportPhoto.objects.filter(
            municipality=municipality, is_public=True, report_id__gte=min(ids), report_id__lte=max(ids)
        )
        .order_by("-pk")
        .values_list("report_id", "pk")
    ):
        if report_id in ids:
            photos[report_id] = photo_id  # the lowest id wins (ordered descending)
    categories = {
        c.pk: (c.code, c.name)
        for c in Category.objects.filter(municipality=municipality).only("pk", "code", "name_el", "name_en")
    }
    departments = _names(Department, municipality)
    bodies = _names(ExternalBody, municipality)
    tz = timezone.get_current_timezone()
    days: dict[dt.date, str] = {}
    out = []
    append = out.append
    for (
        pk,
        status,
        status_notes,
        description,
        created_at,
        updated_at,
        deadline,
        address,
        lat,
        lon,
        media_url,
        category_id,
        department_id,
        external_body_id,
    ) in rows:
        if pk in photos:
            media_url = request.build_absolute_uri(
                reverse("reports:public_photo", args=[pk, photos[pk], "full"])
            )
        code, service_name = categories[category_id]
        is_open = status in OPEN_STATUSES
        expected = ""
        if is_open and deadline is not None:
            expected = days.get(deadline) or days.setdefault(deadline, iso(deadline))
        append(
            {
                "service_request_id": str(pk),
                "status": "open" if is_open else "closed",
                "status_notes": status_notes,
                "service_name": service_name,
                "service_code": code,
                "description": description,
                "agency_responsible": bodies.get(external_body_id)
                or departments.get(department_id)
                or municipality.name,
                "service_notice": "",
                "requested_datetime": created_at.astimezone(tz).isoformat(timespec="seconds"),
                "updated_datetime": updated_at.astimezone(tz).isoformat(timespec="seconds"),
                "expected_datetime": expected,
                "address": address,
                "address_id": "",
                "zipcode": "",
                "lat": lat,
                "long": lon,
                "media_url": media_url,
            }
        )
    return out


def _parse_when(value: str | None, name: str, *, end_of_day: bool = False) -> dt.datetime | None:
    if not value:
        return None
    parsed: dt.datetime | None = None
    try:
        day = parse_date(value) if len(value) == 10 else None
        if day is not None:
            parsed = dt.datetime.combine(day, dt.time.max if end_of_day else dt.time.min)
        else:
            parsed = parse_datetime(value.replace(" ", "+") if "T" in value and " " in value else value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Open311Error(400, _("Η παράμετρος %(p)s δεν είναι ημερομηνία ISO 8601.") % {"p": name})
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def time_window(params: dict[str, str]) -> tuple[dt.datetime, dt.datetime]:
    start = _parse_when(params.get("start_date"), "start_date")
    end = _parse_when(params.get("end_date"), "end_date", end_of_day=True)
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
