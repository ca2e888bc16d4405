"""The registry of alarm actions: what may happen when a rule opens an alarm.

An action is a plugin with a typed contract (``AlarmAction``): a name stored in
``Rule.actions``, a label for the rule form, the function run (by the task queue,
after the alarm is committed) and an optional check of the rule when it is saved.
An app registers its actions from its ``AppConfig.ready()``:

    from dimos.sensors.actions import alarm_actions

    @alarm_actions.register("report", label=_("Άνοιγμα αναφοράς"), check_rule=needs_category)
    def open_report(alarm: Alarm) -> None: ...

An action may also say what happens when the alarm clears by itself (the value
returned): ``on_clear(alarm, value)``, run by the task queue after the automatic
resolution is committed — the ``report`` action resolves its report there.

A rule can only name a registered action (``rule_save`` refuses the others), and an
action that is no longer registered when the alarm fires is skipped with a warning.
``notify`` (an e-mail to the rule's department) is registered here; ``report`` by the
reporting app (``dimos/reports/sensor_actions.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dimos.core.exceptions import ValidationFailed
from dimos.core.services import notify

if TYPE_CHECKING:
    from dimos.sensors.models import Alarm, Rule

log = logging.getLogger("dimos.sensors")


class AlarmActionRun(Protocol):
    """Run once per alarm; may be retried, so it must be idempotent."""

    def __call__(self, alarm: Alarm) -> None: ...


class AlarmClearRun(Protocol):
    """Run once when the alarm clears by itself at ``value``; may be retried (idempotent)."""

    def __call__(self, alarm: Alarm, value: Any) -> None: ...


class RuleCheck(Protocol):
    """Refuse a rule that cannot run the action (raise ``ValidationFailed`` with the field)."""

    def __call__(self, rule: Rule) -> None: ...


@dataclass(frozen=True)
class AlarmAction:
    name: str
    label: Any  # a (lazy) translated string, shown in the rule form
    run: AlarmActionRun
    check_rule: RuleCheck | None = None
    on_clear: AlarmClearRun | None = None


class AlarmActionRegistry:
    def __init__(self) -> None:
        self._actions: dict[str, AlarmAction] = {}

    def register(
        self,
        name: str,
        *,
        label: Any,
        check_rule: RuleCheck | None = None,
        on_clear: AlarmClearRun | None = None,
    ) -> Callable[[AlarmActionRun], AlarmActionRun]:
        """Decorator: register ``func`` as the action ``name``."""

        def decorator(func: AlarmActionRun) -> AlarmActionRun:
            existing = self._actions.get(name)
            if existing is not None and _qualname(existing.run) != _qualname(func):
                raise ImproperlyConfigured(
                    f"Alarm action {name!r} is already registered by {_qualname(existing.run)}."
                )
            self._actions[name] = AlarmAction(
                name=name, label=label, run=func, check_rule=check_rule, on_clear=on_clear
            )
            return func

        return decorator

    def unregister(self, name: str) -> None:
        self._actions.pop(name, None)

    def get(self, name: str) -> AlarmAction | None:
        return self._actions.get(name)

    def __contains__(self, name: object) -> bool:
        return name in self._actions

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._actions))

    def choices(self) -> list[tuple[str, Any]]:
        """(name, label) of every registered action, for the rule form."""
        return [(a.name, a.label) for a in sorted(self._actions.values(), key=lambda a: a.name)]

    def check_rule(self, rule: Rule) -> None:
        """Every action the rule names exists and accepts the rule."""
        unknown = [name for name in rule.actions if name not in self._actions]
        if unknown:
            raise ValidationFailed(
                _("Μη διαθέσιμη ενέργεια: %(names)s.") % {"names": ", ".join(unknown)}, field="actions"
            )
        for name in rule.actions:
            check = self._actions[name].check_rule
            if check is not None:
                check(rule)


def _qualname(func: Callable[..., Any]) -> str:
    return f"{func.__module__}.{func.__qualname__}"


alarm_actions = AlarmActionRegistry()
# The old name, kept for one release (``"report" in ACTIONS`` still works).
ACTIONS = alarm_actions


def _needs_department(rule: Rule) -> None:
    if rule.department is None:
        raise ValidationFailed(_("Επιλέξτε την υπηρεσία που ειδοποιείται."), field="department")


@alarm_actions.register(
    "notify", label=gettext_lazy("Ειδοποίηση της υπηρεσίας"), check_rule=_needs_department
)
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
