"""The map of Kosovo's municipalities: a declarative specification and the picture drawn from it.

A map is described once, as plain data (:class:`MapSpec`): every municipality with its name in
the reader's language, its value and the value as written, the class of the palette it is filled
with, the page it links to and whether it is an AKT partner; the legend; the title. The renderer
draws that specification with matplotlib (:mod:`akt.reports.drawing`), so the page shows the SVG
and a Word or PDF report the PNG of the same picture.

What the picture promises:

- All 38 municipalities are drawn from the boundaries shipped in ``akt/places/data``
  (OpenStreetMap via geoBoundaries, ODbL), including Viti's hole where Kllokot sits and the
  second parts of Prishtinë and Kamenicë. Longitude is scaled by the cosine of Kosovo's middle
  latitude, so the country keeps its shape.
- The colour is a sequential palette of a few classes, lightest for zero; a municipality whose
  figure the viewer may not read is grey and has no figure. Colour is never the only carrier:
  every figure is also written on the map and listed in the page's table, and the 16 partner
  municipalities are hatched and outlined, which the legend explains.
- Each municipality links to its profile page, with its name and figure as the link's title.
- The attribution the boundaries' licence requires is part of the picture.
- The same specification gives the same bytes; the page's SVG is cached under a hash of it.
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import lru_cache
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import numpy as np
from django import forms
from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.counting import engine
from akt.forms import form_field
from akt.indicators.models import Indicator
from akt.indicators.selectors import IndicatorValue
from akt.indicators.sentences import format_value
from akt.places.models import Municipality
from akt.reports import drawing
from akt.reports.forms import ResultsChoice
from akt.reports.periods import LIFE_OF_PROJECT
from akt.reports.selectors import reading_key

if TYPE_CHECKING:
    from matplotlib.figure import Figure

Number = int | Decimal

BOUNDARIES = "data/kosovo-municipalities.geo.json"
"""The boundaries file inside :mod:`akt.places` (a copy of the reference file, same bytes)."""

COPYRIGHT_URL = "https://www.openstreetmap.org/copyright"

MIDDLE_LATITUDE = 42.6
"""Kosovo's middle latitude: longitude is scaled by its cosine (an equirectangular projection
true to scale there, which over a country 1.4 degrees tall distorts by under 1.5%)."""

ZERO_FILL = "#f7fbff"
CLASS_FILLS = {
    1: ("#6baed6",),
    2: ("#9ecae1", "#2171b5"),
    3: ("#c6dbef", "#6baed6", "#08519c"),
    4: ("#c6dbef", "#6baed6", "#2171b5", "#08306b"),
}
"""A sequential palette (ColorBrewer Blues) by the number of classes of non-zero values."""
NO_FIGURE_FILL = "#d9d9d9"
PARTNER_EDGE = "#1d2733"
OTHER_EDGE = "#7a8591"
RENDERING = "1"  # bump when the drawing changes, so cached pictures are drawn again

MAX_CLASSES = 4
ROOM_FOR_NAME = 0.02
"""How far (in projected degrees, about 2 km) the label point must lie from a municipality's
border for its name to be written there; a smaller one shows its figure only."""
NAME_SIZE = 5.5  # points
FIGURE_SIZE = 6.5
POINTS_PER_DEGREE = 320
"""About how many points of the drawn figure one projected degree takes (the map's height sets
its scale): used to judge whether a name fits before anything is laid out."""


# --- The specification ------------------------------------------------------------------------


@dataclass(frozen=True)
class MapArea:
    """One municipality on the map."""

    code: str
    name: str  # in the reader's language and script
    value: Number | None  # None: no figure for this viewer
    shown: str  # the value as the reader writes it; "" without a figure
    fill: int | None  # the class (index into ``MapSpec.classes``); None: grey, no figure
    href: str  # its profile page
    is_partner: bool


@dataclass(frozen=True)
class MapClass:
    """One class of the palette: its colour and what the legend writes for it ("1–12")."""

    label: str
    color: str


@dataclass(frozen=True)
class MapSpec:
    title: str
    subtitle: str  # the period, or "" for none
    description: str  # for screen readers: what the map shows and where its figures are listed
    areas: tuple[MapArea, ...]
    classes: tuple[MapClass, ...]
    legend_title: str
    no_figure: str  # the legend's words for a grey municipality; "" when none is grey
    partner: str  # the legend's words for the hatched outline
    attribution: str

    def key(self) -> str:
        """A hash of everything drawn: the same key, the same picture."""
        text = json.dumps(asdict(self), default=str, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(f"{RENDERING}\n{text}".encode()).hexdigest()


def attribution_text() -> str:
    """The line the boundaries' licence asks every map to show, in the reader's language."""
    return _("Boundaries © %(openstreetmap)s contributors, via %(geoboundaries)s") % BRANDS


BRANDS = {"openstreetmap": "OpenStreetMap", "geoboundaries": "geoBoundaries"}
"""Names that stay as they are in every language and script (placeholders, so that the
Serbian Cyrillic catalogue, converted from the Latin one, does not transliterate them)."""


# --- Classes of values ------------------------------------------------------------------------


def value_classes(values: Sequence[Number], *, classes: int = MAX_CLASSES) -> list[list[Number]]:
    """The non-zero values split into at most ``classes`` groups of about as many municipalities
    each (quantiles), smallest first; equal values always share a group. Zero is its own class
    on the map and is not among these."""
    ordered = sorted(value for value in values if value)
    if not ordered:
        return []
    count = min(classes, len(set(ordered)))
    groups: list[list[Number]] = []
    start = 0
    for number in range(1, count + 1):
        end = len(ordered) if number == count else round(number * len(ordered) / count)
        end = max(end, start + 1)
        while end < len(ordered) and ordered[end] == ordered[end - 1]:
            end += 1  # keep equal values together
        if start < end:
            groups.append(ordered[start:end])
        start = end
        if start >= len(ordered):
            break
    return groups


def range_label(low: str, high: str) -> str:
    """A class of the legend: "1–12", or one value when the class holds only one."""
    if low == high:
        return low
    return _("%(low)s–%(high)s") % {"low": low, "high": high}


def indicator_map(
    *,
    title: str,
    subtitle: str,
    values: Mapping[int, Number],
    municipalities: Mapping[int, Municipality],
    readable: frozenset[int] | None,
    language: str,
    currency: str = "",
    legend_title: str = "",
    href: Callable[[Municipality], str],
) -> MapSpec:
    """The map of one indicator's figure per municipality.

    ``values`` are the figures by municipality id (a municipality the figures leave out has
    zero); ``readable`` the municipalities whose figures the viewer may read (None: all): the
    others are drawn grey, without a figure, whatever ``values`` holds.
    """
    figures: dict[int, Number] = {
        pk: values.get(pk, 0) for pk in municipalities if readable is None or pk in readable
    }
    groups = value_classes(list(figures.values()))
    fills = CLASS_FILLS.get(len(groups), ())
    classes: list[MapClass] = []
    class_of: dict[Number, int] = {}
    if any(value == 0 for value in figures.values()):
        class_of[0] = 0
        classes.append(MapClass(format_value(0, language, currency), ZERO_FILL))
    for group, color in zip(groups, fills, strict=True):
        for member in group:
            class_of[member] = len(classes)
        low = format_value(group[0], language, currency)
        high = format_value(group[-1], language, currency)
        classes.append(MapClass(range_label(low, high), color))

    areas = []
    for pk, municipality in municipalities.items():
        value = figures.get(pk)
        areas.append(
            MapArea(
                code=municipality.code,
                name=municipality.name,
                value=value,
                shown="" if value is None else format_value(value, language, currency),
                fill=None if value is None else class_of[value],
                href=href(municipality),
                is_partner=municipality.is_partner,
            )
        )
    areas.sort(key=lambda area: area.code)
    grey = any(area.fill is None for area in areas)
    return MapSpec(
        title=title,
        subtitle=subtitle,
        description=_(
            "A map of Kosovo's municipalities coloured by the figure of each, darker for "
            "more; the partner municipalities are hatched. The table after the map lists "
            "every municipality's figure."
        ),
        areas=tuple(areas),
        classes=tuple(classes),
        legend_title=legend_title,
        no_figure=_("No figure shown") if grey else "",
        partner=_("Partner municipality"),
        attribution=attribution_text(),
    )


# --- The boundaries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A municipality's outline, projected: its parts (each an exterior ring and its holes,
    as arrays of x, y) and a point well inside its largest part for the label."""

    parts: tuple[tuple[np.ndarray, tuple[np.ndarray, ...]], ...]
    label_at: tuple[float, float]
    room: float  # the label point's distance to the nearest edge
    area: float


def _project(ring: Sequence[Sequence[float]]) -> np.ndarray:
    points = np.asarray(ring, dtype=float)
    scale = math.cos(math.radians(MIDDLE_LATITUDE))
    return np.column_stack((points[:, 0] * scale, points[:, 1]))


def _ring_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return float(abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))) / 2)


def _distance_to_edges(points: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Each point's distance to the nearest edge of ``rings`` (points by edges, one plane of
    numbers per coordinate)."""
    starts = np.concatenate([ring[:-1] for ring in rings])
    ends = np.concatenate([ring[1:] for ring in rings])
    sx, sy = starts[:, 0][None, :], starts[:, 1][None, :]
    dx, dy = ends[:, 0][None, :] - sx, ends[:, 1][None, :] - sy
    px, py = points[:, 0][:, None], points[:, 1][:, None]
    along = np.clip(((px - sx) * dx + (py - sy) * dy) / np.maximum(dx * dx + dy * dy, 1e-18), 0, 1)
    gap_x, gap_y = sx + along * dx - px, sy + along * dy - py
    result: np.ndarray = np.sqrt((gap_x * gap_x + gap_y * gap_y).min(axis=1))
    return result


def _inside(points: np.ndarray, exterior: np.ndarray, holes: Sequence[np.ndarray]) -> np.ndarray:
    from matplotlib.path import Path

    inside: np.ndarray = Path(exterior).contains_points(points)
    for hole in holes:
        inside &= ~Path(hole).contains_points(points)
    return inside


def _label_point(
    exterior: np.ndarray, holes: Sequence[np.ndarray]
) -> tuple[tuple[float, float], float]:
    """The point inside a part farthest from its edges, and that distance: found on a grid,
    then on finer grids around the best point. A label centred there sits clear of borders."""
    rings = [exterior, *holes]
    low, high = exterior.min(axis=0), exterior.max(axis=0)
    best, room = (low + high) / 2, 0.0
    span = high - low
    for _round in range(3):
        xs = np.linspace(best[0] - span[0] / 2, best[0] + span[0] / 2, 19)
        ys = np.linspace(best[1] - span[1] / 2, best[1] + span[1] / 2, 19)
        grid = np.array([(x, y) for y in ys for x in xs])
        inside = _inside(grid, exterior, holes)
        if not inside.any():
            break
        candidates = grid[inside]
        distances = _distance_to_edges(candidates, rings)
        found = int(np.argmax(distances))
        if distances[found] > room:
            best, room = candidates[found], float(distances[found])
        span = span / 5
    return (float(best[0]), float(best[1])), room


@lru_cache(maxsize=1)
def boundaries() -> dict[str, Shape]:
    """Every municipality's shape by code, read from the shipped file once per process."""
    text = resources.files("akt.places").joinpath(BOUNDARIES).read_text(encoding="utf-8")
    shapes = {}
    for feature in json.loads(text)["features"]:
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        parts = tuple(
            (_project(polygon[0]), tuple(_project(ring) for ring in polygon[1:]))
            for polygon in polygons
        )
        areas = [_ring_area(exterior) - sum(map(_ring_area, holes)) for exterior, holes in parts]
        label_at, room = _label_point(*parts[int(np.argmax(areas))])
        shapes[feature["properties"]["code"]] = Shape(
            parts=parts, label_at=label_at, room=room, area=sum(areas)
        )
    return shapes


# --- Drawing ----------------------------------------------------------------------------------


def _extent(shapes: Mapping[str, Shape]) -> tuple[np.ndarray, np.ndarray]:
    """The lowest and highest x and y of every outline: the map's frame."""
    exteriors = [exterior for shape in shapes.values() for exterior, _holes in shape.parts]
    points = np.concatenate(exteriors)
    return points.min(axis=0), points.max(axis=0)


def _path_of(shape: Shape) -> Any:
    """One compound path of all the parts and holes: holes run against their exterior, so the
    non-zero fill leaves them open."""
    from matplotlib.path import Path

    vertices, codes = [], []
    for exterior, holes in shape.parts:
        for ring in (exterior, *holes):
            vertices.append(ring)
            codes.append([Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY])
    return Path(np.concatenate(vertices), np.concatenate(codes).astype(Path.code_type))


def _ink_on(color: str) -> str:
    """Dark text on a light fill, white on a dark one."""
    red, green, blue = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return "#ffffff" if 0.2126 * red + 0.7152 * green + 0.0722 * blue < 0.45 else "#1d2733"


def _fill_of(spec: MapSpec, area: MapArea) -> str:
    return NO_FIGURE_FILL if area.fill is None else spec.classes[area.fill].color


def _name_fits(name: str, shape: Shape) -> bool:
    """Whether a name, centred on the label point, stays (about) inside its municipality: its
    half width, estimated from its length, within the room around the point (the room is a
    circle's radius, and a municipality is wider than that circle, hence some leeway)."""
    half_width = len(name) * NAME_SIZE * 0.3 / POINTS_PER_DEGREE
    return half_width <= shape.room * 1.6 and shape.room >= ROOM_FOR_NAME


def _label(axes: Any, shape: Shape, area: MapArea, fill: str) -> None:
    """The municipality's name where it fits, and its figure, each on a ground of the
    municipality's own colour, so that a label over a border or the hatching stays readable."""
    x, y = shape.label_at
    ink = _ink_on(fill)
    ground = {"boxstyle": "round,pad=0.1", "facecolor": fill, "edgecolor": "none", "alpha": 0.8}
    named = _name_fits(area.name, shape)
    if named:
        va = "bottom" if area.shown else "center"
        axes.text(x, y, area.name, ha="center", va=va, fontsize=NAME_SIZE, color=ink, bbox=ground)
    if area.shown:
        axes.text(
            x,
            y,
            area.shown,
            ha="center",
            va="top" if named else "center",
            fontsize=FIGURE_SIZE,
            fontweight="bold",
            color=ink,
            bbox=ground,
        )


def draw(spec: MapSpec) -> Figure:
    """The map as a matplotlib figure (not registered with pyplot)."""
    from matplotlib.patches import Patch, PathPatch

    shapes = boundaries()
    figure = drawing.new_figure(6.4, 7.4)
    with drawing.drawing():
        axes = figure.add_subplot()
        axes.set_axis_off()
        axes.set_aspect("equal")
        title = "\n".join(textwrap.wrap(spec.title, 72))
        axes.set_title(title + (f"\n{spec.subtitle}" if spec.subtitle else ""), loc="left")
        # Partners last, so their outline lies over their neighbours' thinner one.
        for area in sorted(spec.areas, key=lambda area: (area.is_partner, area.code)):
            patch = PathPatch(
                _path_of(shapes[area.code]),
                facecolor=_fill_of(spec, area),
                edgecolor=PARTNER_EDGE if area.is_partner else OTHER_EDGE,
                linewidth=1.5 if area.is_partner else 0.5,
                hatch="////" if area.is_partner else None,
                joinstyle="round",
            )
            if area.is_partner:
                patch.set_hatchcolor("#1d273366")
                patch.set_hatch_linewidth(0.5)
            if area.href:
                patch.set_url(area.href)
            patch.set_gid(f"municipality-{area.code}")
            axes.add_artist(patch)  # not add_patch: the limits are known, not measured
        for area in spec.areas:
            _label(axes, shapes[area.code], area, _fill_of(spec, area))
        low, high = _extent(shapes)
        margin = (high - low) * 0.01
        axes.set_xlim(low[0] - margin[0], high[0] + margin[0])
        axes.set_ylim(low[1] - margin[1], high[1] + margin[1])
        handles = [
            Patch(facecolor=item.color, edgecolor=OTHER_EDGE, linewidth=0.5, label=item.label)
            for item in spec.classes
        ]
        if spec.no_figure:
            handles.append(
                Patch(
                    facecolor=NO_FIGURE_FILL,
                    edgecolor=OTHER_EDGE,
                    linewidth=0.5,
                    label=spec.no_figure,
                )
            )
        partner = Patch(
            facecolor="#ffffff",
            edgecolor=PARTNER_EDGE,
            linewidth=1.5,
            hatch="////",
            label=spec.partner,
        )
        partner.set_hatchcolor("#1d273366")
        handles.append(partner)
        figure.legend(
            handles=handles,
            title=spec.legend_title,
            loc="outside lower center",
            ncols=3,
            frameon=False,
            fontsize=8,
            title_fontsize=8,
            alignment="left",
        )
        axes.text(
            1,
            0,
            "\n".join(textwrap.wrap(spec.attribution, 34)),
            transform=axes.transAxes,
            ha="right",
            va="bottom",
            fontsize=6.5,
            color="#4a5663",
        )
    return figure


def _with_link_titles(svg: str, spec: MapSpec) -> str:
    """Each municipality's link carries its name and figure as a title (shown on hover), and
    stays out of the tab order and the accessibility tree: the table after the map holds the
    same links and figures for keyboards and screen readers."""
    for area in spec.areas:
        if not area.href:
            continue
        anchor = f'<a xlink:href="{escape(area.href)}" target="_blank">'
        label = area.name if not area.shown else f"{area.name}: {area.shown}"
        svg = svg.replace(
            anchor,
            f'<a xlink:href="{escape(area.href)}" class="map-area" tabindex="-1" '
            f'aria-hidden="true"><title>{escape(label)}</title>',
            1,
        )
    return svg


def render_svg(spec: MapSpec) -> str:
    """The map as an inline SVG element, labelled by its title and description."""
    figure = draw(spec)
    title = spec.title + (f", {spec.subtitle}" if spec.subtitle else "")
    svg = drawing.svg_of(figure, title=title, description=spec.description)
    return _with_link_titles(svg.replace('class="chart-svg"', 'class="chart-svg map-svg"', 1), spec)


def map_svg(spec: MapSpec) -> str:
    """The map's SVG, from the cache when the same specification was drawn before."""
    key = f"akt:map-svg:{spec.key()}"
    svg = cache.get(key)
    if svg is None:
        svg = render_svg(spec)
        cache.set(key, svg, timeout=60 * 60 * 24)
    return str(svg)


def map_png(spec: MapSpec, *, dpi: int = 200) -> bytes:
    """The map as PNG bytes, for a Word or PDF report."""
    return drawing.png_of(draw(spec), dpi=dpi)


def breakdown_by_municipality(
    breakdowns: Mapping[engine.Disaggregation, Mapping[engine.Cell, Number]],
) -> tuple[dict[int, Number], Number]:
    """The figures' municipality split as ``{municipality id: value}``, and what no
    municipality holds (the engine's unknown cell)."""
    cells = breakdowns.get("municipality", {})
    by_id: dict[int, Number] = {}
    unknown: Number = 0
    for cell, value in cells.items():
        if cell == engine.UNKNOWN or not isinstance(cell, str) or not cell.isdigit():
            unknown += value
        else:
            by_id[int(cell)] = value
    return by_id, unknown


# --- The map page -----------------------------------------------------------------------------


class MapIndicatorForm(forms.Form):
    """Which indicator the map is coloured by, read from the address (``?indicator=<code>``)."""

    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"), required=False)

    def __init__(self, data: QueryDict, *, indicators: Sequence[Indicator]) -> None:
        """None asked, or one that is not active: the first indicator, shown as chosen."""
        self.indicators = {indicator.code: indicator for indicator in indicators}
        asked = data.copy()
        if asked.get("indicator") not in self.indicators and self.indicators:
            asked["indicator"] = next(iter(self.indicators))
        super().__init__(asked)
        form_field(self, "indicator", forms.ChoiceField).choices = [
            (indicator.code, indicator.name) for indicator in indicators
        ]

    def chosen(self) -> Indicator | None:
        """The indicator the map is coloured by; None when no indicator is active."""
        code = self.cleaned_data.get("indicator") if self.is_valid() else None
        return self.indicators.get(code or "")


@dataclass(frozen=True)
class MapRow:
    """One municipality in the table after the map: what the map shows, in words."""

    name: str
    is_partner: bool
    shown: str  # "" when the viewer has no figure for it
    href: str  # its profile; "" when the viewer may not open it
    figure_href: str  # the indicator's page for it: the records behind the figure


@dataclass(frozen=True)
class MapPage:
    indicator: Indicator
    spec: MapSpec
    svg: str
    rows: list[MapRow]
    unknown: str  # the part of the figure no municipality holds, formatted; "" when none


def profile_url(municipality: Municipality, choice: ResultsChoice) -> str:
    """A municipality's profile for the same period as the page that links to it."""
    return reverse("reports:municipality", args=[municipality.code]) + _period_query(choice)


def _period_query(choice: ResultsChoice, **more: object) -> str:
    """The address's query for the chosen period (none for the default) and ``more``."""
    params = {"period": choice.period.key} if choice.period != LIFE_OF_PROJECT else {}
    params.update({key: str(value) for key, value in more.items()})
    return f"?{urlencode(params)}" if params else ""


def map_page(
    item: IndicatorValue,
    *,
    choice: ResultsChoice,
    municipalities: Mapping[int, Municipality],
    readable: frozenset[int] | None,
    language: str,
) -> MapPage:
    """The map of one computed indicator, and its table, for a viewer who may read the
    figures of ``readable`` municipalities (None: all) and open their profiles."""
    indicator = item.indicator
    currency = indicator.currency if indicator.unit == "amount" else ""
    values, unknown = breakdown_by_municipality(item.figures.breakdowns)

    def href(municipality: Municipality) -> str:
        if readable is not None and municipality.pk not in readable:
            return ""
        return profile_url(municipality, choice)

    spec = indicator_map(
        title=indicator.name,
        subtitle=choice.period_label,
        values=values,
        municipalities=municipalities,
        readable=readable,
        language=language,
        currency=currency,
        legend_title=indicator.unit_of_measure,
        href=href,
    )
    by_code = {municipality.code: municipality for municipality in municipalities.values()}
    # A viewer who reads some municipalities' figures only has a row for each of those.
    rows = [
        MapRow(
            name=area.name,
            is_partner=area.is_partner,
            shown=area.shown,
            href=area.href,
            figure_href=""
            if not area.shown
            else reverse("reports:indicator", args=[indicator.code])
            + _period_query(choice, municipality=by_code[area.code].pk),
        )
        for area in spec.areas
        if readable is None or by_code[area.code].pk in readable
    ]
    rows.sort(key=lambda row: reading_key(row.name))
    return MapPage(
        indicator=indicator,
        spec=spec,
        svg=map_svg(spec),
        rows=rows,
        unknown=format_value(unknown, language, currency) if unknown else "",
    )


# --- As a picture in a document, kept and drawn again -------------------------------------------


def _number_text(value: Number | None) -> str | None:
    return None if value is None else str(value)


def _number_from(text: str | None) -> Number | None:
    if text is None:
        return None
    return Decimal(text) if any(mark in text for mark in ".eE") else int(text)


@dataclass(frozen=True)
class MapDrawing:
    """A map in a document (:class:`akt.reports.document.Picture`): drawn when written."""

    spec: MapSpec

    def png(self) -> bytes:
        key = f"akt:map-png:{self.spec.key()}"
        found = cache.get(key)
        if found is None:
            found = map_png(self.spec)
            cache.set(key, found, timeout=60 * 60 * 24)
        return bytes(found)

    def svg(self) -> str:
        return map_svg(self.spec)

    def as_json(self) -> dict[str, Any]:
        spec = asdict(self.spec)
        for area in spec["areas"]:
            area["value"] = _number_text(area["value"])
        return {"kind": "map", "spec": spec}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> MapDrawing:
        """The drawing :meth:`as_json` wrote."""
        fields = dict(data["spec"])
        fields["areas"] = tuple(
            MapArea(**{**area, "value": _number_from(area["value"])}) for area in fields["areas"]
        )
        fields["classes"] = tuple(MapClass(**item) for item in fields["classes"])
        return cls(MapSpec(**fields))
