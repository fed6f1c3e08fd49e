"""Several ``akt db-worker`` processes against one PostgreSQL database: each job runs once.

django-tasks' database backend claims a job with ``SELECT ... FOR UPDATE SKIP LOCKED`` and marks
it running in the same transaction, so two workers never take the same row. This test holds
that against real processes: three workers, sixty queued jobs, every job run exactly once.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult, get_date_max

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several worker processes share a PostgreSQL database, not SQLite's",
    ),
    pytest.mark.django_db(transaction=True),
]

JOBS = 60
WORKERS = 3


def _database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "127.0.0.1"
    port = settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def test_several_workers_run_each_queued_job_exactly_once(tmp_path: Path) -> None:
    runs = tmp_path / "runs.txt"
    for number in range(JOBS):
        DBTaskResult.objects.create(
            task_path="akt.operations.tests.worker_tasks.note_run",
            args_kwargs={"args": [f"job-{number}", str(runs)], "kwargs": {}},
            backend_name="default",
            run_after=get_date_max(),
        )
    env = {key: value for key, value in os.environ.items() if key not in {"AKT_TESTING"}} | {
        "AKT_DATABASE_URL": _database_url(),
        "AKT_DATA_DIR": str(tmp_path / "data"),
        "AKT_DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "akt.settings",
    }
    command = [sys.executable, "-m", "akt.cli", "db-worker", "--batch", "--no-reload"]
    workers = [
        subprocess.Popen(
            [*command, "--interval", "0.1", "--worker-id", f"worker-{index}"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for index in range(WORKERS)
    ]
    for worker in workers:
        _out, errors = worker.communicate(timeout=180)
        assert worker.returncode == 0, errors.decode()[-2000:]

    lines = runs.read_text().splitlines()
    times_run = Counter(line.split()[0] for line in lines)
    assert sorted(times_run) == sorted(f"job-{number}" for number in range(JOBS))
    assert set(times_run.values()) == {1}
    results = list(DBTaskResult.objects.all())
    assert {result.status for result in results} == {"SUCCESSFUL"}
    assert all(len(result.worker_ids) == 1 for result in results)
    # The work was shared: more than one process ran jobs.
    assert len({line.split()[1] for line in lines}) > 1
