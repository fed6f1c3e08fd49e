"""An activity's organizer and how its attendance is recorded (a roster of names or headcounts),
on its form and its page (issue 10, item 8: the activity list imports them; a clerk also enters
and corrects them by hand)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.activities.models import Activity
from akt.people.models import Organization
from akt.testing.factories import (
    ActivityFactory,
    OrganizationFactory,
    component,
    municipality,
    topic,
)


@pytest.fixture
def organizations(personas: Any) -> dict[str, Organization]:
    return {
        "gracanica": OrganizationFactory(
            name="Udruženje žena Gračanica", municipality=municipality("gracanice")
        ),
        "zvecan": OrganizationFactory(name="NVO Zvečan mladi", municipality=municipality("zvecan")),
    }


def payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Javna rasprava o budžetu 2016",
        "kind": "public_debate",
        "component": component("communication").pk,
        "municipality": municipality("gracanice").pk,
        "start_date": "2015-10-01",
        "end_date": "2015-10-01",
        "venue": "Dom kulture",
        "description": "",
        "topics": [topic("law-on-use-of-languages").pk],
    }
    data.update(overrides)
    return data


def test_the_organizer_and_the_attendance_form_are_recorded_audited_and_shown(
    client_for: Any, organizations: dict[str, Organization]
) -> None:
    client = client_for("focal_gracanica")
    organizer = organizations["gracanica"]

    response = client.post(
        reverse("activities:create"),
        payload(organizer=organizer.pk, attendance_form="tally"),
    )

    assert response.status_code == 302, response.context["form"].errors
    activity = Activity.objects.get(title="Javna rasprava o budžetu 2016")
    assert (activity.organizer, activity.attendance_form) == (organizer, "tally")
    entry = AuditEntry.objects.get(action="activity_create", target_id=str(activity.pk))
    assert "organizer" in entry.changes and "attendance_form" in entry.changes
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "Udruženje žena Gračanica" in page
    assert reverse("people:organization_detail", args=[organizer.pk]) in page
    assert "Headcounts (tally)" in page


def test_a_focal_point_may_not_name_another_municipalitys_organization(
    client_for: Any, organizations: dict[str, Organization]
) -> None:
    client = client_for("focal_gracanica")

    offered = client.get(reverse("activities:create")).context["form"].fields["organizer"]
    response = client.post(
        reverse("activities:create"), payload(organizer=organizations["zvecan"].pk)
    )

    assert list(offered.queryset) == [organizations["gracanica"]]
    assert response.status_code == 200
    assert response.context["form"].errors["organizer"]
    assert not Activity.objects.exists()


def test_an_imported_organizer_from_elsewhere_does_not_block_an_edit(
    client_for: Any, organizations: dict[str, Organization]
) -> None:
    activity = ActivityFactory(
        municipality=municipality("gracanice"),
        component=component("communication"),
        organizer=organizations["zvecan"],
        attendance_form="roster",
    )
    client = client_for("focal_gracanica")

    response = client.post(
        reverse("activities:update", args=[activity.pk]),
        payload(organizer=organizations["zvecan"].pk, attendance_form="roster", title="Renamed"),
    )

    assert response.status_code == 302, response.context["form"].errors
    activity.refresh_from_db()
    assert (activity.title, activity.organizer) == ("Renamed", organizations["zvecan"])
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert "NVO Zvečan mladi" in page  # named, but not linked: its page is not theirs to open
    assert reverse("people:organization_detail", args=[organizations["zvecan"].pk]) not in page
