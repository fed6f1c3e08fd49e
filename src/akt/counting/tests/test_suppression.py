"""Small-cell suppression attacked: from a published table, its margins and the suppression
pattern, a reader solves for each hidden cell the least and greatest value it could have
(integer linear programming, written here apart from the module's own); no small cell may come
out pinned down.

Protection, as the module defines it: every primary cell's interval spans at least
``threshold - 1``, or the whole published total when that is smaller. (A split of a single
category, or a cross-tabulation of one row, is its own published total: not a table to
protect.)
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from akt.counting.suppression import SuppressedTable, Table, suppress, suppress_lines

# Counts as they come in splits of people: many small ones, zeros, and some large.
counts = st.one_of(st.integers(0, 6), st.integers(0, 6), st.integers(0, 60), st.just(0), st.just(1))
thresholds = st.integers(2, 10)


def attack(published: SuppressedTable) -> dict[tuple[int, int], tuple[float, float]]:
    """For each hidden entry, the least and greatest value consistent with what a reader sees.

    Unknowns: every entry of the grid with its margins; a shown entry is pinned to its shown
    value; a hidden one is an integer at least the table's published lower bound; a margin
    the table does not publish is an unknown with no bound but 0.
    """
    table = published.table
    rows, columns = table.rows, table.columns
    names: list[tuple[int, int]] = [(i, j) for i in range(rows + 1) for j in range(columns + 1)]
    index = {name: k for k, name in enumerate(names)}
    rules: list[np.ndarray] = []

    def rule(parts: list[tuple[int, int]], total: tuple[int, int]) -> None:
        row = np.zeros(len(names))
        for part in parts:
            row[index[part]] = 1.0
        row[index[total]] = -1.0
        rules.append(row)

    for i in range(rows + 1):
        rule([(i, j) for j in range(columns)], (i, columns))
    for j in range(columns + 1):
        rule([(i, j) for i in range(rows)], (rows, j))
    bounds: list[tuple[float, float | None]] = []
    for i, j in names:
        position = (i, j)
        published_here = position in table.entries and not published.is_suppressed(position)
        if published_here:
            value = published.shown(position)
            assert value is not None
            bounds.append((value, value))
        elif published.is_suppressed(position):
            bounds.append((published.lower_bound, None))
        else:
            bounds.append((0, None))
    matrix = np.array(rules)
    zeros = np.zeros(len(rules))
    found = {}
    for position in published.suppressed:
        target = np.zeros(len(names))
        target[index[position]] = 1.0
        options = {
            "A_eq": matrix,
            "b_eq": zeros,
            "bounds": bounds,
            "integrality": np.ones(len(names)),
            "method": "highs",
        }
        low = linprog(target, **options)
        high = linprog(-target, **options)
        assert low.status == 0, "the published table must be consistent"
        found[position] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return found


def assert_protected(published: SuppressedTable) -> None:
    table, threshold = published.table, published.threshold
    grand = sum(sum(row) for row in table.cells)
    intervals = attack(published)
    for position in published.primary:
        low, high = intervals[position]
        value = table.entries[position]
        assert low <= value <= high
        assert high - low >= min(threshold - 1, grand), (
            f"cell {position} = {value} narrowed to [{low}, {high}] in {table.cells}"
        )


def assert_honest(published: SuppressedTable) -> None:
    """What is shown is the truth; every small count is hidden; zeros and fixed totals show."""
    table, threshold = published.table, published.threshold
    for position, value in table.entries.items():
        shown = published.shown(position)
        if shown is not None:
            assert shown == value
        if position in table.fixed:
            assert shown == value
        elif 0 < value < threshold:
            assert position in published.primary
        elif value == 0 and not published.withheld:
            assert shown == 0
    assert not published.primary & published.complementary


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(counts, min_size=2, max_size=10), thresholds)
def test_a_split_with_its_total_gives_no_small_cell_away(values: list[int], threshold: int) -> None:
    published = suppress(Table.line(values), threshold)
    assert_honest(published)
    assert_protected(published)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda rows: st.integers(2, 5).flatmap(
            lambda columns: st.lists(
                st.lists(counts, min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    thresholds,
)
def test_a_cross_tabulation_with_its_margins_gives_no_small_cell_away(
    cells: list[list[int]], threshold: int
) -> None:
    published = suppress(Table.grid(cells), threshold)
    assert_honest(published)
    assert_protected(published)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 200), min_size=1, max_size=10), thresholds)
def test_nothing_is_hidden_when_no_count_is_small(values: list[int], threshold: int) -> None:
    values = [value if value == 0 or value >= threshold else value + threshold for value in values]
    published = suppress(Table.line(values), threshold)
    assert published.suppressed == frozenset()


def test_one_person_at_a_meeting_is_hidden_with_the_next_smallest_community() -> None:
    # Albanian 37, Serb 1, Bosniak 6, Roma 0: the meeting's 44 people.
    published = suppress(Table.line([37, 1, 6, 0]), 5)
    assert published.primary == {(0, 1)}
    assert published.complementary == {(0, 2)}
    assert [published.cell(0, j) for j in range(4)] == [37, None, None, 0]
    assert published.row_total(0) == 44
    assert attack(published)[0, 1] == (1, 6)


def test_two_small_cells_that_would_pin_each_other_take_a_third() -> None:
    # 1 + 1 shown as hidden beside a total of 2 more than the rest: each must be 1.
    published = suppress(Table.line([1, 1, 40, 9]), 5)
    assert published.primary == {(0, 0), (0, 1)}
    assert published.complementary == {(0, 3)}
    assert attack(published)[0, 0] == (1, 9)


def test_small_cells_beside_zeros_withhold_the_whole_split() -> None:
    published = suppress(Table.line([2, 3, 0, 0]), 5)
    assert published.withheld
    assert [published.cell(0, j) for j in range(4)] == [None] * 4
    assert published.row_total(0) == 5
    assert attack(published)[0, 0] == (0, 5)


def test_a_small_total_withholds_its_split_but_stays_shown() -> None:
    published = suppress(Table.line([1, 2, 0]), 5)
    assert published.withheld
    assert published.row_total(0) == 3
    assert all(published.cell(0, j) is None for j in range(3))


def test_a_cross_tabulation_hides_a_rectangle() -> None:
    # women and men by community; one Roma woman.
    cells = [[30, 1, 12], [28, 9, 15]]
    published = suppress(Table.grid(cells), 5)
    assert (0, 1) in published.primary
    assert published.row_total(0) is not None  # women in all: shown
    assert published.column_total(1) is not None  # Roma in all: 10, shown
    hidden = published.suppressed
    # the hidden cells pair up in every row and column they touch
    for i in range(2):
        assert sum((i, j) in hidden for j in range(3)) in (0, 2, 3)
    for j in range(3):
        assert sum((i, j) in hidden for i in range(2)) in (0, 2)
    assert_protected(published)


def test_a_small_margin_is_hidden_and_protected_in_its_own_line() -> None:
    cells = [[1, 20], [2, 30], [0, 25]]  # the first column's total is 3
    published = suppress(Table.grid(cells), 5)
    assert published.column_total(0) is None
    assert_protected(published)
    assert_honest(published)


@pytest.mark.parametrize("threshold", [0, 1])
def test_a_threshold_of_one_or_less_hides_nothing(threshold: int) -> None:
    assert suppress(Table.line([1, 2, 3]), threshold).suppressed == frozenset()


def test_a_table_of_counts_holds_no_negative_number() -> None:
    with pytest.raises(ValueError):
        Table.line([1, -1])


def test_the_attack_recovers_a_cell_hidden_alone() -> None:
    """The attacker has teeth: hiding only the small cell gives it away."""
    table = Table.line([37, 1, 6, 0])
    alone = SuppressedTable(table, 5, primary=frozenset({(0, 1)}), complementary=frozenset())
    assert attack(alone)[0, 1] == (1, 1)
    pair_of_ones = SuppressedTable(
        Table.line([1, 1, 40]), 5, primary=frozenset({(0, 0), (0, 1)}), complementary=frozenset()
    )
    assert attack(pair_of_ones)[0, 0] == (1, 1)


def attack_lines(
    values: dict, lines: list[tuple[list, object]], hidden: frozenset, withheld: frozenset
) -> dict:
    """The attacker on entries linked by several lines: each hidden entry's least and greatest
    value given every shown entry and every line."""
    names = sorted(hidden, key=repr)
    index = {name: k for k, name in enumerate(names)}
    rules, rights = [], []
    for parts, total in lines:
        row = np.zeros(len(names))
        right = 0.0
        for part in parts:
            if part in index:
                row[index[part]] += 1
            else:
                right -= values[part]
        if total in index:
            row[index[total]] -= 1
        else:
            right += values[total]
        if row.any():
            rules.append(row)
            rights.append(right)
    found = {}
    for name in names:
        target = np.zeros(len(names))
        target[index[name]] = 1.0
        options = {
            "A_eq": np.array(rules) if rules else None,
            "b_eq": np.array(rights) if rules else None,
            "bounds": [(0 if name in withheld else 1, None) for name in names],
            "integrality": np.ones(len(names)),
            "method": "highs",
        }
        low, high = linprog(target, **options), linprog(-target, **options)
        assert low.status == 0
        found[name] = (low.fun, -high.fun if high.status == 0 else float("inf"))
    return found


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(2, 4).flatmap(
        lambda rows: st.integers(2, 4).flatmap(
            lambda columns: st.lists(
                st.lists(counts, min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    ),
    thresholds,
)
def test_categories_summed_over_quarters_give_no_small_count_away(
    cells: list[list[int]], threshold: int
) -> None:
    """A split by category per quarter and for the year, as the tracking table shows it: each
    quarter's and the year's figure published; each category's year the sum of its quarters."""
    categories, quarters = range(len(cells)), range(len(cells[0]))
    values: dict = {(c, q): cells[c][q] for c in categories for q in quarters}
    for c in categories:
        values[c, "year"] = sum(cells[c])
    for q in quarters:
        values["all", q] = sum(cells[c][q] for c in categories)
    values["all", "year"] = sum(map(sum, cells))
    lines = [([(c, q) for c in categories], ("all", q)) for q in quarters]
    lines.append(([(c, "year") for c in categories], ("all", "year")))
    lines += [([(c, q) for q in quarters], (c, "year")) for c in categories]
    fixed = {("all", q) for q in quarters} | {("all", "year")}
    found = suppress_lines(values, lines, threshold, fixed=fixed)
    for entry, value in values.items():
        if entry not in fixed and 0 < value < threshold:
            assert entry in found.primary
    assert all(values[entry] > 0 for entry in found.suppressed - found.withheld)
    intervals = attack_lines(values, lines, found.suppressed, found.withheld)
    for entry in found.primary:
        low, high = intervals[entry]
        enough = min(threshold - 1, values["all", entry[1]])
        assert high - low >= enough, f"{entry} = {values[entry]} in [{low}, {high}]: {cells}"
