"""Settings fail fast on a typo instead of running with a silent default."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def load_settings(**env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AKT_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import akt.settings as s; print(s.DATABASES['default']['ENGINE'])"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_debug_must_be_a_boolean() -> None:
    run = load_settings(AKT_DEBUG="ture")
    assert run.returncode != 0
    assert "AKT_DEBUG must be true or false, not 'ture'" in run.stderr


def test_secret_key_required_in_production() -> None:
    run = load_settings(AKT_DEBUG="false")
    assert run.returncode != 0
    assert "AKT_SECRET_KEY must be set" in run.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://akt@127.0.0.1:5432/akt", "django.db.backends.postgresql"),
        ("", "django.db.backends.sqlite3"),
    ],
)
def test_database_selected_by_environment(tmp_path, url: str, engine: str) -> None:
    run = load_settings(AKT_DEBUG="true", AKT_DATABASE_URL=url, AKT_DATA_DIR=str(tmp_path / "data"))
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == engine


def test_unknown_database_scheme_is_refused() -> None:
    run = load_settings(AKT_DEBUG="true", AKT_DATABASE_URL="mongo://localhost/akt")
    assert run.returncode != 0
    assert "AKT_DATABASE_URL" in run.stderr


PRODUCTION = {
    "AKT_DEBUG": "false",
    "AKT_SECRET_KEY": "k3y-" + "x7Qp2LmZ9vR4tW8yB1nC6dF0gH5jK3sA" * 2,
    "AKT_ALLOWED_HOSTS": "akt.example.org",
    "AKT_CSRF_TRUSTED_ORIGINS": "https://akt.example.org",
    "AKT_SECURE_COOKIES": "true",
    "AKT_HSTS_SECONDS": "31536000",
    "AKT_SSL_REDIRECT": "true",
}


def run_akt(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AKT_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "akt.cli", *args],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deploy_check_is_clean_with_production_settings(tmp_path) -> None:
    run = run_akt(
        "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, AKT_DATA_DIR=str(tmp_path)
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_the_deploy_check_names_what_production_lacks(tmp_path) -> None:
    settings = {
        k: v for k, v in PRODUCTION.items() if k not in {"AKT_SECURE_COOKIES", "AKT_SSL_REDIRECT"}
    }
    run = run_akt(
        "check", "--deploy", "--fail-level", "WARNING", **settings, AKT_DATA_DIR=str(tmp_path)
    )
    assert run.returncode != 0
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in run.stderr


SHOW = (
    "from django.conf import settings as s; "
    "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
    "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, "
    "getattr(s, 'SECURE_PROXY_SSL_HEADER', None), s.CSRF_TRUSTED_ORIGINS, "
    "s.SESSION_COOKIE_AGE, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AKT_REQUIRE_TWO_FACTOR, "
    "s.EMAIL_BACKEND, sep='|')"
)


def show_settings(tmp_path, **env: str) -> subprocess.CompletedProcess[str]:
    return run_akt("shell", "--no-imports", "-c", SHOW, AKT_DATA_DIR=str(tmp_path), **env)


def test_security_settings_come_from_the_environment(tmp_path) -> None:
    run = show_settings(
        tmp_path,
        **PRODUCTION,
        AKT_SECURE_PROXY_SSL_HEADER="true",
        AKT_SESSION_IDLE_MINUTES="20",
        AKT_LOGIN_FAILURE_LIMIT="3",
        AKT_LOGIN_COOLOFF_MINUTES="60",
        AKT_EMAIL_HOST="smtp.example.org",
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().split("|") == [
        "True", "True", "True", "31536000", "True", "True",
        "('HTTP_X_FORWARDED_PROTO', 'https')", "['https://akt.example.org']",
        "1200", "3", "1:00:00", "True", "django.core.mail.backends.smtp.EmailBackend",
    ]  # fmt: skip


def test_defaults_serve_a_development_server_over_plain_http(tmp_path) -> None:
    run = show_settings(tmp_path, AKT_DEBUG="true")
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().split("|") == [
        "False", "False", "False", "0", "False", "False", "None", "[]",
        "1800", "5", "0:15:00", "True", "django.core.mail.backends.console.EmailBackend",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("AKT_SECURE_COOKIES", "yes please", "AKT_SECURE_COOKIES must be true or false"),
        ("AKT_HSTS_SECONDS", "a year", "AKT_HSTS_SECONDS must be a whole number"),
        ("AKT_HSTS_SECONDS", "-1", "AKT_HSTS_SECONDS must be a whole number of at least 0"),
        ("AKT_LOGIN_FAILURE_LIMIT", "0", "AKT_LOGIN_FAILURE_LIMIT must be a whole number"),
        ("AKT_SESSION_IDLE_MINUTES", "30m", "AKT_SESSION_IDLE_MINUTES must be a whole number"),
        ("AKT_CSRF_TRUSTED_ORIGINS", "akt.example.org", "AKT_CSRF_TRUSTED_ORIGINS must list"),
        ("AKT_REQUIRE_TWO_FACTOR", "sometimes", "AKT_REQUIRE_TWO_FACTOR must be true or false"),
    ],
)
def test_a_mistyped_security_setting_stops_the_start(name: str, value: str, message: str) -> None:
    run = load_settings(AKT_DEBUG="true", **{name: value})
    assert run.returncode != 0
    assert message in run.stderr


STYLESHEET = (
    "import django; django.setup(); from django.test import Client; "
    "r = Client(HTTP_HOST='akt.example.org').get('/static/akt/akt.css'); "
    "print(r.status_code, r['Content-Type'])"
)


def test_with_debug_off_the_stylesheet_is_served_without_collectstatic(tmp_path) -> None:
    production = {**PRODUCTION, "AKT_SSL_REDIRECT": "false"}
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AKT_")}
    environment.update(
        production, AKT_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="akt.settings"
    )
    run = subprocess.run(
        [sys.executable, "-c", STYLESHEET], env=environment, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert not any((tmp_path / "static").iterdir())  # nothing was collected
    assert run.stdout.split()[:2] == ["200", "text/css;"]
