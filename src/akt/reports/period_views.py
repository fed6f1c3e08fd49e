"""Reporting periods: the quarters, their approval, and what changed since.

The quarter pages show every signed-in viewer where each quarter stands. The approved figures,
their report and the differences since are program-wide aggregates: shown to viewers whose
scope covers every municipality (officers, administrators, component staff, the donor). The
changes to records of an approved quarter, with who made them and why, are for the officers
and administrators who approve. Submitting, returning and approving each have their own
endpoint calling one service.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from akt.access import scope_of
from akt.accounts.models import AuditEntry
from akt.counting import engine
from akt.indicators.models import Indicator
from akt.indicators.selectors import life_of_project
from akt.indicators.sentences import format_value
from akt.indicators.sheets import dimension_titles, disaggregation_label
from akt.reports import approval, services
from akt.reports.models import PeriodSnapshot, PeriodStatus, ReportingPeriod
from akt.reports.selectors import (
    breakdown_cell_labels,
    category_label,
    municipalities_by_id,
    records_behind,
)


def _quarters() -> list[tuple[int, int]]:
    """Every fiscal quarter the program ran in, first to last."""
    lop = life_of_project()
    quarters = []
    for year in engine.fiscal_years(lop):
        for quarter in engine.fiscal_quarters(year):
            quarters.append(engine.fiscal_quarter_of(quarter.start))
    return quarters


def quarter_or_404(fiscal_year: int, quarter: int) -> ReportingPeriod:
    """The reporting state of a quarter the program ran in; 404 for any other quarter."""
    if (fiscal_year, quarter) not in _quarters():
        raise Http404
    return services.reporting_period(fiscal_year, quarter)


def sees_program_figures(request: HttpRequest) -> bool:
    """Whether the viewer's scope covers every municipality: program-wide figures are theirs."""
    scope = scope_of(request)
    return scope.authenticated and scope.municipality_ids() is None


@login_required
@require_GET
def period_list(request: HttpRequest) -> HttpResponse:
    stored = {
        (item.fiscal_year, item.quarter): item
        for item in ReportingPeriod.objects.select_related("submitted_by", "reviewed_by")
    }
    periods = [
        stored.get(key) or ReportingPeriod(fiscal_year=key[0], quarter=key[1])
        for key in _quarters()
    ]
    return render(request, "reports/period_list.html", {"periods": periods})


@login_required
@require_GET
def period_detail(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    period = quarter_or_404(fiscal_year, quarter)
    snapshot = period.snapshots.select_related("approved_by").first() if period.pk else None
    may_report = services.may_report(request.user)
    context = {
        "period": period,
        "snapshot": snapshot,
        "may_submit": may_report and period.status in (PeriodStatus.OPEN, PeriodStatus.RETURNED),
        "may_review": may_report
        and period.status == PeriodStatus.SUBMITTED
        and period.submitted_by_id != request.user.pk,
        "languages": settings.LANGUAGES,
        "figures": None,
        "differences": None,
        "changes": None,
    }
    if snapshot is not None and sees_program_figures(request):
        context["figures"] = _approved_rows(snapshot)
        context["differences"] = _difference_rows(snapshot)
    if snapshot is not None and may_report:
        context["changes"] = _changes_since(period, snapshot)
    return render(request, "reports/period_detail.html", context)


def _indicator_names(snapshot: PeriodSnapshot) -> dict[str, str]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    words = snapshot.labels["languages"].get(language) or snapshot.labels["languages"]["en"]
    return words["indicators"]


def _shown(value: Decimal, unit: str, language: str) -> str:
    """A figure as the reader writes numbers (an amount with its two decimals)."""
    if unit != "amount" and value == value.to_integral_value():
        value = value.to_integral_value()
    return format_value(value, language)


def _approved_rows(snapshot: PeriodSnapshot) -> list[dict[str, object]]:
    names = _indicator_names(snapshot)
    language = translation.get_language() or settings.LANGUAGE_CODE
    rows = []
    for code in services.snapshot_order(snapshot):
        quarter = snapshot.figures["quarter"].get(code)
        year = snapshot.figures["year_to_date"].get(code)
        if quarter is None or year is None:
            continue
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "quarter": _shown(Decimal(quarter["value"]), quarter["unit"], language),
                "year_to_date": _shown(Decimal(year["value"]), year["unit"], language),
            }
        )
    return rows


def _difference_rows(snapshot: PeriodSnapshot) -> list[dict[str, object]]:
    """The differences, worded: which indicator, which column, which split and cell."""
    names = _indicator_names(snapshot)
    titles = dimension_titles()
    cells = breakdown_cell_labels(
        {"sex", "age_band", "community", "municipality", "component"}, municipalities_by_id()
    )
    columns = {"quarter": str(snapshot.period.label), "year_to_date": _("Fiscal year to date")}

    def worded(dimension: object, cell: object) -> tuple[str, str]:
        if dimension is None:
            return "", ""
        parts = (dimension,) if isinstance(dimension, str) else tuple(dimension)
        codes = (cell,) if isinstance(cell, str) else tuple(cell)
        return disaggregation_label(parts, titles), category_label(parts, codes, cells)

    language = translation.get_language() or settings.LANGUAGE_CODE
    units = {code: row["unit"] for code, row in snapshot.figures["quarter"].items()}
    rows = []
    for item in services.period_differences(snapshot):
        title, label = worded(item["dimension"], item["cell"])
        approved, live = Decimal(item["approved"]), Decimal(item["live"])
        unit = units.get(item["indicator"], "")
        rows.append(
            {
                "indicator": names.get(item["indicator"], item["indicator"]),
                "code": item["indicator"],
                "column": columns[item["window"]],
                "dimension": title,
                "cell": label,
                "approved": _shown(approved, unit, language),
                "live": _shown(live, unit, language),
                "change": live - approved,
                "change_shown": _shown(abs(live - approved), unit, language),
            }
        )
    return rows


def _changes_since(period: ReportingPeriod, snapshot: PeriodSnapshot) -> list[AuditEntry]:
    """Audited writes since approval that touched this quarter's records."""
    entries = AuditEntry.objects.filter(at__gte=snapshot.approved_at).select_related("actor")
    return [
        entry
        for entry in entries.order_by("-at", "-pk")[:2000]
        if period.key in (entry.changes or {}).get("approved_periods", ())
    ]


def _act(request: HttpRequest, period: ReportingPeriod, action: str) -> HttpResponse:
    try:
        if action == "submit":
            services.period_submit(
                actor=request.user,
                fiscal_year=period.fiscal_year,
                quarter=period.quarter,
                note=request.POST.get("note", ""),
            )
            messages.success(request, _("The quarter was submitted for approval."))
        elif action == "return":
            services.period_return(
                actor=request.user, period=period, comment=request.POST.get("comment", "")
            )
            messages.success(request, _("The quarter was returned to its officer."))
        else:
            services.period_approve(actor=request.user, period=period)
            messages.success(request, _("The quarter was approved and its figures kept."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("reports:period", fiscal_year=period.fiscal_year, quarter=period.quarter)


@login_required
@require_POST
def period_submit(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    if not services.may_report(request.user):
        raise PermissionDenied
    return _act(request, quarter_or_404(fiscal_year, quarter), "submit")


@login_required
@require_POST
def period_return(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    period = quarter_or_404(fiscal_year, quarter)
    if not services.may_report(request.user) or not period.pk:
        raise PermissionDenied
    return _act(request, period, "return")


@login_required
@require_POST
def period_approve(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    period = quarter_or_404(fiscal_year, quarter)
    if not services.may_report(request.user) or not period.pk:
        raise PermissionDenied
    return _act(request, period, "approve")


@login_required
@require_GET
def period_figure(
    request: HttpRequest, fiscal_year: int, quarter: int, code: str, window: str
) -> HttpResponse:
    """The records an approved figure was approved on, from the snapshot's facts (so the list
    is the approved one even after records changed), within the viewer's scope."""
    if not sees_program_figures(request):
        raise PermissionDenied
    period = quarter_or_404(fiscal_year, quarter)
    snapshot = period.snapshots.first() if period.pk else None
    indicator = Indicator.objects.filter(code=code).first()
    if snapshot is None or indicator is None or window not in approval.WINDOWS:
        raise Http404
    try:
        result = services.approved_result(snapshot, code, window)
    except KeyError:
        raise Http404 from None
    language = translation.get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "reports/period_figure.html",
        {
            "period": period,
            "snapshot": snapshot,
            "indicator": indicator,
            "name": _indicator_names(snapshot).get(code, code),
            "column": str(period.label) if window == "quarter" else _("Fiscal year to date"),
            "value": format_value(result.value, language, indicator.currency),
            "records": records_behind(
                indicator,
                result,
                viewer=scope_of(request),
                page_number=request.GET.get("page"),
                municipalities=municipalities_by_id(),
                language=language,
            ),
        },
    )


@login_required
@require_GET
def period_report(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    """The approved report, as it was approved, in the language asked for."""
    if not sees_program_figures(request):
        raise PermissionDenied
    period = quarter_or_404(fiscal_year, quarter)
    snapshot = period.snapshots.first() if period.pk else None
    if snapshot is None:
        raise Http404
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = translation.get_language() or settings.LANGUAGE_CODE
    name = f"akt-{period.key}-approved-{language}.csv"
    return HttpResponse(
        services.approved_report(snapshot, language),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, name)},
    )
