from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dimos.core.navigation import MenuEntry, menu, public_nav, staff_nav
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


def nav_items(request: HttpRequest, *, staff: list[Any] | None) -> list[MenuEntry]:
    """The header menu: the citizen menu, or for staff (``staff`` given) a staff menu of their own.

    Staff see their home, what their role may use, and one way back to the citizens' pages.
    """
    urls = _base_urls()
    if staff is None:
        links = [(urls["home"], _("Αρχική")), *((item.url, item.label) for item in public_nav())]
    else:
        links = [
            (urls["staff_home"], _("Χώρος υπηρεσιών")),
            *((item.url, item.label) for item in staff),
            (urls["home"], _("Σελίδες πολιτών")),
        ]
    return menu(links, request.path, homes=frozenset({urls["home"], urls["staff_home"]}))


def platform(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    is_staff = bool(municipality and user is not None and is_staff_of(user, municipality, write=False))
    staff = staff_nav(user) if is_staff else None
    return {
        "municipality": municipality,
        "is_municipal_staff": is_staff,
        "public_nav": public_nav(),
        "staff_nav": staff or [],
        "nav_items": nav_items(request, staff=staff),
        "DIMOS_DEMO": settings.DEMO,
        "urls": _base_urls(),
    }
