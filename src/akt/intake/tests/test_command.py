"""Tests for ``akt import FILE`` (issue 4, "Getting data in").

What the person at the terminal checks: a good file lands on the roster and the command says how
many attendances and persons it added; a bad file, a refused file or a user who may not write
to the activity ends with a non-zero exit, every reason listed, and the database as it was.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind, Attendance, Tally
from akt.cli import main
from akt.intake.models import ImportBatch
from akt.intake.tests.test_services import (
    ARBER,
    DRITA,
    ROSTER,
    TALLY,
    counts,
    csv_bytes,
    filled_template,
)
from akt.linkage.batch import REGISTRY_LOWER
from akt.linkage.models import ReviewPair
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, PersonFactory, community, municipality


@pytest.fixture
def hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Public hearing on the municipal budget",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
    )


def run(*args: Any, **options: Any) -> tuple[str, str]:
    """``akt import`` with these arguments: (stdout, stderr). CommandError propagates."""
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *[str(arg) for arg in args], stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def refused(*args: Any) -> tuple[str, str]:
    """The command's refusal and what it listed on stderr; fails if it imported."""
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", *[str(arg) for arg in args], stdout=io.StringIO(), stderr=err)
    return str(caught.value), err.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_good_roster_is_imported_and_summed_up(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    path = write(tmp_path, "roster.csv", csv_bytes([ARBER, DRITA]))

    out, err = run(path, "--activity", hearing.pk, "--user", "me")

    batch = ImportBatch.objects.get()
    assert (
        f"roster.csv imported into “{hearing.title}” (import {batch.pk}). Attendances added: 2; "
        "persons created: 2; rows skipped as already on the roster: 0; "
        "rows repeating another row's person: 0."
    ) in out
    assert "100%" in err  # the progress bar, drawn on stderr
    assert Attendance.objects.filter(activity=hearing, batch=batch).count() == 2
    assert batch.created_by == batch.committed_by == personas["me"]


def test_rows_already_on_the_roster_are_counted_as_skipped(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    first = write(tmp_path, "a.csv", csv_bytes([ARBER, DRITA]))
    run(first, "--activity", hearing.pk, "--user", "me", "--no-progress")
    again = write(tmp_path, "b.csv", csv_bytes([DRITA, ARBER], delimiter=";"))

    out, _err = run(again, "--activity", hearing.pk, "--user", "me", "--no-progress")

    assert (
        "Attendances added: 0; persons created: 0; rows skipped as already on the roster: 2;" in out
    )
    assert Attendance.objects.filter(activity=hearing).count() == 2


def test_problems_are_listed_by_row_column_and_value_and_nothing_is_kept(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    bad = [
        ARBER,
        ("Drita", "Gashi", "X", "1991", "Albanian", "Atlantis", ""),
        ("", "Berisha", "F", "1980", "Albanian", "Gjilan", ""),
    ]
    path = write(tmp_path, "bad.csv", csv_bytes(bad))
    before = counts()

    message, err = refused(path, "--activity", hearing.pk, "--user", "me", "--no-progress")

    assert "bad.csv has 3 problems in 2 rows" in message
    assert "Nothing was imported." in message
    lines = err.splitlines()
    assert any(
        line.startswith("Row 3, column “Sex”, value “X”: “X” is not a sex") for line in lines
    )
    assert any(
        line.startswith("Row 3, column “Municipality”, value “Atlantis”: “Atlantis” is not")
        for line in lines
    )
    assert "Row 4, column “Given name” (empty): Given name is required." in lines
    assert counts() == before  # not even the checked batch is kept


def test_a_file_that_is_not_a_spreadsheet_is_refused(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    path = write(tmp_path, "minutes.csv", b"%PDF-1.7\n1 0 obj\n")
    before = counts()

    message, _err = refused(path, "--activity", hearing.pk, "--user", "me")

    assert message.startswith("minutes.csv was refused.")
    assert "is not an Excel workbook (.xlsx) or a CSV file" in message
    assert counts() == before


def test_the_file_imported_twice_is_refused(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    path = write(tmp_path, "roster.csv", csv_bytes([ARBER]))
    run(path, "--activity", hearing.pk, "--user", "me", "--no-progress")

    message, _err = refused(path, "--activity", hearing.pk, "--user", "me", "--no-progress")

    assert "already imported for this activity" in message


@pytest.mark.parametrize(
    ("user", "reason"),
    [
        (None, "Name the user the import is made as: --user NAME."),
        ("nobody", "No active user is called nobody."),
        ("focal-zvecan", "focal-zvecan may not import into activity {activity}"),
        ("donor", "donor may not import into activity {activity}"),
    ],
)
def test_the_import_is_made_as_a_user_who_may_write_to_the_activity(
    personas: dict[str, User],
    hearing: Activity,
    tmp_path: Path,
    user: str | None,
    reason: str,
) -> None:
    path = write(tmp_path, "roster.csv", csv_bytes([ARBER]))
    before = counts()

    message, _err = refused(
        path, "--activity", hearing.pk, *(["--user", user] if user else []), "--no-progress"
    )

    assert reason.format(activity=hearing.pk) in message
    assert counts() == before


def test_the_activity_comes_from_the_template_when_not_given(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    data = filled_template(
        hearing,
        [{"Given name": "Milan", "Family name": "Stojanović", "Sex": "M", "Birth date": "1959"}],
        "en",
    )
    path = write(tmp_path, "lista.xlsx", data)

    out, _err = run(path, "--user", "focal-gracanica", "--no-progress")

    assert f"imported into “{hearing.title}”" in out
    assert Attendance.objects.get(activity=hearing).person.family_name == "Stojanović"


def test_a_csv_without_an_activity_asks_for_one(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    message, _err = refused(write(tmp_path, "r.csv", csv_bytes([ARBER])), "--user", "me")

    assert "Give the activity with --activity ID." in message
    assert not ImportBatch.objects.exists()


def test_a_tally_sheet(personas: dict[str, User], hearing: Activity, tmp_path: Path) -> None:
    data = csv_bytes(
        [("Female", "Serb", "15-29", "12"), ("Male", "Serb", "15-29", "0")], headers=TALLY
    )
    path = write(tmp_path, "tally.csv", data)

    out, _err = run(path, "--activity", hearing.pk, "--kind", "tally", "--user", "me")

    assert "Headcounts added: 1; rows skipped (already there, or a headcount of 0): 1." in out
    assert Tally.objects.get(activity=hearing).headcount == 12


def test_an_encoding_can_be_named(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    rows = [("Đorđe", "Šćekić", "M", "1968", "Srpska", "Gračanica", "")]
    path = write(tmp_path, "spisak.csv", csv_bytes(rows, delimiter=";", encoding="cp1250"))

    run(path, "--activity", hearing.pk, "--user", "me", "--encoding", "windows-1250")
    message, _err = refused(path, "--activity", hearing.pk, "--user", "me", "--encoding", "ebcdic")

    assert Person.objects.get().family_name == "Šćekić"
    assert "Unknown encoding ebcdic" in message


def test_a_row_that_may_be_a_registered_person_is_new_and_asked_in_the_review_queue(
    personas: dict[str, User], hearing: Activity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the command does with a row in the band between the thresholds, whatever the model
    # scores: the suggestion threshold is raised above this pair's probability, so the row,
    # though likely Drita, is only "possible".
    monkeypatch.setattr("akt.intake.services.SUGGEST_THRESHOLD", 0.99999)
    drita = PersonFactory(
        given_name="Drita",
        family_name="Gashi",
        sex="female",
        birth_year=1991,
        municipality=municipality("gracanice"),
    )
    rows = [ARBER, ("Drita", "Gashi", "F", "1991", "Albanian", "Gračanica", "")]
    path = write(tmp_path, "roster.csv", csv_bytes(rows))
    before = counts()

    # Told to stop when unsure, it stops at the row and names the candidate.
    message, err = refused(
        path, "--activity", hearing.pk, "--user", "me", "--no-progress", "--stop-when-unsure"
    )
    assert "1 row may be a person already registered" in message
    assert f"Row 3: Drita Gashi may be Drita Gashi (person {drita.pk}), with probability" in err
    assert counts() == before

    # The plain command imports the clean file: the row is a new person, the pair a question.
    out, _err = run(path, "--activity", hearing.pk, "--user", "me", "--no-progress")
    assert "Attendances added: 2; persons created: 2;" in out
    assert "1 row may be a person already registered" in out and "review queue" in out
    (pair,) = ReviewPair.objects.pending()
    new = Person.objects.exclude(pk=drita.pk).get(given_name="Drita")
    assert {pair.person_a, pair.person_b} == {drita, new}
    assert REGISTRY_LOWER <= pair.probability < 0.99999
    assert {item["field"] for item in pair.evidence} >= {"given_name", "family_name"}


def test_an_improbable_candidate_never_stops_the_import(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    """Row 21 of the issue: Ђорђе Јовановић was held up by Đorđe Antić at probability 0.00."""
    PersonFactory(
        given_name="Đorđe",
        family_name="Antić",
        sex="male",
        birth_year=1966,
        municipality=municipality("gracanice"),
    )
    rows = [("Ђорђе", "Јовановић", "М", "1968", "Српска", "Грачаница", "")]
    path = write(tmp_path, "spisak.csv", csv_bytes(rows))

    # Below the review threshold: a new person, no question, even when told to stop if unsure.
    out, _err = run(
        path, "--activity", hearing.pk, "--user", "me", "--no-progress", "--stop-when-unsure"
    )

    assert "persons created: 1;" in out
    assert "review queue" not in out
    assert not ReviewPair.objects.exists()


def test_a_row_that_is_clearly_a_registered_person_goes_to_them(
    personas: dict[str, User], hearing: Activity, tmp_path: Path
) -> None:
    jovan = PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1975, 3, 14),
        birth_year=None,
        community=community("serb"),
        municipality=municipality("gracanice"),
    )
    rows = [("Јован", "Петровић", "Мушки", "14.03.1975", "Српска", "Грачаница", "")]
    path = write(tmp_path, "spisak.csv", csv_bytes(rows, headers=ROSTER))

    out, _err = run(path, "--activity", hearing.pk, "--user", "me", "--no-progress")

    assert "Attendances added: 1; persons created: 0;" in out
    assert Attendance.objects.get(activity=hearing).person == jovan


def test_the_command_is_akt_import(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["akt", "import", "--help"])

    assert exited.value.code == 0
    assert "usage: akt import" in capsys.readouterr().out
