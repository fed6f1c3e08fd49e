"""The reads other apps take from here: the map's points and the indicators' rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.scope import Scope
from akt.counting.engine import Window
from akt.infrastructure import services
from akt.infrastructure.models import ProjectMilestone, ProjectSpending
from akt.infrastructure.selectors import (
    cofinancing_leveraged,
    project_points,
    projects_completed,
    spending_entries,
    spending_per_project,
)
from akt.testing.factories import ProjectFactory, component, municipality
from akt.testing.two_municipalities import two_municipalities

D = Decimal
CY2016 = Window(dt.date(2016, 1, 1), dt.date(2016, 12, 31), "2016")


@pytest.fixture
def world(personas):
    return two_municipalities()


def test_each_viewer_gets_the_points_of_the_projects_they_may_see(world, personas) -> None:
    gracanica, zvecan = world.gracanica.project, world.zvecan.project
    for project, point in ((gracanica, ("42.601", "21.195")), (zvecan, ("42.905", "20.84"))):
        project.latitude, project.longitude = D(point[0]), D(point[1])
        project.save()
    ProjectFactory(municipality=municipality("gracanice"))  # no point: not on the map
    voided = ProjectFactory(
        municipality=municipality("gracanice"), latitude=D("42.6"), longitude=D("21.2")
    )
    services.project_void(actor=personas["me"], project=voided, reason="Entered twice.")

    def points(persona: str) -> list[tuple[str, Decimal, Decimal]]:
        return [
            (p.code, p.latitude, p.longitude)
            for p in project_points(Scope.for_user(personas[persona]))
        ]

    assert points("me") == [
        ("INF-GRA-1", D("42.601"), D("21.195")),
        ("INF-ZVE-SECRET", D("42.905"), D("20.84")),
    ]
    assert points("donor") == points("me")
    assert points("focal_gracanica") == [("INF-GRA-1", D("42.601"), D("21.195"))]
    assert points("staff") == []  # another component's projects
    assert project_points(Scope.for_user(None)) == []


def completed_in_2016(world, personas) -> list:
    """Two Gračanica projects, one completed in 2016 (with co-financing), one under way, and a
    Zvečan one completed in 2016 (two_municipalities' were completed in 2015)."""
    in_2016 = ProjectFactory(
        code="INF-2016",
        municipality=municipality("gracanice"),
        start_date=dt.date(2015, 11, 1),
        completion_date=dt.date(2016, 5, 31),
        municipal_contribution=D("6000.00"),
        community_contribution=D("1500.00"),
        community_contribution_kind="in_kind",
        currency="EUR",
    )
    under_way = ProjectFactory(
        code="INF-UW",
        municipality=municipality("gracanice"),
        status="under_way",
        start_date=dt.date(2016, 2, 1),
        completion_date=None,
    )
    zvecan = ProjectFactory(
        code="INF-ZV-2016",
        municipality=municipality("zvecan"),
        component=component("economic"),
        start_date=dt.date(2016, 1, 1),
        completion_date=dt.date(2016, 3, 1),
        municipal_contribution=D("900.00"),
    )
    return [in_2016, under_way, zvecan]


def test_projects_completed_count_on_their_completion_date(world, personas) -> None:
    in_2016, _under_way, zvecan = completed_in_2016(world, personas)
    rows = projects_completed(CY2016)
    assert [(r.project_id, r.date) for r in rows] == [
        (zvecan.pk, dt.date(2016, 3, 1)),
        (in_2016.pk, dt.date(2016, 5, 31)),
    ]
    gracanica = frozenset({municipality("gracanice").pk})
    assert [r.project_id for r in projects_completed(CY2016, gracanica)] == [in_2016.pk]
    # Over the whole program: the two Gračanica and Zvečan projects of two_municipalities too.
    assert len(projects_completed()) == 4
    services.project_void(actor=personas["me"], project=in_2016, reason="Entered twice.")
    assert [r.project_id for r in projects_completed(CY2016)] == [zvecan.pk]


def test_co_financing_leveraged_is_the_municipal_and_community_shares_on_completion(
    world, personas
) -> None:
    in_2016, _under_way, zvecan = completed_in_2016(world, personas)
    rows = {row.project_id: row for row in cofinancing_leveraged(CY2016)}
    assert set(rows) == {in_2016.pk, zvecan.pk}
    row = rows[in_2016.pk]
    assert (row.date, row.currency, row.municipal, row.community, row.total) == (
        dt.date(2016, 5, 31),
        "EUR",
        D("6000.00"),
        D("1500.00"),
        D("7500.00"),
    )
    assert row.community_kind == "in_kind"
    assert (rows[zvecan.pk].total, rows[zvecan.pk].currency) == (D("900.00"), "USD")


def test_spending_per_project_and_per_payment(world, personas) -> None:
    in_2016, under_way, zvecan = completed_in_2016(world, personas)
    for project, day, amount, payer in (
        (in_2016, dt.date(2016, 1, 15), "20000", "usaid"),
        (in_2016, dt.date(2016, 4, 1), "25000", "usaid"),
        (in_2016, dt.date(2016, 4, 2), "6000", "municipality"),
        (in_2016, dt.date(2016, 12, 31), "500", "community"),
        (in_2016, dt.date(2017, 1, 1), "100", "community"),  # after the window
        (under_way, dt.date(2016, 3, 1), "7000", "usaid"),
        (zvecan, dt.date(2016, 2, 1), "1000", "municipality"),
    ):
        services.spending_add(
            actor=personas["me"],
            project=project,
            spent_on=day,
            amount=D(amount),
            category="works",
            paid_by=payer,
        )
    totals = {row.project_id: row for row in spending_per_project(CY2016)}
    row = totals[in_2016.pk]
    assert (row.budget, row.spent, row.currency) == (D("47500.00"), D("51500.00"), "EUR")
    assert row.spent_by_payer == {
        "community": D("500.00"),
        "municipality": D("6000.00"),
        "usaid": D("45000.00"),
    }
    assert (row.percent_spent, row.over_budget) == (D("108.4"), True)
    assert totals[under_way.pk].spent == D("7000.00")
    gracanica = frozenset({municipality("gracanice").pk})
    assert set(row.project_id for row in spending_per_project(CY2016, gracanica)) == {
        in_2016.pk,
        under_way.pk,
    }
    entries = spending_entries(CY2016, gracanica)
    assert len(entries) == 5
    assert entries[0].date == dt.date(2016, 1, 15) and entries[0].amount == D("20000.00")
    assert {entry.currency for entry in entries if entry.project_id == in_2016.pk} == {"EUR"}
    assert len(spending_entries()) == 7


def test_the_list_costs_the_same_queries_however_many_projects(
    client_for, world, django_assert_num_queries
) -> None:
    def add(count: int) -> None:
        for _number in range(count):
            project = ProjectFactory(municipality=municipality("gracanice"))
            ProjectSpending.objects.create(
                project=project,
                spent_on=dt.date(2015, 6, 1),
                amount=D("100"),
                category="works",
                paid_by="usaid",
            )
            ProjectMilestone.objects.create(
                project=project, kind="works_completed", planned_date=dt.date(2015, 9, 1)
            )

    client = client_for("focal_gracanica")
    url = reverse("infrastructure:list")
    add(2)
    client.get(url)  # the session and the language warm up
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(10)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["rows"]) == 13  # and the playground of two_municipalities
