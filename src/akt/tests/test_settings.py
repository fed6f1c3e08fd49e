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
