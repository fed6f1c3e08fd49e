"""The results flow in a real browser: sign in, read the dashboard, open a figure, switch language.

Drives Debian's Chromium (``/usr/bin/chromium``) through Playwright against pytest-django's live
server. Without Chromium the test is skipped, unless ``AKT_REQUIRE_BROWSER=1`` (CI) makes a missing
browser a failure. A screenshot of each step is kept in ``test-artifacts/`` (not committed).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from akt.conftest import PASSWORD
from akt.testing.factories import ActivityFactory, AttendanceFactory, TallyFactory, topic

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_page(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """A fresh Chromium page; skips (or fails under AKT_REQUIRE_BROWSER=1) without Chromium."""
    if not CHROMIUM.exists():
        reason = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("AKT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}, and AKT_REQUIRE_BROWSER=1 requires it")
        pytest.skip(reason)
    # Playwright's sync API runs an event loop in this thread; Django's ORM, used by the test's
    # own fixtures while the browser is open, refuses to run there unless allowed.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(15_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    folder = request.config.rootpath / "test-artifacts"
    folder.mkdir(exist_ok=True)
    return folder


def test_me_officer_reads_results_and_switches_to_cyrillic(
    live_server, personas, browser_page, artifacts: Path
) -> None:  # noqa: ANN001
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
