"""A quarter through its approval in a real browser, then the tracking table into its records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from akt.conftest import PASSWORD
from akt.testing.factories import ActivityFactory, AttendanceFactory, topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("heading", name="Results to date").wait_for()


def test_an_officer_submits_a_quarter_another_approves_it_and_the_table_opens_a_figure(
    live_server,
    personas,
    browser_page,
    artifacts: Path,
) -> None:
    debate = ActivityFactory(title="Debate in the Gjilan town hall", start_date=dt.date(2016, 2, 2))
    debate.topics.add(topic("law-on-use-of-languages"))
    AttendanceFactory.create_batch(3, activity=debate)
    page = browser_page

    sign_in(page, live_server, "me")
    page.get_by_role("link", name="Reporting periods").click()
    page.get_by_role("link", name="FY 2016, Q2").click()
    page.get_by_label("Note for the reviewer").fill("All sheets of the quarter are in.")
    page.get_by_role("button", name="Submit the quarter").click()
    page.get_by_text("The quarter was submitted for approval.").wait_for()
    assert page.get_by_role("button", name="Approve the quarter").count() == 0  # not one's own
    page.get_by_role("button", name="Log out").click()

    sign_in(page, live_server, "admin")
    page.goto(live_server.url + "/periods/2016/q2/")
    page.get_by_role("button", name="Approve the quarter").click()
    page.get_by_text("The quarter was approved and its figures kept.").wait_for()
    row = page.locator("tr", has_text="Participants in public debates on the Law on Use")
    assert row.locator("td.num").first.inner_text() == "3"
    page.screenshot(path=str(artifacts / "browser-4-approved-quarter.png"), full_page=True)

    page.get_by_role("link", name="Tracking table").click()
    page.get_by_label("Fiscal year").select_option("2016")
    page.get_by_role("button", name="Show").click()
    tracking = page.locator("table.tracking").first
    line = tracking.locator("tr", has_text="Public debates on the Law on Use of Languages")
    line.get_by_role("link", name="1", exact=True).first.click()
    page.get_by_role("heading", name="Public debates on the Law on Use of Languages").wait_for()
    assert page.get_by_role("link", name="Debate in the Gjilan town hall").is_visible()
    page.screenshot(path=str(artifacts / "browser-5-tracking-drill-down.png"), full_page=True)
