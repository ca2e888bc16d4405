"""System checks for configuration mistakes the deploy check does not know."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def dimos_deploy_checks(app_configs: Any, **kwargs: Any) -> list[Error]:
    errors = []
    if settings.DIMOS_DEV_LOGIN:
        errors.append(Error("The development TaxisNet stand-in is enabled.", id="dimos.E001"))
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        errors.append(
            Error(
                "Production runs on PostgreSQL; set DATABASE_URL=postgres://…",
                hint="SQLite is the embedded default for demos and development.",
                id="dimos.E002",
            )
        )
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith(("LocMemCache", "DummyCache")):
        errors.append(
            Error(
                "Production needs a cache shared by every process; set CACHE_URL=redis://…",
                hint=(
                    "A local-memory cache is per process: login lock-outs, rate limits and the "
                    "invalidation of shared public caches would not reach the other workers."
                ),
                id="dimos.E004",
            )
        )
    if not settings.STAFF_TOTP_REQUIRED:
        errors.append(Error("Staff TOTP second factor must be required in production.", id="dimos.E003"))
    return errors
