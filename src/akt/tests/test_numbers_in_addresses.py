"""A number in a page's address that is not written in the digits 0-9 (issue 10, item 11).

"?fy=²" and "?activity=²" gave server errors: ``"²".isdigit()`` is true and ``int("²")``
fails. Every page reads such parameters through :mod:`akt.text.numbers`; a value that names no
record is a 404 or is ignored, never a 500.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.activities.models import Activity
from akt.testing.factories import ActivityFactory, TallyFactory, municipality

NOT_NUMBERS = ["²", "³", "١", "1²", "99999999999999999999999999"]

# Each page that reads a number from its address, and the parameters it reads (the report pages
# compute every indicator per request, so each is asked once, with all its parameters at once).
PAGES = [
    ("/tracking/", ["fy", "small"]),
    ("/tracking.xlsx", ["small"]),
    ("/", ["small", "municipality", "page"]),
    ("/activities/", ["page", "municipality", "component"]),
    ("/people/", ["page", "municipality", "community"]),
    ("/imports/", ["page"]),
    ("/imports/upload/", ["activity"]),
    ("/imports/templates/", ["activity"]),
    ("/linkage/merges/", ["page"]),
]


@pytest.fixture
def debate(reference: None) -> Activity:
    activity = ActivityFactory(municipality=municipality("gracanice"))
    TallyFactory(activity=activity)
    return activity


def test_a_page_given_a_number_it_cannot_read_answers_without_a_server_error(
    client_for,
    debate: Activity,
) -> None:
    client = client_for("admin")
    client.raise_request_exception = True  # a server error fails the test with its traceback
    for path, names in PAGES:
        response = client.get(path, dict.fromkeys(names, "²"))
        assert response.status_code in (200, 404), (path, response.status_code)


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_headcount_cell_named_by_a_number_it_cannot_read_is_not_found(
    client_for,
    debate: Activity,
    value: str,
) -> None:
    client = client_for("admin")
    url = reverse("activities:tally_set", args=[debate.pk])
    assert client.get(url, {"cell": value}).status_code == 404
    assert client.get(url, {"cell": debate.tallies.get().pk}).status_code == 200


def test_an_upload_for_an_activity_named_by_a_number_it_cannot_read_is_not_found(
    client_for,
    debate: Activity,
) -> None:
    client = client_for("me")
    assert client.get(reverse("intake:upload"), {"activity": "²"}).status_code == 404
    assert client.get(reverse("intake:upload"), {"activity": debate.pk}).status_code == 200
    assert client.get(reverse("intake:template"), {"activity": "²"}).status_code == 404


def test_the_tracking_table_given_an_unreadable_year_shows_the_latest(
    client_for,
    debate: Activity,
) -> None:
    response = client_for("me").get("/tracking/", {"fy": "²", "small": "²"})
    assert response.context["year"] == response.context["years"][-1]
    assert response.context["presentation"].small == 0
