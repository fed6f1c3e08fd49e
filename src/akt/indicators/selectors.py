"""Reading the program's results: indicator values for a window and a viewer's scope."""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models.functions import Coalesce

from akt.activities.models import Attendance
from akt.indicators import columnar, engine
from akt.indicators.columns import Timings, read_columns
from akt.indicators.facts import definition_for, facts_for
from akt.indicators.models import Indicator
from akt.linkage.models import ReviewPair
from akt.program.models import Program


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator's computed result, with the stored indicator it belongs to."""

    indicator: Indicator
    result: engine.Result


def life_of_project() -> engine.Window:
    program = Program.objects.order_by("start_date").first()
    if program is None:
        raise LookupError("No program is loaded; run `akt load-reference` first.")
    return engine.date_range(program.start_date, program.end_date, label="LOP")


def results_compute(
    *,
    window: engine.Window | None = None,
    scope: engine.Scope = engine.FULL_SCOPE,
    indicators: list[Indicator] | None = None,
) -> list[IndicatorValue]:
    """Every active indicator (or the given ones) computed over ``window`` within ``scope``.

    Reads each source the indicators need once, narrowed to the window and scope in the
    database, and hands the rows to the engine. The default window is the life of the project.
    """
    window = window or life_of_project()
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.active())
    definitions = [definition_for(indicator) for indicator in chosen]
    sources = {definition.source for definition in definitions}
    facts = list(facts_for(sources, window, scope.municipalities))
    results = engine.compute_many(definitions, facts, window, scope)
    return [IndicatorValue(indicator, results[indicator.code]) for indicator in chosen]


def indicator_value(
    indicator: Indicator,
    *,
    window: engine.Window | None = None,
    scope: engine.Scope = engine.FULL_SCOPE,
) -> IndicatorValue:
    return results_compute(window=window, scope=scope, indicators=[indicator])[0]


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
    scope: engine.Scope = engine.FULL_SCOPE,
    indicators: list[Indicator] | None = None,
    cross_tabs: tuple[engine.Disaggregation, ...] = TRACKING_CROSS_TABS,
    timings: Timings | None = None,
    also_read: frozenset[engine.Source] = frozenset(),
) -> ResultsTable:
    """Every active indicator (or the given ones) over every window, live from the records.

    The default windows are the tracking table's: life of project, each fiscal year and each
    quarter (:func:`engine.tracking_windows`). Each indicator is split by its own
    disaggregations plus ``cross_tabs`` (where its unit allows them). The records are read
    once, as columns (:mod:`akt.indicators.columns`), and computed by the columnar engine, which
    gives the same numbers as :func:`results_compute` window by window.
    """
    chosen = list(indicators) if indicators is not None else list(Indicator.objects.active())
    windows = windows if windows is not None else engine.tracking_windows(life_of_project())
    definitions = [definition_for(indicator, cross_tabs) for indicator in chosen]
    began = time.perf_counter()
    sources = {definition.source for definition in definitions} | also_read
    columns = read_columns(sources, timings=timings)
    if timings is not None:
        timings["read"] = time.perf_counter() - began
    began = time.perf_counter()
    table = columnar.compute_table(definitions, columns, windows, scope)
    if timings is not None:
        timings["compute"] = time.perf_counter() - began
    return ResultsTable(chosen, tuple(windows), table, columns)


def pairs_under_review(result: engine.Result) -> int:
    """How many pairs of records under review sit behind a figure: pairs that could change it.

    A pair counts when BOTH its records resolve to persons behind the figure (and to two
    different persons): deciding it "same person" would lower a persons figure by one. A pair
    with only one record behind the figure cannot change it, so it does not count here. Only
    roster-based figures (persons and attendances units) have persons behind them; others are 0.

    Two queries, however large the figure: the roster rows at the figure's activities (kept when
    they are among the figure's records) and the pending pairs, both with canonical person ids.
    """
    if result.unit not in (engine.Unit.PERSONS, engine.Unit.ATTENDANCES) or not result.record_ids:
        return 0
    pending = list(
        ReviewPair.objects.pending()
        .order_by()
        .values_list(
            Coalesce("person_a__identity_id", "person_a_id"),
            Coalesce("person_b__identity_id", "person_b_id"),
        )
    )
    if not pending:
        return 0
    roster = Attendance.objects.filter(activity_id__in=list(result.activity_ids)).order_by()
    persons = {
        person
        for record_id, person in roster.values_list(
            "pk", Coalesce("person__identity_id", "person_id")
        )
        if record_id in result.record_ids
    }
    return sum(1 for a, b in pending if a != b and a in persons and b in persons)
