"""Charts from their specifications: the same bytes each time, every word from the specification
(in any script), every bar a link to its records, and the figures again as a table."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache

from akt.reports import charts

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"

CYRILLIC = charts.BarChart(
    title="Учесници по заједници",
    category_heading="Заједница",
    value_heading="Вредност",
    bars=(
        charts.Bar("Срби", 120, "120", "?split=community&cell=serb#records"),
        charts.Bar("Албанци", 1340, "1.340", "?split=community&cell=albanian#records"),
        charts.Bar("Роми", 3, "3", "?split=community&cell=roma#records"),
        charts.Bar("Непознато", 45, "45", "?split=community&cell=unknown#records", unknown=True),
    ),
)

ALBANIAN = charts.BarChart(
    title="Pjesëmarrësit sipas komunës",
    category_heading="Komuna",
    value_heading="Vlera",
    bars=(
        charts.Bar("Graçanicë", 12, "12", "?municipality=3&split=municipality&cell=3#records"),
        charts.Bar("Zveçan", 0, "0", "?municipality=3&split=municipality&cell=9#records"),
        charts.Bar("Shtërpcë", 7.5, "7,5", ""),  # a category a scheme made: it does not open
    ),
)

TREND = charts.Trend(
    title="Debatet, tremujor pas tremujori",
    period_heading="Tremujori",
    value_heading="Vlera",
    target_heading="Caku",
    target_label="Caku",
    chosen_label="Viti fiskal 2016",
    start_label="Pri 2014",
    end_label="Qer 2017",
    points=tuple(
        charts.Point(
            label=f"Viti fiskal {2014 + (n + 2) // 4}, tremujori {(n + 2) % 4 + 1}",
            value=value,
            shown="–" if value is None else str(int(value)),
            target=target,
            target_shown="" if target is None else str(int(target)),
            href=f"/indicators/lul-debates/?period=q{n}",
            chosen=6 <= n <= 9,
        )
        for n, (value, target) in enumerate(
            zip(
                [3, 10, 25, 40, 38, None, 51, 60, 44, 70, 12, 5],
                [None] * 6 + [50.0] * 4 + [None] * 2,
                strict=True,
            )
        )
    ),
)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def parsed(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(svg: str) -> list[str]:
    """Every piece of text the picture writes (a wrapped label gives one per line)."""
    return [
        "".join(element.itertext()).strip()
        for element in parsed(svg).iter(f"{SVG}text")
        if "".join(element.itertext()).strip()
    ]


def links(svg: str) -> dict[str, list[ET.Element]]:
    """Each link's address and what it wraps."""
    found: dict[str, list[ET.Element]] = {}
    for anchor in parsed(svg).iter(f"{SVG}a"):
        found.setdefault(anchor.get(XLINK, ""), []).extend(anchor)
    return found


@pytest.mark.parametrize("spec", [CYRILLIC, ALBANIAN, TREND], ids=["bars-sr", "bars-sq", "trend"])
def test_the_same_specification_gives_the_same_bytes(spec) -> None:
    first_svg, first_png = charts.svg(spec, "sr"), charts.png(spec, "sr", dpi=60)
    cache.clear()
    assert charts.svg(spec, "sr") == first_svg
    assert charts.png(spec, "sr", dpi=60) == first_png
    assert first_png.startswith(b"\x89PNG")
    other = charts.BarChart(**{**CYRILLIC.__dict__, "title": "Учесници по полу"})
    assert charts.svg(other, "sr") != charts.svg(CYRILLIC, "sr")


def test_cyrillic_and_albanian_words_are_text_in_the_picture() -> None:
    cyrillic = charts.svg(CYRILLIC, "sr")
    assert "<title id=" in cyrillic and "Учесници по заједници</title>" in cyrillic
    written = texts(cyrillic)
    for word in ("Учесници по заједници", "Срби", "Албанци", "Роми", "Непознато", "1.340"):
        assert word in written
    albanian = texts(charts.svg(ALBANIAN, "sq"))
    for word in ("Pjesëmarrësit sipas komunës", "Graçanicë", "Zveçan", "Shtërpcë", "7,5"):
        assert word in albanian


@pytest.mark.parametrize("spec", [CYRILLIC, ALBANIAN, TREND], ids=["bars-sr", "bars-sq", "trend"])
def test_the_picture_writes_no_word_of_its_own(spec) -> None:
    """No number axis, no legend in English: every text comes from the specification."""
    if isinstance(spec, charts.BarChart):
        words = {spec.title, *(b.label for b in spec.bars), *(b.shown for b in spec.bars)}
    else:
        words = {spec.chosen_label, spec.start_label, spec.end_label, spec.target_label}
        words |= {point.shown for point in spec.points}
    allowed = " ".join(words)
    for text in texts(charts.svg(spec, "sq")):
        assert text in allowed, text


def test_every_bar_links_to_its_records() -> None:
    svg = charts.svg(CYRILLIC, "sr")
    found = links(svg)
    assert set(found) == {unescape(bar.href) for bar in CYRILLIC.bars}
    for bar in CYRILLIC.bars:
        wrapped = found[bar.href]
        # The bar itself, its value and its label: each opens the cell.
        assert any(element.tag == f"{SVG}path" for element in wrapped), bar.label
        assert bar.label in ["".join(e.itertext()) for e in wrapped if e.tag == f"{SVG}text"]
        assert bar.shown in ["".join(e.itertext()) for e in wrapped if e.tag == f"{SVG}text"]
    assert 'target="_blank"' not in svg  # the records open in the same tab
    assert 'tabindex="-1"' in svg  # the table beside the chart carries the links for keyboards


def test_a_bar_without_records_has_no_link() -> None:
    found = links(charts.svg(ALBANIAN, "sq"))
    assert set(found) == {bar.href for bar in ALBANIAN.bars if bar.href}
    assert not any("Shtërpcë" in "".join(e.itertext()) for els in found.values() for e in els)


def test_each_quarter_of_a_trend_opens_that_quarter() -> None:
    found = links(charts.svg(TREND, "sq"))
    assert set(found) == {point.href for point in TREND.points}


def test_two_charts_on_one_page_share_no_id() -> None:
    ids = [re.findall(r'\bid="([^"]+)"', charts.svg(spec, "sr")) for spec in (CYRILLIC, TREND)]
    assert ids[0] and ids[1]
    assert not set(ids[0]) & set(ids[1])
    for svg in (charts.svg(CYRILLIC, "sr"), charts.svg(TREND, "sr")):
        defined = set(re.findall(r'\bid="([^"]+)"', svg))
        used = set(re.findall(r"url\(#([^)]+)\)", svg)) | set(
            re.findall(r'xlink:href="#([^"]+)"', svg)
        )
        assert used <= defined  # every clip path, hatch and marker points inside its own chart
        labelled = re.search(r'aria-labelledby="([^"]+)"', svg)
        assert labelled is not None and labelled.group(1) in defined


def test_the_table_lists_every_figure_with_its_link() -> None:
    html = charts.shown(CYRILLIC, "sr").html
    table = re.search(r"<table.*</table>", html, re.DOTALL)
    assert table is not None
    rows = re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td[^>]*>(.*?)</td>", table.group(0))
    assert [label for label, _cell in rows] == [bar.label for bar in CYRILLIC.bars]
    for (_label, cell), bar in zip(rows, CYRILLIC.bars, strict=True):
        assert cell == f'<a href="{bar.href.replace("&", "&amp;")}">{bar.shown}</a>'
    assert "<caption>Учесници по заједници</caption>" in table.group(0)
    assert "<details" in html and "<svg" in html


def test_a_trends_table_lists_each_quarter_and_its_target() -> None:
    table = charts.shown(TREND, "sq").table
    assert table.headings == ("Tremujori", "Vlera", "Caku")
    assert [row.label for row in table.rows] == [point.label for point in TREND.points]
    assert [row.cells[0].shown for row in table.rows][5] == "–"  # a gap, not a zero
    assert [row.cells[1].shown for row in table.rows][6:10] == ["50"] * 4


def test_a_chart_described_by_a_table_on_the_page_does_not_repeat_it() -> None:
    html = charts.shown(ALBANIAN, "sq", described_by="breakdown-municipality").html
    assert 'aria-describedby="breakdown-municipality"' in html
    assert "<table" not in html


def test_a_chart_is_drawn_once_per_language() -> None:
    with mock.patch.object(charts, "figure_of", wraps=charts.figure_of) as drawn:
        charts.shown(CYRILLIC, "sr")
        charts.shown(CYRILLIC, "sr")
        charts.svg(CYRILLIC, "sr")
        assert drawn.call_count == 1
        charts.svg(CYRILLIC, "sr-latn")
        assert drawn.call_count == 2
