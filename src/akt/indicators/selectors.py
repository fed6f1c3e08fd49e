"""Reading the program's results: indicator values for a window and a viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from akt.indicators import engine
from akt.indicators.facts import definition_for, facts_for
from akt.indicators.models import Indicator
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
