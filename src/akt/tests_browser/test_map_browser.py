"""The map and a municipality's profile in a real browser: four languages, a desk and a phone.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright against pytest-django's live
server, as the other browser tests do (skipped without Chromium unless ``AKT_REQUIRE_BROWSER=1``).
Screenshots of every page in every language and width are kept in ``test-artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from akt.conftest import PASSWORD
from akt.reports.tests.records import populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {
    # language: (the map's heading, the profile's name of Gračanica, its indicators heading)
    "en": ("Results by municipality", "Gračanica/Graçanicë", "Indicators"),
    "sq": ("Rezultatet sipas komunave", "Graçanicë", "Treguesit"),
    "sr-latn": ("Rezultati po opštinama", "Gračanica", "Pokazatelji"),
    "sr": ("Резултати по општинама", "Грачаница", "Показатељи"),
}
WIDTHS = (1280, 390)
MAP = "/map/?indicator=lul-debate-participants"


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def speak(page, live_server, language: str) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )


def point_inside(page, code: str) -> tuple[float, float]:
    """A point of the page where a click lands on ``code``'s area of the map (not on a
    neighbour's, a label or a border): found by asking the browser what lies under each point
    of a grid over the area's bounding box."""
    found = page.evaluate(
        """(code) => {
            const area = document.querySelector(`#municipality-${code} a.map-area`);
            const box = area.getBoundingClientRect();
            let best = null;
            for (let i = 1; i < 40; i++) {
                for (let j = 1; j < 40; j++) {
                    const x = box.left + box.width * i / 40, y = box.top + box.height * j / 40;
                    const hit = document.elementFromPoint(x, y);
                    if (hit && hit.closest('a.map-area') === area) {
                        // prefer points far from the box's edge: well inside the area
                        const margin = Math.min(i, 40 - i, j, 40 - j);
                        if (!best || margin > best[2]) best = [x, y, margin];
                    }
                }
            }
            return best;
        }""",
        code,
    )
    assert found is not None, f"no point of the page opens {code}"
    return found[0], found[1]


def test_the_map_and_a_profile_in_four_languages_at_two_widths(
    live_server, personas, browser_page, artifacts: Path
) -> None:
    populate("gracanice", debates=2, attendees=3, heads=5, mark="Gracanica")
    populate("zvecan", debates=4, attendees=2, heads=9, mark="Zvecan")
    page = browser_page
    sign_in(page, live_server, "me")

    for language, (heading, name, indicators) in LANGUAGES.items():
        speak(page, live_server, language)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + MAP)
            page.get_by_role("heading", name=heading, level=1).wait_for()
            assert page.locator("html").get_attribute("lang") == language
            assert page.locator("svg.map-svg a.map-area").count() == 38
            assert page.locator("#map-table tbody tr").count() == 38
            row = page.locator("#map-table tbody tr", has_text=name).first
            assert row.locator("td.num").inner_text() == "11"
            assert "OpenStreetMap" in page.locator("#map .map-attribution").inner_text()
            svg_width = page.locator("svg.map-svg").bounding_box()["width"]
            assert svg_width > width * 0.8 if width < 600 else svg_width > 500
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(artifacts / f"map-{language}-{width}.png"), full_page=True)

            page.goto(live_server.url + "/municipalities/gracanice/")
            page.get_by_role("heading", name=name, level=1).wait_for()
            page.get_by_role("heading", name=indicators, level=2).wait_for()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            page.screenshot(path=str(artifacts / f"profile-{language}-{width}.png"), full_page=True)

    # A municipality clicked on the map opens its profile.
    speak(page, live_server, "en")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + MAP)
    x, y = point_inside(page, "zvecan")
    page.mouse.click(x, y)
    page.wait_for_url("**/municipalities/zvecan/")
    page.get_by_role("heading", name="Zvečan/Zveçan", level=1).wait_for()
    debates = page.locator("table.profile-indicators tr", has_text="Public debates on the Law")
    assert debates.first.locator("td.num").first.inner_text() == "4"
    page.screenshot(path=str(artifacts / "map-click-zvecan-profile.png"), full_page=True)


def test_a_focal_point_opens_their_own_municipality_from_the_map(
    live_server, personas, browser_page, artifacts: Path
) -> None:
    populate("gracanice", debates=2, attendees=3, heads=5, mark="Gracanica")
    populate("zvecan", debates=4, attendees=2, heads=9, mark="Zvecan")
    page = browser_page
    sign_in(page, live_server, "focal-gracanica")
    page.goto(live_server.url + MAP)
    assert page.locator("svg.map-svg a.map-area").count() == 1
    assert page.locator("#map-table tbody tr").count() == 1
    x, y = point_inside(page, "gracanice")
    page.mouse.click(x, y)
    page.wait_for_url("**/municipalities/gracanice/")
    page.get_by_role("heading", name="Gračanica/Graçanicë", level=1).wait_for()
    page.screenshot(path=str(artifacts / "map-focal-point-profile.png"), full_page=True)
    response = page.goto(live_server.url + "/municipalities/zvecan/")
    assert response is not None and response.status == 404
