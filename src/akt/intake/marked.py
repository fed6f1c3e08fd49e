"""The uploaded sheet handed back with its problems marked, for the clerk to correct.

A clerk corrects a file faster in the sheet they filled in than from a list on a page. The copy
holds the header and every row as read, each at the row number the problem report names (so
"row 7" is row 7 here too), behind an extra first column listing the row's problems; each cell
with a problem is filled and carries the reason as a comment. Reasons are worded in the language
asked for, whoever uploaded the file.

Everything is written as text, never as a formula: a cell that reads "=HYPERLINK(...)" in a
hostile CSV stays those characters when the copy is opened. The workbook is written in
openpyxl's write-only mode, so a 100,000-row file does not hold a million cell objects at once.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from akt.intake.models import ImportBatch
from akt.intake.validation import Problem, problems_of

PROBLEM_FILL = PatternFill(fill_type="solid", fgColor="FFF4C7C3")
"""A light red: visible on screen and in a grey print, the text still readable."""

COMMENT_AUTHOR = "AKT"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet program may take for the start of a formula when a cell is edited."""

_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def marked_copy(
    batch: ImportBatch, language: str, *, shown: Callable[[Mapping[str, Any]], bool] | None = None
) -> bytes:
    """An .xlsx of ``batch``'s sheet with its problems marked, worded in ``language``.

    A row ``shown`` refuses (a person the reader may not see) keeps its number but none of its
    cells: it says only that it is withheld and how many problems it has.
    """
    with translation.override(language):
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_sheet_title(batch.sheet_name or batch.file_name))
        sheet.freeze_panes = "B2"
        header = [_text_cell(sheet, _("Problems"), bold=True)]
        header += [_text_cell(sheet, text, bold=True) for text in batch.headers]
        sheet.append(header)
        written = 1
        for row in batch.rows:
            number = int(row["number"])
            while written < number - 1:  # blank rows of the original, so numbers stay true
                sheet.append([])
                written += 1
            if shown is None or shown(row):
                sheet.append(list(_row_cells(sheet, batch, row)))
            else:
                sheet.append([_text_cell(sheet, _withheld(row))])
            written = max(written + 1, number)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _row_cells(sheet: Worksheet, batch: ImportBatch, row: Mapping[str, Any]) -> Iterator[Any]:
    problems = problems_of(row)
    by_column = _problems_by_column(problems, batch.headers, batch.mapping)
    listed = "\n".join(_described(problem) for problem in problems)
    first = _text_cell(sheet, listed)
    if problems:
        first.fill = PROBLEM_FILL
        first.alignment = Alignment(wrap_text=True, vertical="top")
    yield first
    for index, value in enumerate(row.get("cells", ())):
        cell = _text_cell(sheet, value)
        found = by_column.get(index)
        if found:
            cell.fill = PROBLEM_FILL
            comment = Comment(
                _clean("\n".join(problem.message for problem in found)), COMMENT_AUTHOR
            )
            comment.width, comment.height = 300, 120
            cell.comment = comment
        yield cell


def _withheld(row: Mapping[str, Any]) -> str:
    count = len(row.get("problems", ()))
    if not count:
        return _("A resident of another municipality: not shown.")
    return ngettext(
        "A resident of another municipality: not shown (%(count)s problem).",
        "A resident of another municipality: not shown (%(count)s problems).",
        count,
    ) % {"count": count}


def _problems_by_column(
    problems: Sequence[Problem], headers: Sequence[str], mapping: Mapping[str, str]
) -> dict[int, list[Problem]]:
    """Column index -> the problems reported on it. A problem names its column by the header;
    when two columns share a header, the mapped one is meant."""
    indexes: dict[str, int] = {}
    for index, header in enumerate(headers):
        if str(index) in mapping:
            indexes.setdefault(header, index)
    for index, header in enumerate(headers):
        indexes.setdefault(header, index)
    found: dict[int, list[Problem]] = defaultdict(list)
    for problem in problems:
        if problem.column and problem.column in indexes:
            found[indexes[problem.column]].append(problem)
    return found


def _described(problem: Problem) -> str:
    """The problem for the row's list: the reason, after the column's name when it has one."""
    if not problem.column:
        return problem.message
    values = {"column": problem.column, "reason": problem.message}
    try:
        return _("%(column)s: %(reason)s") % values
    except (KeyError, ValueError, TypeError):
        # A translation with the wrong placeholders: the English form, as Django's
        # {% blocktranslate %} falls back, rather than no copy at all.
        return "{column}: {reason}".format(**values)


def _text_cell(sheet: Worksheet, value: Any, *, bold: bool = False) -> WriteOnlyCell:
    """A cell holding ``value`` as text, even when it looks like a formula."""
    text = _clean("" if value is None else str(value))
    cell = WriteOnlyCell(sheet, value=text or None)
    if text:
        cell.data_type = "s"
        if text.startswith(_FORMULA_STARTS):
            cell.quotePrefix = True  # Excel keeps it text when the cell is edited, too
    if bold:
        cell.font = Font(bold=True)
    return cell


def _clean(text: str) -> str:
    """Text an .xlsx may hold: control characters a CSV can carry are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _sheet_title(text: str) -> str:
    """A title Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", _clean(text)).strip()[:31] or "Sheet"
