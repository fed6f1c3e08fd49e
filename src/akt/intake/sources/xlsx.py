"""Excel workbooks (.xlsx), read as the text a person sees in the cells.

An .xlsx is a zip of XML parts. Before openpyxl opens it, the zip's own directory is checked:
what every member declares it unpacks to (Python's zipfile never unpacks more than a member
declares), and how hard each is packed, so that a few kilobytes cannot unpack into gigabytes.
openpyxl parses the XML through defusedxml (installed beside it), which refuses entity bombs.

The workbook is read in openpyxl's read-only mode, which streams rows instead of building the
sheet in memory. Read-only mode trusts the ``<dimension>`` a sheet declares; that is used to
refuse, before reading a cell, a sheet claiming more columns than are read (16,384 columns to
XFD), and then dropped, so that a wrong dimension neither pads every row to 16,384 cells nor
cuts off real ones.

Formulas are refused rather than read: a template filled in by hand has none, the cached value
Excel stored may be stale or missing (a file written by another program), and a formula that
sums a column is not a person. The person is asked to paste values only.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import closing
from typing import Any

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from akt.intake.fields import Field, alias_keys, header_key
from akt.intake.layout import ANY_FIELD, HEADER_SEARCH_ROWS, arrange, header_score
from akt.intake.sources.base import (
    FileRefused,
    Limits,
    Sheet,
    file_size,
    not_a_spreadsheet,
    too_many_rows,
)

__all__ = ["ACTIVITY_SHEETS", "cell_text", "check_archive", "check_zip", "read_xlsx"]

ACTIVITY_SHEETS = frozenset(
    header_key(name) for name in ("Activity", "Aktiviteti", "Aktivnost", "Активност")
)
"""Names of the sheet that describes the activity a workbook reports on (key/value rows)."""

WORKBOOK_PART = "xl/workbook.xml"
_PEEK_ROWS = 50
"""How far down a sheet its header row is looked for when choosing which sheet to read (the
first :data:`~akt.intake.layout.HEADER_SEARCH_ROWS` rows with text among them)."""
_PLAIN_SHEET_NAME = re.compile(r"[^\W\d][\w.]*")


def read_xlsx(
    data: bytes,
    file_name: str,
    *,
    digest: str,
    limits: Limits,
    sheet: str | None = None,
    fields: Sequence[Field] | None = None,
    header_row: int | None = None,
    footer: bool = True,
) -> Sheet:
    """The sheet a workbook holds, or :class:`FileRefused`; see :func:`base.read_sheet`.

    Whatever goes wrong inside openpyxl on a damaged file becomes a "corrupt" refusal.
    """
    check_archive(data, file_name, limits)
    try:
        workbook = load_workbook(
            io.BytesIO(data), read_only=True, data_only=False, keep_links=False
        )
    except Exception as error:
        raise _corrupt(file_name) from error
    try:
        return _read_workbook(
            workbook,
            file_name,
            digest,
            limits,
            sheet,
            fields=fields,
            header_row=header_row,
            footer=footer,
        )
    except FileRefused:
        raise
    except Exception as error:
        raise _corrupt(file_name) from error
    finally:
        workbook.close()


def check_archive(data: bytes, file_name: str, limits: Limits) -> None:
    """Refuse a zip that is damaged, is not a workbook, or unpacks to too much."""
    members = check_zip(data, file_name, limits)
    if WORKBOOK_PART not in {member.filename for member in members}:
        raise not_a_spreadsheet(file_name)  # a Word file, an .ods, an .xlsb, a plain zip


def check_zip(data: bytes, file_name: str, limits: Limits) -> list[zipfile.ZipInfo]:
    """The members of any zip (a workbook, or a zip of a folder of sheets), read from its
    directory without unpacking anything; :class:`FileRefused` when it is damaged ("corrupt"),
    or has too many members, or unpacks to too much or packs a member too hard ("zip-bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as error:
        raise _corrupt(file_name) from error
    unpacked = sum(member.file_size for member in members)
    packed_too_hard = any(
        member.file_size > limits.ratio_floor_bytes
        and member.file_size > limits.max_compression_ratio * max(member.compress_size, 1)
        for member in members
    )
    if (
        len(members) > limits.max_archive_members
        or unpacked > limits.max_unpacked_bytes
        or packed_too_hard
    ):
        raise FileRefused(
            _(
                "%(file)s unpacks to %(size)s, far more than a spreadsheet of its size holds, "
                "so it is not read. Save it again from Excel; if it really holds that much, "
                "split it into smaller files."
            ),
            "zip-bomb",
            {"file": file_name, "size": file_size(unpacked)},
        )
    return members


def cell_text(value: object) -> str:
    """A cell's value as the text the intake reads.

    Dates as ISO "YYYY-MM-DD" (with the time only when there is one), whole numbers without
    ".0", other numbers to Excel's 15 significant digits (0.1 + 0.2 is "0.3", as Excel shows
    it), booleans as Excel writes them.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.15g}"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()


def _read_workbook(
    workbook: Any,
    file_name: str,
    digest: str,
    limits: Limits,
    sheet: str | None,
    *,
    fields: Sequence[Field] | None,
    header_row: int | None,
    footer: bool,
) -> Sheet:
    worksheets = list(workbook.worksheets)
    if not worksheets:
        raise FileRefused(_("%(file)s holds no data."), "empty", {"file": file_name})
    activity = next((ws for ws in worksheets if header_key(ws.title) in ACTIVITY_SHEETS), None)
    chosen = _chosen_sheet(worksheets, activity, sheet, limits, fields)
    _check_dimension(chosen, limits)
    layout = arrange(
        _read_rows(chosen, limits),
        limits=limits,
        fields=fields,
        header_row=header_row,
        footer=footer,
    )
    if layout is None:
        raise FileRefused(
            _("Sheet “%(sheet)s” of %(file)s holds no data."),
            "empty",
            {"sheet": chosen.title, "file": file_name},
        )
    metadata = (
        _metadata(activity, limits) if activity is not None and activity is not chosen else {}
    )
    return Sheet(
        file_name=file_name,
        sheet_name=chosen.title,
        headers=layout.headers,
        rows=layout.rows,
        encoding=None,
        sha256=digest,
        header_row=layout.header_row,
        metadata=metadata,
        sheet_names=tuple(ws.title for ws in worksheets),
        skipped=tuple(layout.skipped),
        header_by=layout.header_by,
    )


def _chosen_sheet(
    worksheets: list[Any],
    activity: Any,
    sheet: str | None,
    limits: Limits,
    fields: Sequence[Field] | None,
) -> Any:
    """The sheet named, else the first with a row near its top naming at least two of
    ``fields`` (any intake field's when None), else the first visible sheet other than the
    activity sheet."""
    if sheet is not None:
        return _named_sheet(worksheets, sheet)
    candidates = (
        [ws for ws in worksheets if ws is not activity and ws.sheet_state == "visible"]
        or [ws for ws in worksheets if ws is not activity]
        or worksheets
    )
    keys = alias_keys(fields or ANY_FIELD)
    for ws in candidates:
        if any(header_score(cells, keys)[0] >= 2 for cells in _peek_rows(ws, limits)):
            return ws
    return candidates[0]


def _named_sheet(worksheets: list[Any], sheet: str) -> Any:
    """The sheet of that name: exactly, else compared as headers are (case, script, accents)."""
    exact = [ws for ws in worksheets if ws.title == sheet]
    alike = [ws for ws in worksheets if header_key(ws.title) == header_key(sheet)]
    if exact or alike:
        return (exact or alike)[0]
    raise FileRefused(
        _("The workbook has no sheet named “%(sheet)s”. Its sheets are: %(sheets)s."),
        "no-sheet",
        {"sheet": sheet, "sheets": ", ".join(ws.title for ws in worksheets)},
    )


def _peek_rows(ws: Any, limits: Limits) -> list[list[str]]:
    """The rows with text among the first few, where the header may be; formulas read as
    blank (this sheet may not be the one read, and its formulas are then none of our
    business)."""
    found: list[list[str]] = []
    with closing(ws.iter_rows(max_row=_PEEK_ROWS, max_col=limits.max_columns)) as rows:
        for row in rows:
            cells = ["" if cell.data_type == "f" else cell_text(cell.value) for cell in row]
            if any(cells):
                found.append(cells)
                if len(found) >= HEADER_SEARCH_ROWS:
                    break
    return found


def _check_dimension(ws: Any, limits: Limits) -> None:
    """Refuse, from the dimension the sheet declares, a sheet wider than is read; then forget
    the dimension, so that rows are read as wide as they are."""
    columns = ws.max_column
    ws.reset_dimensions()
    if columns is not None and columns > limits.max_columns:
        raise FileRefused(
            _(
                "Sheet “%(sheet)s” spans %(count)s columns, to column %(column)s; at most "
                "%(limit)s are read. Delete the columns that are not needed, or copy the data "
                "into a new workbook, and try again."
            ),
            "too-many-columns",
            {
                "sheet": ws.title,
                "count": columns,
                "column": get_column_letter(columns),
                "limit": limits.max_columns,
            },
        )


def _read_rows(ws: Any, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` of each row with text, for :func:`akt.intake.layout.arrange`
    to sort into header, data and rows left out.

    Read-only mode yields one row per row number, blank ones included, so the position is the
    row number Excel shows.
    """
    for number, row in enumerate(ws.iter_rows(), start=1):
        cells = _texts(ws, row)
        if not cells:
            continue
        if len(cells) > limits.max_columns:
            raise FileRefused(
                _(
                    "Row %(row)s of sheet “%(sheet)s” has %(count)s cells; at most %(limit)s "
                    "columns are read."
                ),
                "too-many-columns",
                {
                    "row": number,
                    "sheet": ws.title,
                    "count": len(cells),
                    "limit": limits.max_columns,
                },
            )
        yield number, cells


def _texts(ws: Any, row: Iterable[Any]) -> list[str]:
    """The row's cells as text, without the empty ones at its end; a formula is refused."""
    cells = []
    for cell in row:
        if cell.data_type == "f":
            raise _formula(ws.title, cell)
        cells.append(cell_text(cell.value))
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _metadata(ws: Any, limits: Limits) -> dict[str, str]:
    """The activity sheet's first two columns as ``{header_key(key): value}``; the first row
    giving a key wins, rows without a key are skipped."""
    ws.reset_dimensions()
    metadata: dict[str, str] = {}
    read = 0
    for row in ws.iter_rows(max_col=2):
        cells = _texts(ws, row)
        if not cells:
            continue
        read += 1
        if read > limits.max_rows:
            raise too_many_rows(limits)
        key = header_key(cells[0])
        if key:
            metadata.setdefault(key, cells[1] if len(cells) > 1 else "")
    return metadata


def _formula(title: str, cell: Any) -> FileRefused:
    formula = getattr(cell.value, "text", cell.value) or "="
    return FileRefused(
        _(
            "Cell %(cell)s holds a formula (%(formula)s). Formulas are not read: copy the "
            "sheet, paste it back as values only, and try again."
        ),
        "formulas",
        {"cell": reference(title, cell.coordinate), "formula": _shortened(str(formula))},
    )


def reference(title: str, coordinate: str) -> str:
    """A cell as Excel writes a reference to it: ``Roster!D7``, ``'Sign-in sheet'!D7``."""
    if not _PLAIN_SHEET_NAME.fullmatch(title):
        title = "'" + title.replace("'", "''") + "'"
    return f"{title}!{coordinate}"


def _shortened(text: str, length: int = 60) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _corrupt(file_name: str) -> FileRefused:
    return FileRefused(
        _(
            "%(file)s is damaged or incomplete, so it cannot be read. Save it again from Excel, "
            "or upload it again."
        ),
        "corrupt",
        {"file": file_name},
    )
