"""Small numbers hidden from readers who do not see persons, in the splits and drill-downs of
the results pages.

The rule itself is the counting core's (:mod:`akt.counting.suppression`); this module decides
whom and what it applies to and how a hidden number is written:

- Whom: a viewer whose scope does not see persons (the donor), on a figure that counts people
  (persons or attendances). Officers, staff and focal points see exact numbers; counts of
  activities, organizations, records and amounts are not about a person and are shown.
- What: every cell of a split (community, sex, age, municipality and their cross-tabulations),
  with the cross-tabulation's margins hidden in the one-dimension splits as well, and the count
  behind a figure at each named activity. The headline figure itself (the indicator's value for
  the chosen period and place) stays shown: it is what the program reports to its donor, and it
  names no one's community; its splits do.
- A split shown in another scheme or with small categories together is worked out from the
  records' own categories first, so putting categories together cannot give a hidden one away.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from akt.accounts.scope import Scope
from akt.counting import engine
from akt.counting.suppression import Table, suppress

Breakdowns = Mapping[engine.Disaggregation, Mapping[engine.Cell, int | Decimal]]
Hidden = dict[engine.Disaggregation, frozenset[engine.Cell]]

PEOPLE_UNITS = frozenset({engine.Unit.PERSONS.value, engine.Unit.ATTENDANCES.value})


def small_cell_threshold(viewer: Scope, unit: str) -> int | None:
    """The count below which ``viewer`` is not shown a cell of a figure counting ``unit``; None
    when they see every number."""
    if viewer.may_see_persons or str(unit) not in PEOPLE_UNITS:
        return None
    return int(settings.SMALL_CELL_THRESHOLD)


def suppressed_mark() -> str:
    """What a hidden number is written as."""
    return _("[c]")


def suppressed_note(threshold: int) -> str:
    """The footnote under a table with hidden numbers."""
    return _(
        "[c]: not shown, so that no one can be identified: fewer than %(threshold)s people, or "
        "a number from which such a count could be worked out."
    ) % {"threshold": threshold}


def hidden_cells(
    breakdowns: Breakdowns,
    total: int | Decimal,
    threshold: int,
    *,
    sensitive: Mapping[engine.Disaggregation, Iterable[engine.Cell]] | None = None,
) -> Hidden:
    """For each split of a figure, the cells not shown.

    A one-dimension split is a line with the figure as its total; a cross-tabulation of two is a
    grid with its margins (the two splits) and the figure, and the margins it hides are hidden in
    those splits too; a cross-tabulation of more than two is shown only when no cell is small.
    ``sensitive`` names cells to hide whatever their count.
    """
    sensitive = sensitive or {}
    hidden: dict[engine.Disaggregation, set[engine.Cell]] = {}
    for name, cells in breakdowns.items():
        codes = list(cells)
        values = [int(cells[code]) for code in codes]
        marked = set(sensitive.get(name, ()))
        if isinstance(name, str):
            table = Table.line(values)
            table = _with_sensitive(
                table, {(0, k) for k, code in enumerate(codes) if code in marked}
            )
            found = suppress(table, threshold)
            hidden.setdefault(name, set()).update(
                codes[k] for i, k in found.suppressed if i == 0 and k < len(codes)
            )
        elif len(name) == 2:
            _grid_hidden(name, cells, threshold, marked, hidden)
        elif any(0 < value < threshold for value in values) or marked:
            hidden[name] = set(codes)
    return {name: frozenset(cells) for name, cells in hidden.items()}


def _with_sensitive(table: Table, positions: set[tuple[int, int]]) -> Table:
    if not positions:
        return table
    return Table(
        cells=table.cells,
        row_totals=table.row_totals,
        column_totals=table.column_totals,
        fixed=table.fixed,
        sensitive=frozenset(positions),
    )


def _grid_hidden(
    name: tuple[str, ...],
    cells: Mapping[engine.Cell, int | Decimal],
    threshold: int,
    marked: set[engine.Cell],
    hidden: dict[engine.Disaggregation, set[engine.Cell]],
) -> None:
    rows: list[str] = []
    columns: list[str] = []
    for code in cells:
        first, second = tuple(code)
        if first not in rows:
            rows.append(first)
        if second not in columns:
            columns.append(second)
    grid = [[int(cells.get((r, c), 0)) for c in columns] for r in rows]
    table = _with_sensitive(
        Table.grid(grid),
        {(rows.index(code[0]), columns.index(code[1])) for code in marked},
    )
    found = suppress(table, threshold)
    own = hidden.setdefault(name, set())
    for i, j in found.suppressed:
        if i < len(rows) and j < len(columns):
            if (rows[i], columns[j]) in cells:
                own.add((rows[i], columns[j]))
        elif i < len(rows) and j == len(columns):
            hidden.setdefault(name[0], set()).add(rows[i])
        elif i == len(rows) and j < len(columns):
            hidden.setdefault(name[1], set()).add(columns[j])


def presented_hidden(
    original: Breakdowns,
    presented: Breakdowns,
    present: Callable[[Breakdowns], Mapping[engine.Disaggregation, Mapping[engine.Cell, object]]],
    total: int | Decimal,
    threshold: int,
) -> Hidden:
    """The cells not shown of splits shown in another scheme or with small categories together.

    The records' own categories are suppressed first; a category of the presented split that
    puts a hidden one together with others is hidden as well, unless it holds every hidden one
    (their sum is known from the total anyway); then the presented split is suppressed with
    those, so no combination of the two views gives a hidden count away.
    """
    first = hidden_cells(original, total, threshold)
    sensitive: dict[engine.Disaggregation, set[engine.Cell]] = {}
    for name, cells in original.items():
        gone = first.get(name, frozenset())
        if not gone:
            continue
        holders: dict[engine.Cell, set[engine.Cell]] = {}
        for code in cells:
            probe = {name: {other: (1 if other == code else 0) for other in cells}}
            for new_code, value in present(probe).get(name, {}).items():
                if value:
                    holders.setdefault(new_code, set()).add(code)
        for new_code, parts in holders.items():
            hides = parts & gone
            if hides and not gone <= parts:
                sensitive.setdefault(name, set()).add(new_code)
    return hidden_cells(presented, total, threshold, sensitive=sensitive)


def hidden_behind(counts: Mapping[int, int], threshold: int) -> frozenset[int]:
    """The records (say activities) whose count behind a figure is not shown: the counts as a
    line whose total is taken to be known."""
    keys = sorted(counts)
    found = suppress(Table.line([counts[key] for key in keys], total_fixed=False), threshold)
    return frozenset(keys[k] for i, k in found.suppressed if i == 0 and k < len(keys))
