"""Tests for finding the header and the data in sheets as offices make them (issue 10, item 1).

The sheets here are built the way a municipal clerk builds them: a merged title, a date row, a
blank row, sometimes a row numbering the columns, a header in row 6, a "Nr." column and a
column nobody headed, then "Gjithsej: 40", "Укупно", the signatures, a note and a stamp below
the data. What is checked is what the officer checks: exactly the real rows are read (and
imported, with their spreadsheet row numbers), a truly bad row is reported on the row where it
is, and the rows left out are listed with their numbers and why.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from akt.accounts.models import User
from akt.activities.models import Activity, ActivityKind, Attendance
from akt.intake.fields import ROSTER_FIELDS, TALLY_FIELDS
from akt.intake.models import ImportBatch, ImportKind
from akt.intake.services import (
    import_check,
    import_choose_layout,
    import_commit,
    import_map_columns,
    import_receive,
)
from akt.intake.sources import FileRefused, Limits, Sheet, read_sheet
from akt.intake.validation import problems_of
from akt.testing.factories import ActivityFactory, municipality

# -- sheets as offices make them ---------------------------------------------------------------

SQ_PEOPLE = [
    (given, sex, family)
    for given, sex in (
        ("Arbër", "M"),
        ("Drita", "F"),
        ("Besnik", "M"),
        ("Vjosa", "F"),
        ("Agron", "M"),
        ("Teuta", "F"),
        ("Blerim", "M"),
        ("Arta", "F"),
        ("Fatmir", "M"),
        ("Mimoza", "F"),
    )
    for family in ("Krasniqi", "Gashi", "Berisha", "Hoxha")
]
"""Forty different people of a hearing in Gjilan."""

SR_PEOPLE = [
    (given, sex, family)
    for given, sex in (("Јован", "Мушки"), ("Милица", "Женски"), ("Драган", "Мушки"))
    for family in ("Петровић", "Јовановић", "Стојановић", "Илић")
]
"""Twelve different people of a hearing in Zvečan, written in Cyrillic."""


def workbook(*sheets: tuple[str, Sequence[Sequence[object]], Sequence[str]]) -> bytes:
    """An .xlsx with the named sheets, their rows, and the ranges merged on each."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, merged in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for cells in merged:
            sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def albanian_hearing(bad: dict[int, tuple[int, str]] | None = None) -> list[list[object]]:
    """The Gjilan hearing roster: a merged title (row 1), a date row (2), a blank row (3), the
    header (4) with a "Nr." column and a column nobody headed (phone numbers), 40 people (rows 5
    to 44), "Gjithsej: 40" (45), a blank row, the signatures (47) and a note (48).

    ``bad`` puts a wrong value in a person's row: row number -> (column index, value)."""
    rows: list[list[object]] = [
        ["KOMUNA E GJILANIT – Lista e pjesëmarrësve në dëgjimin publik për buxhetin 2016"],
        ["Data: 12.05.2015", None, None, "Vendi: Salla e Kuvendit"],
        [],
        ["Nr.", "Emri", "Mbiemri", "Gjinia", "Viti i lindjes", "Komuniteti", "Komuna", None,
         "Nënshkrimi"],
    ]  # fmt: skip
    for index, (given, sex, family) in enumerate(SQ_PEOPLE, start=1):
        row: list[object] = [index, given, family, sex, 1950 + index, "Shqiptare", "Gjilan"]
        row += [f"044 123 {index:03}", "x"]
        rows.append(row)
    for number, (column, value) in (bad or {}).items():
        rows[number - 1][column] = value
    rows += [
        [None, "Gjithsej: 40"],
        [],
        ["Përgatiti:", None, None, None, "Nënshkrimi:", None, "_______________"],
        ["Shënim: lista u plotësua në sallë, para fillimit të dëgjimit."],
    ]
    return rows


ALBANIAN_MERGED = ["A1:I1", "A2:C2"]


def serbian_hearing() -> list[list[object]]:
    """The Zvečan hearing roster in Cyrillic: four title rows and a blank one, the header in
    row 6, the columns numbered in row 7, twelve people (8 to 19), then "Укупно: 12", the
    signature and the stamp's "М.П."."""
    rows: list[list[object]] = [
        ["СПИСАК УЧЕСНИКА"],
        ["Јавна расправа о буџету општине Звечан за 2016. годину"],
        ["Датум: 03.06.2015."],
        ["Место: сала Скупштине општине"],
        [],
        ["Р.бр.", "Име", "Презиме", "Пол", "Година рођења", "Заједница", "Општина", "Потпис"],
        [1, 2, 3, 4, 5, 6, 7, 8],
    ]
    for index, (given, sex, family) in enumerate(SR_PEOPLE, start=1):
        rows.append([index, given, family, sex, 1960 + index, "Српска", "Звечан", ""])
    rows += [
        ["", "Укупно: 12"],
        ["Потпис одговорног лица:", None, None, "________________"],
        ["М.П."],
    ]
    return rows


SERBIAN_MERGED = ["A1:H1", "A2:H2"]


def reasons(sheet: Sheet) -> dict[int, str]:
    return {row.number: row.reason for row in sheet.skipped}


# -- reading: no database ----------------------------------------------------------------------


def test_a_merged_title_a_date_and_a_blank_row_are_left_out_above_the_header() -> None:
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    sheet = read_sheet(data, "degjimi-gjilan.xlsx", fields=ROSTER_FIELDS)
    assert sheet.header_row == 4
    assert sheet.header_by == "names"
    assert sheet.headers[:4] == ("Nr.", "Emri", "Mbiemri", "Gjinia")
    assert [row.number for row in sheet.rows] == list(range(5, 45))
    assert sheet.rows[0].cells[1:3] == ("Arbër", "Krasniqi")
    assert reasons(sheet) == {
        1: "title",
        2: "title",
        3: "blank",
        45: "total",
        47: "signature",
        48: "note",
    }


def test_the_header_in_row_6_and_the_column_numbers_below_it() -> None:
    data = workbook(("Списак", serbian_hearing(), SERBIAN_MERGED))
    sheet = read_sheet(data, "rasprava-zvecan.xlsx", fields=ROSTER_FIELDS)
    assert sheet.header_row == 6
    assert sheet.headers[1:3] == ("Име", "Презиме")
    assert [row.number for row in sheet.rows] == list(range(8, 20))
    assert reasons(sheet) == {
        1: "title",
        2: "title",
        3: "title",
        4: "title",
        5: "blank",
        7: "column-numbers",
        20: "total",
        21: "signature",
        22: "signature",
    }


def test_column_numbers_above_the_header_and_a_second_header_in_serbian_are_left_out() -> None:
    # A bilingual form: the columns numbered, headed in Albanian and again in Serbian.
    rows = [
        ["Lista e pjesëmarrësve / Spisak učesnika"],
        ["1", "2", "3", "4"],
        ["Emri", "Mbiemri", "Gjinia", "Datëlindja"],
        ["Ime", "Prezime", "Pol", "Datum rođenja"],
        ["Arbër", "Gashi", "M", "1985"],
        ["Jovana", "Ilić", "Ženski", "1990"],
    ]
    sheet = read_sheet(workbook(("Lista", rows, [])), "lista.xlsx")
    assert sheet.header_row == 3
    assert [row.cells[0] for row in sheet.rows] == ["Arbër", "Jovana"]
    assert reasons(sheet) == {1: "title", 2: "column-numbers", 4: "header-again"}


def test_below_the_data_only_rows_after_the_last_person_are_left_out() -> None:
    rows = [
        ["Emri", "Mbiemri", "Gjinia"],
        ["Arbër", "Gashi", "M"],
        ["Totali", "", ""],  # in the middle: data, for validation to report
        ["Drita", "Hoxha", "F"],
        ["Besa"],  # only a name: a person with a missing family name, not a footer
        ["", "", "3"],  # only the count
        ["Ukupno učesnika: 4"],
        ["Potpis", "", "________"],
        ["Napomena: dva lica nisu potpisala."],
    ]
    sheet = read_sheet(workbook(("Lista", rows, [])), "lista.xlsx")
    assert [row.cells[0] for row in sheet.rows] == ["Arbër", "Totali", "Drita", "Besa"]
    assert reasons(sheet) == {6: "numbers", 7: "total", 8: "signature", 9: "note"}


def test_footer_detection_switched_off_reads_every_row_below_the_header() -> None:
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    sheet = read_sheet(data, "degjimi-gjilan.xlsx", fields=ROSTER_FIELDS, footer=False)
    assert [row.number for row in sheet.rows] == [*range(5, 45), 45, 47, 48]
    assert reasons(sheet) == {1: "title", 2: "title", 3: "blank"}


def test_a_tally_of_numbers_alone_is_kept_and_its_total_row_left_out() -> None:
    alone = "Numri i të pranishmëve\n\nGjinia;Komuniteti;Mosha;Numri\n;;;2000\n".encode()
    sheet = read_sheet(alone, "ceremonia.csv", fields=TALLY_FIELDS)
    assert sheet.header_row == 3
    assert [row.cells for row in sheet.rows] == [("", "", "", "2000")]
    counted = "Gjinia;Komuniteti;Mosha;Numri\nF;Shqiptare;15-29;12\nM;Serbe;30+;7\n;;;19\n"
    sheet = read_sheet(counted.encode(), "tally.csv", fields=TALLY_FIELDS)
    assert [row.number for row in sheet.rows] == [2, 3]
    assert reasons(sheet) == {4: "numbers"}


def test_a_sheet_with_its_own_headers_keeps_its_first_row_as_the_header() -> None:
    data = "Pjesëmarrësi;Vendbanimi\nArbër Gashi;Gjilan\nDrita Hoxha;Viti\n".encode()
    sheet = read_sheet(data, "lista.csv", fields=ROSTER_FIELDS)
    assert sheet.header_row == 1
    assert sheet.header_by == "first"
    assert sheet.headers == ("Pjesëmarrësi", "Vendbanimi")
    assert len(sheet.rows) == 2


def test_a_csv_saved_by_excel_with_its_title_rows_and_semicolons() -> None:
    # Excel in Albanian regional settings: ";" between cells, the title padded with them, and
    # commas inside the cells' text.
    text = (
        "Dëgjimi publik, Gjilan, 12.05.2015;;;;\n"
        "Lista e pjesëmarrësve;;;;\n"
        ";;;;\n"
        "Nr.;Emri;Mbiemri;Gjinia;Komuna\n"
        "1;Arbër;Gashi, i riu;M;Gjilan, Kosovë\n"
        "2;Drita;Hoxha;F;Gjilan\n"
        ";Gjithsej: 2;;;\n"
    )
    sheet = read_sheet(text.encode("utf-8-sig"), "lista.csv", fields=ROSTER_FIELDS)
    assert sheet.delimiter == ";"
    assert sheet.header_row == 4
    assert [row.cells[1:3] for row in sheet.rows] == [("Arbër", "Gashi, i riu"), ("Drita", "Hoxha")]
    assert reasons(sheet) == {1: "title", 2: "title", 3: "blank", 7: "total"}


def test_a_chosen_header_row_is_read_and_a_blank_one_is_refused() -> None:
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    sheet = read_sheet(data, "degjimi.xlsx", header_row=2)
    assert (sheet.header_row, sheet.header_by) == (2, "chosen")
    assert sheet.headers[0] == "Data: 12.05.2015"
    assert reasons(sheet)[1] == "title"
    assert reasons(sheet)[4] == "header-again"  # the real header, right below the chosen one
    assert sheet.rows[0].number == 5
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, "degjimi.xlsx", header_row=3)
    assert refused.value.code == "no-header-row"
    assert "Row 3" in str(refused.value)


def test_the_row_limit_counts_data_rows_not_the_rows_left_out() -> None:
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    assert len(read_sheet(data, "a.xlsx", limits=Limits(max_rows=40)).rows) == 40
    with pytest.raises(FileRefused) as refused:
        read_sheet(data, "a.xlsx", limits=Limits(max_rows=39))
    assert refused.value.code == "too-many-rows"


# -- importing ---------------------------------------------------------------------------------


@pytest.fixture
def gjilan_hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Dëgjimi publik për buxhetin 2016",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gjilan"),
        start_date=dt.date(2015, 5, 12),
    )


@pytest.fixture
def zvecan_hearing(reference: None) -> Activity:
    return ActivityFactory(
        title="Јавна расправа о буџету",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("zvecan"),
        start_date=dt.date(2015, 6, 3),
    )


def imported(
    actor: User, activity: Activity, data: bytes, name: str, **options: object
) -> ImportBatch:
    batch = import_receive(actor=actor, data=data, file_name=name, activity=activity, **options)
    batch = import_check(actor=actor, batch=batch)
    assert batch.problem_count == 0, [problems_of(row) for row in batch.rows if row["problems"]]
    return import_commit(actor=actor, batch=batch)


def roster_rows(activity: Activity) -> list[tuple[int, str, str]]:
    return sorted(
        Attendance.objects.filter(activity=activity).values_list(
            "source_row", "person__given_name", "person__family_name"
        )
    )


def test_an_albanian_hearing_roster_imports_exactly_its_forty_people(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    batch = imported(personas["me"], gjilan_hearing, data, "degjimi-gjilan.xlsx")

    assert batch.summary["attendances"] == 40
    on_roster = roster_rows(gjilan_hearing)
    assert [number for number, _given, _family in on_roster] == list(range(5, 45))
    assert on_roster[0] == (5, "Arbër", "Krasniqi")
    assert on_roster[-1] == (44, "Mimoza", "Hoxha")
    # The column nobody headed is a column without a name, not imported and not a problem.
    assert batch.headers[7] == "" and "7" not in batch.mapping
    assert batch.layout["header_row"] == 4
    assert [(row["number"], row["reason"]) for row in batch.layout["skipped"]] == [
        (1, "title"),
        (2, "title"),
        (3, "blank"),
        (45, "total"),
        (47, "signature"),
        (48, "note"),
    ]
    assert batch.layout["skipped"][3]["text"] == "Gjithsej: 40"


def test_the_truly_bad_rows_are_reported_on_their_own_rows_and_nothing_else(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    data = workbook(
        (
            "Lista",
            albanian_hearing({9: (3, "X"), 17: (4, "31.02.1985"), 30: (5, "Marsiane")}),
            ALBANIAN_MERGED,
        )
    )
    batch = import_receive(
        actor=personas["me"], data=data, file_name="degjimi.xlsx", activity=gjilan_hearing
    )
    batch = import_check(actor=personas["me"], batch=batch)

    problems = [problem for row in batch.rows for problem in problems_of(row)]
    assert [(problem.row, problem.column, problem.value) for problem in problems] == [
        (9, "Gjinia", "X"),
        (17, "Viti i lindjes", "31.02.1985"),
        (30, "Komuniteti", "Marsiane"),
    ]
    assert batch.row_count == 40
    with pytest.raises(ValidationError):
        import_commit(actor=personas["me"], batch=batch)
    assert not Attendance.objects.filter(activity=gjilan_hearing).exists()


def test_a_serbian_cyrillic_roster_with_title_rows_imports_exactly_its_twelve_people(
    personas: dict[str, User], zvecan_hearing: Activity
) -> None:
    data = workbook(("Списак", serbian_hearing(), SERBIAN_MERGED))
    batch = imported(personas["me"], zvecan_hearing, data, "списак-звечан.xlsx")

    assert batch.summary["attendances"] == 12
    on_roster = roster_rows(zvecan_hearing)
    assert [number for number, _given, _family in on_roster] == list(range(8, 20))
    assert on_roster[0] == (8, "Јован", "Петровић")
    assert {row["reason"] for row in batch.layout["skipped"]} == {
        "title",
        "blank",
        "column-numbers",
        "total",
        "signature",
    }


def test_a_workbook_with_a_sheet_per_activity_imports_each_sheet_into_its_activity(
    personas: dict[str, User], gjilan_hearing: Activity, zvecan_hearing: Activity
) -> None:
    training = ActivityFactory(
        title="Trajnim për zyrtarët komunalë",
        kind=ActivityKind.TRAINING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 6, 20),
    )
    trainees = [
        ["Trajnimi i zyrtarëve, Graçanicë"],
        [],
        ["Emri", "Mbiemri", "Gjinia", "Datëlindja", "Komuna"],
        ["Luan", "Morina", "M", "1983-04-02", "Graçanicë"],
        ["Shpresa", "Morina", "F", "02.11.1987", "Gračanica"],
        ["Gjithsej", "", "", "", "", "2"],
    ]
    data = workbook(
        ("Gjilan 12.05", albanian_hearing(), ALBANIAN_MERGED),
        ("Звечан 03.06", serbian_hearing(), SERBIAN_MERGED),
        ("Graçanicë 20.06", trainees, []),
    )
    me = personas["me"]
    for sheet, activity in (
        ("Звечан 03.06", zvecan_hearing),
        ("Graçanicë 20.06", training),
        ("Gjilan 12.05", gjilan_hearing),
    ):
        batch = imported(me, activity, data, "aktivitetet-2015.xlsx", sheet=sheet)
        assert batch.sheet_name == sheet

    assert [row[0] for row in roster_rows(gjilan_hearing)] == list(range(5, 45))
    assert [row[0] for row in roster_rows(zvecan_hearing)] == list(range(8, 20))
    assert roster_rows(training) == [(4, "Luan", "Morina"), (5, "Shpresa", "Morina")]


def test_an_extra_column_without_a_header_at_the_end_does_not_refuse_the_rows(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    # The clerk ticked attendance in a column right of the last header.
    text = "Emri,Mbiemri,Gjinia\nArbër,Gashi,M,x\nDrita,Hoxha,F,x\n"
    batch = imported(personas["me"], gjilan_hearing, text.encode(), "lista.csv")
    assert batch.headers == ["Emri", "Mbiemri", "Gjinia", ""]
    assert batch.summary["attendances"] == 2


# -- the officer's correction ------------------------------------------------------------------

OWN_HEADERS = (
    "Lista e pjesëmarrësve\n"
    "\n"
    "Pjesëmarrësi;Mbiemri i plotë;Vendbanimi\n"
    "Arbër;Gashi;Gjilan\n"
    "Drita;Hoxha;Gjilan\n"
    "Besa;Krasniqi;Viti\n"
)
"""Headers nobody taught the program: no row names a field, so the first row with text, the
title, is taken as the header until the officer says otherwise."""


def test_the_officer_picks_the_header_row_and_the_file_is_read_again(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    me = personas["me"]
    batch = import_receive(
        actor=me, data=OWN_HEADERS.encode(), file_name="lista.csv", activity=gjilan_hearing
    )
    assert batch.layout["header_by"] == "first"
    assert batch.headers == ["Lista e pjesëmarrësve", "", ""]

    batch = import_choose_layout(actor=me, batch=batch, header_row=3)
    assert batch.header_row == 3
    assert batch.headers == ["Pjesëmarrësi", "Mbiemri i plotë", "Vendbanimi"]
    assert [(row["number"], row["reason"]) for row in batch.layout["skipped"]] == [
        (1, "title"),
        (2, "blank"),
    ]
    batch = import_map_columns(
        actor=me,
        batch=batch,
        mapping={"0": "given_name", "1": "family_name", "2": "municipality"},
        remember=False,
    )
    assert [row["number"] for row in batch.rows] == [4, 5, 6]  # checked as the batch says
    batch = import_commit(actor=me, batch=ImportBatch.objects.get(pk=batch.pk))
    assert [row[0] for row in roster_rows(gjilan_hearing)] == [4, 5, 6]


def test_a_blank_header_row_is_refused_and_the_batch_left_as_it_was(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    me = personas["me"]
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    batch = import_receive(actor=me, data=data, file_name="degjimi.xlsx", activity=gjilan_hearing)
    with pytest.raises(ValidationError) as refused:
        import_choose_layout(actor=me, batch=batch, header_row=3)
    assert refused.value.code == "no-header-row"
    batch.refresh_from_db()
    assert (batch.header_row, batch.row_count, batch.layout["header_row"]) == (None, 40, 4)


def test_footer_detection_switched_off_by_the_officer_reads_the_total_as_a_person(
    personas: dict[str, User], gjilan_hearing: Activity
) -> None:
    me = personas["me"]
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    batch = import_receive(actor=me, data=data, file_name="degjimi.xlsx", activity=gjilan_hearing)
    batch = import_choose_layout(actor=me, batch=batch, header_row=None, skip_footer=False)
    assert batch.row_count == 43
    assert {problem.row for row in batch.rows for problem in problems_of(row)} == {45, 47, 48}
    batch = import_choose_layout(actor=me, batch=batch, header_row=None, skip_footer=True)
    assert (batch.row_count, batch.problem_count) == (40, 0)


# -- akt import --------------------------------------------------------------------------------


def run_import(*args: object) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *[str(arg) for arg in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_akt_import_reads_the_hearing_roster_and_lists_what_it_left_out(
    personas: dict[str, User], gjilan_hearing: Activity, tmp_path: Path
) -> None:
    path = tmp_path / "degjimi-gjilan.xlsx"
    path.write_bytes(workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED)))

    out, err = run_import(path, "--activity", gjilan_hearing.pk, "--user", "me", "--no-progress")

    assert "Attendances added: 40; persons created: 40" in out
    assert [row[0] for row in roster_rows(gjilan_hearing)] == list(range(5, 45))
    assert "The header is row 4, found by its column names." in err
    assert "Row 45 left out (Total below the data): Gjithsej: 40" in err
    assert "Row 47 left out (Signature or stamp below the data)" in err


def test_akt_import_takes_the_header_row_and_the_sheet_it_is_told(
    personas: dict[str, User], gjilan_hearing: Activity, zvecan_hearing: Activity, tmp_path: Path
) -> None:
    # Thirty-two rows of instructions above the header: beyond where the header is looked for.
    instructions = [[f"Udhëzim {number}: plotësoni me shkronja të mëdha."] for number in range(32)]
    rows = [*instructions, ["Emri", "Mbiemri", "Gjinia"], ["Arbër", "Gashi", "M"]]
    path = tmp_path / "lista.xlsx"
    path.write_bytes(workbook(("Звечан", serbian_hearing(), SERBIAN_MERGED), ("Gjilan", rows, [])))

    out, err = run_import(
        path, "--activity", gjilan_hearing.pk, "--user", "me", "--no-progress",
        "--sheet", "Gjilan", "--header-row", 33,
    )  # fmt: skip

    assert "Attendances added: 1" in out
    assert roster_rows(gjilan_hearing) == [(34, "Arbër", "Gashi")]
    assert "The header is row 33, as chosen." in err
    assert not Attendance.objects.filter(activity=zvecan_hearing).exists()


# -- the preview -------------------------------------------------------------------------------


def test_the_preview_shows_the_rows_left_out_with_their_numbers(client_for, personas) -> None:
    activity = ActivityFactory(
        title="Dëgjimi publik në Graçanicë",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
    )
    data = workbook(("Lista", albanian_hearing(), ALBANIAN_MERGED))
    client = client_for("me")
    response = client.post(
        reverse("intake:upload"),
        {
            "file": _upload("degjimi.xlsx", data),
            "kind": ImportKind.ROSTER,
            "activity": activity.pk,
            "encoding": "",
        },
    )
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert (batch.row_count, batch.problem_count) == (40, 0)

    html = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    section = html.split('id="layout"')[1].split("</section>")[0]
    assert "The column names were found in row 4." in section
    assert "6 rows are left out" in section
    for number, reason, text in (
        (1, "Text above the header (a title, a date)", "Lista e pjesëmarrësve"),
        (45, "Total below the data", "Gjithsej: 40"),
        (47, "Signature or stamp below the data", "Nënshkrimi:"),
        (48, "Note below the data", "Shënim: lista u plotësua"),
    ):
        assert f'<td class="num">{number}</td><td>{reason}</td><td>' in section
        assert text in section
    assert reverse("intake:batch_layout", args=[batch.pk]) in section

    # A focal point who did not upload the file sees what was left out, not what it says (a
    # signature row names someone).
    html = client_for("focal_gracanica").get(reverse("intake:batch_detail", args=[batch.pk]))
    section = html.content.decode().split('id="layout"')[1].split("</section>")[0]
    assert '<td class="num">45</td><td>Total below the data</td><td></td>' in section
    assert "Gjithsej" not in section and "Nënshkrimi" not in section


def test_the_officer_corrects_the_header_row_on_the_preview(client_for, personas) -> None:
    activity = ActivityFactory(
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
    )
    client = client_for("me")
    batch = import_receive(
        actor=personas["me"],
        data=OWN_HEADERS.encode(),
        file_name="lista.csv",
        activity=activity,
    )
    response = client.post(
        reverse("intake:batch_layout", args=[batch.pk]),
        {"header_row": "3", "skip_footer": "on"},
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.header_row, batch.row_count) == (3, 3)
    assert batch.headers == ["Pjesëmarrësi", "Mbiemri i plotë", "Vendbanimi"]
    # Checked again: the names are not mapped yet, on each of the three rows.
    problems = [problem for row in batch.rows for problem in problems_of(row)]
    assert {(problem.row, problem.code) for problem in problems} == {
        (4, "required"),
        (5, "required"),
        (6, "required"),
    }
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert "The column names are read from row 3, as chosen." in page

    response = client.post(
        reverse("intake:batch_layout", args=[batch.pk]), {"header_row": "2", "skip_footer": "on"}
    )
    assert response.status_code == 200
    assert "Row 2 is blank or past the last row of the sheet" in response.content.decode()
    batch.refresh_from_db()
    assert batch.header_row == 3


def test_the_officer_reads_another_sheet_of_the_workbook(client_for, personas) -> None:
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 6, 20),
    )
    trainees = [["Emri", "Mbiemri", "Gjinia"], ["Luan", "Morina", "M"], ["Ana", "Morina", "F"]]
    data = workbook(
        ("Gjilan 12.05", albanian_hearing(), ALBANIAN_MERGED), ("Graçanicë", trainees, [])
    )
    batch = import_receive(
        actor=personas["me"], data=data, file_name="aktivitetet.xlsx", activity=activity
    )
    assert (batch.sheet_name, batch.row_count) == ("Gjilan 12.05", 40)  # the first roster

    client = client_for("me")
    page = client.get(reverse("intake:batch_detail", args=[batch.pk])).content.decode()
    assert '<option value="Graçanicë">Graçanicë</option>' in page
    response = client.post(
        reverse("intake:batch_layout", args=[batch.pk]), {"sheet": "Graçanicë", "skip_footer": "on"}
    )
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.sheet_name, batch.header_row, batch.row_count) == ("Graçanicë", None, 2)
    assert [row["number"] for row in batch.rows] == [2, 3]
    import_commit(actor=personas["me"], batch=batch)
    assert roster_rows(activity) == [(2, "Luan", "Morina"), (3, "Ana", "Morina")]


@pytest.mark.parametrize(
    ("persona", "status"), [("focal_zvecan", 404), ("donor", 404), (None, 302)]
)
def test_only_those_who_may_change_the_batch_correct_how_it_is_read(
    client_for,
    personas,
    persona,
    status,
) -> None:
    activity = ActivityFactory(
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 5, 12),
    )
    batch = import_receive(
        actor=personas["me"], data=OWN_HEADERS.encode(), file_name="lista.csv", activity=activity
    )
    response = client_for(persona).post(
        reverse("intake:batch_layout", args=[batch.pk]), {"header_row": "3"}
    )
    assert response.status_code == status
    batch.refresh_from_db()
    assert batch.header_row is None


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)
