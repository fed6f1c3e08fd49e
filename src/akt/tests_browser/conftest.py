"""The browser tests' fixtures: a Chromium page driven by Playwright, and where screenshots go.

Debian's Chromium (``/usr/bin/chromium``) runs against pytest-django's live server. Without it a
test is skipped, unless ``AKT_REQUIRE_BROWSER=1`` (CI) makes a missing browser a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


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
