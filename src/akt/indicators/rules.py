"""Period rules: how an indicator's value over a longer period relates to its shorter ones.

A quarter's debates add up to the fiscal year's; a quarter's trainees do not, because a person
trained in Q1 and again in Q2 is one person in the year (domain reference 1.3: "count each person
once per reporting year"). Each indicator therefore declares its period rule, and this module
says which rules make sense for which counting units and, where the parts allow it, forms a
parent period's value from its sub-periods.

Pure: plain values in, plain values out, no database. The engine computes values; this module
only tells a report (the indicator tracking table, a chart) whether it may add quarters up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

Number = int | Decimal


class PeriodRule(StrEnum):
    SUM = "sum"
    """Events, attendances, amounts: the parent period is the sum of its parts."""
    DISTINCT = "distinct"
    """Persons, organizations: counted once over the whole window, never added up."""
    LATEST = "latest"
    """A level at a point in time (a stock): the parent period takes its latest part."""
    RATIO = "ratio"
    """A percentage recomputed from a numerator and a denominator indicator."""


# Counting units (``Indicator.UNITS``) whose records are distinct things seen once per window.
UNIQUE_UNITS = frozenset({"persons", "organizations"})
# Units of flows: each record happens once, in one sub-period, so parts add up.
EVENT_UNITS = frozenset({"activities", "attendances"})

# Which rules each counting unit allows; the first one is its default.
ALLOWED_RULES: dict[str, tuple[PeriodRule, ...]] = {
    "activities": (PeriodRule.SUM, PeriodRule.RATIO),
    "attendances": (PeriodRule.SUM, PeriodRule.RATIO),
    "persons": (PeriodRule.DISTINCT, PeriodRule.RATIO),
    "organizations": (PeriodRule.DISTINCT, PeriodRule.RATIO),
    "amount": (PeriodRule.SUM, PeriodRule.LATEST, PeriodRule.RATIO),
    "records": (PeriodRule.SUM, PeriodRule.LATEST, PeriodRule.RATIO),
}


def default_rule(unit: str) -> PeriodRule:
    """The rule an indicator of ``unit`` gets when none is chosen: distinct for persons and
    organizations, sum for everything else."""
    allowed = ALLOWED_RULES.get(unit)
    return allowed[0] if allowed else PeriodRule.SUM


def rule_problem(unit: str, rule: str) -> Promise | None:
    """Why ``rule`` does not fit an indicator counting ``unit``, or None when it fits.

    The message is for the person editing the indicator, so it says what to choose instead.
    """
    if rule not in {member.value for member in PeriodRule}:
        return _("Choose how the value of a longer period is formed.")
    if rule == PeriodRule.SUM and unit in UNIQUE_UNITS:
        return _(
            "Unique persons or organizations cannot be added up across periods: someone "
            "counted in two quarters is one in the year. Choose “distinct over the whole "
            "period”."
        )
    if rule == PeriodRule.DISTINCT and unit not in UNIQUE_UNITS:
        return _(
            "Only unique persons or organizations are counted as distinct over the whole "
            "period; events, attendances, amounts and records add up."
        )
    if rule == PeriodRule.LATEST and unit in EVENT_UNITS | UNIQUE_UNITS:
        return _(
            "Activities, attendances, persons and organizations happen over a period; only a "
            "level or an amount can take the latest value."
        )
    return None


class NotDerivable(ValueError):
    """A parent period's value cannot be formed from its parts: compute it over the whole window.

    Raised for the distinct rule: the quarters' unique persons cannot be added (someone in two
    quarters would count twice) nor combined any other way without the persons themselves.
    """


@dataclass(frozen=True)
class RatioPart:
    """One sub-period of a ratio indicator: its numerator's and its denominator's values."""

    numerator: Number | None
    denominator: Number | None


def parent_value(
    rule: PeriodRule | str, parts: Sequence[Number | None] | Sequence[RatioPart]
) -> Number | Decimal | None:
    """The value of a period formed from the values of its sub-periods, in order.

    - sum: the sum of the parts that have a value; None when none has.
    - latest: the last part that has a value; None when none has.
    - ratio: the parts are ``RatioPart``; numerators and denominators are summed separately and
      the percentage recomputed (averaging quarterly percentages would weigh a small quarter
      like a large one); None when the summed denominator is 0 or nothing is known.
    - distinct: raises ``NotDerivable``; the value must be computed over the whole window.

    A part of None is a sub-period without a value (not reported yet), not a zero.
    """
    rule = PeriodRule(rule)
    if rule == PeriodRule.DISTINCT:
        raise NotDerivable(
            "distinct counts are not derivable from sub-periods; compute over the whole window"
        )
    if rule == PeriodRule.RATIO:
        return _ratio(parts)  # type: ignore[arg-type]
    values = [part for part in parts if part is not None]
    if any(isinstance(part, RatioPart) for part in values):
        raise TypeError(f"the {rule} rule takes numbers, not numerator/denominator pairs")
    if not values:
        return None
    if rule == PeriodRule.LATEST:
        return values[-1]  # type: ignore[return-value]
    return sum(values, start=0)  # type: ignore[arg-type]


def _ratio(parts: Sequence[RatioPart]) -> Decimal | None:
    numerator: Number = 0
    denominator: Number = 0
    known = False
    for part in parts:
        if not isinstance(part, RatioPart):
            raise TypeError("the ratio rule takes RatioPart(numerator, denominator) parts")
        if part.numerator is None or part.denominator is None:
            continue
        numerator += part.numerator
        denominator += part.denominator
        known = True
    if not known or denominator == 0:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)
