"""Undoing an import: rolling back one whose persons are under review, and recovering one whose
worker died (started again, or abandoned), each from the batch's page and audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, Attendance
from akt.intake import services
from akt.intake.jobs import COMMIT_JOB_KIND, JOB_KIND
from akt.intake.models import BatchStatus, ImportBatch
from akt.intake.selectors import checked_row_count
from akt.jobs.models import STALLED_AFTER, Job, JobStatus
from akt.linkage.models import ReviewPair, ReviewStatus
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, PersonFactory, municipality

pytestmark = pytest.mark.django_db

# A hearing's sign-in sheet as a Gjilan clerk saves it from Excel: Albanian headers, one
# attendee with a birth date, one with a year only, one with neither.
SHEET = (
    "Emri,Mbiemri,Gjinia,Datëlindja\n"
    "Besnik,Hoxha,M,1979-03-02\n"
    "Lirije,Berisha,F,1990\n"
    "Valon,Krasniqi,M,\n"
).encode()


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(title="Dëgjim publik për buxhetin", municipality=municipality("gjilan"))


def checked_batch(actor: User, activity: Activity, data: bytes = SHEET) -> ImportBatch:
    batch = services.import_receive(
        actor=actor, data=data, file_name="lista-e-pjesemarresve.csv", activity=activity
    )
    batch = services.import_check(actor=actor, batch=batch)
    assert batch.problem_count == 0, batch.rows
    return batch


def pair(first: Person, second: Person, **fields: object) -> ReviewPair:
    low, high = sorted([first, second], key=lambda person: person.pk)
    return ReviewPair.objects.create(
        person_a=low, person_b=high, probability=0.6, match_weight=1.2, **fields
    )


# -- rollback with a person under review ------------------------------------------------------


def test_an_import_rolls_back_while_its_persons_wait_in_the_review_queue(
    client_for, personas: dict[str, User], hearing: Activity
) -> None:
    me = personas["me"]
    batch = services.import_commit(actor=me, batch=checked_batch(me, hearing))
    created = {person.given_name: person for person in Person.objects.filter(import_batch=batch)}
    assert set(created) == {"Besnik", "Lirije", "Valon"}
    earlier = PersonFactory(given_name="Besnik", family_name="Hoxa", birth_year=1979)
    waiting = pair(earlier, created["Besnik"])
    # A question an officer already answered is evidence the model learns from: that record stays.
    answered = pair(
        PersonFactory(given_name="Lirie", family_name="Berisha"),
        created["Lirije"],
        status=ReviewStatus.KEPT_APART,
        decided_by=me,
        decided_at=timezone.now(),
    )

    response = client_for("me").post(
        reverse("intake:batch_rollback", args=[batch.pk]),
        {"reason": "Sheet of another hearing; imported by mistake."},
    )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert not Attendance.objects.filter(activity=hearing).exists()
    assert not ReviewPair.objects.filter(pk=waiting.pk).exists()
    assert not Person.objects.filter(pk=created["Besnik"].pk).exists()
    assert ReviewPair.objects.filter(pk=answered.pk).exists()
    assert Person.objects.filter(pk=created["Lirije"].pk, import_batch=None).exists()
    entry = AuditEntry.objects.get(action="import_rollback")
    assert entry.changes["review_pairs_withdrawn"] == [
        {
            "pair": waiting.pk,
            "person_a": waiting.person_a_id,
            "person_b": waiting.person_b_id,
            "probability": 0.6,
        }
    ]
    assert entry.changes["persons"] == 2 and entry.changes["persons_kept"] == 1


# -- an import whose worker died ---------------------------------------------------------------


def died(batch: ImportBatch, kind: str, actor: User, *, minutes: int = 40) -> Job:
    """A job a worker claimed and then died on: running, silent for ``minutes``."""
    then = timezone.now() - dt.timedelta(minutes=minutes)
    job = Job.objects.create(
        kind=kind,
        params={"batch": batch.pk, "reason": ""},
        status=JobStatus.RUNNING,
        created_by=actor,
        started_at=then,
        heartbeat_at=then,
    )
    Job.objects.filter(pk=job.pk).update(created_at=then)
    job.refresh_from_db()
    return job


def test_a_stalled_import_is_shown_and_started_again(
    client_for, personas: dict[str, User], hearing: Activity
) -> None:
    batch = checked_batch(personas["me"], hearing)
    stalled = died(batch, COMMIT_JOB_KIND, personas["me"])
    assert stalled.is_stalled()
    officer = client_for("me")
    page = officer.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "has shown no progress since" in page
    assert reverse("intake:batch_resume", args=[batch.pk]) in page
    assert 'http-equiv="refresh"' not in page  # a stalled page does not refresh for ever

    response = officer.post(
        reverse("intake:batch_resume", args=[batch.pk]), {"reason": "Worker restarted."}
    )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.COMMITTED
    assert Attendance.objects.filter(activity=hearing).count() == 3
    stalled.refresh_from_db()
    assert stalled.status == JobStatus.FAILED and "started again" in stalled.error
    resumed = AuditEntry.objects.get(action="import_resume")
    assert resumed.actor == personas["me"] and resumed.changes["job"] == stalled.pk
    assert resumed.reason == "Worker restarted."
    assert AuditEntry.objects.filter(action="import_commit", target_id=str(batch.pk)).exists()
    assert services.stalled_job(batch) is None


def test_a_stalled_import_is_abandoned_with_a_reason(
    client_for, personas: dict[str, User], hearing: Activity
) -> None:
    batch = checked_batch(personas["me"], hearing)
    stalled = died(batch, COMMIT_JOB_KIND, personas["me"])
    officer = client_for("me")
    url = reverse("intake:batch_abandon", args=[batch.pk])

    officer.post(url, {"reason": ""})
    batch.refresh_from_db()
    assert batch.status == BatchStatus.STAGED  # no reason, nothing changed

    officer.post(url, {"reason": "The sheet is being corrected; it will be uploaded again."})

    batch.refresh_from_db()
    stalled.refresh_from_db()
    assert batch.status == BatchStatus.ABANDONED
    assert stalled.status == JobStatus.FAILED
    assert not Attendance.objects.filter(activity=hearing).exists()
    entry = AuditEntry.objects.get(action="import_abandon")
    assert entry.reason.startswith("The sheet is being corrected")
    assert "Abandoned" in officer.get(reverse("intake:batch_detail", args=[batch.pk])).text
    # The same file can be brought in again.
    again = services.import_receive(
        actor=personas["me"], data=SHEET, file_name="lista.csv", activity=hearing
    )
    assert again.status == BatchStatus.STAGED


def test_a_stalled_check_is_started_again(personas: dict[str, User], hearing: Activity) -> None:
    me = personas["me"]
    batch = services.import_receive(actor=me, data=SHEET, file_name="lista.csv", activity=hearing)
    stalled = died(batch, JOB_KIND, me)

    job = services.import_resume(actor=me, batch=batch)

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.kind == JOB_KIND
    assert checked_row_count(batch.pk) == 3
    assert ImportBatch.objects.get(pk=batch.pk).problem_count == 0
    stalled.refresh_from_db()
    assert stalled.status == JobStatus.FAILED


def test_a_slow_job_is_not_stalled_and_only_officers_recover(
    client_for, personas: dict[str, User], hearing: Activity
) -> None:
    batch = checked_batch(personas["me"], hearing)
    silent = STALLED_AFTER.total_seconds() // 60 - 1
    died(batch, COMMIT_JOB_KIND, personas["me"], minutes=int(silent))
    assert services.stalled_job(batch) is None
    with pytest.raises(services.ValidationError, match="not stalled"):
        services.import_resume(actor=personas["me"], batch=batch)

    Job.objects.update(heartbeat_at=timezone.now() - STALLED_AFTER)
    staff = client_for("staff")
    assert staff.post(reverse("intake:batch_resume", args=[batch.pk])).status_code in (403, 404)
    assert staff.post(
        reverse("intake:batch_abandon", args=[batch.pk]), {"reason": "x"}
    ).status_code in (403, 404)
    assert ImportBatch.objects.get(pk=batch.pk).status == BatchStatus.STAGED
