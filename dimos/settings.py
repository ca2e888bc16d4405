"""Django settings for Dimos, read from environment variables (see .env.example).

The embedded default needs nothing: SQLite in ``data/``, the database as the task
queue, local-memory cache. Production sets ``DEBUG=false``, ``SECRET_KEY``,
``ALLOWED_HOSTS`` and ``DATABASE_URL`` (PostgreSQL), and passes ``check --deploy``.
"""

from __future__ import annotations

import importlib.util
import ipaddress
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dimos.env import env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("DIMOS_DATA_DIR", str(BASE_DIR / "data"))).resolve()

DEBUG = env_bool("DEBUG", False)
# The demo switch enables the development stand-in for TaxisNet login and other
# conveniences. It is refused outright when DEBUG is off, so a production
# deployment can never accept a fake identity.
DEMO = env_bool("DIMOS_DEMO", False)
if DEMO and not DEBUG:
    raise ImproperlyConfigured("DIMOS_DEMO=true requires DEBUG=true; never enable it in production.")

_DEV_SECRET = "dimos-insecure-development-key-never-use-in-production-0123456789"
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is false.")
if not DEBUG and SECRET_KEY == _DEV_SECRET:
    raise ImproperlyConfigured("The development SECRET_KEY must not be used with DEBUG=false.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS",
    ["127.0.0.1", "localhost", "[::1]", "testserver", ".localhost"] if DEBUG else [],
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "dimos.core",
    "dimos.accounts",
    # Domain apps, in the order of the citizen menu and of the demo seed (the
    # sensors' rules open reports, so reports are seeded first).
    "dimos.eservices",
    "dimos.reports",
    "dimos.sensors",
    "dimos.appointments",
    "dimos.schools",
    "dimos.opendata",
    "dimos.dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dimos.core.metrics.MetricsMiddleware",
    "dimos.core.middleware.RequestContextMiddleware",
    "csp.middleware.CSPMiddleware",
    "dimos.core.middleware.PermissionsPolicyMiddleware",
    "dimos.core.badinput.HostileInputMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dimos.core.middleware.GreekFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dimos.core.middleware.MunicipalityMiddleware",
]
if not DEBUG:
    # Production serves its collected static files itself (below, "Files"); development and
    # the tests let runserver and the live server serve them from the apps' folders.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "dimos.urls"
WSGI_APPLICATION = "dimos.wsgi.application"
ASGI_APPLICATION = "dimos.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dimos" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dimos.core.context_processors.platform",
            ],
        },
    },
]

# --- Database -----------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'dimos.sqlite3'}")
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0, minimum=0))
if _db["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside one writer; IMMEDIATE transactions take the
    # write lock at BEGIN, so two concurrent writers queue on busy_timeout
    # instead of failing mid-transaction with "database is locked".
    _db["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    _db["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME", "")} if env_str("SQLITE_TEST_NAME", "") else {}
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["TEST"] = {"NAME": env_str("POSTGRES_TEST_NAME", "")} if env_str("POSTGRES_TEST_NAME", "") else {}
else:
    raise ImproperlyConfigured("DATABASE_URL must be sqlite:// or postgres://")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------
CACHE_URL = env_str("CACHE_URL", "locmem://")
if CACHE_URL.startswith("redis://") or CACHE_URL.startswith("rediss://"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
elif CACHE_URL == "locmem://":
    # Per process (the demo and development); production sets CACHE_URL=redis://…
    # (the deploy check refuses a local-memory cache with DEBUG off).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
else:
    raise ImproperlyConfigured("CACHE_URL must be locmem:// or redis://host:port/db")

# Sessions live in the database only: they can hold personal data (a pending
# sign-in, a phone number being confirmed), and personal data never goes into the
# cache (docs/architecture.md, "Caches").
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# --- Auth -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["dimos.core.auth.DimosModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Staff must confirm a TOTP code after their password. Off only in the demo.
STAFF_TOTP_REQUIRED = env_bool("STAFF_TOTP_REQUIRED", not DEBUG)
LOGIN_THROTTLE_ATTEMPTS = env_int("LOGIN_THROTTLE_ATTEMPTS", 5, minimum=1)
LOGIN_THROTTLE_WINDOW = env_int("LOGIN_THROTTLE_WINDOW", 900, minimum=1)
# Failures from one address before it is refused for the accounts that failed from it
# (never for others: an office shares one NAT address). See dimos/accounts/throttle.py.
# How long an administrator's one-time TOTP enrolment code stays valid (dimos/accounts/enrolment.py).
TOTP_ENROLMENT_CODE_HOURS = env_int("TOTP_ENROLMENT_CODE_HOURS", 72, minimum=1)
LOGIN_THROTTLE_ADDRESS_ATTEMPTS = env_int("LOGIN_THROTTLE_ADDRESS_ATTEMPTS", 50, minimum=1)

# Citizen identity providers (gov.gr / TaxisNet OAuth 2.0, generic OIDC).
TAXISNET_CLIENT_ID = env_str("TAXISNET_CLIENT_ID", "")
TAXISNET_CLIENT_SECRET = env_str("TAXISNET_CLIENT_SECRET", "")
TAXISNET_BASE_URL = env_str("TAXISNET_BASE_URL", "https://test.gsis.gr/oauth2server")
TAXISNET_SCOPE = env_str("TAXISNET_SCOPE", "read")
OIDC_ISSUER = env_str("OIDC_ISSUER", "")
OIDC_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_LABEL = env_str("OIDC_LABEL", "OpenID Connect")
DIMOS_DEV_LOGIN = DEMO and DEBUG

# --- Internationalisation -------------------------------------------------------
LANGUAGE_CODE = "el"
LANGUAGES = [("el", _("Ελληνικά")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dimos" / "locale"]
TIME_ZONE = "Europe/Athens"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "dimos_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
# One format for each thing (dates «03/12/2026», «1.890,00»): dimos/formats/<lang>/formats.py.
# USE_THOUSAND_SEPARATOR stays off: it would also group years and ids («2.026»);
# amounts and counts are grouped where they are written (the money/number filters).
FORMAT_MODULE_PATH = ["dimos.formats"]

# --- Files ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
# Leaflet comes from the django-leaflet package; its app is not installed (it
# needs GDAL for the admin widgets), only its static files are served:
# /static/leaflet/leaflet.js. htmx comes from django-htmx (an installed app).
STATICFILES_DIRS = [
    BASE_DIR / "dimos" / "static",
    Path(importlib.util.find_spec("leaflet").origin).parent / "static",
]
# In production static files are served by the application itself through WhiteNoise:
# compressed, with content-hashed names cached for a year; nginx in front only
# terminates TLS (docs/deploy/). Development and the test suite serve them unhashed,
# straight from the apps' folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Uploads are private: there is deliberately no MEDIA_URL route; files are
# served only by permission-checked views.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------
EMAIL_BACKEND = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}[env_choice("EMAIL_BACKEND", ("console", "file", "smtp", "memory"), "file" if DEBUG else "smtp")]
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dimos <noreply@dimos.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMS_BACKEND = env_str("SMS_BACKEND", "dimos.core.sms.ConsoleSmsBackend")

# --- Tenancy --------------------------------------------------------------------
# Requests for a host name no municipality claims fall back to this one; empty
# means such requests get a 404.
DIMOS_DEFAULT_MUNICIPALITY = env_str("DIMOS_DEFAULT_MUNICIPALITY", "serres")
DIMOS_PUBLIC_BASE_URL = env_str("DIMOS_PUBLIC_BASE_URL", "")
# Without a base URL, links in e-mails are http(s)://<first host name>[:port]; the
# port is this one (0: none). ``demo_serve`` sets it to the port it listens on.
DIMOS_PUBLIC_PORT = env_int("DIMOS_PUBLIC_PORT", 0, minimum=0)
# Open311 POST requests per hour, per client address and per API key (dimos/reports/throttle.py).
OPEN311_POSTS_PER_ADDRESS_PER_HOUR = env_int("OPEN311_POSTS_PER_ADDRESS_PER_HOUR", 60, minimum=1)
OPEN311_POSTS_PER_KEY_PER_HOUR = env_int("OPEN311_POSTS_PER_KEY_PER_HOUR", 600, minimum=1)
# How long an anonymous NGSI-LD listing may be served from the shared micro-cache
# (dimos/sensors/ngsild/listing.py); 0 turns it off.
SENSORS_NGSILD_LISTING_CACHE_SECONDS = env_int("SENSORS_NGSILD_LISTING_CACHE_SECONDS", 2, minimum=0)

# --- Tasks ----------------------------------------------------------------------
TASKS_MAX_ATTEMPTS = env_int("TASKS_MAX_ATTEMPTS", 5, minimum=1)
TASKS_LEASE_SECONDS = env_int("TASKS_LEASE_SECONDS", 300, minimum=10)
# A school asset file checked (dry run) but never applied or discarded is deleted after this many hours.
SCHOOLS_IMPORT_MAX_AGE_HOURS = env_int("SCHOOLS_IMPORT_MAX_AGE_HOURS", 24, minimum=1)

# --- REST API -------------------------------------------------------------------
# Deepest nesting of arrays and objects accepted in a JSON body on every JSON door
# (REST, NGSI-LD, the HTTP batch, MQTT): our payloads need fewer than ten levels.
JSON_MAX_DEPTH = env_int("JSON_MAX_DEPTH", 32, minimum=8)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dimos.core.problems.problem_exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "dimos.core.badinput.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/min"),
        "user": env_str("API_THROTTLE_USER", "600/min"),
        "public": env_str("API_THROTTLE_PUBLIC", "120/min"),
    },
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Dimos API",
    "DESCRIPTION": "REST API of the Dimos smart-municipality platform. Errors are RFC 9457 problem details.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI from the sidecar package: no CDN, works offline.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "dimos.sensors.openapi.add_readings_batch",  # a plain Django view, described by hand
    ],
}

# --- Security -------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# /healthz is probed over plain HTTP by load balancers inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Reverse proxies whose X-Forwarded-For is believed (the nginx in front: 127.0.0.1).
# Empty: REMOTE_ADDR is the client (dimos/core/middleware.py, client_ip).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", [])
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): no inline script anywhere, styles only from our
# static files plus the one nonce'd <style> of the layout (the municipality's colour);
# map tiles from OpenStreetMap. Swagger UI (/api/docs/) ships an inline bootstrap
# script and keeps its own page without the policy.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/api/docs/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org", "https://*.tile.openstreetmap.org"],
        "connect-src": [SELF],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
# Permissions-Policy (dimos/core/middleware.py): the report form may ask for the
# visitor's location; nothing may use the camera, microphone, payment or USB.
PERMISSIONS_POLICY = "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), interest-cohort=()"

# --- Metrics (dimos/core/metrics.py) ---------------------------------------------
# /metrics answers a bearer token or the operators' networks only; neither set: it is off.
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
METRICS_ALLOWED_NETWORKS = env_list("METRICS_ALLOWED_NETWORKS", [])
try:
    for _network in METRICS_ALLOWED_NETWORKS:
        ipaddress.ip_network(_network, strict=False)
except ValueError as _error:
    raise ImproperlyConfigured(f"METRICS_ALLOWED_NETWORKS: {_error}") from _error

# --- Logging --------------------------------------------------------------------
# Log lines never carry personal data (see docs/architecture.md, Privacy).
# LOG_FORMAT=json (the production default) writes one JSON object per line for a log collector.
LOG_FORMAT = env_choice("LOG_FORMAT", ("plain", "json"), "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING" if not DEBUG else "INFO"}},
}
