"""The indicator tracking table: the page and the Excel workbook.

Both are computed live from the records within the viewer's scope. Targets are the program's,
so they, the percentages and the on-track flags are shown to viewers who see the whole
program's records; a focal point sees their municipality's actuals only. Every actual on the
page opens into the indicator's page for that period, which lists the records behind it.
"""

from __future__ import annotations

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
from akt.indicators.models import DisaggregationScheme
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
from akt.reports.tracking import tracking_table
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

    def shown_value(value, indicator):
        if value is None:
            return ""
        return format_value(
            value, language, indicator.currency if indicator.unit == "amount" else ""
        )

    def link(code: str, key: str) -> str:
        return reverse("reports:indicator", args=[code]) + f"?period={key}"

    def shown_range(cell) -> str:
        """A unique-person figure's range while pairs await review, as the indicator page
        writes it; "" when no pending pair can change the figure."""
        found = cell.range
        if found is None:
            return ""
        return range_text(found.if_none_linked, found.if_all_linked, found.expected, language)

    rows = [
        {
            "row": row,
            "baseline": shown_value(row.baseline, row.indicator),
            "cells": [
                {
                    "column": column,
                    "cell": row.cells[column.key],
                    "actual": shown_value(row.cells[column.key].actual, row.indicator),
                    "target": shown_value(row.cells[column.key].target, row.indicator),
                    "link": link(row.indicator.code, column.key),
                    "range": shown_range(row.cells[column.key]),
                }
                for column in shown
            ],
        }
        for row in table.rows
    ]
    splits = [
        {
            "title": disaggregation_label(dimension, titles),
            "rows": [
                {
                    "indicator": split.indicator,
                    "category": category_label(split.dimension, split.cell, labels),
                    "target": shown_value(split.cells["lop"].target, split.indicator),
                    "percent": split.cells["lop"].percent,
                    "cells": [
                        {
                            "actual": shown_value(split.cells[column.key].actual, split.indicator),
                            "link": link(split.indicator.code, column.key),
                            "range": shown_range(split.cells[column.key]),
                        }
                        for column in shown
                    ],
                }
                for split in items
            ],
        }
        for dimension, items in table.splits.items()
    ]
    return render(
        request,
        "reports/tracking.html",
        {
            "years": years,
            "year": year,
            "columns": shown,
            "rows": rows,
            "splits": splits,
            "mixed": [table.mixed.get(column.key) for column in shown],
            "ranges": table.ranges,
            "sampled": table.sampled,
            "may_review": table.ranges and may_resolve_identities(request.user),
            "with_targets": scope_of(request).municipality_ids() is None,
            "presentation": presentation,
            "schemes": DisaggregationScheme.objects.all(),
            "small_choices": SMALL_CHOICES[1:],
            "languages": settings.LANGUAGES,
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
    content = tracking_workbook(
        table,
        presentation=presentation,
        language=language,
        program=program.name if program else "",
        made=timezone.localdate(),
        link=lambda code, key: request.build_absolute_uri(
            reverse("reports:indicator", args=[code]) + f"?period={key}"
        ),
    )
    name = f"akt-tracking-table-{language}.xlsx"
    return HttpResponse(
        content,
        content_type=XLSX,
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
