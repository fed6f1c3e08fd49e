"""The dashboard as its readers use it: who may open it, and that its figures are the records'."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from akt.activities.models import ActivityKind
from akt.indicators.models import Indicator
from akt.places.models import Municipality
from akt.reports.tests.records import debate, text_of
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    TallyFactory,
)

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("reports:dashboard")
PERSONAS = ["admin", "me", "staff", "focal_gracanica", "focal_zvecan", "donor"]


@pytest.mark.parametrize(
    "url", [reverse("reports:dashboard"), reverse("reports:indicator", args=["lul-debates"])]
)
def test_anonymous_visitor_is_sent_to_log_in(client_for, url: str) -> None:
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_can_open_the_dashboard(client_for, persona: str) -> None:
    response = client_for(persona).get(DASHBOARD)
    assert response.status_code == 200
    assert "Results to date" in text_of(response)
    # Every active indicator is there, each figure a link to its drill-down.
    for code in Indicator.objects.active().values_list("code", flat=True):
        assert f'href="{reverse("reports:indicator", args=[code])}"' in response.content.decode()


def test_figures_are_computed_from_the_records(client_for, personas) -> None:
    first = debate("gjilan", "Debate one")
    debate("gjilan", "Debate two")
    for _ in range(3):
        AttendanceFactory(activity=first)
    client = client_for("me")

    page = text_of(client.get(DASHBOARD))
    assert "2 public debates organized on implementation of the Law on Use of Languages" in page
    assert "3 participants in the public debates on the Law on Use of Languages" in page

    debate("prizren", "Debate three")
    TallyFactory(activity=first, headcount=40)
    page = text_of(client.get(DASHBOARD))
    assert "3 public debates organized on implementation of the Law on Use of Languages" in page
    assert "43 participants in the public debates on the Law on Use of Languages" in page


def test_the_figure_itself_links_to_its_drill_down(client_for, personas) -> None:
    debate("gjilan", "Debate one")
    html = client_for("me").get(DASHBOARD).content.decode()
    link = reverse("reports:indicator", args=["lul-debates"])
    assert re.search(
        rf'<a class="figure-link" href="{link}"><strong class="figure">1</strong> public debate ',
        html,
    )


def test_persons_figure_names_the_tally_beside_it(client_for, personas) -> None:
    service = ActivityFactory(kind=ActivityKind.BUSINESS_SERVICE)
    AttendanceFactory(activity=service, person=PersonFactory(sex="female"))
    TallyFactory(activity=service, sex="female", headcount=25)

    page = text_of(client_for("me").get(DASHBOARD))
    assert "1 woman provided with business development services" in page
    assert "Besides, 25 people were counted on headcount sheets without names" in page


def test_period_changes_the_figures(client_for, personas) -> None:
    debate("gjilan", "Spring 2015", start=dt.date(2015, 5, 12))  # FY2015 Q3
    debate("gjilan", "Winter 2016", start=dt.date(2016, 1, 20))  # FY2016 Q2
    client = client_for("me")

    def debates_sentence(query: str) -> str:
        page = text_of(client.get(DASHBOARD + query))
        found = re.search(r"(\d+) public debates? organized", page)
        assert found, page
        return found.group(1)

    assert debates_sentence("") == "2"
    assert debates_sentence("?period=fy2015") == "1"
    assert debates_sentence("?period=fy2016q2") == "1"
    assert debates_sentence("?period=fy2016q1") == "0"
    assert debates_sentence("?period=cy2016") == "1"
    assert debates_sentence("?period=lop") == "2"


def test_unknown_period_falls_back_to_life_of_project_and_says_so(client_for, personas) -> None:
    debate("gjilan", "Spring 2015")
    response = client_for("me").get(DASHBOARD + "?period=fy1999")
    assert response.status_code == 200
    page = text_of(response)
    assert "Select a valid choice" in page
    assert "1 public debate organized" in page
    assert "Life of project" in page


def test_municipality_selector_narrows_the_figures(client_for, two_places) -> None:
    client = client_for("me")
    zvecan = Municipality.objects.get(code="zvecan")
    page = text_of(client.get(DASHBOARD))
    assert "6 public debates organized" in page
    page = text_of(client.get(f"{DASHBOARD}?municipality={zvecan.pk}"))
    assert "4 public debates organized" in page
    # The drill-down links carry the choice along.
    html = client.get(f"{DASHBOARD}?municipality={zvecan.pk}&period=fy2015").content.decode()
    assert f"?period=fy2015&amp;municipality={zvecan.pk}" in html


def test_focal_point_has_no_municipality_menu(client_for, two_places) -> None:
    html = client_for("focal_gracanica").get(DASHBOARD).content.decode()
    assert 'name="period"' in html
    assert 'name="municipality"' not in html
    assert 'name="municipality"' in client_for("donor").get(DASHBOARD).content.decode()


def test_navigation_offers_persons_only_to_those_who_may_see_them(client_for, personas) -> None:
    people = f'href="{reverse("people:person_list")}"'
    for persona, shown in [("me", True), ("focal_gracanica", True), ("donor", False)]:
        html = client_for(persona).get(DASHBOARD).content.decode()
        assert (people in html) is shown, persona
        assert f'href="{reverse("activities:list")}"' in html
        assert (f'href="{reverse("admin:index")}"' in html) is personas[persona].is_staff
