"""Small numbers: the cells of a published table below a threshold, hidden so that no one can
work them out.

A split by community of the people at one named meeting with one Serb among them names that
person's community. For a reader who does not see persons (the donor, a public page), every
count of people below the threshold (``settings.SMALL_CELL_THRESHOLD``, 5 by default) is
*primary-suppressed*, and enough other entries are *complementary-suppressed* with it that the
hidden ones cannot be worked out from the totals and the cells still shown.

The rules, which the tests check by attacking the published tables with linear programming:

- A table is a grid of counts (a 1-D split is one row) with its margins: each row's total, each
  column's total and the grand total, each published or not (:class:`Table`). Margins are
  entries like the cells and are suppressed the same way; an entry the caller *fixes* (the
  headline figure a table splits, published anyway) is never suppressed.
- Primary: every entry with ``0 < value < threshold``, and whatever the caller marks sensitive.
- Zeros are shown: "no one of that community" names no one. So a suppressed entry is known to be
  at least 1, and a complementary entry is never a zero (that would tell the reader nothing
  while making the others easier to pin down).
- Protection: for each primary entry, the values a reader can prove possible from everything
  published (non-negative integers, suppressed entries at least 1, every published total)
  span at least ``threshold - 1`` (a cell of 1 at threshold 5 could be anything from 1 to 5 or
  beyond). Complements are added, smallest first and cells before totals, on the lines (rows
  and columns) of an entry until it is protected: on a line with a published total exactly, by
  counting (the hidden entries' sum minus one for each); in a 2-D table by solving the linear
  programme a reader would solve.
- When that cannot be reached (a fixed total below the threshold, a line of small cells beside
  zeros), the table is *withheld*: every entry but the fixed ones is hidden, zeros included, so
  a reader knows only that each lies between 0 and the total.

This module is plain Python (numpy and scipy), used by the results pages for roles that do not
see persons and, later, by a public view.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Generic, TypeVar

import numpy as np
from scipy.optimize import linprog

Position = tuple[int, int]
"""An entry of a table with its margins: ``(row, column)``; row ``rows`` holds the columns'
totals, column ``columns`` the rows' totals, and ``(rows, columns)`` is the grand total."""

Entry = TypeVar("Entry", bound=Hashable)

LARGE_TABLE = 2_000
"""Entries beyond which a 2-D table is protected by counting alone, without the linear
programme (a page must not wait on it); the counting rule still leaves no line with a single
hidden entry."""


@dataclass(frozen=True)
class Table:
    """Counts in rows and columns, with the margins a reader is shown.

    ``fixed``: entries published whatever their value (a headline figure), never suppressed.
    ``sensitive``: entries to hide whatever their value (a merged category holding a hidden one).
    """

    cells: tuple[tuple[int, ...], ...]
    row_totals: bool = True
    column_totals: bool = False
    fixed: frozenset[Position] = frozenset()
    sensitive: frozenset[Position] = frozenset()

    def __post_init__(self) -> None:
        widths = {len(row) for row in self.cells}
        if len(widths) > 1:
            raise ValueError("every row of a table has the same number of cells")
        if any(value < 0 for row in self.cells for value in row):
            raise ValueError("a table of counts holds no negative number")

    @classmethod
    def line(cls, values: Iterable[int], *, total_fixed: bool = True) -> Table:
        """A 1-D split with its total (the row's total, fixed unless told otherwise)."""
        cells = (tuple(int(value) for value in values),)
        fixed = frozenset({(0, len(cells[0]))}) if total_fixed else frozenset()
        return cls(cells=cells, row_totals=True, column_totals=False, fixed=fixed)

    @classmethod
    def grid(cls, cells: Iterable[Iterable[int]], *, grand_fixed: bool = True) -> Table:
        """A 2-D table with both margins and the grand total (fixed unless told otherwise)."""
        rows = tuple(tuple(int(value) for value in row) for row in cells)
        grand = (len(rows), len(rows[0]) if rows else 0)
        return cls(
            cells=rows,
            row_totals=True,
            column_totals=True,
            fixed=frozenset({grand}) if grand_fixed else frozenset(),
        )

    @property
    def rows(self) -> int:
        return len(self.cells)

    @property
    def columns(self) -> int:
        return len(self.cells[0]) if self.cells else 0

    @cached_property
    def entries(self) -> dict[Position, int]:
        """Every published-or-suppressible entry and its value: the cells, then the margins."""
        rows, columns = self.rows, self.columns
        values: dict[Position, int] = {
            (i, j): self.cells[i][j] for i in range(rows) for j in range(columns)
        }
        if self.row_totals:
            for i in range(rows):
                values[i, columns] = sum(self.cells[i])
        if self.column_totals:
            for j in range(columns):
                values[rows, j] = sum(self.cells[i][j] for i in range(rows))
        if self.row_totals and self.column_totals:
            values[rows, columns] = sum(sum(row) for row in self.cells)
        return values

    @cached_property
    def lines(self) -> tuple[tuple[tuple[Position, ...], Position], ...]:
        """Each additive rule a reader knows: (the parts, their total)."""
        rows, columns = self.rows, self.columns
        found: list[tuple[tuple[Position, ...], Position]] = []
        if self.row_totals:
            for i in range(rows):
                found.append((tuple((i, j) for j in range(columns)), (i, columns)))
        if self.column_totals:
            for j in range(columns):
                found.append((tuple((i, j) for i in range(rows)), (rows, j)))
        if self.row_totals and self.column_totals:
            found.append((tuple((i, columns) for i in range(rows)), (rows, columns)))
            found.append((tuple((rows, j) for j in range(columns)), (rows, columns)))
        return tuple(found)

    def is_margin(self, position: Position) -> bool:
        return position[0] == self.rows or position[1] == self.columns


@dataclass(frozen=True)
class SuppressedTable:
    """A table as a reader who does not see persons is shown it."""

    table: Table
    threshold: int
    primary: frozenset[Position]
    complementary: frozenset[Position]
    withheld: bool = False
    """Every entry but the fixed ones hidden, zeros included: small numbers could not be
    protected otherwise."""
    lower_bound: int = field(init=False)
    """What a reader may assume of a hidden entry: at least 1, or 0 in a withheld table."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lower_bound", 0 if self.withheld else 1)

    @property
    def suppressed(self) -> frozenset[Position]:
        return self.primary | self.complementary

    def is_suppressed(self, position: Position) -> bool:
        return position in self.primary or position in self.complementary

    def shown(self, position: Position) -> int | None:
        """The entry as published: its value, or ``None`` when hidden."""
        if self.is_suppressed(position):
            return None
        return self.table.entries[position]

    def cell(self, row: int, column: int) -> int | None:
        return self.shown((row, column))

    def row_total(self, row: int) -> int | None:
        return self.shown((row, self.table.columns))

    def column_total(self, column: int) -> int | None:
        return self.shown((self.table.rows, column))


def suppress(table: Table, threshold: int) -> SuppressedTable:
    """``table`` with every small entry and enough others hidden (see the module's rules)."""
    entries = table.entries
    if threshold <= 1:
        return SuppressedTable(table, threshold, frozenset(), frozenset())
    primary = {
        position
        for position, value in entries.items()
        if position not in table.fixed
        and 0 < value
        and (value < threshold or position in table.sensitive)
    }
    if not primary:
        return SuppressedTable(table, threshold, frozenset(), frozenset())
    if any(0 < entries[position] < threshold for position in table.fixed):
        return _withheld(table, threshold, primary)
    hidden = set(primary)
    if not _complete_by_lines(table, threshold, hidden):
        return _withheld(table, threshold, primary)
    if table.row_totals and table.column_totals and len(entries) <= LARGE_TABLE:
        if not _complete_by_programme(table, threshold, primary, hidden):
            return _withheld(table, threshold, primary)
    return SuppressedTable(table, threshold, frozenset(primary), frozenset(hidden - primary))


def _withheld(table: Table, threshold: int, primary: set[Position]) -> SuppressedTable:
    others = {position for position in table.entries if position not in table.fixed}
    return SuppressedTable(
        table, threshold, frozenset(primary), frozenset(others - primary), withheld=True
    )


def _candidates(
    table: Table, positions: Iterable[Position], hidden: set[Position]
) -> list[Position]:
    """Entries that may be hidden as complements, best first: cells before totals, smallest
    first, never a zero or a fixed entry."""
    entries = table.entries
    found = {
        position
        for position in positions
        if position not in hidden and position not in table.fixed and entries[position] > 0
    }
    return sorted(found, key=lambda p: (table.is_margin(p), entries[p], p))


def _line_protected(
    table: Table, threshold: int, line: Sequence[Position], hidden: set[Position]
) -> bool:
    """Whether a line's hidden entries are safe from the line alone: none, or at least two and,
    when the total is published, enough room that each could be ``threshold - 1`` apart."""
    parts, total = line[:-1], line[-1]
    gone = [position for position in (*parts, total) if position in hidden]
    if not gone:
        return True
    if len(gone) < 2:
        return False
    if total in hidden:
        return True
    room = sum(table.entries[position] for position in gone) - len(gone)
    return room >= threshold - 1


def _complete_by_lines(table: Table, threshold: int, hidden: set[Position]) -> bool:
    """Add complements until every line is safe on its own; False when one cannot be."""
    changed = True
    while changed:
        changed = False
        for parts, total in table.lines:
            line = (*parts, total)
            while not _line_protected(table, threshold, line, hidden):
                options = _candidates(table, line, hidden)
                if not options:
                    return False
                hidden.add(options[0])
                changed = True
    return True


def _complete_by_programme(
    table: Table, threshold: int, primary: set[Position], hidden: set[Position]
) -> bool:
    """Add complements until the linear programme cannot narrow any primary entry below the
    protection; False when it cannot be reached."""
    while True:
        weak = next(
            (
                position
                for position in sorted(primary)
                if _width(feasible_interval(table, hidden, position, lower_bound=1)) < threshold - 1
            ),
            None,
        )
        if weak is None:
            return True
        near = [
            p for parts, total in table.lines if weak in (*parts, total) for p in (*parts, total)
        ]
        options = _candidates(table, near, hidden) or _candidates(table, table.entries, hidden)
        if not options:
            return False
        hidden.add(options[0])
        if not _complete_by_lines(table, threshold, hidden):
            return False


def _width(interval: tuple[float, float]) -> float:
    return interval[1] - interval[0]


def feasible_interval(
    table: Table, hidden: Iterable[Position], position: Position, *, lower_bound: int
) -> tuple[float, float]:
    """The least and greatest value of the hidden entry ``position`` consistent with what is
    published: the entries shown, every line's rule, and each hidden entry at least
    ``lower_bound`` (integers; ``inf`` when nothing bounds it above)."""
    return lines_interval(table.entries, table.lines, hidden, position, lower_bound=lower_bound)


@dataclass(frozen=True)
class LinesSuppressed(Generic[Entry]):
    """Entries linked by several additive lines, as a reader who does not see persons is shown
    them (:func:`suppress_lines`)."""

    primary: frozenset[Entry]
    complementary: frozenset[Entry]
    withheld: frozenset[Entry] = frozenset()
    """Every entry but the fixed ones, zeros included, when some line could not be protected
    otherwise: a reader may then assume only that each is at least 0 (else at least 1)."""

    @property
    def suppressed(self) -> frozenset[Entry]:
        return self.primary | self.complementary


def suppress_lines(
    values: Mapping[Entry, int],
    lines: Iterable[tuple[Sequence[Entry], Entry]],
    threshold: int,
    *,
    fixed: Iterable[Entry] = (),
    totals: Iterable[Entry] = (),
    sensitive: Iterable[Entry] = (),
    verify: bool = True,
) -> LinesSuppressed[Entry]:
    """Small entries hidden where one entry lies on several lines, each ``(parts, total)``
    meaning the parts add up to the total: a split by category that is also summed from
    quarters to years to the life of the project, say.

    The same rules as :func:`suppress`, line by line until every line is safe on its own
    (``totals`` are taken as complements only after the other entries); when a line cannot be
    made safe (a fixed total below the threshold, small entries beside zeros), every entry but
    the fixed ones is hidden, zeros included: withheld. Then, with ``verify``, the linear
    programme a reader would solve is solved for each primary entry and complements added
    until none is narrowed below the protection; without it (a page of many such structures
    that cannot wait some ten milliseconds a programme), the line rule alone decides, which
    leaves no line with a single hidden entry but may, rarely, let lines together narrow one.
    """
    pinned = frozenset(fixed)
    margins = frozenset(totals)
    marked = frozenset(sensitive)
    chosen = [(tuple(parts), total) for parts, total in lines]
    primary = {
        entry
        for entry, value in values.items()
        if entry not in pinned and 0 < value and (value < threshold or entry in marked)
    }
    hidden = set(primary)
    if threshold <= 1 or not hidden:
        return LinesSuppressed(frozenset(), frozenset())
    if any(0 < values[entry] < threshold for entry in pinned if entry in values):
        everything = frozenset(entry for entry in values if entry not in pinned)
        return LinesSuppressed(frozenset(primary), everything - primary, everything)
    protected: set[Entry] = set()  # hiding more never narrows what a reader can prove
    changed = True
    while changed:
        changed = False
        for parts, total in chosen:
            line = (*parts, total)
            before = len(hidden)
            while not _entries_safe(values, threshold, line, hidden):
                options = sorted(
                    (
                        entry
                        for entry in line
                        if entry not in hidden and entry not in pinned and values[entry] > 0
                    ),
                    key=lambda entry: (entry in margins, values[entry], repr(entry)),
                )
                if not options:
                    # A reader may take any hidden entry on a line with this one to be at least
                    # 1; only hiding everything, zeros included, leaves no line to work from.
                    everything = frozenset(entry for entry in values if entry not in pinned)
                    return LinesSuppressed(frozenset(primary), everything - primary, everything)
                hidden.add(options[0])
            changed = changed or len(hidden) != before
        if not changed and verify and len(values) <= LARGE_TABLE:
            weak = _weakest(values, chosen, hidden, primary - protected, threshold, protected)
            if weak is not None:
                near = {entry for parts, total in chosen if weak in (*parts, total)
                        for entry in (*parts, total)}  # fmt: skip
                options = sorted(
                    (
                        entry
                        for entry in (near or values)
                        if entry not in hidden and entry not in pinned and values[entry] > 0
                    ),
                    key=lambda entry: (entry in margins, values[entry], repr(entry)),
                )
                if not options:
                    everything = frozenset(entry for entry in values if entry not in pinned)
                    return LinesSuppressed(frozenset(primary), everything - primary, everything)
                hidden.add(options[0])
                changed = True
    return LinesSuppressed(frozenset(primary), frozenset(hidden - primary))


def _weakest(
    values: Mapping[Entry, int],
    lines: Sequence[tuple[tuple[Entry, ...], Entry]],
    hidden: set[Entry],
    primary: set[Entry],
    threshold: int,
    protected: set[Entry],
) -> Entry | None:
    """The first primary entry the linear programme narrows below the protection, if any;
    those found protected are added to ``protected``."""
    for entry in sorted(primary, key=repr):
        low, high = lines_interval(values, lines, hidden, entry, lower_bound=1)
        if high - low < threshold - 1:
            return entry
        protected.add(entry)
    return None


def lines_interval(
    values: Mapping[Entry, int],
    lines: Iterable[tuple[Sequence[Entry], Entry]],
    hidden: Iterable[Entry],
    entry: Entry,
    *,
    lower_bound: int,
) -> tuple[float, float]:
    """The least and greatest value of the hidden ``entry`` consistent with the shown entries
    and every line (hidden entries integers at least ``lower_bound``)."""
    names = sorted(set(hidden), key=repr)
    index = {name: k for k, name in enumerate(names)}
    rules: list[np.ndarray] = []
    rights: list[float] = []
    for parts, total in lines:
        row = np.zeros(len(names))
        right = 0.0
        for part in parts:
            if part in index:
                row[index[part]] += 1.0
            else:
                right -= values[part]
        if total in index:
            row[index[total]] -= 1.0
        else:
            right += values[total]
        if row.any():
            rules.append(row)
            rights.append(right)
    return _extremes(names.index(entry), len(names), rules, rights, lower_bound)


def _extremes(
    at: int, size: int, rules: list[np.ndarray], rights: list[float], lower_bound: int
) -> tuple[float, float]:
    """The least and greatest value of unknown ``at`` under ``rules`` (integers at least
    ``lower_bound``); ``inf`` when nothing bounds it above."""
    target = np.zeros(size)
    target[at] = 1.0
    options = {
        "A_eq": np.array(rules) if rules else None,
        "b_eq": np.array(rights) if rules else None,
        "bounds": [(lower_bound, None)] * size,
        "integrality": np.ones(size),
        "method": "highs",
    }
    low = linprog(target, **options)
    high = linprog(-target, **options)
    least = float(low.fun) if low.status == 0 else float(lower_bound)
    greatest = float(-high.fun) if high.status == 0 else float("inf")
    return least, greatest


def _entries_safe(
    values: Mapping[Entry, int], threshold: int, line: Sequence[Entry], hidden: set[Entry]
) -> bool:
    """A line's hidden entries are safe from the line alone (see :func:`_line_protected`)."""
    total = line[-1]
    gone = [entry for entry in line if entry in hidden]
    if not gone:
        return True
    if len(gone) < 2:
        return False
    if total in hidden:
        return True
    return sum(values[entry] for entry in gone) - len(gone) >= threshold - 1
