from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from dimos.core.navigation import public_nav, staff_nav
from dimos.core.tenancy import is_staff_of


@lru_cache(maxsize=1)
def _base_urls() -> dict[str, str]:
    """URLs used on every page, reversed once per process (reverse() is not free)."""
    return {
        "home": reverse("core:home"),
        "staff_home": reverse("core:staff_home"),
        "login": reverse("accounts:login"),
        "logout": reverse("accounts:logout"),
        "account": reverse("accounts:account"),
        "lang_el": reverse("core:switch_language", args=["el"]),
        "lang_en": reverse("core:switch_language", args=["en"]),
        "accessibility": reverse("core:accessibility"),
        "privacy": reverse("core:privacy"),
        "api_docs": reverse("api-docs"),
    }


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
        "urls": _base_urls(),
    }
