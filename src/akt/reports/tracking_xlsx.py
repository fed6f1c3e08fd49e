"""The indicator tracking table as an Excel workbook, in the reader's language.

Sheet one is the table itself: a row per indicator with its code, name, counting unit, whether
its figures are counted from the records or entered from documents, and its baseline; per fiscal
year the actual of each quarter the program ran in, the year's actual, target and percentage
achieved; then the life of project's target, actual, percentage and whether it is on track. Then
a sheet per disaggregation, with the actuals of each category in the same columns. The workbook
holds values only (no formulas), so it reads the same in any spreadsheet program and cannot be
tampered with by a cell that computes.

While pairs of records behind a unique-person figure await review, the figure and each category
it could change carry a cell comment with its range (as the page shows it under the figure), and
the first sheet says so under its title; with no pair waiting the workbook has neither.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from akt.counting import engine
from akt.counting.periods import PeriodKind
from akt.indicators.models import Indicator
from akt.indicators.sheets import dimension_titles, disaggregation_label
from akt.reports.presentation import Presentation, presented_labels
from akt.reports.selectors import (
    breakdown_cell_labels,
    category_label,
    municipalities_by_id,
    range_text,
)
from akt.reports.small_numbers import suppressed_mark, suppressed_note
from akt.reports.tracking import Cell, Column, TrackingTable
from akt.text.locales import currency_symbol
from akt.translation import localized

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")
_CENTER = Alignment(horizontal="center")
_RIGHT = Alignment(horizontal="right")
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
INTEGER = "#,##0"
DECIMAL = "#,##0.00"
PERCENT = '0.0"%"'


PROGRAM_NAME = "Advancing Kosovo Together"
"""The program's name as it is stored (``program/data/program.yaml``): in English."""


def _program_name(stored: str) -> str:
    """The program's name in the workbook's language: the stored name is English, and the
    interface's catalogues translate it, as every page's title does."""
    return _("Advancing Kosovo Together") if stored == PROGRAM_NAME else stored


def _year_groups(columns: Sequence[Column]) -> list[tuple[str, list[Column]]]:
    """Columns grouped under their fiscal year; the life of project alone at the end."""
    groups: list[tuple[str, list[Column]]] = []
    for column in columns:
        if column.kind == PeriodKind.LIFE_OF_PROJECT:
            groups.append((_("Life of project"), [column]))
            continue
        title = _("FY %(year)s") % {"year": column.period.year}
        if not groups or groups[-1][0] != title:
            groups.append((title, []))
        groups[-1][1].append(column)
    return groups


def _quarter_title(column: Column) -> str:
    return _("Q%(quarter)s actual") % {"quarter": column.period.quarter}


def _range_comment(cell: Cell, language: str) -> Comment | None:
    """The comment on a unique-person figure while pairs behind it await review."""
    found = cell.range
    if found is None:
        return None
    shown = range_text(found.if_none_linked, found.if_all_linked, found.expected, language)
    return Comment(_("While pairs of records await review: %(range)s") % {"range": shown}, "AKT")


def tracking_workbook(
    table: TrackingTable,
    *,
    language: str,
    program: str,
    made: date,
    presentation: Presentation | None = None,
    link: Callable[[str, str], str] | None = None,
) -> bytes:
    """The workbook in ``language``; ``link(indicator code, period key)`` gives the address of
    the page that opens a figure into its records, written on every actual as a hyperlink."""
    with translation.override(language):
        book = Workbook()
        main = book.active
        main.title = _sheet_title(_("Tracking table"))
        _write_main(main, table, program=program, made=made, language=language, link=link)
        titles = dimension_titles()
        dimensions = {part for split in table.splits for part in engine.dimensions_of(split)}
        labels = presented_labels(
            breakdown_cell_labels(dimensions, municipalities_by_id()),
            presentation or Presentation(),
            language,
            dimensions,
        )
        used: set[str] = {main.title}
        if table.mixed:
            mixed = book.create_sheet(_sheet_title(_("Mixed activities")))
            used.add(mixed.title)
            _write_mixed(mixed, table)
        for dimension, rows in table.splits.items():
            title = disaggregation_label(dimension, titles)
            name = _sheet_title(title)
            while name in used:
                name = _sheet_title(name[:28] + f" {len(used)}")
            used.add(name)
            sheet = book.create_sheet(name)
            _write_split(sheet, table, rows, title, labels, link, language)
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


def _write_main(
    sheet: Worksheet,
    table: TrackingTable,
    *,
    program: str,
    made: date,
    language: str,
    link: Callable[[str, str], str] | None,
) -> None:
    sheet.cell(1, 1, _("Indicator tracking table")).font = _TITLE
    sheet.cell(2, 1, _("%(program)s; computed from the records on %(date)s.") % {
        "program": _program_name(program), "date": date_format(made, "DATE_FORMAT")})  # fmt: skip
    if table.ranges:
        sheet.cell(3, 1, _(
            "Pairs of records behind some unique-person figures await review: a comment on each "
            "figure they could change gives its range."))  # fmt: skip
    fixed = [
        _("Code"),
        _("Indicator"),
        _("Counting unit"),
        _("Source of the figures"),
        _("Baseline"),
    ]
    header, sub = 4, 5
    for index, title in enumerate(fixed, start=1):
        sheet.cell(sub, index, title).font = _BOLD
    position = len(fixed) + 1
    plan: list[tuple[Column, str, Callable[[Cell], Any], str]] = []
    # kind: "actual" (a figure from the records, linked to them), "value", "percent", "flag"
    for group, columns in _year_groups(table.columns):
        start = position
        for column in columns:
            if column.kind == PeriodKind.QUARTER:
                plan.append((column, _quarter_title(column), lambda cell: cell.actual, "actual"))
            else:
                plan.append((column, _("Target"), lambda cell: cell.target, "value"))
                plan.append((column, _("Actual"), lambda cell: cell.actual, "actual"))
                plan.append((column, _("% of target"), lambda cell: cell.percent, "percent"))
                if column.kind == PeriodKind.LIFE_OF_PROJECT:
                    plan.append((column, _("On track"), lambda cell: cell.on_track, "flag"))
        position = len(fixed) + len(plan) + 1
        sheet.cell(header, start, group).font = _BOLD
        sheet.cell(header, start).alignment = _CENTER
        if position - 1 > start:
            sheet.merge_cells(start_row=header, start_column=start, end_row=header,
                              end_column=position - 1)  # fmt: skip
    for offset, (_column, title, _read, _kind) in enumerate(plan, start=len(fixed) + 1):
        cell = sheet.cell(sub, offset, title)
        cell.font = _BOLD
        cell.alignment = _WRAP
    units = dict(Indicator.UNITS)
    for number, row in enumerate(table.rows, start=sub + 1):
        indicator = row.indicator
        code = indicator.fa_code or indicator.program_code or indicator.code
        amount = indicator.unit == "amount"
        sheet.cell(number, 1, code)
        sheet.cell(number, 2, localized(indicator, "name")).alignment = _WRAP
        unit = str(units.get(indicator.unit, indicator.unit))
        if amount and indicator.currency:  # the currency as the language writes amounts
            symbol = currency_symbol(indicator.currency, language)
            unit = _("%(unit)s (%(currency)s)") % {"unit": unit, "currency": symbol}
        sheet.cell(number, 3, unit)
        sheet.cell(
            number, 4, entered_mark() if indicator.is_entered else _("Counted from the records")
        )
        if row.baseline is not None:
            _number(sheet.cell(number, 5), row.baseline, amount)
        for offset, (column, _title, read, kind) in enumerate(plan, start=len(fixed) + 1):
            value = read(row.cells[column.key])
            target = sheet.cell(number, offset)
            if value is None:
                continue
            if kind == "flag":
                target.value = _("Yes") if value else _("No")
            elif kind == "percent":
                target.value = float(round(value, 1))
                target.number_format = PERCENT
            else:
                _number(target, value, amount)
                if kind == "actual":
                    target.comment = _range_comment(row.cells[column.key], language)
                if (
                    link is not None
                    and _title == _("Actual")
                    or (link is not None and column.kind == PeriodKind.QUARTER)
                ):
                    target.hyperlink = link(indicator.code, column.key)
    sheet.freeze_panes = sheet.cell(sub + 1, len(fixed) + 1)
    sheet.column_dimensions["A"].width = 14
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 16
    for index in range(5, len(fixed) + len(plan) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 11


def _write_split(
    sheet: Worksheet,
    table: TrackingTable,
    rows: Sequence[Any],
    title: str,
    labels: dict[str, dict[str, str]],
    link: Callable[[str, str], str] | None = None,
    language: str = "en",
) -> None:
    sheet.cell(1, 1, title).font = _TITLE
    fixed = [_("Code"), _("Indicator"), _("Category")]
    header, sub = 3, 4
    for index, text in enumerate(fixed, start=1):
        sheet.cell(sub, index, text).font = _BOLD
    position = len(fixed) + 1
    order: list[Column] = []
    for group, columns in _year_groups(table.columns):
        start = position
        for column in columns:
            text = _quarter_title(column) if column.kind == PeriodKind.QUARTER else _("Actual")
            cell = sheet.cell(sub, position, text)
            cell.font = _BOLD
            cell.alignment = _WRAP
            order.append(column)
            position += 1
        sheet.cell(header, start, group).font = _BOLD
        sheet.cell(header, start).alignment = _CENTER
        if position - 1 > start:
            sheet.merge_cells(start_row=header, start_column=start, end_row=header,
                              end_column=position - 1)  # fmt: skip
    lop = table.columns[-1]
    with_targets = any(row.cells[lop.key].target is not None for row in rows)
    if with_targets:  # a category's own life-of-project target, where one is set
        for offset, text in enumerate((_("Target"), _("% of target")), start=position):
            sheet.cell(sub, offset, text).font = _BOLD
    hidden = False
    for number, row in enumerate(rows, start=sub + 1):
        indicator = row.indicator
        amount = indicator.unit == "amount"
        whole = row.cells[lop.key]
        if with_targets and whole.target is not None:
            _number(sheet.cell(number, position), whole.target, amount)
            if whole.percent is not None:
                percent = sheet.cell(number, position + 1, float(round(whole.percent, 1)))
                percent.number_format = PERCENT
        sheet.cell(number, 1, indicator.fa_code or indicator.program_code or indicator.code)
        sheet.cell(number, 2, localized(indicator, "name")).alignment = _WRAP
        sheet.cell(number, 3, category_label(row.dimension, row.cell, labels))
        for offset, column in enumerate(order, start=len(fixed) + 1):
            value = row.cells[column.key].actual
            if row.cells[column.key].suppressed:
                sheet.cell(number, offset, suppressed_mark()).alignment = _RIGHT
                hidden = True
            elif value is not None:
                target = sheet.cell(number, offset)
                _number(target, value, amount)
                target.comment = _range_comment(row.cells[column.key], language)
                if link is not None:
                    target.hyperlink = link(indicator.code, column.key)
    if hidden:
        sheet.cell(2, 1, suppressed_note(settings.SMALL_CELL_THRESHOLD))
    sheet.freeze_panes = sheet.cell(sub + 1, len(fixed) + 1)
    sheet.column_dimensions["B"].width = 50
    sheet.column_dimensions["C"].width = 26


def _write_mixed(sheet: Worksheet, table: TrackingTable) -> None:
    """The program's purpose in numbers: activities that brought communities together."""
    sheet.cell(1, 1, _("Mixed activities")).font = _TITLE
    sheet.cell(2, 1, _(
        "An activity is mixed when at least two communities each make up at least 10% of its "
        "participants whose community is known; one where fewer than half declared a community "
        "is not judged."))  # fmt: skip
    header, sub = 4, 5
    sheet.cell(sub, 1, _("Activities")).font = _BOLD
    position = 2
    order: list[Column] = []
    for group, columns in _year_groups(table.columns):
        start = position
        for column in columns:
            text = _quarter_title(column) if column.kind == PeriodKind.QUARTER else _("Actual")
            sheet.cell(sub, position, text).font = _BOLD
            order.append(column)
            position += 1
        sheet.cell(header, start, group).font = _BOLD
        if position - 1 > start:
            sheet.merge_cells(start_row=header, start_column=start, end_row=header,
                              end_column=position - 1)  # fmt: skip
    lines = (
        (_("Activities held"), lambda cell: cell.activities, INTEGER),
        (_("Judged (enough declared a community)"), lambda cell: cell.judged, INTEGER),
        (_("Mixed"), lambda cell: cell.mixed, INTEGER),
        (_("Share mixed"), lambda cell: cell.share, PERCENT),
    )
    for number, (title, read, number_format) in enumerate(lines, start=sub + 1):
        sheet.cell(number, 1, title)
        for offset, column in enumerate(order, start=2):
            value = read(table.mixed[column.key])
            if value is None:
                continue
            cell = sheet.cell(number, offset, float(round(value, 1)) if number_format == PERCENT
                              else value)  # fmt: skip
            cell.number_format = number_format
    sheet.column_dimensions["A"].width = 40
    sheet.freeze_panes = sheet.cell(sub + 1, 2)


def _number(cell: Any, value: int | Decimal, amount: bool) -> None:
    if isinstance(value, Decimal) and value != value.to_integral_value():
        cell.value = float(value)
        cell.number_format = DECIMAL
    else:
        cell.value = int(value)
        cell.number_format = INTEGER if not amount else DECIMAL


def entered_mark() -> str:
    """The word that marks an entered indicator's figures in a workbook or a report, as the
    pages mark them (``indicators/_entered.html``)."""
    return pgettext("a figure entered from documents, not counted from records", "Entered")


def _sheet_title(text: str) -> str:
    return _FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"
