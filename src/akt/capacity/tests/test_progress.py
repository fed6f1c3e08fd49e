"""The rules of change between assessments, without a database (akt.capacity.progress)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from akt.capacity.progress import (
    OVERALL,
    Assessed,
    mean_score,
    overall_change,
    progress,
    rounded,
    score_table,
)

AREAS = ["hr", "finance", "services", "rights", "transparency"]


def test_change_per_area_is_latest_minus_first_where_both_scored_it() -> None:
    first = Assessed(1, dt.date(2014, 11, 3), {"hr": 2, "finance": 3, "services": 1})
    middle = Assessed(2, dt.date(2016, 4, 5), {"hr": 3, "finance": 2, "rights": 4})
    latest = Assessed(3, dt.date(2017, 2, 7), {"hr": 4, "services": 3, "transparency": 2})
    found = progress([latest, first, middle], AREAS)  # any order in, date order out

    assert [item.key for item in found.assessments] == [1, 2, 3]
    assert found.since_first is not None
    assert found.since_first.by_area == {
        "hr": 2,
        "finance": None,  # the latest assessment left it out: not known, not 0
        "services": 2,
        "rights": None,  # the first left it out, even though the middle one scored it
        "transparency": None,
    }
    assert found.since_first.overall == Fraction(2)  # over hr and services, the shared areas
    assert [step.by_area for step in found.steps] == [
        {"hr": 1, "finance": -1, "services": None, "rights": None, "transparency": None},
        {"hr": 1, "finance": None, "services": None, "rights": None, "transparency": None},
    ]
    assert [step.overall for step in found.steps] == [Fraction(0), Fraction(1)]
    assert found.improved() == {"hr", "services", OVERALL}


def test_one_assessment_shows_no_change_and_a_fall_is_no_improvement() -> None:
    only = Assessed(1, dt.date(2015, 1, 5), {"hr": 2})
    assert progress([only], AREAS).since_first is None
    assert progress([only], AREAS).improved() == set()
    assert progress([], AREAS).latest is None

    later = Assessed(2, dt.date(2016, 1, 5), {"hr": 2, "finance": 1})
    earlier = Assessed(1, dt.date(2015, 1, 5), {"hr": 2, "finance": 3})
    assert progress([earlier, later], AREAS).improved() == set()
    assert overall_change({"hr": 2}, {"finance": 3}) is None  # no area in common


def test_two_assessments_on_one_day_go_in_the_order_they_were_recorded() -> None:
    day = dt.date(2016, 5, 2)
    found = progress([Assessed(9, day, {"hr": 4}), Assessed(3, day, {"hr": 2})], AREAS)
    assert found.since_first is not None
    assert found.since_first.by_area["hr"] == 2


def test_means_are_exact_until_shown() -> None:
    assert mean_score({"hr": 1, "finance": 2, "services": 2}) == Fraction(5, 3)
    assert rounded(Fraction(5, 3)) == Decimal("1.67")
    assert rounded(Fraction(1, 8)) == Decimal("0.13")  # halves round up
    assert mean_score({}) is None


def test_the_table_gives_each_area_its_scores_bars_and_changes() -> None:
    found = progress(
        [
            Assessed(1, dt.date(2015, 1, 5), {"hr": 1, "finance": 2}),
            Assessed(2, dt.date(2016, 1, 5), {"hr": 3}),
        ],
        ["hr", "finance"],
    )
    table = score_table(found, ["hr", "finance"])
    hr, finance = table.rows
    assert [cell.score for cell in hr.cells] == [1, 3]
    assert [cell.width for cell in hr.cells] == [20, 60]
    assert (hr.since_first, finance.since_first) == (2, None)
    assert [cell.score for cell in finance.cells] == [2, None]
    assert [cell.shown for cell in table.overall] == [Decimal("1.50"), Decimal("3.00")]
    assert table.overall_since_first == Decimal("2.00")


scores = st.dictionaries(st.sampled_from(AREAS), st.integers(1, 5), min_size=1)


@given(scores, scores)
def test_overall_change_is_the_change_of_the_means_over_the_shared_areas(
    first: dict[str, int], latest: dict[str, int]
) -> None:
    shared = [area for area in AREAS if area in first and area in latest]
    change = overall_change(first, latest)
    if not shared:
        assert change is None
        return
    brute = Fraction(sum(latest[a] for a in shared), len(shared)) - Fraction(
        sum(first[a] for a in shared), len(shared)
    )
    assert change == brute
    found = progress(
        [Assessed(1, dt.date(2015, 1, 1), first), Assessed(2, dt.date(2016, 1, 1), latest)], AREAS
    )
    assert (OVERALL in found.improved()) == (brute > 0)
