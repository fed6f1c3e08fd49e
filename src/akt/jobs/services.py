"""Starting and running jobs, and reporting their progress.

A job kind is a function ``handler(job, progress) -> dict`` registered with :func:`job_kind`.
``job_start`` records the job and puts it on the queue (django-tasks; its database backend in
service, so the task row commits with the job); the worker (``akt db-worker``) or, on the
command line, :func:`job_run` itself runs it. Progress goes to the job row, where the page reads
it, and to an optional callback, which draws the command line's progress bar.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from akt.jobs.models import Job, JobStatus

Handler = Callable[[Job, "Progress"], dict[str, Any]]
_KINDS: dict[str, Handler] = {}


def job_kind(name: str) -> Callable[[Handler], Handler]:
    """Registers ``handler`` as the job kind ``name``."""

    def register(handler: Handler) -> Handler:
        _KINDS[name] = handler
        return handler

    return register


class Progress:
    """How far a job has got: written to its row at most every ``interval`` seconds."""

    def __init__(
        self,
        job: Job,
        on_update: Callable[[Job], None] | None = None,
        interval: float = 0.5,
    ) -> None:
        self.job = job
        self.on_update = on_update
        self.interval = interval
        self._saved_at = 0.0

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        job = self.job
        job.done = done
        if total is not None:
            job.total = total
        if stage is not None:
            job.stage = stage[:200]
        now = time.monotonic()
        if stage is not None or done == job.total or now - self._saved_at >= self.interval:
            job.heartbeat_at = timezone.now()  # how a stalled job is told from a slow one
            job.save(update_fields=["done", "total", "stage", "heartbeat_at"])
            self._saved_at = now
        if self.on_update is not None:
            self.on_update(job)


@transaction.atomic
def job_start(*, actor: Any, kind: str, params: dict[str, Any] | None = None) -> Job:
    """Records a job and queues it. Refuses a kind nobody registered."""
    if kind not in _KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        kind=kind, params=params or {}, created_by=actor if getattr(actor, "pk", None) else None
    )
    job_run_queued.enqueue(job.pk)
    return job


def job_run(job: Job, on_update: Callable[[Job], None] | None = None) -> Job:
    """Runs one job now, in this process, and records how it ended.

    The handler's own writes own their transactions; a failure is recorded on the job with its
    message and re-raised for the caller (the worker logs it, the command line reports it).
    """
    job.status = JobStatus.RUNNING
    job.started_at = job.heartbeat_at = timezone.now()
    job.save(update_fields=["status", "started_at", "heartbeat_at"])
    progress = Progress(job, on_update)
    try:
        result = _KINDS[job.kind](job, progress)
    except Exception as error:
        job.status = JobStatus.FAILED
        job.error = str(error) or type(error).__name__
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = JobStatus.SUCCEEDED
    job.result = result or {}
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "result", "finished_at", "done", "total", "stage"])
    return job


def job_give_up(job: Job, error: str) -> bool:
    """Records a job that will not finish (its worker died, and someone gave up on it or
    started it again) as failed with ``error``; the caller audits why. Returns False, changing
    nothing, when the job finished in the meantime. A queued job given up is never run: the
    task skips a job that is no longer queued."""
    given_up = Job.objects.filter(
        pk=job.pk, status__in=[JobStatus.QUEUED, JobStatus.RUNNING]
    ).update(status=JobStatus.FAILED, error=error[:2000], finished_at=timezone.now())
    job.refresh_from_db()
    return bool(given_up)


@task()
def job_run_queued(job_id: int) -> None:
    """The queued task: runs the job unless another worker already has."""
    job = Job.objects.get(pk=job_id)
    if job.status != JobStatus.QUEUED:
        return
    job_run(job)


def progress_bar(stream: Any, width: int = 30) -> Callable[[Job], None]:
    """A text progress bar for the command line, redrawn in place on ``stream``."""

    def draw(job: Job) -> None:
        filled = int(width * job.percent / 100)
        bar = "#" * filled + "-" * (width - filled)
        stream.write(f"\r[{bar}] {job.percent:3d}% {job.stage[:40]:<40}")
        stream.flush()

    return draw
