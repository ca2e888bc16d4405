"""Shared test fixtures and the rules for tests that need real services.

Tests marked ``postgres``, ``mqtt`` or ``browser`` need PostgreSQL, an MQTT
broker or Chromium. On a newcomer's machine they skip with the reason; under
``CI=true`` a missing broker or browser fails the run instead (.ci/run starts
them), and ``postgres`` tests run in the PostgreSQL pass of .ci/run.
"""

from __future__ import annotations

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest

CI = os.environ.get("CI", "").lower() == "true"


def _broker_reachable() -> bool:
    url = urlparse(os.environ.get("MQTT_URL", "mqtt://127.0.0.1:1883"))
    try:
        with socket.create_connection((url.hostname or "127.0.0.1", url.port or 1883), timeout=1):
            return True
    except OSError:
        return False


def chromium_path() -> str | None:
    path = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    return path if os.path.exists(path) else shutil.which("chromium")


def _playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres"):
        from django.conf import settings

        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            pytest.skip(
                "needs PostgreSQL: runs in the PostgreSQL pass of .ci/run"
                if CI
                else "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/dimos"
            )
    if item.get_closest_marker("mqtt") and not _broker_reachable():
        if CI:
            pytest.fail("CI=true but no MQTT broker at MQTT_URL (default 127.0.0.1:1883)")
        pytest.skip("needs an MQTT broker at MQTT_URL (mosquitto -d), skipped")
    if item.get_closest_marker("browser") and not (chromium_path() and _playwright_available()):
        if CI:
            pytest.fail("CI=true but Chromium (/usr/bin/chromium) or Playwright is missing")
        pytest.skip("needs Chromium (apt-get install chromium) and Playwright, skipped")


@pytest.fixture(autouse=True)
def _isolated_settings(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # type: ignore[attr-defined,operator]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # type: ignore[attr-defined]
    settings.SMS_BACKEND = "dimos.core.sms.MemorySmsBackend"  # type: ignore[attr-defined]
    from django.core.cache import cache
    from django.utils import translation

    cache.clear()
    # The test client's requests may leave another language active in this thread.
    translation.activate("el")


# --- Tenants and people (alice & bob at Serres, charlie at the neighbour) -------

from dimos.core.testing import *  # noqa: E402,F403  (fixtures: serres, irakleia, alice, bob, charlie, …)
from dimos.core.testing_browser import open_browser  # noqa: E402,F401
