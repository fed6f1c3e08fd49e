"""The page of an entered indicator's values: the list, entering or correcting one, voiding one.

One endpoint per action: the page lists the values the viewer's scope covers (a focal point
their municipality's) and, for those who may enter (``services.may_enter_values``), holds the
form; the form posts to ``enter``; a value is voided on its own page. A value outside the
viewer's scope is not found (404); one they may read but not change is refused (403).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from akt.access import scope_of, signed_in_user
from akt.accounts.periods import approved_period_on
from akt.indicators import services
from akt.indicators.entered import value_rows, visible_values
from akt.indicators.entered_forms import OutcomeValueFilterForm, OutcomeValueForm
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.selectors import life_of_project
from akt.indicators.views import _errors_onto
from akt.places.models import Municipality
from akt.translation import period_label
from akt.void_pages import VoidForm

VALUES_PER_PAGE = 100


def _entered_indicator(code: str) -> Indicator:
    return get_object_or_404(Indicator.objects.filter(source="entered"), code=code)


def _municipalities() -> dict[int, Municipality]:
    return {m.pk: m for m in Municipality.objects.select_related("majority_community")}


def _entry_form(
    request: HttpRequest,
    indicator: Indicator,
    municipalities: dict[int, Municipality],
    data: Any = None,
    initial: dict[str, Any] | None = None,
) -> OutcomeValueForm | None:
    """The form for the viewer, or None when they may not enter values."""
    user = request.user
    if not services.may_enter_values(user, anywhere=True):
        return None
    program_wide = services.may_enter_values(user, None)
    places = sorted(
        (place for pk, place in municipalities.items() if services.may_enter_values(user, pk)),
        key=lambda place: (not place.is_partner, place.name),
    )
    return OutcomeValueForm(
        data,
        initial=initial,
        indicator=indicator,
        lop=life_of_project(),
        municipalities=places,
        program_wide=program_wide,
    )


def _render(
    request: HttpRequest,
    indicator: Indicator,
    municipalities: dict[int, Municipality],
    form: OutcomeValueForm | None,
    *,
    correcting: OutcomeValue | None = None,
    status: int = 200,
) -> HttpResponse:
    viewer = scope_of(request)
    fixed_place = viewer.municipality_ids() is not None
    places = sorted(municipalities.values(), key=lambda place: (not place.is_partner, place.name))
    filters = OutcomeValueFilterForm(
        request.GET,
        indicator=indicator,
        lop=life_of_project(),
        municipalities=None if fixed_place else places,
    )
    values = visible_values(viewer, OutcomeValue.objects.filter(indicator=indicator))
    values = filters.without_voided(values).select_related("entered_by", "voided_by")
    if filters.is_valid():
        if filters.cleaned_data.get("period"):
            values = values.filter(period_key=filters.cleaned_data["period"])
        if filters.cleaned_data.get("municipality"):
            values = values.filter(municipality_id=filters.cleaned_data["municipality"])
    values = values.order_by("-period_start", "municipality__code", "cell_key", "pk")
    page = Paginator(values, VALUES_PER_PAGE).get_page(request.GET.get("page"))
    rows = value_rows(
        page.object_list,
        indicator,
        language=get_language(),
        municipalities=municipalities,
    )
    user = request.user
    context = {
        "indicator": indicator,
        "filters": filters,
        "page": page,
        "rows": [(row, services.may_enter_values(user, row.value.municipality_id)) for row in rows],
        "form": form,
        "correcting": correcting,
        "correcting_period": period_label(correcting.period) if correcting else "",
        "dimensions": indicator.entry_dimensions,
    }
    return render(request, "indicators/values.html", context, status=status)


@login_required
@require_GET
def values(request: HttpRequest, code: str) -> HttpResponse:
    """The values of an entered indicator the viewer may read, and the form to enter one
    (filled with a value to correct when the address names one: ``?correct=<id>``)."""
    indicator = _entered_indicator(code)
    municipalities = _municipalities()
    correcting = None
    initial = None
    asked = request.GET.get("correct", "")
    if asked.isdigit():
        found = visible_values(
            scope_of(request), OutcomeValue.objects.counted().filter(indicator=indicator)
        ).filter(pk=int(asked))
        correcting = found.first()
        if correcting is not None and services.may_enter_values(
            request.user, correcting.municipality_id
        ):
            initial = OutcomeValueForm.initial_of(correcting)
        else:
            correcting = None
    form = _entry_form(request, indicator, municipalities, initial=initial)
    return _render(request, indicator, municipalities, form, correcting=correcting)


@login_required
@require_POST
def value_enter(request: HttpRequest, code: str) -> HttpResponse:
    """Enters a value, or corrects the one already there for its period, place and category."""
    indicator = _entered_indicator(code)
    municipalities = _municipalities()
    form = _entry_form(request, indicator, municipalities, data=request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            services.outcome_value_record(
                actor=signed_in_user(request), indicator=indicator, **form.entry()
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The value was saved."))
            return redirect("indicators:values", code=indicator.code)
    return _render(request, indicator, municipalities, form, status=400)


@login_required
def value_void(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """Asks why a value is voided (GET), or voids it (POST)."""
    indicator = _entered_indicator(code)
    value = get_object_or_404(
        visible_values(scope_of(request), OutcomeValue.objects.filter(indicator=indicator)),
        pk=pk,
    )
    if not services.may_enter_values(request.user, value.municipality_id):
        raise PermissionDenied
    form = VoidForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.outcome_value_void(
                actor=signed_in_user(request), value=value, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The value was voided."))
            return redirect("indicators:values", code=indicator.code)
    municipalities = _municipalities()
    row = value_rows([value], indicator, language=get_language(), municipalities=municipalities)
    return render(
        request,
        "indicators/value_void.html",
        {
            "indicator": indicator,
            "row": row[0],
            "form": form,
            "approved_quarter": approved_period_on(value.counts_on),
            "back": reverse("indicators:values", args=[indicator.code]),
        },
        status=400 if form.is_bound else 200,
    )
