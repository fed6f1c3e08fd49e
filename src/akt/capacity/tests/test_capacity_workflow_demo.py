"""The demo's capacity workflow (akt.demo.capacity_workflow) on a few demo plans: plausible,
in each municipality's language and script, and the same for the same seed."""

from __future__ import annotations

import datetime as dt

import pytest

from akt.capacity.models import AssessmentScore, CapacityAssessment, PlanAction
from akt.capacity.progress import OVERALL
from akt.capacity.selectors import assessment_history, municipalities_improved
from akt.demo import texts
from akt.demo.capacity_workflow import PROGRAM_END, capacity_workflow_populate
from akt.testing.factories import PlanFactory, municipality
from akt.text.script import cyrillic_to_latin

CODES = ("gjilan", "gracanice", "zvecan", "peje", "kllokot", "leposaviq")


@pytest.fixture
def demo_plans(reference, areas):
    plans = []
    for number, code in enumerate(CODES):
        place = municipality(code)
        plan = PlanFactory(
            municipality=place,
            title=texts.say(texts.PLAN, place, first=2015, last=2017),
            adopted_on=dt.date(2015, 3 + number, 2),
        )
        for area, action in texts.PLAN_ACTIONS:
            PlanAction.objects.create(
                plan=plan,
                title=texts.say(action, place),
                area=texts.say(area, place),
                status="done" if number % 2 else "planned",
                due_date=dt.date(2016, 1 + number, 15),
            )
        plans.append(plan)
    return plans


def snapshot() -> list[tuple]:
    rows = [
        (a.municipality.code, a.assessed_on, a.assessed_by, s.area.code, s.score, s.evidence)
        for a in CapacityAssessment.objects.select_related("municipality")
        for s in a.scores.select_related("area")
    ]
    rows += [
        (p.title, p.capacity_area.code, p.owner, p.status, p.completed_on)
        for p in PlanAction.objects.select_related("capacity_area")
    ]
    return sorted(rows, key=repr)


def test_assessments_and_actions_are_plausible_and_deterministic(demo_plans) -> None:
    counts = capacity_workflow_populate(seed=7)
    first = snapshot()
    assert counts == {
        "assessments": CapacityAssessment.objects.count(),
        "assessment_scores": AssessmentScore.objects.count(),
        "plan_actions": len(CODES) * len(texts.PLAN_ACTIONS),
    }
    history = assessment_history()
    assert sorted(len(items) for items in history.values())[0] >= 2
    assert max(len(items) for items in history.values()) <= 3
    assert AssessmentScore.objects.count() == 5 * CapacityAssessment.objects.count()
    assert set(AssessmentScore.objects.values_list("score", flat=True)) <= {1, 2, 3, 4, 5}
    for plan in demo_plans:
        assessed = [a.assessed_on for a in CapacityAssessment.objects.filter(plan=plan)]
        assert min(assessed) < plan.adopted_on  # the baseline comes before the plan
        assert max(assessed) <= PROGRAM_END
    assert municipalities_improved()[OVERALL]  # mostly rising

    def evidence(code: str) -> str:
        return AssessmentScore.objects.filter(assessment__municipality__code=code).first().evidence

    assert "ë" in "".join(  # Albanian in Gjilan
        AssessmentScore.objects.filter(assessment__municipality__code="gjilan").values_list(
            "evidence", flat=True
        )
    )
    assert evidence("gracanice") == cyrillic_to_latin(evidence("gracanice"))  # Serbian, Latin
    assert evidence("zvecan") != cyrillic_to_latin(evidence("zvecan"))  # Cyrillic in the north

    actions = list(PlanAction.objects.select_related("capacity_area"))
    assert all(action.capacity_area and action.owner for action in actions)
    done = [action for action in actions if action.status == "done"]
    assert done and all(action.completed_on for action in done)
    assert all(action.completed_on <= PROGRAM_END for action in done)
    by_words = {action.area: action.capacity_area.code for action in actions}
    assert by_words["Financat"] == by_words["Finansije"] == "finance"

    assert capacity_workflow_populate(seed=7) == counts  # again: replaced, not added
    assert snapshot() == first
    capacity_workflow_populate(seed=8)
    assert snapshot() != first
