"""Period rules: which fit which counting unit, and how a parent period's value is formed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.indicators.rules import (
    NotDerivable,
    PeriodRule,
    RatioPart,
    default_rule,
    parent_value,
    rule_problem,
)

# No deadline: the machine is shared, and a slow example is not a wrong one.
PROPERTY = settings(deadline=None, database=None)

UNITS = ["activities", "attendances", "persons", "organizations", "amount", "records"]


@pytest.mark.parametrize(
    ("unit", "rule"),
    [
        ("activities", PeriodRule.SUM),
        ("attendances", PeriodRule.SUM),
        ("amount", PeriodRule.SUM),
        ("records", PeriodRule.SUM),
        ("persons", PeriodRule.DISTINCT),
        ("organizations", PeriodRule.DISTINCT),
    ],
)
def test_the_default_follows_the_counting_unit(unit: str, rule: PeriodRule) -> None:
    assert default_rule(unit) == rule
    assert rule_problem(unit, rule) is None


@pytest.mark.parametrize(
    ("unit", "rule"),
    [
        ("persons", "sum"),  # someone trained in two quarters is one trainee in the year
        ("organizations", "sum"),
        ("attendances", "distinct"),
        ("amount", "distinct"),
        ("activities", "latest"),
        ("persons", "latest"),
        ("persons", "average"),
        ("persons", ""),
    ],
)
def test_inconsistent_rules_are_explained(unit: str, rule: str) -> None:
    problem = rule_problem(unit, rule)
    assert problem is not None
    assert str(problem)


@pytest.mark.parametrize("unit", UNITS)
def test_any_unit_can_be_a_ratio(unit: str) -> None:
    assert rule_problem(unit, "ratio") is None


def test_a_person_rule_problem_names_the_choice_to_make() -> None:
    assert "distinct" in str(rule_problem("persons", "sum"))


# -- forming a parent period's value ------------------------------------------------------------


def test_sum_adds_the_parts_that_have_a_value() -> None:
    assert parent_value("sum", [3, 4, None, 5]) == 12
    assert parent_value(PeriodRule.SUM, [Decimal("20500"), Decimal("63500")]) == Decimal(84000)
    assert parent_value("sum", [0, 0]) == 0


def test_latest_takes_the_last_part_with_a_value() -> None:
    assert parent_value("latest", [10, 12, None]) == 12
    assert parent_value("latest", [None, 7, 0]) == 0  # a zero is a value, not a gap


@pytest.mark.parametrize("rule", ["sum", "latest"])
def test_no_value_when_no_part_has_one(rule: str) -> None:
    assert parent_value(rule, []) is None
    assert parent_value(rule, [None, None]) is None


def test_a_ratio_is_recomputed_from_summed_numerators_and_denominators() -> None:
    # Q1: 1 woman of 2 participants (50%); Q2: 10 of 100 (10%). The year is 11 of 102, not
    # the average of 50% and 10%.
    parts = [RatioPart(1, 2), RatioPart(10, 100)]
    assert parent_value("ratio", parts) == Decimal(1100) / Decimal(102)


def test_a_ratio_skips_unknown_parts_and_needs_a_denominator() -> None:
    assert parent_value("ratio", [RatioPart(None, 5), RatioPart(3, 4)]) == Decimal(75)
    assert parent_value("ratio", [RatioPart(0, 0)]) is None
    assert parent_value("ratio", []) is None


def test_distinct_counts_cannot_be_formed_from_parts() -> None:
    with pytest.raises(NotDerivable, match="whole window"):
        parent_value("distinct", [5, 7])
    assert issubclass(NotDerivable, ValueError)


def test_parts_of_the_wrong_shape_are_refused() -> None:
    with pytest.raises(TypeError):
        parent_value("ratio", [3, 4])  # type: ignore[list-item]
    with pytest.raises(TypeError):
        parent_value("sum", [RatioPart(1, 2)])
    with pytest.raises(ValueError):
        parent_value("median", [1, 2])


@PROPERTY
@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)), max_size=12))
def test_sum_and_latest_agree_with_the_rule_written_out(parts: list[int | None]) -> None:
    known = [part for part in parts if part is not None]
    assert parent_value("sum", parts) == (sum(known) if known else None)
    assert parent_value("latest", parts) == (known[-1] if known else None)


# A sub-period's (numerator, denominator): women among participants, so never more than all.
SHARES = st.integers(min_value=1, max_value=1000).flatmap(
    lambda denominator: st.tuples(
        st.integers(min_value=0, max_value=denominator), st.just(denominator)
    )
)


@PROPERTY
@given(st.lists(SHARES, min_size=1, max_size=8))
def test_a_ratio_of_sums_lies_between_its_parts(pairs: list[tuple[int, int]]) -> None:
    parts = [RatioPart(numerator, denominator) for numerator, denominator in pairs]
    value = parent_value("ratio", parts)
    assert value is not None
    assert value == Decimal(sum(n for n, _d in pairs)) * 100 / Decimal(sum(d for _n, d in pairs))
    shares = [Decimal(n) * 100 / Decimal(d) for n, d in pairs]
    assert min(shares) <= value <= max(shares)
