"""Django settings for imsk.web, read from the environment (see ``.env.example`` and ``docs/web.md``).

Development works with nothing set: DEBUG on, SQLite in ``var/imsk.sqlite3``, a development secret
key. Production (``DJANGO_DEBUG=false``) refuses the development key and requires
``DJANGO_ALLOWED_HOSTS``. Times are stored in UTC and shown in Europe/London.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from imsk.web.env import database_from_url, env_bool, env_int, env_list, env_str
from imsk.web.errors import SettingsError

WEB_DIR = Path(__file__).resolve().parent
BASE_DIR = WEB_DIR.parents[2]  # the repository: src/imsk/web -> repo
VAR_DIR = BASE_DIR / "var"

DEVELOPMENT_SECRET_KEY = "django-insecure-imsk-development-only-never-in-production"  # noqa: S105

DEBUG = env_bool("DJANGO_DEBUG", default=True)
SECRET_KEY = env_str("DJANGO_SECRET_KEY", DEVELOPMENT_SECRET_KEY)
if not DEBUG and SECRET_KEY == DEVELOPMENT_SECRET_KEY:
    raise SettingsError("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is false")

ALLOWED_HOSTS = env_list(
    "DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise SettingsError("DJANGO_ALLOWED_HOSTS must be set when DJANGO_DEBUG is false")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "imsk.web.accounts",
    "imsk.web.audit",
    "imsk.web.dashboard",
    "imsk.web.referrals",
    "imsk.web.api",
    "imsk.web.triage",
    "imsk.web.clinics",
    "imsk.web.consultations",
    "imsk.web.outcomes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "imsk.web.middleware.PagesOnlyMiddleware",  # PAGE_MIDDLEWARE, or API_MIDDLEWARE for /api/
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
# What the pages need (sessions, language, CSRF, the signed-in user, messages), in Django's order;
# the key-authenticated JSON API under /api/ uses none of it (imsk.web.middleware).
PAGE_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
API_MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]  # Content-Length, APPEND_SLASH
# "CSRF middleware not in MIDDLEWARE": it is in PAGE_MIDDLEWARE, and PagesOnlyMiddleware refuses to
# start without it there (tests/web/test_middleware.py posts a page without a token).
SILENCED_SYSTEM_CHECKS = ["security.W003"]

ROOT_URLCONF = "imsk.web.urls"
WSGI_APPLICATION = "imsk.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [WEB_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "imsk.web.context_processors.navigation",
            ],
        },
    },
]

_DEFAULT_SQLITE = VAR_DIR / "imsk.sqlite3"
DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", f"sqlite:///{_DEFAULT_SQLITE.relative_to(BASE_DIR)}"),
        base_dir=BASE_DIR,
    )
}
# Persistent connections (seconds; 0 = a new connection per request). Opening a PostgreSQL
# connection costs more than a whole intake request, so production keeps them for a minute.
DATABASES["default"]["CONN_MAX_AGE"] = env_int(
    "DJANGO_CONN_MAX_AGE", default=0 if DEBUG else 60, minimum=0
)
# Check a kept connection (a round trip before each request's first query) so that a database
# restarted or failed over within CONN_MAX_AGE gives no error page to a clinician: the dead
# connection is replaced instead. It costs a round trip per request (docs/performance.md, "Intake
# API"); DJANGO_CONN_HEALTH_CHECKS=false turns it off where every client retries.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("DJANGO_CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["NAME"] == str(_DEFAULT_SQLITE):
    VAR_DIR.mkdir(exist_ok=True)  # SQLite creates the file, not its folder
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: email sign-in, then a TOTP second factor (imsk.web.accounts).
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
IMSK_LOCKOUT_FAILURES = env_int("IMSK_LOCKOUT_FAILURES", default=5)
IMSK_LOCKOUT_WINDOW = timedelta(minutes=env_int("IMSK_LOCKOUT_WINDOW_MINUTES", default=15))
IMSK_SIGN_IN_STEP_TIMEOUT = timedelta(minutes=5)  # password accepted, second factor still due
IMSK_TOTP_ISSUER = env_str("IMSK_TOTP_ISSUER", "imsk")

# See On Symptom and PIFU windows (days after the exit; docs/consultations-and-exits.md).
IMSK_SOS_WINDOW_DAYS = env_int("IMSK_SOS_WINDOW_DAYS", default=182)
IMSK_PIFU_WINDOW_DAYS = env_int("IMSK_PIFU_WINDOW_DAYS", default=365)
# Agenda for Change band from which a clinician may take escalations (specification 2.3).
IMSK_SENIOR_BAND = env_int("IMSK_SENIOR_BAND", default=7)

# Sessions end after IMSK_SESSION_IDLE_MINUTES without a request, and when the browser closes.
SESSION_COOKIE_AGE = 60 * env_int("IMSK_SESSION_IDLE_MINUTES", default=30)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"

# Welsh and English (Welsh Language Standards); times in UTC, shown in Europe/London.
LANGUAGES = [("en", _("English")), ("cy", _("Welsh"))]
LANGUAGE_CODE = env_str("DJANGO_LANGUAGE_CODE", "en")
if LANGUAGE_CODE not in {code for code, _name in LANGUAGES}:
    raise SettingsError(f"DJANGO_LANGUAGE_CODE must be en or cy, not {LANGUAGE_CODE!r}")
LOCALE_PATHS = [WEB_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/London"
USE_TZ = True

# Static files: NHS.UK frontend is built into static/vendor by scripts/setup-web.sh; whitenoise
# serves everything from the site itself (no CDN, no request leaves the site).
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [WEB_DIR / "static"]
# In development whitenoise serves straight from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Dashboard data sets (docs/dashboard.md): the folder uploaded and registered data sets are unpacked
# into (a relative path is relative to the repository; workers and web servers must share it), and
# the caps on one upload.
_DASHBOARD_DIR = Path(env_str("IMSK_DASHBOARD_DIR", "var/dashboard"))
IMSK_DASHBOARD_DIR = _DASHBOARD_DIR if _DASHBOARD_DIR.is_absolute() else BASE_DIR / _DASHBOARD_DIR
IMSK_DASHBOARD_MAX_UPLOAD_MB = env_int("IMSK_DASHBOARD_MAX_UPLOAD_MB", default=200)
IMSK_DASHBOARD_MAX_UNPACKED_MB = env_int("IMSK_DASHBOARD_MAX_UNPACKED_MB", default=2048)

# Background jobs (django-tasks): the dashboard computes a period's figures in a job. "database"
# queues jobs in the database for the worker (`manage db_worker`, docs/dashboard.md), the production
# default; "immediate" runs each job at once inside the request that asked (development and tests,
# no worker needed).
IMSK_TASKS_BACKEND = env_str("IMSK_TASKS_BACKEND", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if IMSK_TASKS_BACKEND not in _TASK_BACKENDS:
    raise SettingsError(
        f"IMSK_TASKS_BACKEND must be database or immediate, not {IMSK_TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[IMSK_TASKS_BACKEND]}}

# Outcomes (imsk.web.outcomes; docs/outcomes-and-experience.md): questionnaire invitations go
# through a pluggable sender (console in development, smtp, or notify for GOV.UK Notify); item
# wording of licensed questionnaires comes from a file the licensed service provides.
IMSK_INVITATION_SENDER = env_str("IMSK_INVITATION_SENDER", "console")
IMSK_INVITATION_DAYS = env_int("IMSK_INVITATION_DAYS", default=14)
IMSK_NOTIFY_API_KEY = env_str("IMSK_NOTIFY_API_KEY", "")
IMSK_NOTIFY_EMAIL_TEMPLATE_ID = env_str("IMSK_NOTIFY_EMAIL_TEMPLATE_ID", "")
IMSK_NOTIFY_SMS_TEMPLATE_ID = env_str("IMSK_NOTIFY_SMS_TEMPLATE_ID", "")
IMSK_NOTIFY_BASE_URL = env_str("IMSK_NOTIFY_BASE_URL", "https://api.notifications.service.gov.uk")
IMSK_QUESTIONNAIRE_WORDING = env_str("IMSK_QUESTIONNAIRE_WORDING", "")
IMSK_PREM_DEFINITION = env_str("IMSK_PREM_DEFINITION", "")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "imsk@localhost")
if IMSK_INVITATION_SENDER not in {"console", "smtp", "notify"}:
    raise SettingsError(
        f"IMSK_INVITATION_SENDER must be console, smtp or notify, not {IMSK_INVITATION_SENDER!r}"
    )
