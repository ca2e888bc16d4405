"""``{{ event.action|audit_label }}``: the translated label of an audit action code."""

from __future__ import annotations

from django import template

from dimos.core.audit_actions import audit_action_label

register = template.Library()


@register.filter
def audit_label(code: str) -> str:
    return audit_action_label(code)
