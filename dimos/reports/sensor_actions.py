"""The ``report`` alarm action: a sensor alarm opens a report in the reporting module,
routed like a citizen report. Registered from ``ReportsConfig.ready()``."""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.core.exceptions import ValidationFailed
from dimos.reports.services import report_create_from_system
from dimos.sensors.actions import alarm_actions
from dimos.sensors.models import Alarm, Rule

log = logging.getLogger("dimos.sensors")


def _needs_category(rule: Rule) -> None:
    if not rule.report_category:
        raise ValidationFailed(_("Δώστε την κατηγορία της αναφοράς."), field="report_category")


@alarm_actions.register(
    "report", label=gettext_lazy("Άνοιγμα αναφοράς στο σύστημα αναφορών"), check_rule=_needs_category
)
def open_report(alarm: Alarm) -> None:
    """Idempotent: a retried task finds the alarm's report and opens no second one."""
    if alarm.report_ref:
        return
    device = alarm.device
    if device.lat is None or device.lon is None:
        log.warning("alarm #%s: device has no location, no report opened", alarm.pk)
        return
    report = report_create_from_system(
        municipality=alarm.municipality,
        category_code=alarm.rule.report_category,
        lat=device.lat,
        lon=device.lon,
        description=f"{alarm.message} — {device.name or device.ngsi_id} ({device.type.name_el})",
        external_ref=f"sensors:alarm:{alarm.pk}",
        source="sensor",
    )
    Alarm.objects.filter(pk=alarm.pk).update(report_ref=str(report.reference)[:60])
