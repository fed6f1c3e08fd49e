"""The dashboard's and an indicator page's charts in a real browser, in the four languages, on a
desktop and a phone; a chart's bar and a trend's quarter clicked into their records.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright against pytest-django's live
server; skipped without Chromium unless ``AKT_REQUIRE_BROWSER=1``. Screenshots of every page are
kept in ``test-artifacts/`` (not committed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from akt.conftest import PASSWORD
from akt.indicators.models import Indicator
from akt.reports.tests.records import populate
from akt.testing.factories import municipality

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {  # the language button, and a word each page must show in it
    "en": ("English", "Results to date", "Sex"),
    "sq": ("Shqip", "Rezultatet deri më sot", "Gjinia"),
    "sr-latn": ("Srpski", "Dosadašnji rezultati", "Pol"),
    "sr": ("Српски", "Досадашњи резултати", "Пол"),
}
WIDTHS = (1280, 390)
INDICATOR = "lul-debate-participants"


def sign_in(page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("me")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Results to date").wait_for()


def mark_of(page, scope: str, address_part: str):
    """A chart's link (an SVG ``<a>``) whose address contains ``address_part``."""
    return page.locator(scope).locator(
        f"xpath=.//*[local-name()='a'][contains(@*[local-name()='href'], '{address_part}')]"
    )


def charts_fit(page, width: int) -> None:
    """Every chart is drawn, inside the window: no chart makes the page scroll sideways."""
    boxes = page.eval_on_selector_all(
        "figure.chart svg", "svgs => svgs.map(s => s.getBoundingClientRect().toJSON())"
    )
    assert boxes
    for box in boxes:
        assert box["width"] > 100 and box["height"] > 40, box
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, box


def test_charts_in_four_languages_on_desktop_and_phone(
    live_server, personas, browser_page, artifacts: Path
) -> None:
    populate("gracanice", debates=2, attendees=3, heads=5, mark="Gracanica")
    populate("zvecan", debates=4, attendees=2, heads=9, mark="Zvecan")
    indicators = Indicator.objects.active().count()
    page = browser_page
    sign_in(page, live_server)

    for language, (button, heading, sex) in LANGUAGES.items():
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(live_server.url + "/")
        page.locator("form.lang").get_by_role("button", name=button, exact=True).click()
        page.wait_for_selector(f'html[lang="{language}"]')
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + "/")
            page.get_by_role("heading", name=heading, exact=True).wait_for()
            assert page.locator("figure.chart-trend svg").count() == indicators
            assert page.locator("section.dashboard-composition figure.chart-bars svg").count() == 1
            on_track = page.locator(".on-track").first
            assert on_track.inner_text().strip()[0] in "✓✗"  # a symbol and words, not colour
            charts_fit(page, width)
            page.screenshot(
                path=str(artifacts / f"charts-dashboard-{language}-{width}.png"), full_page=True
            )

            page.goto(live_server.url + f"/indicators/{INDICATOR}/")
            split = page.locator("div.breakdown-split", has=page.locator("#breakdown-sex"))
            assert split.locator("figure.chart-bars svg").count() == 1
            assert sex in split.locator("svg").text_content()  # the chart speaks the language
            for dimension in ("sex", "age_band", "community", "municipality"):
                assert page.locator(
                    f"div.breakdown-split:has(#breakdown-{dimension}) figure.chart svg"
                ).is_visible()
            charts_fit(page, width)
            page.screenshot(
                path=str(artifacts / f"charts-indicator-{language}-{width}.png"), full_page=True
            )


def test_a_bar_and_a_quarter_open_their_records(
    live_server, personas, browser_page, artifacts: Path
) -> None:
    gracanica = populate("gracanice", debates=2, attendees=3, heads=5, mark="Gracanica")
    zvecan = populate("zvecan", debates=4, attendees=2, heads=9, mark="Zvecan")
    place = municipality("zvecan").pk
    page = browser_page
    sign_in(page, live_server)

    # The municipality chart's bar for Zvečan: its records are Zvečan's debates, the same list
    # its number in the table opens.
    page.goto(live_server.url + f"/indicators/{INDICATOR}/")
    chart = "div.breakdown-split:has(#breakdown-municipality) figure.chart"
    bar = mark_of(page, chart, f"cell={place}#records").locator(
        "xpath=./*[local-name()='path'][contains(@style, '#0b4f8a')]"  # the bar, in its blue
    )
    assert bar.count() == 1
    bar.click()
    page.wait_for_url(f"**/indicators/{INDICATOR}/?split=municipality&cell={place}#records")
    page.get_by_role("heading", name="Records behind Municipality: Zvečan/Zveçan").wait_for()
    listed = set(page.locator("#records tbody td a").all_inner_texts())
    assert listed == {debate.title for debate in zvecan.debates}
    assert not listed & {debate.title for debate in gracanica.debates}
    page.screenshot(path=str(artifacts / "charts-bar-opened.png"), full_page=True)

    page.goto(live_server.url + f"/indicators/{INDICATOR}/")
    page.locator("#breakdown-municipality tr", has_text="Zvečan").get_by_role("link").click()
    page.get_by_role("heading", name="Records behind Municipality: Zvečan/Zveçan").wait_for()
    assert set(page.locator("#records tbody td a").all_inner_texts()) == listed

    # A trend's quarter on the dashboard opens the indicator for that quarter.
    page.goto(live_server.url + "/")
    quarter = mark_of(page, "#figure-lul-debates figure.chart-trend", "period=fy2015q3")
    quarter.locator("xpath=./*[local-name()='path']").click()
    page.wait_for_url("**/indicators/lul-debates/?period=fy2015q3")
    figure = page.locator("section.headline strong.figure")
    assert figure.inner_text() == "6"  # every debate was held in that quarter
    page.screenshot(path=str(artifacts / "charts-quarter-opened.png"), full_page=True)
