"""Settings for the test suite: the normal settings with safe test defaults.

DATABASE_URL, MQTT_URL and the like still come from the environment, so the same
suite runs on SQLite (default) and on PostgreSQL (.ci/run sets DATABASE_URL).
"""

import os

os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DIMOS_DEMO", "true")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0f3c9a7d1e5b48c2a6d9e0b1c2d3e4f5")
os.environ.setdefault("EMAIL_BACKEND", "memory")
os.environ.setdefault("STAFF_TOTP_REQUIRED", "true")

from dimos.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
