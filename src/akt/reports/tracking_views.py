"""The indicator tracking table: the page and the Excel workbook.

Both are computed live from the records within the viewer's scope. Targets are the program's,
so they, the percentages and the on-track flags are shown to viewers who see the whole
program's records; a focal point sees their municipality's actuals only. Every actual on the
page opens into the indicator's page for that period, which lists the records behind it.

The page shows one fiscal year (its quarters, the year, its target and percentage) beside the
life of project, so that every column fits a 1280 px screen; each indicator's categories are
folded under its own row (``rows[i]["breakdowns"]``, opened by a ``<details>`` in the row),
the indicator's name written once. ``splits`` holds the same category lines by
disaggregation, as the workbook's sheets group them. The workbook has every year and column.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from akt.access import scope_of
from akt.counting import engine
from akt.counting.periods import PeriodKind
from akt.indicators.models import DisaggregationScheme, Indicator
from akt.indicators.selectors import life_of_project
from akt.indicators.sentences import format_value
from akt.indicators.sheets import dimension_titles, disaggregation_label
from akt.linkage.services import may_resolve_identities
from akt.program.models import Program
from akt.reports.presentation import (
    SMALL_CHOICES,
    Presentation,
    presentation_from,
    presented_labels,
)
from akt.reports.selectors import (
    breakdown_cell_labels,
    category_label,
    municipalities_by_id,
    range_text,
)
from akt.reports.small_numbers import small_cell_threshold, suppressed_mark, suppressed_note
from akt.reports.tracking import Cell, tracking_table
from akt.reports.tracking_xlsx import tracking_workbook
from akt.text.numbers import parse_whole_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _table_for(request: HttpRequest, presentation: Presentation):
    viewer = scope_of(request)
    allowed = viewer.municipality_ids()
    scope = engine.Coverage(municipalities=allowed)
    return tracking_table(
        lop=life_of_project(),
        scope=scope,
        today=timezone.localdate(),
        with_targets=allowed is None,
        presentation=presentation,
        small_cells=small_cell_threshold(viewer, engine.Unit.PERSONS),
    )


@login_required
@require_GET
def tracking(request: HttpRequest) -> HttpResponse:
    presentation = presentation_from(request.GET)
    table = _table_for(request, presentation)
    years = sorted({c.period.year for c in table.columns if c.kind != PeriodKind.LIFE_OF_PROJECT})
    asked = parse_whole_number(request.GET.get("fy"))
    year = asked if asked in years else years[-1]
    shown = [
        column
        for column in table.columns
        if column.kind == PeriodKind.LIFE_OF_PROJECT or column.period.year == year
    ]
    language = translation.get_language() or settings.LANGUAGE_CODE
    titles = dimension_titles()
    dimensions = {part for split in table.splits for part in engine.dimensions_of(split)}
    known = breakdown_cell_labels(dimensions, municipalities_by_id())
    labels = presented_labels(known, presentation, language, dimensions)

    def shown_value(value: Decimal | int | None) -> str:
        """A figure in the reader's digits; an amount without its currency, which the row's
        unit of measure names once beside the indicator (so the columns stay narrow)."""
        if value is None:
            return ""
        return format_value(value, language)

    addresses: dict[str, str] = {}

    def link(code: str, key: str) -> str:
        """The indicator's page for the column's period (its address resolved once per
        indicator: the page links some 3,600 cells)."""
        if code not in addresses:
            addresses[code] = reverse("reports:indicator", args=[code])
        return f"{addresses[code]}?period={key}"

    def shown_range(cell) -> str:
        """A unique-person figure's range while pairs await review, as the indicator page
        writes it; "" when no pending pair can change the figure."""
        found = cell.range
        if found is None:
            return ""
        return range_text(found.if_none_linked, found.if_all_linked, found.expected, language)

    def shown_cells(indicator: Indicator, cells: dict[str, Cell]) -> list[dict]:
        """The year's columns and the life of project's, as the page writes them."""
        return [
            {
                "column": column,
                "cell": cells[column.key],
                "actual": suppressed_mark()
                if cells[column.key].suppressed
                else shown_value(cells[column.key].actual),
                "target": shown_value(cells[column.key].target),
                "link": link(indicator.code, column.key),
                "range": shown_range(cells[column.key]),
            }
            for column in shown
        ]

    # Each indicator's categories, folded under its row on the page: per disaggregation its
    # title once, then one line per category (the indicator's name is not repeated).
    breakdowns: dict[str, list[dict]] = {}
    splits = []
    for dimension, items in table.splits.items():
        title = disaggregation_label(dimension, titles)
        by_dimension = []
        for split in items:
            line = {
                "indicator": split.indicator,
                "category": category_label(split.dimension, split.cell, labels),
                "cells": shown_cells(split.indicator, split.cells),
            }
            by_dimension.append(line)
            parts = breakdowns.setdefault(split.indicator.code, [])
            if not parts or parts[-1]["dimension"] != dimension:
                parts.append({"dimension": dimension, "title": title, "rows": []})
            parts[-1]["rows"].append(line)
        splits.append({"title": title, "rows": by_dimension})
    rows = [
        {
            "row": row,
            "baseline": shown_value(row.baseline),
            "cells": shown_cells(row.indicator, row.cells),
            "breakdowns": breakdowns.get(row.indicator.code, []),
        }
        for row in table.rows
    ]
    with_targets = scope_of(request).municipality_ids() is None
    quarters = [column for column in shown if column.kind == PeriodKind.QUARTER]
    extra = 2 if with_targets else 0  # a year's (a life of project's) target and percentage
    year_span = len(quarters) + 1 + extra
    lop_span = 1 + extra + (1 if with_targets else 0)  # ... and the life of project's flag
    return render(
        request,
        "reports/tracking.html",
        {
            "years": years,
            "year": year,
            "columns": shown,
            "quarters": quarters,
            "year_span": year_span,
            "lop_span": lop_span,
            "width": 2 + year_span + lop_span,
            "rows": rows,
            "splits": splits,
            "mixed": [table.mixed.get(column.key) for column in shown],
            "ranges": table.ranges,
            "sampled": table.sampled,
            "may_review": table.ranges and may_resolve_identities(request.user),
            "with_targets": with_targets,
            "presentation": presentation,
            "schemes": DisaggregationScheme.objects.all(),
            "small_choices": SMALL_CHOICES[1:],
            "languages": settings.LANGUAGES,
            "suppressed_note": suppressed_note(settings.SMALL_CELL_THRESHOLD)
            if any(
                cell.suppressed
                for items in table.splits.values()
                for split in items
                for cell in split.cells.values()
            )
            else "",
        },
    )


@login_required
@require_GET
def tracking_download(request: HttpRequest) -> HttpResponse:
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    presentation = presentation_from(request.GET)
    table = _table_for(request, presentation)
    program = Program.objects.order_by("start_date").first()
    # Every cell links to its indicator's page for its period: the address of each indicator is
    # resolved once, not once per cell (thousands of cells).
    pages: dict[str, str] = {}

    def link(code: str, key: str) -> str:
        if code not in pages:
            pages[code] = request.build_absolute_uri(reverse("reports:indicator", args=[code]))
        return f"{pages[code]}?period={key}"

    content = tracking_workbook(
        table,
        presentation=presentation,
        language=language,
        program=program.name if program else "",
        made=timezone.localdate(),
        link=link,
    )
    name = f"akt-tracking-table-{language}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
