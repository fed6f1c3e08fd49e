"""Tests for the pure indicator engine (architecture section 4); no database, no Django.

The property-based tests compare the engine with a brute-force count written here independently:
it re-reads the rules from the architecture, not from the engine's code.
"""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akt.counting.engine import (
    DEFAULT_AGE_BANDS,
    UNKNOWN,
    AgeBand,
    Coverage,
    Definition,
    Fact,
    Result,
    Source,
    Unit,
    Window,
    age_on,
    calendar_year,
    compute,
    compute_many,
    date_range,
    fact_age_band,
    fiscal_quarter,
    fiscal_quarter_of,
    fiscal_quarters,
    fiscal_year,
    fiscal_year_of,
    fiscal_years,
)

# No example database: examples are not kept between runs.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

FY2016 = fiscal_year(2016)


def roster(
    record_id: int,
    day: date,
    *,
    person: int | None,
    activity: int = 1,
    municipality: int | None = 1,
    organization: int | None = None,
    birth_date: date | None = None,
    birth_year: int | None = None,
    **attrs: str | frozenset[str] | None,
) -> Fact:
    return Fact(
        source=Source.ATTENDANCE,
        record_id=record_id,
        date=day,
        municipality=municipality,
        activity=activity,
        person=person,
        organization=organization,
        birth_date=birth_date,
        birth_year=birth_year,
        attrs=attrs,
    )


def tally(
    record_id: int,
    day: date,
    headcount: int,
    *,
    activity: int = 1,
    municipality: int | None = 1,
    age_band: str | None = None,
    **attrs: str | frozenset[str] | None,
) -> Fact:
    return Fact(
        source=Source.ATTENDANCE,
        record_id=record_id,
        date=day,
        municipality=municipality,
        activity=activity,
        headcount=headcount,
        is_tally=True,
        age_band=age_band,
        attrs=attrs,
    )


def grant(
    record_id: int,
    day: date,
    amount: str | None,
    *,
    organization: int | None,
    municipality: int | None = 1,
    **attrs: str | frozenset[str] | None,
) -> Fact:
    return Fact(
        source=Source.GRANTS,
        record_id=record_id,
        date=day,
        municipality=municipality,
        organization=organization,
        amount=None if amount is None else Decimal(amount),
        attrs=attrs,
    )


def activity(
    activity_id: int, day: date, *, municipality: int | None = 1, **attrs: str | frozenset[str]
) -> Fact:
    return Fact(
        source=Source.ACTIVITIES,
        record_id=activity_id,
        date=day,
        municipality=municipality,
        activity=activity_id,
        attrs=attrs,
    )


# --- Windows ----------------------------------------------------------------------------------


def test_fiscal_year_runs_october_to_september() -> None:
    assert FY2016 == Window(date(2015, 10, 1), date(2016, 9, 30), "FY2016")


@pytest.mark.parametrize(
    ("fy", "q", "start", "end", "label"),
    [
        (2016, 1, date(2015, 10, 1), date(2015, 12, 31), "FY2016 Q1"),
        (2016, 2, date(2016, 1, 1), date(2016, 3, 31), "FY2016 Q2"),
        (2016, 3, date(2016, 4, 1), date(2016, 6, 30), "FY2016 Q3"),
        (2016, 4, date(2016, 7, 1), date(2016, 9, 30), "FY2016 Q4"),
        (2014, 3, date(2014, 4, 1), date(2014, 6, 30), "FY2014 Q3"),
        (2017, 3, date(2017, 4, 1), date(2017, 6, 30), "FY2017 Q3"),
    ],
)
def test_fiscal_quarters(fy: int, q: int, start: date, end: date, label: str) -> None:
    assert fiscal_quarter(fy, q) == Window(start, end, label)


@pytest.mark.parametrize("q", [0, 5, -1])
def test_fiscal_quarter_out_of_range(q: int) -> None:
    with pytest.raises(ValueError, match="1 to 4"):
        fiscal_quarter(2016, q)


def test_quarters_tile_the_fiscal_year() -> None:
    quarters = fiscal_quarters(FY2016)
    assert [q.label for q in quarters] == ["FY2016 Q1", "FY2016 Q2", "FY2016 Q3", "FY2016 Q4"]
    assert quarters[0].start == FY2016.start and quarters[-1].end == FY2016.end
    for before, after in zip(quarters, quarters[1:], strict=False):
        assert after.start == before.end + timedelta(days=1)


def test_life_of_project_quarters_are_clipped() -> None:
    lop = date_range(date(2014, 4, 15), date(2017, 4, 30), "Life of project")
    quarters = fiscal_quarters(lop)
    assert quarters[0] == Window(date(2014, 4, 15), date(2014, 6, 30), "FY2014 Q3")
    assert quarters[-1] == Window(date(2017, 4, 1), date(2017, 4, 30), "FY2017 Q3")
    assert len(quarters) == 13
    assert [y.label for y in fiscal_years(lop)] == ["FY2014", "FY2015", "FY2016", "FY2017"]
    assert fiscal_years(lop)[0].start == date(2014, 4, 15)


@pytest.mark.parametrize(
    ("day", "fy", "q"),
    [
        (date(2015, 9, 30), 2015, 4),
        (date(2015, 10, 1), 2016, 1),
        (date(2015, 12, 31), 2016, 1),
        (date(2016, 1, 1), 2016, 2),
        (date(2014, 4, 1), 2014, 3),
        (date(2014, 6, 30), 2014, 3),
        (date(2014, 7, 1), 2014, 4),
    ],
)
def test_fiscal_year_and_quarter_of_a_day(day: date, fy: int, q: int) -> None:
    assert fiscal_year_of(day) == fy
    assert fiscal_quarter_of(day) == (fy, q)
    assert day in fiscal_quarter(fy, q)
    assert day in fiscal_year(fy)


def test_calendar_year_and_date_range() -> None:
    assert calendar_year(2016) == Window(date(2016, 1, 1), date(2016, 12, 31), "CY2016")
    one_day = date_range(date(2016, 3, 1), date(2016, 3, 1))
    assert date(2016, 3, 1) in one_day and date(2016, 3, 2) not in one_day
    with pytest.raises(ValueError):
        date_range(date(2016, 3, 2), date(2016, 3, 1))
    with pytest.raises(ValueError):
        Window(date(2016, 3, 2), date(2016, 3, 1), "backwards")


def test_window_edges_are_inclusive() -> None:
    facts = [
        roster(1, date(2015, 9, 30), person=1),
        roster(2, date(2015, 10, 1), person=2),
        roster(3, date(2016, 9, 30), person=3),
        roster(4, date(2016, 10, 1), person=4),
    ]
    result = compute(Definition("P", Source.ATTENDANCE, Unit.PERSONS), facts, FY2016)
    assert result.value == 2
    assert result.record_ids == {2, 3}


# --- Age --------------------------------------------------------------------------------------


def test_age_turns_on_the_birthday() -> None:
    born = date(1986, 10, 1)
    assert age_on(date(2016, 9, 30), birth_date=born) == 29
    assert age_on(date(2016, 10, 1), birth_date=born) == 30


def test_age_from_birth_year_assumes_first_of_july() -> None:
    assert age_on(date(2016, 6, 30), birth_year=1986) == 29
    assert age_on(date(2016, 7, 1), birth_year=1986) == 30


def test_birth_date_wins_over_birth_year() -> None:
    assert age_on(date(2016, 1, 1), birth_date=date(1990, 1, 1), birth_year=1970) == 26


def test_leap_day_birthday_is_reached_on_first_of_march() -> None:
    born = date(2000, 2, 29)
    assert age_on(date(2015, 2, 28), birth_date=born) == 14
    assert age_on(date(2015, 3, 1), birth_date=born) == 15
    assert age_on(date(2016, 2, 29), birth_date=born) == 16


def test_unknown_and_implausible_ages() -> None:
    assert age_on(date(2016, 1, 1)) is None
    assert age_on(date(2016, 1, 1), birth_date=date(2016, 1, 2)) is None
    assert age_on(date(2016, 1, 1), birth_year=2017) is None
    assert age_on(date(2016, 1, 1), birth_year=1886) is None
    assert age_on(date(2016, 1, 1), birth_date=date(2016, 1, 1)) == 0


def test_age_band_is_taken_on_the_activity_date() -> None:
    born = date(1986, 10, 1)
    before = roster(1, date(2016, 9, 30), person=1, birth_date=born)
    after = roster(2, date(2016, 10, 1), person=1, birth_date=born)
    assert fact_age_band(before) == "15-29"
    assert fact_age_band(after) == "30+"


def test_preset_band_used_only_when_known_to_the_indicator() -> None:
    cell = tally(1, date(2016, 1, 1), 10, age_band="15-29")
    assert fact_age_band(cell) == "15-29"
    other_bands = (AgeBand("0-24", 0, 24), AgeBand("25+", 25))
    assert fact_age_band(cell, other_bands) is None


# --- Units on hand-built examples -------------------------------------------------------------


def test_activities_counts_distinct_activities() -> None:
    facts = [
        activity(1, date(2015, 11, 2), kind="public_debate"),
        activity(2, date(2016, 2, 2), kind="public_debate"),
        activity(3, date(2016, 2, 3), kind="workshop"),
        activity(4, date(2016, 12, 1), kind="public_debate"),  # next fiscal year
    ]
    definition = Definition(
        "debates",
        Source.ACTIVITIES,
        Unit.ACTIVITIES,
        filters={"kind": frozenset({"public_debate"})},
        disaggregations=("municipality",),
    )
    result = compute(definition, facts, FY2016)
    assert result.value == 2
    assert result.activity_ids == {1, 2}
    assert dict(result.breakdowns["municipality"]) == {"1": 2, UNKNOWN: 0}


def test_activities_counted_from_attendance() -> None:
    facts = [
        roster(1, date(2016, 1, 5), person=1, activity=7, sex="female"),
        roster(2, date(2016, 1, 5), person=2, activity=7, sex="female"),
        roster(3, date(2016, 2, 5), person=3, activity=8, sex="male"),
        tally(1, date(2016, 3, 5), 40, activity=9, sex="female"),
        tally(2, date(2016, 3, 6), 0, activity=10, sex="female"),  # an empty cell is absent
    ]
    definition = Definition(
        "with-women", Source.ATTENDANCE, Unit.ACTIVITIES, filters={"sex": frozenset({"female"})}
    )
    result = compute(definition, facts, FY2016)
    assert result.value == 2
    assert result.activity_ids == {7, 9}
    assert result.tally_record_ids == {1}


def test_attendances_add_roster_rows_and_tally_headcounts() -> None:
    facts = [
        roster(1, date(2016, 1, 5), person=1, sex="female"),
        roster(2, date(2016, 1, 5), person=1, sex="female", activity=2),
        roster(3, date(2016, 1, 5), person=None, sex="male"),
        tally(1, date(2016, 1, 6), 300, sex="male", community="serb", age_band="30+"),
        tally(2, date(2016, 1, 6), 34, community="albanian"),
    ]
    definition = Definition(
        "participants",
        Source.ATTENDANCE,
        Unit.ATTENDANCES,
        disaggregations=("sex", "community", "age_band"),
    )
    result = compute(definition, facts, FY2016)
    assert result.value == 337
    assert dict(result.breakdowns["sex"]) == {"female": 2, "male": 301, UNKNOWN: 34}
    assert dict(result.breakdowns["community"]) == {"albanian": 34, "serb": 300, UNKNOWN: 3}
    assert dict(result.breakdowns["age_band"]) == {"0-14": 0, "15-29": 0, "30+": 300, UNKNOWN: 37}
    assert result.tally_headcount == 0
    assert result.record_ids == {1, 2, 3}
    assert result.tally_record_ids == {1, 2}
    assert result.uncounted == 0


def test_persons_are_distinct_and_tallies_stay_beside_the_number() -> None:
    facts = [
        roster(1, date(2016, 1, 5), person=1, sex="female"),
        roster(2, date(2016, 2, 5), person=1, sex="female", activity=2),
        roster(3, date(2016, 2, 5), person=2, sex="male", activity=2),
        roster(4, date(2016, 2, 5), person=None, sex="male", activity=2),  # not yet linked
        tally(1, date(2016, 3, 1), 2000, activity=3, sex="female"),
    ]
    definition = Definition("trained", Source.ATTENDANCE, Unit.PERSONS, disaggregations=("sex",))
    result = compute(definition, facts, FY2016)
    assert result.value == 2
    assert result.tally_headcount == 2000
    assert dict(result.breakdowns["sex"]) == {"female": 1, "male": 1, UNKNOWN: 0}
    assert result.uncounted == 1
    assert result.record_ids == {1, 2, 3}
    assert result.tally_record_ids == {1}
    assert result.activity_ids == {1, 2, 3}


def test_tally_headcount_respects_filters() -> None:
    facts = [
        tally(1, date(2016, 3, 1), 20, sex="female"),
        tally(2, date(2016, 3, 1), 30, sex="male"),
    ]
    definition = Definition(
        "women", Source.ATTENDANCE, Unit.PERSONS, filters={"sex": frozenset({"female"})}
    )
    result = compute(definition, facts, FY2016)
    assert (result.value, result.tally_headcount) == (0, 20)


def test_person_lands_in_the_cell_of_their_first_fact() -> None:
    # 29 at the first training, 30 at the second: counted once, as youth.
    born = date(1986, 3, 1)
    facts = [
        roster(2, date(2016, 3, 15), person=1, birth_date=born, municipality=2, activity=2),
        roster(1, date(2016, 2, 15), person=1, birth_date=born, municipality=1),
        roster(3, date(2016, 2, 15), person=2, birth_year=1950, municipality=2),
    ]
    definition = Definition(
        "trained",
        Source.ATTENDANCE,
        Unit.PERSONS,
        disaggregations=("age_band", "municipality"),
    )
    result = compute(definition, facts, FY2016)
    assert result.value == 2
    assert dict(result.breakdowns["age_band"]) == {"0-14": 0, "15-29": 1, "30+": 1, UNKNOWN: 0}
    assert dict(result.breakdowns["municipality"]) == {"1": 1, "2": 1, UNKNOWN: 0}


def test_first_fact_ties_break_on_record_id() -> None:
    facts = [
        roster(9, date(2016, 2, 15), person=1, sex="male"),
        roster(4, date(2016, 2, 15), person=1, sex="female"),
    ]
    definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=("sex",))
    result = compute(definition, facts, FY2016)
    assert dict(result.breakdowns["sex"]) == {"female": 1, UNKNOWN: 0}


def test_first_fact_ties_put_the_named_row_before_the_tally_cell() -> None:
    day = date(2016, 2, 15)
    facts = [
        Fact(Source.ATTENDANCE, 9, day, 1, organization=5, attrs={"kind": "training"}),
        Fact(
            Source.ATTENDANCE,
            1,
            day,
            1,
            organization=5,
            is_tally=True,
            headcount=3,
            attrs={"kind": "debate"},
        ),
    ]
    definition = Definition(
        "orgs", Source.ATTENDANCE, Unit.ORGANIZATIONS, disaggregations=("kind",)
    )
    result = compute(definition, facts, FY2016)
    assert dict(result.breakdowns["kind"]) == {"training": 1, UNKNOWN: 0}
    assert (result.record_ids, result.tally_record_ids) == ({9}, {1})


def test_organizations_are_distinct() -> None:
    facts = [
        grant(1, date(2016, 1, 10), "5000.00", organization=10, sector="dairy"),
        grant(2, date(2016, 5, 10), "2500.50", organization=10, sector="honey"),
        grant(3, date(2016, 5, 11), "1000", organization=11),
        grant(4, date(2016, 5, 12), "1000", organization=None),
    ]
    definition = Definition("firms", Source.GRANTS, Unit.ORGANIZATIONS, disaggregations=("sector",))
    result = compute(definition, facts, FY2016)
    assert result.value == 2
    assert dict(result.breakdowns["sector"]) == {"dairy": 1, UNKNOWN: 1}
    assert result.record_ids == {1, 2, 3}
    assert result.uncounted == 1


def test_amount_sums_decimals() -> None:
    facts = [
        grant(1, date(2016, 1, 10), "5000.00", organization=10, sector="dairy"),
        grant(2, date(2016, 5, 10), "2500.50", organization=10, sector="honey"),
        grant(3, date(2016, 5, 11), "0.25", organization=11),
        grant(4, date(2016, 5, 12), None, organization=12, sector="dairy"),
    ]
    definition = Definition("usd", Source.GRANTS, Unit.AMOUNT, disaggregations=("sector",))
    result = compute(definition, facts, FY2016)
    assert result.value == Decimal("7500.75")
    assert isinstance(result.value, Decimal)
    assert dict(result.breakdowns["sector"]) == {
        "dairy": Decimal("5000.00"),
        "honey": Decimal("2500.50"),
        UNKNOWN: Decimal("0.25"),
    }
    assert result.uncounted == 1
    assert result.record_ids == {1, 2, 3}


def test_amount_of_nothing_is_decimal_zero() -> None:
    result = compute(
        Definition("usd", Source.GRANTS, Unit.AMOUNT, disaggregations=("sector",)), [], FY2016
    )
    assert result.value == Decimal(0) and isinstance(result.value, Decimal)
    assert dict(result.breakdowns["sector"]) == {UNKNOWN: Decimal(0)}


def test_records_counts_records() -> None:
    plans = [
        Fact(Source.PLANS, 1, date(2016, 3, 1), 5, attrs={"status": "adopted"}),
        Fact(Source.PLANS, 2, date(2016, 4, 1), 6, attrs={"status": "draft"}),
        Fact(Source.PLANS, 3, date(2016, 4, 2), 7, attrs={"status": "adopted"}),
    ]
    definition = Definition(
        "cdps", Source.PLANS, Unit.RECORDS, filters={"status": frozenset({"adopted"})}
    )
    result = compute(definition, plans, FY2016)
    assert result.value == 2
    assert result.record_ids == {1, 3}
    assert result.activity_ids == frozenset()


# --- Filters, scope, unknown cells ------------------------------------------------------------


def test_set_valued_topics_match_when_they_intersect() -> None:
    facts = [
        activity(1, date(2016, 1, 1), topics=frozenset({"lul", "youth"})),
        activity(2, date(2016, 1, 2), topics=frozenset({"agriculture"})),
        activity(3, date(2016, 1, 3), topics=frozenset()),
        activity(4, date(2016, 1, 4)),
    ]
    definition = Definition(
        "lul", Source.ACTIVITIES, Unit.ACTIVITIES, filters={"topics": frozenset({"lul", "tax"})}
    )
    assert compute(definition, facts, FY2016).activity_ids == {1}


def test_missing_value_never_passes_a_filter() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1, sex=None),
        roster(2, date(2016, 1, 1), person=2, sex=""),
        roster(3, date(2016, 1, 1), person=3),
        roster(4, date(2016, 1, 1), person=4, sex="female"),
    ]
    definition = Definition(
        "p",
        Source.ATTENDANCE,
        Unit.PERSONS,
        filters={"sex": frozenset({"female", "male", UNKNOWN})},
    )
    assert compute(definition, facts, FY2016).record_ids == {4}


def test_every_filter_must_pass() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1, sex="female", community="serb"),
        roster(2, date(2016, 1, 1), person=2, sex="female", community="albanian"),
        roster(3, date(2016, 1, 1), person=3, sex="male", community="serb"),
    ]
    definition = Definition(
        "p",
        Source.ATTENDANCE,
        Unit.PERSONS,
        filters={"sex": frozenset({"female"}), "community": frozenset({"serb"})},
    )
    assert compute(definition, facts, FY2016).record_ids == {1}


def test_youth_filter_uses_age_on_the_activity_date() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1, birth_date=date(1986, 1, 2)),  # 29
        roster(2, date(2016, 1, 1), person=2, birth_date=date(1986, 1, 1)),  # 30
        roster(3, date(2016, 1, 1), person=3),  # unknown
        tally(1, date(2016, 1, 1), 12, age_band="15-29"),
    ]
    definition = Definition(
        "youth", Source.ATTENDANCE, Unit.PERSONS, filters={"age_band": frozenset({"15-29"})}
    )
    result = compute(definition, facts, FY2016)
    assert (result.value, result.tally_headcount) == (1, 12)
    assert result.record_ids == {1}


def test_scope_limits_municipalities_and_drops_unattributed_facts() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1, municipality=1),
        roster(2, date(2016, 1, 1), person=2, municipality=2),
        roster(3, date(2016, 1, 1), person=3, municipality=None),
        tally(1, date(2016, 1, 1), 50, municipality=2),
    ]
    definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS)
    everything = compute(definition, facts, FY2016)
    assert (everything.value, everything.tally_headcount) == (3, 50)
    focal_point = compute(definition, facts, FY2016, Coverage(frozenset({1})))
    assert (focal_point.value, focal_point.tally_headcount) == (1, 0)
    assert focal_point.record_ids == {1}
    assert compute(definition, facts, FY2016, Coverage(frozenset())).value == 0


def test_other_sources_are_ignored() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1, organization=5),
        grant(1, date(2016, 1, 1), "10", organization=6),
    ]
    definition = Definition("orgs", Source.GRANTS, Unit.ORGANIZATIONS)
    assert compute(definition, facts, FY2016).record_ids == {1}
    assert compute(definition, facts, FY2016).value == 1


def test_every_dimension_has_an_unknown_cell_even_when_empty() -> None:
    facts = [roster(1, date(2016, 1, 1), person=1, sex="female", community="roma")]
    definition = Definition(
        "p",
        Source.ATTENDANCE,
        Unit.PERSONS,
        disaggregations=("sex", "community", "age_band", "municipality", "affiliation"),
    )
    result = compute(definition, facts, FY2016)
    for name, cells in result.breakdowns.items():
        assert UNKNOWN in cells, name
        assert list(cells)[-1] == UNKNOWN
        assert sum(cells.values()) == result.value
    assert result.breakdowns["affiliation"] == {UNKNOWN: 1}
    assert result.breakdowns["sex"] == {"female": 1, UNKNOWN: 0}


def test_empty_result_has_zero_cells() -> None:
    definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=("sex",))
    result = compute(definition, [], FY2016)
    assert result == Result(
        code="p",
        unit=Unit.PERSONS,
        window=FY2016,
        value=0,
        breakdowns={"sex": {UNKNOWN: 0}},
        tally_headcount=0,
        activity_ids=frozenset(),
        record_ids=frozenset(),
    )


def test_set_valued_attribute_cannot_be_a_disaggregation() -> None:
    facts = [activity(1, date(2016, 1, 1), topics=frozenset({"lul"}))]
    definition = Definition("a", Source.ACTIVITIES, Unit.ACTIVITIES, disaggregations=("topics",))
    with pytest.raises(ValueError, match="set-valued"):
        compute(definition, facts, FY2016)


def test_the_same_record_fed_twice_is_refused() -> None:
    facts = [roster(1, date(2016, 1, 1), person=1), roster(1, date(2016, 2, 1), person=2)]
    with pytest.raises(ValueError, match="twice"):
        compute(Definition("p", Source.ATTENDANCE, Unit.PERSONS), facts, FY2016)


def test_roster_rows_and_tally_cells_have_separate_ids() -> None:
    facts = [roster(1, date(2016, 1, 1), person=1), tally(1, date(2016, 1, 1), 5)]
    result = compute(Definition("a", Source.ATTENDANCE, Unit.ATTENDANCES), facts, FY2016)
    assert result.value == 6
    assert (result.record_ids, result.tally_record_ids) == ({1}, {1})


def test_compute_many_reads_a_one_shot_iterator_once() -> None:
    facts = [
        roster(1, date(2016, 1, 1), person=1),
        roster(2, date(2016, 2, 1), person=1),
        grant(1, date(2016, 1, 1), "100", organization=3),
    ]
    definitions = [
        Definition("persons", Source.ATTENDANCE, Unit.PERSONS),
        Definition("attendances", Source.ATTENDANCE, Unit.ATTENDANCES),
        Definition("usd", Source.GRANTS, Unit.AMOUNT),
    ]
    results = compute_many(definitions, iter(facts), FY2016)
    assert {code: r.value for code, r in results.items()} == {
        "persons": 1,
        "attendances": 2,
        "usd": Decimal(100),
    }
    with pytest.raises(ValueError, match="unique"):
        compute_many([definitions[0], definitions[0]], facts, FY2016)


# --- Validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "unit"),
    [
        (Source.GRANTS, Unit.PERSONS),
        (Source.ACTIVITIES, Unit.PERSONS),
        (Source.GRANTS, Unit.ATTENDANCES),
        (Source.GRANTS, Unit.ACTIVITIES),
        (Source.PLANS, Unit.ACTIVITIES),
        (Source.ENTERED, Unit.RECORDS),
        (Source.ENTERED, Unit.ORGANIZATIONS),
        (Source.ENTERED, Unit.PERSONS),
        (Source.ENTERED, Unit.ATTENDANCES),
        (Source.ENTERED, Unit.ACTIVITIES),
    ],
)
def test_unit_and_source_must_fit(source: Source, unit: Unit) -> None:
    with pytest.raises(ValueError, match="cannot be counted from source"):
        Definition("x", source, unit)


def test_definition_accepts_plain_strings_from_the_database() -> None:
    definition = Definition(
        "x",
        "attendance",  # type: ignore[arg-type]
        "persons",  # type: ignore[arg-type]
        filters={"sex": {"female"}},  # type: ignore[dict-item]
    )
    assert definition.unit is Unit.PERSONS and definition.source is Source.ATTENDANCE
    assert definition.filters == {"sex": frozenset({"female"})}
    with pytest.raises(ValueError, match="'x'"):
        Definition("x", "attendance", "people")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filters": {"sex": "female"}}, "not the string"),
        ({"filters": {"sex": frozenset()}}, "no value"),
        ({"filters": {"age_band": frozenset({"15–29"})}}, "not among"),
        ({"disaggregations": ("sex", "sex")}, "repeated"),
        ({"disaggregations": ("",)}, "non-empty"),
        ({"age_bands": ()}, "at least one"),
        ({"age_bands": (AgeBand("15-29", 15, 29), AgeBand("30+", 30))}, "from 0"),
        ({"age_bands": (AgeBand("0-14", 0, 14), AgeBand("20+", 20))}, "without gaps"),
        ({"age_bands": (AgeBand("0-29", 0, 29), AgeBand("30-39", 30, 39))}, "open-ended"),
        ({"age_bands": (AgeBand("a", 0, 9), AgeBand("a", 10))}, "unique"),
    ],
)
def test_definition_validation(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Definition("x", Source.ATTENDANCE, Unit.PERSONS, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("dimension", ["sex", "age_band", "community"])
def test_activities_refuse_person_dimensions(dimension: str) -> None:
    with pytest.raises(ValueError, match="activities cannot be disaggregated"):
        Definition("x", Source.ACTIVITIES, Unit.ACTIVITIES, disaggregations=(dimension,))
    Definition("x", Source.ACTIVITIES, Unit.ACTIVITIES, disaggregations=("municipality", "kind"))


def test_fact_validation() -> None:
    day = date(2016, 1, 1)
    with pytest.raises(ValueError, match="anonymous"):
        Fact(Source.ATTENDANCE, 1, day, 1, person=3, is_tally=True, headcount=4)
    with pytest.raises(ValueError, match="headcount"):
        Fact(Source.ATTENDANCE, 1, day, 1, person=3, headcount=4)
    with pytest.raises(ValueError, match="negative"):
        Fact(Source.ATTENDANCE, 1, day, 1, is_tally=True, headcount=-1)
    with pytest.raises(TypeError, match="Decimal"):
        Fact(Source.GRANTS, 1, day, 1, amount=10.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="component"):
        Fact(Source.ACTIVITIES, 1, day, 1, attrs={"component": 3})  # type: ignore[dict-item]
    with pytest.raises(ValueError):
        AgeBand("old", 30, 20)
    with pytest.raises(ValueError):
        AgeBand(UNKNOWN, 0)


# --- Fiscal year versus quarters --------------------------------------------------------------


def test_fy_person_value_is_not_the_sum_of_its_quarters() -> None:
    facts = [
        roster(1, date(2015, 11, 1), person=1),  # Q1
        roster(2, date(2016, 2, 1), person=1, activity=2),  # Q2, same person
        roster(3, date(2016, 2, 1), person=2, activity=2),  # Q2
    ]
    persons = Definition("p", Source.ATTENDANCE, Unit.PERSONS)
    attendances = Definition("a", Source.ATTENDANCE, Unit.ATTENDANCES)
    quarters = [compute(persons, facts, q).value for q in fiscal_quarters(FY2016)]
    assert quarters == [1, 2, 0, 0]
    assert compute(persons, facts, FY2016).value == 2 < sum(quarters)
    quarterly_attendances = [compute(attendances, facts, q).value for q in fiscal_quarters(FY2016)]
    assert compute(attendances, facts, FY2016).value == sum(quarterly_attendances) == 3


# --- Property-based: the engine against a brute-force count -----------------------------------

SEXES = ("female", "male", "", None)
COMMUNITIES = ("albanian", "serb", "turkish", "roma", "undeclared", None)
KINDS = ("debate", "hearing", "training", None)
TOPICS = ("lul", "youth", "agriculture")
PRESET_BANDS = ("15-29", "30+", "15-24", "0-17", None)
CUSTOM_BANDS = (AgeBand("0-17", 0, 17), AgeBand("18-24", 18, 24), AgeBand("25+", 25, None))
SOURCES = tuple(Source)
RECORD_SOURCES = tuple(source for source in Source if source is not Source.ENTERED)


def _interesting_days() -> tuple[date, ...]:
    """The edges of FY2016's quarters, their neighbours and mid-quarter days, plus a few days
    just outside FY2016.

    Few distinct days make people meet again on the same day (the first-fact tie-break) and put
    facts on window edges; windows are drawn from the same days.
    """
    found = {date(2015, 9, 29), date(2015, 9, 30), date(2016, 10, 1), date(2016, 10, 2)}
    for quarter in fiscal_quarters(FY2016):
        found |= {quarter.start, quarter.start + timedelta(days=1), quarter.end}
        found |= {quarter.end - timedelta(days=1), quarter.start + timedelta(days=45)}
    return tuple(sorted(found))


DAYS = _interesting_days()
FIRST_BIRTH = date(1980, 1, 1)  # with the days above: ages about 12 to 36, across band edges
BIRTH_SPAN = 24 * 366
EDGE_AGES = (14, 15, 17, 18, 24, 25, 29, 30)  # ages either side of the bands' edges

# Written out here, from the architecture, rather than imported from the engine.
VALID_PAIRS = {
    Unit.ACTIVITIES: (Source.ACTIVITIES, Source.ATTENDANCE),
    Unit.ATTENDANCES: (Source.ATTENDANCE,),
    Unit.PERSONS: (Source.ATTENDANCE,),
    Unit.ORGANIZATIONS: RECORD_SOURCES,
    Unit.AMOUNT: SOURCES,  # entered values too: they are only ever added up
    Unit.RECORDS: RECORD_SOURCES,
}


def _digits(number: int, *radices: int) -> list[int]:
    """Several small choices packed in one draw, least significant first.

    The number is first spread over its range (multiplied by a unit near the golden ratio of the
    range): Hypothesis favours small numbers, which would otherwise leave the later choices at 0.
    The spreading keeps 0 at 0, so shrinking still ends at the simplest fact.
    """
    modulus = math.prod(radices)
    number = number * _spreader(modulus) % modulus
    digits = []
    for radix in radices:
        number, digit = divmod(number, radix)
        digits.append(digit)
    return digits


@functools.cache
def _spreader(modulus: int) -> int:
    multiplier = int(modulus * 0.6180339887) | 1
    while math.gcd(multiplier, modulus) != 1:
        multiplier += 2
    return multiplier


# A fact is drawn as its record id and two numbers packed with these choices, decoded by
# build_fact: three draws per fact instead of one per field keeps the whole file fast.
CORE_RADICES = (
    4 * len(SOURCES),  # source: the indicator's own in 3 cases out of 4
    2,  # a tally cell (attendance only)
    len(DAYS),
    5,  # municipality, 0 = none
    7,  # activity, 0 = none
    8,  # person, 0 = none
    5,  # organization, 0 = none
    41,  # tally headcount
)
DETAIL_RADICES = (
    100_001,  # amount in cents plus one, 0 = none
    4 * BIRTH_SPAN,  # birth date: see birth_date_choice
    BIRTH_SPAN // 366 + 16,  # birth year: see birth_year_choice
    len(PRESET_BANDS),
    len(SEXES),
    len(COMMUNITIES),
    len(KINDS),
    2 ** len(TOPICS),  # topics as a bit set
    16,  # which of sex, community, kind, topics are present
)
fact_fields = st.tuples(
    st.integers(1, 500),
    st.integers(0, math.prod(CORE_RADICES) - 1),
    st.integers(0, math.prod(DETAIL_RADICES) - 1),
)


def birth_date_choice(choice: int, day: date) -> date | None:
    """None in half the cases, a day near a band edge on ``day`` in a quarter, else any day."""
    if choice < BIRTH_SPAN:
        return FIRST_BIRTH + timedelta(days=choice)
    if choice < 2 * BIRTH_SPAN:
        years, offset = divmod(choice % (3 * len(EDGE_AGES)), 3)
        return day.replace(year=day.year - EDGE_AGES[years]) + timedelta(days=offset - 1)
    return None


def birth_year_choice(choice: int) -> int | None:
    """None in 8 cases out of 40, implausible (1880, or the future) in 8, else 1980 to 2003."""
    if choice < 8:
        return None
    if choice < 16:
        return 1880 if choice % 2 else 2017
    return 1964 + choice


def build_fact(fields: tuple[int, int, int], preferred: Source) -> Fact:
    record_id, core, detail = fields
    source_index, tally_wanted, day, municipality, activity_id, person, organization, headcount = (
        _digits(core, *CORE_RADICES)
    )
    cents, born, birth_year, band, sex, community, kind, topics, present = _digits(
        detail, *DETAIL_RADICES
    )
    source = SOURCES[source_index] if source_index < len(SOURCES) else preferred
    is_tally = source is Source.ATTENDANCE and bool(tally_wanted)
    attrs = {
        "sex": SEXES[sex],
        "community": COMMUNITIES[community],
        "kind": KINDS[kind],
        "topics": frozenset(t for i, t in enumerate(TOPICS) if topics >> i & 1),
    }
    return Fact(
        source=source,
        record_id=record_id,
        date=DAYS[day],
        municipality=municipality or None,
        activity=activity_id or None,
        person=None if is_tally else person or None,
        organization=organization or None,
        headcount=headcount if is_tally else 1,
        amount=Decimal(cents - 1) / 100 if cents else None,
        is_tally=is_tally,
        birth_date=birth_date_choice(born, DAYS[day]),
        birth_year=birth_year_choice(birth_year),
        age_band=PRESET_BANDS[band],
        attrs={key: value for i, (key, value) in enumerate(attrs.items()) if present >> i & 1},
    )


@st.composite
def fact_lists(draw: st.DrawFn, preferred: Source = Source.ATTENDANCE) -> list[Fact]:
    size = draw(st.integers(4, 20))  # the hand-built tests above cover the smaller cases
    rows = draw(
        st.lists(fact_fields, min_size=size, max_size=size, unique_by=lambda fields: fields[0])
    )
    return [build_fact(fields, preferred) for fields in rows]


@st.composite
def definitions(draw: st.DrawFn) -> Definition:
    unit = draw(st.sampled_from(Unit))
    source = draw(st.sampled_from(VALID_PAIRS[unit]))
    bands = draw(st.sampled_from((DEFAULT_AGE_BANDS, CUSTOM_BANDS)))
    choices = {
        "sex": [v for v in SEXES if v],
        "community": [v for v in COMMUNITIES if v],
        "kind": [v for v in KINDS if v],
        "topics": list(TOPICS),
        "age_band": [band.label for band in bands],
        "municipality": ["1", "2", "3", "4"],
    }
    filters = {}
    count = draw(st.sampled_from((0, 0, 1, 1, 2)))
    for name in draw(
        st.lists(st.sampled_from(sorted(choices)), unique=True, min_size=count, max_size=count)
    ):
        filters[name] = draw(st.frozensets(st.sampled_from(choices[name]), min_size=1))
    dimensions = ["municipality", "kind", "missing_attr"]
    if unit is not Unit.ACTIVITIES:
        dimensions += ["sex", "community", "age_band"]
    disaggregations = draw(st.lists(st.sampled_from(dimensions), unique=True))
    return Definition("x", source, unit, filters, tuple(disaggregations), bands)


@st.composite
def windows(draw: st.DrawFn) -> Window:
    kind = draw(st.sampled_from(("fy", "fy", "quarter", "range")))
    if kind == "fy":
        return FY2016
    if kind == "quarter":
        return fiscal_quarter(2016, draw(st.integers(1, 4)))
    first, second = sorted(draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
    return date_range(first, second)


scopes = st.sampled_from(
    (
        Coverage(),
        Coverage(),
        Coverage(frozenset({1, 2, 3})),
        Coverage(frozenset({2})),
        Coverage(frozenset()),
    )
)


@st.composite
def cases(draw: st.DrawFn) -> tuple[Definition, list[Fact], Window, Coverage]:
    """A definition with facts mostly of its own source, a window and a scope."""
    definition = draw(definitions())
    return definition, draw(fact_lists(definition.source)), draw(windows()), draw(scopes)


def completed_years(born: date, day: date) -> int:
    """Anniversaries passed, counting each one explicitly (29 February falls on 1 March)."""

    def anniversary(years: int) -> date:
        try:
            return born.replace(year=born.year + years)
        except ValueError:
            return date(born.year + years, 3, 1)

    if day < born:
        return -1
    years = 0
    while anniversary(years + 1) <= day:
        years += 1
    return years


def brute_band(fact: Fact, bands: tuple[AgeBand, ...]) -> str | None:
    born = fact.birth_date or (date(fact.birth_year, 7, 1) if fact.birth_year else None)
    if born is not None:
        age = completed_years(born, fact.date)
        if 0 <= age <= 120:
            for band in bands:
                if band.low <= age and (band.high is None or age <= band.high):
                    return band.label
    labels = [band.label for band in bands]
    return fact.age_band if fact.age_band in labels else None


def brute_read(fact: Fact, name: str, bands: tuple[AgeBand, ...]) -> object:
    if name == "age_band":
        return brute_band(fact, bands)
    if name == "municipality":
        return None if fact.municipality is None else str(fact.municipality)
    return fact.attrs.get(name) or None


def brute_force(
    definition: Definition, facts: list[Fact], window: Window, scope: Coverage
) -> dict[str, object]:
    """The count, written straight from architecture section 4."""
    bands = definition.age_bands

    def admitted(fact: Fact) -> bool:
        if fact.source != definition.source or fact.headcount == 0:
            return False
        if not window.start <= fact.date <= window.end:
            return False
        if scope.municipalities is not None and fact.municipality not in scope.municipalities:
            return False
        for name, allowed in definition.filters.items():
            value = brute_read(fact, name, bands)
            if isinstance(value, frozenset):
                if not value & allowed:
                    return False
            elif value not in allowed:
                return False
        return True

    kept = [f for f in facts if admitted(f)]
    unit = definition.unit
    key = {
        Unit.ACTIVITIES: lambda f: f.activity,
        Unit.PERSONS: lambda f: None if f.is_tally else f.person,
        Unit.ORGANIZATIONS: lambda f: f.organization,
        Unit.RECORDS: lambda f: (f.is_tally, f.record_id),
        Unit.ATTENDANCES: lambda f: (f.is_tally, f.record_id),
        Unit.AMOUNT: lambda f: None if f.amount is None else (f.is_tally, f.record_id),
    }[unit]
    behind = [f for f in kept if key(f) is not None or (unit is Unit.PERSONS and f.is_tally)]
    tally_headcount = sum(f.headcount for f in kept if f.is_tally) if unit is Unit.PERSONS else 0
    uncounted = sum(1 for f in kept if key(f) is None and not (unit is Unit.PERSONS and f.is_tally))

    cells: dict[str, defaultdict[object, Any]] = {}
    if unit in (Unit.ATTENDANCES, Unit.AMOUNT, Unit.RECORDS):
        weight = {
            Unit.ATTENDANCES: lambda f: f.headcount,
            Unit.AMOUNT: lambda f: f.amount,
            Unit.RECORDS: lambda f: 1,
        }[unit]
        counted = behind
        value = sum((weight(f) for f in counted), Decimal(0) if unit is Unit.AMOUNT else 0)
        for name in definition.disaggregations:
            split: defaultdict[object, Any] = defaultdict(int)
            for f in counted:
                split[brute_read(f, name, bands) or UNKNOWN] += weight(f)
            cells[name] = split
    else:
        entities = {key(f) for f in kept} - {None}
        value = len(entities)
        for name in definition.disaggregations:
            split = defaultdict(int)
            for entity in entities:
                first = min(
                    (f for f in kept if key(f) == entity),
                    key=lambda f: (f.date, f.is_tally, f.record_id),
                )
                split[brute_read(first, name, bands) or UNKNOWN] += 1
            cells[name] = split
    return {
        "value": value,
        "tally_headcount": tally_headcount,
        "uncounted": uncounted,
        "record_ids": {f.record_id for f in behind if not f.is_tally},
        "tally_record_ids": {f.record_id for f in behind if f.is_tally},
        "activity_ids": {f.activity for f in behind} - {None},
        "cells": {name: {k: v for k, v in split.items() if v} for name, split in cells.items()},
    }


def observed(result: Result) -> dict[str, object]:
    return {
        "value": result.value,
        "tally_headcount": result.tally_headcount,
        "uncounted": result.uncounted,
        "record_ids": set(result.record_ids),
        "tally_record_ids": set(result.tally_record_ids),
        "activity_ids": set(result.activity_ids),
        "cells": {
            name: {k: v for k, v in split.items() if v} for name, split in result.breakdowns.items()
        },
    }


@PROPERTY
@given(cases())
def test_engine_equals_brute_force(case: tuple[Definition, list[Fact], Window, Coverage]) -> None:
    definition, facts, window, scope = case
    result = compute(definition, facts, window, scope)
    assert observed(result) == brute_force(definition, facts, window, scope)

    # and every split adds up to the value, with an unknown cell
    assert list(result.breakdowns) == list(definition.disaggregations)
    zero = Decimal(0) if result.unit is Unit.AMOUNT else 0
    for name, cells in result.breakdowns.items():
        assert list(cells)[-1] == UNKNOWN, name
        assert sum(cells.values(), zero) == result.value
        assert all(value >= 0 for value in cells.values())


@settings(PROPERTY, max_examples=100)  # a structural check: fewer examples are enough
@given(st.lists(definitions(), max_size=4), fact_lists(Source.GRANTS), windows(), scopes)
def test_compute_many_equals_compute(
    many: list[Definition], facts: list[Fact], window: Window, scope: Coverage
) -> None:
    renamed = [
        Definition(f"d{i}", d.source, d.unit, d.filters, d.disaggregations, d.age_bands)
        for i, d in enumerate(many)
    ]
    results = compute_many(renamed, facts, window, scope)
    assert results == {d.code: compute(d, facts, window, scope) for d in renamed}


@PROPERTY
@given(fact_lists(Source.ATTENDANCE), scopes)
def test_fiscal_year_against_its_quarters(facts: list[Fact], scope: Coverage) -> None:
    quarters = fiscal_quarters(FY2016)
    for unit in (Unit.PERSONS, Unit.ORGANIZATIONS, Unit.ACTIVITIES):
        definition = Definition("d", Source.ATTENDANCE, unit)
        year_value = compute(definition, facts, FY2016, scope).value
        quarter_values = [compute(definition, facts, q, scope).value for q in quarters]
        assert max(quarter_values) <= year_value <= sum(quarter_values)
    for unit in (Unit.ATTENDANCES, Unit.RECORDS, Unit.AMOUNT):
        definition = Definition("d", Source.ATTENDANCE, unit)
        assert compute(definition, facts, FY2016, scope).value == sum(
            (compute(definition, facts, q, scope).value for q in quarters),
            Decimal(0) if unit is Unit.AMOUNT else 0,
        )
