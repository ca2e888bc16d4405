from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from dimos.core.navigation import public_nav, staff_nav
from dimos.core.tenancy import is_staff_of


def platform(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    is_staff = bool(municipality and user is not None and is_staff_of(user, municipality, write=False))
    return {
        "municipality": municipality,
        "is_municipal_staff": is_staff,
        "public_nav": public_nav(),
        "staff_nav": staff_nav(user) if is_staff else [],
        "DIMOS_DEMO": settings.DEMO,
    }
