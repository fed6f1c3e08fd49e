"""What a performance report holds, built from the records for any period, in one language.

Three reports share one builder (:func:`report_document`), which returns a
:class:`~akt.reports.document.Document` that the page shows and :mod:`akt.reports.document`
writes as Word and PDF, so the three hold the same words, numbers and pictures:

- the quarterly performance report (a fiscal quarter), with the officers' narratives and the
  quarter's success stories (:mod:`akt.reports.stories`);
- the annual performance report (a fiscal year);
- the "Results to date" brief (the life of project).

Each holds: the results in the program's sentences; the results by objective, one table per
result of the framework with each indicator's figure, target and percent of target for the
period and for the life of project (the tracking table's arithmetic, :mod:`reports.tracking`);
a chart by community of each indicator counting persons; the map of the headline indicator; and
an annex per partner municipality with each indicator's figure there. An entered indicator's
name is marked in the tables, with a note saying what that means. Program-wide figures only: no
person is named anywhere in a report (a success story's photo goes in only with the consent of
the persons in it).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.counting import engine
from akt.counting.periods import Period, PeriodKind
from akt.indicators.framework import framework_tree
from akt.indicators.models import Indicator
from akt.indicators.selectors import (
    IndicatorValue,
    ResultsTable,
    results_compute,
    results_table_compute,
)
from akt.indicators.sentences import sentence
from akt.places.models import Municipality
from akt.program.models import Program
from akt.reports.charts import ChartDrawing
from akt.reports.document import Block, Document, Heading, PageBreak, Paragraph, Picture, Table
from akt.reports.maps import MapDrawing, breakdown_by_municipality, indicator_map
from akt.reports.models import Narrative
from akt.reports.narratives import current_narratives
from akt.reports.selectors import (
    breakdown_chart,
    breakdown_tables,
    municipalities_by_id,
    percent_text,
    shown_number,
)
from akt.reports.stories import ReportedStory, stories_for_report
from akt.reports.tracking import Cell, Row, tracking_table
from akt.translation import localized, period_label

HEADLINE_INDICATOR = "joint-activity-participants"
"""The figure the report's map shows: the people who took part in joint interethnic
activities, the program's purpose in one number (the first persons indicator if it is gone)."""


class ReportKind(StrEnum):
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    BRIEF = "brief"


PERIOD_OF_KIND = {
    ReportKind.QUARTERLY: PeriodKind.QUARTER,
    ReportKind.ANNUAL: PeriodKind.FISCAL_YEAR,
    ReportKind.BRIEF: PeriodKind.LIFE_OF_PROJECT,
}


def report_title(kind: ReportKind) -> str:
    return {
        ReportKind.QUARTERLY: _("Quarterly performance report"),
        ReportKind.ANNUAL: _("Annual performance report"),
        ReportKind.BRIEF: _("Results to date"),
    }[kind]


Progress = Callable[[int, int, str], None]
"""Told how far the counting has got: ``(done, total, stage)``, as a job's progress is."""


def _no_progress(done: int, total: int, stage: str) -> None:
    pass


@dataclass(frozen=True)
class ReportData:
    """Everything a report says, counted once from the records, for every language: the
    indicators and their figures, the tracking rows (targets and percents), the narratives and
    the success stories in each language, and the figures per partner municipality."""

    kind: ReportKind
    period: Period
    window: engine.Window
    lop: engine.Window
    indicators: list[Indicator]
    values: dict[str, IndicatorValue]
    rows: dict[str, Row]
    narratives: dict[str, dict[str, Narrative]]
    annex: list[tuple[Municipality, ResultsTable]]
    municipalities: dict[int, Municipality]
    program: Program | None
    stories: list[ReportedStory]


def report_data(
    kind: ReportKind,
    period: Period,
    *,
    lop: engine.Window,
    today: date,
    progress: Progress = _no_progress,
) -> ReportData:
    """What the report of ``kind`` for ``period`` says, counted from the records as they are.

    Raises ValueError when the period is not of the report's kind (a quarter for the quarterly
    report, a fiscal year for the annual one, the life of project for the brief).
    """
    if period.kind != PERIOD_OF_KIND[kind]:
        raise ValueError(f"a {kind} report is not made for {period.key}")
    window = period.window(lop)
    partners = sorted(_partners(), key=lambda municipality: municipality.name)
    total = 2 + len(partners)
    progress(0, total, _("Counting the results"))
    indicators = list(Indicator.objects.active().select_related("result_measured"))
    values = {item.indicator.code: item for item in results_compute(window=window)}
    progress(1, total, _("Comparing the results with their targets"))
    table = tracking_table(lop=lop, today=today, indicators=indicators)
    quarterly = kind is ReportKind.QUARTERLY
    narratives = (
        current_narratives(fiscal_year=period.year, quarter=period.quarter, indicators=indicators)
        if quarterly
        else {}
    )
    stories = (
        stories_for_report(fiscal_year=period.year, quarter=period.quarter) if quarterly else []
    )
    annex: list[tuple[Municipality, ResultsTable]] = []
    windows = list(dict.fromkeys([window, lop]))
    for done, municipality in enumerate(partners, start=2):
        progress(done, total, _("Counting the results in %(municipality)s") % {
            "municipality": municipality.name
        })  # fmt: skip
        computed = results_table_compute(
            windows=windows,
            scope=engine.Coverage(frozenset({municipality.pk})),
            indicators=indicators,
            cross_tabs=(),
            columns=annex[0][1].columns if annex else None,  # the records read once
        )
        annex.append((municipality, computed))
    progress(total, total, _("Counted"))
    return ReportData(
        kind=kind,
        period=period,
        window=window,
        lop=lop,
        indicators=indicators,
        values=values,
        rows={row.indicator.code: row for row in table.rows},
        narratives=narratives,
        annex=annex,
        municipalities=municipalities_by_id(),
        program=Program.objects.order_by("start_date").first(),
        stories=stories,
    )


def report_document(data: ReportData, *, language: str, dated: datetime) -> Document:
    """The report in ``language``, dated ``dated``: words only, no counting."""
    with translation.override(language):
        return _document(data, language=language, dated=dated)


def _document(data: ReportData, *, language: str, dated: datetime) -> Document:
    kind, period, window, indicators = data.kind, data.period, data.window, data.indicators
    values, municipalities = data.values, data.municipalities
    label = period_label(period, months=True)

    blocks: list[Block] = []
    blocks.append(Heading(_("Results in the program's words")))
    for indicator in indicators:
        blocks.append(
            Paragraph(sentence(indicator, values[indicator.code].figures.value, language))
        )

    blocks.append(Heading(_("Results by objective")))
    for node in framework_tree().walk():
        if not node.indicators:
            continue
        blocks.append(Heading(f"{node.result.label} {node.result.statement}".strip(), level=2))
        blocks.append(_results_table(node.indicators, data.rows, period, language))
    if any(indicator.is_entered for indicator in indicators):
        blocks.append(Paragraph(_entered_note(), note=True))
    if kind is ReportKind.QUARTERLY:
        blocks.extend(_narratives(indicators, data.narratives, language))
        blocks.extend(_stories(data.stories, language))

    blocks.append(PageBreak())
    blocks.append(Heading(_("Who took part, by community")))
    for indicator in indicators:
        picture = _community_picture(indicator, values[indicator.code], municipalities, language)
        if picture is not None:
            blocks.extend(picture)

    headline = next(
        (item for item in indicators if item.code == HEADLINE_INDICATOR),
        next((item for item in indicators if item.unit == engine.Unit.PERSONS), None),
    )
    if headline is not None:
        blocks.append(Heading(_("Where the program worked")))
        blocks.extend(_map(headline, values[headline.code], municipalities, label, language))

    blocks.append(PageBreak())
    blocks.append(Heading(_("Annex: results by partner municipality")))
    blocks.extend(_annex(indicators, data.annex, period, window, data.lop, language))

    name = localized(data.program, "name") if data.program else ""
    subtitle = _("%(program)s, %(period)s (%(start)s to %(end)s)") % {
        "program": name or _("Advancing Kosovo Together"),
        "period": label,
        "start": format_date(window.start),
        "end": format_date(window.end),
    }
    return Document(
        title=report_title(kind),
        subtitle=subtitle,
        language=language,
        dated=dated,
        blocks=tuple(blocks),
        author=_("Advancing Kosovo Together"),
    )


def _entered_note() -> str:
    """Under the results tables of a report that holds entered indicators."""
    return _(
        "Figures marked “entered” are not counted from the program's records: they are "
        "entered from the documents that report them, such as the municipalities' financial "
        "reports, each value naming its source."
    )


def indicator_name(indicator: Indicator) -> str:
    """An indicator's name in a report's table, an entered indicator's marked as such (as
    the pages and the tracking workbook mark its figures)."""
    if indicator.is_entered:
        return _("%(indicator)s (entered)") % {"indicator": indicator.name}
    return indicator.name


def format_date(day: date) -> str:
    return date_format(day, "DATE_FORMAT")


def _shown(value: Decimal | int | None, indicator: Indicator, language: str) -> str:
    return shown_number(value, indicator, language) or "–"


def _percent(cell: Cell | None, language: str) -> str:
    return (percent_text(cell.percent, language) if cell is not None else "") or "–"


def _results_table(
    indicators: list[Indicator],
    rows: Mapping[str, Row],
    period: Period,
    language: str,
) -> Table:
    """Each indicator's figure, target and percent for the period and the life of project."""
    lop_key = Period.life_of_project().key
    header: tuple[str, ...] = (
        _("Indicator"),
        period_label(period),
        _("Target"),
        _("% of target"),
    )
    if period.key != lop_key:
        header += (_("Life of project"), _("Target"), _("% of target"))
    lines = []
    for indicator in indicators:
        row = rows.get(indicator.code)
        cells = row.cells if row is not None else {}
        here, whole = cells.get(period.key), cells.get(lop_key)
        line = [
            indicator_name(indicator),
            _shown(here.actual if here else None, indicator, language),
            _shown(here.target if here else None, indicator, language),
            _percent(here, language),
        ]
        if period.key != lop_key:
            line += [
                _shown(whole.actual if whole else None, indicator, language),
                _shown(whole.target if whole else None, indicator, language),
                _percent(whole, language),
            ]
        lines.append(tuple(line))
    return Table(
        caption="",
        header=header,
        rows=tuple(lines),
        numeric=frozenset(range(1, len(header))),
    )


def _narratives(
    indicators: list[Indicator], written: Mapping[str, Mapping[str, Narrative]], language: str
) -> list[Heading | Paragraph]:
    """What the officers wrote for each indicator this quarter, in the report's language."""
    blocks: list[Heading | Paragraph] = [Heading(_("What happened this quarter"))]
    for indicator in indicators:
        narrative = written.get(indicator.code, {}).get(language)
        blocks.append(Heading(indicator.name, level=3))
        if narrative is None:
            blocks.append(Paragraph(_("No narrative is written in this language."), note=True))
        else:
            blocks.extend(Paragraph(part) for part in narrative.text.split("\n\n") if part.strip())
    return blocks


def _stories(stories: list[ReportedStory], language: str) -> list[Block]:
    """Each ready success story of the quarter in the report's language: its title, its photo
    (captioned with the title) when it may go in, its text, and the records it tells of."""
    blocks: list[Block] = [Heading(_("Success stories"))]
    if not stories:
        blocks.append(Paragraph(_("No success story is ready for this quarter."), note=True))
    for reported in stories:
        title = localized(reported.story, "title", language)
        blocks.append(Heading(title, level=2))
        if reported.photo is not None:
            drawing = dataclasses.replace(reported.photo, label=title)
            blocks.append(Picture(title=title, description=title, drawing=drawing, width_cm=12.0))
        text = localized(reported.story, "text", language)
        blocks.extend(Paragraph(part.strip()) for part in text.split("\n\n") if part.strip())
        named = (
            (_("Activities: %(records)s"), reported.activities),
            (_("Grants: %(records)s"), reported.grants),
            (_("Infrastructure projects: %(records)s"), reported.projects),
            (_("Capacity development plans: %(records)s"), reported.plans),
        )
        for wording, names in named:
            if names:
                records = "; ".join(map(str, names))  # a recipient is worded in this language
                blocks.append(Paragraph(wording % {"records": records}, note=True))
    return blocks


def _community_picture(
    indicator: Indicator,
    value: IndicatorValue,
    municipalities: Mapping[int, Municipality],
    language: str,
) -> list[Picture | Table | Paragraph] | None:
    """A persons indicator's split by community, as a chart and its table.

    A report is read by the donor, who sees no person: its small numbers are not shown, as on
    the indicator page for the donor (:mod:`akt.reports.small_numbers`), whoever writes it."""
    if indicator.unit != engine.Unit.PERSONS:
        return None
    figures = value.figures
    tables = breakdown_tables(
        figures,
        currency="",
        language=language,
        municipalities=municipalities,
        query="",
        small_cells=int(settings.SMALL_CELL_THRESHOLD),
    )
    found = next((table for table in tables if table.dimension == "community"), None)
    if found is None or not figures.value:
        return None
    drawn = breakdown_chart(found)  # without links: a document's reader has no page to open
    spec = dataclasses.replace(
        drawn,
        title=indicator.name,
        bars=tuple(dataclasses.replace(bar, href="") for bar in drawn.bars),
    )
    description = "; ".join(f"{row.label}: {row.shown}" for row in found.rows)
    return [
        Picture(
            title=indicator.name,
            description=description,
            drawing=ChartDrawing(spec, language),
            width_cm=14.0,
        ),
        Table(
            caption=_("%(indicator)s, by community") % {"indicator": indicator.name},
            header=(_("Community"), _("Participants"), _("Share")),
            rows=tuple((row.label, row.shown, row.share or "–") for row in found.rows),
            numeric=frozenset({1, 2}),
        ),
        *([Paragraph(found.note, note=True)] if found.note else []),
    ]


def _map(
    indicator: Indicator,
    value: IndicatorValue,
    municipalities: Mapping[int, Municipality],
    period: str,
    language: str,
) -> list[Picture | Paragraph]:
    figures = value.figures
    by_municipality, _unknown = breakdown_by_municipality(figures.breakdowns)
    spec = indicator_map(
        title=indicator.name,
        subtitle=period,
        values=by_municipality,
        municipalities=municipalities,
        readable=None,
        language=language,
        href=lambda municipality: "",
    )
    return [
        Picture(
            title=indicator.name,
            description=spec.description,
            drawing=MapDrawing(spec),
            width_cm=16.0,
        ),
        Paragraph(spec.attribution, note=True),
    ]


def _partners() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_partner=True).select_related("majority_community")


def _annex(
    indicators: list[Indicator],
    annex: list[tuple[Municipality, ResultsTable]],
    period: Period,
    window: engine.Window,
    lop: engine.Window,
    language: str,
) -> list[Heading | Table]:
    """Per partner municipality, each indicator's figure there in the period and over the life
    of project: its own records only (the engine's scope), so a person counts once per place."""
    blocks: list[Heading | Table] = []
    for municipality, computed in sorted(annex, key=lambda item: item[0].name):
        header: tuple[str, ...] = (_("Indicator"), period_label(period))
        if window != lop:
            header += (_("Life of project"),)
        rows = []
        for indicator in indicators:
            line = [
                indicator_name(indicator),
                _shown(computed.figures(indicator, window).value, indicator, language),
            ]
            if window != lop:
                line.append(_shown(computed.figures(indicator, lop).value, indicator, language))
            rows.append(tuple(line))
        blocks.append(Heading(municipality.name, level=2))
        blocks.append(
            Table(
                caption="",
                header=header,
                rows=tuple(rows),
                numeric=frozenset(range(1, len(header))),
            )
        )
    return blocks
