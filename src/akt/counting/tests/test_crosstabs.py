"""The reference engine's cross-tabulations, community statuses and report helpers.

Hand-built examples for each rule, then properties: a cross-tabulation's margins are the single
dimensions' own breakdowns, and its cells add up to the value. No database.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.counting.engine import (
    MAJORITY,
    NON_MAJORITY,
    OTHER,
    UNKNOWN,
    Definition,
    Fact,
    Recoding,
    Source,
    Unit,
    UnmappedCategoryError,
    compute,
    date_range,
    dimensions_of,
    fiscal_quarter,
    fiscal_year,
    local_status,
    merge_small_cells,
    national_status,
    tracking_windows,
)
from akt.counting.tests.test_engine import PROPERTY, cases, roster, tally

FY2016 = fiscal_year(2016)


# --- Definitions ------------------------------------------------------------------------------


def test_cross_tabs_are_normalized() -> None:
    definition = Definition(
        "p",
        Source.ATTENDANCE,
        Unit.PERSONS,
        disaggregations=["sex", ["sex", "community"], ("age_band",)],  # type: ignore[arg-type]
    )
    assert definition.disaggregations == ("sex", ("sex", "community"), "age_band")
    assert dimensions_of("sex") == ("sex",)
    assert dimensions_of(("sex", "age_band")) == ("sex", "age_band")


@pytest.mark.parametrize(
    ("disaggregations", "message"),
    [
        ((("sex", "sex"),), "repeats a dimension"),
        ((("sex", ""),), "non-empty"),
        (((),), "non-empty"),
        ((("sex", "community"), ["sex", "community"]), "repeated"),
        ("sex", "not the string"),
        ((3,), "dimension name or a list"),
    ],
)
def test_bad_cross_tabs_are_refused(disaggregations: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Definition(
            "p",
            Source.ATTENDANCE,
            Unit.PERSONS,
            disaggregations=disaggregations,  # type: ignore[arg-type]
        )


@pytest.mark.parametrize("dimension", ["affiliation", "local_status", "national_status"])
def test_activities_refuse_person_dimensions_in_cross_tabs(dimension: str) -> None:
    with pytest.raises(ValueError, match="activities cannot be disaggregated"):
        Definition(
            "a", Source.ACTIVITIES, Unit.ACTIVITIES, disaggregations=(("municipality", dimension),)
        )


# --- Cross-tabulations ------------------------------------------------------------------------


def test_cross_tab_cells_are_every_combination_in_order() -> None:
    facts = [
        roster(1, date(2016, 1, 5), person=1, sex="female", birth_year=1990),  # 25: 15-29
        roster(2, date(2016, 1, 5), person=2, sex="male", birth_year=1950),
        roster(3, date(2016, 1, 5), person=3, sex="female"),  # age unknown
        tally(1, date(2016, 1, 6), 40, sex="male", age_band="15-29"),
    ]
    definition = Definition(
        "a",
        Source.ATTENDANCE,
        Unit.ATTENDANCES,
        disaggregations=("sex", ("sex", "age_band")),
    )
    result = compute(definition, facts, FY2016)
    crossed = result.breakdowns["sex", "age_band"]
    assert list(crossed) == [
        (sex, band)
        for sex in ("female", "male", UNKNOWN)
        for band in ("0-14", "15-29", "30+", UNKNOWN)
    ]
    assert crossed["female", "15-29"] == 1
    assert crossed["female", UNKNOWN] == 1
    assert crossed["male", "15-29"] == 40
    assert crossed["male", "30+"] == 1
    assert sum(crossed.values()) == result.value == 43
    # Summing over age gives the sex breakdown, cell for cell.
    margin: dict[str, int] = {}
    for (sex, _band), value in crossed.items():
        margin[sex] = margin.get(sex, 0) + value
    assert margin == dict(result.breakdowns["sex"])


def test_cross_tab_of_persons_uses_the_first_fact() -> None:
    facts = [
        roster(1, date(2016, 1, 5), person=7, sex="female", community="serb"),
        roster(2, date(2016, 2, 5), person=7, sex="female", community="albanian", activity=2),
        roster(3, date(2016, 2, 5), person=8, sex="male", activity=2),
    ]
    definition = Definition(
        "p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=(("sex", "community"),)
    )
    cells = compute(definition, facts, FY2016).breakdowns["sex", "community"]
    assert {key: value for key, value in cells.items() if value} == {
        ("female", "serb"): 1,
        ("male", UNKNOWN): 1,
    }
    # Person 7's second fact is not what they count by: "albanian" is no cell at all. The
    # cells are every combination of the values counted facts carry, each with UNKNOWN.
    assert list(cells) == [
        (sex, community) for sex in ("female", "male", UNKNOWN) for community in ("serb", UNKNOWN)
    ]


def test_three_way_cross_tab_adds_up() -> None:
    facts = [
        roster(i, date(2016, 1, 1 + i % 28), person=i % 4 + 1, sex=("female", "male", None)[i % 3],
               birth_year=1960 + i, municipality=i % 3 or None)
        for i in range(1, 30)
    ]  # fmt: skip
    split = ("sex", "age_band", "municipality")
    definition = Definition("p", Source.ATTENDANCE, Unit.PERSONS, disaggregations=(split,))
    result = compute(definition, facts, FY2016)
    cells = result.breakdowns[split]
    assert sum(cells.values()) == result.value == 4
    assert all(len(key) == 3 for key in cells)
    assert {key[2] for key in cells} == {"1", "2", UNKNOWN}


@settings(PROPERTY, max_examples=75)
@given(cases(), st.sampled_from([("sex", "age_band"), ("community", "sex"), ("kind", "sex")]))
def test_cross_tab_margins_are_the_single_breakdowns(case: tuple, split: tuple[str, str]) -> None:
    definition, facts, window, scope = case
    if definition.unit is Unit.ACTIVITIES:
        split = ("kind", "municipality")
    crossed = Definition(
        definition.code,
        definition.source,
        definition.unit,
        definition.filters,
        (*split, split),
        definition.age_bands,
    )
    result = compute(crossed, facts, window, scope)
    cells = result.breakdowns[split]
    zero = Decimal(0) if result.unit is Unit.AMOUNT else 0
    assert sum(cells.values(), zero) == result.value
    for position, name in enumerate(split):
        margin: dict[str, object] = {}
        for key, value in cells.items():
            margin[key[position]] = margin.get(key[position], zero) + value
        assert margin == dict(result.breakdowns[name])
        assert list(margin) == list(result.breakdowns[name])


# --- Community statuses -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("community", "majority", "declared", "expected"),
    [
        ("serb", "serb", True, MAJORITY),
        ("albanian", "serb", True, NON_MAJORITY),
        ("serb", "albanian", True, NON_MAJORITY),
        ("other", "albanian", True, NON_MAJORITY),
        ("prefer-not-to-say", "serb", False, None),
        (None, "serb", True, None),
        ("", "serb", True, None),
        ("serb", None, True, None),
    ],
)
def test_local_status(
    community: str | None, majority: str | None, declared: bool, expected: str | None
) -> None:
    assert local_status(community, majority, declared=declared) == expected


@pytest.mark.parametrize(
    ("community", "declared", "expected"),
    [
        ("albanian", True, MAJORITY),
        ("serb", True, NON_MAJORITY),
        ("other", True, NON_MAJORITY),
        ("prefer-not-to-say", False, None),
        (None, True, None),
    ],
)
def test_national_status(community: str | None, declared: bool, expected: str | None) -> None:
    assert national_status(community, declared=declared) == expected


# --- Tracking windows -------------------------------------------------------------------------


def test_tracking_windows_of_the_program() -> None:
    lop = date_range(date(2014, 4, 1), date(2017, 4, 30), "LOP")
    windows = tracking_windows(lop)
    assert [window.label for window in windows] == [
        "LOP",
        "FY2014", "FY2014 Q3", "FY2014 Q4",
        "FY2015", "FY2015 Q1", "FY2015 Q2", "FY2015 Q3", "FY2015 Q4",
        "FY2016", "FY2016 Q1", "FY2016 Q2", "FY2016 Q3", "FY2016 Q4",
        "FY2017", "FY2017 Q1", "FY2017 Q2", "FY2017 Q3",
    ]  # fmt: skip
    assert windows[1] == fiscal_year(2014)  # full bounds, as the reports' period menu
    assert windows[-1] == fiscal_quarter(2017, 3)


# --- Merging small categories -----------------------------------------------------------------


def test_small_categories_merge_into_other() -> None:
    cells = {"albanian": 50, "serb": 30, "roma": 2, "turkish": 1, "gorani": 0, UNKNOWN: 4}
    merged = merge_small_cells(cells, below=5)
    assert merged == {"albanian": 50, "serb": 30, OTHER: 3, UNKNOWN: 4}
    assert list(merged) == ["albanian", "serb", OTHER, UNKNOWN]
    assert sum(merged.values()) == sum(cells.values())


def test_merging_keeps_unknown_and_what_is_kept() -> None:
    cells = {"0-14": 0, "15-29": 3, "30+": 40, UNKNOWN: 1}
    assert merge_small_cells(cells, below=5, keep={"0-14", "15-29", "30+"}) == cells
    # A lone small category keeps its name...
    assert merge_small_cells({"a": 10, "b": 1, UNKNOWN: 0}, below=5) == {
        "a": 10,
        "b": 1,
        UNKNOWN: 0,
    }
    # ...unless an "other" cell is already there to take it.
    assert merge_small_cells({"a": 10, "b": 1, OTHER: 2, UNKNOWN: 0}, below=5) == {
        "a": 10,
        OTHER: 3,
        UNKNOWN: 0,
    }


def test_merging_amounts_keeps_decimals() -> None:
    cells = {"dairy": Decimal("100.50"), "honey": Decimal("0.25"), "wood": Decimal("1.00")}
    merged = merge_small_cells(cells, below=Decimal(10))
    assert merged == {"dairy": Decimal("100.50"), OTHER: Decimal("1.25")}


def test_merging_one_dimension_of_a_cross_tab() -> None:
    cells = {
        ("female", "albanian"): 20, ("female", "roma"): 1, ("female", "turkish"): 1,
        ("female", UNKNOWN): 0,
        ("male", "albanian"): 30, ("male", "roma"): 2, ("male", "turkish"): 0,
        ("male", UNKNOWN): 3,
    }  # fmt: skip
    merged = merge_small_cells(cells, below=5, position=1)
    assert merged == {
        ("female", "albanian"): 20, ("female", OTHER): 2, ("female", UNKNOWN): 0,
        ("male", "albanian"): 30, ("male", OTHER): 2, ("male", UNKNOWN): 3,
    }  # fmt: skip
    with pytest.raises(ValueError, match="position"):
        merge_small_cells(cells, below=5)


@given(
    st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 20), min_size=1),
    st.integers(0, 25),
)
def test_merging_never_changes_the_total(cells: dict[str, int], below: int) -> None:
    merged = merge_small_cells({**cells, UNKNOWN: 3}, below=below)
    assert sum(merged.values()) == sum(cells.values()) + 3
    assert list(merged)[-1] == UNKNOWN
    small = [key for key, value in merged.items() if key not in (OTHER, UNKNOWN) and value < below]
    assert small == [] if OTHER in merged else len(small) <= 1


# --- Recoding to a new scheme -----------------------------------------------------------------

SECTORS = Recoding(
    "sector",
    scheme=("agri_food", "wood", "services"),
    mapping={"dairy": "agri_food", "fruit_vegetable": "agri_food", "furniture": "wood",
             "wood_processing": "wood", "other": UNKNOWN},
)  # fmt: skip


def test_old_codes_roll_up_into_the_new_scheme() -> None:
    old = {"dairy": 5, "fruit_vegetable": 3, "furniture": 2, "services": 1, "other": 4, UNKNOWN: 1}
    new = SECTORS.cells(old)
    assert new == {"agri_food": 8, "wood": 2, "services": 1, UNKNOWN: 5}
    assert list(new) == ["agri_food", "wood", "services", UNKNOWN]
    assert sum(new.values()) == sum(old.values())


def test_an_unmapped_code_is_a_clear_error() -> None:
    with pytest.raises(UnmappedCategoryError, match="sector: the code 'beekeeping' has no place"):
        SECTORS.cells({"dairy": 1, "beekeeping": 2})
    with pytest.raises(ValueError, match="not in the new scheme"):
        Recoding("sector", scheme=("a",), mapping={"x": "b"})


def test_a_split_category_maps_its_old_records_where_the_mapping_says() -> None:
    # "training" became "training_in_person" and "training_online"; old records cannot be
    # split after the fact, so the mapping sends them to the one that held them all before.
    kinds = Recoding(
        "kind",
        scheme=("training_in_person", "training_online", "workshop"),
        mapping={"training": "training_in_person"},
    )
    crossed = {("female", "training"): 4, ("female", "training_online"): 1, ("male", "workshop"): 2}
    assert kinds.cells(crossed, position=1) == {
        ("female", "training_in_person"): 4, ("female", "training_online"): 1,
        ("female", "workshop"): 0, ("female", UNKNOWN): 0,
        ("male", "training_in_person"): 0, ("male", "training_online"): 0,
        ("male", "workshop"): 2, ("male", UNKNOWN): 0,
    }  # fmt: skip


def test_recoded_facts_are_counted_in_the_new_scheme() -> None:
    facts = [
        Fact(Source.GRANTS, 1, date(2016, 1, 1), 1, organization=1, amount=Decimal(10),
             attrs={"sector": "dairy"}),
        Fact(Source.GRANTS, 2, date(2016, 1, 2), 1, organization=2, amount=Decimal(5),
             attrs={"sector": "fruit_vegetable"}),
        Fact(Source.GRANTS, 3, date(2016, 1, 3), 1, organization=3, amount=Decimal(1),
             attrs={"sector": "wood_processing"}),
    ]  # fmt: skip
    definition = Definition(
        "agri",
        Source.GRANTS,
        Unit.AMOUNT,
        filters={"sector": frozenset({"agri_food"})},
        disaggregations=("sector",),
    )
    result = compute(definition, [SECTORS.fact(fact) for fact in facts], FY2016)
    assert result.value == Decimal(15)
    assert dict(result.breakdowns["sector"]) == {"agri_food": Decimal(15), UNKNOWN: Decimal(0)}
