"""What a load balancer or a monitor asks of a running system: can it serve?

``health_status`` reads only the state of the service (the database answers, its migrations
are those of the code, how long ago the background worker last finished a job and how many
jobs wait), never a record, so the page needs no sign-in and shows nothing personal.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Max, Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


@functools.cache
def code_migrations() -> frozenset[tuple[str, str]]:
    """Every migration the code holds (read once per process: the code does not change)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def unapplied_migrations() -> list[str]:
    """The code's migrations this database has not applied, as ``app.name``."""
    applied = set(MigrationRecorder(connection).applied_migrations())
    return sorted(f"{app}.{name}" for app, name in code_migrations() - applied)


@dataclass(frozen=True)
class Health:
    ok: bool
    report: dict[str, Any]


def _seconds_since(moment: Any) -> int | None:
    return None if moment is None else int((timezone.now() - moment).total_seconds())


def worker_status() -> dict[str, Any]:
    """How long ago a background worker last finished a job, and the jobs waiting.

    django-tasks' database backend keeps no heartbeat; the newest finished job is the sign of
    life. A worker that has had nothing to do shows an old age and no job waiting; one that is
    down shows jobs waiting longer and longer.
    """
    finished = DBTaskResult.objects.aggregate(last=Max("finished_at"))["last"]
    ready = DBTaskResult.objects.ready()
    waiting = ready.aggregate(oldest=Min("enqueued_at"))
    return {
        "last_job_finished_seconds_ago": _seconds_since(finished),
        "jobs_waiting": ready.count(),
        "oldest_waiting_seconds": _seconds_since(waiting["oldest"]),
    }


def health_status() -> Health:
    """200-worthy when the database answers and every migration is applied; the worker's state
    is reported, not judged (a quiet worker is not a failure)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        pending = unapplied_migrations()
        worker = worker_status()
    except DatabaseError:
        return Health(ok=False, report={"status": "unavailable", "database": False})
    report: dict[str, Any] = {
        "status": "ok" if not pending else "migrations pending",
        "database": True,
        "migrations_applied": not pending,
        "worker": worker,
    }
    if pending:
        report["migrations_pending"] = len(pending)
    return Health(ok=not pending, report=report)
