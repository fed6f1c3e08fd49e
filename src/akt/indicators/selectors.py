"""Reading the program's results: indicator values for a window and a viewer's scope."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from akt.counting import columnar, engine, uncertainty
from akt.indicators.column_reader import Timings, read_columns
from akt.indicators.fact_reader import definition_for, facts_for
from akt.indicators.models import Indicator
from akt.linkage.selectors import pending_pairs
from akt.program.models import Program


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's figures over one window, with the stored indicator and the computation
    they come from, which names the records behind them on demand."""

    indicator: Indicator
    figures: columnar.Figures
    table: columnar.Table = field(repr=False, compare=False)

    @property
    def window(self) -> engine.Window:
        return self.figures.window

    def behind(self) -> engine.Result:
        """The figure with the records, tally cells and activities behind it."""
        return self.table.result(self.indicator.code, self.window)

    def cell_behind(
        self, disaggregation: engine.Disaggregation, cell: engine.Cell
    ) -> engine.Result:
        """One breakdown cell with the records that put something in it."""
        return self.table.cell_result(self.indicator.code, self.window, disaggregation, cell)

    def counted(self) -> list[int]:
        """The ids of the persons, organizations or activities a distinct figure counts."""
        ids: list[int] = self.table.counted(self.indicator.code, self.window).tolist()
        return ids


def life_of_project() -> engine.Window:
    program = Program.objects.order_by("start_date").first()
    if program is None:
        raise LookupError("No program is loaded; run `akt load-reference` first.")
    return engine.date_range(program.start_date, program.end_date, label="LOP")


def results_compute(
    *,
    window: engine.Window | None = None,
    scope: engine.Coverage = engine.FULL_COVERAGE,
    indicators: list[Indicator] | None = None,
) -> list[IndicatorValue]:
    """Every active indicator (or the given ones) computed over ``window`` within ``scope``.

    The one path every page, export and command takes to a figure: the records are read as
    columns and computed by the columnar engine (:func:`results_table_compute`, one window, no
    added cross-tabulations). The default window is the life of the project.
    """
    window = window or life_of_project()
    computed = results_table_compute(
        windows=[window], scope=scope, indicators=indicators, cross_tabs=()
    )
    return [
        IndicatorValue(indicator, computed.figures(indicator, window), computed.table)
        for indicator in computed.indicators
    ]


def indicator_value(
    indicator: Indicator,
    *,
    window: engine.Window | None = None,
    scope: engine.Coverage = engine.FULL_COVERAGE,
) -> IndicatorValue:
    return results_compute(window=window, scope=scope, indicators=[indicator])[0]


def reference_results(
    *,
    window: engine.Window | None = None,
    scope: engine.Coverage = engine.FULL_COVERAGE,
    indicators: list[Indicator] | None = None,
) -> dict[str, engine.Result]:
    """The same figures by the reference engine from facts read record by record, by code.

    Not a production path: the specification the tests hold :func:`results_compute` to.
    """
    window = window or life_of_project()
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.active())
    definitions = [definition_for(indicator) for indicator in chosen]
    sources = {definition.source for definition in definitions}
    facts = list(facts_for(sources, window, scope.municipalities))
    return engine.compute_many(definitions, facts, window, scope)


TRACKING_CROSS_TABS: tuple[engine.Disaggregation, ...] = (("sex", "age_band"), ("sex", "community"))
"""Cross-tabulations the tracking table adds to every indicator counted from attendance (not
activity counts): see :func:`definition_for`."""


@dataclass(frozen=True)
class ResultsTable:
    """Every indicator over many windows (the tracking table's numbers), drill-down on demand.

    ``table[indicator.code, window]`` gives the :class:`columnar.Figures`;
    ``table.result(code, window)`` the full :class:`engine.Result`, ids included.
    """

    indicators: list[Indicator]
    windows: tuple[engine.Window, ...]
    table: columnar.Table
    columns: Mapping[engine.Source, columnar.SourceColumns]
    """The records as read, for other computations over the same rows (mixed activities)."""

    def figures(self, indicator: Indicator, window: engine.Window) -> columnar.Figures:
        return self.table[indicator.code, window]


def results_table_compute(
    *,
    windows: list[engine.Window] | None = None,
    scope: engine.Coverage = engine.FULL_COVERAGE,
    indicators: list[Indicator] | None = None,
    cross_tabs: tuple[engine.Disaggregation, ...] = TRACKING_CROSS_TABS,
    timings: Timings | None = None,
    also_read: frozenset[engine.Source] = frozenset(),
    columns: Mapping[engine.Source, columnar.SourceColumns] | None = None,
) -> ResultsTable:
    """Every active indicator (or the given ones) over every window, live from the records.

    The default windows are the tracking table's: life of project, each fiscal year and each
    quarter (:func:`engine.tracking_windows`). Each indicator is split by its own
    disaggregations plus ``cross_tabs`` (where its unit allows them). The records are read
    once, as columns (:mod:`akt.indicators.column_reader`), and computed by the columnar engine,
    which gives the reference engine's numbers (:func:`reference_results`) window by window.
    ``columns`` are records already read (another table's ``columns``, holding every source
    the indicators count): several scopes over one reading, as a report's annex computes.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.active())
    windows = windows if windows is not None else engine.tracking_windows(life_of_project())
    definitions = [definition_for(indicator, cross_tabs) for indicator in chosen]
    began = time.perf_counter()
    sources = {definition.source for definition in definitions} | also_read
    if columns is None or not sources <= set(columns):
        columns = read_columns(sources, timings=timings)
    if timings is not None:
        timings["read"] = time.perf_counter() - began
    began = time.perf_counter()
    table = columnar.compute_table(definitions, columns, windows, scope)
    if timings is not None:
        timings["compute"] = time.perf_counter() - began
    return ResultsTable(chosen, tuple(windows), table, columns)


def pending_for(values: Iterable[IndicatorValue]) -> dict[str, uncertainty.FigurePending]:
    """The range of each persons figure among ``values`` while pairs behind it wait, by code.

    A figure has an entry only when at least one pending pair lies between two persons it
    counts, in its own window and scope (see :mod:`akt.counting.uncertainty`), so a focal
    point's figure weighs only pairs among the persons they see counted. One query when a
    persons figure is among ``values``, none otherwise; the figures are not recomputed.
    """
    persons = [item for item in values if item.figures.unit is engine.Unit.PERSONS]
    if not persons:
        return {}
    pairs = columnar.PendingPairs.of(pending_pairs())
    if not len(pairs):
        return {}
    ranges = {}
    for item in persons:
        found = columnar.figures_pending(item.table, item.indicator.code, pairs)
        if item.window in found:
            ranges[item.indicator.code] = found[item.window]
    return ranges
