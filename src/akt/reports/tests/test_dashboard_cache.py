"""The dashboard kept in the cache for the same records, worked out again after any write, or up
to a minute later, saying so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from akt.activities.models import ActivityKind
from akt.activities.services import activity_create
from akt.reports.tests.records import debate, text_of
from akt.testing.factories import component, municipality, topic

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
DEBATES = "public debates organized on implementation of the Law on Use of Languages"


@pytest.fixture
def kept(settings) -> None:
    """The cache on, as on a server (the tests' settings keep nothing)."""
    settings.RESULTS_CACHE_SECONDS = 600
    settings.RESULTS_LAG_SECONDS = 0
    cache.clear()


def _debate_through_the_service(actor, title: str) -> None:
    activity_create(
        actor=actor,
        title=title,
        kind=ActivityKind.PUBLIC_DEBATE,
        component=component(),
        municipality=municipality("gjilan"),
        start_date=dt.date(2015, 6, 1),
        end_date=dt.date(2015, 6, 1),
        topics=[topic("law-on-use-of-languages")],
    )


def test_a_second_reader_gets_the_same_page_without_the_records_read_again(
    kept, client_for, personas
) -> None:
    debate("gjilan", "Debate one")
    _debate_through_the_service(personas["me"], "Debate two")  # an audit entry: a version
    first = client_for("me").get(DASHBOARD)
    donor = client_for("donor")
    with CaptureQueriesContext(connection) as again:
        second = donor.get(DASHBOARD)
    assert f"2 {DEBATES}" in text_of(first)
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(second.content.decode())[0] == main.search(first.content.decode())[0]
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        donor.get(DASHBOARD)
    # Kept: the session, the user, the version and the page's menu; not the records.
    assert len(again) < len(cold) - 10


def test_a_write_through_a_service_shows_at_once_with_no_lag(kept, client_for, personas) -> None:
    _debate_through_the_service(personas["me"], "Debate one")
    client = client_for("donor")
    assert "1 public debate organized" in text_of(client.get(DASHBOARD))

    _debate_through_the_service(personas["me"], "Debate two")

    assert f"2 {DEBATES}" in text_of(client.get(DASHBOARD))


def test_languages_and_places_are_kept_apart(kept, client_for, personas) -> None:
    _debate_through_the_service(personas["me"], "Debate one")
    client = client_for("me")
    english = text_of(client.get(DASHBOARD))
    albanian = text_of(client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE="sq"))
    prizren = municipality("prizren").pk
    elsewhere = text_of(client.get(DASHBOARD, {"municipality": prizren}))
    assert "1 public debate organized" in english
    assert "Rezultatet deri më sot" in albanian
    assert "1 public debate organized" not in albanian
    assert "0 public debates organized" in elsewhere


def test_with_a_lag_readers_get_the_kept_figures_with_when_they_were_counted(
    kept, settings, client_for, personas
) -> None:
    settings.RESULTS_LAG_SECONDS = 60
    _debate_through_the_service(personas["me"], "Debate one")
    donor, officer = client_for("donor"), client_for("me")
    assert "1 public debate organized" in text_of(donor.get(DASHBOARD))

    _debate_through_the_service(personas["me"], "Debate two")

    # The kept figures, and when they were counted, whoever reads them.
    for client in (donor, officer):
        page = client.get(DASHBOARD)
        assert "1 public debate organized" in text_of(page)
        assert "Figures as counted at" in text_of(page)
        assert 'href="?fresh=1"' in page.content.decode()
    # Counted again on asking, and kept for the next reader.
    assert f"2 {DEBATES}" in text_of(officer.get(DASHBOARD, {"fresh": "1"}))
    assert f"2 {DEBATES}" in text_of(donor.get(DASHBOARD))
    _debate_through_the_service(personas["me"], "Debate three")
    assert "Figures as counted at" in text_of(donor.get(DASHBOARD))
    fresh = text_of(donor.get(DASHBOARD, {"fresh": "1"}))
    assert f"3 {DEBATES}" in fresh
    assert "Figures as counted at" not in fresh


def test_the_lag_is_bounded(kept, settings, client_for, personas, monkeypatch) -> None:
    settings.RESULTS_LAG_SECONDS = 60
    _debate_through_the_service(personas["me"], "Debate one")
    donor = client_for("donor")
    donor.get(DASHBOARD)
    _debate_through_the_service(personas["me"], "Debate two")
    later = timezone.now() + dt.timedelta(seconds=61)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert f"2 {DEBATES}" in text_of(donor.get(DASHBOARD))
