"""Opening one cell of a split: its value is the split's, and its records are the ones that
put something in it, cell by cell without overlap for the entities counted."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings

from akt.counting import columnar, engine
from akt.counting.engine import Definition, Source, Unit
from akt.counting.tests.test_columnar import cases
from akt.counting.tests.test_engine import PROPERTY, roster

FY = engine.fiscal_year(2016)


@settings(PROPERTY, max_examples=80)
@given(cases())
def test_each_cell_opens_into_the_records_that_make_it(case: tuple) -> None:
    definition, facts, windows, scope = case
    for window in windows:
        whole = engine.compute(definition, facts, window, scope)
        for disaggregation, cells in whole.breakdowns.items():
            opened = {
                cell: engine.compute_cell(definition, facts, window, disaggregation, cell, scope)
                for cell in cells
            }
            for cell, value in cells.items():
                assert opened[cell].value == value, (disaggregation, cell)
                assert opened[cell].record_ids <= whole.record_ids
                assert not opened[cell].breakdowns
            named = [result.record_ids for result in opened.values()]
            # Every record behind the figure (but a persons figure's tallies) is in one cell.
            assert frozenset().union(*named) == whole.record_ids
            assert sum(len(ids) for ids in named) == len(whole.record_ids)


@settings(PROPERTY, max_examples=80)
@given(cases())
def test_the_columnar_engine_opens_every_cell_as_the_reference_does(case: tuple) -> None:
    """The pages open cells through the columnar engine; the reference engine says what each
    cell holds. Cells that no record carries open empty in both."""
    definition, facts, windows, scope = case
    table = columnar.compute_table([definition], columnar.from_facts(facts), windows, scope)
    for window in windows:
        whole = engine.compute(definition, facts, window, scope)
        for disaggregation, cells in whole.breakdowns.items():
            for cell in [*cells, "no such cell"]:
                if not isinstance(disaggregation, str) and cell == "no such cell":
                    cell = ("no such cell",) * len(disaggregation)
                expected = engine.compute_cell(
                    definition, facts, window, disaggregation, cell, scope
                )
                got = table.cell_result(definition.code, window, disaggregation, cell)
                assert got == expected, (window.label, disaggregation, cell)


@settings(PROPERTY, max_examples=60)
@given(cases())
def test_the_columnar_engine_names_the_entities_a_figure_counts(case: tuple) -> None:
    definition, facts, windows, scope = case
    table = columnar.compute_table([definition], columnar.from_facts(facts), windows, scope)
    entity = {
        Unit.PERSONS: lambda fact: fact.person,
        Unit.ORGANIZATIONS: lambda fact: fact.organization,
        Unit.ACTIVITIES: lambda fact: fact.activity,
    }.get(definition.unit)
    for window in windows:
        if entity is None:
            with pytest.raises(ValueError, match="not distinct entities"):
                table.counted(definition.code, window)
            continue
        first_facts = engine.compute(definition, facts, window, scope).first_facts
        counted = table.counted(definition.code, window).tolist()
        assert counted == [entity(fact) for fact in first_facts], window.label


def test_a_person_is_listed_under_the_band_of_their_first_training_only() -> None:
    """Born mid-1986: 29 at the first training, 30 at the second; counted as 15-29 and listed
    there with both attendances, and not under 30+."""
    definition = Definition(
        code="trainees", source=Source.ATTENDANCE, unit=Unit.PERSONS,
        disaggregations=("age_band",),
    )  # fmt: skip
    facts = [
        roster(1, date(2015, 12, 1), person=7, birth_date=date(1986, 6, 1)),
        roster(2, date(2016, 8, 1), person=7, birth_date=date(1986, 6, 1)),
    ]
    youth = engine.compute_cell(definition, facts, FY, "age_band", "15-29")
    adults = engine.compute_cell(definition, facts, FY, "age_band", "30+")
    assert (youth.value, youth.record_ids) == (1, frozenset({1, 2}))
    assert (adults.value, adults.record_ids) == (0, frozenset())


def test_a_split_the_indicator_does_not_have_is_refused() -> None:
    definition = Definition(code="x", source=Source.ATTENDANCE, unit=Unit.ATTENDANCES)
    with pytest.raises(ValueError, match="not split by"):
        engine.compute_cell(definition, [], FY, "sex", "female")
