"""What the indicators count: plans adopted, actions completed, municipalities improved, and
the scores of each calendar year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from akt.capacity import selectors, services
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.capacity.progress import OVERALL
from akt.testing.factories import PlanFactory, municipality

from .conftest import AREA_CODES


@pytest.fixture
def places(reference):
    return {code: municipality(code) for code in ("gjilan", "gracanice", "zvecan", "peje")}


def test_plans_count_on_their_adoption_and_drafts_and_voided_ones_never(personas, places) -> None:
    adopted = PlanFactory(municipality=places["gjilan"], adopted_on=dt.date(2015, 3, 1))
    voided = PlanFactory(municipality=places["peje"], adopted_on=dt.date(2015, 4, 1))
    PlanFactory(municipality=places["zvecan"], status="draft", adopted_on=None)
    later = PlanFactory(municipality=places["gracanice"], adopted_on=dt.date(2016, 2, 1))
    services.plan_void(actor=personas["me"], plan=voided, reason="Entered twice.")

    assert list(selectors.plans_adopted()) == [adopted, later]
    window = {"start": dt.date(2015, 1, 1), "end": dt.date(2015, 12, 31)}
    assert list(selectors.plans_adopted(**window)) == [adopted]
    assert list(selectors.plans_adopted(municipalities=frozenset({places["gracanice"].pk}))) == [
        later
    ]


def test_actions_count_on_their_completion(personas, places, areas) -> None:
    plan = PlanFactory(municipality=places["gjilan"])
    other = PlanFactory(municipality=places["peje"])

    def action(plan: CapacityDevelopmentPlan, title: str, **fields: object) -> PlanAction:
        return PlanAction.objects.create(
            plan=plan, title=title, capacity_area=areas["finance"], **fields
        )

    early = action(plan, "early", status="done", completed_on=dt.date(2015, 6, 1))
    action(plan, "late", status="done", completed_on=dt.date(2016, 6, 1))
    action(plan, "no date", status="done")  # done before the date was kept: in no window
    action(plan, "going", status="in_progress")
    action(other, "voided plan's", status="done", completed_on=dt.date(2015, 7, 1))
    services.plan_void(actor=personas["me"], plan=other, reason="Wrong municipality.")

    found = selectors.actions_completed(start=dt.date(2015, 1, 1), end=dt.date(2015, 12, 31))
    assert list(found) == [early]
    assert [a.title for a in selectors.actions_completed()] == ["early", "late"]


def test_municipalities_improved_between_their_first_and_latest_in_the_window(
    places, record
) -> None:
    gjilan, gracanica, zvecan, peje = (places[c] for c in ("gjilan", "gracanice", "zvecan", "peje"))
    record(gjilan, dt.date(2014, 11, 3), {"finance": 1, "human-resources": 2})
    record(gjilan, dt.date(2016, 5, 3), {"finance": 3, "human-resources": 2})
    # Gračanica: finance up, everything else down: improved in finance, not overall.
    record(gracanica, dt.date(2015, 1, 5), {"finance": 2})
    record(gracanica, dt.date(2016, 5, 3), {code: 2 for code in AREA_CODES} | {"finance": 4})
    # Zvečan: one assessment only: no change to show.
    record(zvecan, dt.date(2016, 5, 3), {"finance": 5})
    # Peja: improved, but its first assessment falls before the window below.
    record(peje, dt.date(2014, 10, 6), {"transparency": 1})
    record(peje, dt.date(2015, 10, 6), {"transparency": 2})
    record(peje, dt.date(2016, 10, 6), {"transparency": 2})

    improved = selectors.municipalities_improved()
    assert set(improved) == {*AREA_CODES, OVERALL}
    assert improved["finance"] == {gjilan.pk, gracanica.pk}
    assert improved["transparency"] == {peje.pk}
    assert improved["human-resources"] == frozenset()
    assert improved[OVERALL] == {gjilan.pk, peje.pk}

    in_window = selectors.municipalities_improved(
        start=dt.date(2015, 1, 1), end=dt.date(2016, 12, 31)
    )
    assert in_window["transparency"] == frozenset()
    assert in_window[OVERALL] == frozenset()
    assert in_window["finance"] == {gracanica.pk}
    only_gjilan = selectors.municipalities_improved(municipalities=frozenset({gjilan.pk}))
    assert only_gjilan[OVERALL] == {gjilan.pk} and only_gjilan["finance"] == {gjilan.pk}


def test_scores_per_municipality_and_calendar_year(places, record) -> None:
    gjilan = places["gjilan"]
    record(gjilan, dt.date(2015, 2, 3), {"finance": 1})
    record(gjilan, dt.date(2015, 11, 3), {"finance": 2})  # the year's latest
    record(gjilan, dt.date(2016, 11, 3), {"finance": 4, "transparency": 5})
    years = selectors.assessment_scores_by_year()
    assert set(years) == {gjilan.pk}
    assert set(years[gjilan.pk]) == {2015, 2016}
    assert years[gjilan.pk][2015]["finance"] == 2
    assert years[gjilan.pk][2015][OVERALL] == Decimal("2.80")  # (2 + 3 * 4) / 5
    assert years[gjilan.pk][2016] == {
        "human-resources": 3,
        "finance": 4,
        "service-delivery": 3,
        "community-rights": 3,
        "transparency": 5,
        OVERALL: Decimal("3.60"),
    }


def test_an_assessment_of_a_voided_plan_leaves_the_figures(personas, places, record) -> None:
    plan = PlanFactory(municipality=places["gjilan"])
    record(places["gjilan"], dt.date(2015, 2, 3), {"finance": 1})
    record(places["gjilan"], dt.date(2016, 2, 3), {"finance": 4}, plan=plan)
    assert selectors.municipalities_improved()["finance"] == {places["gjilan"].pk}
    services.plan_void(actor=personas["me"], plan=plan, reason="Entered twice.")
    assert selectors.municipalities_improved()["finance"] == frozenset()
    assert len(selectors.assessment_history()[places["gjilan"].pk]) == 1


def test_the_history_costs_the_same_queries_however_many_assessments(
    places, record, django_assert_num_queries
) -> None:
    record(places["gjilan"], dt.date(2015, 2, 3))
    with django_assert_num_queries(2):
        selectors.assessment_history()
    for day in (dt.date(2016, 2, 3), dt.date(2017, 2, 3)):
        record(places["gjilan"], day)
        record(places["peje"], day)
    with django_assert_num_queries(2):
        history = selectors.assessment_history()
    assert [len(history[places[c].pk]) for c in ("gjilan", "peje")] == [3, 2]
