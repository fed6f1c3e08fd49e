"""Reading the program's results: indicator values for a window and a viewer's scope."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models.functions import Coalesce

from akt.activities.models import Attendance
from akt.indicators import engine
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
