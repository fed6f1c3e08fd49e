"""Reading the program's results: indicator values for a window and a viewer's scope."""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db.models.functions import Coalesce

from akt.counting import columnar, engine, uncertainty
from akt.indicators.column_reader import Timings, read_columns
from akt.indicators.fact_reader import definition_for, facts_for
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
    scope: engine.Coverage = engine.FULL_COVERAGE,
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
    scope: engine.Coverage = engine.FULL_COVERAGE,
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
    scope: engine.Coverage = engine.FULL_COVERAGE,
    indicators: list[Indicator] | None = None,
    cross_tabs: tuple[engine.Disaggregation, ...] = TRACKING_CROSS_TABS,
    timings: Timings | None = None,
    also_read: frozenset[engine.Source] = frozenset(),
) -> ResultsTable:
    """Every active indicator (or the given ones) over every window, live from the records.

    The default windows are the tracking table's: life of project, each fiscal year and each
    quarter (:func:`engine.tracking_windows`). Each indicator is split by its own
    disaggregations plus ``cross_tabs`` (where its unit allows them). The records are read
    once, as columns (:mod:`akt.indicators.column_reader`), and computed by the columnar engine,
    which gives the same numbers as :func:`results_compute` window by window.
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


def pending_pairs() -> list[uncertainty.Pair]:
    """Every pair of records under review, as the persons its records resolve to now.

    One query, whatever the queue holds; a pair decided meanwhile is not in it. The persons are
    the canonical ones (``Person.identity``), as the figures count them.
    """
    return list(
        ReviewPair.objects.pending()
        .order_by()
        .values_list(
            Coalesce("person_a__identity_id", "person_a_id"),
            Coalesce("person_b__identity_id", "person_b_id"),
            "probability",
        )
    )


def pending_for(values: Iterable[IndicatorValue]) -> dict[str, uncertainty.FigurePending]:
    """The range of each persons figure among ``values`` while pairs behind it wait, by code.

    A figure has an entry only when at least one pending pair lies between two persons it
    counts, in its own window and scope (see :mod:`akt.counting.uncertainty`), so a focal
    point's figure weighs only pairs among the persons they see counted. One query when a
    persons figure is among ``values``, none otherwise; the figures are not recomputed.
    """
    persons = [item for item in values if item.result.unit is engine.Unit.PERSONS]
    if not persons:
        return {}
    pairs = pending_pairs()
    if not pairs:
        return {}
    ranges = {}
    for item in persons:
        pending = uncertainty.figure_pending(definition_for(item.indicator), item.result, pairs)
        if pending is not None:
            ranges[item.indicator.code] = pending
    return ranges


def pairs_under_review(result: engine.Result) -> int:
    """How many pairs of records under review could change a persons figure (0 for others).

    A pair counts when its two records resolve to two different persons that the figure both
    counts: deciding it "same person" would lower the figure by one. A pair with only one record
    behind the figure cannot change it. One query (none for other units or an empty figure).
    """
    if result.unit is not engine.Unit.PERSONS or not result.value:
        return 0
    persons = [fact.person for fact in result.first_facts]
    return uncertainty.person_standing(persons, pending_pairs()).pairs
