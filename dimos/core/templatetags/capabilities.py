"""``{% if request.user|may:"sensors.credentials" %}``: show a control only to whoever may use it.

The decision stays in ``dimos/core/capabilities.py``; a template only asks.
"""

from __future__ import annotations

from typing import Any

from django import template

from dimos.core.capabilities import has_capability

register = template.Library()


@register.filter
def may(user: Any, capability: str) -> bool:
    return has_capability(user, capability)
