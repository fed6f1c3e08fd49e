"""A unique-person figure's range while pairs wait for review; pure, no database.

The brute force here decides every combination of the pending pairs, merges the persons each
"same person" joins, and counts them with the engine itself: the figure and its cells as they
would be once the officers have answered. The module under test must give the same counts.
"""

from __future__ import annotations

import itertools
import math
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akt.counting.engine import Definition, Fact, Result, Source, Unit, compute, fiscal_year
from akt.counting.uncertainty import (
    Pair,
    figure_pending,
    person_standing,
)

PROPERTY = settings(
    max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
FY2016 = fiscal_year(2016)
TRAINEES = Definition(
    code="trainees",
    source=Source.ATTENDANCE,
    unit=Unit.PERSONS,
    filters={"role": frozenset({"participant"})},
    disaggregations=("sex", ("sex", "community")),
)


def attendance(record_id: int, day: date, person: int, sex: str | None, community: str) -> Fact:
    return Fact(
        source=Source.ATTENDANCE,
        record_id=record_id,
        date=day,
        municipality=1,
        activity=record_id,
        person=person,
        attrs={"role": "participant", "sex": sex, "community": community},
    )


def merged(facts: list[Fact], links: list[tuple[int, int]]) -> list[Fact]:
    """The facts with every person a link joins resolved to one (the lowest id of the group)."""
    group = {fact.person: fact.person for fact in facts}

    def root(person: int) -> int:
        while group.setdefault(person, person) != person:
            person = group[person]
        return person

    for a, b in links:
        ra, rb = root(a), root(b)
        group[max(ra, rb)] = min(ra, rb)
    return [
        Fact(**{**{f: getattr(fact, f) for f in fact.__slots__}, "person": root(fact.person)})
        for fact in facts
    ]


def brute_force(facts: list[Fact], pairs: list[Pair]) -> tuple[Result, dict, dict]:
    """Every outcome of the pairs among counted persons, counted by the engine: the result if
    all are linked, and the expected figure and cells (pairs between the same two persons are
    one question, asked with its highest probability)."""
    counted = {fact.person for fact in compute(TRAINEES, facts, FY2016).first_facts}
    questions: dict[tuple[int, int], float] = {}
    for a, b, p in pairs:
        if a != b and a in counted and b in counted:
            key = (min(a, b), max(a, b))
            questions[key] = max(questions.get(key, 0.0), p)
    edges = list(questions.items())
    expected_value = 0.0
    expected_cells: dict = {}
    for decisions in itertools.product((False, True), repeat=len(edges)):
        decided = list(zip(decisions, edges, strict=True))
        weight = math.prod(p if linked else 1 - p for linked, (_, p) in decided)
        links = [pair for linked, (pair, _) in decided if linked]
        outcome = compute(TRAINEES, merged(facts, links), FY2016)
        expected_value += weight * outcome.value
        for name, cells in outcome.breakdowns.items():
            for cell, value in cells.items():
                key = (name, cell)
                expected_cells[key] = expected_cells.get(key, 0.0) + weight * value
    all_linked = compute(TRAINEES, merged(facts, [pair for pair, _ in edges]), FY2016)
    return all_linked, {"value": expected_value}, expected_cells


@st.composite
def sheets_and_pairs(draw: st.DrawFn) -> tuple[list[Fact], list[Pair]]:
    """A few persons on a few sheets of FY2016 (some outside it), and pairs among them and
    persons counted nowhere; the same person's sex written differently on two sheets."""
    persons = draw(st.integers(min_value=1, max_value=7))
    facts = []
    for person in range(persons):
        for _sheet in range(draw(st.integers(min_value=1, max_value=2))):
            facts.append(
                attendance(
                    len(facts),
                    date(2015, 9, 20) + timedelta(days=draw(st.integers(0, 400))),
                    person,
                    draw(st.sampled_from(["female", "male", None])),
                    draw(st.sampled_from(["serb", "albanian"])),
                )
            )
    pair = st.tuples(
        st.integers(0, persons),  # person ``persons`` is on no sheet
        st.integers(0, persons),
        st.sampled_from([0.0, 0.1, 0.35, 0.5, 0.87, 1.0]),
    )
    return facts, draw(st.lists(pair, min_size=1, max_size=9))


@PROPERTY
@given(sheets_and_pairs())
def test_the_range_is_what_every_decision_would_give(case: tuple[list[Fact], list[Pair]]) -> None:
    facts, pairs = case
    result = compute(TRAINEES, facts, FY2016)
    pending = figure_pending(TRAINEES, result, pairs)
    all_linked, expected, cells = brute_force(facts, pairs)
    if pending is None:  # no pair between two persons the figure counts: nothing can change
        assert all_linked.value == result.value == expected["value"]
        assert all_linked.breakdowns == result.breakdowns
        return
    assert pending.total.if_none_linked == result.value
    assert pending.total.if_all_linked == all_linked.value
    assert pending.total.expected == pytest.approx(expected["value"])
    assert pending.total.exact
    for name, values in result.breakdowns.items():
        for cell, value in values.items():
            shown = pending.cell(name, cell, value)
            assert shown.if_all_linked == all_linked.breakdowns[name].get(cell, 0)
            assert shown.expected == pytest.approx(cells.get((name, cell), 0.0), abs=1e-9)
            assert value >= shown.expected >= shown.if_all_linked


@PROPERTY
@given(sheets_and_pairs())
def test_none_expected_all_in_order_and_equal_without_pairs(
    case: tuple[list[Fact], list[Pair]],
) -> None:
    facts, pairs = case
    persons = [fact.person for fact in compute(TRAINEES, facts, FY2016).first_facts]
    standing = person_standing(persons, pairs)
    shown = standing.range_of(persons)
    assert shown.if_none_linked >= shown.expected >= shown.if_all_linked
    assert shown.if_none_linked == len(persons)
    whole = standing.range_of_all(len(persons))
    assert (whole.if_none_linked, whole.if_all_linked) == (len(persons), shown.if_all_linked)
    assert whole.expected == pytest.approx(shown.expected)
    unlinked = person_standing(persons, [])
    assert unlinked.range_of(persons).expected == unlinked.range_of(persons).if_all_linked
    assert unlinked.range_of(persons).if_all_linked == len(persons)
    assert unlinked.pairs == 0


@PROPERTY
@given(
    st.lists(st.sampled_from([0.0, 0.05, 0.5, 0.93, 1.0]), min_size=1, max_size=40).flatmap(
        lambda chances: st.tuples(
            st.just(chances),
            st.tuples(*[st.integers(0, position) for position in range(len(chances))]),
        )
    )
)
def test_a_tree_of_pairs_expects_n_minus_the_sum_of_probabilities(
    case: tuple[list[float], tuple[int, ...]],
) -> None:
    """Persons 0..n, person i+1 paired with one person before it: a tree, however large."""
    chances, parents = case
    persons = list(range(len(chances) + 1))
    # Count them in a shuffled order so the tree's edges do not follow the counting order.
    order = sorted(persons, key=lambda person: (person * 7919) % 101)
    pairs = [
        (child + 1, parent, p)
        for child, (parent, p) in enumerate(zip(parents, chances, strict=True))
    ]
    shown = person_standing(order, pairs).range_of(order)
    assert shown.expected == pytest.approx(len(persons) - sum(chances))
    assert shown.if_all_linked == 1
    assert shown.exact
    # The enumeration gives the same person by person (a tree small enough to enumerate).
    if len(pairs) <= 10:
        tree = person_standing(order, pairs).staying
        enumerated = person_standing(order, pairs, tree_exact_nodes=1).staying
        assert enumerated == pytest.approx(tree)


def test_one_pair_lowers_the_later_persons_cell_by_its_probability() -> None:
    """Jovan, male on the first sheet, is written female on the second, as Јован."""
    facts = [
        attendance(1, date(2015, 11, 3), 10, "male", "serb"),
        attendance(2, date(2016, 2, 9), 11, "female", "serb"),
        attendance(3, date(2016, 3, 1), 12, "female", "albanian"),
    ]
    result = compute(TRAINEES, facts, FY2016)
    pending = figure_pending(TRAINEES, result, [(11, 10, 0.87), (12, 99, 0.9)])
    assert pending is not None
    assert pending.pairs == 1  # person 99 is counted nowhere in this figure
    assert (pending.total.if_none_linked, pending.total.if_all_linked) == (3, 2)
    assert pending.total.expected == pytest.approx(3 - 0.87)
    assert pending.cell("sex", "female", 2).expected == pytest.approx(2 - 0.87)
    assert pending.cell("sex", "male", 1).expected == 1.0
    assert pending.if_all_linked["sex", "community"]["female", "serb"] == 0


def test_the_same_question_asked_twice_counts_once() -> None:
    """Two records of person 1 each paired with person 2: one question, its higher chance."""
    standing = person_standing([1, 2], [(1, 2, 0.6), (2, 1, 0.8)])
    assert standing.pairs == 2  # both wait in the queue
    assert standing.range_of([1, 2]).expected == pytest.approx(2 - 0.8)


def test_pairs_already_resolved_or_outside_change_nothing() -> None:
    assert figure_pending(TRAINEES, compute(TRAINEES, [], FY2016), [(1, 2, 0.5)]) is None
    facts = [attendance(1, date(2016, 1, 5), 1, "male", "serb")]
    result = compute(TRAINEES, facts, FY2016)
    assert figure_pending(TRAINEES, result, [(1, 1, 0.9), (1, 2, 0.9)]) is None
    with pytest.raises(ValueError, match="probability"):
        person_standing([1, 2], [(1, 2, 1.5)])


def test_a_large_tangle_of_pairs_is_sampled_within_bounds_and_close_to_exact() -> None:
    """Six persons all paired with each other (15 pairs, cycles): sampled, with a fixed seed."""
    persons = list(range(6))
    pairs = [(a, b, 0.1 + 0.1 * ((a + b) % 5)) for a, b in itertools.combinations(persons, 2)]
    sampled = person_standing(persons, pairs, exact_edges=0, samples=4000)
    exact = person_standing(persons, pairs, exact_edges=15)
    again = person_standing(persons, pairs, exact_edges=0, samples=4000)
    shown = sampled.range_of(persons)
    assert not shown.exact and exact.range_of(persons).exact
    assert shown.if_none_linked >= shown.expected >= shown.if_all_linked == 1
    assert shown.expected == pytest.approx(exact.range_of(persons).expected, abs=0.1)
    assert again.staying == sampled.staying  # the same records give the same number
    # With the default settings a tangle this size is sampled, not enumerated.
    assert not person_standing(persons, pairs).exact


def test_a_result_without_its_persons_is_refused() -> None:
    facts = [attendance(1, date(2016, 1, 5), 1, "male", "serb")]
    result = compute(TRAINEES, facts, FY2016)
    bare = Result(
        code=result.code,
        unit=result.unit,
        window=result.window,
        value=result.value,
        breakdowns=result.breakdowns,
        tally_headcount=0,
        activity_ids=result.activity_ids,
        record_ids=result.record_ids,
    )
    with pytest.raises(ValueError, match="does not name the persons"):
        figure_pending(TRAINEES, bare, [(1, 2, 0.5)])
