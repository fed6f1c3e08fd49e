"""Pages for the results framework, the indicator reference sheets and the targets.

Reading is for every signed-in viewer (the framework and the sheets are the program's published
definitions; they name no beneficiary). Editing is for M&E officers and administrators
(``services.may_manage_indicators``); anyone else gets 403. Views stay thin: they authorize,
hand the form's input to a service and render what ``framework`` and ``sheets`` read.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from akt.access import scope_of
from akt.counting.periods import Period, program_periods
from akt.indicators import services
from akt.indicators.evidence_coverage import evidence_coverage
from akt.indicators.forms import CellTargetForm, ReferenceSheetForm, TargetGridForm
from akt.indicators.framework import framework_tree
from akt.indicators.models import Indicator, ReferenceSheet
from akt.indicators.selectors import life_of_project
from akt.indicators.sheets import (
    baseline_text,
    change_log,
    sheet_sections,
    target_rows,
)
from akt.translation import period_label


def _indicator(code: str) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("result_measured", "numerator", "denominator"),
        code=code,
    )


def _require_manager(request: HttpRequest) -> None:
    if not services.may_manage_indicators(request.user):
        raise PermissionDenied


def _requested_language(request: HttpRequest) -> str:
    """The ``language`` the query asks for, if it is an interface language; else the page's."""
    asked = request.GET.get("language", "")
    if asked in dict(settings.LANGUAGES):
        return asked
    return translation.get_language() or settings.LANGUAGE_CODE


def _errors_onto(form: BaseForm, error: ValidationError) -> None:
    """A service's validation errors beside the fields they name, the rest above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_GET
def framework(request: HttpRequest) -> HttpResponse:
    """The results framework as a tree, each result with the indicators that measure it."""
    return render(
        request,
        "indicators/framework.html",
        {
            "framework": framework_tree(),
            "may_manage": services.may_manage_indicators(request.user),
        },
    )


@login_required
@require_GET
def sheet(request: HttpRequest, code: str) -> HttpResponse:
    """An indicator's reference sheet, printable, in the language ``?language=`` asks for."""
    indicator = _indicator(code)
    reference = ReferenceSheet.objects.filter(indicator=indicator).first()
    language = _requested_language(request)
    with translation.override(language):
        log = change_log(indicator)
        context = {
            "indicator": indicator,
            "indicator_name": indicator.name,
            "sections": sheet_sections(indicator, reference, language),
            "baseline": baseline_text(indicator, reference, language),
            "targets": target_rows(indicator, indicator.targets.all(), life_of_project(), language),
            "change_log": log,
            "last_updated": log[0].at if log else None,
            "sheet_language": language,
            "may_manage": services.may_manage_indicators(request.user),
            **_evidence_context(request, indicator),
        }
        return render(request, "indicators/sheet.html", context)


DETAIL_PAGES = {
    "activities.activity": "activities:detail",
    "grants.grant": "grants:detail",
    "capacity.capacitydevelopmentplan": "capacity:detail",
    "infrastructure.infrastructureproject": "infrastructure:detail",
}


def _evidence_context(request: HttpRequest, indicator: Indicator) -> dict[str, object]:
    """The data quality section: the counted records with their evidence on file, and the first
    few without it that the viewer may open."""
    coverage = evidence_coverage(indicator, life_of_project())
    if coverage is None:
        return {"evidence": None, "evidence_missing": []}
    model = coverage.model
    visible = scope_of(request).visible(model._default_manager.filter(pk__in=coverage.missing))
    page = DETAIL_PAGES[model._meta.label_lower]
    missing = [(str(record), reverse(page, args=[record.pk])) for record in visible]
    return {"evidence": coverage, "evidence_missing": missing}


@login_required
def sheet_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_manager(request)
    indicator = _indicator(code)
    form = ReferenceSheetForm(
        request.POST if request.method == "POST" else None, indicator=indicator
    )
    if form.is_bound and form.is_valid():
        try:
            services.reference_sheet_update(
                actor=request.user,
                indicator=indicator,
                data=form.changes(),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The reference sheet was saved."))
            return redirect("indicators:sheet", code=indicator.code)
    return render(request, "indicators/sheet_form.html", {"indicator": indicator, "form": form})


def _periods() -> list[tuple[Period, str]]:
    return [(period, period_label(period)) for period in program_periods(life_of_project())]


def _render_targets(
    request: HttpRequest,
    indicator: Indicator,
    periods: list[tuple[Period, str]],
    *,
    grid: TargetGridForm | None = None,
    cell_form: CellTargetForm | None = None,
) -> HttpResponse:
    targets = list(indicator.targets.all())
    stored = {target.period: target.value for target in targets if not target.dimension}
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "indicators/targets.html",
        {
            "indicator": indicator,
            "grid": grid or TargetGridForm(periods=periods, stored=stored),
            "cell_form": cell_form or CellTargetForm(indicator=indicator, periods=periods),
            "rows": target_rows(indicator, targets, life_of_project(), language),
        },
    )


@login_required
def targets(request: HttpRequest, code: str) -> HttpResponse:
    """The indicator's total targets by life of project, fiscal year and quarter, as a grid."""
    _require_manager(request)
    indicator = _indicator(code)
    periods = _periods()
    stored = {
        target.period: target.value for target in indicator.targets.filter(dimension="", cell="")
    }
    grid = TargetGridForm(
        request.POST if request.method == "POST" else None, periods=periods, stored=stored
    )
    if grid.is_bound and grid.is_valid():
        try:
            changed = services.targets_set(
                actor=request.user,
                indicator=indicator,
                values=grid.changed_targets(),
                reason=grid.cleaned_data["reason"],
            )
        except ValidationError as error:
            _errors_onto(grid, error)
        else:
            if changed:
                messages.success(request, _("The targets were saved."))
            else:
                messages.info(request, _("No target was changed."))
            return redirect("indicators:targets", code=indicator.code)
    return _render_targets(request, indicator, periods, grid=grid)


@login_required
@require_POST
def target_cell(request: HttpRequest, code: str) -> HttpResponse:
    """Sets or removes the target of one disaggregation cell in one period."""
    _require_manager(request)
    indicator = _indicator(code)
    periods = _periods()
    form = CellTargetForm(request.POST, indicator=indicator, periods=periods)
    if form.is_valid():
        try:
            services.target_set(actor=request.user, indicator=indicator, **form.target())
        except ValidationError as error:
            _errors_onto(form, error)
        else:
            messages.success(request, _("The target was saved."))
            return redirect("indicators:targets", code=indicator.code)
    return _render_targets(request, indicator, periods, cell_form=form)
