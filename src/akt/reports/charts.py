"""The results' charts: declarative specifications and the one renderer that draws them.

A chart is described by a frozen specification holding everything a reader sees: its title, the
label and the value of every bar or point as the reader writes them (built with gettext and the
reader's number format by whoever builds the specification), and the address of the records
behind each mark. :func:`figure_of` draws any specification with matplotlib through
:mod:`akt.reports.drawing`; :func:`svg` gives the page an inline SVG and :func:`png` a document
the same picture as an image, so a page, a Word file and a PDF cannot disagree.

What the house style promises, whatever the specification:

- **Readable without colour.** Every bar carries its value as text; the "unknown" category is
  hatched as well as grey; a target is a dashed line labelled in words; the chosen period of a
  trend is a labelled band. Ink on white at more than 7:1.
- **Every mark opens into its records.** A bar, its label and its value link (SVG ``<a>``, from
  matplotlib's ``set_url``) to the address in the specification: the indicator page opened at
  that cell. A trend's quarter links to the indicator page for that quarter. The links open in
  the same tab and are left out of the tab order: the chart's table (:meth:`BarChart.table`,
  :meth:`Trend.table`), which a page shows beside it, carries the same links for keyboards and
  screen readers, the picture itself being one image to them.
- **No words of its own.** The renderer writes no text that is not in the specification and
  draws no number axis (the values are written on the marks), so a chart is in the reader's
  language and number format exactly when its specification is.
- **Drawn once.** Drawing is the slow part (tens of milliseconds a chart); the SVG and PNG are
  cached (Django's cache) by a hash of the specification and the language, so a page that shows
  the same chart again, or another reader's page with the same figures, pays nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from akt.reports import drawing

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

RENDERER_VERSION = "5"  # part of the cache key: change it when the drawing changes
CACHE_SECONDS = 60 * 60

INK = "#1d2733"  # the page's text colour; 15:1 on white
INK_SOFT = "#4a5663"  # 7.6:1 on white
BAR = "#0b4f8a"  # the page's brand blue, 8.6:1 on white
UNKNOWN_FILL = "#e9edf1"
TARGET = "#7a4b00"  # dark amber, 7.4:1 on white
BAND = "#e6eff8"  # the page's brand tint
# A click area: not drawn (a thousandth of white), but painted, so that a browser sends it the
# click; a fully transparent shape is written "fill: none" and would let clicks through.
HIT = (1.0, 1.0, 1.0, 0.001)

LABEL_WIDTH = 22  # characters before a category label wraps
TEXT = 10.5  # points: a bar chart's labels and values (the page shows it about life size)
SMALL = 8.5  # points: a trend's text


class Orientation(StrEnum):
    HORIZONTAL = "horizontal"  # categories down the side: long names stay readable
    VERTICAL = "vertical"


# --- The specifications -----------------------------------------------------------------------


@dataclass(frozen=True)
class TableCell:
    shown: str
    href: str = ""


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[TableCell, ...]


@dataclass(frozen=True)
class FigureTable:
    """A chart's figures as a table: what a screen reader reads in place of the picture."""

    caption: str
    headings: tuple[str, ...]  # the row heading's column first
    rows: tuple[TableRow, ...]


@dataclass(frozen=True)
class Bar:
    """One category: its label, its value (drawn) and the value as the reader writes it."""

    label: str
    value: float
    shown: str
    href: str = ""  # the records behind it; "" when it does not open
    unknown: bool = False  # drawn hatched: the records that do not say


@dataclass(frozen=True)
class BarChart:
    title: str
    category_heading: str  # the table's first column ("Sex")
    value_heading: str  # the values' column ("Value", "Amount (EUR)")
    bars: tuple[Bar, ...]
    orientation: Orientation = Orientation.HORIZONTAL
    description: str = ""

    def table(self) -> FigureTable:
        rows = tuple(TableRow(bar.label, (TableCell(bar.shown, bar.href),)) for bar in self.bars)
        return FigureTable(self.title, (self.category_heading, self.value_heading), rows)


@dataclass(frozen=True)
class Point:
    """One quarter of a trend. ``value`` None: nothing to draw (a gap, not a zero)."""

    label: str  # the quarter in full ("FY 2016, Q1")
    value: float | None
    shown: str
    target: float | None = None
    target_shown: str = ""
    href: str = ""
    chosen: bool = False  # inside the period the page is read for


@dataclass(frozen=True)
class Trend:
    """A small line of one figure quarter by quarter, with its quarterly target when set."""

    title: str  # the picture's accessible name and its table's caption (not drawn: too small)
    period_heading: str  # "Quarter"
    value_heading: str  # "Value"
    target_heading: str  # "Target": the table's column
    target_label: str  # the target line's name on the chart: a short word ("Target", "Cilj")
    chosen_label: str  # names the band of the chosen period ("FY 2016"); "" for no band
    start_label: str  # under the first point: the month the first quarter begins ("Apr 2014")
    end_label: str  # under the last point: the month the last quarter ends
    points: tuple[Point, ...]
    description: str = ""

    @property
    def has_target(self) -> bool:
        return any(point.target is not None for point in self.points)

    def table(self) -> FigureTable:
        headings: tuple[str, ...] = (self.period_heading, self.value_heading)
        if self.has_target:
            headings += (self.target_heading,)
        rows = []
        for point in self.points:
            cells: tuple[TableCell, ...] = (TableCell(point.shown, point.href),)
            if self.has_target:
                cells += (TableCell(point.target_shown),)
            rows.append(TableRow(point.label, cells))
        return FigureTable(self.title, headings, tuple(rows))


Chart = BarChart | Trend


# --- Drawing ------------------------------------------------------------------------------------


def figure_of(spec: Chart) -> Figure:
    """The specification drawn as a matplotlib figure (call within :func:`drawing.drawing`)."""
    if isinstance(spec, BarChart):
        return _bar_figure(spec)
    return _trend_figure(spec)


def _wrapped(label: str, width: int = LABEL_WIDTH) -> str:
    return "\n".join(textwrap.wrap(label, width, break_long_words=False)) or label


def _bar_figure(spec: BarChart) -> Figure:
    horizontal = spec.orientation == Orientation.HORIZONTAL
    count = max(len(spec.bars), 1)
    labels = [_wrapped(bar.label) for bar in spec.bars]
    if horizontal:
        # A row per bar, taller by half for each more line its label wraps to.
        rows = [1 + 0.55 * label.count("\n") for label in labels]
        positions = [sum(rows[:index]) + (row - 1) / 2 for index, row in enumerate(rows)]
        extent = sum(rows) or 1.0
        size = (4.2, 0.6 + 0.3 * extent)
    else:
        positions = [float(index) for index in range(len(spec.bars))]
        extent = float(count)
        size = (max(3.2, 0.75 * count + 0.8), 2.6)
    figure = drawing.new_figure(*size)
    axes = figure.add_subplot()
    # The title over the whole figure, from its left edge (not the bars'), wrapped to fit.
    figure.suptitle(
        # 38 characters: a Cyrillic line is wider than a Latin one of as many letters.
        _wrapped(spec.title, 38 if horizontal else int(size[0] * 9.5)),
        x=0.01,
        ha="left",
        fontsize=TEXT + 1,
        color=INK,
    )
    values = [max(bar.value, 0.0) for bar in spec.bars]
    top = max(values, default=0.0) or 1.0
    colours = [UNKNOWN_FILL if bar.unknown else BAR for bar in spec.bars]
    hatches = ["////" if bar.unknown else "" for bar in spec.bars]
    if horizontal:
        drawn = axes.barh(
            positions, values, height=0.68, color=colours, edgecolor=INK_SOFT, linewidth=0.6
        )
    else:
        drawn = axes.bar(
            positions, values, width=0.68, color=colours, edgecolor=INK_SOFT, linewidth=0.6
        )
    written = axes.bar_label(
        drawn, labels=[bar.shown for bar in spec.bars], padding=3, color=INK, fontsize=TEXT
    )
    for rectangle, text, hatch, bar in zip(drawn, written, hatches, spec.bars, strict=True):
        rectangle.set_hatch(hatch)
        if bar.href:
            rectangle.set_url(bar.href)
            text.set_url(bar.href)
    longest = max((len(bar.shown) for bar in spec.bars), default=1)
    room = top * (1 + 0.04 * (longest + 2)) if horizontal else top * 1.18
    _hide_value_axis(axes, horizontal)
    if horizontal:
        axes.set_xlim(0, room)
        axes.set_ylim(extent - 0.5, -0.5)  # the first category on top
        axes.set_yticks(positions, labels, color=INK, fontsize=TEXT)
        for tick, bar in zip(axes.get_yticklabels(), spec.bars, strict=True):
            tick.set_url(bar.href or None)
            if bar.unknown:
                tick.set_fontstyle("italic")
        _hit_areas(axes, spec.bars, positions, room, horizontal=True)
    else:
        axes.set_ylim(0, room)
        axes.set_xticks(positions, labels, color=INK, fontsize=TEXT)
        for tick, bar in zip(axes.get_xticklabels(), spec.bars, strict=True):
            tick.set_url(bar.href or None)
        _hit_areas(axes, spec.bars, positions, room, horizontal=False)
    return figure


def _hide_value_axis(axes: Axes, horizontal: bool) -> None:
    """Values are written on the bars: the value axis, its numbers and spine are left out."""
    value_axis = axes.xaxis if horizontal else axes.yaxis
    value_axis.set_visible(False)
    axes.spines["bottom" if horizontal else "left"].set_visible(False)
    axes.spines["left" if horizontal else "bottom"].set_color(INK_SOFT)
    axes.tick_params(length=0, pad=4)


def _hit_areas(
    axes: Axes, bars: Sequence[Bar], positions: Sequence[float], room: float, *, horizontal: bool
) -> None:
    """A transparent band across each linked bar's row, so that a bar too short to aim at
    still opens its records."""
    linked = [(x, bar.href) for x, bar in zip(positions, bars, strict=True) if bar.href]
    if not linked:
        return
    where, lengths = [x for x, _href in linked], [room] * len(linked)
    if horizontal:
        areas = axes.barh(where, lengths, height=0.9, color=HIT, zorder=0)
    else:
        areas = axes.bar(where, lengths, width=0.9, color=HIT, zorder=0)
    for area, (_x, href) in zip(areas, linked, strict=True):
        area.set_url(href)


def _trend_figure(spec: Trend) -> Figure:
    figure = drawing.new_figure(3.2, 1.15)
    # Fixed margins rather than a layout engine: a trend's few labels have known places (dates
    # below, the chosen period above, "Target" to the right), and a dashboard draws sixteen.
    figure.set_layout_engine("none")
    right = 0.97 - (0.022 * len(spec.target_label) + 0.03 if spec.has_target else 0.0)
    right = max(right, 0.7)
    axes = figure.add_axes((0.03, 0.19, right - 0.03, 0.86 - 0.19))
    positions = list(range(len(spec.points)))
    values = [point.value for point in spec.points]
    known = [(x, v) for x, v in zip(positions, values, strict=True) if v is not None]
    targets = [p.target for p in spec.points]
    top = max([v for _x, v in known] + [t for t in targets if t is not None], default=0.0) or 1.0
    axes.set_ylim(-0.08 * top, top * 1.45)  # room above the highest point for its value
    axes.set_xlim(-0.6, max(len(spec.points) - 0.4, 0.6))

    chosen = [x for x, point in zip(positions, spec.points, strict=True) if point.chosen]
    if spec.chosen_label and chosen:
        start, end = min(chosen) - 0.45, max(chosen) + 0.45
        axes.axvspan(start, end, color=BAND, zorder=0, linewidth=0)
        # Named above the band; a band near an end is named from that end inwards.
        third = len(spec.points) / 3
        if min(chosen) < third and max(chosen) < 2 * third:
            where, align = start + 0.1, "left"
        elif min(chosen) > third and max(chosen) >= 2 * third:
            where, align = end - 0.1, "right"
        else:
            where, align = (start + end) / 2, "center"
        axes.text(
            where,
            1.02,
            spec.chosen_label,
            transform=axes.get_xaxis_transform(),
            ha=align,
            va="bottom",
            fontsize=SMALL,
            color=INK_SOFT,
        )
    if spec.has_target:
        axes.step(
            positions,
            [t if t is not None else float("nan") for t in targets],
            where="mid",
            color=TARGET,
            linestyle=(0, (3, 2)),
            linewidth=1.1,
        )
        last = max(x for x, t in zip(positions, targets, strict=True) if t is not None)
        axes.annotate(  # named in the margin, beside the line's last step, where no point is
            spec.target_label,
            (1.0, targets[last] or 0.0),
            xycoords=axes.get_yaxis_transform(),
            xytext=(3, 0),
            textcoords="offset points",
            fontsize=SMALL,
            color=TARGET,
            va="center",
            ha="left",
        )
    axes.plot(
        positions,
        [v if v is not None else float("nan") for v in values],
        color=BAR,
        linewidth=1.6,
        marker="o",
        markersize=3,
    )
    if known:
        last_x, last_value = known[-1]
        axes.annotate(
            spec.points[last_x].shown,
            (last_x, last_value),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=SMALL + 0.5,
            fontweight="bold",
            color=INK,
        )
        peak_x, peak_value = max(known, key=lambda item: item[1])
        if peak_x != last_x and peak_value > last_value:
            axes.annotate(
                spec.points[peak_x].shown,
                (peak_x, peak_value),
                xytext=(0, 4),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=SMALL,
                color=INK,
            )
    linked = [(x, point.href) for x, point in enumerate(spec.points) if point.href]
    if linked:  # a transparent column over each quarter opens it: a dot is too small to aim at
        areas = axes.bar(
            [x for x, _href in linked],
            [top * 1.53] * len(linked),
            bottom=-0.08 * top,
            width=1.0,
            color=HIT,
            zorder=10,  # above the line and its dots, so that a click anywhere in it opens it
        )
        for area, (_x, href) in zip(areas, linked, strict=True):
            area.set_url(href)
    if len(spec.points) > 1:
        axes.set_xticks([0, len(spec.points) - 1], [spec.start_label, spec.end_label])
    else:
        axes.set_xticks([0], [f"{spec.start_label} – {spec.end_label}"])
    ticks = axes.get_xticklabels()
    for tick in ticks:
        tick.set_fontsize(SMALL)
        tick.set_color(INK_SOFT)
    if len(ticks) == 2:  # the dates stay under the line's ends, inside the picture
        ticks[0].set_horizontalalignment("left")
        ticks[1].set_horizontalalignment("right")
    axes.yaxis.set_visible(False)
    axes.spines["left"].set_visible(False)
    axes.spines["bottom"].set_color(INK_SOFT)
    axes.tick_params(length=2, pad=2)
    return figure


# --- SVG and PNG, cached ------------------------------------------------------------------------


def _key(spec: Chart, kind: str, language: str) -> str:
    text = f"{RENDERER_VERSION}|{kind}|{language}|{spec!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


_LINK_TARGET = re.compile(r' target="_blank"')
_REFERENCE = re.compile(r'(\bid="|url\(#|xlink:href="#)(?!chart-)([A-Za-z_][\w.-]*)')
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)
_LABEL_ID = re.compile(r"chart-[0-9a-f]{10}")


def _page_ready(svg: str, key: str) -> str:
    """The SVG made safe to put beside others in one page: its ids (clip paths, hatches,
    markers, title) prefixed by the chart's own hash, links in the same tab and out of the tab
    order (the table beside it carries them), matplotlib's metadata left out."""
    prefix = f"c{key[:10]}-"
    svg = _METADATA.sub("", svg)
    svg = _LINK_TARGET.sub(' tabindex="-1"', svg)
    svg = _REFERENCE.sub(lambda match: match.group(1) + prefix + match.group(2), svg)
    return _LABEL_ID.sub(f"chart-{key[:10]}", svg)


def svg(spec: Chart, language: str | None = None) -> str:
    """The chart as an inline SVG element, labelled by its title; cached by specification and
    language."""
    language = language or get_language() or ""
    key = _key(spec, "svg", language)
    found: str | None = cache.get(key)
    if found is None:
        with drawing.drawing():
            figure = figure_of(spec)
            found = _page_ready(
                drawing.svg_of(figure, title=spec.title, description=spec.description), key
            )
        cache.set(key, found, CACHE_SECONDS)
    return found


def png(spec: Chart, language: str | None = None, *, dpi: int = 200) -> bytes:
    """The chart as PNG bytes for a document; cached like :func:`svg`."""
    language = language or get_language() or ""
    key = _key(spec, f"png{dpi}", language)
    found: bytes | None = cache.get(key)
    if found is None:
        with drawing.drawing():
            found = drawing.png_of(figure_of(spec), dpi=dpi)
        cache.set(key, found, CACHE_SECONDS)
    return found


@dataclass(frozen=True)
class ShownChart:
    """A chart as a page shows it (``reports/_chart.html``): the SVG, then its figures as a
    table in a ``<details>``; or, with ``described_by``, the SVG described by a table the page
    already shows beside it (an indicator's breakdown), not repeated."""

    spec: Chart
    svg: SafeString
    described_by: str = ""  # the id of the table on the page that holds the chart's figures
    html: SafeString = field(default=SafeString(""), compare=False)

    @property
    def kind(self) -> str:
        return "bars" if isinstance(self.spec, BarChart) else "trend"

    @property
    def table(self) -> FigureTable:
        return self.spec.table()


def shown(spec: Chart, language: str | None = None, *, described_by: str = "") -> ShownChart:
    """The chart with its markup for a page, the SVG and the whole figure cached together like
    :func:`svg` (a dashboard shows seventeen charts: one cache read each)."""
    language = language or get_language() or ""
    key = _key(spec, f"shown|{described_by}", language)
    found: tuple[str, str] | None = cache.get(key)
    if found is None:
        # The SVG is written by matplotlib, which escapes the specification's text itself.
        chart = ShownChart(spec, mark_safe(svg(spec, language)), described_by)
        with translation.override(language):
            html = render_to_string("reports/_chart.html", {"chart": chart})
        cache.set(key, (chart.svg, html), CACHE_SECONDS)
        return dataclasses.replace(chart, html=mark_safe(html))
    picture, markup = found
    return ShownChart(spec, mark_safe(picture), described_by, mark_safe(markup))


# --- As a picture in a document, kept and drawn again -------------------------------------------


@dataclass(frozen=True)
class ChartDrawing:
    """A chart in a document (:class:`akt.reports.document.Picture`): drawn when written, in
    the document's language, so a kept document holds its specification, not its pixels."""

    spec: Chart
    language: str

    def png(self) -> bytes:
        return png(self.spec, self.language)

    def svg(self) -> str:
        return svg(self.spec, self.language)

    def as_json(self) -> dict[str, object]:
        kind = "bars" if isinstance(self.spec, BarChart) else "trend"
        return {"kind": kind, "language": self.language, "spec": dataclasses.asdict(self.spec)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ChartDrawing:
        """The drawing :meth:`as_json` wrote."""
        fields = dict(data["spec"])
        spec: Chart
        if data["kind"] == "bars":
            fields["bars"] = tuple(Bar(**bar) for bar in fields["bars"])
            fields["orientation"] = Orientation(fields["orientation"])
            spec = BarChart(**fields)
        else:
            fields["points"] = tuple(Point(**point) for point in fields["points"])
            spec = Trend(**fields)
        return cls(spec, data["language"])
