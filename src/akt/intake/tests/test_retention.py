"""Uploaded files and their checked rows are kept no longer than needed: purged when the import
is rolled back, and by ``akt purge-uploads`` once the retention rule's days have passed since
the import; the records an import wrote keep their provenance."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, Attendance
from akt.intake.models import BatchStatus, ImportBatch, PurgeCause
from akt.intake.selectors import checked_row_count
from akt.intake.services import import_check, import_commit, import_receive
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, municipality

pytestmark = pytest.mark.django_db

SHEET = (
    "Emri dhe mbiemri,Gjinia,Viti i lindjes,Komuna\n"
    "Fatmire Rexhepi,F,1968,Kamenicë\n"
    "Dragan Petrović,M,1975,Kamenica\n"
).encode()


@pytest.fixture
def meeting(reference: None) -> Activity:
    return ActivityFactory(title="Takim publik", municipality=municipality("kamenice"))


def committed(
    user: User, activity: Activity, name: str = "lista.csv", data: bytes = SHEET
) -> ImportBatch:
    batch = import_receive(actor=user, data=data, file_name=name, activity=activity)
    return import_commit(actor=user, batch=import_check(actor=user, batch=batch))


def test_a_rolled_back_import_keeps_neither_its_file_nor_its_rows(
    client_for, personas: dict[str, User], meeting: Activity
) -> None:
    batch = committed(personas["me"], meeting)
    assert checked_row_count(batch.pk) == 2

    response = client_for("me").post(
        reverse("intake:batch_rollback", args=[batch.pk]),
        {"reason": "The sheet of another meeting."},
    )

    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == BatchStatus.ROLLED_BACK
    assert bytes(batch.content) == b"" and batch.rows == []
    assert batch.purge_cause == PurgeCause.ROLLBACK and batch.purged_at is not None
    assert AuditEntry.objects.filter(action="import_purge", target_id=str(batch.pk)).exists()
    html = client_for("me").get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "File purged" in html
    assert "The import was rolled back" in html
    assert "Rexhepi" not in html
    assert "still being checked" not in html


def test_the_command_purges_imports_older_than_the_rule_and_keeps_provenance(
    personas: dict[str, User], meeting: Activity
) -> None:
    old = committed(personas["me"], meeting, "e-vjeter.csv")
    ImportBatch.objects.filter(pk=old.pk).update(
        committed_at=timezone.now() - dt.timedelta(days=40)
    )
    recent = committed(
        personas["me"],
        ActivityFactory(municipality=municipality("kamenice")),
        data=SHEET + "Arben Sadiku,M,1990,Kamenicë\n".encode(),
    )
    staged = import_receive(
        actor=personas["me"],
        data=SHEET,
        file_name="ende.csv",
        activity=ActivityFactory(municipality=municipality("kamenice")),
    )
    ImportBatch.objects.filter(pk=staged.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400)
    )
    out = io.StringIO()

    with override_settings(UPLOAD_RETENTION_DAYS=30):
        call_command("purge_uploads", stdout=out)

    assert "1 uploaded file purged." in out.getvalue()
    old.refresh_from_db()
    recent.refresh_from_db()
    staged.refresh_from_db()
    assert old.purge_cause == PurgeCause.RETENTION and bytes(old.content) == b""
    assert old.rows == [] and checked_row_count(old.pk) == 0
    assert recent.purged_at is None and bytes(recent.content) != b""
    assert staged.purged_at is None  # someone is still working on it
    # The roster rows and persons the old import wrote still name it and their row.
    rows = Attendance.objects.filter(batch=old).order_by("source_row")
    assert [row.source_row for row in rows] == [2, 3]
    assert Person.objects.filter(import_batch=old).count() == 2
