"""The map: its specification drawn as SVG and PNG, from the boundaries shipped in the app."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from matplotlib.path import Path as MplPath

from akt.places.models import Municipality
from akt.reports import maps
from akt.reports.selectors import municipalities_by_id

pytestmark = pytest.mark.django_db

PARTNERS = {
    "gjilan", "gracanice", "istog", "kline", "kllokot", "leposaviq", "mitrovice-e-veriut",
    "novoberde", "obiliq", "partesh", "peje", "ranillug", "shterpce", "vushtrri",
    "zubin-potok", "zvecan",
}  # fmt: skip


def profile(municipality: Municipality) -> str:
    return reverse("reports:municipality", args=[municipality.code])


def spec_for(values: dict[str, int], *, readable: set[str] | None = None, language: str = "en"):
    """A map of ``values`` by municipality code, drawn in ``language``."""
    municipalities = municipalities_by_id()
    by_code = {m.code: m for m in municipalities.values()}
    with translation.override(language):
        return maps.indicator_map(
            title="Participants",
            subtitle="Life of project",
            values={by_code[code].pk: value for code, value in values.items()},
            municipalities=municipalities,
            readable=None if readable is None else frozenset(by_code[c].pk for c in readable),
            language=language,
            legend_title="Number",
            href=lambda m: "" if readable is not None and m.code not in readable else profile(m),
        )


def groups(svg: str) -> dict[str, str]:
    """Each municipality's group of the SVG, by code."""
    found = {}
    for match in re.finditer(r'<g id="municipality-([a-z-]+)">(.*?)</g>', svg, re.S):
        found[match.group(1)] = match.group(2)
    return found


@pytest.fixture
def svg(reference: None) -> str:
    return maps.render_svg(spec_for({"gracanice": 12, "zvecan": 40, "gjilan": 3, "prizren": 7}))


def test_the_boundaries_ship_inside_the_app_and_match_the_municipalities(reference) -> None:
    shipped = resources.files("akt.places").joinpath(maps.BOUNDARIES)
    assert (
        Path(str(shipped))
        .resolve()
        .is_relative_to(Path(maps.__file__).resolve().parents[1] / "places")
    )
    assert set(maps.boundaries()) == set(Municipality.objects.values_list("code", flat=True))
    assert len(maps.boundaries()) == 38


def test_holes_and_second_parts_are_drawn(reference) -> None:
    shapes = maps.boundaries()
    viti, kllokot = shapes["viti"], shapes["kllokot"]
    assert len(viti.parts) == 1 and len(viti.parts[0][1]) == 1  # one hole
    hole = MplPath(viti.parts[0][1][0])
    assert hole.contains_point(kllokot.label_at)  # Kllokot sits in Viti's hole...
    assert len(shapes["prishtine"].parts) == 2 and len(shapes["kamenice"].parts) == 2
    # ... and Viti's own label is not in it.
    assert not hole.contains_point(viti.label_at)
    assert MplPath(viti.parts[0][0]).contains_point(viti.label_at)
    # The drawn path of Viti has its outline and its hole, Prishtinë its two parts.
    assert maps._path_of(viti).codes.tolist().count(MplPath.MOVETO) == 2
    assert maps._path_of(shapes["prishtine"]).codes.tolist().count(MplPath.MOVETO) == 2


def test_longitude_is_scaled_by_the_cosine_of_the_latitude(reference) -> None:
    ring = maps._project([[21.0, 42.6], [20.0, 42.6]])
    assert ring[0, 0] - ring[1, 0] == pytest.approx(np.cos(np.radians(42.6)))
    assert ring[0, 1] == 42.6


def test_every_municipality_is_drawn_and_links_to_its_profile(svg: str) -> None:
    drawn = groups(svg)
    assert len(drawn) == 38
    for municipality in Municipality.objects.all():
        assert f'xlink:href="{profile(municipality)}"' in drawn[municipality.code]
    assert svg.count('class="map-area"') == 38
    assert 'target="_blank"' not in svg  # the profile opens in the same tab


def test_the_partners_are_hatched_and_outlined_and_the_legend_says_so(svg: str) -> None:
    drawn = groups(svg)
    hatched = {code for code, group in drawn.items() if "url(#h" in group}
    assert hatched == PARTNERS
    assert Municipality.objects.filter(is_partner=True).count() == 16
    thick = {code for code, group in drawn.items() if "stroke-width: 1.5" in group}
    assert thick == PARTNERS
    assert ">Partner municipality<" in svg


def test_figures_are_written_on_the_map_and_titled_on_each_link(svg: str) -> None:
    drawn = groups(svg)
    assert "<title>Gračanica/Graçanicë: 12</title>" in drawn["gracanice"]
    assert "<title>Zvečan/Zveçan: 40</title>" in drawn["zvecan"]
    assert "<title>Prizren: 7</title>" in drawn["prizren"]
    texts = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    assert {"12", "40", "3", "7"} <= set(texts)
    # Zero is a figure (every municipality without records), drawn in its own class.
    assert "<title>Deçan/Dečane: 0</title>" in drawn["decan"]
    assert ">0<" in svg


def test_the_svg_is_labelled_for_screen_readers_and_carries_the_attribution(svg: str) -> None:
    head = svg[: svg.index(">") + 1]
    assert 'role="img"' in head and "aria-labelledby" in head
    assert "<title id=" in svg and "<desc id=" in svg
    assert "Participants, Life of project</title>" in svg
    assert "Boundaries © OpenStreetMap" in svg and "via geoBoundaries" in svg
    # The links stay out of the tab order: the table after the map holds them for keyboards.
    assert svg.count('tabindex="-1"') == 38


def test_the_legend_has_a_few_sequential_classes(reference) -> None:
    values = {code: n for n, code in enumerate(sorted(PARTNERS), start=1)}
    spec = spec_for(values)
    labels = [item.label for item in spec.classes]
    assert labels == ["0", "1–4", "5–8", "9–12", "13–16"]
    colors = [item.color for item in spec.classes]
    lightness = [sum(int(color[i : i + 2], 16) for i in (1, 3, 5)) for color in colors]
    assert lightness == sorted(lightness, reverse=True)  # darker for more


def test_value_classes_keep_equal_values_together_and_skip_zero() -> None:
    assert maps.value_classes([0, 0, 5, 5, 5, 5, 6, 9]) == [[5, 5, 5, 5], [6], [9]]
    assert maps.value_classes([3]) == [[3]]
    assert maps.value_classes([0, 0]) == []
    groups_of = maps.value_classes(list(range(1, 101)))
    assert len(groups_of) == 4 and [len(g) for g in groups_of] == [25, 25, 25, 25]
    amounts = maps.value_classes([Decimal("7500.00"), Decimal("29000"), Decimal("100")])
    assert amounts == [[Decimal("100")], [Decimal("7500.00")], [Decimal("29000")]]


def test_a_focal_points_map_shows_their_figure_only(reference) -> None:
    spec = spec_for({"gracanice": 12, "zvecan": 40}, readable={"gracanice"})
    shown = {area.code: area for area in spec.areas}
    assert shown["gracanice"].shown == "12" and shown["gracanice"].fill is not None
    assert all(
        area.shown == "" and area.fill is None and area.value is None
        for code, area in shown.items()
        if code != "gracanice"
    )
    svg = maps.render_svg(spec)
    assert ">40<" not in svg and "40</title>" not in svg
    assert svg.count('class="map-area"') == 1  # only the profile they may open is a link
    assert ">No figure shown<" in svg


@pytest.mark.parametrize(
    ("language", "gracanica", "zvecan"),
    [
        ("sq", "Graçanicë", "Zveçan"),
        ("sr-latn", "Gračanica", "Zvečan"),
        ("sr", "Грачаница", "Звечан"),
    ],
)
def test_names_and_words_are_in_the_readers_language_and_script(
    reference, language: str, gracanica: str, zvecan: str
) -> None:
    spec = spec_for({"gracanice": 1234, "zvecan": 40}, language=language)
    with translation.override(language):
        svg = maps.render_svg(spec)
    drawn = groups(svg)
    assert f"<title>{gracanica}: 1" in drawn["gracanice"]
    assert f"<title>{zvecan}: 40</title>" in drawn["zvecan"]
    assert "OpenStreetMap" in svg and "geoBoundaries" in svg  # names of sources stay as they are
    if language == "sr":
        assert "<title>Грачаница: 1.234</title>" in drawn["gracanice"]  # Serbian digit grouping
        assert "Границе ©" in svg and "Партнерска општина" in svg
    if language == "sq":
        assert "Kufijtë ©" in svg and "Komunë partnere" in svg


def test_the_same_specification_gives_the_same_bytes(reference) -> None:
    spec = spec_for({"gracanice": 12, "zvecan": 40})
    assert maps.render_svg(spec) == maps.render_svg(spec)
    png = maps.map_png(spec, dpi=60)
    assert png.startswith(b"\x89PNG") and png == maps.map_png(spec, dpi=60)
    assert spec.key() == spec_for({"gracanice": 12, "zvecan": 40}).key()
    assert spec.key() != spec_for({"gracanice": 13, "zvecan": 40}).key()


def test_the_page_svg_is_cached_by_the_hash_of_its_specification(
    reference, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache.clear()
    drawn = []
    monkeypatch.setattr(maps, "render_svg", lambda spec: drawn.append(spec) or "<svg/>")
    first = spec_for({"gracanice": 12})
    assert maps.map_svg(first) == "<svg/>"
    assert maps.map_svg(spec_for({"gracanice": 12})) == "<svg/>"
    assert len(drawn) == 1
    maps.map_svg(spec_for({"gracanice": 13}))
    assert len(drawn) == 2
    cache.clear()
