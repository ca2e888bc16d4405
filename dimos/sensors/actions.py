"""The registry of alarm actions a rule may name.

``notify``: an e-mail to the rule's department. ``report``: a report in the
reporting module routed like a citizen report; it is registered only when the
reporting module provides ``report_create_from_system`` (so a rule can never name
an action that cannot run).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from dimos.core.services import notify
from dimos.sensors.models import Alarm

log = logging.getLogger("dimos.sensors")
ACTIONS: dict[str, Callable[[Alarm], None]] = {}


def action(name: str) -> Callable[[Callable[[Alarm], None]], Callable[[Alarm], None]]:
    def register(func: Callable[[Alarm], None]) -> Callable[[Alarm], None]:
        ACTIONS[name] = func
        return func

    return register


@action("notify")
def notify_department(alarm: Alarm) -> None:
    department = alarm.rule.department or alarm.device.department
    if department is None or not department.email:
        log.warning("alarm #%s: no department e-mail to notify", alarm.pk)
        return
    notify(
        municipality=alarm.municipality,
        key="sensors.alarm_opened",
        context={
            "alarm": alarm,
            "device": alarm.device,
            "rule": alarm.rule,
        },
        email=department.email,
    )


def _report_create() -> Callable[..., object] | None:
    try:
        module = importlib.import_module("dimos.reports.services")
    except ModuleNotFoundError:
        return None
    return getattr(module, "report_create_from_system", None)


if _report_create() is not None:

    @action("report")
    def open_report(alarm: Alarm) -> None:
        if alarm.report_ref:
            return  # a retried task must not open a second report
        device = alarm.device
        if device.lat is None or device.lon is None:
            log.warning("alarm #%s: device has no location, no report opened", alarm.pk)
            return
        create = _report_create()
        assert create is not None
        report = create(
            municipality=alarm.municipality,
            category_code=alarm.rule.report_category,
            lat=device.lat,
            lon=device.lon,
            description=f"{alarm.message} — {device.name or device.ngsi_id} ({device.type.name_el})",
            external_ref=f"sensors:alarm:{alarm.pk}",
            source="sensor",
        )
        ref = getattr(report, "reference", "") or getattr(report, "pk", "")
        Alarm.objects.filter(pk=alarm.pk).update(report_ref=str(ref)[:60])
