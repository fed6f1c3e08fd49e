"""The results flow in a real browser: sign in, read the dashboard, open a figure, switch language.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright against pytest-django's live
server. Without Chromium the test is skipped, unless ``AKT_REQUIRE_BROWSER=1`` (CI) makes a missing
browser a failure. A screenshot of each step is kept in ``test-artifacts/`` (not committed).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from akt.conftest import PASSWORD
from akt.testing.factories import ActivityFactory, AttendanceFactory, TallyFactory, topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_me_officer_reads_results_and_switches_to_cyrillic(
    live_server, personas, browser_page, artifacts: Path
) -> None:
    debate = ActivityFactory(title="Debate in the Gjilan town hall")
    debate.topics.add(topic("law-on-use-of-languages"))
    AttendanceFactory.create_batch(3, activity=debate)
    TallyFactory(activity=debate, headcount=40)
    page = browser_page

    page.goto(live_server.url + "/")
    assert "/accounts/login/" in page.url  # anonymous: sent to log in first
    page.get_by_label("Username").fill("me")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("heading", name="Results to date").wait_for()
    header = page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
    assert header == "rgb(11, 79, 138)", "the stylesheet did not load"
    figure = page.locator("a.figure-link", has_text="public debate organized")
    assert figure.locator("strong.figure").inner_text() == "1"
    participants = page.locator("a.figure-link", has_text="participants in the public debates")
    assert participants.locator("strong.figure").inner_text() == "43"
    page.screenshot(path=str(artifacts / "browser-1-dashboard.png"), full_page=True)

    participants.locator("strong.figure").click()
    page.get_by_role(
        "heading", name="Participants in public debates on the Law on Use of Languages"
    ).wait_for()
    assert page.get_by_role("link", name="Debate in the Gjilan town hall").is_visible()
    assert page.locator("#breakdown-sex tfoot td.num").first.inner_text() == "43"
    page.screenshot(path=str(artifacts / "browser-2-drill-down.png"), full_page=True)

    page.get_by_role("button", name="Српски").click()
    page.get_by_role("heading", name="Учесници јавних дебата о Закону о употреби језика").wait_for()
    assert page.locator("html").get_attribute("lang") == "sr"
    assert "43 учесника јавних дебата о Закону о употреби језика" in page.inner_text("main")
    assert page.get_by_role("button", name="Српски").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(artifacts / "browser-3-drill-down-cyrillic.png"), full_page=True)
