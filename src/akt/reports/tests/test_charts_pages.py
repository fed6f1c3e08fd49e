"""The charts where readers meet them: the dashboard's targets, flags and trends, its community
composition, and the indicator page's chart per split, each mark opening its records."""

from __future__ import annotations

import re
from decimal import Decimal
from html import unescape
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.counting.periods import PeriodKind
from akt.indicators import selectors as indicator_selectors
from akt.indicators.models import Indicator, Target
from akt.reports.tests.records import Place, text_of
from akt.testing.factories import municipality

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
QUARTERS = 13  # FY2014 Q3 to FY2017 Q3: the program ran from April 2014 to April 2017


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    cache.clear()


def target(code: str, value: int, kind: str = PeriodKind.LIFE_OF_PROJECT, **where) -> None:
    Target.objects.create(
        indicator=Indicator.objects.get(code=code), period_kind=kind, value=Decimal(value), **where
    )


def item_of(html: str, code: str) -> str:
    """One indicator's entry on the dashboard: its sentence, target, flag and trend."""
    found = re.search(rf'<li class="figure-item[^"]*" id="figure-{code}">(.*?)</li>', html, re.S)
    assert found, code
    return found.group(1)


def svg_links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a xlink:href="([^"]+)"', html)]


def table_rows(html: str) -> list[tuple[str, str, str]]:
    """A chart table's rows: (quarter, its figure's link, the figure, as shown)."""
    return [
        (label.strip(), unescape(href), shown)
        for label, href, shown in re.findall(
            r'<th scope="row">([^<]+)</th>\s*<td class="num"><a href="([^"]+)">([^<]+)</a></td>',
            html,
        )
    ]


# --- Dashboard: target, percentage, flag -----------------------------------------------------


def test_dashboard_shows_target_percentage_and_flag(client_for, two_places) -> None:
    Target.objects.filter(indicator__code="lul-debates").delete()
    target("lul-debates", 5)  # 6 debates held
    target("lul-debates", 8, PeriodKind.FISCAL_YEAR, fiscal_year=2015)
    client = client_for("me")

    item = text_of(item_of(client.get(DASHBOARD).content.decode(), "lul-debates"))
    assert "Target: 5" in item
    assert "120% of the target" in item
    assert "✓ On track" in item

    item = text_of(
        item_of(client.get(DASHBOARD + "?period=fy2015").content.decode(), "lul-debates")
    )
    assert "Target: 8" in item
    assert "75% of the target" in item
    assert "✗ Not on track" in item  # a closed year below 90% of its target


def test_a_period_without_a_target_says_why(client_for, two_places) -> None:
    Target.objects.filter(indicator__code="lul-debates").delete()
    client = client_for("me")
    item = text_of(item_of(client.get(DASHBOARD).content.decode(), "lul-debates"))
    assert "No target is set for this period." in item
    assert "of the target" not in item and "On track" not in item
    # Calendar years never have targets: the page says so once, not beside every indicator.
    target("lul-debates", 5)
    html = client.get(DASHBOARD + "?period=cy2015").content.decode()
    reason = "Targets are set for fiscal years and quarters, not calendar years."
    assert text_of(html).count(reason) == 1
    item = text_of(item_of(html, "lul-debates"))
    assert "Target" not in item and "No target is set" not in item


def test_a_municipality_is_compared_with_its_own_target(client_for, two_places) -> None:
    """The program's target says nothing of one municipality's share: a place chosen, or a focal
    point's own, is compared with the target set for that municipality, if any."""
    Target.objects.filter(indicator__code="lul-debates").delete()
    target("lul-debates", 20)
    target("lul-debates", 5, dimension="municipality", cell="zvecan")  # 4 debates held
    zvecan = municipality("zvecan").pk

    for client, query in (
        (client_for("me"), f"?municipality={zvecan}"),
        (client_for("focal_zvecan"), ""),
    ):
        item = text_of(item_of(client.get(DASHBOARD + query).content.decode(), "lul-debates"))
        assert "Target: 5" in item and "80% of the target" in item
        assert "✗ Not on track" in item
        assert "Target: 20" not in item
    item = text_of(
        item_of(client_for("focal_gracanica").get(DASHBOARD).content.decode(), "lul-debates")
    )
    assert "No target is set for this period." in item
    assert "Target: 20" not in item


def test_the_flag_reads_in_every_language(client_for, two_places) -> None:
    Target.objects.filter(indicator__code="lul-debates").delete()
    target("lul-debates", 5)
    client = client_for("me")
    expected = {
        "sq": ("Caku: 5", "120% e cakut", "Në rrugë të mbarë"),
        "sr-latn": ("Ciljna vrednost: 5", "120% ciljne vrednosti", "Na dobrom putu"),
        "sr": ("Циљна вредност: 5", "120% циљне вредности", "На добром путу"),
    }
    for language, words in expected.items():
        client.cookies["django_language"] = language
        item = text_of(item_of(client.get(DASHBOARD).content.decode(), "lul-debates"))
        for word in words:
            assert word in item, (language, word)


# --- Dashboard: the trend --------------------------------------------------------------------


def test_each_indicator_has_its_trend_by_quarter(client_for, two_places) -> None:
    html = client_for("me").get(DASHBOARD).content.decode()
    item = item_of(html, "lul-debates")
    assert '<figure class="chart chart-trend">' in item and "<svg" in item
    rows = table_rows(item)
    assert len(rows) == QUARTERS
    page = reverse("reports:indicator", args=["lul-debates"])
    assert rows[0] == ("FY 2014, Q3", f"{page}?period=fy2014q3", "0")
    # Every debate was held on 12 May 2015: all six in the third quarter of FY 2015.
    assert ("FY 2015, Q3", f"{page}?period=fy2015q3", "6") in rows
    assert sum(int(shown) for _label, _href, shown in rows) == 6
    # Each quarter's mark opens the indicator page for that quarter, as the table does.
    assert sorted(set(svg_links(item))) == sorted(href for _label, href, _shown in rows)


def test_a_quarters_mark_opens_the_same_figure(client_for, two_places) -> None:
    client = client_for("me")
    item = item_of(client.get(DASHBOARD).content.decode(), "lul-debates")
    link = next(href for href in svg_links(item) if href.endswith("period=fy2015q3"))
    page = text_of(client.get(link))
    assert "6 public debates organized" in page


def test_the_trend_ends_with_the_chosen_period_and_keeps_the_place(client_for, two_places) -> None:
    zvecan = municipality("zvecan").pk
    html = client_for("me").get(DASHBOARD + f"?period=fy2015&municipality={zvecan}").content
    item = item_of(html.decode(), "lul-debates")
    rows = table_rows(item)
    assert [label for label, _href, _shown in rows] == [
        "FY 2014, Q3",
        "FY 2014, Q4",
        "FY 2015, Q1",
        "FY 2015, Q2",
        "FY 2015, Q3",
        "FY 2015, Q4",
    ]
    assert rows[4][1].endswith(f"?period=fy2015q3&municipality={zvecan}")
    assert rows[4][2] == "4"  # Zvečan's four debates only
    assert ">FY 2015</text>" in item  # the chosen year is named on its band


def test_quarterly_targets_draw_a_target_line(client_for, two_places) -> None:
    target("lul-debates", 4, PeriodKind.QUARTER, fiscal_year=2015, quarter=3)
    item = item_of(client_for("me").get(DASHBOARD).content.decode(), "lul-debates")
    assert '<th scope="col" class="num">Target</th>' in item
    assert re.search(
        r'FY 2015, Q3</th>\s*<td class="num"><a [^>]+>6</a></td>\s*<td class="num">4</td>', item
    )
    assert ">Target</text>" in item  # the line is named on the chart, not only coloured


def test_the_whole_dashboard_is_one_computation(client_for, two_places) -> None:
    """The sentences, the comparisons and every quarter of every trend: one read of the records
    and one computation over all the windows, not one per quarter."""
    with mock.patch(
        "akt.reports.selectors.results_table_compute",
        wraps=indicator_selectors.results_table_compute,
    ) as computed:
        assert client_for("me").get(DASHBOARD).status_code == 200
    assert computed.call_count == 1
    assert len(computed.call_args.kwargs["windows"]) == QUARTERS + 1  # and the life of project


# --- Dashboard: community composition ----------------------------------------------------------


def test_composition_headline_is_the_composition_pages(client_for, two_places) -> None:
    client = client_for("me")
    dashboard = client.get(DASHBOARD)
    composition = client.get(reverse("reports:composition"))
    mixed = dashboard.context["mixed"]
    overall = composition.context["page"].overall
    assert mixed.share == overall.share
    assert mixed.mixed == overall.mixed.shown
    html = dashboard.content.decode()
    section = re.search(r'<section class="card dashboard-composition".*?</section>', html, re.S)
    assert section is not None
    assert f'href="{reverse("reports:composition")}"' in section.group(0)
    # The chart's bars open the composition page's lists, which count what the bars say.
    bars = dict(
        (unescape(href), shown)
        for href, shown in re.findall(
            r'<td class="num"><a href="([^"]+)">([^<]+)</a></td>', section.group(0)
        )
    )
    assert set(svg_links(section.group(0))) == set(bars)
    for href, shown in bars.items():
        listed = client.get(href)
        assert listed.status_code == 200
        assert listed.context["records"].page.paginator.count == int(shown)


# --- Indicator page: a chart per split ----------------------------------------------------------


def split_of(html: str, dimension: str) -> str:
    """One split of the indicator page: its chart and its table."""
    splits = re.findall(r'<div class="breakdown-split">(.*?</table>)', html, re.S)
    found = [
        split
        for split in splits
        if f'<table class="data breakdown" id="breakdown-{dimension}"' in split
    ]
    assert len(found) == 1, dimension
    return found[0]


def test_every_split_has_a_chart_whose_bars_open_its_cells(client_for, two_places) -> None:
    zvecan = municipality("zvecan").pk
    url = reverse("reports:indicator", args=["lul-debate-participants"]) + "?period=fy2015"
    response = client_for("me").get(url)
    html = response.content.decode()
    for table in response.context["tables"]:
        split = split_of(html, table.dimension)
        assert f'aria-describedby="breakdown-{table.dimension}"' in split
        marks = svg_links(split)
        # Each bar links exactly where the table's number does: the cell, the same period.
        rows = [row for row in table.rows if row.openable]
        assert sorted(set(marks)) == sorted(row.href for row in rows)
        for row in rows:
            assert row.href.startswith(f"?period=fy2015&split={table.dimension}&cell=")
            assert f'<a href="{row.href.replace("&", "&amp;")}">{row.shown}</a>' in split
    assert {t.dimension for t in response.context["tables"]} >= {
        "sex",
        "age_band",
        "community",
        "municipality",
    }
    assert f"?period=fy2015&split=municipality&cell={zvecan}#records" in svg_links(html)


def test_following_a_bar_lists_the_cells_records(client_for, two_places: dict[str, Place]) -> None:
    client = client_for("me")
    page = reverse("reports:indicator", args=["lul-debates"])
    html = client.get(page).content.decode()
    zvecan = municipality("zvecan").pk
    mark = next(
        href
        for href in svg_links(split_of(html, "municipality"))
        if href.endswith(f"cell={zvecan}#records")
    )
    opened = client.get(page + mark.split("#")[0])
    table, row = opened.context["opened"]
    assert (table.dimension, row.code) == ("municipality", str(zvecan))
    listed = {
        activity.title for activity in (line.activity for line in opened.context["records"].rows)
    }
    assert listed == {debate.title for debate in two_places["zvecan"].debates}
    # The table's link to the same cell opens the same records.
    link = re.search(
        rf'<a href="([^"]*cell={zvecan}#records)">', split_of(html, "municipality")
    ).group(1)
    assert unescape(link) == mark
    assert "Records behind Municipality: Zvečan/Zveçan" in text_of(opened)


def test_cross_tabulations_stay_tables(client_for, two_places) -> None:
    response = client_for("me").get(reverse("reports:indicator", args=["lul-debate-participants"]))
    for table, chart in response.context["splits"]:
        assert (chart is not None) == isinstance(table.key, str)


def test_charts_are_labelled_in_the_readers_language(client_for, two_places) -> None:
    client = client_for("me")
    client.cookies["django_language"] = "sr"
    html = client.get(reverse("reports:indicator", args=["lul-debate-participants"])).content
    split = split_of(html.decode(), "sex")
    assert ">Пол</text>" in split  # the chart's title
    assert ">Женски</text>" in split
    dashboard = client.get(DASHBOARD).content.decode()
    assert "<summary>Бројке са графикона</summary>" in dashboard
    assert '<th scope="col">Квартал</th>' in dashboard  # the trend's table


def test_the_dashboard_reads_as_many_queries_for_any_period(client_for, two_places) -> None:
    """A trend of thirteen quarters costs no more queries than one of two, nor do targets."""
    client = client_for("focal_gracanica")

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries(DASHBOARD + "?period=fy2014q4")
    target("lul-debates", 3, dimension="municipality", cell="gracanice")
    target("lul-debates", 1, PeriodKind.QUARTER, fiscal_year=2015, quarter=3)
    assert queries(DASHBOARD) == queries(DASHBOARD + "?period=cy2016") == few
