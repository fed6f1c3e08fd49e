"""Reads behind the results pages: the dashboard's figures and an indicator's drill-down.

The numbers come from ``akt.indicators.selectors`` (the engine, within the viewer's engine scope);
this module only puts them into the reader's words: sentences, labelled breakdown cells, and the
records behind a figure, each list filtered again through the viewer's ``Scope`` so that what a
page lists never depends on the engine having narrowed the ids correctly. Every read here is a
fixed number of queries, however many records there are.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from babel.numbers import format_percent
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from akt.accounts.scope import Scope
from akt.accounts.services import records_version
from akt.activities.models import Activity, ActivityKind, AgeBand, Attendance, Tally
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting import columnar, engine, uncertainty
from akt.counting.composition import Verdict
from akt.counting.periods import TARGET_KINDS, Period, PeriodKind, program_periods
from akt.grants.models import Grant
from akt.indicators.entered import ValueRow, value_rows, visible_values
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.rules import PeriodRule
from akt.indicators.selectors import IndicatorValue, pending_for, results_table_compute
from akt.indicators.sentences import format_expected, format_value, sentence
from akt.indicators.sheets import dimension_titles, disaggregation_label
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Affiliation, OrganizationKind, Sector, Sex
from akt.places.models import Community, Municipality
from akt.program.models import Component
from akt.reports import charts
from akt.reports.models import PeriodStatus, ReportingPeriod
from akt.reports.presentation import Presentation, presented_labels, presenter
from akt.reports.small_numbers import (
    hidden_behind,
    hidden_cells,
    presented_hidden,
    small_cell_threshold,
    suppressed_mark,
    suppressed_note,
)
from akt.reports.tracking import (
    Cell,
    Column,
    MixCell,
    compared_cell,
    mixed_by_column,
    period_actuals,
    stored_targets,
)
from akt.text.locales import babel_locale
from akt.text.script import latin_to_cyrillic
from akt.translation import period_label

if TYPE_CHECKING:
    from akt.reports.forms import ResultsChoice

RECORDS_PER_PAGE = 100


def reading_key(name: str) -> str:
    """Sorts names as a reader looks them up: case and diacritics ignored, so "Štrpce" comes
    with the S names rather than after "Zvečan" as in plain code-point order."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def municipalities_by_id() -> dict[int, Municipality]:
    """Every municipality, read once per page for menus, breakdown labels and record lists.

    The majority community comes along because a municipality's English name depends on it.
    """
    return {m.pk: m for m in Municipality.objects.select_related("majority_community")}


# --- Dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingShown:
    """A persons figure's range while pairs of records behind it await review, as written."""

    pairs: int
    pairs_shown: str
    if_all_linked: str  # the count if every pair is one person
    if_none_linked: str  # the figure itself
    expected: str  # from the pairs' probabilities, to one decimal
    sampled: bool  # the expectation was estimated by sampling (a large tangle of pairs)


def pending_shown(pending: uncertainty.FigurePending | None, language: str) -> PendingShown | None:
    if pending is None:
        return None
    total = pending.total
    return PendingShown(
        pairs=pending.pairs,
        pairs_shown=format_value(pending.pairs, language),
        if_all_linked=format_value(total.if_all_linked, language),
        if_none_linked=format_value(total.if_none_linked, language),
        expected=format_expected(total.expected, language),
        sampled=not total.exact,
    )


@dataclass(frozen=True)
class Figure:
    """One indicator's sentence, cut around its figure so the figure can stand out and link."""

    indicator: Indicator
    figures: columnar.Figures
    before: str
    figure: str
    after: str
    tally_headcount: str  # formatted; "" when no tally sits beside a persons figure
    pending: PendingShown | None = None  # its range while pairs behind it await review
    progress: Progress | None = None  # against its target, and its trend (the dashboard)


@dataclass(frozen=True)
class ResultLine:
    """The figures of one line of the program's "Results to date"."""

    number: int
    figures: list[Figure]


def sentence_parts(
    indicator: Indicator, value: int | Decimal, language: str
) -> tuple[str, str, str]:
    """The indicator's sentence as (text before the figure, the figure, text after it).

    The figure is found in the finished sentence rather than rebuilt from its template, so the
    sentence is exactly the one ``sentence()`` writes. When the figure cannot be found (a
    translation that spells the number differently), the whole sentence is the figure.
    """
    text = sentence(indicator, value, language)
    source_language = "sr-latn" if language == "sr" else language
    figure = format_value(value, source_language, indicator.currency)
    if language == "sr":
        figure = latin_to_cyrillic(figure)
    before, found, after = text.partition(figure)
    if not found:
        return "", text, ""
    return before, figure, after


def figure_for(
    item: IndicatorValue, language: str, pending: uncertainty.FigurePending | None = None
) -> Figure:
    """One computed indicator in the reader's words, with its range while pairs wait."""
    indicator, figures = item.indicator, item.figures
    before, figure, after = sentence_parts(indicator, figures.value, language)
    tally = format_value(figures.tally_headcount, language) if figures.tally_headcount else ""
    shown = pending_shown(pending, language)
    return Figure(indicator, figures, before, figure, after, tally, shown)


def result_lines(
    values: Iterable[IndicatorValue],
    language: str,
    pending: Mapping[str, uncertainty.FigurePending] | None = None,
    progress: Mapping[str, Progress] | None = None,
) -> list[ResultLine]:
    """The computed indicators as sentences, grouped by their line of the results statement;
    ``pending`` holds the range of each persons figure with pairs awaiting review, by code, and
    ``progress`` each figure against its target with its trend (the dashboard), by code."""
    pending = pending or {}
    progress = progress or {}
    lines: dict[int, list[Figure]] = {}
    for item in values:
        shown = figure_for(item, language, pending.get(item.indicator.code))
        shown = dataclasses.replace(shown, progress=progress.get(item.indicator.code))
        lines.setdefault(item.indicator.result_line, []).append(shown)
    return [ResultLine(number, figures) for number, figures in sorted(lines.items())]


# --- Dashboard: targets, trend and composition ------------------------------------------------


@dataclass(frozen=True)
class Progress:
    """One indicator against its target for the chosen period, and its figure by quarter.

    The actual compared is the tracking table's for the same period (:mod:`reports.tracking`:
    a level takes its latest quarter, a ratio is recomputed), and so are the target, the
    percentage and the flag, so the dashboard and the tracking table never disagree.
    """

    target: str  # the period's target as the reader writes it; "" when none is set
    percent: str  # the actual as a percentage of the target; "" when there is none
    on_track: bool | None  # None: nothing to compare (no target, or nothing due yet)
    trend: charts.ShownChart | None


@dataclass(frozen=True)
class MixedShown:
    """The composition page's headline for the chosen period and place: of the activities that
    could be judged, how many brought two communities together (the default rule)."""

    share: str  # "" when no activity could be judged
    mixed: str
    judged: str
    activities: str
    page: str  # the composition page for the same period and place
    chart: charts.ShownChart | None


@dataclass(frozen=True)
class Dashboard:
    lines: list[ResultLine]
    pending: dict[str, uncertainty.FigurePending]
    mixed: MixedShown
    no_targets: str  # why no indicator has a target here (said once), "" when they may
    counted_at: datetime | None = None
    """When its figures were worked out, if records have changed since then (a kept dashboard,
    :func:`dashboard_compute`); None when they are current."""


def query_with(query: str, **changes: str) -> str:
    """A page's choice (``?period=...&municipality=...``) with some parameters changed."""
    params = QueryDict(query.lstrip("?"), mutable=True)
    for name, value in changes.items():
        params[name] = value
    return "?" + urlencode(list(params.items())) if params else ""


def trend_quarters(period: Period, lop: engine.Window) -> list[Period]:
    """The program's quarters from its first to the last that begins by the end of ``period``:
    the points of a dashboard trend (full quarters, as the period menu offers them)."""
    end = period.window(lop).end
    return [
        found
        for found in program_periods(lop)
        if found.kind == PeriodKind.QUARTER and found.window(lop).start <= end
    ]


def percent_text(percent: Decimal | None, language: str) -> str:
    """A percentage of target to at most one decimal ("87.5%"); "" when there is none."""
    if percent is None:
        return ""
    return format_percent(percent / 100, format="#,##0.#%", locale=babel_locale(language))


def _target_cell(scope: engine.Coverage) -> tuple[str, str] | None:
    """Which target a place is compared with: the program's when every municipality is read, a
    municipality's own (a target by municipality) when one is; None for a few of them."""
    if scope.municipalities is None:
        return "", ""
    if len(scope.municipalities) == 1:
        return "municipality", str(next(iter(scope.municipalities)))
    return None


@dataclass(frozen=True)
class _Kept:
    """A dashboard in the cache, with the version of the records it was worked out from."""

    version: str
    counted_at: datetime
    dashboard: Dashboard


def dashboard_compute(
    choice: ResultsChoice,
    *,
    lop: engine.Window,
    today: date,
    language: str,
    drawn: bool = True,
    may_lag: bool = False,
) -> Dashboard:
    """The dashboard (:func:`dashboard_figures`), worked out once for the same records, period,
    place, day and language and then read from the cache (``settings.CACHES``) by every viewer
    and every worker process of the server.

    Every write leaves an audit entry, which is a new version of the records
    (:func:`akt.accounts.services.records_version`): a dashboard of an older version is worked
    out again, unless it ``may_lag``: then figures up to ``settings.RESULTS_LAG_SECONDS`` old
    are shown, the page saying when they were counted and offering to count again. Busy with
    entries, the program's dashboard is then worked out once a minute, not after every save. A
    kept dashboard lasts ``settings.RESULTS_CACHE_SECONDS`` at most, which bounds what a change
    outside the services (reference data loaded again) could leave on the page; 0 keeps
    nothing."""
    seconds = int(settings.RESULTS_CACHE_SECONDS)
    if seconds <= 0:
        return dashboard_figures(choice, lop=lop, today=today, language=language, drawn=drawn)
    coverage = choice.engine_scope.municipalities
    key = (
        "akt:dashboard:"
        + hashlib.sha256(
            repr(
                (
                    choice.period.key,
                    choice.query,
                    None if coverage is None else sorted(coverage),
                    lop,
                    today,
                    language,
                    drawn,
                )
            ).encode()
        ).hexdigest()
    )
    version = records_version()  # before the records are read: never newer than them
    kept = cache.get(key)
    if isinstance(kept, _Kept):
        if kept.version == version:
            return kept.dashboard
        lag = timezone.now() - kept.counted_at
        if may_lag and lag.total_seconds() < int(settings.RESULTS_LAG_SECONDS):
            return dataclasses.replace(kept.dashboard, counted_at=kept.counted_at)
    counted_at = timezone.now()
    found = dashboard_figures(choice, lop=lop, today=today, language=language, drawn=drawn)
    cache.set(key, _Kept(version, counted_at, found), seconds)
    return found


def dashboard_figures(
    choice: ResultsChoice, *, lop: engine.Window, today: date, language: str, drawn: bool = True
) -> Dashboard:
    """The dashboard: every active indicator's sentence, target, percentage, flag and trend by
    quarter, and the mixed-activities headline, for the chosen period and place.

    One computation serves it all: every indicator over the chosen window and each quarter of
    its trend (:func:`results_table_compute`, the records read once), the composition figures
    counted from the same columns (:func:`reports.tracking.mixed_by_column`). A fixed number of
    queries, however many records or quarters. ``drawn=False`` leaves the charts undrawn (the
    figures, targets and flags only), for a page that does not show them.
    """
    indicators = list(Indicator.objects.active())
    chosen_ids = {item.pk for item in indicators}
    part_ids = {
        pk
        for item in indicators
        for pk in (item.numerator_id, item.denominator_id)
        if pk is not None and pk not in chosen_ids
    }
    parts = list(Indicator.objects.filter(pk__in=part_ids)) if part_ids else []
    by_id = {item.pk: item for item in [*indicators, *parts]}
    for item in indicators:  # a ratio's parts from this read, not one query each
        if item.numerator_id is not None:
            item.numerator = by_id[item.numerator_id]
        if item.denominator_id is not None:
            item.denominator = by_id[item.denominator_id]

    quarters = [Column(period, period.window(lop)) for period in trend_quarters(choice.period, lop)]
    chosen = Column(choice.period, choice.window)
    columns = [column for column in quarters if column.key != chosen.key] + [chosen]
    scope = choice.engine_scope
    computed = results_table_compute(
        windows=list(dict.fromkeys(column.window for column in columns)),
        scope=scope,
        indicators=[*indicators, *parts],
        cross_tabs=(),
        also_read=frozenset({engine.Source.ACTIVITIES, engine.Source.ATTENDANCE}),
    )
    results = {
        column.key: {item.code: computed.figures(item, column.window) for item in by_id.values()}
        for column in columns
    }
    values = [
        IndicatorValue(item, results[chosen.key][item.code], computed.table) for item in indicators
    ]
    pending = pending_for(values)

    place = _target_cell(scope)
    no_targets = ""
    if chosen.kind not in TARGET_KINDS:
        no_targets = _("Targets are set for fiscal years and quarters, not calendar years.")
    elif place is None:
        no_targets = _("Targets are set for the program or for one municipality.")
    targets = stored_targets(indicators) if place is not None else {}
    trend = _Quarters.of(quarters, chosen, choice.query)
    progress = {}
    for indicator in indicators:
        rule = PeriodRule(indicator.aggregation_rule)
        actuals = period_actuals(indicator, rule, columns, results)
        cells = {
            column.key: compared_cell(
                actuals[column.key],
                targets.get((indicator.pk, column.key, *place)) if place else None,
                column,
                rule,
                today,
            )
            for column in columns
        }
        drawing = _trend(indicator, cells, trend, language) if drawn else None
        progress[indicator.code] = _progress(indicator, cells[chosen.key], drawing, language)
    mix = mixed_by_column([chosen], computed.columns, scope)[chosen.key]
    return Dashboard(
        lines=result_lines(values, language, pending, progress),
        pending=pending,
        mixed=_mixed_shown(mix, choice.query, language, drawn=drawn),
        no_targets=no_targets,
    )


def shown_number(value: int | Decimal | None, indicator: Indicator, language: str) -> str:
    """An indicator's figure as the reader writes it (an amount with its currency); "" for none."""
    if value is None:
        return ""
    return format_value(value, language, indicator.currency if indicator.unit == "amount" else "")


@dataclass(frozen=True)
class _Quarters:
    """What every trend of one dashboard shares: its quarters in words and their addresses,
    written once rather than once per indicator."""

    columns: list[Column]
    labels: list[str]
    queries: list[str]  # the page's choice with the quarter as its period
    chosen: list[bool]  # inside the period the dashboard is read for
    chosen_label: str
    start_label: str
    end_label: str

    @classmethod
    def of(cls, columns: list[Column], chosen: Column, query: str) -> _Quarters:
        window = chosen.window
        return cls(
            columns=columns,
            labels=[period_label(column.period) for column in columns],
            queries=[query_with(query, period=column.key) for column in columns],
            chosen=[window.start <= column.window.start <= window.end for column in columns],
            chosen_label=""
            if chosen.kind == PeriodKind.LIFE_OF_PROJECT
            else period_label(chosen.period),
            start_label=date_format(columns[0].window.start, "M Y") if columns else "",
            end_label=date_format(columns[-1].window.end, "M Y") if columns else "",
        )


def _progress(
    indicator: Indicator, cell: Cell, trend: charts.Trend | None, language: str
) -> Progress:
    """An indicator against its target in the chosen period, and its trend drawn."""
    return Progress(
        target=shown_number(cell.target, indicator, language),
        percent=percent_text(cell.percent, language),
        on_track=cell.on_track,
        trend=charts.shown(trend, language) if trend is not None else None,
    )


def _trend(
    indicator: Indicator, cells: Mapping[str, Cell], quarters: _Quarters, language: str
) -> charts.Trend | None:
    """The indicator's figure quarter by quarter, each quarter opening the indicator's page for
    that quarter and place; the quarters of the chosen period marked by a band."""
    if not quarters.columns:
        return None
    page = reverse("reports:indicator", args=[indicator.code])
    points = []
    for column, label, query, chosen in zip(
        quarters.columns, quarters.labels, quarters.queries, quarters.chosen, strict=True
    ):
        cell = cells[column.key]
        points.append(
            charts.Point(
                label=label,
                value=None if cell.actual is None else float(cell.actual),
                shown=shown_number(cell.actual, indicator, language) or "–",
                target=None if cell.target is None else float(cell.target),
                target_shown=shown_number(cell.target, indicator, language),
                href=page + query,
                chosen=chosen,
            )
        )
    return charts.Trend(
        title=_("%(indicator)s, quarter by quarter") % {"indicator": indicator.name},
        period_heading=_("Quarter"),
        value_heading=_("Value"),
        target_heading=_("Target"),
        target_label=pgettext("the target line's name on a small chart", "Target"),
        chosen_label=quarters.chosen_label,
        start_label=quarters.start_label,
        end_label=quarters.end_label,
        points=tuple(points),
    )


def _mixed_shown(mix: MixCell, query: str, language: str, *, drawn: bool = True) -> MixedShown:
    """The mixed-activities headline, each count opening the composition page's list of the
    activities behind it (the default rule, the same period and place)."""
    activities = reverse("reports:composition_activities")
    share = mix.share
    bars = [
        (_("Mixed"), mix.mixed, Verdict.MIXED),
        (_("Not mixed"), mix.judged - mix.mixed, Verdict.NOT_MIXED),
        (_("Too little community data"), mix.activities - mix.judged, Verdict.UNDETERMINED),
    ]
    chart = charts.BarChart(
        title=_("Activities by whether they brought communities together"),
        category_heading=_("Activities"),
        value_heading=_("Number of activities"),
        bars=tuple(
            charts.Bar(
                label=label,
                value=float(count),
                shown=format_value(count, language),
                href=activities + query_with(query, verdict=verdict.value) if count else "",
                unknown=verdict is Verdict.UNDETERMINED,
            )
            for label, count, verdict in bars
        ),
    )
    return MixedShown(
        share=percent_text(share, language),
        mixed=format_value(mix.mixed, language),
        judged=format_value(mix.judged, language),
        activities=format_value(mix.activities, language),
        page=reverse("reports:composition") + query,
        chart=charts.shown(chart, language) if mix.activities and drawn else None,
    )


# --- Drill-down: breakdown tables -------------------------------------------------------------


@dataclass(frozen=True)
class BreakdownRow:
    key: engine.Cell  # the engine's cell (a tuple for a cross-tab)
    code: str  # the cell as the address writes it (``?split=<dimension>&cell=<code>``)
    openable: bool  # a category of the records themselves (not one a scheme or a merge made)
    label: str
    value: int | Decimal
    shown: str  # the value as the reader writes it
    share: str  # percent of the total, "" when the total is zero
    is_unknown: bool
    range: str = ""  # its range while pairs await review, "" when no pair changes it
    href: str = ""  # the page opened at this cell (its records), "" when it does not open
    suppressed: bool = False  # a small number hidden from this reader (``shown`` is the mark)


@dataclass(frozen=True)
class BreakdownTable:
    key: engine.Disaggregation  # the engine's name for the split (a tuple for a cross-tab)
    dimension: str  # the split as the address writes it ("sex", "sex×community")
    title: str
    rows: list[BreakdownRow]
    total: int | Decimal
    total_shown: str
    total_range: str = ""  # the figure's range while pairs await review, "" when none wait
    note: str = ""  # why some cells are not shown, "" when every cell is


def range_text(value: int, if_all_linked: int, expected: float, language: str) -> str:
    """A count's range while pairs wait, as a breakdown table writes it ("" when none can
    change it): the count if every pair is one person, the count, and the expected count."""
    if if_all_linked >= value:
        return ""
    return _("%(low)s to %(high)s, %(expected)s expected") % {
        "low": format_value(if_all_linked, language),
        "high": format_value(value, language),
        "expected": format_expected(expected, language),
    }


def breakdown_cell_labels(
    dimensions: Iterable[str], municipalities: Mapping[int, Municipality]
) -> dict[str, dict[str, str]]:
    """For each dimension, its cell codes in the reader's words (one query per data dimension).

    Choice labels come from the models' choices, names of reference data from the database.
    """
    wanted = set(dimensions)
    labels: dict[str, dict[str, str]] = {
        "sex": {str(code): str(label) for code, label in Sex.choices},
        "age_band": {str(code): str(label) for code, label in AgeBand.choices},
        "sector": {str(code): str(label) for code, label in Sector.choices},
        "kind": {str(code): str(label) for code, label in ActivityKind.choices},
        "organization_kind": {str(code): str(label) for code, label in OrganizationKind.choices},
        "affiliation": {str(code): str(label) for code, label in Affiliation.choices},
        "municipality": {str(pk): m.name for pk, m in municipalities.items()},
        "local_status": {
            "majority": _("The municipality's majority community"),
            "non_majority": _("A non-majority community in the municipality"),
        },
        "national_status": {
            "majority": _("Kosovo's majority community"),
            "non_majority": _("A non-majority community in Kosovo"),
        },
    }
    if "community" in wanted:
        labels["community"] = {c.code: c.name for c in Community.objects.all()}
    if "component" in wanted:
        labels["component"] = {c.code: c.name for c in Component.objects.all()}
    return labels


def category_label(
    dimension: engine.Disaggregation,
    cell: engine.Cell,
    labels: Mapping[str, Mapping[str, str]],
) -> str:
    """A category in the reader's words; the parts of a cross-tabulation joined by ×."""
    parts = engine.dimensions_of(dimension)
    codes = (cell,) if isinstance(cell, str) else tuple(cell)
    return " × ".join(
        _("Unknown") if code == engine.UNKNOWN else labels.get(part, {}).get(code, code)
        for part, code in zip(parts, codes, strict=True)
    )


def breakdown_tables(
    figures: columnar.Figures,
    *,
    currency: str,
    language: str,
    municipalities: Mapping[int, Municipality],
    presentation: Presentation | None = None,
    pending: uncertainty.FigurePending | None = None,
    query: str | None = None,
    small_cells: int | None = None,
) -> list[BreakdownTable]:
    """The figures' disaggregations with labelled cells, unknown last, and the total row.

    Every cell the engine returns is shown, zero and unknown included, so the rows always add up
    to the total, which is the indicator's value. Municipalities are listed by name and
    communities in their usual order; other cells keep the engine's order (age bands youngest
    first). With ``pending`` (a persons figure whose pairs await review), each cell a pair can
    change and the total carry their range; a scheme or "other" adds the ranges up as it adds
    the cells, each of the three counts being a sum over persons. With ``query`` (the page's
    choice of period and place), each cell that opens carries the address of its records
    (:func:`cell_href`), which its number in the table and its bar in the chart both link to.

    With ``small_cells`` (a reader who does not see persons, see
    :func:`akt.reports.small_numbers.small_cell_threshold`), the cells below it and enough
    others are shown as a mark with a note (:mod:`akt.reports.small_numbers`), without their
    share, range or chart bar, and no cell opens into the named activities behind it.
    """
    parts = {part for name in figures.breakdowns for part in engine.dimensions_of(name)}
    labels = breakdown_cell_labels(parts, municipalities)
    original = figures.breakdowns
    lowest = pending.if_all_linked if pending is not None else {}
    expected = pending.expected if pending is not None else {}
    if presentation is not None and presentation.active:
        present = presenter(presentation, figures.breakdowns)
        shown = present(figures.breakdowns)
        figures = dataclasses.replace(figures, breakdowns=shown)
        labels = presented_labels(labels, presentation, language, parts)
        lowest, expected = present(lowest), present(expected)
    hidden: dict[engine.Disaggregation, frozenset[engine.Cell]] = {}
    if small_cells is not None:
        if presentation is not None and presentation.active:
            hidden = presented_hidden(
                original, figures.breakdowns, present, figures.value, small_cells
            )
        else:
            hidden = hidden_cells(figures.breakdowns, figures.value, small_cells)
    total_range = ""
    if pending is not None:
        total = pending.total
        total_range = range_text(
            total.if_none_linked, total.if_all_linked, total.expected, language
        )
    titles = dimension_titles()
    locale = babel_locale(language)
    # Communities come from the database in their usual order (see Community.Meta.ordering).
    community_order = {code: rank for rank, code in enumerate(labels.get("community", {}))}

    def order(dimension: engine.Disaggregation, code: engine.Cell, label: str) -> tuple:
        if not isinstance(dimension, str):
            return False, 0, ""  # a cross-tabulation keeps the engine's order
        if dimension == "municipality":
            return code == engine.UNKNOWN, 0, reading_key(label)
        if dimension == "community":
            return code == engine.UNKNOWN, community_order.get(code, 0), ""
        return code == engine.UNKNOWN, 0, ""  # a stable sort keeps the engine's order

    tables = []
    for dimension, cells in figures.breakdowns.items():
        names = engine.dimensions_of(dimension)
        rows = []
        for code, value in cells.items():
            codes = (code,) if isinstance(code, str) else tuple(code)
            is_unknown = engine.UNKNOWN in codes
            label = category_label(dimension, code, labels)
            openable = code in original.get(dimension, {}) and small_cells is None
            share = ""
            if figures.value:
                share = format_percent(Decimal(value) / Decimal(figures.value), locale=locale)
            if code in hidden.get(dimension, frozenset()):
                row = BreakdownRow(
                    key=code,
                    code="×".join(codes),
                    openable=False,
                    label=label,
                    value=0,
                    shown=suppressed_mark(),
                    share="",
                    is_unknown=is_unknown,
                    suppressed=True,
                )
                rows.append((order(dimension, code, label), row))
                continue
            row = BreakdownRow(
                key=code,
                code="×".join(codes),
                openable=openable,
                label=label,
                value=value,
                shown=format_value(value, language, currency),
                share=share,
                is_unknown=is_unknown,
                range=range_text(
                    int(value), lowest[dimension][code], expected[dimension][code], language
                )
                if dimension in lowest and not hidden.get(dimension)
                else "",
                href=cell_href(query, "×".join(names), "×".join(codes))
                if openable and query is not None
                else "",
            )
            rows.append((order(dimension, code, label), row))
        rows.sort(key=lambda keyed: keyed[0])
        tables.append(
            BreakdownTable(
                key=dimension,
                dimension="×".join(names),
                title=disaggregation_label(names, titles),
                rows=[row for _key, row in rows],
                total=figures.value,
                total_shown=format_value(figures.value, language, currency),
                total_range=total_range,
                note=suppressed_note(small_cells)
                if small_cells is not None and hidden.get(dimension)
                else "",
            )
        )
    return tables


def cell_href(query: str, dimension: str, cell: str) -> str:
    """The indicator page, for the same period and place, opened at one breakdown cell's
    records (``?period=...&split=sex&cell=female#records``)."""
    return query_with(query, split=dimension, cell=cell) + "#records"


def breakdown_chart(table: BreakdownTable) -> charts.BarChart:
    """A breakdown table as a bar chart: a bar per category, unknown hatched, each bar opening
    the cell's records as the table's number does."""
    return charts.BarChart(
        title=table.title,
        category_heading=table.title,
        value_heading=_("Value"),
        bars=tuple(
            charts.Bar(
                label=row.label,
                value=float(row.value),
                shown=row.shown,
                href=row.href,
                unknown=row.is_unknown,
            )
            for row in table.rows
        ),
    )


def breakdown_charts(
    tables: Iterable[BreakdownTable], *, language: str
) -> dict[str, charts.ShownChart]:
    """A chart per split of one dimension (community, sex, age band, municipality, ...), by the
    split's name in the address; cross-tabulations stay tables."""
    return {
        table.dimension: charts.shown(
            breakdown_chart(table), language, described_by=f"breakdown-{table.dimension}"
        )
        for table in tables
        if isinstance(table.key, str) and table.rows
    }


# --- Drill-down: the records behind a figure --------------------------------------------------


@dataclass(frozen=True)
class ActivityRow:
    activity: Activity
    municipality: str
    attendance: str  # everyone at the activity (roster rows plus headcounts), formatted
    behind: str  # attendances at it behind this figure, formatted; "" for activity counts


@dataclass(frozen=True)
class RecordRow:
    """A grant, plan or project behind a figure."""

    record: Grant | CapacityDevelopmentPlan | InfrastructureProject
    municipality: str
    amount: str  # a grant's amount or a project's program contribution, formatted; else ""


@dataclass(frozen=True)
class Records:
    """The records behind a figure that the viewer may open, one page of them."""

    kind: str  # "activities", "grants", "plans", "projects" or "entered"
    page: Page
    rows: list[ActivityRow] | list[RecordRow] | list[ValueRow]
    hidden: int  # records behind the figure outside the viewer's scope
    note: str = ""  # why some counts are not shown, "" when every count is


def _activities_with_attendance(ids: Iterable[int], viewer: Scope) -> QuerySet[Activity]:
    """The activities with ``attendance``: roster rows and headcounts together."""
    return (
        viewer.activities(Activity.objects.filter(pk__in=list(ids)))
        .with_participants()
        .annotate(attendance=F("roster_count") + F("tallied"))
    )


def _behind_by_activity(result: engine.Result, activity_ids: list[int]) -> Counter[int]:
    """Per activity on the page, the attendances (roster rows and heads) behind the figure."""
    behind: Counter[int] = Counter()
    roster = Attendance.objects.filter(activity_id__in=activity_ids).order_by()
    for pk, activity_id in roster.values_list("pk", "activity_id"):
        if pk in result.record_ids:
            behind[activity_id] += 1
    tallies = Tally.objects.filter(activity_id__in=activity_ids).order_by()
    for pk, activity_id, headcount in tallies.values_list("pk", "activity_id", "headcount"):
        if pk in result.tally_record_ids:
            behind[activity_id] += headcount
    return behind


def _name(municipalities: Mapping[int, Municipality], pk: int | None) -> str:
    municipality = municipalities.get(pk) if pk is not None else None
    return municipality.name if municipality is not None else ""


def records_behind(
    indicator: Indicator,
    result: engine.Result,
    *,
    viewer: Scope,
    page_number: str | int | None,
    municipalities: Mapping[int, Municipality],
    language: str,
) -> Records:
    """The activities, grants, plans, projects or entered values behind a result that
    ``viewer`` may open.

    Each list is filtered again through the viewer's scope: the ids come from the engine, but
    what a page shows is decided by the one scope rule. Persons are never listed here; a reader
    who may see them reaches them through an activity's own page. For a reader who does not see
    persons, the counts behind the figure at each activity are suppressed as one line
    (:func:`akt.reports.small_numbers.hidden_behind`), over every activity, not just the page's.
    """
    source = engine.Source(indicator.source)
    if source is engine.Source.ENTERED:
        return _values_behind(indicator, result, viewer, page_number, municipalities, language)
    if source in (engine.Source.ACTIVITIES, engine.Source.ATTENDANCE):
        ids: frozenset[int] = result.activity_ids
        qs: QuerySet = _activities_with_attendance(ids, viewer)
        kind = "activities"
    elif source is engine.Source.GRANTS:
        ids = result.record_ids
        qs = viewer.grants(Grant.objects.filter(pk__in=list(ids))).select_related(
            "recipient__municipality__majority_community"
        )
        kind = "grants"
    elif source is engine.Source.PLANS:
        ids = result.record_ids
        qs = viewer.plans(CapacityDevelopmentPlan.objects.filter(pk__in=list(ids)))
        kind = "plans"
    else:
        ids = result.record_ids
        qs = viewer.projects(InfrastructureProject.objects.filter(pk__in=list(ids)))
        kind = "projects"

    page = Paginator(qs, RECORDS_PER_PAGE).get_page(page_number)
    records = list(page.object_list)
    rows: list[ActivityRow] | list[RecordRow]
    note = ""
    if kind == "activities":
        behind = None
        gone: frozenset[int] = frozenset()
        if source is engine.Source.ATTENDANCE:
            threshold = small_cell_threshold(viewer, indicator.unit)
            if threshold is None:
                behind = _behind_by_activity(result, [activity.pk for activity in records])
            else:
                # Every activity behind the figure, those on other pages and outside the
                # viewer's scope too: what is hidden must not depend on the page.
                behind = _behind_by_activity(result, sorted(ids))
                gone = hidden_behind(behind, threshold)
                note = suppressed_note(threshold) if gone else ""
        rows = [
            ActivityRow(
                activity=activity,
                municipality=_name(municipalities, activity.municipality_id),
                attendance=format_value(activity.attendance, language),
                behind=""
                if behind is None
                else suppressed_mark()
                if activity.pk in gone
                else format_value(behind[activity.pk], language),
            )
            for activity in records
        ]
    else:
        rows = [
            RecordRow(
                record=record,
                municipality=_name(municipalities, record.municipality_id),
                amount=_amount(record, language),
            )
            for record in records
        ]
    return Records(kind, page, rows, hidden=max(len(ids) - page.paginator.count, 0), note=note)


def _values_behind(
    indicator: Indicator,
    result: engine.Result,
    viewer: Scope,
    page_number: str | int | None,
    municipalities: Mapping[int, Municipality],
    language: str,
) -> Records:
    """The entered values behind an entered indicator's figure that the viewer's scope covers:
    period, place, category, value and the document each comes from."""
    ids = result.record_ids
    values = visible_values(viewer, OutcomeValue.objects.filter(pk__in=list(ids)))
    values = values.order_by("period_start", "municipality__code", "cell_key", "pk")
    page = Paginator(values, RECORDS_PER_PAGE).get_page(page_number)
    rows = value_rows(page.object_list, indicator, language=language, municipalities=municipalities)
    return Records("entered", page, rows, hidden=max(len(ids) - page.paginator.count, 0))


def _amount(record: Grant | CapacityDevelopmentPlan | InfrastructureProject, language: str) -> str:
    if isinstance(record, Grant):
        return format_value(record.amount, language, record.currency)
    if isinstance(record, InfrastructureProject):
        return format_value(record.program_contribution, language, record.currency)
    return ""


def approved_period_on(day: date | None) -> ReportingPeriod | None:
    """The approved reporting quarter a record dated ``day`` belongs to, if any."""
    if day is None:
        return None
    fiscal_year, quarter = engine.fiscal_quarter_of(day)
    return ReportingPeriod.objects.filter(
        fiscal_year=fiscal_year, quarter=quarter, status=PeriodStatus.APPROVED
    ).first()
