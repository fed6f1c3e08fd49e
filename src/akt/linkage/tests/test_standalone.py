"""``akt link FILE.csv --out RESULT.csv``: a file of person records in, persons out, no database.

None of these tests asks for the database, so pytest-django fails any of them that queries it:
that is the check that the tool touches no database.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from akt.linkage import standalone

HEADER = "record_id,given_name,family_name,birth_date,sex,municipality,activity_id\n"

GOOD = HEADER + (
    "1,Jovan,Petrović,1980-05-01,M,Gnjilane,A1\n"
    "2,Јован,Петровић,1980-05-01,М,Гњилане,A2\n"
    "3,Jovan,Petrović,1980,M,Gjilan,A1\n"
    "4,Arben,Gashi,1975,M,Pejë,A1\n"
    "5,Drita,Morina,,F,Vushtrri,A2\n"
)


def write(tmp_path: Path, text: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_file_of_records_comes_out_as_persons(tmp_path: Path) -> None:
    source, result = write(tmp_path, GOOD), tmp_path / "result.csv"
    summary = standalone.link_file(source, result)
    rows = read(result)
    assert [row["record_id"] for row in rows] == ["1", "2", "3", "4", "5"]
    person = {row["record_id"]: row["person_id"] for row in rows}
    assert person["1"] == person["2"] == "P000001"  # Latin and Cyrillic: one attendee
    assert person["3"] != person["1"]  # same roster as record 1: another person
    assert len(set(person.values())) == summary.persons == 4
    assert summary.records == 5 and summary.refused_pairs >= 1


def test_the_same_file_gives_the_same_person_ids(tmp_path: Path) -> None:
    source = write(tmp_path, GOOD)
    standalone.link_file(source, tmp_path / "a.csv")
    standalone.link_file(source, tmp_path / "b.csv")
    assert read(tmp_path / "a.csv") == read(tmp_path / "b.csv")


def test_bad_rows_are_all_named_and_nothing_is_written(tmp_path: Path) -> None:
    source = write(
        tmp_path,
        HEADER
        + "1,Jovan,Petrović,01/05/1980,M,Gjilan,\n"  # row 2: date format
        + "2,Ana,Ilić,1980-02-30,X,Gjilan,\n"  # row 3: impossible date, unknown sex
        + "1,Marko,Nikolić,1970,M,Atlantis,\n"  # row 4: duplicate id, unknown municipality
        + "4,,,1970,M,Gjilan,\n",  # row 5: no name
    )
    result = tmp_path / "result.csv"
    with pytest.raises(standalone.LinkFileError) as raised:
        standalone.link_file(source, result)
    found = {(problem.row, problem.column) for problem in raised.value.problems}
    assert found == {
        (2, "birth_date"),
        (3, "birth_date"),
        (3, "sex"),
        (4, "record_id"),
        (4, "municipality"),
        (5, "given_name"),
    }
    message = str(raised.value)
    assert "row 2, column 'birth_date', value '01/05/1980'" in message
    assert "duplicate record_id (first on row 2)" in message
    assert "unknown municipality" in message
    assert not result.exists()
    assert list(tmp_path.iterdir()) == [source]  # no partial file either


def test_a_missing_column_is_reported_before_any_row(tmp_path: Path) -> None:
    source = write(tmp_path, "record_id,given_name,family_name,sex\n1,Jovan,Petrović,M\n")
    with pytest.raises(standalone.LinkFileError) as raised:
        standalone.link_file(source, tmp_path / "result.csv")
    assert {(p.row, p.column) for p in raised.value.problems} == {
        (0, "birth_date"),
        (0, "municipality"),
    }
    assert "header, column 'birth_date'" in str(raised.value)


def test_the_command_links_a_file_and_draws_progress(tmp_path: Path, capsys) -> None:
    source, result = write(tmp_path, GOOD), tmp_path / "result.csv"
    call_command("link", str(source), out=str(result))
    out, err = capsys.readouterr()
    assert "5 records, 4 persons" in out
    assert "100%" in err and "cluster" in err  # the progress bar on stderr
    assert [row["person_id"] for row in read(result)][:2] == ["P000001", "P000001"]


def test_the_command_refuses_a_bad_file_with_every_problem(tmp_path: Path) -> None:
    source = write(tmp_path, HEADER + "1,Jovan,Petrović,1980-13-01,M,Gjilan,\n")
    result = tmp_path / "result.csv"
    with pytest.raises(CommandError, match=r"row 2, column 'birth_date'"):
        call_command("link", str(source), out=str(result), no_progress=True)
    assert not result.exists()
