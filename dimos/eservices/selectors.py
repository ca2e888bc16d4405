"""Reads of the e-services app; every one takes the municipality explicitly."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from dimos.core.models import Municipality
from dimos.core.workdays import add_working_days
from dimos.eservices.constants import DUE_SOON_WORKING_DAYS, OPEN_STATUSES, Status
from dimos.eservices.models import Application, ApplicationEvent, IssuedDocument, ProtocolEntry, Service


def service_list(*, municipality: Municipality, include_inactive: bool = False) -> QuerySet[Service]:
    qs = Service.objects.filter(municipality=municipality).select_related("department")
    return qs if include_inactive else qs.filter(is_active=True)


def service_get(*, municipality: Municipality, slug: str) -> Service | None:
    return service_list(municipality=municipality).filter(slug=slug).first()


def application_list_for_citizen(*, municipality: Municipality, citizen: Any) -> QuerySet[Application]:
    return (
        Application.objects.filter(municipality=municipality, citizen=citizen)
        .select_related("service", "protocol")
        .order_by("-created_at")
    )


def application_get_for_citizen(*, municipality: Municipality, citizen: Any, pk: int) -> Application | None:
    return application_list_for_citizen(municipality=municipality, citizen=citizen).filter(pk=pk).first()


def citizen_timeline(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.filter(visible_to_citizen=True).select_related("actor")


def staff_timeline(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.all().select_related("actor")


def due_soon_limit(municipality: Municipality, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    return add_working_days(today, DUE_SOON_WORKING_DAYS, tuple(municipality.local_holidays or ()))


QUEUE_VIEWS = ("open", "mine", "overdue", "due_soon", "awaiting", "done", "all")


def application_queue(
    *,
    municipality: Municipality,
    department_id: int | None = None,
    view: str = "open",
    assignee: Any = None,
    today: dt.date | None = None,
) -> QuerySet[Application]:
    """The clerk's queue: one department (or all), filtered by view, earliest deadline first."""
    today = today or timezone.localdate()
    qs = Application.objects.filter(municipality=municipality).exclude(status=Status.DRAFT)
    if department_id:
        qs = qs.filter(department_id=department_id)
    if view == "open":
        qs = qs.filter(
            status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN, Status.APPROVED]
        )
    elif view == "mine":
        qs = qs.filter(assignee=assignee).exclude(status__in=[Status.CLOSED, Status.REJECTED, Status.ISSUED])
    elif view == "overdue":
        qs = qs.filter(status__in=OPEN_STATUSES, deadline__lt=today)
    elif view == "due_soon":
        qs = qs.filter(
            status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=due_soon_limit(municipality, today)
        )
    elif view == "awaiting":
        qs = qs.filter(status=Status.AWAITING_CITIZEN)
    elif view == "done":
        qs = qs.filter(status__in=[Status.ISSUED, Status.REJECTED, Status.CLOSED])
    return (
        qs.select_related("service", "protocol", "assignee", "citizen")
        .only(
            "pk",
            "status",
            "deadline",
            "paused_on",
            "assignee_id",
            "municipality_id",
            "service__title_el",
            "service__title_en",
            "protocol__year",
            "protocol__number",
            "citizen__first_name",
            "citizen__last_name",
            "citizen__username",
            "assignee__first_name",
            "assignee__last_name",
            "assignee__username",
        )
        .order_by("deadline", "pk")
    )


def queue_counts(
    *, municipality: Municipality, department_id: int | None, today: dt.date | None = None
) -> dict[str, int]:
    from django.db.models import Count

    today = today or timezone.localdate()
    qs = Application.objects.filter(municipality=municipality).exclude(status=Status.DRAFT)
    if department_id:
        qs = qs.filter(department_id=department_id)
    soon = due_soon_limit(municipality, today)
    return qs.aggregate(
        open=Count(
            "pk",
            filter=Q(
                status__in=[Status.SUBMITTED, Status.IN_REVIEW, Status.AWAITING_CITIZEN, Status.APPROVED]
            ),
        ),
        overdue=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__lt=today)),
        due_soon=Count("pk", filter=Q(status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=soon)),
        awaiting=Count("pk", filter=Q(status=Status.AWAITING_CITIZEN)),
    )


def application_get_for_staff(*, municipality: Municipality, pk: int) -> Application | None:
    return (
        Application.objects.filter(municipality=municipality, pk=pk)
        .select_related("service", "protocol", "assignee", "department", "citizen")
        .first()
    )


def register_entries(*, municipality: Municipality, start: dt.date, end: dt.date) -> QuerySet[ProtocolEntry]:
    """Entries registered between two dates (inclusive, local time), in number order."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return ProtocolEntry.objects.filter(
        municipality=municipality, registered_at__gte=since, registered_at__lt=until
    ).order_by("year", "number")


def document_for_code(*, municipality: Municipality, code: str) -> IssuedDocument | None:
    """The municipality's document with this verification code."""
    return (
        IssuedDocument.objects.filter(municipality=municipality, code=code)
        .select_related("protocol", "municipality", "superseded_by__protocol")
        .only(
            "pk",
            "code",
            "title",
            "issued_at",
            "status",
            "status_changed_at",
            "sha256",
            "sealed",
            "municipality_id",
            "protocol__year",
            "protocol__number",
            "municipality__name_el",
            "municipality__name_en",
            "superseded_by__protocol__year",
            "superseded_by__protocol__number",
            "superseded_by__code",
        )
        .first()
    )


def documents_for_application(application: Application) -> QuerySet[IssuedDocument]:
    return application.documents.select_related("protocol").order_by("-issued_at")


@dataclass(frozen=True)
class _EntryLabel:
    label: str


@dataclass(frozen=True)
class _Superseding:
    code: str
    protocol: _EntryLabel


@dataclass(frozen=True)
class DocumentSummary:
    """What the public verification page shows of a document (no personal data)."""

    pk: int
    code: str
    title: str
    issued_at: dt.datetime
    status: str
    status_changed_at: dt.datetime | None
    protocol: _EntryLabel
    municipality: Municipality
    superseded_by: _Superseding | None


def _aware(value: Any) -> Any:
    """A datetime column as an aware datetime (SQLite returns text, naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and timezone.is_naive(value):
        value = value.replace(tzinfo=dt.UTC)
    return value


@lru_cache(maxsize=1)
def _document_summary_sql() -> str:
    qn = connection.ops.quote_name
    doc, entry = qn(IssuedDocument._meta.db_table), qn(ProtocolEntry._meta.db_table)
    return (
        "SELECT d.id, d.title, d.issued_at, d.status, d.status_changed_at, p.year, p.number, "  # noqa: S608
        "s.code, sp.year, sp.number "
        f"FROM {doc} d INNER JOIN {entry} p ON p.id = d.protocol_id "
        f"LEFT JOIN {doc} s ON s.id = d.superseded_by_id LEFT JOIN {entry} sp ON sp.id = s.protocol_id "
        "WHERE d.code = %s AND d.municipality_id = %s"
    )


def document_summary_for_code(*, municipality: Municipality, code: str) -> DocumentSummary | None:
    """``document_for_code`` for the public page: one fixed statement, no model instances.

    It runs on every public lookup, so it skips the ORM's query compilation.
    """
    with connection.cursor() as cursor:
        cursor.execute(_document_summary_sql(), [code, municipality.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, title, issued_at, status, changed_at, year, number, s_code, s_year, s_number = row
    return DocumentSummary(
        pk=pk,
        code=code,
        title=title,
        issued_at=_aware(issued_at),
        status=status,
        status_changed_at=_aware(changed_at),
        protocol=_EntryLabel(f"{number}/{year}"),
        municipality=municipality,
        superseded_by=_Superseding(s_code, _EntryLabel(f"{s_number}/{s_year}")) if s_code else None,
    )
