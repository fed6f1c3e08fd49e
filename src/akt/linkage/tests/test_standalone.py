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


# A clerk's file: a municipality spelt past recognition, a stray definite ending on an unknown
# name, the 29th of February of 2011, a date in no known shape, an unknown sex, a repeated and an
# empty record id, a row without a name, a row with a cell too many.
MESSY = HEADER + (
    "1,Jovan,Petrović,1980-05-01,M,Gnjilane,A1\n"  # row 2
    "2,Јован,Петровић,1980-05-01,М,Xyzzyville,A2\n"  # row 3: no such municipality
    "3,Ana,Ilić,2011-02-29,X,Gjilan,A1\n"  # row 4: impossible date, unknown sex
    "1,Marko,Nikolić,1970/13/45,M,Atlantisi,A2\n"  # row 5: id repeated, date and place unread
    ",Drita,Morina,1988,F,Vushtrri,A2\n"  # row 6: no record id
    "7,,,1970,M,Gjilan,A1\n"  # row 7: no name
    "8,Arben,Gashi,1975,M,Pejë,A1,surplus\n"  # row 8: a cell too many
)


def test_unreadable_values_become_unknown_and_every_record_is_written(tmp_path: Path) -> None:
    source, result, problems = write(tmp_path, MESSY), tmp_path / "r.csv", tmp_path / "p.csv"
    summary = standalone.link_file(source, result, problems_path=problems)
    rows = read(result)
    # Every input row, in order, the repeated and the empty id as written.
    assert [row["record_id"] for row in rows] == ["1", "2", "3", "1", "", "7", "8"]
    assert all(row["person_id"].startswith("P") for row in rows)
    person = [row["person_id"] for row in rows]
    # The Cyrillic record lost its municipality, not its person: names and date still link it.
    assert person[0] == person[1]
    assert summary.records == 7 and summary.persons == len(set(person))
    listed = {(int(row["row"]), row["column"], row["value"]) for row in read(problems)}
    assert listed == {
        (3, "municipality", "Xyzzyville"),
        (4, "birth_date", "2011-02-29"),
        (4, "sex", "X"),
        (5, "record_id", "1"),
        (5, "birth_date", "1970/13/45"),
        (5, "municipality", "Atlantisi"),
        (6, "record_id", ""),
        (7, "given_name", ""),
        (8, "", "surplus"),
    }
    assert summary.unreadable == {"birth_date": 2, "sex": 1, "municipality": 2}
    reasons = {(int(row["row"]), row["column"]): row["reason"] for row in read(problems)}
    assert "2011" in reasons[(4, "birth_date")]  # the year of an impossible date is kept
    assert "row 2" in reasons[(5, "record_id")]


def test_an_impossible_date_keeps_its_year_and_an_unreadable_one_is_unknown() -> None:
    header = ["record_id", "given_name", "family_name", "birth_date", "sex", "municipality"]
    rows = [
        dict(zip(header, ["a", "Ana", "Ilić", "2011-02-29", "F", "Gjilan"], strict=True)),
        dict(zip(header, ["b", "Ana", "Ilić", "29.02.2011", "Ж", "Гњилане"], strict=True)),
        dict(zip(header, ["c", "Ana", "Ilić", "bëj", "F", "Gjilan"], strict=True)),
        dict(zip(header, ["d", "Ana", "Ilić", "07.03.1985", "F", "Gjilan"], strict=True)),
    ]
    records, problems = standalone.read_records(header, rows)
    assert [record["birth_date"] for record in records] == ["2011", "2011", "", "1985-03-07"]
    assert [(p.row, p.column) for p in problems] == [
        (2, "birth_date"),
        (3, "birth_date"),
        (4, "birth_date"),
    ]


def test_a_file_that_is_not_text_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    source = tmp_path / "people.csv"
    source.write_bytes(HEADER.encode() + "1,Jovan,Petrović,1980,M,Gjilan,\n".encode("cp1250"))
    result = tmp_path / "result.csv"
    with pytest.raises(standalone.LinkFileError, match="UTF-8"):
        standalone.link_file(source, result)
    assert list(tmp_path.iterdir()) == [source]


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
    assert "Every value was read." in out
    assert "100%" in err and "cluster" in err  # the progress bar on stderr
    assert [row["person_id"] for row in read(result)][:2] == ["P000001", "P000001"]


def test_the_command_counts_and_lists_the_problems(tmp_path: Path, capsys) -> None:
    source, result, problems = write(tmp_path, MESSY), tmp_path / "r.csv", tmp_path / "p.csv"
    call_command("link", str(source), out=str(result), problems=str(problems), no_progress=True)
    out = capsys.readouterr().out
    assert "7 records" in out
    assert "5 values could not be read and were taken as unknown" in out
    assert "birth_date: 2" in out and "municipality: 2" in out and "sex: 1" in out
    assert f"9 problems listed in {problems}" in out
    assert len(read(result)) == 7 and len(read(problems)) == 9


def test_the_command_without_problems_file_says_how_to_get_one(tmp_path: Path, capsys) -> None:
    call_command("link", str(write(tmp_path, MESSY)), out=str(tmp_path / "r.csv"), no_progress=True)
    assert "9 problems found; give --problems FILE to list them." in capsys.readouterr().out


def test_the_command_refuses_a_file_without_the_required_columns(tmp_path: Path) -> None:
    source = write(tmp_path, "record_id,given_name,family_name,sex\n1,Jovan,Petrović,M\n")
    result = tmp_path / "result.csv"
    with pytest.raises(CommandError, match=r"header, column 'birth_date'"):
        call_command("link", str(source), out=str(result), no_progress=True)
    assert not result.exists()
