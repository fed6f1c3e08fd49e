"""Pages for capacity development plans, their actions and capacity assessments. Thin: access
helper, form, service.

Plans are fetched through :func:`akt.access.get_visible_or_404`; actions through their plan and
assessments and a municipality's capacity pages through its municipality, by the same rule
(:mod:`akt.capacity.selectors`). Out of scope: 404; in scope but read-only (a donor): 403 on
every page that writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Model, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.access import get_editable_or_403, get_visible_or_404, scope_of, signed_in_user
from akt.capacity import services
from akt.capacity.forms import (
    AssessmentForm,
    PlanActionForm,
    PlanAdoptForm,
    PlanFilterForm,
    PlanForm,
)
from akt.capacity.models import (
    ActionStatus,
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
    ScoreLevel,
)
from akt.capacity.progress import Assessed, mean_score, progress, rounded, score_table
from akt.capacity.selectors import (
    areas as capacity_areas,
)
from akt.capacity.selectors import (
    as_assessed,
    assessment_history,
    visible_actions,
    visible_assessments,
    visible_municipalities,
    with_scores,
)
from akt.places.models import Municipality
from akt.void_pages import void_page, voiding_context
from akt.web import submit_form

PAGE_SIZE = 25

OUTSIDE_SCOPE = gettext_lazy(
    "Capacity development plans are kept by municipality; your role does not cover this one."
)


# -- access -------------------------------------------------------------------------------------


def _municipality_or_404(request: HttpRequest, code: str) -> Municipality:
    """A municipality whose capacity pages the viewer may open."""
    return get_object_or_404(visible_municipalities(scope_of(request)), code=code)


def _require_editor(request: HttpRequest) -> None:
    if not scope_of(request).may_edit:
        raise PermissionDenied


def _action_editable_or_403(request: HttpRequest, pk: int) -> PlanAction:
    action = get_object_or_404(
        visible_actions(
            scope_of(request),
            PlanAction.objects.select_related("plan__municipality__majority_community"),
        ),
        pk=pk,
    )
    _require_editor(request)
    return action


def _assessment_editable_or_403(request: HttpRequest, pk: int) -> CapacityAssessment:
    assessment = get_object_or_404(
        visible_assessments(
            scope_of(request),
            CapacityAssessment.objects.select_related("municipality__majority_community", "plan"),
        ),
        pk=pk,
    )
    _require_editor(request)
    return assessment


# -- plans --------------------------------------------------------------------------------------


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = PlanFilterForm(request.GET or None, scope=scope)
    plans = form.without_voided(
        form.filter(
            scope.plans(
                CapacityDevelopmentPlan.objects.select_related("municipality__majority_community")
                .annotate(
                    action_count=Count("actions"),
                    done_count=Count("actions", filter=Q(actions__status=ActionStatus.DONE)),
                )
                # Aggregation drops the model's default ordering, which pagination needs.
                .order_by("municipality__name_sq", "period_start", "pk")
            )
        )
    )
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "capacity/plan_list.html", {"form": form, "page": page})


@dataclass(frozen=True)
class AssessmentSummary:
    """A municipality's assessments in brief: how many, the latest, its overall score, and the
    overall change since the first."""

    count: int
    latest: Assessed | None
    latest_mean: Decimal | None
    change: Decimal | None


def _summary(assessments: list[Assessed], codes: list[str]) -> AssessmentSummary:
    found = progress(assessments, codes)
    latest = found.latest
    return AssessmentSummary(
        count=len(found.assessments),
        latest=latest,
        latest_mean=rounded(mean_score(latest.scores)) if latest else None,
        change=rounded(found.since_first.overall) if found.since_first else None,
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request,
        CapacityDevelopmentPlan.objects.select_related("municipality__majority_community"),
        pk,
    )
    codes = [area.code for area in capacity_areas()]
    history = assessment_history(municipalities=frozenset({plan.municipality_id}))
    scope = scope_of(request)
    return render(
        request,
        "capacity/plan_detail.html",
        {
            "plan": plan,
            "actions": plan.actions.select_related("capacity_area").prefetch_related("activities"),
            "may_write": scope.may_edit and not plan.is_voided,
            "may_adopt": scope.may_edit and not plan.is_voided and plan.status == PlanStatus.DRAFT,
            "assessments": _summary(history.get(plan.municipality_id, []), codes),
            **voiding_context(request, plan, "capacity"),
        },
    )


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.may_edit:
        raise PermissionDenied
    form = PlanForm(request.POST if request.method == "POST" else None, scope=scope)
    return submit_form(
        request,
        form,
        lambda data: services.plan_create(actor=signed_in_user(request), **data),
        saved_message=_("The plan was saved."),
        success_url="capacity:detail",
        template="capacity/plan_form.html",
        # Component staff work across municipalities; plans belong to one.
        refused_message=OUTSIDE_SCOPE,
    )


@login_required
def plan_update(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_or_403(request, CapacityDevelopmentPlan, pk)
    form = PlanForm(
        request.POST if request.method == "POST" else None,
        instance=plan,
        scope=scope_of(request),
    )
    return submit_form(
        request,
        form,
        lambda data: services.plan_update(actor=signed_in_user(request), plan=plan, data=data),
        saved_message=_("The plan was saved."),
        success_url="capacity:detail",
        template="capacity/plan_form.html",
        context={"plan": plan},
    )


@login_required
def plan_adopt(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_or_403(
        request,
        CapacityDevelopmentPlan.objects.select_related("municipality__majority_community"),
        pk,
    )
    form = PlanAdoptForm(request.POST if request.method == "POST" else None)
    return submit_form(
        request,
        form,
        lambda data: services.plan_adopt(actor=signed_in_user(request), plan=plan, **data),
        saved_message=_("The plan was recorded as adopted."),
        success_url="capacity:detail",
        template="capacity/plan_adopt.html",
        context={"plan": plan},
    )


@login_required
def plan_void(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, CapacityDevelopmentPlan, pk)
    return void_page(
        request,
        plan,
        restore=False,
        save=lambda reason: services.plan_void(
            actor=signed_in_user(request), plan=plan, reason=reason
        ),
        detail_url="capacity:detail",
        title=plan.title,
        consequences=[
            _("The plan leaves the counts of plans, with its actions."),
            _("The assessments recorded for this plan leave the assessment figures."),
        ],
    )


@login_required
def plan_restore(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(request, CapacityDevelopmentPlan, pk)
    return void_page(
        request,
        plan,
        restore=True,
        save=lambda reason: services.plan_restore(
            actor=signed_in_user(request), plan=plan, reason=reason
        ),
        detail_url="capacity:detail",
        title=plan.title,
    )


# -- plan actions -------------------------------------------------------------------------------


def _to_plan(action: Model) -> str:
    """After an action is saved: its plan's page."""
    assert isinstance(action, PlanAction)
    return reverse("capacity:detail", args=[action.plan_id])


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_editable_or_403(
        request,
        CapacityDevelopmentPlan.objects.select_related("municipality__majority_community"),
        pk,
    )
    form = PlanActionForm(request.POST if request.method == "POST" else None)
    return submit_form(
        request,
        form,
        lambda data: services.plan_action_create(actor=signed_in_user(request), plan=plan, **data),
        saved_message=_("The action was saved."),
        success_url=_to_plan,
        template="capacity/action_form.html",
        context={"plan": plan},
    )


@login_required
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_editable_or_403(request, pk)
    form = PlanActionForm(request.POST if request.method == "POST" else None, instance=action)
    return submit_form(
        request,
        form,
        lambda data: services.plan_action_update(
            actor=signed_in_user(request), action=action, data=data
        ),
        saved_message=_("The action was saved."),
        success_url=_to_plan,
        template="capacity/action_form.html",
        context={"plan": action.plan, "action": action},
    )


# -- capacity assessments -----------------------------------------------------------------------


@login_required
def assessment_overview(request: HttpRequest) -> HttpResponse:
    """The partner municipalities the viewer may see (and any other with an assessment), each
    with its assessments in brief."""
    scope = scope_of(request)
    places = list(
        visible_municipalities(scope)
        .filter(Q(is_partner=True) | Q(capacity_assessments__isnull=False))
        .distinct()
    )
    history = assessment_history(municipalities=frozenset(place.pk for place in places))
    codes = [area.code for area in capacity_areas()]
    rows = [(place, _summary(history.get(place.pk, []), codes)) for place in places]
    return render(request, "capacity/assessment_overview.html", {"rows": rows})


@dataclass(frozen=True)
class AreaLine:
    """One row of the assessment page's tables: the area and its scores and changes."""

    area: CapacityArea | None
    cells: list[object]
    since_first: object
    steps: list[object]
    first: object = None
    latest: object = None


@login_required
def assessment_municipality(request: HttpRequest, code: str) -> HttpResponse:
    """Every assessment of one municipality: the scores per area, the change from the first to
    the latest and from each to the next, and what each score rests on."""
    municipality = _municipality_or_404(request, code)
    scope = scope_of(request)
    areas = capacity_areas()
    assessments = with_scores(
        visible_assessments(
            scope, CapacityAssessment.objects.counted().filter(municipality=municipality)
        )
    )
    found = progress([as_assessed(item) for item in assessments], [a.code for a in areas])
    table = score_table(found, [a.code for a in areas])
    lines = [
        AreaLine(
            area=area,
            cells=list(row.cells),
            since_first=row.since_first,
            steps=list(row.steps),
            first=row.cells[0] if row.cells else None,
            latest=row.cells[-1] if row.cells else None,
        )
        for area, row in zip(areas, table.rows, strict=True)
    ]
    overall = AreaLine(
        area=None,
        cells=list(table.overall),
        since_first=table.overall_since_first,
        steps=list(table.overall_steps),
        first=table.overall[0] if table.overall else None,
        latest=table.overall[-1] if table.overall else None,
    )
    by_pk = {item.pk: item for item in assessments}
    steps = [(by_pk[step.earlier.key], by_pk[step.later.key]) for step in found.steps]
    return render(
        request,
        "capacity/assessment_municipality.html",
        {
            "municipality": municipality,
            "areas": areas,
            "assessments": assessments,
            "lines": lines,
            "overall": overall,
            "steps": steps,
            "scale": ScoreLevel.choices,
            "may_write": scope.may_edit,
        },
    )


@login_required
def assessment_create(request: HttpRequest, code: str) -> HttpResponse:
    municipality = _municipality_or_404(request, code)
    _require_editor(request)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        municipality=municipality,
        areas=capacity_areas(),
    )
    return submit_form(
        request,
        form,
        lambda data: services.assessment_record(
            actor=signed_in_user(request), municipality=municipality, **form.values()
        ),
        saved_message=_("The assessment was saved."),
        success_url=lambda record: reverse("capacity:assessments", args=[municipality.code]),
        template="capacity/assessment_form.html",
        context={"municipality": municipality, "scale": ScoreLevel.choices},
    )


@login_required
def assessment_update(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = _assessment_editable_or_403(request, pk)
    municipality = assessment.municipality
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        municipality=municipality,
        areas=capacity_areas(),
        assessment=assessment,
    )

    def save(data: object) -> CapacityAssessment:
        values = form.values()
        scores, evidence = values.pop("scores"), values.pop("evidence")
        return services.assessment_update(
            actor=signed_in_user(request),
            assessment=assessment,
            data=values,
            scores=scores,
            evidence=evidence,
        )

    return submit_form(
        request,
        form,
        save,
        saved_message=_("The assessment was saved."),
        success_url=lambda record: reverse("capacity:assessments", args=[municipality.code]),
        template="capacity/assessment_form.html",
        context={
            "municipality": municipality,
            "assessment": assessment,
            "scale": ScoreLevel.choices,
        },
    )
