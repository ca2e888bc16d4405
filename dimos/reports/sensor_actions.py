"""The ``report`` alarm action: a sensor alarm opens a report in the reporting module,
routed like a citizen report. Registered from ``ReportsConfig.ready()``.

The ticket's lifecycle follows the alarm's:

- at most one open report per device and rule (``external_ref``
  ``sensors:device:<id>:rule:<id>``): an alarm that recurs while its report is
  still open adds a public update to it instead of opening another;
- when the alarm clears by itself, the report gets a public update and is resolved
  (``fixed``) — unless staff have taken it in hand (assigned it, moved it on from
  «Υποβλήθηκε», or written on it): then it stays open and staff are told.

Public texts are sentences (``dimos.sensors.alarm_text``), never attribute names.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.core.exceptions import ValidationFailed
from dimos.core.services import notify
from dimos.reports.constants import ReportStatus
from dimos.reports.models import Report
from dimos.reports.services import report_comment, report_create_from_system, report_transition
from dimos.sensors.actions import alarm_actions
from dimos.sensors.alarm_text import alarm_phrase
from dimos.sensors.models import Alarm, Rule

log = logging.getLogger("dimos.sensors")


def _needs_category(rule: Rule) -> None:
    if not rule.report_category:
        raise ValidationFailed(_("Δώστε την κατηγορία της αναφοράς."), field="report_category")


def external_ref(alarm: Alarm) -> str:
    """One open report per device and rule, whichever alarm of theirs opened it."""
    return f"sensors:device:{alarm.device_id}:rule:{alarm.rule_id}"


def _open_report(alarm: Alarm) -> Report | None:
    """The open report of the alarm's device and rule, locked until the end of the transaction."""
    # ``sensors:alarm:<id>``: reports opened before the lifecycle, one per alarm.
    refs = [external_ref(alarm), f"sensors:alarm:{alarm.pk}"]
    return (
        Report.objects.select_for_update()
        .filter(municipality=alarm.municipality, external_ref__in=refs, is_open=True)
        .order_by("pk")
        .first()
    )


def taken_in_hand(report: Report) -> bool:
    """Staff have acted on the report: assigned it, changed its status or written on it."""
    return (
        report.assigned_to_id is not None
        or report.status != ReportStatus.SUBMITTED
        or report.updates.filter(actor__isnull=False).exists()
    )


def _clear_on_report(alarm: Alarm, value: Any) -> None:
    """The alarm cleared: resolve its open report, or tell the staff who handle it."""
    with transaction.atomic():
        report = _open_report(alarm)
        if report is None:
            return
        phrase = alarm_phrase(alarm.rule, value, cleared=True)
        if not taken_in_hand(report):
            with translation.override(settings.LANGUAGE_CODE):
                text = _("%(what)s Η αναφορά επιλύθηκε αυτόματα σύμφωνα με τον αισθητήρα.") % {"what": phrase}
            report_transition(report=report, to_status=ReportStatus.FIXED, actor=None, comment=text)
            return
        with translation.override(settings.LANGUAGE_CODE):
            text = _("Σύμφωνα με τον αισθητήρα: %(what)s Η υπηρεσία θα ενημερώσει για την αναφορά.") % {
                "what": phrase
            }
        report_comment(report=report, actor=None, text=text, public=True)
        department = report.department or alarm.rule.department or alarm.device.department
        handler = report.assigned_to
        email = (handler.email if handler is not None else "") or getattr(department, "email", "")
        if not email:
            log.warning("alarm #%s: no one to tell that report %s may be resolved", alarm.pk, report)
            return
        notify(
            municipality=alarm.municipality,
            key="sensors.alarm_cleared",
            context={"alarm": alarm, "device": alarm.device, "report": report, "what": phrase},
            user=handler,
            email=email,
        )


@alarm_actions.register(
    "report",
    label=gettext_lazy("Άνοιγμα αναφοράς στο σύστημα αναφορών"),
    check_rule=_needs_category,
    on_clear=_clear_on_report,
)
def open_report(alarm: Alarm) -> None:
    """Idempotent: a retried task finds the alarm's report and opens no second one."""
    if alarm.report_ref:
        return
    device = alarm.device
    if device.lat is None or device.lon is None:
        log.warning("alarm #%s: device has no location, no report opened", alarm.pk)
        return
    if alarm.resolved_at is not None:
        return  # it cleared before this task ran: nothing left to repair
    phrase = alarm_phrase(alarm.rule, alarm.value)
    with transaction.atomic():
        report = _open_report(alarm)
        if report is not None:
            with translation.override(settings.LANGUAGE_CODE):
                text = _("Νέα ειδοποίηση του αισθητήρα: %(what)s") % {"what": phrase}
            report_comment(report=report, actor=None, text=text, public=True)
        else:
            place = device.name or device.ngsi_id
            report = report_create_from_system(
                municipality=alarm.municipality,
                category_code=alarm.rule.report_category,
                lat=device.lat,
                lon=device.lon,
                description=f"{phrase} — {place} ({device.type.name_el})",
                external_ref=external_ref(alarm),
                source="sensor",
            )
        Alarm.objects.filter(pk=alarm.pk).update(report_ref=str(report.reference)[:60])
