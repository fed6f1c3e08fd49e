"""Reads behind a municipality's profile page: its figures, targets, records and composition.

The profile gathers, for one municipality and one period, what the program's other pages show
across all of them: every active indicator's figure (computed by the one path to every figure,
``indicators.selectors.results_compute``, narrowed to the municipality) against the targets set
for that municipality's cell, the community composition of its activities
(:mod:`akt.reports.composition`), and its activities, capacity development plans,
infrastructure projects and grants. Every list goes through the viewer's :class:`Scope`, so a
component's staff member sees their component's records and the donor no person; who may open
the profile at all is the view's business. Every read is a fixed number of queries, however
many records the municipality has.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, F, Sum
from django.http import QueryDict
from django.urls import reverse

from akt.accounts.scope import Scope
from akt.activities.models import Activity
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting import engine
from akt.grants.models import Grant
from akt.indicators.models import Indicator
from akt.indicators.sentences import format_value
from akt.infrastructure.models import InfrastructureProject
from akt.places.models import Municipality
from akt.reports.composition import (
    CompositionPage,
    communities_by_code,
    composition_compute,
    composition_page,
    composition_rule,
)
from akt.reports.forms import ResultsChoice
from akt.reports.selectors import dashboard_compute
from akt.reports.small_numbers import small_cell_threshold

RECENT_ACTIVITIES = 10
LISTED_GRANTS = 20

Number = int | Decimal


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator's figure in the municipality for the period, against the municipality's
    target for the period where one is set."""

    indicator: Indicator
    value: Number
    shown: str
    href: str  # the indicator's page for this municipality and period: the records behind it
    target: str  # "" when no target is set for this municipality and period
    percent: str  # of the target; "" without one
    on_track: bool | None  # None: nothing to compare (no target, or a period still to come)


@dataclass(frozen=True)
class ActivityLine:
    activity: Activity
    participants: str  # roster rows and headcounts, formatted


@dataclass(frozen=True)
class GrantTotal:
    currency: str
    count: int
    amount: str


@dataclass(frozen=True)
class MunicipalityProfile:
    municipality: Municipality
    lines: list[IndicatorLine]
    has_targets: bool
    activities: list[ActivityLine]
    activity_count: int
    plans: list[CapacityDevelopmentPlan]
    projects: list[tuple[InfrastructureProject, str]]  # with its program contribution, formatted
    grants: list[tuple[Grant, str]]  # with its amount, formatted
    grant_count: int
    grant_totals: list[GrantTotal]
    composition: CompositionPage
    activities_href: str  # every activity of the municipality, in the activity list


def indicator_lines(
    choice: ResultsChoice, *, lop: engine.Window, today: date, language: str
) -> list[IndicatorLine]:
    """Each indicator's figure in the municipality beside the municipality's target, percent
    of target and on-track flag: the dashboard's computation for the same period and place
    (:func:`akt.reports.selectors.dashboard_compute`), so the profile, the dashboard and the
    tracking table compare with targets the same way."""
    dashboard = dashboard_compute(choice, lop=lop, today=today, language=language, drawn=False)
    lines = []
    for line in dashboard.lines:
        for figure in line.figures:
            progress = figure.progress
            lines.append(
                IndicatorLine(
                    indicator=figure.indicator,
                    value=figure.figures.value,
                    shown=figure.figure,
                    href=reverse("reports:indicator", args=[figure.indicator.code]) + choice.query,
                    target=progress.target if progress else "",
                    percent=progress.percent if progress else "",
                    on_track=progress.on_track if progress else None,
                )
            )
    return lines


def _in_window(choice: ResultsChoice, field: str) -> dict[str, date]:
    return {f"{field}__gte": choice.window.start, f"{field}__lte": choice.window.end}


def municipality_profile(
    municipality: Municipality,
    *,
    choice: ResultsChoice,
    viewer: Scope,
    municipalities: Mapping[int, Municipality],
    language: str,
    today: date,
    lop: engine.Window,
) -> MunicipalityProfile:
    """Everything the profile shows for ``municipality`` over the chosen period.

    ``choice`` must already be narrowed to the municipality (its engine scope covers it alone).
    Activities and grants are those dated in the period (the most recent first); plans and
    projects are all of the municipality's, each with its own dates, as they run across
    periods. Voided records are left out, as they are out of every figure.
    """
    lines = indicator_lines(choice, lop=lop, today=today, language=language)

    here = {"municipality": municipality}
    activities = viewer.activities(
        Activity.objects.counted().filter(**here, **_in_window(choice, "start_date"))
    )
    recent = (
        activities.select_related("component")
        .with_participants()
        .annotate(attendance=F("roster_count") + F("tallied"))
        .order_by("-start_date", "-pk")[:RECENT_ACTIVITIES]
    )
    grants = viewer.grants(
        Grant.objects.counted().filter(**here, **_in_window(choice, "award_date"))
    )
    totals = [
        GrantTotal(
            currency=row["currency"],
            count=row["count"],
            amount=format_value(row["amount"], language, row["currency"]),
        )
        for row in grants.order_by()
        .values("currency")
        .annotate(count=Count("pk"), amount=Sum("amount"))
        .order_by("currency")
    ]
    listed_grants = grants.select_related("recipient__municipality__majority_community").order_by(
        "-award_date", "reference"
    )
    plans = viewer.plans(CapacityDevelopmentPlan.objects.counted().filter(**here)).order_by(
        "-period_start"
    )
    projects = viewer.projects(InfrastructureProject.objects.counted().filter(**here)).order_by(
        "-start_date", "code"
    )
    rule = composition_rule(QueryDict(), language)
    composition = composition_page(
        composition_compute(choice, rule, municipalities),
        choice=choice,
        rule=rule,
        municipalities=municipalities,
        communities=communities_by_code(),
        language=language,
        small_cells=small_cell_threshold(viewer, engine.Unit.PERSONS),
    )
    return MunicipalityProfile(
        municipality=municipality,
        lines=lines,
        has_targets=any(line.target for line in lines),
        activities=[
            ActivityLine(activity, format_value(activity.attendance, language))
            for activity in recent
        ],
        activity_count=activities.count(),
        plans=list(plans),
        projects=[
            (project, format_value(project.program_contribution, language, project.currency))
            for project in projects
        ],
        grants=[
            (grant, format_value(grant.amount, language, grant.currency))
            for grant in listed_grants[:LISTED_GRANTS]
        ],
        grant_count=sum(total.count for total in totals),
        grant_totals=totals,
        composition=composition,
        activities_href=reverse("activities:list")
        + "?"
        + urlencode({"municipality": municipality.pk}),
    )
