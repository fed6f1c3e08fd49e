"""``akt import-folder``: an activity list with its rosters, imported in one go (issue 10,
item 8).

What the M&E officer checks after loading three years of an office's files: every activity is
recorded once with its roster or headcounts; a problem in any file stops everything, listed by
file, row, column and value; and the same folder imported again changes no figure.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from akt.accounts.models import User
from akt.activities.models import Activity, Attendance, Tally
from akt.intake.models import ImportBatch
from akt.people.models import Organization, Person
from akt.testing.office_folder import write_folder


def run(*args: Any) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_folder", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def results_json() -> Any:
    out = io.StringIO()
    call_command("results", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def stored() -> dict[str, int]:
    return {
        "activities": Activity.objects.count(),
        "organizations": Organization.objects.count(),
        "attendances": Attendance.objects.count(),
        "tallies": Tally.objects.count(),
        "persons": Person.objects.count(),
        "batches": ImportBatch.objects.count(),
    }


@pytest.mark.slow
def test_three_years_of_activities_with_their_rosters_import_in_one_go_and_again_change_nothing(
    personas: dict[str, User], tmp_path: Path
) -> None:
    folder = tmp_path / "akt-2014-2017"
    # 500 activities; one in 100 with its attendance file (4 rosters and a tally), to keep the
    # test short: each roster's registry match costs seconds on a busy machine.
    # bench/intake_folder.py imports a file for every activity.
    written = write_folder(folder, activities=500, roster_size=3, attendance_every=100)

    out, _err = run(folder, "--user", "me", "--new-persons-below-threshold")

    assert Activity.objects.count() == 500
    assert Organization.objects.count() == 5
    assert Attendance.objects.count() == written["roster_rows"] == 12
    assert Tally.objects.count() == written["tallies"] * 8 == 8
    assert "Imported 7 files: records created 505, records already there 0" in out
    dated = Activity.objects.order_by("start_date")
    assert (dated.first().start_date.year, dated.last().start_date.year) == (2014, 2017)
    every_row = ImportBatch.objects.get(file_name="activities.xlsx")
    assert sorted(Activity.objects.values_list("source_row", flat=True)) == list(range(2, 502))
    assert not Activity.objects.exclude(batch=every_row).exists()
    first = results_json()
    before = stored()

    out, _err = run(folder, "--user", "me", "--new-persons-below-threshold")

    assert results_json() == first
    assert stored() == {**before, "batches": before["batches"] + 2}  # the two lists, re-read
    assert "Imported 7 files: records created 0, records already there 505" in out
    assert out.count("skipped, already imported into") == 5


def test_a_problem_in_any_file_is_listed_by_file_and_row_and_nothing_is_imported(
    personas: dict[str, User], tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    write_folder(folder, activities=20, roster_size=2, attendance_every=10)
    (folder / "A-2016-9999.csv").write_text("Emri,Mbiemri\nArta,Hoxha\n", encoding="utf-8")
    book = zipfile.ZipFile(tmp_path / "folder.zip", "w")
    for item in sorted(folder.iterdir()):
        book.write(item, f"Raporti/{item.name}")
    broken = (
        "Nr. ref.,Titulli,Lloji,Data e fillimit,Komuna,Komponenti\n"
        "B-1,Hearing,Dëgjim publik,31.04.2015,Gjilan,1\n"
    )
    book.writestr("Raporti/aktivitetet 2016/activities.csv", broken)
    book.close()

    with pytest.raises(CommandError) as caught:
        run(tmp_path / "folder.zip", "--user", "me", "--new-persons-below-threshold")

    message = str(caught.value)
    assert "2 files of 6 have problems" in message, message
    assert stored() == {
        "activities": 0,
        "organizations": 0,
        "attendances": 0,
        "tallies": 0,
        "persons": 0,
        "batches": 0,
    }


def test_errors_are_listed_on_stderr(personas: dict[str, User], tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "activities.csv").write_text(
        "Ref,Title,Kind,Start date,Municipality,Component\n"
        "B-1,Hearing,Dëgjim publik,31.04.2015,Gjilan,1\n",
        encoding="utf-8",
    )
    (folder / "B-2.csv").write_text("Emri,Mbiemri\nArta,Hoxha\n", encoding="utf-8")
    err = io.StringIO()

    with pytest.raises(CommandError):
        call_command("import_folder", str(folder), "--user", "me", stdout=io.StringIO(), stderr=err)

    lines = err.getvalue().splitlines()
    assert lines == [
        "B-2.csv: It names the activity “B-2”, which is neither in the folder's list of "
        "activities nor recorded.",
        "activities.csv: Row 2, column “Start date”, value “31.04.2015”: “31.04.2015” is not a "
        "date: write YYYY-MM-DD or DD.MM.YYYY.",
    ]


def test_only_officers_who_see_every_record_import_a_folder(
    personas: dict[str, User], tmp_path: Path
) -> None:
    folder = tmp_path / "folder"
    write_folder(folder, activities=3, roster_size=2, attendance_every=3)

    with pytest.raises(CommandError) as caught:
        run(folder, "--user", "focal-gracanica")

    assert "may not import lists" in str(caught.value)
    assert Activity.objects.count() == 0
