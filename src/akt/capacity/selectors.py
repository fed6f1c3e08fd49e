"""Reads of capacity plans, actions and assessments that several places share.

Two kinds:

- **Who sees what.** Plans are seen by the scope's plan rule (:meth:`Scope.plans`, by
  municipality). Actions go with their plan; assessments with their municipality, by the same
  rule (an assessment may come before any plan). :func:`visible_municipalities` answers "whose
  capacity pages may this viewer open" by applying that rule to the municipalities themselves.
- **What the indicators count.** Plain functions over the records that count (a voided plan's
  actions and assessments do not), each taking an optional window (``start``, ``end``, both
  days included) and an optional set of municipality ids (None: all), returning querysets or
  plain values: plans adopted (on their adoption date), actions completed (on their completion
  date), municipalities whose score improved between their first and latest assessment in a
  window (per area and overall), and each municipality's scores per calendar year. The rules
  of change are :mod:`akt.capacity.progress`.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import F, Prefetch, Q, QuerySet

from akt.accounts.scope import Scope
from akt.capacity.models import (
    ActionStatus,
    AssessmentScore,
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
)
from akt.capacity.progress import (
    OVERALL,
    Assessed,
    Progress,
    in_order,
    mean_score,
    progress,
    rounded,
)
from akt.places.models import Municipality

# -- who sees what --------------------------------------------------------------------------------


def visible_municipalities(scope: Scope) -> QuerySet[Municipality]:
    """The municipalities whose plans, actions and assessments ``scope`` may open: the plan rule
    applied to each municipality as if it were a plan of its own (so the rule stays the one in
    :class:`Scope`: everything for the program's staff and readers, a focal point their own)."""
    return scope.plans(
        Municipality.objects.select_related("majority_community").annotate(municipality_id=F("pk"))
    )


def visible_plans(scope: Scope) -> QuerySet[CapacityDevelopmentPlan]:
    return scope.plans(CapacityDevelopmentPlan.objects.all())


def visible_actions(
    scope: Scope, actions: QuerySet[PlanAction] | None = None
) -> QuerySet[PlanAction]:
    """Actions whose plan ``scope`` may open."""
    actions = PlanAction.objects.all() if actions is None else actions
    return actions.filter(plan__in=visible_plans(scope))


def visible_assessments(
    scope: Scope, assessments: QuerySet[CapacityAssessment] | None = None
) -> QuerySet[CapacityAssessment]:
    """Assessments of the municipalities whose plans ``scope`` may open (the plan rule, which
    is by municipality, applied to the assessment's municipality)."""
    assessments = CapacityAssessment.objects.all() if assessments is None else assessments
    return scope.plans(assessments)


def areas() -> list[CapacityArea]:
    """The capacity areas, in the order the pages show them."""
    return list(CapacityArea.objects.all())


# -- what the indicators count ----------------------------------------------------------------


def _in_window(field: str, start: date | None, end: date | None) -> Q:
    condition = Q(**{f"{field}__isnull": False})
    if start is not None:
        condition &= Q(**{f"{field}__gte": start})
    if end is not None:
        condition &= Q(**{f"{field}__lte": end})
    return condition


def plans_adopted(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> QuerySet[CapacityDevelopmentPlan]:
    """Plans adopted in the window, counted on their adoption date (drafts and voided plans
    never)."""
    plans = CapacityDevelopmentPlan.objects.counted().filter(
        _in_window("adopted_on", start, end), status=PlanStatus.ADOPTED
    )
    if municipalities is not None:
        plans = plans.filter(municipality_id__in=municipalities)
    return plans.order_by("adopted_on", "pk")


def actions_completed(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> QuerySet[PlanAction]:
    """Actions done in the window, counted on their completion date. A done action whose
    completion date was never recorded falls in no window; a voided plan's actions never count."""
    actions = PlanAction.objects.counted().filter(
        _in_window("completed_on", start, end), status=ActionStatus.DONE
    )
    if municipalities is not None:
        actions = actions.filter(plan__municipality_id__in=municipalities)
    return actions.order_by("completed_on", "pk")


def assessment_history(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> dict[int, list[Assessed]]:
    """Municipality id -> its assessments in the window, in date order, each with its score per
    area code. Two queries whatever the number of assessments."""
    assessments = CapacityAssessment.objects.counted().filter(_in_window("assessed_on", start, end))
    if municipalities is not None:
        assessments = assessments.filter(municipality_id__in=municipalities)
    header = list(assessments.values_list("pk", "municipality_id", "assessed_on"))
    scores: dict[int, dict[str, int]] = defaultdict(dict)
    for assessment_id, code, score in AssessmentScore.objects.filter(
        assessment__in=assessments.values("pk")
    ).values_list("assessment_id", "area__code", "score"):
        scores[assessment_id][code] = score
    history: dict[int, list[Assessed]] = defaultdict(list)
    for pk, municipality_id, assessed_on in header:
        history[municipality_id].append(Assessed(pk, assessed_on, scores[pk]))
    return {key: in_order(items) for key, items in history.items()}


def area_codes() -> list[str]:
    return list(CapacityArea.objects.values_list("code", flat=True))


def municipality_progress(municipality_id: int) -> Progress:
    """One municipality's assessments with the change per area, first to latest and step by
    step (what its page shows; a chart elsewhere can draw the same)."""
    history = assessment_history(municipalities=frozenset({municipality_id}))
    return progress(history.get(municipality_id, []), area_codes())


def municipalities_improved(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> dict[str, frozenset[int]]:
    """Area code -> the municipalities whose score in that area rose between their first and
    their latest assessment in the window; :data:`~akt.capacity.progress.OVERALL` -> those
    whose overall score (the mean of the areas) rose. A municipality needs two assessments in
    the window to show a change. Every area code (and ``OVERALL``) is a key, with no
    municipality when none improved."""
    codes = area_codes()
    improved: dict[str, set[int]] = {code: set() for code in [*codes, OVERALL]}
    for municipality_id, assessments in assessment_history(
        start=start, end=end, municipalities=municipalities
    ).items():
        for key in progress(assessments, codes).improved():
            improved[key].add(municipality_id)
    return {key: frozenset(ids) for key, ids in improved.items()}


def assessment_scores_by_year(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> dict[int, dict[int, dict[str, int | Decimal]]]:
    """Municipality id -> calendar year -> area code -> the score of the year's latest
    assessment, with :data:`~akt.capacity.progress.OVERALL` its mean over the areas it scores
    (two decimals). A year without an assessment is absent; an area the assessment left out
    too."""
    by_year: dict[int, dict[int, dict[str, int | Decimal]]] = {}
    for municipality_id, assessments in assessment_history(
        start=start, end=end, municipalities=municipalities
    ).items():
        years: dict[int, dict[str, int | Decimal]] = {}
        for item in assessments:  # in date order: the year's latest comes last
            row: dict[str, int | Decimal] = dict(item.scores)
            mean = rounded(mean_score(item.scores))
            if mean is not None:
                row[OVERALL] = mean
            years[item.assessed_on.year] = row
        by_year[municipality_id] = years
    return by_year


# -- what the pages show ----------------------------------------------------------------------


def with_scores(assessments: QuerySet[CapacityAssessment]) -> list[CapacityAssessment]:
    """The assessments with their plan and their scores' areas, in date order (three queries)."""
    return list(
        assessments.select_related("plan")
        .prefetch_related(
            Prefetch("scores", queryset=AssessmentScore.objects.select_related("area"))
        )
        .order_by("assessed_on", "pk")
    )


def as_assessed(assessment: CapacityAssessment) -> Assessed:
    """An assessment fetched :func:`with_scores`, as the rules of change take it."""
    return Assessed(
        assessment.pk,
        assessment.assessed_on,
        {row.area.code: row.score for row in assessment.scores.all()},
    )
