"""The period and municipality a results page is read for, chosen in the address (GET).

The choice is read the same way on the dashboard and on every drill-down, so a figure and the page
it opens into always cover the same period and place. A viewer restricted to one municipality
(a focal point) is not offered the municipality menu at all and cannot widen the place by editing
the address: the place comes from their scope, not from the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from akt.accounts.scope import Scope
from akt.counting import engine
from akt.counting.periods import Period
from akt.places.models import Municipality
from akt.reports.periods import LIFE_OF_PROJECT, period_for, period_groups
from akt.reports.selectors import reading_key
from akt.translation import period_label


class ResultsFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), required=False)
    municipality = forms.TypedChoiceField(
        label=_("Municipality"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: QueryDict,
        *,
        lop: engine.Window,
        municipalities: list[Municipality] | None,
    ) -> None:
        """``municipalities`` is None for a viewer whose scope fixes the place."""
        super().__init__(data)
        self.fields["period"].choices = [
            (group, [(period.key, period_label(period, months=True)) for period in periods])
            for group, periods in period_groups(lop)
        ]
        if municipalities is None:
            del self.fields["municipality"]
            return
        by_name = sorted(municipalities, key=lambda municipality: reading_key(municipality.name))
        self.fields["municipality"].choices = [
            ("", _("All municipalities")),
            (_("Partner municipalities"), [(m.pk, m.name) for m in by_name if m.is_partner]),
            (_("Other municipalities"), [(m.pk, m.name) for m in by_name if not m.is_partner]),
        ]


@dataclass(frozen=True)
class ResultsChoice:
    """What a results page is computed for, after the viewer's scope has had its say."""

    form: ResultsFilterForm
    period: Period
    window: engine.Window  # the period's dates
    period_label: str
    municipality: Municipality | None  # the one place the figures cover; None: all of them
    engine_scope: engine.Coverage
    query: str  # "?period=...&municipality=..." to carry the choice into links ("" by default)


def results_choice(
    data: QueryDict,
    *,
    viewer: Scope,
    lop: engine.Window,
    municipalities: Mapping[int, Municipality],
) -> ResultsChoice:
    """Reads the period and place from the address, within what ``viewer`` may read.

    An unknown period or municipality falls back to the default (life of project, all the
    viewer's municipalities) and the form carries the error to show beside the menu.
    """
    allowed = viewer.municipality_ids()
    offered = list(municipalities.values()) if allowed is None else None
    form = ResultsFilterForm(data, lop=lop, municipalities=offered)
    cleaned = form.cleaned_data if form.is_valid() else {}
    period = period_for(cleaned.get("period") or LIFE_OF_PROJECT.key, lop) or LIFE_OF_PROJECT

    chosen_id = cleaned.get("municipality")
    if allowed is not None:
        engine_scope = engine.Coverage(allowed)
        place = municipalities.get(next(iter(allowed))) if len(allowed) == 1 else None
    elif chosen_id is not None:
        engine_scope = engine.Coverage(frozenset({chosen_id}))
        place = municipalities[chosen_id]
    else:
        engine_scope = engine.FULL_COVERAGE
        place = None

    params: dict[str, object] = {}
    if period != LIFE_OF_PROJECT:
        params["period"] = period.key
    if allowed is None and chosen_id is not None:
        params["municipality"] = chosen_id
    query = f"?{urlencode(params)}" if params else ""
    label = period_label(period, months=True)
    return ResultsChoice(form, period, period.window(lop), label, place, engine_scope, query)
