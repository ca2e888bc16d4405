"""Which schools controls to show: the user's capabilities, decided in ``dimos/core/capabilities.py``.

A write control is shown only to someone who may use it (the views refuse the
others anyway); templates ask ``{% if user|may:"schools.manage" %}``.
"""

from __future__ import annotations

from typing import Any

from django import template

from dimos.core.capabilities import has_capability

register = template.Library()


@register.filter
def may(user: Any, capability: str) -> bool:
    return has_capability(user, capability)
