"""CSV files, as Excel, LibreOffice, Kobo and ODK write them.

Named ``csvfile`` so that ``import csv`` in this package always means the standard library.

What varies between the files that arrive, and how each is settled:

- the encoding: :mod:`akt.intake.sources.encoding` (detected, refused when it cannot be told);
- the separator: Excel with Albanian or Serbian regional settings writes ";" (the comma is the
  decimal separator there), Kobo ";" or ",", Excel's "Unicode text" a tab; outside quoted text,
  it is the one appearing equally often on the most of the first lines (a title written above
  the header holds none, or a stray comma), with Excel's "sep=;" first line obeyed when present;
- blank rows and padding: skipped and trimmed, while every row keeps the number Excel would
  show for it.

Cells are kept as the text written. A cell starting with "=", "+", "-" or "@" is not a formula
in a CSV; it is kept as text, and whoever writes it out again must escape it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import PurePath

from django.utils.translation import gettext_lazy as _

from akt.intake.fields import Field
from akt.intake.layout import HEADER_SEARCH_ROWS, arrange
from akt.intake.sources.base import (
    FileRefused,
    Limits,
    Sheet,
    not_a_spreadsheet,
)
from akt.intake.sources.encoding import decode

__all__ = ["DELIMITERS", "detect_delimiter", "read_csv"]

DELIMITERS = (",", ";", "\t")
"""In order of preference when the header row cannot tell them apart."""

_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
"""Characters no text file holds: their presence means the file is binary (tab, line breaks,
vertical tab and form feed are text)."""
_QUOTED = re.compile(r'"[^"]*"')
_SEPARATOR_HINT = re.compile(r"sep=(.)(?:\r\n|\r|\n|$)", re.IGNORECASE)
_SAMPLE_LINES = HEADER_SEARCH_ROWS
"""Lines looked at for the separator: as many as may stand above and in the header."""


def read_csv(
    data: bytes,
    file_name: str,
    *,
    digest: str,
    limits: Limits,
    encoding: str | None = None,
    fields: Sequence[Field] | None = None,
    header_row: int | None = None,
    footer: bool = True,
) -> Sheet:
    """The sheet a CSV file holds, or :class:`FileRefused`; see :func:`base.read_sheet`."""
    if not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Checked on the bytes, before the encoding is looked for: a binary file is named as
        # such, not as text in an unknown encoding.
        _refuse_binary(_CONTROL_BYTES.search(data) is not None, file_name)
    decoded = decode(data, encoding)
    text = decoded.text
    _refuse_binary(_CONTROL.search(text) is not None or text.lstrip().startswith("<"), file_name)
    delimiter, text = _separator_hint(text)
    lines = _first_lines(text)
    delimiter = delimiter or detect_delimiter(lines)
    _check_header_width(lines[:1], delimiter, limits)
    layout = arrange(
        _read_rows(text, delimiter, limits),
        limits=limits,
        fields=fields,
        header_row=header_row,
        footer=footer,
    )
    if layout is None:
        raise FileRefused(_("%(file)s holds no data."), "empty", {"file": file_name})
    return Sheet(
        file_name=file_name,
        sheet_name=PurePath(file_name).stem,
        headers=layout.headers,
        rows=layout.rows,
        encoding=decoded.encoding,
        sha256=digest,
        header_row=layout.header_row,
        delimiter=delimiter,
        skipped=tuple(layout.skipped),
        header_by=layout.header_by,
    )


def detect_delimiter(lines: list[str]) -> str:
    """The separator of a CSV whose first non-blank physical lines are ``lines``.

    Outside quoted text, the separator is the one that appears the same number of times on the
    most lines (every row of a sheet has as many cells; a title written above the header has
    none or a few commas, a cell's text a stray one). When two are as regular, the header
    decides (the first line holding a separator): the one found most often in it, a tie broken
    by the following lines (the separator appears at least as often on each of them). A file
    with none is a one-column file, read with ",".
    """
    if not lines:
        return DELIMITERS[0]
    unquoted = [_QUOTED.sub("", line) for line in lines]
    regular = {delimiter: _regularity(unquoted, delimiter) for delimiter in DELIMITERS}
    best = max(regular.values())
    if best and sum(1 for value in regular.values() if value == best) == 1:
        return next(delimiter for delimiter, value in regular.items() if value == best)
    start = next(
        (index for index, line in enumerate(unquoted) if any(d in line for d in DELIMITERS)), 0
    )
    header, *following = unquoted[start:]
    most = max(header.count(delimiter) for delimiter in DELIMITERS)
    tied = [delimiter for delimiter in DELIMITERS if header.count(delimiter) == most]
    if most == 0 or len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda delimiter: sum(line.count(delimiter) >= most for line in following))


def _regularity(lines: list[str], delimiter: str) -> int:
    """On how many lines ``delimiter`` appears as often as it most commonly does (0 when it
    appears on none)."""
    counts = Counter(line.count(delimiter) for line in lines)
    counts.pop(0, None)
    return max(counts.values(), default=0)


def _refuse_binary(found: bool, file_name: str) -> None:
    """Control characters, or markup (a web page or an Excel 2003 XML file saved as ".xls"),
    mean the file is not a CSV."""
    if found:
        raise not_a_spreadsheet(file_name)


def _separator_hint(text: str) -> tuple[str | None, str]:
    """Excel's "sep=;" first line: the separator it names, and the text without that line.

    Excel hides the line, so the rows after it are numbered from 1.
    """
    text = text.removeprefix("\ufeff")
    if match := _SEPARATOR_HINT.match(text):
        return match[1], text[match.end() :]
    return None, text


def _first_lines(text: str, count: int = _SAMPLE_LINES) -> list[str]:
    """The first ``count`` non-blank physical lines (a 1,000,000-column header is one line,
    read as one string; it is never split into cells to be counted)."""
    stream = io.StringIO(text, newline="")
    lines: list[str] = []
    while len(lines) < count and (line := stream.readline()):
        if line.strip():
            lines.append(line)
    return lines


def _check_header_width(lines: list[str], delimiter: str, limits: Limits) -> None:
    """Refuse a header wider than the limit before any row is split into cells."""
    if not lines:
        return
    columns = _QUOTED.sub("", lines[0]).count(delimiter) + 1
    if columns > limits.max_columns:
        raise _too_many_columns(columns, limits)


def _too_many_columns(columns: int, limits: Limits) -> FileRefused:
    return FileRefused(
        _(
            "The header row has %(count)s columns; at most %(limit)s are read. Delete the "
            "columns that are not needed and try again."
        ),
        "too-many-columns",
        {"count": columns, "limit": limits.max_columns},
    )


def _read_rows(text: str, delimiter: str, limits: Limits) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` of each row with text, for :func:`akt.intake.layout.arrange`
    to sort into header, data and rows left out.

    ``strict`` parsing, so that a quote left open does not silently swallow the rest of the
    file into one cell.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    number = 0
    first = True
    try:
        for number, record in enumerate(reader, start=1):
            cells = _trimmed(record)
            if not cells:
                continue
            if first and len(cells) > limits.max_columns:
                raise _too_many_columns(len(cells), limits)
            first = False
            _check_row(number, len(cells), limits)
            yield number, cells
    except csv.Error as error:
        raise _malformed(number + 1, error) from None


def _trimmed(record: list[str]) -> list[str]:
    """The cells stripped, without the empty ones at the end of the row (Excel's ";;;")."""
    cells = [cell.strip() for cell in record]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _check_row(number: int, cells: int, limits: Limits) -> None:
    if cells > limits.max_columns:
        raise FileRefused(
            _("Row %(row)s has %(count)s cells; at most %(limit)s columns are read."),
            "too-many-columns",
            {"row": number, "count": cells, "limit": limits.max_columns},
        )


def _malformed(number: int, error: csv.Error) -> FileRefused:
    """A CSV the parser gave up on, by the row where the trouble starts."""
    if "field larger than field limit" in str(error):
        return FileRefused(
            _("Row %(row)s has a cell longer than %(limit)s characters."),
            "cell-too-large",
            {"row": number, "limit": csv.field_size_limit(), "detail": str(error)},
        )
    return FileRefused(
        _(
            "The file is not valid CSV from row %(row)s: a quoted cell is not closed, or text "
            "follows its closing quote. Check the quotes on that row."
        ),
        "malformed",
        {"row": number, "detail": str(error)},
    )
