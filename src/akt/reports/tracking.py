"""The indicator tracking table: every indicator against its targets, quarter by quarter.

The layout USAID partners report in (one row per indicator; its baseline; per fiscal year the
actuals of each quarter, the year's target and actual and the percentage achieved; the life of
project target, actual and percentage; whether it is on track) and, per disaggregation, the
same columns for each category. Computed live from the records, within the viewer's scope.

How a column's actual is formed follows the indicator's period rule
(:mod:`akt.indicators.rules`): sum and distinct are counted by the engine over the column's
whole window (so a persons indicator's fiscal year is not the sum of its quarters); latest is
the last quarter that has a value; ratio is recomputed from its numerator's and denominator's
own figures for the window, never averaged.

While pairs of records behind a unique-person figure await review, the figure and each of its
categories carry their range (:mod:`akt.counting.uncertainty`): the count if every pair is one
person, the figure itself (if none is), and the count expected from the pairs' probabilities, as
the indicator page shows them for the same window. They are found from the columnar engine's
data (:func:`akt.counting.columnar.figures_pending`) with one query for the pairs; with no pair
waiting nothing of the table changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from akt.counting import columnar, engine, uncertainty
from akt.counting.composition import MixRule
from akt.counting.periods import Period, PeriodKind, quarter_of
from akt.counting.suppression import suppress_lines
from akt.counting.targets import on_track, percent_of_target
from akt.indicators.models import Indicator, ReferenceSheet, Target
from akt.indicators.rules import PeriodRule, parent_value
from akt.indicators.selectors import results_table_compute
from akt.linkage.selectors import pending_pairs
from akt.places.models import Community, Municipality
from akt.reports.presentation import Presentation, presenter
from akt.reports.small_numbers import PEOPLE_UNITS

Number = int | Decimal


@dataclass(frozen=True)
class Column:
    """One period column: a quarter, a fiscal year or the life of project."""

    period: Period
    window: engine.Window

    @property
    def key(self) -> str:
        return self.period.key

    @property
    def kind(self) -> PeriodKind:
        return self.period.kind


@dataclass
class Cell:
    """One indicator's figure for one column, against its target."""

    actual: Number | None
    target: Decimal | None = None
    percent: Decimal | None = None
    on_track: bool | None = None
    range: uncertainty.Range | None = None
    """A unique-person figure's range while pairs of records behind it await review; None when
    no pending pair can change it."""
    suppressed: bool = False
    """A small count hidden from a reader who does not see persons (``actual`` is None)."""


@dataclass
class Row:
    indicator: Indicator
    baseline: Decimal | None
    baseline_date: date | None
    rule: PeriodRule
    cells: dict[str, Cell]
    tally_headcount: int = 0
    """Headcounts on tallies beside a persons figure over the life of project (not in it)."""


@dataclass
class SplitRow:
    """One category of one indicator's disaggregation."""

    indicator: Indicator
    dimension: str | tuple[str, ...]
    cell: str | tuple[str, ...]
    cells: dict[str, Cell]


@dataclass(frozen=True)
class MixCell:
    """The program's purpose in one column: of the activities that could be judged (enough of
    their attendance declared a community), how many brought two communities together."""

    activities: int
    judged: int
    mixed: int

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.mixed) * 100 / Decimal(self.judged) if self.judged else None


@dataclass
class TrackingTable:
    columns: list[Column]
    rows: list[Row]
    splits: dict[str | tuple[str, ...], list[SplitRow]] = field(default_factory=dict)
    today: date | None = None
    mixed: dict[str, MixCell] = field(default_factory=dict)
    """Per column, the mixed activities under the default rule
    (:func:`akt.counting.composition.mixed_activities`)."""
    ranges: bool = False
    """Whether a figure carries its range (pairs of records behind it await review)."""
    sampled: bool = False
    """Whether an expected count among the ranges was estimated by sampling."""


def mixed_by_column(
    columns: Sequence[Column],
    read: Mapping[engine.Source, columnar.SourceColumns],
    scope: engine.Coverage,
) -> dict[str, MixCell]:
    """Every activity's verdict (mixed, not mixed, undetermined) once, from the columns the
    figures were computed from, counted into each column by the activity's date, within the
    viewer's municipalities."""
    verdicts = columnar.mixed_verdicts(
        read[engine.Source.ACTIVITIES],
        read[engine.Source.ATTENDANCE],
        MixRule(),
        frozenset(Community.objects.filter(is_declared=False).values_list("code", flat=True)),
    )
    inside_scope = np.ones(len(verdicts.activity), dtype=bool)
    if scope.municipalities is not None:
        inside_scope = np.isin(verdicts.municipality, list(scope.municipalities))
    epoch = date(1970, 1, 1)
    found = {}
    for column in columns:
        start, end = (column.window.start - epoch).days, (column.window.end - epoch).days
        inside = inside_scope & (verdicts.day >= start) & (verdicts.day <= end)
        kept = verdicts.verdict[inside]
        found[column.key] = MixCell(
            activities=int(inside.sum()),
            judged=int((kept != columnar.UNDETERMINED).sum()),
            mixed=int((kept == columnar.MIXED).sum()),
        )
    return found


def tracking_columns(lop: engine.Window) -> list[Column]:
    """Each fiscal year's quarters, then the year; the life of project last."""
    columns: list[Column] = []
    for year in engine.fiscal_years(lop):
        fiscal_year = engine.fiscal_year_of(year.end)
        for quarter in engine.fiscal_quarters(year):
            period = quarter_of(quarter.start)
            columns.append(Column(period, period.window(lop)))
        year_period = Period.fiscal_year(fiscal_year)
        columns.append(Column(year_period, year_period.window(lop)))
    whole = Period.life_of_project()
    columns.append(Column(whole, lop))
    return columns


def results_by_window(
    indicators: Sequence[Indicator],
    windows: Mapping[str, engine.Window],
    scope: engine.Coverage,
) -> tuple[
    dict[str, dict[str, columnar.Figures]],
    Mapping[engine.Source, columnar.SourceColumns],
    columnar.Table,
]:
    """``{window key: {indicator code: figures}}``: every indicator over every window, each
    split by its own disaggregations and the tracking table's cross-tabulations; the columns
    they were computed from (activities and attendance always among them), read once
    (:func:`akt.indicators.selectors.results_table_compute`); and the columnar table itself."""
    computed = results_table_compute(
        windows=list(dict.fromkeys(windows.values())),
        scope=scope,
        indicators=list(indicators),
        also_read=frozenset({engine.Source.ACTIVITIES, engine.Source.ATTENDANCE}),
    )
    figures = {
        key: {indicator.code: computed.figures(indicator, window) for indicator in indicators}
        for key, window in windows.items()
    }
    return figures, computed.columns, computed.table


def pending_by_column(
    indicators: Sequence[Indicator], columns: Sequence[Column], table: columnar.Table
) -> dict[str, dict[str, uncertainty.FigurePending]]:
    """``{indicator code: {column key: its range}}`` for the unique-person figures that a
    pending review pair can change, within the table's scope. One query for the pairs when a
    persons indicator is among ``indicators`` (so a page reads as many queries whether or not
    pairs wait), none otherwise."""
    persons = [item for item in indicators if item.unit == engine.Unit.PERSONS.value]
    if not persons:
        return {}
    pairs = columnar.PendingPairs.of(pending_pairs())
    if not len(pairs):
        return {}
    found = {}
    for indicator in persons:
        by_window = columnar.figures_pending(table, indicator.code, pairs)
        if by_window:
            found[indicator.code] = {
                column.key: by_window[column.window]
                for column in columns
                if column.window in by_window
            }
    return found


def stored_targets(indicators: Iterable[Indicator]) -> dict[tuple[int, str, str, str], Decimal]:
    """``(indicator id, period key, dimension, cell) -> target value``, the cell as the engine
    names it: a municipality's target is set by its code, the engine splits by its id."""
    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    found = {}
    for target in Target.objects.filter(indicator__in=list(indicators)):
        period = target.period
        cell = target.cell
        if target.dimension == "municipality" and cell in municipalities:
            cell = str(municipalities[cell])
        found[(target.indicator_id, period.key, target.dimension, cell)] = target.value
    return found


def _ratio(numerator: Number | None, denominator: Number | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def tracking_table(
    *,
    lop: engine.Window,
    scope: engine.Coverage = engine.FULL_COVERAGE,
    today: date,
    indicators: Sequence[Indicator] | None = None,
    with_targets: bool = True,
    presentation: Presentation | None = None,
    small_cells: int | None = None,
) -> TrackingTable:
    """The table for ``indicators`` (default: every active one) as ``scope`` sees the records.

    ``with_targets=False`` leaves targets, percentages and flags out: program-wide targets say
    nothing about one municipality's share of the records. ``presentation`` reads the splits in
    other schemes or with small categories together (chosen on the life-of-project column, so
    every column has the same categories). ``small_cells`` (a reader who does not see persons,
    :func:`akt.reports.small_numbers.small_cell_threshold`) hides the small counts of people in
    the splits (:func:`hide_small_counts`).
    """
    chosen = list(indicators if indicators is not None else Indicator.objects.active())
    chosen_ids = {item.pk for item in chosen}
    parts = [
        item
        for indicator in chosen
        for item in (indicator.numerator, indicator.denominator)
        if item is not None and item.pk not in chosen_ids
    ]
    computed = list({item.code: item for item in [*chosen, *parts]}.values())
    columns = tracking_columns(lop)
    results, read, figures_table = results_by_window(
        computed, {c.key: c.window for c in columns}, scope
    )
    pending = pending_by_column(chosen, columns, figures_table)
    targets = stored_targets(chosen) if with_targets else {}
    sheets = {sheet.indicator_id: sheet for sheet in ReferenceSheet.objects.filter(
        indicator__in=chosen)}  # fmt: skip

    rows: list[Row] = []
    splits: defaultdict[str | tuple[str, ...], list[SplitRow]] = defaultdict(list)
    for indicator in chosen:
        rule = PeriodRule(indicator.aggregation_rule)
        actuals = period_actuals(indicator, rule, columns, results)
        waiting = pending.get(indicator.code, {})
        ranges = _ranges(
            rule,
            columns,
            {column.key: results[column.key][indicator.code].value for column in columns},
            {key: item.total for key, item in waiting.items()},
        )
        cells = {
            column.key: compared_cell(
                actuals[column.key],
                targets.get((indicator.pk, column.key, "", "")),
                column,
                rule,
                today,
                ranges.get(column.key),
            )
            for column in columns
        }
        sheet = sheets.get(indicator.pk)
        rows.append(
            Row(
                indicator=indicator,
                baseline=sheet.baseline_value if sheet else None,
                baseline_date=sheet.baseline_date if sheet else None,
                rule=rule,
                cells=cells,
                tally_headcount=results[columns[-1].key][indicator.code].tally_headcount,
            )
        )
        if rule == PeriodRule.RATIO:
            continue  # a percentage has no additive categories
        present = presenter(
            presentation or Presentation(), results[columns[-1].key][indicator.code].breakdowns
        )
        shown = {
            column.key: present(results[column.key][indicator.code].breakdowns)
            for column in columns
        }
        # The ranges of the categories, read in the same scheme (each of the three counts is
        # a sum over persons, so a scheme or "other" adds them up as it adds the cells).
        lowest = {key: present(item.if_all_linked) for key, item in waiting.items()}
        expected = {key: present(item.expected) for key, item in waiting.items()}
        counts_people = small_cells is not None and indicator.unit in PEOPLE_UNITS
        for dimension, categories in shown[columns[-1].key].items():
            start = len(splits[dimension])
            for category in categories:
                split_actuals = _split_actuals(rule, columns, shown, dimension, category)
                split_ranges = _ranges(
                    rule,
                    columns,
                    {
                        column.key: shown[column.key].get(dimension, {}).get(category)
                        for column in columns
                    },
                    {
                        key: _category_range(
                            shown[key], lowest[key], expected[key], dimension, category, item
                        )
                        for key, item in waiting.items()
                    },
                )
                splits[dimension].append(
                    SplitRow(
                        indicator=indicator,
                        dimension=dimension,
                        cell=category,
                        cells={
                            column.key: compared_cell(
                                split_actuals[column.key],
                                targets.get(
                                    (indicator.pk, column.key, _name(dimension), _name(category))
                                ),
                                column,
                                rule,
                                today,
                                split_ranges.get(column.key),
                            )
                            for column in columns
                        },
                    )
                )
            if counts_people and small_cells is not None:
                hide_small_counts(splits[dimension][start:], columns, rule, actuals, small_cells)
    return TrackingTable(
        columns=columns,
        rows=rows,
        splits=dict(splits),
        today=today,
        mixed=mixed_by_column(columns, read, scope),
        ranges=any(cell.range is not None for row in rows for cell in row.cells.values()),
        sampled=any(
            not item.total.exact for by_column in pending.values() for item in by_column.values()
        ),
    )


def _category_range(
    cells: Mapping[Any, Mapping[Any, Number]],
    lowest: Mapping[Any, Mapping[Any, int]],
    expected: Mapping[Any, Mapping[Any, float]],
    dimension: str | tuple[str, ...],
    category: str | tuple[str, ...],
    pending: uncertainty.FigurePending,
) -> uncertainty.Range | None:
    """One category's range in one column; None when no pending pair can change it."""
    value = cells.get(dimension, {}).get(category)
    low = lowest.get(dimension, {}).get(category)
    if value is None or low is None or low >= value:
        return None
    return uncertainty.Range(
        int(value), int(low), expected[dimension][category], pending.total.exact
    )


def _ranges(
    rule: PeriodRule,
    columns: Sequence[Column],
    values: Mapping[str, Number | None],
    ranges: Mapping[str, uncertainty.Range | None],
) -> dict[str, uncertainty.Range]:
    """Each column's range as its actual is formed from ``values`` (each window's own figure):
    a sum or distinct count has its window's range; a level's year and life of project take
    the range of the quarter their actual comes from (the last with a value, as
    :func:`_latest`); a ratio has none."""
    if rule == PeriodRule.RATIO or not ranges:
        return {}
    if rule != PeriodRule.LATEST:
        return {key: found for key, found in ranges.items() if found is not None}
    quarters = [column for column in columns if column.kind == PeriodKind.QUARTER]
    found = {}
    for column in columns:
        inside = [
            quarter
            for quarter in quarters
            if column.window.start <= quarter.window.start <= column.window.end
        ]
        taken = [quarter.key for quarter in inside if values[quarter.key]]
        if taken and ranges.get(taken[-1]) is not None:
            found[column.key] = ranges[taken[-1]]
    return found


def hide_small_counts(
    rows: Sequence[SplitRow],
    columns: Sequence[Column],
    rule: PeriodRule,
    totals: Mapping[str, Number | None],
    threshold: int,
) -> None:
    """Hide, in one indicator's split, the counts below ``threshold`` and enough others that
    none can be worked out: each column's categories add up to the indicator's figure, shown;
    under the sum rule each category's quarters also add up to its year and its years to the
    life of the project (:func:`akt.counting.suppression.suppress_lines`, by the line rule: the
    page holds hundreds of these). A hidden cell keeps its target, not its percentage."""
    values: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows):
        for column in columns:
            actual = row.cells[column.key].actual
            values[number, column.key] = int(actual) if actual is not None else 0
    for column in columns:
        values[-1, column.key] = int(totals.get(column.key) or 0)
    numbers = range(len(rows))
    lines = [([(n, column.key) for n in numbers], (-1, column.key)) for column in columns]
    sums: set[tuple[int, str]] = set()
    if rule == PeriodRule.SUM:
        years = {c.period.year: c.key for c in columns if c.kind == PeriodKind.FISCAL_YEAR}
        quarters: dict[int, list[str]] = defaultdict(list)
        for column in columns:
            if column.kind == PeriodKind.QUARTER and column.period.year in years:
                quarters[column.period.year].append(column.key)
        lop = [c.key for c in columns if c.kind == PeriodKind.LIFE_OF_PROJECT]
        for n in numbers:
            for year, keys in quarters.items():
                lines.append(([(n, key) for key in keys], (n, years[year])))
                sums.add((n, years[year]))
            if lop and years:
                lines.append(([(n, key) for key in years.values()], (n, lop[0])))
                sums.add((n, lop[0]))
    fixed = {(-1, column.key) for column in columns}
    found = suppress_lines(values, lines, threshold, fixed=fixed, totals=sums, verify=False)
    for n, key in found.suppressed:
        if n >= 0:
            kept = rows[n].cells[key]
            rows[n].cells[key] = Cell(actual=None, target=kept.target, suppressed=True)


def _name(value: str | tuple[str, ...]) -> str:
    return value if isinstance(value, str) else "×".join(value)


def period_actuals(
    indicator: Indicator,
    rule: PeriodRule,
    columns: Sequence[Column],
    results: Mapping[str, Mapping[str, columnar.Figures]],
) -> dict[str, Number | None]:
    """The actual each column compares with its target under the indicator's period rule: the
    figure itself, a level's latest quarter, or a ratio recomputed from its parts."""
    if rule == PeriodRule.RATIO:
        return {
            column.key: _ratio(
                results[column.key][indicator.numerator.code].value,
                results[column.key][indicator.denominator.code].value,
            )
            for column in columns
        }
    values = {column.key: results[column.key][indicator.code].value for column in columns}
    if rule == PeriodRule.LATEST:
        return _latest(columns, values)
    return values


def _split_actuals(
    rule: PeriodRule,
    columns: Sequence[Column],
    shown: Mapping[str, Mapping[Any, Mapping[Any, Number]]],
    dimension: str | tuple[str, ...],
    category: str | tuple[str, ...],
) -> dict[str, Number | None]:
    values = {column.key: shown[column.key].get(dimension, {}).get(category) for column in columns}
    if rule == PeriodRule.LATEST:
        return _latest(columns, values)
    return values


def _latest(
    columns: Sequence[Column], values: Mapping[str, Number | None]
) -> dict[str, Number | None]:
    """A level's year and life-of-project columns: the last quarter inside them with a value."""
    quarters = [column for column in columns if column.kind == PeriodKind.QUARTER]
    found: dict[str, Number | None] = {}
    for column in columns:
        if column.kind == PeriodKind.QUARTER:
            found[column.key] = values[column.key] or None
            continue
        inside = [
            values[quarter.key] or None
            for quarter in quarters
            if column.window.start <= quarter.window.start <= column.window.end
        ]
        found[column.key] = parent_value(PeriodRule.LATEST, inside)
    return found


def compared_cell(
    actual: Number | None,
    target: Decimal | None,
    column: Column,
    rule: PeriodRule,
    today: date,
    pending: uncertainty.Range | None = None,
) -> Cell:
    """An actual against its target in one column: the percentage, and whether it is on track
    as of ``today`` (a level or a ratio against the whole target, others pro-rated)."""
    if today < column.window.start:
        actual = None  # a period still to come has no actual yet, not a zero
    prorate = rule not in (PeriodRule.LATEST, PeriodRule.RATIO)
    return Cell(
        actual=actual,
        target=target,
        percent=percent_of_target(actual, target),
        on_track=on_track(actual, target, column.window, today, prorate=prorate),
        range=pending if actual is not None and pending is not None else None,
    )
