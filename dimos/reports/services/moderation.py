"""Moderation of a report's public text: what the public sees of the citizen's description and address.

At intake the public text is the citizen's text with personal data masked
(``mask_personal_data``). Staff with ``reports.moderate`` who handle the report
may edit it (a name, a licence plate or an insult the automatic mask missed);
the original stays as the citizen wrote it, and each edit is an audit event.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dimos.core.capabilities import Capability, has_capability, may_handle_report
from dimos.core.exceptions import PermissionDenied, ValidationFailed
from dimos.core.services import audit_record
from dimos.reports.models import Report
from dimos.reports.services.validation import validate_description
from dimos.reports.services.workflow import lock


@transaction.atomic
def report_public_text_edit(
    *, report: Report, actor: Any, public_description: str, public_address: str
) -> Report:
    """Replace the public description and address of ``report``; audited with the old and new text."""
    if not has_capability(actor, Capability.REPORTS_MODERATE) or not may_handle_report(
        actor, report.department_id
    ):
        raise PermissionDenied(_("Ο ρόλος σας δεν επιτρέπει την επιμέλεια του δημόσιου κειμένου."))
    report = lock(report)
    description = validate_description(public_description, required=False)
    address = (public_address or "").strip()
    if len(address) > 250:
        raise ValidationFailed(_("Το σημείο είναι έως 250 χαρακτήρες."), field="public_address")
    old = {"public_description": report.public_description, "public_address": report.public_address}
    new = {"public_description": description, "public_address": address}
    if old == new:
        return report
    report.public_description = description
    report.public_address = address
    report.updated_at = timezone.now()
    report.save(update_fields=["public_description", "public_address", "updated_at"])
    audit_record(action="reports.public_text_edited", actor=actor, obj=report, old=old, new=new)
    return report
