"""The one period type: its keys, its dates, its order and the program's periods."""

from __future__ import annotations

from datetime import date

import pytest

from akt.counting import engine
from akt.counting.periods import (
    TARGET_KINDS,
    Period,
    PeriodKind,
    calendar_years,
    program_periods,
    quarter_of,
)

AKT = engine.date_range(date(2014, 4, 1), date(2017, 4, 30), "LOP")
FY2016 = engine.fiscal_year(2016)


@pytest.mark.parametrize(
    ("key", "period"),
    [
        ("lop", Period.life_of_project()),
        ("fy2016", Period.fiscal_year(2016)),
        ("fy2016q1", Period.fiscal_quarter(2016, 1)),
        ("fy2014q3", Period.fiscal_quarter(2014, 3)),
    ],
)
def test_a_period_travels_as_the_results_pages_key(key: str, period: Period) -> None:
    assert Period.from_key(key, TARGET_KINDS) == period
    assert Period.from_key(key) == period
    assert period.key == key


@pytest.mark.parametrize("key", ["", "LOP", "fy16", "fy2016q5", "fy2016q0", "fy1999", "cy16"])
def test_other_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        Period.from_key(key)


def test_a_calendar_year_is_a_period_but_no_target_is_set_for_it() -> None:
    period = Period.from_key("cy2016")
    assert period == Period.calendar_year(2016) and period.key == "cy2016"
    window = period.window(AKT)
    assert (window.start, window.end) == (date(2016, 1, 1), date(2016, 12, 31))
    with pytest.raises(ValueError, match="not a period key here"):
        Period.from_key("cy2016", TARGET_KINDS)
    assert [p.key for p in calendar_years(AKT)] == ["cy2014", "cy2015", "cy2016", "cy2017"]


def test_a_quarter_knows_its_year_to_date_and_the_day_knows_its_quarter() -> None:
    quarter = quarter_of(date(2016, 2, 29))
    assert quarter == Period.fiscal_quarter(2016, 2)
    to_date = quarter.year_to_date()
    assert (to_date.start, to_date.end) == (date(2015, 10, 1), date(2016, 3, 31))
    with pytest.raises(ValueError, match="only a quarter"):
        Period.fiscal_year(2016).year_to_date()


@pytest.mark.parametrize(
    ("fiscal_year", "quarter", "kind"),
    [
        (2016, 0, PeriodKind.LIFE_OF_PROJECT),
        (0, 0, PeriodKind.FISCAL_YEAR),
        (2016, 5, "quarter"),
        (2016, 1, PeriodKind.CALENDAR_YEAR),
        (3000, 0, PeriodKind.CALENDAR_YEAR),
    ],
)
def test_inconsistent_periods_cannot_be_made(fiscal_year: int, quarter: int, kind: str) -> None:
    with pytest.raises(ValueError):
        Period(fiscal_year, quarter, kind)  # type: ignore[arg-type]


def test_a_period_covers_its_dates() -> None:
    assert Period.fiscal_year(2016).window(AKT) == FY2016
    quarter = Period.fiscal_quarter(2016, 1).window(AKT)
    assert (quarter.start, quarter.end) == (date(2015, 10, 1), date(2015, 12, 31))
    assert Period.life_of_project().window(AKT) is AKT


def test_the_programs_periods_run_from_fy2014_q3_to_fy2017_q3() -> None:
    keys = [period.key for period in program_periods(AKT)]
    assert keys == [
        "lop",
        "fy2014", "fy2014q3", "fy2014q4",
        "fy2015", "fy2015q1", "fy2015q2", "fy2015q3", "fy2015q4",
        "fy2016", "fy2016q1", "fy2016q2", "fy2016q3", "fy2016q4",
        "fy2017", "fy2017q1", "fy2017q2", "fy2017q3",
    ]  # fmt: skip


def test_periods_sort_in_tracking_table_order() -> None:
    periods = [Period.fiscal_quarter(2016, 2), Period.fiscal_year(2016), Period()]
    assert sorted(periods) == [
        Period(),
        Period.fiscal_year(2016),
        Period.fiscal_quarter(2016, 2),
    ]
