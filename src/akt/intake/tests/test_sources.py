"""Tests for reading uploaded files (issue 4, "Getting data in"): no database.

Each test builds the file a municipality or partner would send (a workbook made with openpyxl, a
CSV in the encoding their Excel writes, or something that is not a spreadsheet at all) and checks
what the person would check: the names read back exactly, the row numbers they can find in
Excel, and a refusal that names the cell, row or encoding to fix.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import pickle
import re
import time
import zipfile
from collections.abc import Callable

import pytest
from django.utils import translation
from django.utils.functional import Promise
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from akt.intake.sources import FileRefused, Limits, Sheet, SheetRow, read_sheet
from akt.intake.sources.csvfile import detect_delimiter
from akt.intake.sources.encoding import plausible
from akt.intake.sources.xlsx import cell_text, reference

CODES = {
    "too-large",
    "empty",
    "not-a-spreadsheet",
    "encrypted",
    "corrupt",
    "zip-bomb",
    "malformed",
    "cell-too-large",
    "too-many-columns",
    "too-many-rows",
    "formulas",
    "no-sheet",
    "encoding-unknown",
    "encoding-ambiguous",
    "encoding-wrong",
}
"""Every refusal code :class:`FileRefused` documents; a fuzzed file may only meet these."""

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def refused(data: bytes, file_name: str = "upload.csv", **options: object) -> FileRefused:
    """The refusal ``read_sheet`` gives; fails the test if it reads the file instead."""
    with pytest.raises(FileRefused) as caught:
        read_sheet(data, file_name, **options)  # type: ignore[arg-type]
    return caught.value


def cells(sheet: Sheet) -> list[tuple[str, ...]]:
    return [row.cells for row in sheet.rows]


def numbers(sheet: Sheet) -> list[int]:
    return [row.number for row in sheet.rows]


def workbook_bytes(*sheets: tuple[str, list[list[object]]], hidden: tuple[str, ...] = ()) -> bytes:
    """An .xlsx with the named sheets and rows, as Excel would save it."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        worksheet = workbook.create_sheet(title)
        for row in rows:
            worksheet.append(row)
        if title in hidden:
            worksheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rezip(
    data: bytes, change: Callable[[str, bytes], bytes], extra: dict[str, bytes] | None = None
) -> bytes:
    """The workbook with its members passed through ``change`` (and ``extra`` ones added),
    packed again with valid checksums, as a program writing a strange file would."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, change(info.filename, source.read(info.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def with_dimension(data: bytes, ref: str) -> bytes:
    """The workbook with the first sheet declaring ``ref`` as its dimension."""

    def change(name: str, content: bytes) -> bytes:
        if name == "xl/worksheets/sheet1.xml":
            return re.sub(
                rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref.encode() + b'"', content
            )
        return content

    return rezip(data, change)


ROSTER = [
    ["Emri", "Mbiemri", "Gjinia", "Datëlindja"],
    ["Arbër", "Gashi", "M", dt.date(1985, 3, 7)],
    ["Xhevdet", "Krasniqi", "M", dt.datetime(1990, 1, 2)],
]


# --- CSV: encodings ------------------------------------------------------------------------------


def test_utf8_csv_is_read_with_its_hash_and_name() -> None:
    data = "Emri,Mbiemri\nArbër,Gashi\nJovan,Petrović\n".encode()
    sheet = read_sheet(data, "lista e pjesëmarrësve.csv")
    assert sheet.headers == ("Emri", "Mbiemri")
    assert cells(sheet) == [("Arbër", "Gashi"), ("Jovan", "Petrović")]
    assert numbers(sheet) == [2, 3]
    assert sheet.encoding == "utf-8"
    assert sheet.delimiter == ","
    assert sheet.sheet_name == "lista e pjesëmarrësve"
    assert sheet.sha256 == hashlib.sha256(data).hexdigest()


def test_ascii_csv_is_utf8() -> None:
    sheet = read_sheet(b"Emri,Mbiemri\nArber,Gashi\n", "a.csv")
    assert sheet.encoding == "utf-8"


def test_utf8_with_byte_order_mark_keeps_the_first_header_clean() -> None:
    sheet = read_sheet(codecs.BOM_UTF8 + "Emri;Mbiemri\nArbër;Gashi\n".encode(), "kobo.csv")
    assert sheet.headers == ("Emri", "Mbiemri")
    assert sheet.encoding == "utf-8-sig"
    assert cells(sheet) == [("Arbër", "Gashi")]


def test_windows_1250_serbian_latin() -> None:
    text = "Ime;Prezime;Opština\nĐorđe;Đorđević;Gračanica\nMilan;Šćepanović;Zvečan\n"
    sheet = read_sheet(text.encode("cp1250"), "spisak.csv")
    assert sheet.encoding == "cp1250"
    assert cells(sheet) == [("Đorđe", "Đorđević", "Gračanica"), ("Milan", "Šćepanović", "Zvečan")]


def test_windows_1251_serbian_cyrillic() -> None:
    text = "Име;Презиме\nЈован;Петровић\nЉубиша;Ђурђевић\n"
    sheet = read_sheet(text.encode("cp1251"), "списак.csv")
    assert sheet.encoding == "cp1251"
    assert sheet.headers == ("Име", "Презиме")
    assert cells(sheet) == [("Јован", "Петровић"), ("Љубиша", "Ђурђевић")]


def test_windows_1252_albanian() -> None:
    text = "Emri;Mbiemri\nXhevdet;Krasniqi\nArbër;Gashi\nFatmire;Çeliku\n"
    sheet = read_sheet(text.encode("cp1252"), "lista.csv")
    assert sheet.encoding == "cp1252"
    assert cells(sheet) == [("Xhevdet", "Krasniqi"), ("Arbër", "Gashi"), ("Fatmire", "Çeliku")]


def test_utf16_from_excel_unicode_text() -> None:
    text = "Emri\tMbiemri\r\nĐorđe\tPetrović\r\nArbër\tÇeliku\r\n"
    sheet = read_sheet(text.encode("utf-16"), "unicode.txt")
    assert sheet.encoding == "utf-16"
    assert sheet.delimiter == "\t"
    assert cells(sheet) == [("Đorđe", "Petrović"), ("Arbër", "Çeliku")]


def test_ambiguous_encoding_is_refused_showing_both_readings() -> None:
    # A tally with no names: "Ž" in Windows-1250 is "Ћ" in Windows-1251, and both are letters.
    data = "Pol;Broj\nŽ;12\nM;10\n".encode("cp1250")
    error = refused(data)
    assert error.code == "encoding-ambiguous"
    assert error.params["candidates"] == ("cp1250", "cp1251")
    message = str(error)
    assert "Windows-1250" in message and "Windows-1251" in message
    assert "line 2 reads Ž / Ћ" in message
    assert "UTF-8" in message


@pytest.mark.parametrize(
    ("encoding", "sex", "reported"),
    [("cp1250", "Ž", "cp1250"), ("windows-1251", "Ћ", "cp1251"), ("cp1252", "Ž", "cp1252")],
)
def test_chosen_encoding_overrides_detection(encoding: str, sex: str, reported: str) -> None:
    data = "Pol;Broj\nŽ;12\n".encode("cp1250")
    sheet = read_sheet(data, "tally.csv", encoding=encoding)
    assert cells(sheet) == [(sex, "12")]
    assert sheet.encoding == reported


def test_chosen_encoding_that_does_not_fit_is_refused_naming_the_byte() -> None:
    data = "Ime\nĐorđe\n".encode("cp1250")
    error = refused(data, encoding="utf-8")
    assert error.code == "encoding-wrong"
    assert "byte 5" in str(error)  # "Ime\n" then Đ: the fifth byte


def test_an_encoding_not_offered_is_the_callers_mistake() -> None:
    with pytest.raises(ValueError, match="unsupported encoding"):
        read_sheet(b"a\n", "a.csv", encoding="koi8-r")


def test_text_in_no_expected_encoding_is_refused() -> None:
    # ISO-8859-2 "Šabić" reads "©abić" in Windows-1250: a symbol stuck to a name is no name.
    error = refused("Prezime\nŠabić\n".encode("iso-8859-2"))
    assert error.code == "encoding-unknown"
    assert "UTF-8" in str(error)


def test_windows_1250_and_1252_never_give_two_different_plausible_readings_of_a_byte() -> None:
    """Detection relies on this: the two code pages only ever differ on characters it rejects,
    so a file readable in both reads the same in both."""
    for byte in range(0x80, 0x100):
        readings = []
        for encoding in ("cp1250", "cp1252"):
            try:
                readings.append(bytes([byte]).decode(encoding))
            except UnicodeDecodeError:
                continue
        plausible_readings = {reading for reading in readings if plausible(reading)}
        assert len(plausible_readings) <= 1, (hex(byte), readings)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Arbër Gashi", True),
        ("Јован Петровић", True),
        ("„Ana“ Petrović–Šaković", True),
        ("Arbлr", False),  # Latin read as Windows-1251
        ("Ðorðeviæ", False),  # Windows-1250 read as Windows-1252
        ("©abić", False),  # ISO-8859-2 read as Windows-1250
        ("Ïåòðîâè", False),  # Windows-1251 read as Windows-1252
    ],
)
def test_plausible_text(text: str, expected: bool) -> None:
    assert plausible(text) is expected


# --- CSV: shape --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "delimiter"),
    [
        ("Emri;Mbiemri;Gjinia", ";"),
        ("Emri\tMbiemri\tGjinia", "\t"),
        ("Emri,Mbiemri,Gjinia", ","),
        ('"Emri, mbiemri";Gjinia;Komuna', ";"),  # the comma is inside quotes
        ("Emri", ","),
    ],
)
def test_delimiter_is_found_in_the_header(header: str, delimiter: str) -> None:
    assert detect_delimiter([header + "\n"]) == delimiter


def test_delimiter_tie_is_broken_by_the_rows_below() -> None:
    lines = ["Emri, mbiemri;Gjinia\n", "Arbër Gashi;M\n", "Jovan Petrović;M\n"]
    assert detect_delimiter(lines) == ";"


def test_semicolon_csv_with_commas_in_cells() -> None:
    sheet = read_sheet("Emri;Organizata\nArbër;OJQ „Ura, Mitrovicë“\n".encode(), "a.csv")
    assert sheet.delimiter == ";"
    assert cells(sheet) == [("Arbër", "OJQ „Ura, Mitrovicë“")]


def test_tab_separated() -> None:
    sheet = read_sheet("Emri\tMbiemri\nArbër\tGashi\n".encode(), "a.tsv")
    assert sheet.delimiter == "\t"
    assert cells(sheet) == [("Arbër", "Gashi")]


def test_excel_separator_line_is_obeyed_and_hidden() -> None:
    sheet = read_sheet(b"sep=;\r\nEmri;Mbiemri,Jr\r\nArber;Gashi,Jr\r\n", "a.csv")
    assert sheet.delimiter == ";"
    assert sheet.headers == ("Emri", "Mbiemri,Jr")
    assert sheet.header_row == 1  # Excel does not show the "sep=" line
    assert numbers(sheet) == [2]


def test_a_header_beginning_with_sep_is_a_header() -> None:
    sheet = read_sheet(b"sep=abc;Emri\nx;Arber\n", "a.csv")
    assert sheet.headers == ("sep=abc", "Emri")


def test_blank_rows_are_skipped_and_row_numbers_stay_true() -> None:
    data = (
        b"\n"
        b";;;\n"  # a row Excel exported with only separators
        b"Emri;Mbiemri\n"  # row 3: the header
        b"Arber;Gashi\n"  # row 4
        b"\n"
        b'"Jovan";"Petrovic\nJr"\n'  # row 6, one row in Excel although two lines here
        b"  ;  \n"
        b"Ana;Hoxha\n"  # row 8
    )
    sheet = read_sheet(data, "a.csv")
    assert sheet.header_row == 3
    assert sheet.headers == ("Emri", "Mbiemri")
    assert numbers(sheet) == [4, 6, 8]
    assert cells(sheet)[1] == ("Jovan", "Petrovic\nJr")


def test_cells_are_stripped_short_rows_padded_long_rows_kept() -> None:
    data = b"Emri;Mbiemri;Gjinia;;;\n  Arber ;Gashi\nJovan;Petrovic;M;;extra;\n"
    sheet = read_sheet(data, "a.csv")
    assert sheet.headers == ("Emri", "Mbiemri", "Gjinia")  # the empty trailing headers dropped
    assert cells(sheet) == [("Arber", "Gashi", ""), ("Jovan", "Petrovic", "M", "", "extra")]


def test_formula_like_cells_in_a_csv_are_kept_as_text() -> None:
    sheet = read_sheet(b"Emri,Telefoni,Shenim\n=HYPERLINK(1),+38344123456,-\n@x,-1,=1+1\n", "a.csv")
    assert cells(sheet) == [("=HYPERLINK(1)", "+38344123456", "-"), ("@x", "-1", "=1+1")]


def test_duplicate_and_blank_headers_are_kept() -> None:
    sheet = read_sheet(b"Emri,,Emri,Gjinia\nA,b,C,M\n", "a.csv")
    assert sheet.headers == ("Emri", "", "Emri", "Gjinia")


def test_unclosed_quote_is_refused_naming_the_row() -> None:
    error = refused(b'Emri,Mbiemri\nArber,Gashi\nJovan,"Petrovic\nAna,Hoxha\n')
    assert error.code == "malformed"
    assert "row 3" in str(error)


def test_text_after_a_closing_quote_is_refused() -> None:
    error = refused(b'Emri,Mbiemri\n"Ana" Maria,Hoxha\n')
    assert error.code == "malformed"
    assert "row 2" in str(error)


# --- CSV: limits ---------------------------------------------------------------------------------


def test_too_many_data_rows_are_refused_but_the_limit_itself_is_read() -> None:
    limits = Limits(max_rows=2)
    sheet = read_sheet(b"Emri\nA\n\nB\n", "a.csv", limits=limits)
    assert cells(sheet) == [("A",), ("B",)]
    error = refused(b"Emri\nA\nB\nC\n", limits=limits)
    assert error.code == "too-many-rows"
    assert "more than 2 rows" in str(error)


def test_a_wide_row_below_the_header_is_refused_naming_it() -> None:
    error = refused(b"Emri,Mbiemri\nA,B\nA,B,C,D,E\n", limits=Limits(max_columns=4))
    assert error.code == "too-many-columns"
    assert str(error) == "Row 3 has 5 cells; at most 4 columns are read."


def test_a_million_column_header_is_refused_at_once() -> None:
    data = b"Emri" + b",x" * 1_000_000 + b"\nArber\n"
    started = time.perf_counter()
    error = refused(data)
    assert time.perf_counter() - started < 1
    assert error.code == "too-many-columns"
    assert error.params["count"] == 1_000_001
    assert "1000001 columns; at most 200" in str(error)


def test_a_million_column_row_is_refused_quickly() -> None:
    data = b"Emri,Mbiemri\nArber,Gashi\n" + b"x," * 1_000_000 + b"\n"
    started = time.perf_counter()
    error = refused(data)
    assert time.perf_counter() - started < 2
    assert error.code == "too-many-columns"
    assert "Row 3 has 1000000 cells" in str(error)


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    error = refused(b"Emri\n" + b"A\n" * 100, "big.csv", limits=Limits(max_file_bytes=100))
    assert error.code == "too-large"
    assert "big.csv" in str(error)


@pytest.mark.parametrize("data", [b"", b"\n\n\r\n", b" ;;; \n;\n", codecs.BOM_UTF8])
def test_empty_files_are_refused(data: bytes) -> None:
    error = refused(data, "bosh.csv")
    assert error.code == "empty"
    assert "bosh.csv" in str(error)


# --- not a spreadsheet ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF",
        b"<html><body><table><tr><td>Emri</td></tr></table></body></html>",
        b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>',
        b"Emri,Mbiemri\nArber\x00\x01,Gashi\n",
        bytes(range(256)) * 4,
    ],
    ids=["pdf", "png", "jpeg", "html", "excel-2003-xml", "nul-bytes", "binary"],
)
def test_files_that_are_not_spreadsheets_are_named_so(data: bytes) -> None:
    error = refused(data, "raporti.csv")
    assert error.code == "not-a-spreadsheet"
    assert "raporti.csv is not an Excel workbook (.xlsx) or a CSV file" in str(error)


def test_password_protected_workbook_is_refused_as_encrypted() -> None:
    # Excel wraps an encrypted .xlsx in an OLE2 compound file with these streams.
    data = OLE2 + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(50)
    data += "EncryptedPackage".encode("utf-16-le") + bytes(2000)
    error = refused(data, "lista.xlsx")
    assert error.code == "encrypted"
    assert "password" in str(error)


def test_old_xls_workbook_is_refused_asking_for_xlsx() -> None:
    data = OLE2 + bytes(504) + "Workbook".encode("utf-16-le") + bytes(2000)
    error = refused(data, "lista.xlsx")  # renamed, but the bytes say .xls
    assert error.code == "not-a-spreadsheet"
    assert "(.xls)" in str(error) and "(.xlsx)" in str(error)


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    assert refused(buffer.getvalue(), "lista.ods").code == "not-a-spreadsheet"


# --- Excel ---------------------------------------------------------------------------------------


def test_workbook_dates_and_numbers_read_as_people_see_them() -> None:
    data = workbook_bytes(
        (
            "Lista",
            [
                [],
                ["Emri", "Mbiemri", "Datëlindja", "Mosha", "Shuma", "Prania", "Ora"],
                [" Arbër ", "Gashi", dt.date(1985, 3, 7), 38.0, 0.1 + 0.2, True, None],
                [],
                ["Jovan", "Petrović", dt.datetime(1990, 1, 2, 10, 30), 34, 2.5, False, dt.time(9)],
            ],
        )
    )
    sheet = read_sheet(data, "lista.xlsx")
    assert sheet.encoding is None
    assert sheet.header_row == 2
    assert sheet.headers == ("Emri", "Mbiemri", "Datëlindja", "Mosha", "Shuma", "Prania", "Ora")
    assert numbers(sheet) == [3, 5]
    assert cells(sheet) == [
        ("Arbër", "Gashi", "1985-03-07", "38", "0.3", "TRUE", ""),
        ("Jovan", "Petrović", "1990-01-02 10:30:00", "34", "2.5", "FALSE", "09:00:00"),
    ]
    assert sheet.sha256 == hashlib.sha256(data).hexdigest()
    assert sheet.sheet_names == ("Lista",)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, ""), (1985.0, "1985"), (1e20, "100000000000000000000"), (-3, "-3"), (0.5, "0.5")],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_a_formula_is_refused_naming_its_cell() -> None:
    rows: list[list[object]] = [["Emri", "Numri"], ["A", 1], ["B", 2]]
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = "Roster"
    for row in rows:
        worksheet.append(row)
    worksheet["B7"] = "=SUM(B2:B3)"
    buffer = io.BytesIO()
    workbook.save(buffer)
    error = refused(buffer.getvalue(), "lista.xlsx")
    assert error.code == "formulas"
    assert "Cell Roster!B7 holds a formula (=SUM(B2:B3))" in str(error)
    assert "values only" in str(error)


def test_cell_reference_quotes_sheet_names_as_excel_does() -> None:
    assert reference("Roster", "D7") == "Roster!D7"
    assert reference("Lista_e_pjesëmarrësve", "A1") == "Lista_e_pjesëmarrësve!A1"
    assert reference("Sign-in sheet", "D7") == "'Sign-in sheet'!D7"
    assert reference("Ana's list", "A2") == "'Ana''s list'!A2"


def test_the_sheet_recognising_intake_headers_is_chosen() -> None:
    data = workbook_bytes(
        ("Udhëzime", [["Plotësoni listën në fletën tjetër."]]),
        ("Spisak", [["Ime", "Prezime", "Pol"], ["Jovan", "Petrović", "M"]]),
    )
    sheet = read_sheet(data, "lista.xlsx")
    assert sheet.sheet_name == "Spisak"
    assert cells(sheet) == [("Jovan", "Petrović", "M")]
    assert sheet.sheet_names == ("Udhëzime", "Spisak")


def test_a_tally_sheet_is_recognised_too() -> None:
    data = workbook_bytes(
        ("Shënime", [["Data"], ["2024-05-01"]]),
        ("Tally", [["Gjinia", "Komuniteti", "Numri"], ["F", "Shqiptar", 12]]),
    )
    assert read_sheet(data, "tally.xlsx").sheet_name == "Tally"


def test_without_recognised_headers_the_first_visible_sheet_is_read() -> None:
    data = workbook_bytes(
        ("Lists", [["Femër"], ["Mashkull"]]),
        ("Data", [["Kolona 1"], ["x"]]),
        hidden=("Lists",),
    )
    assert read_sheet(data, "a.xlsx").sheet_name == "Data"


def test_the_sheet_named_is_read() -> None:
    data = workbook_bytes(
        ("Udhëzime", [["Tekst"], ["Lexo"]]),
        ("Spisak", [["Ime", "Prezime"], ["Jovan", "Petrović"]]),
    )
    assert read_sheet(data, "a.xlsx", sheet="Udhëzime").sheet_name == "Udhëzime"
    assert read_sheet(data, "a.xlsx", sheet="udhezime").sheet_name == "Udhëzime"
    error = refused(data, "a.xlsx", sheet="Lista")
    assert error.code == "no-sheet"
    assert (
        str(error) == "The workbook has no sheet named “Lista”. Its sheets are: Udhëzime, Spisak."
    )


@pytest.mark.parametrize("title", ["Activity", "Aktiviteti", "Aktivnost", "Активност"])
def test_the_activity_sheet_describes_the_activity(title: str) -> None:
    data = workbook_bytes(
        (title, [["Activity ID", "ACT-2024-017"], [], ["Komuna:", "Prishtinë"], [None, "x"]]),
        ("Lista", [["Emri", "Mbiemri"], ["Arbër", "Gashi"]]),
    )
    sheet = read_sheet(data, "lista.xlsx")
    assert sheet.sheet_name == "Lista"
    assert sheet.metadata == {"activity id": "ACT-2024-017", "komuna": "Prishtinë"}


def test_a_workbook_with_a_huge_declared_dimension_is_refused_at_once() -> None:
    data = with_dimension(workbook_bytes(("Lista", ROSTER)), "A1:XFD1048576")
    started = time.perf_counter()
    error = refused(data, "lista.xlsx")
    assert time.perf_counter() - started < 1
    assert error.code == "too-many-columns"
    assert "Sheet “Lista” spans 16384 columns, to column XFD; at most 200" in str(error)


def test_a_row_of_16384_cells_is_refused_quickly() -> None:
    workbook = Workbook()
    worksheet = workbook.active
    for row in ROSTER:
        worksheet.append(row)
    for column in range(1, 16385):
        worksheet.cell(row=5, column=column, value=column)
    buffer = io.BytesIO()
    workbook.save(buffer)
    started = time.perf_counter()
    error = refused(buffer.getvalue(), "wide.xlsx")
    assert time.perf_counter() - started < 2
    assert error.code == "too-many-columns"


def test_a_wrong_small_dimension_does_not_cut_off_cells() -> None:
    # Some programs write "A1" whatever the sheet holds; openpyxl alone would read one column.
    data = with_dimension(workbook_bytes(("Lista", ROSTER)), "A1")
    sheet = read_sheet(data, "lista.xlsx")
    assert sheet.headers == ("Emri", "Mbiemri", "Gjinia", "Datëlindja")
    assert cells(sheet)[1] == ("Xhevdet", "Krasniqi", "M", "1990-01-02")


def test_a_wide_row_hidden_by_the_dimension_is_refused_naming_the_row() -> None:
    rows: list[list[object]] = [["Emri", "Mbiemri"], ["A", "B"], ["A", "B", "C", "D", "E"]]
    data = with_dimension(workbook_bytes(("Lista", rows)), "A1:B3")
    error = refused(data, "lista.xlsx", limits=Limits(max_columns=4))
    assert error.code == "too-many-columns"
    assert str(error) == ("Row 3 of sheet “Lista” has 5 cells; at most 4 columns are read.")


def test_too_many_rows_in_a_workbook() -> None:
    data = workbook_bytes(("Lista", ROSTER))
    assert len(read_sheet(data, "a.xlsx", limits=Limits(max_rows=2)).rows) == 2
    assert refused(data, "a.xlsx", limits=Limits(max_rows=1)).code == "too-many-rows"


def test_an_empty_workbook_is_refused() -> None:
    error = refused(workbook_bytes(("Lista", [])), "bosh.xlsx")
    assert error.code == "empty"
    assert str(error) == "Sheet “Lista” of bosh.xlsx holds no data."


def test_a_zip_bomb_is_refused_unpacked() -> None:
    data = rezip(
        workbook_bytes(("Lista", ROSTER)),
        lambda name, content: content,
        extra={"xl/media/image1.png": bytes(50 * 1024 * 1024)},
    )
    assert len(data) < 200_000
    started = time.perf_counter()
    error = refused(data, "lista.xlsx")
    assert time.perf_counter() - started < 1
    assert error.code == "zip-bomb"
    assert "50.0" in str(error)  # what it would unpack to


def test_a_workbook_unpacking_past_the_limit_is_refused() -> None:
    data = workbook_bytes(("Lista", ROSTER))
    error = refused(data, "lista.xlsx", limits=Limits(max_unpacked_bytes=1000))
    assert error.code == "zip-bomb"


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],
        lambda data: data[:-30],
        lambda data: rezip(
            data,
            lambda name, content: b"<worksheet><sheetData><row r=" if "sheet1" in name else content,
        ),
        lambda data: rezip(
            data, lambda name, content: b"not xml" if name == "xl/workbook.xml" else content
        ),
        lambda data: rezip(
            data, lambda name, content: b"" if name == "[Content_Types].xml" else content
        ),
    ],
    ids=["half", "no-directory-end", "broken-sheet-xml", "broken-workbook-xml", "no-content-types"],
)
def test_a_damaged_workbook_is_refused_as_corrupt(damage: Callable[[bytes], bytes]) -> None:
    error = refused(damage(workbook_bytes(("Lista", ROSTER))), "lista.xlsx")
    assert error.code == "corrupt"
    assert "lista.xlsx is damaged or incomplete" in str(error)


def test_an_xml_entity_bomb_is_refused_unexpanded() -> None:
    # "Billion laughs": entity i expands to 10**9 letters; defusedxml refuses to declare them.
    names = "abcdefghi"
    entities = ['<!ENTITY a "aaaaaaaaaa">'] + [
        f'<!ENTITY {name} "{("&" + previous + ";") * 10}">'
        for previous, name in zip(names, names[1:], strict=False)
    ]
    declaration = ("<!DOCTYPE worksheet [" + "".join(entities) + "]>").encode()

    def bomb(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        return declaration + content.replace(b"<t>Emri</t>", b"<t>&i;</t>")

    data = rezip(workbook_bytes(("Lista", [["Emri"], ["x"]])), bomb)
    started = time.perf_counter()
    error = refused(data, "lista.xlsx")
    assert time.perf_counter() - started < 1
    assert error.code == "corrupt"
    causes = []
    cause: BaseException | None = error
    while cause is not None:
        causes.append(type(cause).__name__)
        cause = cause.__cause__ or cause.__context__
    assert "EntitiesForbidden" in causes


# --- the refusal itself --------------------------------------------------------------------------


def test_refusal_message_is_lazy_and_survives_pickling() -> None:
    error = refused(b"", "bosh.csv")
    assert isinstance(error.template, Promise)  # translated when shown, not when refused
    with translation.override("sr"):
        in_serbian = str(error)  # worded in the language active when it is shown
        assert in_serbian == translation.gettext("%(file)s is empty.") % {"file": "bosh.csv"}
    assert str(error) == "bosh.csv is empty."
    assert in_serbian != str(error)
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.code, str(copy)) == ("empty", "bosh.csv is empty.")


def test_sheet_rows_are_values() -> None:
    assert SheetRow(2, ("a",)) == SheetRow(2, ("a",))


# --- fuzzing: whatever arrives, a Sheet or a FileRefused -----------------------------------------

FUZZ = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ_LIMITS = Limits(max_rows=500, max_columns=50)
WORKBOOK = workbook_bytes(
    ("Activity", [["Activity ID", "A-1"]]),
    ("Lista", [*ROSTER, ["Ana", "Hoxha", "F", 1985]]),
)
SHEET_XML = zipfile.ZipFile(io.BytesIO(WORKBOOK)).read("xl/worksheets/sheet2.xml")
CSV = 'Emri;Mbiemri;Gjinia\nĐorđe;Šćepanović;M\n\n"Arbër, Jr";Çeliku;F\n'.encode("cp1250")


def read_or_refuse(data: bytes) -> None:
    """The promise every file is held to: a sound Sheet, or a refusal with a known code."""
    try:
        sheet = read_sheet(data, "fuzz.bin", limits=FUZZ_LIMITS)
    except FileRefused as error:
        assert error.code in CODES
        assert str(error)
        return
    assert sheet.headers and all(isinstance(header, str) for header in sheet.headers)
    assert all(row.number > sheet.header_row for row in sheet.rows)
    assert [row.number for row in sheet.rows] == sorted({row.number for row in sheet.rows})
    assert all(len(row.cells) >= len(sheet.headers) for row in sheet.rows)
    assert all(isinstance(cell, str) for row in sheet.rows for cell in row.cells)


def mutated(data: bytes, edits: list[tuple[int, int]], cut: int | None) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer[:cut] if cut else buffer)


EDITS = st.lists(st.tuples(st.integers(0, 1 << 20), st.integers(0, 255)), max_size=8)
MAGIC = st.sampled_from([b"", b"PK\x03\x04", OLE2, codecs.BOM_UTF8, codecs.BOM_UTF16_LE])


@FUZZ
@given(MAGIC, st.binary(max_size=3000))
def test_fuzz_random_bytes(magic: bytes, data: bytes) -> None:
    read_or_refuse(magic + data)


@FUZZ
@given(EDITS, st.one_of(st.none(), st.integers(1, len(WORKBOOK))))
def test_fuzz_damaged_workbook_bytes(edits: list[tuple[int, int]], cut: int | None) -> None:
    read_or_refuse(mutated(WORKBOOK, edits, cut))


@FUZZ
@given(EDITS, st.one_of(st.none(), st.integers(1, len(SHEET_XML))))
def test_fuzz_damaged_sheet_xml_in_a_sound_zip(
    edits: list[tuple[int, int]], cut: int | None
) -> None:
    xml = mutated(SHEET_XML, edits, cut)
    read_or_refuse(
        rezip(WORKBOOK, lambda name, content: xml if name.endswith("sheet2.xml") else content)
    )


@FUZZ
@given(EDITS, st.one_of(st.none(), st.integers(1, len(CSV))))
def test_fuzz_damaged_csv(edits: list[tuple[int, int]], cut: int | None) -> None:
    read_or_refuse(mutated(CSV, edits, cut))


@FUZZ
@given(st.text(max_size=300))
def test_fuzz_any_utf8_text(text: str) -> None:
    read_or_refuse(text.encode())
