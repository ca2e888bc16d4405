"""Followers of a report: supporters ("my problem too") and subscribers to its updates."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from dimos.core.exceptions import Conflict, NotFound, ValidationFailed
from dimos.core.models import Municipality
from dimos.reports.models import Report, ReportFollower
from dimos.reports.services.links import new_token
from dimos.reports.services.workflow import lock


@transaction.atomic
def report_support(
    *, report: Report, user: Any = None, email: str = "", language: str = "el"
) -> ReportFollower:
    """ "This is my problem too": count a supporter and subscribe them to updates."""
    report = lock(report)
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
        unsubscribe_token=new_token(),
    )
    Report.objects.filter(pk=report.pk).update(supporters_count=F("supporters_count") + 1)
    return follower


@transaction.atomic
def follower_unsubscribe(*, municipality: Municipality, token: str) -> int:
    """Stop the updates of the follower with this link's token; the number of followers removed."""
    deleted, _detail = ReportFollower.objects.filter(
        municipality=municipality, unsubscribe_token=token
    ).delete()
    if not deleted:
        raise NotFound(_("Ο σύνδεσμος δεν είναι έγκυρος."))
    return deleted
