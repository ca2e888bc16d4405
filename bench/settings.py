"""Benchmark settings: production-like (DEBUG off) on a database of its own.

``BENCH_DATABASE_URL`` picks the database (default: a SQLite file under data/),
so a benchmark never touches the demo database.
"""

import os
from pathlib import Path

_data = Path(os.environ.get("DIMOS_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{_data / 'bench.sqlite3'}")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-5b1e0c7d9a3f4e2b8c6d0a1f2e3d4c5b")
os.environ.setdefault("ALLOWED_HOSTS", "serres.localhost,irakleia.localhost,testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("EMAIL_BACKEND", "memory")
os.environ.setdefault("LOG_LEVEL", "ERROR")

from dimos.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_THROTTLE_RATES": {
        "anon": None,
        "user": None,
        "public": None,
    },
}
