"""Targets and the comparisons of the tracking table, without a database."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.counting import engine
from akt.counting.periods import Period
from akt.counting.targets import (
    ON_TRACK_SHARE,
    elapsed_share,
    on_track,
    percent_of_target,
    target_label,
)

# No deadline: the machine is shared, and a slow example is not a wrong one.
PROPERTY = settings(deadline=None, database=None)

FY2016 = engine.fiscal_year(2016)  # 1 October 2015 to 30 September 2016, 366 days
AKT = engine.date_range(date(2014, 4, 1), date(2017, 4, 30), label="LOP")


# -- percent of target ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actual", "target", "percent"),
    [
        (45, 50, Decimal(90)),
        (12, 14, Decimal(1200) / Decimal(14)),
        (337, 360, Decimal(33700) / Decimal(360)),
        (0, 10, Decimal(0)),
        (25, 20, Decimal(125)),
        (Decimal("102000.00"), Decimal("100000"), Decimal(102)),
    ],
)
def test_percent_of_target_is_actual_over_target(actual, target, percent) -> None:
    assert percent_of_target(actual, target) == percent


@pytest.mark.parametrize(("actual", "target"), [(5, None), (5, 0), (None, 10), (0, Decimal(0))])
def test_no_percent_without_a_target_or_an_actual(actual, target) -> None:
    assert percent_of_target(actual, target) is None


# -- on track --------------------------------------------------------------------------------------


def test_the_threshold_is_ninety_percent() -> None:
    assert Decimal("0.90") == ON_TRACK_SHARE


@pytest.mark.parametrize(
    ("actual", "on"),
    [(90, True), (89, False), (Decimal("89.99"), False), (100, True), (150, True), (0, False)],
)
def test_a_closed_period_is_on_track_at_ninety_percent(actual, on: bool) -> None:
    after = date(2016, 10, 15)
    assert on_track(actual, 100, FY2016, after) is on


def test_the_last_day_counts_as_closed() -> None:
    # On the last day the whole target is due: pro-rating by the share elapsed gives 100%.
    assert on_track(89, 100, FY2016, FY2016.end) is False
    assert on_track(90, 100, FY2016, FY2016.end) is True


def test_a_future_period_is_not_judged() -> None:
    before = FY2016.start - timedelta(days=1)
    assert on_track(0, 100, FY2016, before) is None
    assert on_track(500, 100, FY2016, before) is None


def test_a_current_period_is_compared_with_the_pro_rated_target() -> None:
    # 31 March 2016: 183 of 366 days gone, half the year; 45 of 100 is 90% of the 50 due.
    midway = date(2016, 3, 31)
    assert elapsed_share(FY2016, midway) == Decimal(183) / Decimal(366)
    assert on_track(45, 100, FY2016, midway) is True
    assert on_track(44, 100, FY2016, midway) is False
    # The same actual judged against the whole target would be off track.
    assert on_track(45, 100, FY2016, midway, prorate=False) is False


def test_on_the_first_day_one_day_of_the_target_is_due() -> None:
    assert on_track(0, 366, FY2016, FY2016.start) is False
    assert on_track(1, 366, FY2016, FY2016.start) is True


@pytest.mark.parametrize(("actual", "target"), [(5, None), (5, 0), (None, 10)])
def test_nothing_to_compare_is_not_judged(actual, target) -> None:
    assert on_track(actual, target, FY2016, date(2017, 1, 1)) is None


@PROPERTY
@given(
    actual=st.decimals(min_value=0, max_value=10**6, places=2),
    target=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
    offset=st.integers(min_value=-400, max_value=800),
)
def test_on_track_agrees_with_the_rule_written_out(
    actual: Decimal, target: Decimal, offset: int
) -> None:
    today = FY2016.start + timedelta(days=offset)
    result = on_track(actual, target, FY2016, today)
    if today < FY2016.start:
        assert result is None
        return
    days = (FY2016.end - FY2016.start).days + 1
    gone = min((today - FY2016.start).days + 1, days)
    # actual >= 90% x target x gone/days, in integers: no rounding can blur the edge.
    assert result is (actual * 100 * days >= 90 * target * gone)


@PROPERTY
@given(
    actual=st.decimals(min_value=0, max_value=10**6, places=2),
    target=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2),
)
def test_a_closed_period_is_on_track_exactly_when_its_percentage_reaches_ninety(
    actual: Decimal, target: Decimal
) -> None:
    percent = percent_of_target(actual, target)
    assert percent is not None
    assert on_track(actual, target, FY2016, date(2020, 1, 1)) is (percent >= 90)


# -- periods -------------------------------------------------------------------------------------


def test_a_target_is_named_by_its_period_and_cell() -> None:
    assert target_label(Period.fiscal_year(2016)) == "fy2016"
    assert target_label(Period(), "sex", "female") == "lop sex=female"
