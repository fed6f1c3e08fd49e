"""Reads behind the results pages: the dashboard's figures and an indicator's drill-down.

The numbers come from ``akt.indicators.selectors`` (the engine, within the viewer's engine scope);
this module only puts them into the reader's words: sentences, labelled breakdown cells, and the
records behind a figure, each list filtered again through the viewer's ``Scope`` so that what a
page lists never depends on the engine having narrowed the ids correctly. Every read here is a
fixed number of queries, however many records there are.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_percent
from django.core.paginator import Page, Paginator
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from akt.accounts.scope import Scope
from akt.activities.models import Activity, ActivityKind, AgeBand, Attendance, Tally
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting import columnar, engine, uncertainty
from akt.grants.models import Grant
from akt.indicators.models import Indicator
from akt.indicators.selectors import IndicatorValue
from akt.indicators.sentences import format_expected, format_value, sentence
from akt.indicators.sheets import dimension_titles, disaggregation_label
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Affiliation, OrganizationKind, Sector, Sex
from akt.places.models import Community, Municipality
from akt.program.models import Component
from akt.reports.models import PeriodStatus, ReportingPeriod
from akt.reports.presentation import Presentation, presented_labels, presenter
from akt.text.locales import babel_locale
from akt.text.script import latin_to_cyrillic

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
) -> list[ResultLine]:
    """The computed indicators as sentences, grouped by their line of the results statement;
    ``pending`` holds the range of each persons figure with pairs awaiting review, by code."""
    pending = pending or {}
    lines: dict[int, list[Figure]] = {}
    for item in values:
        shown = figure_for(item, language, pending.get(item.indicator.code))
        lines.setdefault(item.indicator.result_line, []).append(shown)
    return [ResultLine(number, figures) for number, figures in sorted(lines.items())]


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


@dataclass(frozen=True)
class BreakdownTable:
    key: engine.Disaggregation  # the engine's name for the split (a tuple for a cross-tab)
    dimension: str  # the split as the address writes it ("sex", "sex×community")
    title: str
    rows: list[BreakdownRow]
    total: int | Decimal
    total_shown: str
    total_range: str = ""  # the figure's range while pairs await review, "" when none wait


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
) -> list[BreakdownTable]:
    """The figures' disaggregations with labelled cells, unknown last, and the total row.

    Every cell the engine returns is shown, zero and unknown included, so the rows always add up
    to the total, which is the indicator's value. Municipalities are listed by name and
    communities in their usual order; other cells keep the engine's order (age bands youngest
    first). With ``pending`` (a persons figure whose pairs await review), each cell a pair can
    change and the total carry their range; a scheme or "other" adds the ranges up as it adds
    the cells, each of the three counts being a sum over persons.
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
            share = ""
            if figures.value:
                share = format_percent(Decimal(value) / Decimal(figures.value), locale=locale)
            row = BreakdownRow(
                key=code,
                code="×".join(codes),
                openable=code in original.get(dimension, {}),
                label=label,
                value=value,
                shown=format_value(value, language, currency),
                share=share,
                is_unknown=is_unknown,
                range=range_text(
                    int(value), lowest[dimension][code], expected[dimension][code], language
                )
                if dimension in lowest
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
            )
        )
    return tables


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

    kind: str  # "activities", "grants", "plans" or "projects"
    page: Page
    rows: list[ActivityRow] | list[RecordRow]
    hidden: int  # records behind the figure outside the viewer's scope


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
    """The activities, grants, plans or projects behind a result that ``viewer`` may open.

    Each list is filtered again through the viewer's scope: the ids come from the engine, but
    what a page shows is decided by the one scope rule. Persons are never listed here; a reader
    who may see them reaches them through an activity's own page.
    """
    source = engine.Source(indicator.source)
    if source in (engine.Source.ACTIVITIES, engine.Source.ATTENDANCE):
        ids: frozenset[int] = result.activity_ids
        qs: QuerySet = _activities_with_attendance(ids, viewer)
        kind = "activities"
    elif source is engine.Source.GRANTS:
        ids = result.record_ids
        qs = viewer.grants(Grant.objects.filter(pk__in=list(ids))).select_related("recipient")
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
    if kind == "activities":
        behind = None
        if source is engine.Source.ATTENDANCE:
            behind = _behind_by_activity(result, [activity.pk for activity in records])
        rows = [
            ActivityRow(
                activity=activity,
                municipality=_name(municipalities, activity.municipality_id),
                attendance=format_value(activity.attendance, language),
                behind="" if behind is None else format_value(behind[activity.pk], language),
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
    return Records(kind, page, rows, hidden=max(len(ids) - page.paginator.count, 0))


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
