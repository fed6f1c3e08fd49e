"""Entered values as facts: outcomes no record counts (property tax billed and collected, a
survey's result), entered one value per period, place and cell, and summed by the engine like
any amount. No database.

Each value is a fact of :attr:`Source.ENTERED` dated on the last day of the period it covers,
carrying the indicator it belongs to (every entered indicator reads the one source and keeps
its own values by that attribute) and its cell's dimensions. The columnar engine must give the
reference engine's numbers for them, as it does for every source.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.counting import columnar, engine
from akt.counting.engine import (
    UNKNOWN,
    Coverage,
    Definition,
    Fact,
    Source,
    Unit,
    Window,
    calendar_year,
    date_range,
    fiscal_quarter,
    fiscal_year,
)
from akt.counting.tests.test_engine import PROPERTY

BILLED = Definition(
    "property-tax-billed",
    Source.ENTERED,
    Unit.AMOUNT,
    filters={"indicator": frozenset({"property-tax-billed"}), "currency": frozenset({"EUR"})},
    disaggregations=("municipality",),
)


def entered(
    record_id: int,
    period: Window,
    amount: str,
    *,
    municipality: int | None = 1,
    indicator: str = "property-tax-billed",
    currency: str | None = "EUR",
    **cell: str,
) -> Fact:
    """One entered value, as the feeding layer hands it over: dated on its period's last day."""
    return Fact(
        source=Source.ENTERED,
        record_id=record_id,
        date=period.end,
        municipality=municipality,
        amount=Decimal(amount),
        attrs={"indicator": indicator, "currency": currency, **cell},
    )


# --- Hand-built examples -----------------------------------------------------------------------


def test_a_value_counts_on_the_last_day_of_its_period() -> None:
    """A calendar year's value falls in that year, and in the fiscal year and quarter its last
    day falls in (CY2015 ends on 31 December 2015: FY2016, its first quarter), not before."""
    facts = [entered(1, calendar_year(2015), "1000.50")]
    assert engine.compute(BILLED, facts, calendar_year(2015)).value == Decimal("1000.50")
    assert engine.compute(BILLED, facts, fiscal_year(2016)).value == Decimal("1000.50")
    assert engine.compute(BILLED, facts, fiscal_quarter(2016, 1)).value == Decimal("1000.50")
    assert engine.compute(BILLED, facts, fiscal_year(2015)).value == Decimal(0)
    assert engine.compute(BILLED, facts, fiscal_quarter(2016, 2)).value == Decimal(0)
    day_before = date_range(date(2015, 1, 1), date(2015, 12, 30))
    assert engine.compute(BILLED, facts, day_before).value == Decimal(0)


def test_values_add_up_per_window_and_per_cell() -> None:
    facts = [
        entered(1, calendar_year(2014), "100", municipality=1),
        entered(2, calendar_year(2015), "250.25", municipality=1),
        entered(3, calendar_year(2015), "40", municipality=2),
        entered(4, calendar_year(2015), "7", municipality=None),  # program-wide
        entered(5, calendar_year(2016), "900", municipality=2),
    ]
    result = engine.compute(BILLED, facts, calendar_year(2015))
    assert result.value == Decimal("297.25")
    assert dict(result.breakdowns["municipality"]) == {
        "1": Decimal("250.25"),
        "2": Decimal("40"),
        UNKNOWN: Decimal("7"),
    }
    assert result.record_ids == {2, 3, 4}
    whole = date_range(date(2014, 1, 1), date(2016, 12, 31))
    assert engine.compute(BILLED, facts, whole).value == Decimal("1297.25")
    # A focal point's scope: their municipality's values; a program-wide one is no one place's.
    mine = engine.compute(BILLED, facts, whole, Coverage(frozenset({1})))
    assert mine.value == Decimal("350.25")


def test_each_indicator_sums_only_its_own_values() -> None:
    collected = Definition(
        "property-tax-collected",
        Source.ENTERED,
        Unit.AMOUNT,
        filters={"indicator": frozenset({"property-tax-collected"})},
    )
    facts = [
        entered(1, calendar_year(2015), "1000"),
        entered(2, calendar_year(2015), "640", indicator="property-tax-collected"),
    ]
    found = engine.compute_many([BILLED, collected], facts, calendar_year(2015))
    assert (found[BILLED.code].value, found[collected.code].value) == (
        Decimal(1000),
        Decimal(640),
    )


def test_a_cell_left_out_is_unknown_and_the_cells_add_up() -> None:
    jobs = Definition(
        "jobs-reported",
        Source.ENTERED,
        Unit.AMOUNT,
        filters={"indicator": frozenset({"jobs-reported"})},
        disaggregations=("sex", ("sex", "municipality")),
    )
    year = fiscal_year(2016)
    facts = [
        entered(1, year, "12", indicator="jobs-reported", currency=None, sex="female"),
        entered(2, year, "9", indicator="jobs-reported", currency=None, sex="male"),
        entered(3, year, "4", indicator="jobs-reported", currency=None),
    ]
    result = engine.compute(jobs, facts, year)
    assert result.value == Decimal(25)
    assert dict(result.breakdowns["sex"]) == {
        "female": Decimal(12),
        "male": Decimal(9),
        UNKNOWN: Decimal(4),
    }
    assert sum(result.breakdowns[("sex", "municipality")].values()) == result.value


def test_quarters_of_a_year_add_up_to_it() -> None:
    facts = [
        entered(number, fiscal_quarter(2016, quarter), str(quarter * 10), municipality=quarter)
        for number, quarter in enumerate((1, 2, 3, 4), start=1)
    ]
    year = engine.compute(BILLED, facts, fiscal_year(2016)).value
    quarters = [engine.compute(BILLED, facts, fiscal_quarter(2016, q)).value for q in (1, 2, 3, 4)]
    assert year == sum(quarters) == Decimal(100)


@pytest.mark.parametrize("unit", [unit for unit in Unit if unit is not Unit.AMOUNT])
def test_entered_values_are_only_summed(unit: Unit) -> None:
    with pytest.raises(ValueError, match="cannot be counted from source 'entered'"):
        Definition("x", Source.ENTERED, unit)


# --- The columnar engine agrees with the reference ----------------------------------------------

YEARS = (2012, 2013, 2014, 2015, 2016, 2017)
INDICATORS = ("billed", "collected")
SEXES = ("female", "male", None)

WINDOWS = [
    *(calendar_year(year) for year in YEARS),
    *(fiscal_year(year) for year in (2014, 2015, 2016, 2017)),
    fiscal_quarter(2016, 1),
    fiscal_quarter(2016, 2),
    date_range(date(2014, 4, 1), date(2017, 4, 30), "LOP"),
]


@st.composite
def entered_facts(draw: st.DrawFn) -> list[Fact]:
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(YEARS),
                st.sampled_from(("cy", "fy", "q")),
                st.sampled_from((None, 1, 2, 3)),
                st.integers(0, 10_000_000),  # cents
                st.sampled_from(INDICATORS),
                st.sampled_from(SEXES),
            ),
            max_size=25,
        )
    )
    facts = []
    for record_id, (year, kind, municipality, cents, indicator, sex) in enumerate(rows, 1):
        period = {
            "cy": calendar_year(year),
            "fy": fiscal_year(year),
            "q": fiscal_quarter(year, 1 + record_id % 4),
        }[kind]
        cell = {} if sex is None else {"sex": sex}
        facts.append(
            entered(
                record_id,
                period,
                str(Decimal(cents) / 100),
                municipality=municipality,
                indicator=indicator,
                **cell,
            )
        )
    return facts


@settings(PROPERTY, max_examples=100)
@given(
    entered_facts(),
    st.sampled_from((Coverage(), Coverage(frozenset({1, 2})), Coverage(frozenset({3})))),
)
def test_columnar_equals_reference_for_entered_values(facts: list[Fact], scope: Coverage) -> None:
    definitions = [
        Definition(
            code,
            Source.ENTERED,
            Unit.AMOUNT,
            filters={"indicator": frozenset({code})},
            disaggregations=("municipality", "sex", ("sex", "municipality")),
        )
        for code in INDICATORS
    ]
    table = columnar.compute_table(definitions, columnar.from_facts(facts), WINDOWS, scope)
    for window in WINDOWS:
        expected = engine.compute_many(definitions, facts, window, scope)
        for definition in definitions:
            assert table.result(definition.code, window) == expected[definition.code], window
            in_window = [
                fact
                for fact in facts
                if window.start <= fact.date <= window.end
                and scope.allows(fact.municipality)
                and fact.attrs["indicator"] == definition.code
            ]
            brute = sum((fact.amount for fact in in_window if fact.amount), Decimal(0))
            assert expected[definition.code].value == brute
