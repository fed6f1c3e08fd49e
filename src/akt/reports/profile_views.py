"""The map of the municipalities and each municipality's profile page.

Both read the period as the results pages do (``forms.results_choice``) and compute within the
viewer's scope: a focal point sees figures for their own municipality only (the others are grey
on the map, without a figure) and may open only their own profile; any other municipality's
profile is a 404, as if it did not exist. The donor sees municipality totals and records, never
a person.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from akt.access import scope_of
from akt.indicators.models import Indicator
from akt.indicators.selectors import indicator_value, life_of_project
from akt.reports.forms import results_choice
from akt.reports.maps import BRANDS, COPYRIGHT_URL, MapIndicatorForm, map_page
from akt.reports.profiles import municipality_profile
from akt.reports.selectors import municipalities_by_id


@login_required
@require_GET
def municipality_map(request: HttpRequest) -> HttpResponse:
    """The municipalities coloured by one indicator's figure for the chosen period."""
    viewer = scope_of(request)
    municipalities = municipalities_by_id()
    asked = request.GET.copy()
    asked.pop("municipality", None)  # the map shows every municipality the viewer may read
    choice = results_choice(
        asked, viewer=viewer, lop=life_of_project(), municipalities=municipalities
    )
    form = MapIndicatorForm(request.GET, indicators=list(Indicator.objects.active()))
    indicator = form.chosen()
    if indicator is None:
        return render(request, "reports/map.html", {"choice": choice, "form": form})
    page = map_page(
        indicator_value(indicator, window=choice.window, scope=choice.engine_scope),
        choice=choice,
        municipalities=municipalities,
        readable=viewer.municipality_ids(),
        language=get_language(),
    )
    context = {
        "choice": choice,
        "form": form,
        "page": page,
        "brands": BRANDS,
        "copyright_url": COPYRIGHT_URL,
    }
    return render(request, "reports/map.html", context)


@login_required
@require_GET
def municipality_profile_page(request: HttpRequest, code: str) -> HttpResponse:
    """One municipality's figures against its targets, its composition and its records."""
    viewer = scope_of(request)
    municipalities = municipalities_by_id()
    allowed = viewer.municipality_ids()
    municipality = next((m for m in municipalities.values() if m.code == code), None)
    if municipality is None or (allowed is not None and municipality.pk not in allowed):
        raise Http404
    asked = request.GET.copy()
    asked["municipality"] = str(municipality.pk)
    choice = results_choice(
        asked, viewer=viewer, lop=life_of_project(), municipalities=municipalities
    )
    profile = municipality_profile(
        municipality,
        choice=choice,
        viewer=viewer,
        municipalities=municipalities,
        language=get_language(),
        today=timezone.localdate(),
        lop=life_of_project(),
    )
    return render(request, "reports/profile.html", {"choice": choice, "profile": profile})
