"""Rules and alarms: evaluation of new states, the alarm workflow, rule validation."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from dimos.core.exceptions import NotFound, TransitionNotAllowed, ValidationFailed
from dimos.core.models import Municipality
from dimos.core.services import audit_record
from dimos.core.tasks import task_enqueue
from dimos.sensors import schemas
from dimos.sensors.actions import alarm_actions
from dimos.sensors.alarm_text import alarm_phrase
from dimos.sensors.constants import ALARM_TRANSITIONS, AlarmStatus, Direction, RuleKind
from dimos.sensors.labels import alarm_text
from dimos.sensors.models import Alarm, AlarmEvent, Device, Rule

log = logging.getLogger("dimos.sensors")


def rule_decision(rule: Rule, values: dict[str, Any]) -> str | None:
    """ "trip", "clear" or None (no information, or inside the hysteresis band)."""
    if rule.kind == RuleKind.SILENT:
        return "clear"  # any reading ends a silence
    if rule.attribute not in values:
        return None
    value = values[rule.attribute]
    if rule.kind == RuleKind.STATUS:
        bad = value in rule.status_values or (
            isinstance(value, list) and any(v in rule.status_values for v in value)
        )
        return "trip" if bad else "clear"
    if not isinstance(value, int | float) or rule.threshold is None:
        return None
    clear = rule.clear_threshold if rule.clear_threshold is not None else rule.threshold
    if rule.direction == Direction.BELOW:
        if value < rule.threshold:
            return "trip"
        return "clear" if value >= clear else None
    if value > rule.threshold:
        return "trip"
    return "clear" if value <= clear else None


@dataclass
class KnownRules:
    """The active rules of a write's device types and the devices' open alarms, already read
    (the single-entity NGSI-LD path reads them in its one device lookup, so that
    ``rules_evaluate`` needs no query unless an alarm opens or clears)."""

    by_type: dict[int, list[Rule]] = field(default_factory=dict)
    open_alarm_ids: dict[tuple[int, int], int] = field(default_factory=dict)  # (device, rule) → alarm


def rules_evaluate(
    *,
    municipality: Municipality,
    states: list[tuple[Device, Any]],
    now: datetime | None = None,
    known: KnownRules | None = None,
) -> list[Alarm]:
    """Open and auto-resolve alarms for new states; two queries for the whole batch (none with ``known``)."""
    now = now or timezone.now()
    rules_by_type: dict[int, list[Rule]] = defaultdict(list)
    if known is not None:
        rules_by_type.update({t: rules for t, rules in known.by_type.items() if rules})
    else:
        type_ids = {d.type_id for d, _ in states}
        for rule in Rule.objects.select_related("type").filter(
            municipality=municipality, type_id__in=type_ids, is_active=True
        ):
            rules_by_type[rule.type_id].append(rule)
    if not rules_by_type:
        return []
    relevant = [(d, s) for d, s in states if d.type_id in rules_by_type]
    open_alarms: dict[tuple[int, int], Any]
    if known is not None:
        open_alarms = dict(known.open_alarm_ids)
    else:
        open_alarms = {
            (a.device_id, a.rule_id): a
            for a in Alarm.objects.filter(
                municipality=municipality,
                device_id__in=[d.pk for d, _ in relevant],
                status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED],
            )
        }
    opened = []
    for device, state in relevant:
        for rule in rules_by_type[device.type_id]:
            decision = rule_decision(rule, state.values)
            alarm = open_alarms.get((device.pk, rule.pk))
            if decision == "trip" and alarm is None:
                value = state.values.get(rule.attribute)
                created = alarm_open(device=device, rule=rule, value=value, now=now)
                if created is not None:
                    opened.append(created)
            elif decision == "clear" and alarm is not None:
                if not isinstance(alarm, Alarm):
                    # Known by id only: lock and re-read it (a person may have moved it meanwhile).
                    alarm = (
                        Alarm.objects.select_for_update()
                        .filter(pk=alarm, status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED])
                        .first()
                    )
                    if alarm is None:
                        continue
                alarm_clear(alarm, value=state.values.get(rule.attribute), rule=rule)
    return opened


def alarm_clear(alarm: Alarm, *, value: Any, rule: Rule) -> Alarm:
    """Resolve an alarm whose value returned, and tell its actions (after commit, as a task).

    The actions decide what the clearing means for what they opened: the ``report``
    action resolves its report with a public update, or tells staff who handle it."""
    phrase = alarm_phrase(rule, value, cleared=True)
    with translation.override(settings.LANGUAGE_CODE):
        comment = _("Αυτόματη επίλυση: %(what)s") % {"what": phrase}
    _alarm_move(alarm, AlarmStatus.RESOLVED, actor=None, comment=comment)
    if any(getattr(alarm_actions.get(name), "on_clear", None) for name in rule.actions):
        task_enqueue("sensors.alarm_actions", {"alarm_id": alarm.pk, "event": "clear", "value": value})
    return alarm


def alarm_open(*, device: Device, rule: Rule, value: Any, now: datetime | None = None) -> Alarm | None:
    """Open an alarm unless one is already open for this device and rule.

    The message is stored data, read later by anyone: it is written in the site's
    language, whatever the language of the request whose readings tripped the rule."""
    with translation.override(settings.LANGUAGE_CODE):
        message = alarm_text(rule=rule, type_code=device.type.code, value=value)
    try:
        with transaction.atomic():
            alarm = Alarm.objects.create(
                municipality_id=device.municipality_id,
                device=device,
                rule=rule,
                value=value,
                message=message[:300],
                opened_at=now or timezone.now(),
            )
    except IntegrityError:
        return None  # a concurrent batch opened it: one open alarm per device and rule
    AlarmEvent.objects.create(
        municipality_id=alarm.municipality_id, alarm=alarm, to_status=AlarmStatus.OPEN, comment=message
    )
    if rule.actions:
        task_enqueue("sensors.alarm_actions", {"alarm_id": alarm.pk})
    return alarm


def _alarm_move(alarm: Alarm, to_status: str, *, actor: Any, comment: str = "") -> Alarm:
    if to_status not in ALARM_TRANSITIONS.get(alarm.status, frozenset()):
        raise TransitionNotAllowed(
            _("Ο συναγερμός δεν μπορεί να περάσει από «%(from)s» σε «%(to)s».")
            % {"from": AlarmStatus(alarm.status).label, "to": AlarmStatus(to_status).label}
        )
    previous = alarm.status
    alarm.status = to_status
    now = timezone.now()
    if to_status == AlarmStatus.ACKNOWLEDGED:
        alarm.acknowledged_at = now
        if actor is not None and alarm.assignee_id is None:
            alarm.assignee = actor
    if to_status == AlarmStatus.RESOLVED:
        alarm.resolved_at = now
    alarm.save(update_fields=["status", "acknowledged_at", "resolved_at", "assignee"])
    AlarmEvent.objects.create(
        municipality_id=alarm.municipality_id,
        alarm=alarm,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        from_status=previous,
        to_status=to_status,
        comment=comment,
    )
    audit_record(
        action="sensors.alarm_transition",
        actor=actor,
        obj=alarm,
        municipality=alarm.municipality,
        old={"status": previous},
        new={"status": to_status},
    )
    return alarm


@transaction.atomic
def alarm_transition(
    *,
    municipality: Municipality,
    alarm_id: int,
    to_status: str,
    actor: Any,
    comment: str = "",
    assignee: Any = None,
) -> Alarm:
    alarm = Alarm.objects.select_for_update().filter(municipality=municipality, pk=alarm_id).first()
    if alarm is None:
        raise NotFound(_("Ο συναγερμός δεν βρέθηκε."))
    if to_status not in AlarmStatus.values:
        raise ValidationFailed(_("Άγνωστη κατάσταση συναγερμού."), field="status")
    if assignee is not None:
        if getattr(assignee, "municipality_id", None) != municipality.pk:
            raise ValidationFailed(_("Ο υπάλληλος δεν ανήκει στον δήμο."), field="assignee")
        alarm.assignee = assignee
    return _alarm_move(alarm, to_status, actor=actor, comment=comment)


@transaction.atomic
def alarms_check_silent(*, municipality: Municipality, now: datetime | None = None) -> list[Alarm]:
    """Open "silent for N hours" alarms for devices with no recent reading."""
    now = now or timezone.now()
    opened = []
    silent_rules = Rule.objects.select_related("type").filter(
        municipality=municipality, kind=RuleKind.SILENT, is_active=True
    )
    for rule in silent_rules:
        if not rule.silent_hours:
            continue
        cutoff = now - timedelta(hours=rule.silent_hours)
        silent = (
            Device.objects.filter(municipality=municipality, type_id=rule.type_id, created_at__lt=cutoff)
            .filter(Q(state__isnull=True) | Q(state__received_at__lt=cutoff))
            .exclude(alarms__rule=rule, alarms__status__in=[AlarmStatus.OPEN, AlarmStatus.ACKNOWLEDGED])
        )
        for device in silent:
            alarm = alarm_open(device=device, rule=rule, value=None, now=now)
            if alarm is not None:
                opened.append(alarm)
    return opened


def alarm_run_actions(*, alarm_id: int, event: str = "open", value: Any = None) -> None:
    """Run the rule's actions (the ``sensors.alarm_actions`` task, after the alarm is committed).

    ``event`` is ``"open"`` (the alarm opened: ``run``) or ``"clear"`` (it cleared by
    itself at ``value``: ``on_clear``, for the actions that have one)."""
    alarm = Alarm.objects.select_related("rule", "device", "device__type", "municipality").get(pk=alarm_id)
    for name in alarm.rule.actions:
        action = alarm_actions.get(name)
        if action is None:
            log.warning("alarm #%s: action %r is not available", alarm.pk, name)
            continue
        if event == "clear":
            if action.on_clear is not None:
                action.on_clear(alarm, value)
        else:
            action.run(alarm)


@transaction.atomic
def rule_save(*, rule: Rule, actor: Any) -> Rule:
    """Validate a rule against its type's schema and save it."""
    spec = schemas.TYPES[rule.type.code]
    if rule.kind in (RuleKind.THRESHOLD, RuleKind.STATUS):
        attr = spec.attrs.get(rule.attribute)
        if attr is None or not attr.measured:
            raise ValidationFailed(_("Το χαρακτηριστικό δεν μετράται από αυτόν τον τύπο."), field="attribute")
        if rule.kind == RuleKind.THRESHOLD:
            if attr.kind not in ("number", "integer"):
                raise ValidationFailed(_("Όριο τιμής μόνο σε αριθμητικά χαρακτηριστικά."), field="attribute")
            if rule.threshold is None:
                raise ValidationFailed(_("Δώστε όριο ενεργοποίησης."), field="threshold")
            if rule.clear_threshold is not None and (
                (rule.direction == Direction.ABOVE and rule.clear_threshold > rule.threshold)
                or (rule.direction == Direction.BELOW and rule.clear_threshold < rule.threshold)
            ):
                raise ValidationFailed(
                    _("Το όριο αποκατάστασης πρέπει να είναι στην «καλή» πλευρά του ορίου ενεργοποίησης."),
                    field="clear_threshold",
                )
        else:
            bad = [v for v in rule.status_values if v not in attr.values]
            if not rule.status_values or bad:
                raise ValidationFailed(
                    _("Επιλέξτε τιμές από: %(values)s.") % {"values": ", ".join(attr.values)},
                    field="status_values",
                )
    elif not rule.silent_hours:
        raise ValidationFailed(_("Δώστε πόσες ώρες σιωπής ενεργοποιούν τον συναγερμό."), field="silent_hours")
    alarm_actions.check_rule(rule)
    created = rule.pk is None
    rule.save()
    audit_record(action="sensors.rule_created" if created else "sensors.rule_updated", actor=actor, obj=rule)
    return rule
