"""Every write of the reports app: submission, routing, workflow, merge, photos, keys.

Services are keyword-only, atomic, and raise ``dimos.core.exceptions`` errors with a
Greek message a person can act on. Side effects (notifications, forwarding e-mails)
are durable task rows written in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from dimos.core.files import IMAGE_TYPES, sanitize_image, sniff_content_type
from dimos.core.geo import municipality_at, municipality_contains, unit_at, valid_lat_lon
from dimos.core.models import Municipality
from dimos.core.services import audit_record, notify
from dimos.core.tasks import task_enqueue
from dimos.reports.constants import (
    MAX_DESCRIPTION,
    MAX_PHOTO_BYTES,
    MAX_PHOTOS,
    OPEN_STATUSES,
    TRANSITIONS,
    AttributeType,
    Priority,
    ReportStatus,
    Source,
    UpdateKind,
)
from dimos.reports.models import (
    Category,
    Open311Client,
    Report,
    ReportFollower,
    ReportPhoto,
    ReportUpdate,
)
from dimos.reports.selectors import category_by_code, route_for

_HTML = re.compile(r"<\s*[a-zA-Z/!?]|&#?[a-zA-Z0-9]+;")


def _token() -> str:
    return secrets.token_urlsafe(32)


def public_url(municipality: Municipality, path: str) -> str:
    """An absolute link for e-mails: the configured base URL, else the municipality's first host name."""
    from django.conf import settings

    base = settings.DIMOS_PUBLIC_BASE_URL.rstrip("/")
    if not base:
        hosts = [h for h in (municipality.hostnames or []) if h not in ("testserver",)]
        base = f"http://{hosts[0]}" if hosts else ""
    return f"{base}{path}"


# --- Validation ------------------------------------------------------------------


def parse_coordinate(value: Any, *, field: str) -> float:
    """A finite float from user input, or a Greek error naming the field."""
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError) as exc:
        raise ValidationFailed(_("Οι συντεταγμένες πρέπει να είναι αριθμοί."), field=field) from exc
    if not math.isfinite(number):
        raise ValidationFailed(_("Οι συντεταγμένες πρέπει να είναι αριθμοί."), field=field)
    return number


def validate_location(municipality: Municipality, lat: float, lon: float) -> None:
    if not valid_lat_lon(lat, lon):
        raise ValidationFailed(
            _("Το σημείο δεν είναι έγκυρο (γεωγραφικό πλάτος/μήκος WGS84)."), field="location"
        )
    if not municipality_contains(municipality, lat, lon):
        other = municipality_at(lat, lon)
        if other is not None and other.pk != municipality.pk:
            message = _("Το σημείο βρίσκεται εκτός του %(ours)s. Αρμόδιος είναι ο %(theirs)s.") % {
                "ours": municipality.name_el,
                "theirs": other.name_el,
            }
        else:
            message = _("Το σημείο βρίσκεται εκτός των ορίων του %(ours)s.") % {"ours": municipality.name_el}
        raise ValidationFailed(
            message,
            field="location",
            code="outside_municipality",
            extra={"responsible": other.name_el if other is not None and other.pk != municipality.pk else ""},
        )


def validate_description(text: str, *, required: bool = True) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise ValidationFailed(_("Περιγράψτε το πρόβλημα."), field="description")
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(
            _("Η περιγραφή ξεπερνά τους %(n)s χαρακτήρες.") % {"n": MAX_DESCRIPTION}, field="description"
        )
    if _HTML.search(text):
        raise ValidationFailed(_("Η περιγραφή δεν μπορεί να περιέχει HTML."), field="description")
    return text


def validate_attributes(category: Category, raw: dict[str, Any]) -> dict[str, Any]:
    """Check answers to the category's extra questions (Open311 attributes)."""
    clean: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for attr in category.attributes.all():
        if not attr.variable:
            continue
        value = raw.get(attr.code)
        if isinstance(value, list):
            value = [str(v).strip() for v in value if str(v).strip()]
        elif value is not None:
            value = str(value).strip()
        if value in (None, "", []):
            if attr.required:
                errors[f"attribute[{attr.code}]"] = [
                    _("Απαιτείται απάντηση: %(q)s") % {"q": attr.description_el}
                ]
            continue
        keys = {str(v.get("key")) for v in attr.values or []}
        if attr.datatype == AttributeType.SINGLE:
            if isinstance(value, list):
                value = value[0] if len(value) == 1 else value
            if isinstance(value, list) or value not in keys:
                errors[f"attribute[{attr.code}]"] = [
                    _("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif attr.datatype == AttributeType.MULTI:
            values = value if isinstance(value, list) else [value]
            if any(v not in keys for v in values):
                errors[f"attribute[{attr.code}]"] = [
                    _("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}
                ]
                continue
            value = values
        elif attr.datatype == AttributeType.NUMBER:
            try:
                number = float(str(value).replace(",", "."))
                if not math.isfinite(number):
                    raise ValueError
            except ValueError:
                errors[f"attribute[{attr.code}]"] = [
                    _("Δώστε αριθμό για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif attr.datatype == AttributeType.DATETIME:
            try:
                dt.datetime.fromisoformat(str(value))
            except ValueError:
                errors[f"attribute[{attr.code}]"] = [
                    _("Δώστε ημερομηνία ISO 8601 για: %(q)s") % {"q": attr.description_el}
                ]
                continue
        elif isinstance(value, list):
            value = ", ".join(value)
        if isinstance(value, str) and (len(value) > 1000 or _HTML.search(value)):
            errors[f"attribute[{attr.code}]"] = [_("Μη έγκυρη τιμή για: %(q)s") % {"q": attr.description_el}]
            continue
        clean[attr.code] = value
    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationFailed(first, errors=errors, code="attribute")
    return clean


# --- Creation ----------------------------------------------------------------------


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
        tracking_token=_token(),
        open311_token=_token() if source == Source.OPEN311 else "",
        confirmation_token=_token() if needs_confirmation else "",
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
            unsubscribe_token=_token(),
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
        _forward(report, actor=None, comment="")


def _forward(report: Report, *, actor: Any, comment: str) -> None:
    body = report.external_body
    old = report.status
    report.status = ReportStatus.FORWARDED
    report.is_open = True
    report.department = None
    report.updated_at = timezone.now()
    report.save(update_fields=["status", "is_open", "department", "updated_at"])
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.FORWARD,
        actor=actor,
        from_status=old,
        to_status=ReportStatus.FORWARDED,
        text=comment or _("Η αναφορά διαβιβάστηκε στον φορέα: %(body)s.") % {"body": body.name_el},
        is_public=True,
    )
    task_enqueue("reports.forward_to_body", {"report_id": report.pk})


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
    cleaned = [_clean_photo(p) for p in photos]  # all checked before anything is written
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
        _store_photo(report, clean, by_staff=False)
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


# --- Photos ---------------------------------------------------------------------------


def _clean_photo(upload: Any) -> Any:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Η φωτογραφία είναι πολύ μεγάλη (όριο %(mb)s MB).") % {"mb": MAX_PHOTO_BYTES // 1_048_576},
            field="photos",
        )
    data = upload.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise ValidationFailed(
            _("Η φωτογραφία είναι πολύ μεγάλη (όριο %(mb)s MB).") % {"mb": MAX_PHOTO_BYTES // 1_048_576},
            field="photos",
        )
    if sniff_content_type(data[:32]) not in IMAGE_TYPES:
        raise ValidationFailed(_("Το αρχείο δεν είναι φωτογραφία (JPEG, PNG, GIF ή WebP)."), field="photos")
    return sanitize_image(data, max_side=2048, thumb_side=320, field="photos")


def _store_photo(report: Report, clean: Any, *, by_staff: bool) -> ReportPhoto:
    ext = "png" if clean.content_type == "image/png" else "jpg"
    name = secrets.token_hex(12)
    photo = ReportPhoto(
        municipality=report.municipality,
        report=report,
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        is_public=by_staff,
        uploaded_by_staff=by_staff,
    )
    photo.image.save(f"{name}.{ext}", ContentFile(clean.data), save=False)
    photo.thumbnail.save(f"{name}-thumb.jpg", ContentFile(clean.thumbnail), save=False)
    photo.save()
    return photo


@transaction.atomic
def photo_add(*, report: Report, upload: Any, actor: Any) -> ReportPhoto:
    if report.photos.count() >= MAX_PHOTOS + 3:
        raise ValidationFailed(_("Η αναφορά έχει ήδη αρκετές φωτογραφίες."), field="photo")
    photo = _store_photo(report, _clean_photo(upload), by_staff=True)
    audit_record(action="reports.photo_added", actor=actor, obj=report)
    return photo


@transaction.atomic
def photo_set_public(*, photo: ReportPhoto, public: bool, actor: Any) -> ReportPhoto:
    photo.is_public = public
    photo.save(update_fields=["is_public"])
    audit_record(
        action="reports.photo_published" if public else "reports.photo_hidden", actor=actor, obj=photo.report
    )
    return photo


# --- Workflow ---------------------------------------------------------------------------


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().select_related("municipality", "category").get(pk=report.pk)


def _notify_followers(report: Report, update: ReportUpdate, *, exclude_user: Any = None) -> None:
    context = {
        "report": report,
        "reference": report.reference,
        "status": ReportStatus(report.status).label,
        "text": update.text,
        "track_url": public_url(report.municipality, reverse("reports:track", args=[report.tracking_token])),
        "ask_fixed": report.status == ReportStatus.FIXED,
    }
    for follower in report.followers.select_related("user"):
        if (
            follower.user_id
            and exclude_user is not None
            and follower.user_id == getattr(exclude_user, "pk", None)
        ):
            continue
        notify(
            municipality=report.municipality,
            key="reports.updated",
            context={
                **context,
                "unsubscribe_url": public_url(
                    report.municipality, reverse("reports:unsubscribe", args=[follower.unsubscribe_token])
                ),
                "is_reporter": follower.is_reporter,
            },
            user=follower.user,
            email=follower.email,
            language=follower.language if not follower.user_id else None,
        )


@transaction.atomic
def report_transition(
    *, report: Report, to_status: str, actor: Any, comment: str = "", public: bool = True
) -> Report:
    """Move a report to ``to_status`` if the transition table allows it."""
    report = _lock(report)
    if to_status not in ReportStatus.values:
        raise ValidationFailed(_("Άγνωστη κατάσταση."), field="status")
    if to_status not in TRANSITIONS[report.status]:
        raise TransitionNotAllowed(
            _("Η αναφορά δεν μπορεί να περάσει από «%(a)s» σε «%(b)s».")
            % {"a": report.get_status_display(), "b": ReportStatus(to_status).label}
        )
    comment = validate_description(comment, required=False) if comment else ""
    if to_status == ReportStatus.FORWARDED:
        if report.external_body_id is None:
            if not report.category.external_body_id:
                raise ValidationFailed(
                    _("Η κατηγορία δεν έχει εξωτερικό φορέα για διαβίβαση."), field="status"
                )
            report.external_body = report.category.external_body
        _forward(report, actor=actor, comment=comment)
        _notify_followers(report, report.updates.order_by("-pk").first(), exclude_user=actor)
        return report
    old = report.status
    now = timezone.now()
    report.status = to_status
    report.is_open = to_status in OPEN_STATUSES
    report.updated_at = now
    if to_status == ReportStatus.FIXED:
        report.fixed_at = now
    if not report.is_open:
        report.closed_at = report.closed_at or now
    else:
        report.closed_at = None
        if to_status == ReportStatus.REOPENED:
            report.fixed_at = None
    report.status_notes = comment[:500] if public else report.status_notes
    report.save(
        update_fields=[
            "status",
            "is_open",
            "updated_at",
            "fixed_at",
            "closed_at",
            "external_body",
            "status_notes",
        ]
    )
    update = ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.STATUS,
        actor=actor,
        from_status=old,
        to_status=to_status,
        text=comment,
        is_public=public,
        created_at=now,
    )
    audit_record(
        action="reports.transition", actor=actor, obj=report, old={"status": old}, new={"status": to_status}
    )
    if public:
        _notify_followers(report, update, exclude_user=actor)
    return report


@transaction.atomic
def report_comment(*, report: Report, actor: Any, text: str, public: bool) -> ReportUpdate:
    """A public update (citizens are notified) or an internal note (staff only)."""
    report = _lock(report)
    text = validate_description(text)
    update = ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.PUBLIC if public else UpdateKind.NOTE,
        actor=actor,
        text=text,
        is_public=public,
    )
    if public:
        report.updated_at = update.created_at
        report.status_notes = text[:500]
        report.save(update_fields=["updated_at", "status_notes"])
        _notify_followers(report, update, exclude_user=actor)
    return update


@transaction.atomic
def report_assign(*, report: Report, actor: Any, department: Any = None, assignee: Any = None) -> Report:
    report = _lock(report)
    if department is not None and department.municipality_id != report.municipality_id:
        raise NotFound(_("Άγνωστη υπηρεσία."), field="department")
    if assignee is not None and getattr(assignee, "municipality_id", None) != report.municipality_id:
        raise NotFound(_("Άγνωστος χειριστής."), field="assignee")
    old = {"department": report.department_id, "assigned_to": report.assigned_to_id}
    if department is not None:
        report.department = department
    report.assigned_to = assignee
    report.save(update_fields=["department", "assigned_to"])
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.ASSIGNMENT,
        actor=actor,
        text=", ".join(
            filter(None, [str(report.department or ""), assignee.get_full_name() if assignee else ""])
        ),
        is_public=False,
    )
    audit_record(
        action="reports.assigned",
        actor=actor,
        obj=report,
        old=old,
        new={"department": report.department_id, "assigned_to": report.assigned_to_id},
    )
    return report


@transaction.atomic
def report_set_priority(*, report: Report, actor: Any, priority: int) -> Report:
    report = _lock(report)
    if priority not in Priority.values:
        raise ValidationFailed(_("Μη έγκυρη προτεραιότητα."), field="priority")
    old = report.priority
    report.priority = priority
    report.save(update_fields=["priority"])
    audit_record(
        action="reports.priority", actor=actor, obj=report, old={"priority": old}, new={"priority": priority}
    )
    return report


@transaction.atomic
def report_merge(*, duplicate: Report, into: Report, actor: Any) -> Report:
    """Mark ``duplicate`` as a duplicate of ``into``; its supporters and subscribers move over."""
    if duplicate.pk == into.pk:
        raise ValidationFailed(_("Μια αναφορά δεν μπορεί να συγχωνευθεί με τον εαυτό της."), field="into")
    if duplicate.municipality_id != into.municipality_id:
        raise NotFound(_("Άγνωστη αναφορά."), field="into")
    first, second = sorted([duplicate, into], key=lambda r: r.pk)
    _lock(first)
    _lock(second)
    duplicate = _lock(duplicate)
    into = _lock(into)
    if not into.is_open:
        raise Conflict(
            _("Η αναφορά στην οποία συγχωνεύετε έχει κλείσει· ανοίξτε την ξανά πρώτα."), field="into"
        )
    if into.duplicate_of_id == duplicate.pk:
        raise Conflict(_("Κυκλική συγχώνευση."), field="into")
    if ReportStatus.DUPLICATE not in TRANSITIONS[duplicate.status]:
        raise TransitionNotAllowed(
            _("Η αναφορά σε κατάσταση «%(a)s» δεν μπορεί να χαρακτηριστεί διπλή.")
            % {"a": duplicate.get_status_display()}
        )
    existing_users = set(into.followers.exclude(user=None).values_list("user_id", flat=True))
    existing_emails = set(into.followers.exclude(email="").values_list("email", flat=True))
    moved = 0
    for follower in duplicate.followers.all():
        if (follower.user_id and follower.user_id in existing_users) or (
            not follower.user_id and follower.email and follower.email in existing_emails
        ):
            follower.delete()
            continue
        follower.report = into
        follower.is_supporter = True  # the duplicate's reporter supports the surviving report
        follower.is_reporter = False
        follower.save(update_fields=["report", "is_supporter", "is_reporter"])
        moved += 1
    into.supporters_count = into.followers.filter(is_supporter=True).count()
    into.updated_at = timezone.now()
    into.save(update_fields=["supporters_count", "updated_at"])
    duplicate.supporters_count = 0
    duplicate.duplicate_of = into
    duplicate.save(update_fields=["supporters_count", "duplicate_of"])
    ReportUpdate.objects.create(
        municipality=into.municipality,
        report=into,
        kind=UpdateKind.MERGE,
        actor=actor,
        text=_("Συγχωνεύθηκε η αναφορά %(ref)s.") % {"ref": duplicate.reference},
        is_public=True,
    )
    report_transition(
        report=duplicate,
        to_status=ReportStatus.DUPLICATE,
        actor=actor,
        comment=_("Διπλή αναφορά της %(ref)s· παρακολουθήστε εκείνη.") % {"ref": into.reference},
    )
    audit_record(action="reports.merged", actor=actor, obj=duplicate, new={"into": into.pk, "moved": moved})
    return into


@transaction.atomic
def report_support(
    *, report: Report, user: Any = None, email: str = "", language: str = "el"
) -> ReportFollower:
    """ "This is my problem too": count a supporter and subscribe them to updates."""
    report = _lock(report)
    if not report.is_open or not report.is_public:
        raise Conflict(_("Η αναφορά δεν είναι ανοιχτή."))
    signed_in = bool(getattr(user, "is_authenticated", False))
    email = (email or "").strip()
    if not signed_in and not email:
        raise ValidationFailed(_("Δώστε e-mail για να λαμβάνετε ενημερώσεις."), field="email")
    qs = (
        report.followers.filter(user=user)
        if signed_in
        else report.followers.filter(user=None, email__iexact=email)
    )
    follower = qs.first()
    if follower is not None:
        if not follower.is_supporter and not follower.is_reporter:
            follower.is_supporter = True
            follower.save(update_fields=["is_supporter"])
            Report.objects.filter(pk=report.pk).update(supporters_count=F("supporters_count") + 1)
        return follower
    follower = ReportFollower.objects.create(
        municipality=report.municipality,
        report=report,
        user=user if signed_in else None,
        email="" if signed_in else email,
        language=language,
        is_supporter=True,
        unsubscribe_token=_token(),
    )
    Report.objects.filter(pk=report.pk).update(supporters_count=F("supporters_count") + 1)
    return follower


@transaction.atomic
def follower_unsubscribe(*, municipality: Municipality, token: str) -> None:
    deleted, _ = ReportFollower.objects.filter(municipality=municipality, unsubscribe_token=token).delete()
    if not deleted:
        raise NotFound(_("Ο σύνδεσμος δεν είναι έγκυρος."))


@transaction.atomic
def report_feedback(*, report: Report, fixed: bool, comment: str = "", actor: Any = None) -> Report:
    """The reporter's answer to "was it fixed?": a "no" reopens the report."""
    report = _lock(report)
    if report.status != ReportStatus.FIXED:
        raise Conflict(_("Η αναφορά δεν έχει χαρακτηριστεί διορθωμένη."))
    comment = validate_description(comment, required=False)
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.FEEDBACK,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        text=(
            _("Ο πολίτης επιβεβαίωσε ότι διορθώθηκε.")
            if fixed
            else _("Ο πολίτης αναφέρει ότι δεν διορθώθηκε.")
        )
        + (f" {comment}" if comment else ""),
        is_public=True,
    )
    if fixed:
        return report_transition(report=report, to_status=ReportStatus.CLOSED, actor=None, public=False)
    return report_transition(
        report=report, to_status=ReportStatus.REOPENED, actor=None, comment=comment, public=True
    )


# --- Open311 client keys --------------------------------------------------------------


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def open311_client_issue(
    *,
    municipality: Municipality,
    name: str,
    contact_email: str = "",
    actor: Any = None,
    raw_key: str | None = None,
) -> tuple[Open311Client, str]:
    """Issue an API key to a client application. The key is returned once; only its hash is stored."""
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("Δώστε το όνομα της εφαρμογής."), field="name")
    raw = raw_key or f"o311_{secrets.token_urlsafe(24)}"
    client = Open311Client.objects.create(
        municipality=municipality,
        name=name[:150],
        contact_email=contact_email,
        key_prefix=raw[:12],
        key_hash=hash_key(raw),
    )
    audit_record(action="reports.open311_key_issued", actor=actor, obj=client)
    return client, raw


def open311_client_for_key(municipality: Municipality, raw: str) -> Open311Client | None:
    if not raw:
        return None
    client = Open311Client.objects.filter(
        municipality=municipality, key_hash=hash_key(raw), is_active=True
    ).first()
    if client is not None and (
        client.last_used_at is None or timezone.now() - client.last_used_at > dt.timedelta(minutes=5)
    ):
        Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client
