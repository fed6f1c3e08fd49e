"""The pages fit their screen, measured in Chromium on the demo dataset.

At 1280 px the tracking table shows one fiscal year, the life of project and its percentage of
target without scrolling sideways, its breakdowns folded under each indicator (the page was
45,000 px tall when every category repeated its indicator's name), in every language and for
the roles that see it differently. At 390 px no page is wider than the phone, and the main menu
is one button (it took 40% of the first screen). Screenshots go to ``test-artifacts/``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count

from akt.activities.models import Activity
from akt.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LANGUAGES = {"en": "English", "sq": "Shqip", "sr-latn": "Srpski", "sr": "Српски"}
MENU = {"en": "Menu", "sq": "Menyja", "sr-latn": "Meni", "sr": "Мени"}
TALLEST = 5000  # px: the whole tracking page, breakdowns folded


@pytest.fixture
def demo(reference: None) -> None:
    """The demo dataset: 450 activities, about 4,000 person records, every indicator."""
    call_command("demo_data", stdout=io.StringIO())


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("main h1").wait_for()


def speak(page, language: str) -> None:
    page.get_by_role("button", name=LANGUAGES[language], exact=True).click()
    page.wait_for_function(f"document.documentElement.lang === '{language}'")


def measure(page) -> dict[str, float]:
    return page.evaluate(
        """() => {
          const box = (selector) => {
            const found = document.querySelector(selector);
            return found ? found.getBoundingClientRect() : null;
          };
          const region = document.querySelector('#tracking-table')?.closest('.table-scroll');
          return {
            height: document.documentElement.scrollHeight,
            width: document.documentElement.scrollWidth,
            header: box('header.top').height,
            nav: box('nav.main-nav').height,
            hidden: region ? region.scrollWidth - region.clientWidth : 0,
          };
        }"""
    )


def test_the_tracking_table_fits_1280_px_in_every_language_with_its_breakdowns_folded(
    live_server, personas, demo, browser_page, artifacts: Path
) -> None:
    page = browser_page
    page.set_viewport_size(WIDE)
    sign_in(page, live_server, "me")
    for language in LANGUAGES:
        speak(page, language)
        for year in ("", "2016"):  # the last year (three quarters) and a whole one (four)
            page.goto(f"{live_server.url}/tracking/?fy={year}")
            found = measure(page)
            assert found["height"] < TALLEST, (language, year, found)
            assert found["width"] <= WIDE["width"], (language, year, found)
            assert found["hidden"] <= 0, (language, year, found)  # nothing scrolled out of view
            for header in ("#tracking-lop", "#tracking-lop-percent", "#tracking-lop-flag"):
                box = page.locator(header).bounding_box()
                assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDE["width"], (
                    language,
                    year,
                    header,
                    box,
                )
        page.screenshot(path=str(artifacts / f"layout-tracking-1280-{language}.png"))

    # A breakdown opens on demand, under its indicator, without the indicator's name again.
    speak(page, "en")
    page.goto(live_server.url + "/tracking/")
    folded = measure(page)["height"]
    body = page.locator("#tracking-table tbody.folds", has_text="Participants in public debates")
    lines = body.locator("tr.split")
    assert lines.count() > 10 and not lines.first.is_visible()
    body.get_by_text("Breakdowns", exact=True).click()
    assert body.locator("details.fold").get_attribute("open") is not None
    lines.first.wait_for(state="visible")
    assert body.locator("tr.split-title", has_text="Municipality").is_visible()
    assert body.locator("tr.split", has_text="Gračanica").first.is_visible()
    assert all("Participants in public debates" not in text for text in lines.all_inner_texts())
    opened = measure(page)["height"]
    assert opened > folded + 10 * 20  # its lines take room now, and only when asked
    body.locator("tr.split-title", has_text="Municipality").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "layout-tracking-1280-breakdown-open.png"))
    body.get_by_text("Breakdowns", exact=True).click()
    lines.first.wait_for(state="hidden")

    # The roles that see the table differently: the donor (targets), a focal point (none).
    for username in ("donor", "focal-gracanica"):
        page.get_by_role("button", name="Log out").click()
        sign_in(page, live_server, username)
        page.goto(live_server.url + "/tracking/")
        found = measure(page)
        assert found["height"] < TALLEST and found["hidden"] <= 0, (username, found)
        assert page.locator("#tracking-lop").bounding_box()["x"] < WIDE["width"]
        page.screenshot(path=str(artifacts / f"layout-tracking-1280-{username}.png"))


def test_pages_fit_a_phone_and_the_menu_is_one_button(
    live_server, personas, demo, browser_page, artifacts: Path
) -> None:
    page = browser_page
    page.set_viewport_size(PHONE)
    busiest = Activity.objects.annotate(rows=Count("attendances")).order_by("-rows").first()
    assert busiest is not None and busiest.rows > 20
    sign_in(page, live_server, "me")
    header = page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert header == "rgb(11, 79, 138)", "the stylesheet did not load"

    pages = {
        "activity": f"/activities/{busiest.pk}/",
        "dashboard": "/",
        "tracking": "/tracking/",
        "activities": "/activities/",
        "people": "/people/",
        "grants": "/grants/",
        "new-activity": "/activities/new/",
    }
    for language in ("en", "sr"):
        speak(page, language)
        for name, path in pages.items():
            page.goto(live_server.url + path)
            found = measure(page)
            assert found["width"] <= PHONE["width"], (language, name, found)
            assert found["nav"] < 0.15 * PHONE["height"], (language, name, found)
            assert found["header"] < 0.2 * PHONE["height"], (language, name, found)
            page.screenshot(path=str(artifacts / f"layout-390-{name}-{language}.png"))

    # The menu: one button, reached and opened with the keyboard, its links then shown.
    speak(page, "en")
    page.goto(live_server.url + f"/activities/{busiest.pk}/")
    menu = page.get_by_role("navigation", name="Main")
    activities = menu.get_by_role("link", name="Activities", exact=True)
    assert not activities.is_visible()
    summary = menu.locator("summary")
    for _ in range(15):
        page.keyboard.press("Tab")
        if summary.evaluate("node => node === document.activeElement"):
            break
    else:
        pytest.fail("the menu button cannot be reached with the Tab key")
    assert summary.inner_text() == MENU["en"]
    assert summary.evaluate("node => getComputedStyle(node).outlineStyle") == "solid"
    page.keyboard.press("Enter")
    activities.wait_for(state="visible")
    assert activities.get_attribute("aria-current") == "page"
    assert menu.get_by_role("link", name="Tracking table").is_visible()
    assert measure(page)["width"] <= PHONE["width"]
    page.screenshot(path=str(artifacts / "layout-390-menu-open.png"))
    page.keyboard.press("Enter")
    activities.wait_for(state="hidden")
