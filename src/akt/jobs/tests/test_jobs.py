"""Jobs: queued, run, their progress recorded and shown, failures kept with their reason."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from akt.jobs.models import Job, JobStatus
from akt.jobs.services import job_kind, job_run, job_start, progress_bar

pytestmark = pytest.mark.django_db


@job_kind("test.count")
def count_to(job: Job, progress) -> dict:
    total = job.params["to"]
    for done in range(1, total + 1):
        progress(done, total, stage="counting")
    return {"counted": total}


@job_kind("test.fail")
def fail(job: Job, progress) -> dict:
    progress(1, 4, stage="halfway there")
    raise ValueError("the sheet has no header row")


def test_a_started_job_runs_and_records_its_progress(personas: dict) -> None:
    job = job_start(actor=personas["me"], kind="test.count", params={"to": 5})
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.result == {"counted": 5}
    assert job.created_by == personas["me"]


def test_a_failure_is_recorded_with_its_reason(personas: dict) -> None:
    job = Job.objects.create(kind="test.fail")
    with pytest.raises(ValueError):
        job_run(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "the sheet has no header row"
    assert job.stage == "halfway there"


def test_unknown_kind_is_refused(personas: dict) -> None:
    with pytest.raises(ValueError, match="unknown job kind"):
        job_start(actor=personas["me"], kind="test.nothing")
    assert not Job.objects.exists()


def test_the_command_line_bar_draws_the_progress(personas: dict) -> None:
    out = io.StringIO()
    job_run(Job.objects.create(kind="test.count", params={"to": 4}), on_update=progress_bar(out))
    assert "[" + "#" * 30 + "] 100% counting" in out.getvalue()


def test_the_page_shows_progress_to_whoever_may_see_it(client_for, personas: dict) -> None:
    job = Job.objects.create(
        kind="test.count",
        status=JobStatus.RUNNING,
        done=3,
        total=12,
        stage="counting",
        created_by=personas["focal_gracanica"],
    )
    url = reverse("jobs:detail", args=[job.pk])
    page = client_for("focal_gracanica").get(url)
    assert page.status_code == 200
    assert b'value="25"' in page.content and b'http-equiv="refresh"' in page.content
    assert client_for("me").get(url).status_code == 200
    assert client_for("focal_zvecan").get(url).status_code == 404
    assert client_for("donor").get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302
