"""What the benchmarks share: a fresh database for a run, migrated and loaded.

Imported by the scripts beside it (``bench/*.py`` put this folder on ``sys.path`` when run);
the leading underscore keeps ``make bench`` from running it as a benchmark.
"""

from __future__ import annotations

import io
import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def fresh_database(database_url: str | None) -> Iterator[str]:
    """Points Django at an empty database for the run and yields what it is, for the report.

    SQLite: a file in a temporary folder. PostgreSQL: a new database on the server the URL
    names (the URL's own database is only connected to, to create and drop it).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "akt.settings")
    os.environ["AKT_TESTING"] = "1"  # no secret key needed, and no persistent connections
    with tempfile.TemporaryDirectory(prefix="akt-bench-") as folder:
        os.environ["AKT_DATA_DIR"] = folder
        if not database_url:
            os.environ.pop("AKT_DATABASE_URL", None)
            yield f"SQLite ({Path(folder, 'akt.sqlite3')})"
            return
        import psycopg

        base, _slash, _name = database_url.rpartition("/")
        name = f"akt_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        os.environ["AKT_DATABASE_URL"] = f"{base}/{name}"
        try:
            yield f"PostgreSQL ({base}/{name}, created for the run)"
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(database_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def set_up() -> None:
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_reference", stdout=io.StringIO())
