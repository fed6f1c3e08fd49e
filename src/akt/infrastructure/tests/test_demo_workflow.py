"""The demo's projects followed from selection to handover (akt.demo.infrastructure_workflow),
on a few projects shaped as the demo generator makes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from akt.demo import texts
from akt.demo.infrastructure_workflow import (
    infrastructure_workflow_populate,
    inside_municipality,
)
from akt.infrastructure.models import InfrastructureProject as Project
from akt.infrastructure.models import (
    MilestoneKind,
    MilestoneStatus,
    ProjectMilestone,
    ProjectSpending,
    in_kosovo,
)
from akt.infrastructure.selectors import project_budget
from akt.testing.factories import ProjectFactory, municipality

PLACES = ("gjilan", "gracanice", "mitrovice-e-veriut", "zvecan", "peje", "shterpce", "kline")


@pytest.fixture
def demo_projects(reference) -> list[Project]:
    projects = []
    for number in range(1, 15):
        place = municipality(PLACES[number % len(PLACES)])
        start = dt.date(2015, 3, 2) + dt.timedelta(days=37 * number)
        completed = number <= 12
        projects.append(
            ProjectFactory(
                code=f"DEMO-IP-{number:02d}",
                title=texts.say(texts.PROJECTS[number % len(texts.PROJECTS)], place),
                municipality=place,
                status="completed" if completed else "under_way",
                start_date=start,
                completion_date=start + dt.timedelta(days=150) if completed else None,
                program_contribution=Decimal(12_000 + 2_500 * number),
                municipal_contribution=Decimal(2_000 + 300 * number),
            )
        )
    ProjectFactory(code="REAL-1", municipality=municipality("gjilan"))  # not a demo record
    return projects


def snapshot() -> list[tuple]:
    projects = [
        tuple(map(str, row))
        for row in Project.objects.order_by("code").values_list(
            "code", "selection_date", "selection_justification", "latitude", "longitude",
            "community_contribution", "community_contribution_kind", "handover_date",
            "handed_over_to", "completion_certificate",
        )
    ]  # fmt: skip
    links = sorted(
        (code, community)
        for code, community in Project.communities.through.objects.values_list(
            "infrastructureproject__code", "community__code"
        )
    )
    payments = sorted(
        tuple(map(str, row))
        for row in ProjectSpending.objects.values_list(
            "project__code", "spent_on", "amount", "category", "paid_by", "note"
        )
    )
    milestones = sorted(
        tuple(map(str, row))
        for row in ProjectMilestone.objects.values_list(
            "project__code", "kind", "planned_date", "actual_date"
        )
    )
    return [*projects, *links, *payments, *milestones]


def test_the_demo_projects_are_followed_to_their_handover(demo_projects) -> None:
    written = infrastructure_workflow_populate(seed=2014)
    assert written["projects"] == 14
    assert written["milestones"] == 14 * 6
    assert 0 < written["late_milestones"]
    assert 0 < written["handovers"] <= 12
    assert 0 < written["points"] <= 14

    for project in Project.objects.filter(code__startswith="DEMO-").select_related(
        "municipality__majority_community"
    ):
        project.full_clean()
        communities = list(project.communities.values_list("code", flat=True))
        assert project.municipality.majority_community.code in communities
        assert 2 <= len(communities) <= 3
        assert project.selection_date and project.selection_date <= project.start_date
        assert project.selection_justification
        if project.has_point:
            assert in_kosovo(project.latitude, project.longitude)
            assert inside_municipality(
                project.municipality.code, float(project.latitude), float(project.longitude)
            ), project.code
        milestones = {m.kind: m for m in project.milestones.all()}
        assert set(milestones) == set(MilestoneKind.values)
        budget = project_budget(project)
        if project.status == "completed":
            # The rule of completion holds in the demo too.
            assert milestones["works_completed"].actual_date == project.completion_date
            assert Decimal("0.92") <= budget.spent / budget.total <= Decimal("1.09")
            if project.handover_date:
                assert project.handover_date >= project.completion_date
                assert milestones["handover"].actual_date == project.handover_date
                assert project.handed_over_to and project.completion_certificate
            else:
                assert milestones["handover"].status == MilestoneStatus.LATE
        else:
            assert milestones["works_completed"].status == MilestoneStatus.LATE
            assert project.handover_date is None
            assert budget.spent < budget.total
    real = Project.objects.get(code="REAL-1")
    assert not real.milestones.exists() and not real.spending.exists()


def test_the_demo_workflow_is_deterministic_and_replaces_an_earlier_run(demo_projects) -> None:
    first = infrastructure_workflow_populate(seed=7)
    once = snapshot()
    assert infrastructure_workflow_populate(seed=7) == first
    assert snapshot() == once
    infrastructure_workflow_populate(seed=8)
    assert snapshot() != once
