"""Which row of a sheet is the header, which rows are data, and which are neither.

A municipal office does not hand in a header in row 1. Its sheet has a merged title ("Lista e
pjesëmarrësve në dëgjimin publik"), a date row, a blank row, sometimes a row numbering the
columns (1, 2, 3 ...), then the header; below the data a total ("Gjithsej: 40", "Ukupno",
"Укупно"), the signatures ("Nënshkrimi", "Potpis"), a note, or a cell holding only the count.
Read from row 1, such a sheet was refused whole: its title became the header and its total a
person without a family name. Here, the same for every reader (Excel, CSV, a Kobo export):

- **The header** is, among the first :data:`HEADER_SEARCH_ROWS` rows with text, the row whose
  cells name the most fields of the kind of file expected (:func:`akt.intake.fields.alias_keys`:
  any interface language, any script, any case); on a tie, the row with fewer cells that are only
  numbers or dates (a "Datum: 12.03.2016" row names one field, "Datum", as a header with one
  known column does), then the first. When no row names a field, the first row with text is the
  header, as before, so a sheet with its own headers can still be mapped by hand. A person can
  say which row it is instead (``header_row``).
- **Above the header** every row is left out: text ("title", which covers dates and places),
  blank rows ("blank"), a row numbering the columns ("column-numbers"). Directly below the
  header, a row numbering the columns is left out too, and so is a second row of column names
  ("header-again": a bilingual form heads its columns in Albanian and again in Serbian), one
  naming at least two fields and holding no number or date.
- **Below the data**, decided conservatively: only rows after the last row that may be a person
  (or a headcount) are left out, and only when the first cell with text starts with a footer word
  (:data:`FOOTER_WORDS`: a total, a signature or stamp, a note) or the row holds nothing but
  numbers ("numbers": a count, an empty pre-numbered line). A row with only a name is data; a
  total in the middle of the data is data (and reported by validation). ``footer=False`` keeps
  every row below the header as data.

Merged cells need nothing of their own: a merged title is one cell with text and empty ones.
Every row keeps the number the spreadsheet program shows, so what is left out is named by its row
on the preview, and a problem on row 9 is found on row 9.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from akt.intake.fields import (
    KOBO_FIELDS,
    ROSTER_FIELDS,
    TALLY_FIELDS,
    Field,
    alias_keys,
    header_key,
)
from akt.intake.sources.base import (
    FileRefused,
    Limits,
    Sheet,
    SheetRow,
    SkippedRow,
    too_many_rows,
)

__all__ = [
    "ANY_FIELD",
    "FOOTER_WORDS",
    "HEADER_SEARCH_ROWS",
    "REASONS",
    "Layout",
    "arrange",
    "header_score",
    "layout_record",
    "sheet_columns",
    "skipped_text",
]

HEADER_SEARCH_ROWS = 30
"""How many rows with text, from the top, may hold the header."""

FOOTER_ALLOWANCE = 1000
"""Rows read beyond the row limit before the footer is known: a sheet at the limit with a total
and its signatures below is still read, while a sheet far beyond it is refused while reading."""

TITLE = "title"
BLANK = "blank"
COLUMN_NUMBERS = "column-numbers"
HEADER_AGAIN = "header-again"
TOTAL = "total"
NUMBERS = "numbers"
SIGNATURE = "signature"
NOTE = "note"

REASONS: Mapping[str, Promise] = {
    TITLE: _("Text above the header (a title, a date)"),
    BLANK: _("Blank row above the header"),
    COLUMN_NUMBERS: _("Column numbers"),
    HEADER_AGAIN: _("Column names again (in another language)"),
    TOTAL: _("Total below the data"),
    NUMBERS: _("Only numbers, below the data"),
    SIGNATURE: _("Signature or stamp below the data"),
    NOTE: _("Note below the data"),
}
"""Why a row was left out, as the preview says it."""

FOOTER_WORDS: Mapping[str, tuple[str, ...]] = {
    TOTAL: (
        "total",
        "totali",
        "totals",
        "grand total",
        "gjithsej",
        "gjithsejt",
        "gjithesej",
        "shuma",
        "shuma totale",
        "numri i pergjithshem",
        "numri i pjesemarresve",
        "ukupno",
        "sveukupno",
        "svega",
        "ukupan broj",
        "broj ucesnika",
        "number of participants",
    ),
    SIGNATURE: (
        "signature",
        "signatures",
        "signed",
        "stamp",
        "prepared by",
        "approved by",
        "nenshkrimi",
        "nenshkrim",
        "nenshkrimet",
        "nenshkruesi",
        "nenshkroi",
        "v v",
        "pergatiti",
        "pergatitur nga",
        "miratoi",
        "verifikoi",
        "potpis",
        "potpisi",
        "pecat",
        "m p",
        "pripremio",
        "pripremila",
        "sastavio",
        "sastavila",
        "odobrio",
        "overio",
    ),
    NOTE: (
        "note",
        "notes",
        "remark",
        "remarks",
        "comment",
        "comments",
        "shenim",
        "shenime",
        "shenimi",
        "verejtje",
        "verejtja",
        "koment",
        "komente",
        "napomena",
        "napomene",
        "komentar",
        "primedba",
    ),
}
"""Words that open a row below the data which is not data, compared as headers are (case, script
and diacritics blind: "Укупно" is "ukupno", "Nënshkrimi" is "nenshkrimi"), as the whole of the
first cell with text or its first words ("Gjithsej: 40", "Potpis organizatora")."""

ANY_FIELD: tuple[Field, ...] = ROSTER_FIELDS + TALLY_FIELDS + KOBO_FIELDS
"""The fields looked for when the caller does not say which kind of file it expects."""


@dataclass
class Layout:
    """A sheet's rows sorted out: the header, the data, and what was left out."""

    header_row: int
    headers: tuple[str, ...]
    rows: list[SheetRow]
    skipped: list[SkippedRow]
    header_by: str
    """"names", "first" or "chosen", as :attr:`akt.intake.sources.base.Sheet.header_by`."""


def arrange(
    rows: Iterable[tuple[int, list[str]]],
    *,
    limits: Limits,
    fields: Sequence[Field] | None = None,
    header_row: int | None = None,
    footer: bool = True,
) -> Layout | None:
    """The layout of a sheet whose rows with text are ``rows``: ``(row number, cells)`` in order,
    cells as text without the empty ones at the end of the row. None when there is no row.

    Data rows are padded to the header's width (the cells beyond it are kept). Refuses with
    :class:`FileRefused` a sheet with more data rows than ``limits`` allow, and a ``header_row``
    that is blank or beyond the last row ("no-header-row").
    """
    stream = iter(rows)
    top = _top_rows(stream, header_row)
    if not top:
        return None
    keys = alias_keys(fields or ANY_FIELD)
    if header_row is None:
        index, header_by = _best_header(top, keys)
    else:
        chosen = next((i for i, (number, _cells) in enumerate(top) if number == header_row), None)
        if chosen is None:
            raise FileRefused(
                _(
                    "Row %(row)s is blank or past the last row of the sheet; choose the row "
                    "that holds the column names."
                ),
                "no-header-row",
                {"row": header_row},
            )
        index, header_by = chosen, "chosen"
    number, cells = top[index]
    headers = tuple(cells)
    width = sum(1 for header in headers if header.strip())
    skipped = _above(top[:index], number, width)
    data: list[SheetRow] = []
    for row_number, row_cells in chain(top[index + 1 :], stream):
        if not data and (reason := _below_header(row_cells, width, keys)):
            skipped.append(SkippedRow(row_number, reason, tuple(row_cells)))
            continue
        if len(data) >= limits.max_rows + FOOTER_ALLOWANCE:
            raise too_many_rows(limits)
        padding = [""] * (len(headers) - len(row_cells))
        data.append(SheetRow(row_number, (*row_cells, *padding)))
    if footer:
        skipped.extend(_footer(data))
    if len(data) > limits.max_rows:
        raise too_many_rows(limits)
    return Layout(number, headers, data, skipped, header_by)


def header_score(cells: Sequence[str], keys: Mapping[str, str]) -> tuple[int, int]:
    """How well a row does as a header: the fields its cells name (each counted once), and
    minus the cells holding only a number or a date (values, not names)."""
    named = {keys[key] for key in map(header_key, cells) if key in keys}
    values = sum(1 for cell in cells if _is_number(header_key(cell)))
    return len(named), -values


def sheet_columns(sheet: Sheet) -> list[str]:
    """The sheet's columns: its headers, and a column without a name ("") for each cell a data
    row holds beyond them (a "Nr." column, a column nobody headed), so such a cell is a column
    the person may map or leave out, not a row refused for holding it."""
    width = max((len(row.cells) for row in sheet.rows), default=0)
    return [*sheet.headers, *[""] * (width - len(sheet.headers))]


def layout_record(sheet: Sheet) -> dict[str, object]:
    """How a sheet was read, as kept on its batch for the preview: the header row and how it
    was found, each row left out (number, reason, its text shortened) and the workbook's
    sheets."""
    return {
        "header_row": sheet.header_row,
        "header_by": sheet.header_by,
        "skipped": [
            {"number": row.number, "reason": row.reason, "text": skipped_text(row)}
            for row in sheet.skipped
        ],
        "sheet_names": list(sheet.sheet_names),
    }


def skipped_text(row: SkippedRow, length: int = 120) -> str:
    """A left-out row's cells as one short line for the preview and the command."""
    text = " · ".join(cell for cell in row.cells if cell.strip())
    return text if len(text) <= length else text[: length - 1] + "…"


def _top_rows(
    stream: Iterator[tuple[int, list[str]]], header_row: int | None
) -> list[tuple[int, list[str]]]:
    """The rows the header is looked for in: the first :data:`HEADER_SEARCH_ROWS`, or up to
    and including the chosen row."""
    top: list[tuple[int, list[str]]] = []
    for number, cells in stream:
        top.append((number, cells))
        if header_row is not None and number >= header_row:
            break
        if header_row is None and len(top) >= HEADER_SEARCH_ROWS:
            break
    return top


def _best_header(top: Sequence[tuple[int, list[str]]], keys: Mapping[str, str]) -> tuple[int, str]:
    """The index of the header among ``top``, and how it was found."""
    scores = [header_score(cells, keys) for _number, cells in top]
    best = max(range(len(top)), key=lambda index: (scores[index], -index))
    if scores[best][0] == 0:
        return 0, "first"
    return best, "names"


def _below_header(cells: Sequence[str], width: int, keys: Mapping[str, str]) -> str | None:
    """Why a row between the header and the first data row is not data, or None."""
    if _numbers_columns(cells, width):
        return COLUMN_NUMBERS
    named, values = header_score(cells, keys)
    if named >= 2 and not values:
        return HEADER_AGAIN
    return None


def _above(top: Sequence[tuple[int, list[str]]], header_row: int, width: int) -> list[SkippedRow]:
    """The rows above the header, blank ones included, each with why it is not data."""
    texts = {
        number: SkippedRow(
            number, COLUMN_NUMBERS if _numbers_columns(cells, width) else TITLE, tuple(cells)
        )
        for number, cells in top
    }
    return [texts.get(number) or SkippedRow(number, BLANK) for number in range(1, header_row)]


def _footer(data: list[SheetRow]) -> list[SkippedRow]:
    """Removes from ``data`` the rows below the last one that may be a person, returning them
    with their reasons. When no row may be a person, only rows opening with a footer word go
    (a sheet of numbers alone may be a tally of unknown people). Only the rows from the end up
    to the last person are looked at."""
    reasons: list[str] = []
    cut = len(data)
    while cut and (reason := _footer_reason(data[cut - 1].cells)) is not None:
        reasons.append(reason)
        cut -= 1
    reasons.reverse()
    if cut == 0 and NUMBERS in reasons:  # numbers are data then, down to the last of them
        cut = len(reasons) - reasons[::-1].index(NUMBERS)
        reasons = reasons[cut:]
    footer = [
        SkippedRow(row.number, reason, _trimmed(row.cells))
        for row, reason in zip(data[cut:], reasons, strict=True)
    ]
    del data[cut:]
    return footer


def _footer_reason(cells: Sequence[str]) -> str | None:
    """Why a row below the data would not be data, or None when it may be a person.

    The first cell with a word decides: a footer word opens it, or the row is not a footer.
    A row of numbers alone is "numbers"; a row of lines and dashes alone (a place to sign) is a
    signature.
    """
    keys = [header_key(cell) for cell in cells if cell.strip()]
    words = [key for key in keys if key and not _is_number(key)]
    if words:
        first = words[0]
        for reason, markers in FOOTER_WORDS.items():
            if any(first == marker or first.startswith(marker + " ") for marker in markers):
                return reason
        return None
    if any(keys):
        return NUMBERS
    return SIGNATURE if keys else None


def _numbers_columns(cells: Sequence[str], width: int) -> bool:
    """Whether a row numbers the columns: 1, 2, 3 ... (or from 0) in order, nothing else, at
    least three of them, or as many as the header has names when it has fewer."""
    keys = [header_key(cell) for cell in cells if cell.strip()]
    if len(keys) < max(2, min(3, width)) or not all(key.isdigit() for key in keys):
        return False
    values = [int(key) for key in keys]
    return values[0] in (0, 1) and values == list(range(values[0], values[0] + len(values)))


def _is_number(key: str) -> bool:
    """A header key made only of digits: a count, an amount, a date such as "12 03 2016"."""
    return bool(key) and key.replace(" ", "").isdigit()


def _trimmed(cells: Sequence[str]) -> tuple[str, ...]:
    cells = list(cells)
    while cells and not cells[-1].strip():
        cells.pop()
    return tuple(cells)
