"""The columnar engine against the reference engine and against a brute-force count.

Random facts (the reference engine's property-test facts, plus affiliation and community
statuses) and random definitions (every unit and source, filters, cross-tabulations) are
computed over many windows at once by :func:`columnar.compute_table`; every window's result
must equal the reference engine's, cells and their order included, and a brute-force count
written here from architecture section 4. No database.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.counting import columnar, engine
from akt.counting.engine import (
    DEFAULT_AGE_BANDS,
    MAJORITY,
    NON_MAJORITY,
    UNKNOWN,
    Coverage,
    Definition,
    Fact,
    Source,
    Unit,
    Window,
    date_range,
    fiscal_quarter,
    fiscal_year,
)
from akt.counting.tests.test_engine import (
    COMMUNITIES,
    CUSTOM_BANDS,
    DAYS,
    KINDS,
    PROPERTY,
    SEXES,
    TOPICS,
    VALID_PAIRS,
    brute_band,
    build_fact,
    fact_fields,
    roster,
    scopes,
    tally,
)

FY2016 = fiscal_year(2016)
QUARTERS = [fiscal_quarter(2016, q) for q in (1, 2, 3, 4)]
AFFILIATIONS = ("municipal_employee", "farmer", "", None, UNKNOWN)
STATUSES = (MAJORITY, NON_MAJORITY, None)

# Many windows at once, as the tracking table asks: overlapping, nested, at the edges of the
# facts' days (FY2015 and FY2017 hold only the two days either side of FY2016).
FIXED_WINDOWS = [
    FY2016,
    *QUARTERS,
    fiscal_year(2015),
    fiscal_year(2017),
    date_range(DAYS[0], DAYS[-1], "all"),
]


# --- Strategies -------------------------------------------------------------------------------


@st.composite
def facts_with_statuses(draw: st.DrawFn, preferred: Source) -> list[Fact]:
    size = draw(st.integers(4, 30))
    rows = draw(
        st.lists(fact_fields, min_size=size, max_size=size, unique_by=lambda fields: fields[0])
    )
    extras = draw(st.lists(st.integers(0, 74), min_size=size, max_size=size))
    facts = []
    for fields, extra in zip(rows, extras, strict=True):
        fact = build_fact(fields, preferred)
        affiliation, local, national = extra % 5, extra // 5 % 3, extra // 15 % 3
        attrs = {
            **fact.attrs,
            "affiliation": AFFILIATIONS[affiliation],
            "local_status": STATUSES[local],
            "national_status": STATUSES[national],
        }
        facts.append(dataclasses.replace(fact, attrs=attrs))
    return facts


SINGLE = ["municipality", "kind", "missing_attr"]
PERSONAL = ["sex", "community", "age_band", "affiliation", "local_status", "national_status"]


@st.composite
def definitions(draw: st.DrawFn, code: str = "x") -> Definition:
    unit = draw(st.sampled_from(Unit))
    source = draw(st.sampled_from(VALID_PAIRS[unit]))
    bands = draw(st.sampled_from((DEFAULT_AGE_BANDS, CUSTOM_BANDS)))
    choices = {
        "sex": [v for v in SEXES if v] + [UNKNOWN],
        "community": [v for v in COMMUNITIES if v],
        "kind": [v for v in KINDS if v],
        "topics": list(TOPICS),
        "age_band": [band.label for band in bands],
        "municipality": ["1", "2", "3", "4"],
        "affiliation": ["municipal_employee", "farmer", UNKNOWN],
        "local_status": [MAJORITY, NON_MAJORITY],
    }
    filters = {}
    count = draw(st.sampled_from((0, 0, 1, 1, 2, 3)))
    for name in draw(
        st.lists(st.sampled_from(sorted(choices)), unique=True, min_size=count, max_size=count)
    ):
        filters[name] = draw(st.frozensets(st.sampled_from(choices[name]), min_size=1))
    dimensions = SINGLE + (PERSONAL if unit is not Unit.ACTIVITIES else [])
    singles = draw(st.lists(st.sampled_from(dimensions), unique=True, max_size=3))
    crossed = draw(
        st.lists(
            st.lists(st.sampled_from(dimensions), unique=True, min_size=2, max_size=3).map(tuple),
            unique=True,
            max_size=3,
        )
    )
    return Definition(code, source, unit, filters, (*singles, *crossed), bands)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Definition, list[Fact], list[Window], Coverage]:
    definition = draw(definitions())
    first, second = sorted(draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
    windows = [*FIXED_WINDOWS, date_range(first, second, "drawn")]
    return definition, draw(facts_with_statuses(definition.source)), windows, draw(scopes)


# --- A brute-force count ----------------------------------------------------------------------


def brute_read(fact: Fact, name: str, definition: Definition) -> Any:
    if name == "age_band":
        return brute_band(fact, definition.age_bands)
    if name == "municipality":
        return None if fact.municipality is None else str(fact.municipality)
    return fact.attrs.get(name) or None


def brute_force(
    definition: Definition, facts: list[Fact], window: Window, scope: Coverage
) -> dict[str, Any]:
    """The count, written straight from architecture section 4 (cells: the non-zero ones)."""

    def admitted(fact: Fact) -> bool:
        if fact.source != definition.source or fact.headcount == 0:
            return False
        if not window.start <= fact.date <= window.end:
            return False
        if scope.municipalities is not None and fact.municipality not in scope.municipalities:
            return False
        for name, allowed in definition.filters.items():
            value = brute_read(fact, name, definition)
            passes = bool(value & allowed) if isinstance(value, frozenset) else value in allowed
            if not passes:
                return False
        return True

    kept = [fact for fact in facts if admitted(fact)]
    unit = definition.unit
    entity = {
        Unit.ACTIVITIES: lambda f: f.activity,
        Unit.PERSONS: lambda f: None if f.is_tally else f.person,
        Unit.ORGANIZATIONS: lambda f: f.organization,
    }.get(unit)
    weight = {
        Unit.ATTENDANCES: lambda f: f.headcount,
        Unit.AMOUNT: lambda f: f.amount,
        Unit.RECORDS: lambda f: 1,
    }.get(unit)
    persons_tally = [f for f in kept if unit is Unit.PERSONS and f.is_tally]
    if entity is not None:
        counted = [f for f in kept if entity(f) is not None]
        firsts = {}
        for fact in sorted(counted, key=lambda f: (f.date, f.is_tally, f.record_id)):
            firsts.setdefault(entity(fact), fact)
        contributions = [(fact, 1) for fact in firsts.values()]
    else:
        counted = [f for f in kept if weight(f) is not None]  # type: ignore[misc]
        contributions = [(fact, weight(fact)) for fact in counted]  # type: ignore[misc]
    zero = Decimal(0) if unit is Unit.AMOUNT else 0
    cells: dict[object, dict[object, Any]] = {}
    for split in definition.disaggregations:
        names = engine.dimensions_of(split)
        split_cells: defaultdict[object, Any] = defaultdict(lambda: zero)
        for fact, value in contributions:
            key = tuple(brute_read(fact, name, definition) or UNKNOWN for name in names)
            split_cells[key[0] if isinstance(split, str) else key] += value
        cells[split] = {key: value for key, value in split_cells.items() if value}
    behind = counted + persons_tally
    return {
        "value": sum((value for _fact, value in contributions), zero),
        "tally_headcount": sum(f.headcount for f in persons_tally),
        "uncounted": len(kept) - len(behind),
        "record_ids": {f.record_id for f in behind if not f.is_tally},
        "tally_record_ids": {f.record_id for f in behind if f.is_tally},
        "activity_ids": {f.activity for f in behind} - {None},
        "cells": cells,
    }


def observed(result: engine.Result) -> dict[str, Any]:
    return {
        "value": result.value,
        "tally_headcount": result.tally_headcount,
        "uncounted": result.uncounted,
        "record_ids": set(result.record_ids),
        "tally_record_ids": set(result.tally_record_ids),
        "activity_ids": set(result.activity_ids),
        "cells": {
            split: {key: value for key, value in cells.items() if value}
            for split, cells in result.breakdowns.items()
        },
    }


# --- Properties -------------------------------------------------------------------------------


@settings(PROPERTY, max_examples=100)
@given(cases())
def test_columnar_equals_reference_and_brute_force_in_every_window(case: tuple) -> None:
    definition, facts, windows, scope = case
    table = columnar.compute_table([definition], columnar.from_facts(facts), windows, scope)
    for window in windows:
        expected = engine.compute(definition, facts, window, scope)
        got = table.result(definition.code, window)
        assert got == expected, window.label
        assert table[definition.code, window].same_numbers(expected), window.label
        assert all(
            type(value) is type(expected.value)
            for cells in got.breakdowns.values()
            for value in cells.values()
        )
        assert observed(got) == brute_force(definition, facts, window, scope), window.label


@settings(PROPERTY, max_examples=60)
@given(cases())
def test_every_split_adds_up_and_cross_tabs_have_the_single_margins(case: tuple) -> None:
    definition, facts, windows, scope = case
    table = columnar.compute_table([definition], columnar.from_facts(facts), windows, scope)
    zero = Decimal(0) if definition.unit is Unit.AMOUNT else 0
    for window in windows:
        figures = table[definition.code, window]
        for split, cells in figures.breakdowns.items():
            assert sum(cells.values(), zero) == figures.value
            assert all(value >= 0 for value in cells.values()) or definition.unit is Unit.AMOUNT
            if isinstance(split, str):
                assert list(cells)[-1] == UNKNOWN
                continue
            for position, name in enumerate(split):
                margin: dict[str, Any] = {}
                for key, value in cells.items():
                    margin[key[position]] = margin.get(key[position], zero) + value
                assert UNKNOWN in margin
                single = Definition(
                    "m", definition.source, definition.unit, definition.filters, (name,),
                    definition.age_bands,
                )  # fmt: skip
                alone = engine.compute(single, facts, window, scope).breakdowns[name]
                assert list(margin.items()) == list(alone.items())


@settings(PROPERTY, max_examples=50)
@given(st.lists(definitions(), min_size=1, max_size=5), facts_with_statuses(Source.ATTENDANCE))
def test_one_table_of_many_definitions(many: list[Definition], facts: list[Fact]) -> None:
    renamed = [dataclasses.replace(d, code=f"d{i}") for i, d in enumerate(many)]
    table = columnar.compute_table(renamed, columnar.from_facts(facts), FIXED_WINDOWS)
    for window in FIXED_WINDOWS:
        assert table.results(window) == engine.compute_many(renamed, facts, window)


@settings(PROPERTY, max_examples=50)
@given(facts_with_statuses(Source.ATTENDANCE), scopes)
def test_fiscal_year_against_its_quarters(facts: list[Fact], scope: Coverage) -> None:
    definitions = [Definition(unit.value, Source.ATTENDANCE, unit) for unit in Unit]
    table = columnar.compute_table(
        definitions, columnar.from_facts(facts), [FY2016, *QUARTERS], scope
    )
    for definition in definitions:
        year = table[definition.code, FY2016].value
        quarters = [table[definition.code, quarter].value for quarter in QUARTERS]
        if definition.unit in (Unit.PERSONS, Unit.ORGANIZATIONS, Unit.ACTIVITIES):
            assert max(quarters) <= year <= sum(quarters)
        else:
            assert year == sum(quarters, Decimal(0) if definition.unit is Unit.AMOUNT else 0)


# --- Examples ---------------------------------------------------------------------------------


def test_a_persons_fiscal_year_is_less_than_the_sum_of_its_quarters() -> None:
    facts = [
        roster(1, date(2015, 11, 1), person=1, sex="female"),  # Q1
        roster(2, date(2016, 2, 1), person=1, sex="female", activity=2),  # Q2, again
        roster(3, date(2016, 5, 1), person=1, sex="female", activity=3),  # Q3, again
        roster(4, date(2016, 2, 1), person=2, sex="male", activity=2),  # Q2
        tally(1, date(2016, 2, 1), 30, sex="male", activity=2),
    ]
    persons = Definition("p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=("sex",))
    table = columnar.compute_table([persons], columnar.from_facts(facts), [FY2016, *QUARTERS])
    quarters = [table["p", quarter].value for quarter in QUARTERS]
    assert quarters == [1, 2, 1, 0]
    year = table["p", FY2016]
    assert year.value == 2 < sum(quarters) == 4
    assert dict(year.breakdowns["sex"]) == {"female": 1, "male": 1, UNKNOWN: 0}
    assert year.tally_headcount == 30  # beside the number, never in it
    assert year.value == engine.compute(persons, facts, FY2016).value


def test_first_fact_decides_the_cell_per_window() -> None:
    # Person 1 is 29 at the Q2 training and 30 at the Q3 one: youth in the year and in Q2,
    # 30+ in Q3, where that training is their first.
    born = date(1986, 4, 15)
    facts = [
        roster(1, date(2016, 3, 1), person=1, birth_date=born),
        roster(2, date(2016, 5, 1), person=1, birth_date=born, activity=2),
    ]
    definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=("age_band",))
    table = columnar.compute_table([definition], columnar.from_facts(facts), [FY2016, *QUARTERS])
    assert table["p", FY2016].breakdowns["age_band"]["15-29"] == 1
    assert table["p", QUARTERS[1]].breakdowns["age_band"]["15-29"] == 1
    assert table["p", QUARTERS[2]].breakdowns["age_band"]["30+"] == 1


def test_set_valued_disaggregation_is_refused_like_the_reference() -> None:
    facts = [
        Fact(Source.ACTIVITIES, 1, date(2016, 1, 1), 1, activity=1,
             attrs={"topics": frozenset({"lul"})}),
    ]  # fmt: skip
    definition = Definition("a", Source.ACTIVITIES, Unit.ACTIVITIES, disaggregations=("topics",))
    with pytest.raises(ValueError, match="set-valued"):
        engine.compute(definition, facts, FY2016)
    with pytest.raises(ValueError, match="set-valued"):
        columnar.compute_table([definition], columnar.from_facts(facts), [FY2016])
    # No counted record carries a set in the window: nothing to refuse, as in the reference.
    empty = columnar.compute_table([definition], columnar.from_facts(facts), [QUARTERS[3]])
    assert empty["a", QUARTERS[3]].breakdowns["topics"] == {UNKNOWN: 0}


def test_a_column_may_mix_sets_and_single_values() -> None:
    facts = [
        Fact(Source.ACTIVITIES, 1, date(2016, 1, 1), 1, activity=1, attrs={"kind": "debate"}),
        Fact(Source.ACTIVITIES, 2, date(2016, 1, 2), 1, activity=2,
             attrs={"kind": frozenset({"debate", "hearing"})}),
        Fact(Source.ACTIVITIES, 3, date(2016, 1, 3), 1, activity=3,
             attrs={"kind": frozenset()}),
        Fact(Source.ACTIVITIES, 4, date(2016, 1, 4), 1, activity=4, attrs={"kind": "hearing"}),
    ]  # fmt: skip
    definition = Definition(
        "a", Source.ACTIVITIES, Unit.ACTIVITIES, filters={"kind": frozenset({"debate"})}
    )
    columns = columnar.from_facts(facts)
    assert columnar.compute_many([definition], columns, FY2016) == engine.compute_many(
        [definition], facts, FY2016
    )
    kind = columns[Source.ACTIVITIES].attrs["kind"]
    assert [kind.value(row) for row in range(4)] == [
        "debate", frozenset({"debate", "hearing"}), frozenset(), "hearing",
    ]  # fmt: skip


def test_the_same_record_fed_twice_is_refused() -> None:
    facts = [roster(1, date(2016, 1, 1), person=1), roster(1, date(2016, 2, 1), person=2)]
    with pytest.raises(ValueError, match="twice"):
        columnar.from_facts(facts)
    with pytest.raises(ValueError, match="unique"):
        definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS)
        columnar.compute_table([definition, definition], {}, [FY2016])


def test_a_source_without_facts_gives_zero_cells() -> None:
    definition = Definition(
        "usd", Source.GRANTS, Unit.AMOUNT, disaggregations=("sector", ("sector", "municipality"))
    )
    result = columnar.compute_many([definition], {}, FY2016)["usd"]
    assert result == engine.compute(definition, [], FY2016)
    assert result.breakdowns["sector", "municipality"] == {(UNKNOWN, UNKNOWN): 0}


def test_amounts_stay_exact_decimals() -> None:
    facts = [
        Fact(Source.GRANTS, i, date(2016, 1, 1) + timedelta(days=i), 1, organization=i,
             amount=Decimal("0.10") if i % 2 else Decimal("12345678901.99"),
             attrs={"sector": "dairy" if i % 3 else "wood"})
        for i in range(1, 400)
    ]  # fmt: skip
    definition = Definition("usd", Source.GRANTS, Unit.AMOUNT, disaggregations=("sector",))
    result = columnar.compute_many([definition], columnar.from_facts(facts), FY2016)["usd"]
    expected = engine.compute(definition, facts, FY2016)
    assert result == expected
    in_year = [fact.amount for fact in facts if fact.date in FY2016]
    assert result.value == sum(in_year, Decimal(0))
    assert str(result.value) == str(expected.value)


def test_rows_are_arranged_in_first_fact_order() -> None:
    facts = [
        roster(5, date(2016, 1, 2), person=1),
        tally(1, date(2016, 1, 1), 3),
        roster(9, date(2016, 1, 1), person=2),
        tally(2, date(2016, 1, 1), 0),  # an empty tally cell is left out
        roster(2, date(2016, 1, 1), person=3),
    ]
    rows = columnar.from_facts(facts)[Source.ATTENDANCE]
    assert rows.record_id.tolist() == [2, 9, 1, 5]
    assert rows.is_tally.tolist() == [False, False, True, False]
    assert rows.person.row_ids().tolist() == [3, 2, -1, 1]
    assert np.all(np.diff(rows.day) >= 0)


def test_ties_put_the_named_row_before_the_tally_cell_then_the_lower_id() -> None:
    day = date(2016, 2, 15)
    facts = [
        Fact(Source.ATTENDANCE, 9, day, 1, organization=5, attrs={"kind": "training"}),
        Fact(Source.ATTENDANCE, 1, day, 1, organization=5, is_tally=True, headcount=3,
             attrs={"kind": "debate"}),
        Fact(Source.ATTENDANCE, 7, day, 1, organization=6, attrs={"kind": "hearing"}),
        Fact(Source.ATTENDANCE, 3, day, 1, organization=6, attrs={"kind": "workshop"}),
    ]  # fmt: skip
    definition = Definition(
        "orgs", Source.ATTENDANCE, Unit.ORGANIZATIONS, disaggregations=("kind",)
    )
    result = columnar.compute_many([definition], columnar.from_facts(facts), FY2016)["orgs"]
    assert result == engine.compute(definition, facts, FY2016)
    assert {k: v for k, v in result.breakdowns["kind"].items() if v} == {
        "training": 1,
        "workshop": 1,
    }


def test_a_zero_amount_still_has_its_cell() -> None:
    facts = [
        Fact(Source.GRANTS, 1, date(2016, 1, 1), 1, organization=1, amount=Decimal("0.00"),
             attrs={"sector": "honey"}),
        Fact(Source.GRANTS, 2, date(2016, 1, 2), 1, organization=2, amount=Decimal("5.00"),
             attrs={"sector": "dairy"}),
    ]  # fmt: skip
    definition = Definition("usd", Source.GRANTS, Unit.AMOUNT, disaggregations=("sector",))
    result = columnar.compute_many([definition], columnar.from_facts(facts), FY2016)["usd"]
    written = [(cell, str(value)) for cell, value in result.breakdowns["sector"].items()]
    # A zero that was added is written to the amounts' places; nothing added is a plain 0.
    assert written == [("dairy", "5.00"), ("honey", "0.00"), (UNKNOWN, "0")]
    assert result == engine.compute(definition, facts, FY2016)


@settings(PROPERTY, max_examples=60)
@given(cases())
def test_amounts_are_written_as_the_reference_writes_them(case: tuple) -> None:
    """Amounts with two places, as the database gives them: every figure and cell has the
    reference engine's text, not only its value (an approved quarter is stored as text)."""
    definition, facts, windows, scope = case
    definition = dataclasses.replace(
        definition, unit=Unit.AMOUNT, source=Source.GRANTS, disaggregations=("municipality",)
    )
    cents = Decimal("0.01")
    facts = [
        dataclasses.replace(
            fact,
            source=Source.GRANTS,
            amount=None if fact.amount is None else fact.amount.quantize(cents),
        )
        for fact in facts
        if not fact.is_tally
    ]
    table = columnar.compute_table([definition], columnar.from_facts(facts), windows, scope)
    for window in windows:
        expected = engine.compute(definition, facts, window, scope)
        got = table[definition.code, window]
        assert str(got.value) == str(expected.value), window.label
        assert [str(value) for value in got.breakdowns["municipality"].values()] == [
            str(value) for value in expected.breakdowns["municipality"].values()
        ], window.label


@given(st.lists(st.tuples(st.integers(0, 40), st.booleans()), min_size=1, max_size=60))
def test_first_fact_order_takes_the_short_cut_only_when_it_may(rows: list) -> None:
    # Rows in (is_tally, record_id) order, as a table read in id order: a stable sort on the
    # day alone must give the same order as sorting the full key.
    rows = sorted(rows, key=lambda row: row[1])
    day = np.array([row[0] for row in rows], dtype=np.int64)
    is_tally = np.array([row[1] for row in rows], dtype=bool)
    record_id = np.arange(len(rows), dtype=np.int64)
    keep = np.ones(len(rows), dtype=bool)
    order = columnar.first_fact_order(day, is_tally, record_id, keep)
    order = np.arange(len(rows)) if order is None else order
    assert order.tolist() == np.lexsort((record_id, is_tally, day)).tolist()
    shuffled = np.random.default_rng(len(rows)).permutation(len(rows))
    order = columnar.first_fact_order(day[shuffled], is_tally[shuffled], record_id[shuffled], keep)
    order = np.arange(len(rows)) if order is None else order
    assert record_id[shuffled][order].tolist() == np.lexsort((record_id, is_tally, day)).tolist()


def test_an_empty_text_is_missing_alone_and_a_value_inside_a_set() -> None:
    facts = [
        Fact(Source.ACTIVITIES, 1, date(2016, 1, 1), 1, activity=1, attrs={"kind": ""}),
        Fact(Source.ACTIVITIES, 2, date(2016, 1, 2), 1, activity=2,
             attrs={"kind": frozenset({""})}),
    ]  # fmt: skip
    definition = Definition("a", Source.ACTIVITIES, Unit.ACTIVITIES, filters={"kind": {""}})  # type: ignore[dict-item]
    expected = engine.compute_many([definition], facts, FY2016)
    assert expected["a"].activity_ids == {2}
    assert columnar.compute_many([definition], columnar.from_facts(facts), FY2016) == expected
