"""The "Community composition" page and the activities behind each of its figures.

Both read the period and place as the results pages do (``forms.results_choice``: a focal point's
place is fixed by their scope) plus the counting rule (``composition.composition_rule``), and
compute within the viewer's scope, so a figure and the list it opens into always agree.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from akt.access import scope_of
from akt.counting.engine import Unit
from akt.indicators.selectors import life_of_project
from akt.reports.composition import (
    CompositionFilterForm,
    communities_by_code,
    composition_compute,
    composition_page,
    composition_records,
    composition_rule,
)
from akt.reports.forms import results_choice
from akt.reports.selectors import municipalities_by_id
from akt.reports.small_numbers import small_cell_threshold


@login_required
@require_GET
def composition(request: HttpRequest) -> HttpResponse:
    """Mixed activities and representation by community, for the chosen period and place."""
    viewer = scope_of(request)
    language = get_language()
    municipalities = municipalities_by_id()
    choice = results_choice(
        request.GET, viewer=viewer, lop=life_of_project(), municipalities=municipalities
    )
    rule = composition_rule(request.GET, language)
    computed = composition_compute(choice, rule, municipalities)
    page = composition_page(
        computed,
        choice=choice,
        rule=rule,
        municipalities=municipalities,
        communities=communities_by_code(),
        language=language,
        small_cells=small_cell_threshold(viewer, Unit.PERSONS),
    )
    return render(
        request, "reports/composition.html", {"choice": choice, "rule": rule, "page": page}
    )


@login_required
@require_GET
def composition_activities(request: HttpRequest) -> HttpResponse:
    """The activities behind one composition figure that the viewer may open.

    The figure is named in the address (``verdict``, ``kind`` or ``community``, with the period,
    place and rule of the page it came from); a value no figure of the page uses is a 404.
    """
    viewer = scope_of(request)
    language = get_language()
    municipalities = municipalities_by_id()
    communities = communities_by_code()
    filters = CompositionFilterForm(request.GET, communities=communities)
    if not filters.is_valid():
        raise Http404
    small_cells = small_cell_threshold(viewer, Unit.PERSONS)
    if small_cells is not None and filters.cleaned_data.get("community"):
        # Which named activities a community's people attended is theirs, not a figure's.
        raise Http404
    choice = results_choice(
        request.GET, viewer=viewer, lop=life_of_project(), municipalities=municipalities
    )
    rule = composition_rule(request.GET, language)
    computed = composition_compute(choice, rule, municipalities)
    records = composition_records(
        computed,
        filters=filters,
        choice=choice,
        rule=rule,
        viewer=viewer,
        page_number=request.GET.get("page"),
        municipalities=municipalities,
        communities=communities,
        language=language,
        small_cells=small_cells,
    )
    return render(
        request,
        "reports/composition_activities.html",
        {"choice": choice, "rule": rule, "records": records},
    )
