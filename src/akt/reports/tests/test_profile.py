"""A municipality's profile page, for each person who may or may not open it."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from akt.capacity.models import CapacityDevelopmentPlan
from akt.indicators.models import Indicator, Target
from akt.places.models import Municipality
from akt.reports.tests.records import ZVECAN_MARK, Place, debate, populate, text_of
from akt.testing.factories import (
    AttendanceFactory,
    GrantFactory,
    OrganizationFactory,
    PlanFactory,
    ProjectFactory,
    TallyFactory,
    municipality,
)

pytestmark = pytest.mark.django_db

# Session and user, the municipalities, the program, the indicators, the columns the figures
# need, the municipality's targets, its activities (count and the most recent), grants (totals
# and list), plans, projects, the composition's reads, and the focal point's municipality in
# the header: 30 to 33 today.
MAX_QUERIES = 40


def queries_for(client, url: str) -> int:
    cache.clear()  # the map's picture drawn each time, as on a first visit
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def profile_url(code: str, query: str = "") -> str:
    return reverse("reports:municipality", args=[code]) + query


def indicator_rows(html: str) -> dict[str, list[str]]:
    """The indicators table: each indicator's cells (figure, then any target columns), by name."""
    table = html[html.index('class="data profile-indicators"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)[1:]:
        cells = [text_of(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def test_anonymous_visitors_are_sent_to_log_in(client_for, reference) -> None:
    response = client_for(None).get(profile_url("gracanice"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_me_officer_reads_a_municipalitys_figures_and_records(
    client_for, two_places: dict[str, Place]
) -> None:
    html = client_for("me").get(profile_url("gracanice")).content.decode()
    rows = indicator_rows(html)
    assert len(rows) == Indicator.objects.active().count()
    assert rows["Public debates on the Law on Use of Languages"] == ["2"]
    assert rows["Participants in public debates on the Law on Use of Languages"] == ["11"]
    assert rows["Municipal public hearings"] == ["1"]
    gracanica = Municipality.objects.get(code="gracanice")
    debates = reverse("reports:indicator", args=["lul-debates"])
    assert f'href="{debates}?municipality={gracanica.pk}"' in html  # opens into its records
    for record in ("Gracanica debate 1 in gracanice", "Gracanica plan gracanice"):
        assert record in html
    assert "Gracanica project gracanice" in html and "Gracanica-GRANT-gracanice" in html
    plan = CapacityDevelopmentPlan.objects.get(title="Gracanica plan gracanice")
    assert reverse("capacity:detail", args=[plan.pk]) in html
    assert ZVECAN_MARK not in html  # another municipality's records stay on its own profile
    text = text_of(html)
    assert "Representation by community" in text and "Serb" in text
    assert "4 activities in this period." in text  # 2 debates, a hearing, a workshop


def test_the_period_narrows_figures_and_dated_records(
    client_for, two_places: dict[str, Place]
) -> None:
    html = client_for("me").get(profile_url("gracanice", "?period=fy2016")).content.decode()
    assert indicator_rows(html)["Public debates on the Law on Use of Languages"] == ["0"]
    text = text_of(html)
    assert "No activity in this period." in text and "No grant in this period." in text
    assert "Gracanica plan gracanice" in text  # plans and projects run across periods


def test_voided_records_are_left_out(client_for, two_places: dict[str, Place]) -> None:
    CapacityDevelopmentPlan.objects.filter(title="Gracanica plan gracanice").update(
        voided_at=timezone.now()
    )
    html = client_for("me").get(profile_url("gracanice")).content.decode()
    assert "Gracanica plan gracanice" not in html
    assert "No capacity development plan." in text_of(html)


def test_focal_point_opens_only_their_own_municipality(
    client_for, two_places: dict[str, Place]
) -> None:
    client = client_for("focal_gracanica")
    own = client.get(profile_url("gracanice"))
    assert own.status_code == 200
    html = own.content.decode()
    assert indicator_rows(html)["Public debates on the Law on Use of Languages"] == ["2"]
    assert ZVECAN_MARK not in html
    assert client.get(profile_url("zvecan")).status_code == 404
    assert client.get(profile_url("prizren")).status_code == 404
    assert client.get(profile_url("no-such-place")).status_code == 404
    assert client_for("focal_zvecan").get(profile_url("gracanice")).status_code == 404
    assert client_for("focal_zvecan").get(profile_url("zvecan")).status_code == 200


def test_donor_sees_figures_and_records_but_no_person(
    client_for, two_places: dict[str, Place]
) -> None:
    response = client_for("donor").get(profile_url("zvecan"))
    assert response.status_code == 200
    html = response.content.decode()
    assert indicator_rows(html)["Public debates on the Law on Use of Languages"] == ["4"]
    assert f"{ZVECAN_MARK} debate 1 in zvecan" in html
    assert "Given" not in html and "Family" not in html  # persons' names


def test_component_staff_see_their_components_records(
    client_for, two_places: dict[str, Place]
) -> None:
    html = client_for("staff").get(profile_url("gracanice")).content.decode()
    assert "Gracanica-GRANT-gracanice" in html  # an economic grant
    assert "Gracanica debate 1 in gracanice" not in html  # the communication component's
    assert "Gracanica plan gracanice" not in html  # plans belong to no component


def test_municipality_targets_are_compared_with_the_figure(
    client_for, two_places: dict[str, Place]
) -> None:
    debates = Indicator.objects.get(code="lul-debates")
    common = {"indicator": debates, "dimension": "municipality", "cell": "gracanice"}
    Target.objects.create(period_kind="lop", value=Decimal(4), **common)
    Target.objects.create(period_kind="fy", fiscal_year=2015, value=Decimal(2), **common)
    Target.objects.create(  # another municipality's target is not Gračanica's
        indicator=debates, dimension="municipality", cell="zvecan", period_kind="lop", value=9
    )
    # The program's own target (reference data) is not the municipality's.
    assert Target.objects.filter(indicator=debates, period_kind="lop", dimension="").exists()

    client = client_for("focal_gracanica")
    rows = indicator_rows(client.get(profile_url("gracanice")).content.decode())
    assert rows["Public debates on the Law on Use of Languages"] == ["2", "4", "50%", "No"]
    assert rows["Municipal public hearings"] == ["1", "–", "–", "–"]
    rows = indicator_rows(client.get(profile_url("gracanice", "?period=fy2015")).content.decode())
    assert rows["Public debates on the Law on Use of Languages"] == ["2", "2", "100%", "Yes"]
    rows = indicator_rows(client.get(profile_url("gracanice", "?period=fy2016")).content.decode())
    assert rows["Public debates on the Law on Use of Languages"] == ["0"]  # no target that year


@pytest.mark.parametrize(
    ("language", "name", "heading"),
    [
        ("sq", "Graçanicë", "Treguesit"),
        ("sr-latn", "Gračanica", "Pokazatelji"),
        ("sr", "Грачаница", "Показатељи"),
    ],
)
def test_the_profile_speaks_the_readers_language(
    client_for, two_places: dict[str, Place], language: str, name: str, heading: str
) -> None:
    client = client_for("me")
    client.cookies["django_language"] = language
    html = client.get(profile_url("gracanice")).content.decode()
    assert f"<h1>{name}</h1>" in html
    assert f'<h2 id="profile-indicators">{heading}</h2>' in html


@pytest.mark.parametrize("persona", ["me", "focal_gracanica", "donor", "staff"])
@pytest.mark.parametrize(
    "url",
    [
        reverse("reports:municipality", args=["gracanice"]),
        reverse("reports:municipality", args=["gracanice"]) + "?period=fy2015",
        reverse("reports:map") + "?indicator=lul-debate-participants",
        reverse("reports:map") + "?indicator=business-grants-amount&period=fy2015",
    ],
)
def test_query_count_does_not_grow_with_records(client_for, persona: str, url: str) -> None:
    """The profile and the map read a fixed number of queries, however many records the
    municipality has (the map's picture is drawn, not taken from the cache, both times)."""
    client = client_for(persona)
    populate("gracanice", debates=1, attendees=1, heads=1, mark="A")
    few = queries_for(client, url)

    populate("zvecan", debates=6, attendees=5, heads=3, mark="B")
    for number in range(4):  # more in Gračanica itself, of every kind the profile lists
        activity = debate("gracanice", f"D{number}")
        AttendanceFactory.create_batch(3, activity=activity)
        TallyFactory(activity=activity, headcount=5)
        GrantFactory(recipient=OrganizationFactory(municipality=municipality("gracanice")))
        ProjectFactory(municipality=municipality("gracanice"))
        PlanFactory(
            municipality=municipality("gracanice"), period_start=dt.date(2014 + number, 2, 1)
        )
    many = queries_for(client, url)

    assert many == few
    assert many <= MAX_QUERIES
