"""``akt backup`` and ``akt restore``: every table back as it was, and the refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from akt.evidence.models import Attachment
from akt.operations.backup import backed_up_models, table_rows
from akt.people.models import Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    PersonFactory,
    TallyFactory,
    UserFactory,
)

SIGN_IN_SHEET = bytes(range(256)) * 40
"""Binary content with every byte value."""


def everything() -> dict[str, list[list[object]]]:
    """Every row of every table, as the archive writes it."""
    return {model._meta.db_table: list(table_rows(model)) for model in backed_up_models()}


@pytest.fixture
def data_dir(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def records(reference: None, data_dir: Path) -> dict[str, object]:
    """A little of everything: persons with accents, attendances, a headcount, a grant amount,
    a file's bytes, a queued job (a UUID key and JSON), and a sheet waiting on disk."""
    officer = UserFactory(username="officer")
    activity = ActivityFactory(title="Debati publik në Gjilan – Ђаковица")
    for given in ("Adem", "Ljiljana", "Çlirim"):
        AttendanceFactory(activity=activity, person=PersonFactory(given_name=given))
    TallyFactory(activity=activity, headcount=17)
    GrantFactory(amount=Decimal("12345.67"))
    Attachment.objects.create(
        target_type=ContentType.objects.get_for_model(activity),
        target_id=activity.pk,
        kind="sign_in_sheet",
        title="Sign-in sheet",
        file_name="sheet.pdf",
        media_type="application/pdf",
        size=len(SIGN_IN_SHEET),
        sha256="0" * 64,
        content=SIGN_IN_SHEET,
        uploaded_by=officer,
    )
    DBTaskResult.objects.create(
        task_path="akt.jobs.services.nothing",
        args_kwargs={"args": [1, "ë"], "kwargs": {"when": "2015-05-12"}},
        backend_name="default",
        run_after=timezone.now() + dt.timedelta(days=1),
    )
    waiting = data_dir / "uploads" / "folders" / "office.zip"
    waiting.parent.mkdir(parents=True)
    waiting.write_bytes(b"PK\x05\x06" + bytes(18))
    return {"activity": activity, "waiting": waiting}


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_every_row_as_it_was(
    records: dict[str, object], data_dir: Path, tmp_path: Path
) -> None:
    before = everything()
    archive = tmp_path / "akt-backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())

    call_command("flush", interactive=False, verbosity=0)
    waiting = records["waiting"]
    assert isinstance(waiting, Path)
    waiting.unlink()
    assert not Person.objects.exists()

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)

    after = everything()
    differences = [table for table in before if before[table] != after[table]]
    assert differences == []
    assert sum(len(rows) for rows in after.values()) > 300  # the reference data among them
    assert bytes(Attachment.objects.get().content) == SIGN_IN_SHEET
    assert waiting.read_bytes() == b"PK\x05\x06" + bytes(18)
    assert "Restored" in out.getvalue()
    # New records continue after the restored ones (PostgreSQL's sequences were reset).
    newest = Person.objects.order_by("-pk").first()
    assert newest is not None
    assert PersonFactory().pk > newest.pk


@pytest.mark.django_db
def test_a_restore_into_a_database_with_records_is_refused_and_changes_nothing(
    records: dict[str, object], tmp_path: Path
) -> None:
    archive = tmp_path / "akt-backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    PersonFactory(given_name="Entered", family_name="After the backup")
    before = everything()

    with pytest.raises(CommandError, match="already holds records"):
        call_command("restore", str(archive), stdout=io.StringIO())

    assert everything() == before


@pytest.mark.django_db
def test_replace_puts_the_backup_in_place_of_the_records(
    records: dict[str, object], tmp_path: Path
) -> None:
    archive = tmp_path / "akt-backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    at_backup = everything()
    PersonFactory(given_name="Entered", family_name="After the backup")

    call_command("restore", str(archive), "--replace", stdout=io.StringIO())

    assert not Person.objects.filter(given_name="Entered").exists()
    assert everything() == at_backup


def _rewrite_manifest(source: Path, target: Path, change: Callable[[dict], None]) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "manifest.json":
                manifest = json.loads(data)
                change(manifest)
                data = json.dumps(manifest).encode()
            new.writestr(item, data)


@pytest.mark.django_db
def test_a_backup_made_at_other_migrations_is_refused(
    records: dict[str, object], tmp_path: Path
) -> None:
    archive = tmp_path / "akt-backup.zip"
    call_command("backup", str(archive), stdout=io.StringIO())
    later = tmp_path / "later.zip"
    _rewrite_manifest(
        archive, later, lambda manifest: manifest["migrations"].append(["people", "9999_later"])
    )
    before = everything()

    with pytest.raises(CommandError, match="other migrations.*people.9999_later"):
        call_command("restore", str(later), "--replace", stdout=io.StringIO())

    assert everything() == before


@pytest.mark.django_db
def test_a_file_that_is_not_a_backup_is_refused(reference: None, tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as archive:
        archive.writestr("readme.txt", "hello")

    with pytest.raises(CommandError, match="not an AKT backup"):
        call_command("restore", str(other), stdout=io.StringIO())
