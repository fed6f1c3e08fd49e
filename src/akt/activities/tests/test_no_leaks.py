"""No page a Gračanica focal point can reach shows a Zvečan person, activity or record.

Every Zvečan record carries a distinctive name (``ZVECAN_MARKERS``). The test opens every list
(plain, filtered towards Zvečan and searched for a Zvečan name), every Gračanica detail and every
form the focal point may use, and looks for those names in the HTML.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from akt.testing.factories import municipality
from akt.testing.two_municipalities import ZVECAN_MARKERS, two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def reachable_pages(world) -> list[str]:
    g = world.gracanica
    zvecan = municipality("zvecan").pk
    lists = [
        reverse("activities:list"),
        reverse("people:person_list"),
        reverse("people:organization_list"),
        reverse("grants:list"),
        reverse("capacity:list"),
        reverse("infrastructure:list"),
    ]
    searched = [f"{url}?municipality={zvecan}" for url in lists] + [
        reverse("activities:list") + "?q=Zve%C4%8Dan",
        reverse("people:person_list") + "?q=secretovic",
        reverse("people:organization_list") + "?q=dairy",
        reverse("grants:list") + "?q=ZV-SECRET",
        reverse("infrastructure:list") + "?q=INF-ZVE",
        reverse("activities:attendance_add", args=[g.activity.pk]) + "?q=secretovic",
    ]
    pages = [
        reverse("activities:detail", args=[g.activity.pk]),
        reverse("activities:create"),
        reverse("activities:update", args=[g.activity.pk]),
        reverse("activities:attendance_add", args=[g.activity.pk]),
        reverse("activities:tally_set", args=[g.activity.pk]),
        reverse("activities:tally_set", args=[g.activity.pk]) + f"?cell={g.tally.pk}",
        reverse("people:person_detail", args=[g.person.pk]),
        reverse("people:person_create"),
        reverse("people:person_update", args=[g.person.pk]),
        reverse("people:organization_detail", args=[g.organization.pk]),
        reverse("people:organization_create"),
        reverse("people:organization_update", args=[g.organization.pk]),
        reverse("grants:detail", args=[g.grant.pk]),
        reverse("grants:create"),
        reverse("grants:update", args=[g.grant.pk]),
        reverse("capacity:detail", args=[g.plan.pk]),
        reverse("capacity:create"),
        reverse("capacity:update", args=[g.plan.pk]),
        reverse("infrastructure:detail", args=[g.project.pk]),
        reverse("infrastructure:create"),
        reverse("infrastructure:update", args=[g.project.pk]),
    ]
    return lists + searched + pages


def test_no_zvecan_record_reaches_a_gracanica_focal_point(client_for, world) -> None:
    client = client_for("focal_gracanica")
    for url in reachable_pages(world):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        leaked = [marker for marker in ZVECAN_MARKERS if marker in html]
        assert not leaked, f"{url} shows {leaked}"


def test_the_markers_do_show_where_they_should(client_for, world) -> None:
    """The test above could pass by accident if the markers never rendered at all."""
    client = client_for("admin")
    html = "".join(
        client.get(url).content.decode()
        for url in [
            reverse("activities:list"),
            reverse("people:person_list"),
            reverse("people:organization_list"),
            reverse("grants:list"),
            reverse("capacity:list"),
            reverse("infrastructure:list"),
            reverse("activities:detail", args=[world.gracanica.activity.pk]),
        ]
    )
    assert [marker for marker in ZVECAN_MARKERS if marker not in html] == []


def test_zvecan_records_are_not_found_for_a_gracanica_focal_point(client_for, world) -> None:
    z = world.zvecan
    client = client_for("focal_gracanica")
    for url in [
        reverse("activities:detail", args=[z.activity.pk]),
        reverse("activities:update", args=[z.activity.pk]),
        reverse("activities:attendance_add", args=[z.activity.pk]),
        reverse("activities:tally_set", args=[z.activity.pk]),
        reverse("people:person_detail", args=[z.person.pk]),
        reverse("people:person_update", args=[z.person.pk]),
        reverse("people:organization_detail", args=[z.organization.pk]),
        reverse("grants:detail", args=[z.grant.pk]),
        reverse("capacity:detail", args=[z.plan.pk]),
        reverse("infrastructure:detail", args=[z.project.pk]),
    ]:
        assert client.get(url).status_code == 404, url
