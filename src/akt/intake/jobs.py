"""Checking a large file in the background, so the upload page answers at once.

A file of a few thousand rows is checked while the person waits; a larger one (a year's Kobo
export) would keep the request open for minutes, so its check runs as a job and the preview page
shows the job's progress until the rows are there.
"""

from __future__ import annotations

from typing import Any

from akt.jobs.models import Job
from akt.jobs.services import Progress, job_kind

JOB_KIND = "intake.check"


@job_kind(JOB_KIND)
def import_check_job(job: Job, progress: Progress) -> dict[str, Any]:
    """Runs :func:`akt.intake.services.import_check` on the batch named in the job's params,
    as the person who uploaded it (the check shows them only the persons they may see)."""
    from akt.intake.models import ImportBatch
    from akt.intake.services import import_check

    batch = ImportBatch.objects.get(pk=job.params["batch"])
    batch = import_check(actor=job.created_by, batch=batch, progress=progress)
    return {"batch": batch.pk, "rows": batch.row_count, "problems": batch.problem_count}
