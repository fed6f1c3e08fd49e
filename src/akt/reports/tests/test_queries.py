"""Query-count guards: the results pages read a fixed number of queries, however many records."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.reports.tests.records import debate, populate
from akt.testing.factories import (
    AttendanceFactory,
    GrantFactory,
    ProjectFactory,
    TallyFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

# Session and user, the program, the indicators, the municipalities, the columns the figures
# need (attendances, tallies, activities, persons, organizations, four small lookups, one query
# per grant, plan, project and entered-value source), the pending pairs, a page of records
# (count, rows, what is behind each) and the focal point's municipality in the header: 9 to 22
# today.
MAX_QUERIES = 26  # with the sign-in's two-factor check


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["me", "focal_gracanica", "donor"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:dashboard"),
        reverse("reports:indicator", args=["lul-debate-participants"]),
        reverse("reports:indicator", args=["community-members-empowered"]),
        reverse("reports:indicator", args=["business-grants"]),
        reverse("reports:indicator", args=["capacity-plans"]),
        reverse("reports:indicator", args=["infrastructure-projects"]),
        reverse("reports:indicator", args=["property-tax-billed"]),
    ],
)
def test_query_count_does_not_grow_with_records(
    client_for, persona: str, url: str, django_assert_max_num_queries
) -> None:
    client = client_for(persona)
    populate("gracanice", debates=1, attendees=1, heads=1, mark="A")
    few = queries_for(client, url)

    populate("zvecan", debates=6, attendees=5, heads=3, mark="B")
    populate("gjilan", debates=5, attendees=4, heads=2, mark="C")
    for number in range(4):  # more in the focal point's own municipality too
        activity = debate("gracanice", f"D{number}")
        AttendanceFactory.create_batch(3, activity=activity)
        TallyFactory(activity=activity, headcount=5)
        GrantFactory(municipality=municipality("gracanice"))
        ProjectFactory(municipality=municipality("gracanice"))
    many = queries_for(client, url)

    assert many == few
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(url)
