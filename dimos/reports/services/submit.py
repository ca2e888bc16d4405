"""Creating a report: from a citizen (web page, Open311 app) or from another system (a sensor alarm).

Routing happens here, once, for every door: the point gives the municipal unit,
category × unit gives the department (``selectors.route_for``); a category of an
external body is forwarded to it instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import NotFound, PermissionDenied, ValidationFailed
from dimos.core.geo import unit_at
from dimos.core.models import Municipality
from dimos.core.privacy import mask_personal_data
from dimos.core.services import audit_record, notify
from dimos.reports.constants import MAX_PHOTOS, ReportStatus, Source, UpdateKind
from dimos.reports.models import Category, Open311Client, Report, ReportFollower, ReportUpdate
from dimos.reports.selectors import category_by_code, route_for
from dimos.reports.services.links import new_token, public_url
from dimos.reports.services.photos import clean_photo, store_photo
from dimos.reports.services.validation import (
    parse_coordinate,
    validate_attributes,
    validate_description,
    validate_location,
)
from dimos.reports.services.workflow import report_forward


@dataclass(frozen=True)
class Reporter:
    """Who reports: private data, kept off every public page and API."""

    user: Any = None
    name: str = ""
    email: str = ""
    phone: str = ""
    show_name: bool = False
    language: str = "el"


def _create(
    *,
    municipality: Municipality,
    category: Category,
    lat: float,
    lon: float,
    description: str,
    attributes: dict[str, Any],
    source: str,
    reporter: Reporter,
    address: str = "",
    external_ref: str = "",
    client: Open311Client | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    needs_confirmation: bool = False,
) -> Report:
    unit = unit_at(municipality, lat, lon)
    department = route_for(municipality, category, unit)
    now = timezone.now()
    report = Report.objects.create(
        municipality=municipality,
        category=category,
        unit=unit,
        department=None if category.external_body_id else department,
        external_body=category.external_body,
        status=ReportStatus.SUBMITTED,
        is_open=True,
        is_public=not needs_confirmation,
        lat=lat,
        lon=lon,
        address=address[:250],
        description=description,
        public_address=mask_personal_data(address)[:250],
        public_description=mask_personal_data(description),
        attributes=attributes,
        source=source,
        external_ref=external_ref,
        client=client,
        media_url=media_url,
        reporter=reporter.user if getattr(reporter.user, "pk", None) else None,
        reporter_name=reporter.name[:150],
        reporter_email=reporter.email,
        reporter_phone=reporter.phone[:30],
        show_name=reporter.show_name and bool(reporter.name),
        device_id=device_id[:120],
        account_id=account_id[:120],
        tracking_token=new_token(),
        open311_token=new_token() if source == Source.OPEN311 else "",
        confirmation_token=new_token() if needs_confirmation else "",
        deadline=category.deadline_from(timezone.localdate(now), list(municipality.local_holidays or [])),
        created_at=now,
        updated_at=now,
    )
    ReportUpdate.objects.create(
        municipality=municipality,
        report=report,
        kind=UpdateKind.CREATED,
        actor=report.reporter,
        to_status=ReportStatus.SUBMITTED,
        is_public=True,
        created_at=now,
    )
    if reporter.email or report.reporter_id:
        ReportFollower.objects.create(
            municipality=municipality,
            report=report,
            user=report.reporter,
            email=reporter.email,
            language=reporter.language,
            is_reporter=True,
            unsubscribe_token=new_token(),
        )
    audit_record(action="reports.created", actor=report.reporter, obj=report, new={"source": source})
    if needs_confirmation:
        notify(
            municipality=municipality,
            key="reports.confirm",
            context={
                "report": report,
                "reference": report.reference,
                "confirm_url": public_url(
                    municipality, reverse("reports:confirm", args=[report.confirmation_token])
                ),
            },
            email=reporter.email,
            language=reporter.language,
        )
    else:
        _after_publish(report, reporter_email=reporter.email, language=reporter.language)
    return report


def _after_publish(report: Report, *, reporter_email: str = "", language: str = "el") -> None:
    """Receipt to the reporter and forwarding to an external body, once the report is public."""
    if reporter_email or report.reporter_id:
        notify(
            municipality=report.municipality,
            key="reports.received",
            context={
                "report": report,
                "reference": report.reference,
                "track_url": public_url(
                    report.municipality, reverse("reports:track", args=[report.tracking_token])
                ),
            },
            user=report.reporter,
            email=reporter_email,
            language=language if not report.reporter_id else None,
        )
    if report.external_body_id:
        report_forward(report=report, actor=None, comment="")


def report_create_from_system(
    *,
    municipality: Municipality,
    category_code: str,
    lat: float,
    lon: float,
    description: str,
    external_ref: str,
    source: str = "sensor",
) -> Report:
    """Open a report from another system (e.g. a sensor alarm), routed like a citizen report.

    Idempotent on (municipality, external_ref) while the report is open: calling again
    returns the open report. No personal data is stored.
    """
    external_ref = (external_ref or "").strip()
    if not external_ref:
        raise ValidationFailed(_("Λείπει η εξωτερική αναφορά (external_ref)."), field="external_ref")
    if len(external_ref) > 120:
        raise ValidationFailed(_("Η εξωτερική αναφορά είναι πολύ μεγάλη."), field="external_ref")
    if source not in Source.values:
        raise ValidationFailed(_("Άγνωστη πηγή αναφοράς."), field="source")
    existing = Report.objects.filter(
        municipality=municipality, external_ref=external_ref, is_open=True
    ).first()
    if existing is not None:
        return existing
    category = category_by_code(municipality, category_code)
    if category is None:
        raise NotFound(_("Άγνωστη κατηγορία: %(code)s") % {"code": category_code}, field="category")
    lat = parse_coordinate(lat, field="lat")
    lon = parse_coordinate(lon, field="long")
    validate_location(municipality, lat, lon)
    description = validate_description(description)
    try:
        with transaction.atomic():
            return _create(
                municipality=municipality,
                category=category,
                lat=lat,
                lon=lon,
                description=description,
                attributes={},
                source=source,
                reporter=Reporter(),
                external_ref=external_ref,
            )
    except IntegrityError:
        # A concurrent call created it first: the partial unique index guards the race.
        existing = Report.objects.filter(
            municipality=municipality, external_ref=external_ref, is_open=True
        ).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def report_submit(
    *,
    municipality: Municipality,
    category: Category,
    lat: Any,
    lon: Any,
    description: str,
    reporter: Reporter,
    attributes: dict[str, Any] | None = None,
    address: str = "",
    photos: list[Any] | None = None,
    source: str = Source.WEB,
    client: Open311Client | None = None,
    media_url: str = "",
    device_id: str = "",
    account_id: str = "",
    description_required: bool = True,
) -> Report:
    """A citizen's report (web page or Open311 app).

    A report without a signed-in user needs an e-mail address when the category
    allows anonymous reports; web reports without a signed-in user are published
    only after the e-mail address is confirmed.
    """
    if category.municipality_id != municipality.pk or not category.is_active:
        raise NotFound(_("Άγνωστη κατηγορία."), field="category")
    lat_f = parse_coordinate(lat, field="lat")
    lon_f = parse_coordinate(lon, field="long")
    validate_location(municipality, lat_f, lon_f)
    description = validate_description(description, required=description_required)
    clean_attributes = validate_attributes(category, attributes or {})
    signed_in = bool(getattr(reporter.user, "is_authenticated", False))
    if not signed_in and not category.allow_anonymous and source == Source.WEB:
        raise PermissionDenied(
            _("Για αυτή την κατηγορία πρέπει να συνδεθείτε πριν υποβάλετε αναφορά."), field="category"
        )
    if not signed_in and source == Source.WEB and not reporter.email:
        raise ValidationFailed(
            _("Δώστε e-mail: θα σας στείλουμε σύνδεσμο επιβεβαίωσης της αναφοράς."), field="email"
        )
    photos = photos or []
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed(_("Έως %(n)s φωτογραφίες.") % {"n": MAX_PHOTOS}, field="photos")
    anonymous = not signed_in or source == Source.OPEN311
    cleaned = [clean_photo(p, anonymous=anonymous) for p in photos]  # all checked before anything is written
    report = _create(
        municipality=municipality,
        category=category,
        lat=lat_f,
        lon=lon_f,
        description=description,
        attributes=clean_attributes,
        source=source,
        reporter=reporter,
        address=address,
        client=client,
        media_url=media_url,
        device_id=device_id,
        account_id=account_id,
        needs_confirmation=not signed_in and source == Source.WEB,
    )
    for clean in cleaned:
        store_photo(report, clean, by_staff=False)
    return report


@transaction.atomic
def report_confirm_email(*, municipality: Municipality, token: str) -> Report:
    report = (
        Report.objects.select_for_update()
        .filter(municipality=municipality, confirmation_token=token)
        .exclude(confirmation_token="")
        .first()
    )
    if report is None:
        raise NotFound(_("Ο σύνδεσμος επιβεβαίωσης δεν είναι έγκυρος ή έχει ήδη χρησιμοποιηθεί."))
    report.is_public = True
    report.confirmation_token = ""
    report.updated_at = timezone.now()
    report.save(update_fields=["is_public", "confirmation_token", "updated_at"])
    audit_record(action="reports.email_confirmed", obj=report)
    _after_publish(report, reporter_email=report.reporter_email)
    return report
