"""Work plan pages: a quarter's planned activities against those held, and the calendar."""

from __future__ import annotations

import calendar as months
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from akt.access import get_editable_or_403, scope_of, signed_in_user
from akt.activities import planning
from akt.activities.forms import CancelForm, HeldAsForm, PlannedActivityForm
from akt.activities.models import Activity, PlannedActivity
from akt.counting import engine
from akt.counting.periods import Period, quarter_of
from akt.places.models import Municipality
from akt.program.models import Component
from akt.translation import period_label
from akt.web import add_service_error, submit_form


@login_required
def plan_current(request: HttpRequest) -> HttpResponse:
    """The work plan of this quarter, or of the last quarter that has one."""
    today = timezone.localdate()
    quarter = quarter_of(today)
    scope = scope_of(request)
    plans = scope.activities(PlannedActivity.objects.all())
    if not plans.filter(planned_date__gte=_window(quarter)[0]).exists():
        last = plans.order_by("-planned_date").values_list("planned_date", flat=True).first()
        if last is not None:
            quarter = quarter_of(last)
    return redirect("activities:plan", fiscal_year=quarter.year, quarter=quarter.quarter)


@login_required
def plan_quarter(request: HttpRequest, fiscal_year: int, quarter: int) -> HttpResponse:
    if not 1 <= quarter <= 4 or not 2000 <= fiscal_year <= 2100:
        raise Http404
    period = Period.fiscal_quarter(fiscal_year, quarter)
    start, end = _window(period)
    scope = scope_of(request)
    today = timezone.localdate()
    planned = list(
        scope.activities(PlannedActivity.objects.all())
        .in_window(start, end)
        .select_related("municipality__majority_community", "component", "held_as")
    )
    progress = planning.planned_against_held(scope, start, end, today)
    municipalities = Municipality.objects.select_related("majority_community").in_bulk(
        {municipality for _component, municipality in progress}
    )
    components = Component.objects.in_bulk({component for component, _m in progress})
    lines = sorted(
        (
            (components[component], municipalities[municipality], line)
            for (component, municipality), line in progress.items()
        ),
        key=lambda row: (row[0].code, row[1].name),
    )
    total = planning.PlanProgress()
    for _component, _municipality, line in lines:
        total.planned += line.planned
        total.held += line.held
        total.cancelled += line.cancelled
        total.overdue += line.overdue
        total.unplanned += line.unplanned
    previous = Period.fiscal_quarter(*(_shift(fiscal_year, quarter, -1)))
    following = Period.fiscal_quarter(*(_shift(fiscal_year, quarter, 1)))
    return render(
        request,
        "activities/plan_quarter.html",
        {
            "period": period,
            "label": period_label(period, months=True),
            "rows": [(item, item.status_label) for item in planned],
            "lines": lines,
            "total": total,
            "previous": previous,
            "following": following,
            "may_edit": scope.may_edit,
        },
    )


def _window(quarter: Period) -> tuple[date, date]:
    window = engine.fiscal_quarter(quarter.year, quarter.quarter)
    return window.start, window.end


def _shift(fiscal_year: int, quarter: int, by: int) -> tuple[int, int]:
    index = fiscal_year * 4 + (quarter - 1) + by
    return index // 4, index % 4 + 1


@login_required
def planned_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = PlannedActivityForm(request.POST if request.method == "POST" else None, scope=scope)

    return submit_form(
        request,
        form,
        lambda data: planning.planned_activity_create(actor=signed_in_user(request), data=data),
        saved_message=_("The planned activity was added to the work plan."),
        success_url=_plan_of,  # type: ignore[arg-type]
        template="activities/planned_form.html",
    )


def _plan_of(planned: PlannedActivity) -> str:
    quarter = quarter_of(planned.planned_date)
    return reverse("activities:plan", args=[quarter.year, quarter.quarter])


@login_required
def planned_update(request: HttpRequest, pk: int) -> HttpResponse:
    planned = get_editable_or_403(request, PlannedActivity, pk)
    form = PlannedActivityForm(
        request.POST if request.method == "POST" else None,
        instance=planned,
        scope=scope_of(request),
    )
    hold = HeldAsForm(None, scope=scope_of(request), planned=planned)
    cancel = CancelForm(initial={"on": timezone.localdate()})
    return submit_form(
        request,
        form,
        lambda data: planning.planned_activity_update(
            actor=signed_in_user(request), planned=planned, data=data
        ),
        saved_message=_("The planned activity was saved."),
        success_url=_plan_of,  # type: ignore[arg-type]
        template="activities/planned_form.html",
        context={"planned": planned, "hold": hold, "cancel": cancel},
    )


@login_required
@require_POST
def planned_hold(request: HttpRequest, pk: int) -> HttpResponse:
    planned = get_editable_or_403(request, PlannedActivity, pk)
    form = HeldAsForm(request.POST, scope=scope_of(request), planned=planned)
    if form.is_valid():
        try:
            planning.planned_activity_hold(
                actor=signed_in_user(request),
                planned=planned,
                activity=form.cleaned_data["held_as"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The work plan says what it was held as."))
            return redirect(_plan_of(planned))
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("activities:planned_update", pk=planned.pk)


@login_required
@require_POST
def planned_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    planned = get_editable_or_403(request, PlannedActivity, pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            planning.planned_activity_cancel(
                actor=signed_in_user(request),
                planned=planned,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The planned activity was cancelled."))
            return redirect(_plan_of(planned))
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("activities:planned_update", pk=planned.pk)


@login_required
def plan_calendar(request: HttpRequest) -> HttpResponse:
    """A month of planned and held activities, day by day; this month by default."""
    today = timezone.localdate()
    month = _month(request.GET.get("month", ""), today)
    first = month
    last = month.replace(day=months.monthrange(month.year, month.month)[1])
    scope = scope_of(request)
    days: dict[date, dict[str, list]] = defaultdict(lambda: {"planned": [], "held": []})
    for planned in (
        scope.activities(PlannedActivity.objects.standing())
        .in_window(first, last)
        .filter(held_as__isnull=True)
        .select_related("municipality__majority_community")
    ):
        days[planned.planned_date]["planned"].append((planned, planned.status_label))
    for activity in (
        scope.activities(Activity.objects.counted())
        .filter(start_date__gte=first, start_date__lte=last)
        .select_related("municipality__majority_community")
    ):
        days[activity.start_date]["held"].append(activity)
    before = (first - timedelta(days=1)).replace(day=1)
    after = last + timedelta(days=1)
    return render(
        request,
        "activities/plan_calendar.html",
        {
            "month": month,
            "days": sorted(days.items()),
            "before": before,
            "after": after,
            "today": today,
        },
    )


def _month(text: str, today: date) -> date:
    try:
        year, number = (int(part) for part in text.split("-"))
        return date(year, number, 1)
    except ValueError:
        return today.replace(day=1)
