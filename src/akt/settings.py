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
- ``AKT_CSRF_TRUSTED_ORIGINS``: comma-separated origins with their scheme
  (``https://akt.example.org``) allowed to post forms, when they differ from the host (default
  none).

Accounts and security (the defaults suit a server on loopback over plain HTTP; a production
server behind TLS sets the first four, and ``akt check --deploy`` says what is missing):

- ``AKT_SECURE_COOKIES``: session and CSRF cookies only over HTTPS (default ``false``).
- ``AKT_SSL_REDIRECT``: redirect every plain-HTTP request to HTTPS (default ``false``).
- ``AKT_HSTS_SECONDS``: how long browsers must use HTTPS only (default ``0``, no HSTS header);
  with ``AKT_HSTS_INCLUDE_SUBDOMAINS`` and ``AKT_HSTS_PRELOAD`` (both ``true`` by default once
  HSTS is on).
- ``AKT_SECURE_PROXY_SSL_HEADER``: ``true`` behind a TLS-terminating proxy that sets
  ``X-Forwarded-Proto: https`` (default ``false``; never set it without such a proxy).
- ``AKT_SESSION_IDLE_MINUTES``: a session ends after this many minutes without a request
  (default ``30``); ``AKT_SESSION_EXPIRE_AT_BROWSER_CLOSE`` ends it with the browser too
  (default ``false``).
- ``AKT_LOGIN_FAILURE_LIMIT``: wrong passwords in a row, per user name and address, before
  signing in is locked (default ``5``); ``AKT_LOGIN_COOLOFF_MINUTES``: for how long (default
  ``15``).
- ``AKT_REQUIRE_TWO_FACTOR``: administrators and M&E officers must use a second factor
  (default ``true``; ``false`` under ``AKT_TESTING=1``, where tests turn it on themselves).
- ``AKT_EMAIL_HOST``, ``AKT_EMAIL_PORT`` (default ``587``), ``AKT_EMAIL_HOST_USER``,
  ``AKT_EMAIL_HOST_PASSWORD``, ``AKT_EMAIL_USE_TLS`` (default ``true``),
  ``AKT_DEFAULT_FROM_EMAIL``: the SMTP server that sends password-reset mail. Without
  ``AKT_EMAIL_HOST``, or with ``AKT_DEBUG`` on, mail is written to the console instead.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
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


def _env_int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ImproperlyConfigured(
            f"{name} must be a whole number of at least {minimum}, not {raw!r}"
        )
    return value


DEBUG = _env_bool("AKT_DEBUG", False)
DATA_DIR = Path(os.environ.get("AKT_DATA_DIR") or Path.cwd() / "var").resolve()

SECRET_KEY = os.environ.get("AKT_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and os.environ.get("AKT_TESTING") != "1":
        raise ImproperlyConfigured("AKT_SECRET_KEY must be set when AKT_DEBUG is false")
    SECRET_KEY = "insecure-key-for-local-development-only"

ALLOWED_HOSTS = _env_list("AKT_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _env_list("AKT_CSRF_TRUSTED_ORIGINS", "")
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"AKT_CSRF_TRUSTED_ORIGINS must list origins with their scheme "
            f"(https://host), not {_origin!r}"
        )

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
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
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "akt.accounts.middleware.IdleSessionMiddleware",
    "akt.accounts.middleware.TwoFactorMiddleware",
    "akt.accounts.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "akt.urls"
FORM_RENDERER = "akt.forms.FormRenderer"
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

# Argon2 for every new password; a password hashed by an older hasher is hashed again with
# Argon2 the next time its owner signs in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if os.environ.get("AKT_TESTING") == "1":
    # Tests sign personas in by the hundred; a slow hash would only cost time there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Signing in: the throttle (django-axes) checks first and refuses a locked-out user name from
# that address before the password is even compared.
AUTHENTICATION_BACKENDS = [
    "akt.accounts.throttling.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = _env_int("AKT_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=_env_int("AKT_LOGIN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Two-factor authentication (django-otp: an authenticator app, and backup codes). Required of
# the roles that change or see everything; anyone else may turn it on.
AKT_REQUIRE_TWO_FACTOR = _env_bool("AKT_REQUIRE_TWO_FACTOR", os.environ.get("AKT_TESTING") != "1")
OTP_TOTP_ISSUER = "AKT"

# A session ends after a spell without requests: every request moves its expiry on.
SESSION_COOKIE_AGE = 60 * _env_int("AKT_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_EXPIRE_AT_BROWSER_CLOSE = _env_bool("AKT_SESSION_EXPIRE_AT_BROWSER_CLOSE", False)

# Mail (password reset): SMTP when a server is named, the console in development.
EMAIL_HOST = os.environ.get("AKT_EMAIL_HOST", "").strip()
EMAIL_PORT = _env_int("AKT_EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = os.environ.get("AKT_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("AKT_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("AKT_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("AKT_DEFAULT_FROM_EMAIL", "").strip() or "akt@localhost"
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST and not DEBUG
    else "django.core.mail.backends.console.EmailBackend"
)
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3  # a reset link works for three hours

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
# Served by WhiteNoise straight from the package's and apps' static folders, so a server needs
# no `collectstatic` step (files collected into STATIC_ROOT are served too); in development the
# folders are read again on every request.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Small numbers: a cell of a split or drill-down below this count is suppressed for roles that
# do not see persons (and enough others with it that it cannot be worked out from the totals).
SMALL_CELL_THRESHOLD = int(os.environ.get("AKT_SMALL_CELL_THRESHOLD") or 5)

# Figures worked out from the records (the dashboard) are kept in the cache this many seconds
# for the same records: every write leaves an audit entry, and a new audit entry is a new key
# (``accounts.services.records_version``). 0 keeps nothing: the tests' default, since their
# factories write records without the services; the cache's own tests turn it on.
RESULTS_CACHE_SECONDS = 0 if os.environ.get("AKT_TESTING") == "1" else 15 * 60
# ... and the dashboard may show figures this many seconds old, saying when they were counted and
# offering to count again (``reports.selectors.dashboard_compute``): under a stream of entries
# it is worked out once a minute instead of after every save.
RESULTS_LAG_SECONDS = _env_int("AKT_RESULTS_LAG_SECONDS", 60)
# Each gunicorn worker prepares the registry for matching uploaded sheets as it starts
# (``deploy/gunicorn.conf.py``); false leaves it to the first upload.
WARM_LINKAGE = _env_bool("AKT_WARM_LINKAGE", True)

# Uploaded sheets and their parsed rows are kept this many days after their import is committed
# (``akt purge-uploads``); a rolled-back import's are purged at once.
UPLOAD_RETENTION_DAYS = int(os.environ.get("AKT_UPLOAD_RETENTION_DAYS") or 365)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _env_bool("AKT_SECURE_COOKIES", False)
SECURE_SSL_REDIRECT = _env_bool("AKT_SSL_REDIRECT", False)
# The load balancer's health probe may come over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SECURE_HSTS_SECONDS = _env_int("AKT_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("AKT_HSTS_INCLUDE_SUBDOMAINS", SECURE_HSTS_SECONDS > 0)
SECURE_HSTS_PRELOAD = _env_bool("AKT_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
if _env_bool("AKT_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: nothing from another origin, no inline script (a page that needs one
# gives it the request's nonce). Inline styles are allowed: the pages draw bars with a width in
# a style attribute, and the charts are SVG drawn with their own style elements.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
