"""Benchmark settings: production-like (DEBUG off) on a database of its own.

A benchmark drops and recreates its database, so it never runs on the demo's:
``BENCH_DATABASE_URL`` picks the database, else ``DATABASE_URL`` when the name of
its database contains "bench" (``DATABASE_URL=postgres://postgres@127.0.0.1:5432/dimos_bench``),
else a SQLite file under data/. The cache is this process's local memory
(``BENCH_CACHE_URL`` to change it): the page benchmarks empty it before every
measured request, which must never flush a shared Redis.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

_data = Path(os.environ.get("DIMOS_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))
_given = os.environ.get("DATABASE_URL", "")
_default = (
    _given if "bench" in urlsplit(_given).path.rsplit("/", 1)[-1] else f"sqlite:///{_data / 'bench.sqlite3'}"
)
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", _default)
os.environ["CACHE_URL"] = os.environ.get("BENCH_CACHE_URL", "locmem://")
os.environ.setdefault("DEBUG", "false")
# Persistent connections, as .env.example sets for production: a page must not pay a new
# PostgreSQL connection per request (that would inflate the floor and flatter the ratios).
os.environ.setdefault("DB_CONN_MAX_AGE", "60")
os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-5b1e0c7d9a3f4e2b8c6d0a1f2e3d4c5b")
os.environ.setdefault("ALLOWED_HOSTS", "serres.localhost,irakleia.localhost,testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SESSION_COOKIE_SECURE", "false")
os.environ.setdefault("CSRF_COOKIE_SECURE", "false")
os.environ.setdefault("EMAIL_BACKEND", "memory")
os.environ.setdefault("LOG_LEVEL", "ERROR")

from dimos.settings import *  # noqa: E402,F403

ROOT_URLCONF = "bench.urls"
# The layout floor's template (bench/templates/bench/layout_floor.html) lives beside the benchmarks.
TEMPLATES = [
    {**TEMPLATES[0], "DIRS": [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]},  # noqa: F405
    *TEMPLATES[1:],  # noqa: F405
]
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
# Pages are measured without collectstatic: {% static %} names the files as they are in the apps.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The benchmarks post thousands of reports from one address with one key.
OPEN311_POSTS_PER_ADDRESS_PER_HOUR = OPEN311_POSTS_PER_KEY_PER_HOUR = 10**9
