"""Thaw's settings: one module, driven by environment variables.

Safe defaults for a teacher's laptop (SQLite in ./var); production is the same
file with DEBUG off, a real SECRET_KEY and possibly DATABASE_URL=postgres://...
"""

import datetime
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("THAW_VAR_DIR", BASE_DIR / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random string, "
            "or DEBUG=1 for local development (`make run` does this for you)."
        )
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - DEBUG only
elif not DEBUG and (len(SECRET_KEY) < 32 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for DEBUG=0: use 32+ random characters.")

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "axes",
    "corpus",
    "quizzes",
    "lessons",
    # LTI 1.3 registrations, deployments and Thaw's keys (django-lti; lessons/lti uses it).
    "lti_tool",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "config.charset.RequestCharsetMiddleware",  # a body not in UTF-8: a 400 page, not a 500
    # Outside the session and CSRF middleware: in the LMS's iframe, their cookies go SameSite=None.
    "lessons.lti.framing.LtiCookieMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lessons.accounts.middleware.PasswordChangeRequiredMiddleware",  # roster accounts: own password first
    "csp.middleware.CSPMiddleware",
    # Inside CSP and X-Frame-Options: after an LMS launch, its site may frame Thaw's pages.
    "lessons.lti.framing.LtiFramingMiddleware",
    "config.errors.DatabaseUnavailableMiddleware",  # a refused write: a 503 page, not a 500
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite by default; PostgreSQL with DATABASE_URL=postgres://user:pass@host/db.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'thaw.sqlite3'}",
        conn_max_age=0,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite cannot create the folder its file lives in; a fresh checkout has no var/.
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # Tuned for a web server: WAL lets readers run beside the one writer,
    # IMMEDIATE transactions take the write lock up front (so two writers
    # queue on busy_timeout instead of failing with "database is locked"
    # half-way through), synchronous=NORMAL is safe with WAL.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA busy_timeout=20000;"
            "PRAGMA foreign_keys=ON;"
        ),
    }
    # One connection per worker, kept between requests: opening one (and running the
    # PRAGMAs above, and SQLite reading the schema) cost about 3 ms of CPU per request
    # under gunicorn, more than the quiz views themselves (docs/performance.md).
    DATABASES["default"]["CONN_MAX_AGE"] = None
else:
    # Django's own psycopg connection pool (Django 5.1+): a worker keeps its connection
    # instead of opening one per request. One open per process (more only for threads):
    # a sync worker runs one request at a time, and psycopg's default of four per process
    # makes app servers × workers × 4 connections, past PostgreSQL's max_connections (100)
    # at three servers of nine workers (docs/deployment.md).
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = (
        {"min_size": 1, "max_size": 4} if env_bool("DATABASE_POOL", True) else False
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and sessions -------------------------------------------------------
# Sessions are read from a cache and written through to the database (`cached_db`):
# reading the session row was a query on every request. The cache is files in
# VAR_DIR, so every worker process on this machine shares it and a logout (which
# deletes the cached copy) takes effect in all of them at once; a per-process cache
# (locmem) would keep a logged-out session alive in the other workers. A miss or an
# evicted file only means a read from the database. See docs/decisions.md.
# More than one app server: CACHE_URL (or REDIS_URL) names a Redis server they all
# use, so sessions, a logout, throttling and rate limits are the same on every host;
# a cache on each host's disk would keep a session alive on the hosts where the
# logout did not happen (docs/deployment.md, docs/decisions.md).
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL:
    if urlsplit(CACHE_URL).scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            "CACHE_URL must be a Redis URL: redis://host:6379/0, rediss://... or unix://..."
        )
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "thaw",  # a Redis shared with other apps keeps our keys apart
            # A Redis that stops answering fails the request in seconds, never holds a worker.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            # Beyond this many files a third are dropped at the next write (a login):
            # room for a large school's sessions, few enough that the scan stays quick.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Log-in throttling is lessons.accounts.login_throttle (progressive delays per username, a limit per
# address across usernames, lifted by a teacher from the class page): axes' lockout of a
# username on the school's one address was a way to keep a classmate out of a test.
# django-axes still records every attempt (admin: Axes) but locks nobody out.
AXES_LOCK_OUT_AT_FAILURE = False
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Lockouts are logged, but without who or where: no personal data in logs.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password"]
# Cut to the column's length: a longer username was a 500 on PostgreSQL.
AXES_USERNAME_CALLABLE = "lessons.accounts.roles.axes_username"
# Behind a load balancer every request comes from the balancer's address: the browser's
# is the one the balancer appended to X-Forwarded-For (config/client_address.py).
AXES_CLIENT_IP_CALLABLE = "config.client_address.client_address"
# The balancers' addresses (comma-separated), whose X-Forwarded-For is believed.
TRUSTED_PROXIES = frozenset(
    a.strip() for a in os.environ.get("TRUSTED_PROXIES", "").split(",") if a.strip()
)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "modules:home"
LOGOUT_REDIRECT_URL = "modules:home"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security ---------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads nothing from it: the token is in hx-headers
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HTTPS-only settings are opt-in: a school may run Thaw on a LAN without TLS.
HTTPS = env_bool("HTTPS", default=False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None

# Content-Security-Policy (django-csp): only our own scripts, styles, images and
# fonts; no inline script, no eval. htmx is configured by its meta tag for this.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- Thaw -------------------------------------------------------------------
# The shipped corpus; benchmarks and tests point this at a copy they may change.
CORPUS_DATA_DIR = Path(os.environ.get("THAW_CORPUS_DATA_DIR", BASE_DIR / "corpus" / "data"))
CORPUS_MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# The longest grace after a quiz's deadline for an answer in flight, in seconds; a timed
# quiz gets a twentieth of its time limit up to this (quizzes.taking.grace).
QUIZ_GRACE_SECONDS = int(os.environ.get("QUIZ_GRACE_SECONDS", "60"))
# A generated question at or above this quality score is published; below it, it waits for a
# curator (quizzes.generation.balancing.publish_threshold; docs/question-format.md).
QUESTION_PUBLISH_THRESHOLD = 0.7
