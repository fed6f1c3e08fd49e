"""The tracking page's layout: one fiscal year beside the life of project, each indicator's
breakdowns folded under its own row, and the main menu folded on a phone.

How the page looks at 1280 and 390 px is measured in Chromium
(``akt/tests_browser/test_layout_browser.py``); these tests read the markup the server sends.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from lxml import html as lxml_html

from akt.counting.periods import PeriodKind
from akt.indicators.models import Indicator, Target
from akt.reports.tests.records import Place

pytestmark = pytest.mark.django_db

TRACKING = reverse("reports:tracking")


def tree_of(response):
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode())


def texts(elements) -> list[str]:
    return [" ".join(element.text_content().split()) for element in elements]


def indicator_body(tree, code: str):
    """The ``<tbody>`` of one indicator: its row, then its folded breakdowns."""
    link = reverse("indicators:sheet", args=[code])
    (body,) = tree.xpath(f'//table[@id="tracking-table"]/tbody[.//th/a[@href="{link}"]]')
    return body


def breakdowns_of(body) -> dict[str, list[str]]:
    """``{disaggregation title: [category, ...]}`` as the rows under an indicator read."""
    found: dict[str, list[str]] = {}
    for row in body.xpath("./tr[contains(@class, 'split')]"):
        (label,) = texts(row.xpath("./th"))
        if "split-title" in row.get("class"):
            found[label] = []
        else:
            found[next(reversed(found))].append(label)
    return found


def test_each_indicator_has_one_row_and_its_breakdowns_folded_under_it(
    client_for, two_places: dict[str, Place]
) -> None:
    tree = tree_of(client_for("me").get(TRACKING, {"fy": "2015"}))
    name = Indicator.objects.get(code="lul-debate-participants").name
    body = indicator_body(tree, "lul-debate-participants")

    figures = body.xpath("./tr[@class='figures']")
    assert len(figures) == 1
    assert texts(figures[0].xpath("./th/a")) == [name]
    # Closed until asked: a native <details> in the name cell, named for its indicator.
    (fold,) = figures[0].xpath(".//details[@class='fold']")
    assert fold.get("open") is None
    assert fold.xpath("./summary/@aria-label") == [f"Breakdowns of {name}"]

    # Under it, per disaggregation its title once, then one line per category, the
    # indicator's name on none of them.
    parts = breakdowns_of(body)
    assert {"Sex", "Community", "Municipality"} <= set(parts)
    assert parts["Sex"][0] == "Female"
    lines = body.xpath("./tr[@class='split']")
    assert len(lines) == sum(len(categories) for categories in parts.values())
    assert all(name not in line.text_content() for line in lines)
    # The name is written once on the whole page (the per-disaggregation tables are gone).
    assert tree.text_content().count(name) == 1


def test_a_category_line_has_the_columns_of_its_indicator_and_opens_its_records(
    client_for, two_places: dict[str, Place]
) -> None:
    tree = tree_of(client_for("me").get(TRACKING, {"fy": "2015"}))
    body = indicator_body(tree, "lul-debate-participants")
    (figures,) = body.xpath("./tr[@class='figures']")
    width = len(figures.xpath("./th | ./td"))
    for line in body.xpath("./tr[@class='split']"):
        assert len(line.xpath("./th | ./td")) == width
    for title in body.xpath("./tr[contains(@class, 'split-title')]/th"):
        assert int(title.get("colspan")) == width

    # Gračanica's participants in FY 2015's third quarter: 2 debates x 3 attendees, 5 heads.
    gracanica = body.xpath(
        "./tr[contains(@class, 'split-title')][th='Municipality']/following-sibling::tr"
        "[@class='split'][starts-with(normalize-space(th), 'Gra')]"
    )[0]
    link = reverse("reports:indicator", args=["lul-debate-participants"]) + "?period=fy2015q3"
    assert gracanica.xpath(f".//a[@href='{link}']/text()") == ["11"]


def test_one_fiscal_year_is_shown_beside_the_life_of_project(
    client_for, two_places: dict[str, Place]
) -> None:
    tree = tree_of(client_for("me").get(TRACKING, {"fy": "2015"}))
    head = tree.xpath("//table[@id='tracking-table']/thead")[0]
    groups = texts(head.xpath("./tr[1]/th[@scope='colgroup']"))
    assert groups == ["FY 2015", "Life of project"]
    columns = texts(head.xpath("./tr[2]/th"))
    assert columns == [
        "Q1", "Q2", "Q3", "Q4", "Whole year", "Target", "% of target",
        "Actual", "Target", "% of target", "On track",
    ]  # fmt: skip
    assert head.xpath("./tr[2]/th[@id='tracking-lop-percent']/text()") == ["% of target"]
    # Another year's quarters are not on the page; the form offers every year.
    assert not tree.xpath("//a[contains(@href, 'period=fy2016q1')]")
    assert tree.xpath("//select[@name='fy']/option/@value") == [
        "2014", "2015", "2016", "2017"
    ]  # fmt: skip


def test_a_focal_point_sees_the_year_and_the_life_of_project_without_targets(
    client_for, two_places: dict[str, Place]
) -> None:
    tree = tree_of(client_for("focal_gracanica").get(TRACKING, {"fy": "2015"}))
    head = tree.xpath("//table[@id='tracking-table']/thead")[0]
    assert texts(head.xpath("./tr[2]/th")) == ["Q1", "Q2", "Q3", "Q4", "Whole year", "Actual"]
    assert head.xpath("./tr[1]/th[@id='tracking-lop']/@colspan") == ["1"]
    body = indicator_body(tree, "lul-debate-participants")
    assert body.xpath("./tr[@class='split']")  # the breakdowns fold for a focal point too


def test_an_amount_is_written_without_its_currency_which_the_row_names_once(
    client_for, two_places: dict[str, Place]
) -> None:
    indicator = Indicator.objects.get(code="business-grants-amount")
    Target.objects.filter(indicator=indicator).delete()
    Target.objects.create(
        indicator=indicator, period_kind=PeriodKind.LIFE_OF_PROJECT, value=Decimal(25000)
    )
    tree = tree_of(client_for("me").get(TRACKING, {"fy": "2015"}))
    body = indicator_body(tree, "business-grants-amount")
    (figures,) = body.xpath("./tr[@class='figures']")
    assert texts(figures.xpath("./th/small[@class='unit']")) == [indicator.unit_of_measure]
    lop = reverse("reports:indicator", args=["business-grants-amount"]) + "?period=lop"
    assert figures.xpath(f".//a[@href='{lop}']/text()") == ["10,000"]  # two grants of 5,000
    cells = texts(figures.xpath("./td"))
    assert "25,000" in cells and "40.0%" in cells
    assert not any(indicator.currency in cell or "$" in cell for cell in cells)


@pytest.mark.parametrize(
    ("language", "menu", "breakdowns"),
    [("en", "Menu", "Breakdowns"), ("sq", "Menyja", "Ndarjet"),
     ("sr-latn", "Meni", "Razvrstavanja"), ("sr", "Мени", "Разврставања")],
)  # fmt: skip
def test_the_menu_folds_on_a_phone_and_the_page_speaks_the_readers_language(
    client_for, two_places: dict[str, Place], language: str, menu: str, breakdowns: str
) -> None:
    client = client_for("me")
    client.cookies["django_language"] = language
    tree = tree_of(client.get(TRACKING))
    (nav,) = tree.xpath("//nav[contains(@class, 'main-nav')]")
    assert nav.get("aria-label")
    (fold,) = nav.xpath("./details[@class='menu-fold']")
    assert texts(fold.xpath("./summary")) == [menu]
    # The folded menu and the wide row hold the same links, the page's own marked current.
    folded = fold.xpath(".//a/@href")
    assert folded == nav.xpath("./div[@class='menu-row']//a/@href")
    assert reverse("activities:list") in folded
    assert nav.xpath(".//a[@aria-current='page']/@href") == [TRACKING, TRACKING]
    assert set(texts(tree.xpath("//details[@class='fold']/summary"))) == {breakdowns}
