"""Results pages: the dashboard of results to date and each indicator's drill-down.

Both read the same period and place from the address (``forms.results_choice``) and compute
within the viewer's scope, so a figure on the dashboard and the page it opens into agree, and a
focal point's pages are computed from their municipality's records only.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from akt.access import scope_of
from akt.indicators.models import DisaggregationScheme, Indicator
from akt.indicators.selectors import indicator_value, life_of_project, pending_for
from akt.indicators.sentences import format_value
from akt.indicators.services import may_enter_values
from akt.linkage.services import may_resolve_identities
from akt.places.models import Municipality
from akt.reports.forms import results_choice
from akt.reports.presentation import SMALL_CHOICES, presentation_from
from akt.reports.selectors import (
    BreakdownRow,
    BreakdownTable,
    breakdown_charts,
    breakdown_tables,
    dashboard_compute,
    figure_for,
    municipalities_by_id,
    query_with,
    records_behind,
)
from akt.reports.small_numbers import small_cell_threshold


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Where signing in lands: a focal point on their municipality's profile, others on the
    results to date."""
    viewer = scope_of(request)
    if viewer.municipality_id is not None:
        code = Municipality.objects.values_list("code", flat=True).get(pk=viewer.municipality_id)
        return redirect("reports:municipality", code=code)
    return redirect("reports:dashboard")


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Every active indicator for the chosen period and place, by result line: its sentence,
    its target, percentage and on-track flag, its trend by quarter; and the mixed activities."""
    viewer = scope_of(request)
    municipalities = municipalities_by_id()
    lop = life_of_project()
    choice = results_choice(request.GET, viewer=viewer, lop=lop, municipalities=municipalities)
    found = dashboard_compute(
        choice,
        lop=lop,
        today=timezone.localdate(),
        language=get_language(),
        may_lag=not request.GET.get("fresh"),
    )
    context = {
        "choice": choice,
        "counted_at": found.counted_at,
        "fresh_query": query_with(choice.query, fresh="1"),
        "lines": found.lines,
        "mixed": found.mixed,
        "no_targets": found.no_targets,
        "may_review": bool(found.pending) and may_resolve_identities(request.user),
    }
    return render(request, "reports/dashboard.html", context)


@login_required
@require_GET
def indicator_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One indicator's figure opened up: definition, breakdowns, and the records behind it.

    Indicators are the program's published definitions, readable by every signed-in viewer;
    what the page counts and lists is narrowed by the viewer's scope.
    """
    indicator = get_object_or_404(Indicator.objects.active(), code=code)
    viewer = scope_of(request)
    municipalities = municipalities_by_id()
    choice = results_choice(
        request.GET, viewer=viewer, lop=life_of_project(), municipalities=municipalities
    )
    item = indicator_value(indicator, window=choice.window, scope=choice.engine_scope)
    pending = pending_for([item]).get(indicator.code)
    language = get_language()
    presentation = presentation_from(request.GET)
    tables = breakdown_tables(
        item.figures,
        currency=indicator.currency,
        language=language,
        municipalities=municipalities,
        presentation=presentation,
        pending=pending,
        query=choice.query,
        small_cells=small_cell_threshold(viewer, indicator.unit),
    )
    charts = breakdown_charts(tables, language=language)
    opened = _opened_cell(request, tables)
    behind = item.behind() if opened is None else item.cell_behind(opened[0].key, opened[1].key)
    context = {
        "choice": choice,
        "indicator": indicator,
        "figure": figure_for(item, language, pending),
        "may_review": pending is not None and may_resolve_identities(request.user),
        "may_enter": indicator.is_entered and may_enter_values(request.user, anywhere=True),
        "tables": tables,
        "splits": [(table, charts.get(table.dimension)) for table in tables],
        "presentation": presentation,
        "schemes": DisaggregationScheme.objects.filter(
            dimension__in=[name for name in indicator.disaggregations if isinstance(name, str)]
        ),
        "small_choices": SMALL_CHOICES[1:],
        "opened": opened,
        "cell_value": format_value(behind.value, language, indicator.currency)
        if opened is not None
        else "",
        "records": records_behind(
            indicator,
            behind,
            viewer=viewer,
            page_number=request.GET.get("page"),
            municipalities=municipalities,
            language=language,
        ),
    }
    return render(request, "reports/indicator.html", context)


def _opened_cell(
    request: HttpRequest, tables: list[BreakdownTable]
) -> tuple[BreakdownTable, BreakdownRow] | None:
    """The breakdown cell the address opens (``?split=sex&cell=female``), if it is one of the
    page's; its records are then listed instead of the whole figure's."""
    split, cell = request.GET.get("split", ""), request.GET.get("cell", "")
    for table in tables:
        if table.dimension == split:
            for row in table.rows:
                if row.code == cell and row.openable:
                    return table, row
    return None
