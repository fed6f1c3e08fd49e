"""Settings for the AKT results system, read from environment variables.

One module for every environment. Each variable is parsed strictly: a typo or an unexpected
value stops the process at start-up with a message naming the variable, rather than running
with a silent default.

- ``AKT_DATABASE_URL``: a database URL (``postgres://user@host:5432/name``). Unset: the embedded
  SQLite database in ``AKT_DATA_DIR``.
- ``AKT_DATA_DIR``: where the SQLite database and uploaded files live (default ``./var``).
- ``AKT_SECRET_KEY``: required when ``AKT_DEBUG`` is off.
- ``AKT_DEBUG``: ``true`` or ``false`` (default ``false``).
- ``AKT_ALLOWED_HOSTS``: comma-separated host names (default ``127.0.0.1,localhost``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def _env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = _env_bool("AKT_DEBUG", False)
DATA_DIR = Path(os.environ.get("AKT_DATA_DIR") or Path.cwd() / "var").resolve()

SECRET_KEY = os.environ.get("AKT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("AKT_TESTING") != "1":
        raise ImproperlyConfigured("AKT_SECRET_KEY must be set when AKT_DEBUG is false")
    SECRET_KEY = "insecure-key-for-local-development-only"

ALLOWED_HOSTS = _env_list("AKT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "akt.accounts",
    "akt.places",
    "akt.program",
    "akt.people",
    "akt.linkage",
    "akt.activities",
    "akt.grants",
    "akt.capacity",
    "akt.infrastructure",
    "akt.indicators",
    "akt.reports",
    "akt.demo",
    "akt.translations",
    "akt.jobs",
    "akt.evidence",
    "akt.intake",
    "akt.operations",
    "django_tasks",
    "django_tasks_db",
]

# Background work: django-tasks on its database backend (run `akt db-worker`). Tests run each
# task as it is queued.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("AKT_TESTING") == "1"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "akt.urls"
WSGI_APPLICATION = "akt.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "akt.accounts.context_processors.viewer",
            ],
        },
    },
]

_database_url = os.environ.get("AKT_DATABASE_URL", "").strip()
if _database_url:
    try:
        # Persistent connections in service; none in tests, where the live server's thread
        # would otherwise keep the test database open past its teardown.
        _conn_max_age = 0 if os.environ.get("AKT_TESTING") == "1" else 60
        DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=_conn_max_age)}
    except ValueError as exc:
        raise ImproperlyConfigured(f"AKT_DATABASE_URL is not a database URL: {exc}") from exc
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "akt.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Drawn charts and maps are kept by a hash of what they show, so a page that shows the same
# picture again does not draw it again. On disk beside the database, so every worker process of
# a server shares them; in memory for tests.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
    if os.environ.get("AKT_TESTING") == "1"
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    }
}
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "reports:home"
LOGOUT_REDIRECT_URL = "accounts:login"

if os.environ.get("AKT_TESTING") == "1":
    # Tests sign personas in by the hundred; a slow hash would only cost time there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# Languages: English, Albanian, Serbian (Latin) and Serbian (Cyrillic). Django's own code for
# Serbian in Cyrillic is "sr"; "sr-latn" is Serbian in Latin script.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", "English"),
    ("sq", "Shqip"),
    ("sr-latn", "Srpski"),
    ("sr", "Српски"),
]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Dates and times as each language writes them (Django's own formats fill in the rest).
FORMAT_MODULE_PATH = ["akt.text.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Belgrade"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# Served by WhiteNoise; in development straight from the apps' static folders.
WHITENOISE_USE_FINDERS = DEBUG or os.environ.get("AKT_TESTING") == "1"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Small numbers: a cell of a split or drill-down below this count is suppressed for roles that
# do not see persons (and enough others with it that it cannot be worked out from the totals).
SMALL_CELL_THRESHOLD = int(os.environ.get("AKT_SMALL_CELL_THRESHOLD") or 5)

# Uploaded sheets and their parsed rows are kept this many days after their import is committed
# (``akt purge-uploads``); a rolled-back import's are purged at once.
UPLOAD_RETENTION_DAYS = int(os.environ.get("AKT_UPLOAD_RETENTION_DAYS") or 365)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
