"""Reads of infrastructure projects that other apps share: the map's points, the indicators'
rows, a project's budget and spending.

The indicator readers take plain rows from here, one query each, as the fact readers do
(:mod:`akt.indicators.fact_reader`): narrowed by a window and by municipalities, voided projects
left out (a voided project counts in no figure, its spending and co-financing with it). The
rules of what counts when:

- a project counts as **completed** on its completion date, and only when its status is
  completed (which the services allow only once its "works completed" milestone is done);
- **co-financing leveraged** is the municipality's and the community's contributions of a
  completed project, counted on its completion date in the project's currency;
- **spending** counts on the day of each payment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, Prefetch, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from akt.accounts.scope import Scope
from akt.counting.engine import Window
from akt.infrastructure.budget import ProjectBudget, budget_compute, percent
from akt.infrastructure.models import (
    InfrastructureProject,
    Payer,
    ProjectMilestone,
    ProjectSpending,
    ProjectStatus,
)

ZERO = Decimal("0")


def contributions(project: InfrastructureProject) -> list[tuple[str, Decimal]]:
    """The project's budget shares by payer, in the order pages show them."""
    return [
        (Payer.USAID.value, Decimal(project.program_contribution)),
        (Payer.MUNICIPALITY.value, Decimal(project.municipal_contribution)),
        (Payer.COMMUNITY.value, Decimal(project.community_contribution)),
    ]


def project_budget(project: InfrastructureProject) -> ProjectBudget:
    """The project's budget by payer with what each has spent (one query)."""
    spent = {
        payer: Decimal(total)
        for payer, total in project.spending.order_by()
        .values_list("paid_by")
        .annotate(total=Sum("amount"))
    }
    return budget_compute(contributions(project), spent)


# -- the list of projects ------------------------------------------------------------------


def with_progress(projects: QuerySet[InfrastructureProject]) -> QuerySet[InfrastructureProject]:
    """``projects`` with what the list shows of their progress, in two queries for a page:
    ``spent`` (the sum of their payments) and ``open_milestones`` (those not done yet)."""
    return projects.annotate(
        spent=Coalesce(
            Sum("spending__amount"),
            Value(ZERO),
            output_field=DecimalField(max_digits=14, decimal_places=2),
        )
    ).prefetch_related(
        Prefetch(
            "milestones",
            queryset=ProjectMilestone.objects.filter(actual_date__isnull=True),
            to_attr="open_milestones",
        )
    )


@dataclass(frozen=True)
class ProjectRow:
    """A project as its list shows it."""

    project: InfrastructureProject
    percent_spent: Decimal | None
    next_milestone: ProjectMilestone | None


def project_rows(projects: Iterable[InfrastructureProject]) -> list[ProjectRow]:
    """Rows of projects read through :func:`with_progress`: the percent of the budget spent,
    and the next milestone (the first in the sequence that is not done)."""
    rows = []
    for project in projects:
        open_milestones = sorted(
            getattr(project, "open_milestones", []), key=lambda m: (m.sequence, m.planned_date)
        )
        spent = getattr(project, "spent", ZERO)
        rows.append(
            ProjectRow(
                project=project,
                percent_spent=percent(spent, project.total_budget),
                next_milestone=open_milestones[0] if open_milestones else None,
            )
        )
    return rows


# -- the map --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProjectPoint:
    """Where a project is, for the map (WGS84 degrees)."""

    project_id: int
    code: str
    title: str
    municipality_id: int
    status: str
    latitude: Decimal
    longitude: Decimal


def project_points(scope: Scope) -> list[ProjectPoint]:
    """The point of every project ``scope`` may see that has one (voided projects left out).

    A project located by its municipality alone has no point and is not listed: the map shows
    it with its municipality, if at all."""
    projects = scope.projects(
        InfrastructureProject.objects.counted().filter(
            latitude__isnull=False, longitude__isnull=False
        )
    ).order_by("code")
    rows = projects.values_list(
        "pk", "code", "title", "municipality_id", "status", "latitude", "longitude"
    )
    return [
        ProjectPoint(pk, code, title, municipality, status, latitude, longitude)
        for pk, code, title, municipality, status, latitude, longitude in rows
        if latitude is not None and longitude is not None  # as filtered: for the type checker
    ]


# -- the indicators -------------------------------------------------------------------------


def _counted(municipalities: frozenset[int] | None) -> QuerySet[InfrastructureProject]:
    projects = InfrastructureProject.objects.counted()
    if municipalities is not None:
        projects = projects.filter(municipality_id__in=municipalities)
    return projects


def _completed_in(
    window: Window | None, municipalities: frozenset[int] | None
) -> QuerySet[InfrastructureProject]:
    projects = _counted(municipalities).filter(
        status=ProjectStatus.COMPLETED, completion_date__isnull=False
    )
    if window is not None:
        projects = projects.filter(
            completion_date__gte=window.start, completion_date__lte=window.end
        )
    return projects.order_by("completion_date", "pk")


@dataclass(frozen=True)
class CompletedProject:
    """A completed project, counted on its completion date."""

    project_id: int
    date: date
    municipality_id: int
    component: str  # the component's code
    currency: str
    program_contribution: Decimal


def projects_completed(
    window: Window | None = None, municipalities: frozenset[int] | None = None
) -> list[CompletedProject]:
    """Projects completed in ``window`` (all when None) in ``municipalities`` (all when None)."""
    rows = _completed_in(window, municipalities).values_list(
        "pk", "completion_date", "municipality_id", "component__code", "currency",
        "program_contribution",
    )  # fmt: skip
    return [
        CompletedProject(pk, day, municipality, component, currency, Decimal(contribution))
        for pk, day, municipality, component, currency, contribution in rows
        if day is not None  # as filtered: for the type checker
    ]


@dataclass(frozen=True)
class CoFinancing:
    """What a completed project leveraged beyond USAID's contribution, on its completion date,
    in its currency."""

    project_id: int
    date: date
    municipality_id: int
    currency: str
    municipal: Decimal
    community: Decimal
    community_kind: str  # "cash", "in_kind", or "" without a community contribution

    @property
    def total(self) -> Decimal:
        return self.municipal + self.community


def cofinancing_leveraged(
    window: Window | None = None, municipalities: frozenset[int] | None = None
) -> list[CoFinancing]:
    """Co-financing of the projects completed in ``window``, one row per project (a project
    without co-financing has a row of zeros: it was completed all the same)."""
    rows = _completed_in(window, municipalities).values_list(
        "pk", "completion_date", "municipality_id", "currency", "municipal_contribution",
        "community_contribution", "community_contribution_kind",
    )  # fmt: skip
    return [
        CoFinancing(pk, day, municipality, currency, Decimal(municipal), Decimal(community), kind)
        for pk, day, municipality, currency, municipal, community, kind in rows
        if day is not None  # as filtered: for the type checker
    ]


@dataclass(frozen=True)
class SpendingEntry:
    """One payment, counted on its day, in its project's currency."""

    spending_id: int
    project_id: int
    date: date
    municipality_id: int
    currency: str
    amount: Decimal
    paid_by: str
    category: str


def _spending_in(
    window: Window | None, municipalities: frozenset[int] | None
) -> QuerySet[ProjectSpending]:
    entries = ProjectSpending.objects.filter(project__voided_at__isnull=True)
    if municipalities is not None:
        entries = entries.filter(project__municipality_id__in=municipalities)
    if window is not None:
        entries = entries.filter(spent_on__gte=window.start, spent_on__lte=window.end)
    return entries


def spending_entries(
    window: Window | None = None, municipalities: frozenset[int] | None = None
) -> list[SpendingEntry]:
    """Every payment made in ``window`` on the projects of ``municipalities``."""
    rows = (
        _spending_in(window, municipalities)
        .order_by("spent_on", "pk")
        .values_list(
            "pk",
            "project_id",
            "spent_on",
            "project__municipality_id",
            "project__currency",
            "amount",
            "paid_by",
            "category",
        )  # fmt: skip
    )
    return [SpendingEntry(*row[:5], Decimal(row[5]), *row[6:]) for row in rows]


@dataclass(frozen=True)
class ProjectSpendingTotal:
    """What was spent on one project in a window, in all and by payer, against its budget."""

    project_id: int
    municipality_id: int
    currency: str
    budget: Decimal
    spent: Decimal
    spent_by_payer: Mapping[str, Decimal] = field(default_factory=dict)

    @property
    def percent_spent(self) -> Decimal | None:
        return percent(self.spent, self.budget)

    @property
    def over_budget(self) -> bool:
        return self.spent > self.budget


def spending_per_project(
    window: Window | None = None, municipalities: frozenset[int] | None = None
) -> list[ProjectSpendingTotal]:
    """Per project with a payment in ``window``: the sum spent there, in all and by payer (one
    query)."""
    rows = (
        _spending_in(window, municipalities)
        .values_list(
            "project_id",
            "project__municipality_id",
            "project__currency",
            "project__program_contribution",
            "project__municipal_contribution",
            "project__community_contribution",
            "paid_by",
        )  # fmt: skip
        .annotate(total=Sum("amount"))
        .order_by("project_id", "paid_by")
    )
    projects: dict[int, dict[str, Any]] = {}
    by_payer: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for project, municipality, currency, usaid, municipal, community, payer, total in rows:
        projects[project] = {
            "municipality_id": municipality,
            "currency": currency,
            "budget": Decimal(usaid) + Decimal(municipal) + Decimal(community),
        }
        by_payer[project][payer] = Decimal(total)
    return [
        ProjectSpendingTotal(
            project_id=project,
            spent=sum(by_payer[project].values(), ZERO),
            spent_by_payer=dict(by_payer[project]),
            **values,
        )
        for project, values in projects.items()
    ]
