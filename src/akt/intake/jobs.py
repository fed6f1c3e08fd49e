"""Checking and importing large files in the background, so the pages answer at once.

A file of a few thousand rows is checked and imported while the person waits; a larger one (a
year's Kobo export) would keep the request open for minutes, so its check (after the upload, or
after its columns are mapped again) and its import run as jobs, and the preview page shows the
job's progress until it is done.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError

from akt.accounts.models import User
from akt.jobs.models import Job
from akt.jobs.services import Progress, job_kind

JOB_KIND = "intake.check"
COMMIT_JOB_KIND = "intake.commit"


class ImportRefused(Exception):
    """The import was refused (problems, a file imported before, ...): the job's error is the
    refusal's message, as the page would have shown it."""


def _started_by(job: Job) -> User:
    """The person a job runs as: who started it. A job whose person's account was deleted since
    is refused, as the services refuse nobody (``PermissionDenied``)."""
    if job.created_by is None:
        raise PermissionDenied
    return job.created_by


@job_kind(JOB_KIND)
def import_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Runs :func:`akt.intake.services.import_check` on the batch named in the job's params,
    as the person who uploaded it (the check shows them only the persons they may see)."""
    from akt.intake.models import ImportBatch
    from akt.intake.services import import_check

    batch = ImportBatch.objects.get(pk=job.params["batch"])
    batch = import_check(actor=_started_by(job), batch=batch, progress=progress)
    return {"batch": batch.pk, "rows": batch.row_count, "problems": batch.problem_count}


@job_kind(COMMIT_JOB_KIND)
def import_commit_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Runs :func:`akt.intake.services.import_commit` as the person who asked for it: every row
    or none, as on the page."""
    from akt.accounts.services import change_reason
    from akt.intake.models import ImportBatch
    from akt.intake.services import import_commit

    batch = ImportBatch.objects.get(pk=job.params["batch"])
    try:
        with change_reason(job.params.get("reason", "")):
            batch = import_commit(actor=_started_by(job), batch=batch, progress=progress)
    except ValidationError as error:
        raise ImportRefused(" ".join(error.messages)) from error
    return {"batch": batch.pk, **batch.summary}


FOLDER_CHECK_JOB_KIND = "intake.folder_check"


@job_kind(FOLDER_CHECK_JOB_KIND)
def folder_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Checks a zip of lists and rosters kept by the upload page
    (:func:`akt.intake.folder.folder_check`, storing nothing), as the officer who uploaded it.

    The check runs in one transaction that is rolled back, so its progress goes to a file
    beside the zip (:func:`akt.intake.folder_views.write_progress`), where the page reads it;
    the job's own row gets the final count. Refusals are worded in the uploader's language;
    problems are kept as codes and worded when the page is read.
    """
    from django.utils import translation

    from akt.intake.folder import folder_check, zip_files
    from akt.intake.folder_views import kept_zip, write_progress

    params = job.params
    actor = _started_by(job)
    path = kept_zip(actor, params["digest"])
    with translation.override(params.get("language") or None):
        files = list(zip_files(path.read_bytes(), params["file_name"]))
        result = folder_check(
            actor=actor,
            files=files,
            new_persons_below_threshold=params.get("new_persons", False),
            progress=lambda done, total: write_progress(path, done, total),
        )
    progress(len(files), len(files))
    return {"ok": result.ok, "files": result.as_json()}
