"""Reads of the e-services app; every one takes the municipality explicitly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.utils import timezone

from dimos.core.capabilities import ROLE_CAPABILITIES, Capability, has_capability
from dimos.core.models import Department, Municipality
from dimos.core.search import search_q
from dimos.core.workdays import add_working_days
from dimos.eservices.constants import ACTIVE_STATUSES, DUE_SOON_WORKING_DAYS, OPEN_STATUSES, Status
from dimos.eservices.models import Application, ApplicationEvent, IssuedDocument, ProtocolEntry, Service


def service_list(
    *, municipality: Municipality, include_inactive: bool = False, query: str = ""
) -> QuerySet[Service]:
    """The catalogue; ``query`` is accent- and case-blind over titles and descriptions, in both languages."""
    qs = Service.objects.filter(municipality=municipality).select_related("department")
    if query.strip():
        qs = qs.filter(search_q(query))
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


def departments_handled(*, municipality: Municipality, user: Any) -> QuerySet[Department]:
    """The departments whose applications ``user`` handles (``may_handle_application`` as a query).

    Everything with ``eservices.all_departments``; otherwise their own department
    and the offices directly under it; nothing without ``eservices.handle``.
    """
    qs = Department.objects.filter(municipality=municipality).order_by("name_el")
    if not has_capability(user, Capability.ESERVICES_HANDLE):
        return qs.none()
    if has_capability(user, Capability.ESERVICES_ALL_DEPARTMENTS):
        return qs
    own = getattr(user, "department_id", None)
    if own is None:
        return qs.none()
    return qs.filter(Q(pk=own) | Q(parent_id=own))


def _scoped(
    qs: QuerySet[Application], department_id: int | None, department_ids: Collection[int] | None
) -> QuerySet[Application]:
    if department_id:
        qs = qs.filter(department_id=department_id)
    if department_ids is not None:
        qs = qs.filter(department_id__in=list(department_ids))
    return qs


def application_queue(
    *,
    municipality: Municipality,
    department_id: int | None = None,
    department_ids: Collection[int] | None = None,
    view: str = "open",
    assignee: Any = None,
    today: dt.date | None = None,
) -> QuerySet[Application]:
    """The clerk's queue: one department (or all), filtered by view, earliest deadline first.

    ``department_ids`` limits it to the departments the reader handles (``None``: no limit).
    """
    today = today or timezone.localdate()
    qs = _scoped(
        Application.objects.filter(municipality=municipality).exclude(status=Status.DRAFT),
        department_id,
        department_ids,
    )
    if view == "open":
        qs = qs.filter(status__in=ACTIVE_STATUSES)
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


QUEUE_COUNT_CAP = 1000


def queue_counts(
    *,
    municipality: Municipality,
    department_id: int | None,
    department_ids: Collection[int] | None = None,
    today: dt.date | None = None,
) -> dict[str, int | str]:
    """The tab counts of the clerk's queue, each counted to ``QUEUE_COUNT_CAP`` ("1000+").

    One query of four capped sub-counts: each walks at most ``QUEUE_COUNT_CAP + 1``
    index entries, so the page costs the same with 1,000 applications as with
    100,000, where four full counts grew with every application ever filed.
    """
    from django.core.exceptions import EmptyResultSet
    from django.db import connection

    today = today or timezone.localdate()
    qs = _scoped(
        Application.objects.filter(municipality=municipality).exclude(status=Status.DRAFT),
        department_id,
        department_ids,
    )
    soon = due_soon_limit(municipality, today)
    tabs = {
        "open": qs.filter(status__in=ACTIVE_STATUSES),
        "overdue": qs.filter(status__in=OPEN_STATUSES, deadline__lt=today),
        "due_soon": qs.filter(status__in=OPEN_STATUSES, deadline__gte=today, deadline__lte=soon),
        "awaiting": qs.filter(status=Status.AWAITING_CITIZEN),
    }
    parts, params = [], []
    for key, rows in tabs.items():
        try:
            sql, sub_params = rows.order_by().values("pk")[: QUEUE_COUNT_CAP + 1].query.sql_with_params()
        except EmptyResultSet:  # e.g. no department handled: nothing to count, no SQL to run
            parts.append("0")
            continue
        # The SQL is Django's own compiled query, its values stay parameters.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) AS {key})")  # noqa: S608
        params.extend(sub_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        found = cursor.fetchone()
    return {
        key: f"{QUEUE_COUNT_CAP}+" if n > QUEUE_COUNT_CAP else n for key, n in zip(tabs, found, strict=True)
    }


def application_get_for_staff(*, municipality: Municipality, pk: int) -> Application | None:
    return (
        Application.objects.filter(municipality=municipality, pk=pk)
        .select_related("service", "protocol", "assignee", "department", "citizen")
        .first()
    )


def possible_assignees(application: Application) -> QuerySet[Any]:
    """Staff a head may give ``application`` to: those who may handle it (its department's
    staff, the head of the directorate above it, and those who handle every department)."""
    handlers = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.ESERVICES_HANDLE in caps]
    everywhere = [r for r, caps in ROLE_CAPABILITIES.items() if Capability.ESERVICES_ALL_DEPARTMENTS in caps]
    department = application.department
    near = Q(role__in=everywhere)
    if department is not None:
        near |= Q(department_id=department.pk)
        if department.parent_id is not None:
            near |= Q(department_id=department.parent_id)
    return (
        get_user_model()
        .objects.filter(municipality_id=application.municipality_id, is_active=True, role__in=handlers)
        .filter(near)
        .order_by("last_name", "username")
    )


def register_entries(*, municipality: Municipality, start: dt.date, end: dt.date) -> QuerySet[ProtocolEntry]:
    """Entries registered between two dates (inclusive, local time), in number order."""
    tz = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return ProtocolEntry.objects.filter(
        municipality=municipality, registered_at__gte=since, registered_at__lt=until
    ).order_by("year", "number")


def documents_for_application(application: Application) -> QuerySet[IssuedDocument]:
    return application.documents.select_related("protocol").order_by("-issued_at")


@dataclass(frozen=True)
class DocumentSummary:
    """What the public verification shows of a document.

    Kept in the shared verification cache, so it holds no personal data: not the
    holder, not the application, nothing the citizen typed.
    """

    pk: int
    code: str
    title: str
    protocol_label: str
    issued_at: dt.datetime
    status: str
    status_changed_at: dt.datetime | None
    sha256: str
    superseded_by_code: str
    superseded_by_protocol_label: str


_SUMMARY_COLUMNS = (
    "pk", "title", "issued_at", "status", "status_changed_at", "sha256", "protocol__number", "protocol__year",
    "superseded_by__code", "superseded_by__protocol__number", "superseded_by__protocol__year",
)  # fmt: skip


def document_summary_for_code(*, municipality: Municipality, code: str) -> DocumentSummary | None:
    """The municipality's document with this verification code, as the public may see it."""
    row = (
        IssuedDocument.objects.filter(municipality=municipality, code=code).values(*_SUMMARY_COLUMNS).first()
    )
    if row is None:
        return None
    newer = row["superseded_by__code"] or ""
    return DocumentSummary(
        pk=row["pk"],
        code=code,
        title=row["title"],
        protocol_label=f"{row['protocol__number']}/{row['protocol__year']}",
        issued_at=row["issued_at"],
        status=row["status"],
        status_changed_at=row["status_changed_at"],
        sha256=row["sha256"],
        superseded_by_code=newer,
        superseded_by_protocol_label=(
            f"{row['superseded_by__protocol__number']}/{row['superseded_by__protocol__year']}"
            if newer
            else ""
        ),
    )
