"""The life of a report after intake: status changes, updates, assignment, priority, merging, feedback.

Every change locks the report row, checks the transition table, writes an
append-only ``ReportUpdate`` and notifies followers (durable task rows written in
the same transaction).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability, handles_department, has_capability, may_handle_report
from dimos.core.exceptions import Conflict, NotFound, PermissionDenied, TransitionNotAllowed, ValidationFailed
from dimos.core.privacy import mask_personal_data
from dimos.core.services import audit_record, notify
from dimos.core.tasks import task_enqueue
from dimos.reports.constants import OPEN_STATUSES, TRANSITIONS, Priority, ReportStatus, UpdateKind
from dimos.reports.models import Report, ReportUpdate
from dimos.reports.services.links import public_url
from dimos.reports.services.validation import validate_description


def lock(report: Report) -> Report:
    """The report row, locked until the end of the transaction."""
    return Report.objects.select_for_update().select_related("municipality", "category").get(pk=report.pk)


def report_forward(*, report: Report, actor: Any, comment: str) -> None:
    """Hand the report to its category's external body (the e-mail goes out on commit)."""
    body = report.external_body
    old = report.status
    report.status = ReportStatus.FORWARDED
    report.is_open = True
    report.department = None
    report.updated_at = timezone.now()
    report.status_notes = (comment or "")[:500]
    report.save(update_fields=["status", "is_open", "department", "updated_at", "status_notes"])
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.FORWARD,
        actor=actor,
        from_status=old,
        to_status=ReportStatus.FORWARDED,
        comment=comment or _("Η αναφορά διαβιβάστηκε στον φορέα: %(body)s.") % {"body": body.name_el},
        is_public=True,
    )
    task_enqueue("reports.forward_to_body", {"report_id": report.pk})


def _notify_followers(report: Report, update: ReportUpdate, *, exclude_user: Any = None) -> None:
    context = {
        "report": report,
        "reference": report.reference,
        "status": ReportStatus(report.status).label,
        "text": update.comment,
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
    report = lock(report)
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
        report_forward(report=report, actor=actor, comment=comment)
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
        comment=comment,
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
    report = lock(report)
    text = validate_description(text)
    update = ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.PUBLIC if public else UpdateKind.NOTE,
        actor=actor,
        comment=text,
        is_public=public,
    )
    if public:
        report.updated_at = update.created_at
        report.status_notes = text[:500]
        report.save(update_fields=["updated_at", "status_notes"])
        _notify_followers(report, update, exclude_user=actor)
    return update


def _check_assignment(report: Report, actor: Any, department: Any, assignee: Any) -> None:
    """A head reassigns within their department (and the offices under it); the administrator anywhere.

    The assignee must be someone who may handle reports of the department the report goes to.
    """
    if not has_capability(actor, Capability.REPORTS_ASSIGN) or not may_handle_report(
        actor, report.department_id
    ):
        raise PermissionDenied(_("Ο ρόλος σας δεν επιτρέπει την ανάθεση αυτής της αναφοράς."))
    target = department.pk if department is not None else report.department_id
    if department is not None and not handles_department(
        actor, department.pk, all_departments=Capability.REPORTS_ALL_DEPARTMENTS
    ):
        raise PermissionDenied(
            _("Μπορείτε να αναθέσετε μόνο μέσα στην υπηρεσία σας και στα τμήματά της."), field="department"
        )
    if assignee is not None and not may_handle_report(assignee, target):
        raise ValidationFailed(
            _("Ο χειριστής δεν χειρίζεται αναφορές αυτής της υπηρεσίας."), field="assignee"
        )


@transaction.atomic
def report_assign(*, report: Report, actor: Any, department: Any = None, assignee: Any = None) -> Report:
    report = lock(report)
    if department is not None and department.municipality_id != report.municipality_id:
        raise NotFound(_("Άγνωστη υπηρεσία."), field="department")
    if assignee is not None and getattr(assignee, "municipality_id", None) != report.municipality_id:
        raise NotFound(_("Άγνωστος χειριστής."), field="assignee")
    _check_assignment(report, actor, department, assignee)
    old = {"department": report.department_id, "assigned_to": report.assigned_to_id}
    if department is not None:
        report.department = department
    report.assigned_to = assignee
    report.updated_at = timezone.now()
    report.save(update_fields=["department", "assigned_to", "updated_at"])
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.ASSIGNMENT,
        actor=actor,
        comment=", ".join(
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
    report = lock(report)
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
    lock(first)
    lock(second)
    duplicate = lock(duplicate)
    into = lock(into)
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
        comment=_("Συγχωνεύθηκε η αναφορά %(ref)s.") % {"ref": duplicate.reference},
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
def report_feedback(*, report: Report, fixed: bool, comment: str = "", actor: Any = None) -> Report:
    """The reporter's answer to "was it fixed?": a "no" reopens the report.

    The comment is public (the page, Open311 updates) with personal data masked;
    when masking changed it, staff keep the original as an internal note.
    """
    report = lock(report)
    if report.status != ReportStatus.FIXED:
        raise Conflict(_("Η αναφορά δεν έχει χαρακτηριστεί διορθωμένη."))
    original = validate_description(comment, required=False)
    comment = mask_personal_data(original)
    citizen = actor if getattr(actor, "is_authenticated", False) else None
    if comment != original:
        ReportUpdate.objects.create(
            municipality=report.municipality,
            report=report,
            kind=UpdateKind.NOTE,
            actor=citizen,
            comment=original,
            is_public=False,
        )
    ReportUpdate.objects.create(
        municipality=report.municipality,
        report=report,
        kind=UpdateKind.FEEDBACK,
        actor=citizen,
        comment=(
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
