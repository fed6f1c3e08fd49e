"""No lost update: a save made from a page drawn before someone else's save is refused, with
the conflict shown, and nothing the first person saved is lost."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity
from akt.people.models import Person
from akt.testing.factories import (
    ActivityFactory,
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
    UserFactory,
    topic,
)
from akt.web import DRAWN_FIELD

pytestmark = pytest.mark.django_db


def drawn_form(client: Client, url: str) -> dict[str, Any]:
    """What the browser would send back from the edit page as drawn, unchanged."""
    page = client.get(url)
    assert page.status_code == 200
    data: dict[str, Any] = {}
    for field in page.context["form"]:
        value = field.value()
        if value is None or value is False:
            continue
        if value is True:
            value = "on"
        data[field.html_name] = [str(item) for item in value] if isinstance(value, list) else value
    assert DRAWN_FIELD in data
    return data


@pytest.fixture
def officers(personas: dict[str, User]) -> tuple[Client, Client]:
    """Two officers, each signed in on their own browser."""
    second = UserFactory(
        username="me2", role="me_officer", first_name="Drita", last_name="Krasniqi"
    )
    first, other = Client(), Client()
    first.force_login(second)
    other.force_login(personas["me"])
    return first, other


def test_a_stale_person_edit_is_refused_with_the_changed_field_and_the_first_save_is_kept(
    officers: tuple[Client, Client],
) -> None:
    person = PersonFactory(given_name="Arbër", family_name="Hoxha", birth_year=1980)
    url = reverse("people:person_update", args=[person.pk])
    drita, me = officers
    hers = drawn_form(drita, url)
    mine = drawn_form(me, url)

    hers["family_name"] = "Hoxhaj"
    assert drita.post(url, hers).status_code == 302

    mine["birth_year"] = "1981"
    refused = me.post(url, mine)

    assert refused.status_code == 409
    page = refused.content.decode()
    assert "Drita Krasniqi saved this record" in page
    assert "Nothing of yours was saved" in page
    assert "they saved “Hoxhaj”; you entered “Hoxha”" in page
    assert f'<a href="{url}">Start again from the current record</a>' in page
    assert refused.context["conflict"] == [
        {"field": "Family name", "theirs": "Hoxhaj", "yours": "Hoxha"}
    ]
    person.refresh_from_db()
    assert (person.family_name, person.birth_year) == ("Hoxhaj", 1980)
    assert not AuditEntry.objects.filter(action="person_update", actor__username="me").exists()

    # Starting again from the current record, the second edit goes through and keeps the first.
    again = drawn_form(me, url)
    again["birth_year"] = "1981"
    assert me.post(url, again).status_code == 302
    person.refresh_from_db()
    assert (person.family_name, person.birth_year) == ("Hoxhaj", 1981)


def test_saving_again_from_the_conflict_page_replaces_their_values_knowingly(
    officers: tuple[Client, Client],
) -> None:
    person = PersonFactory(given_name="Arbër", family_name="Hoxha")
    url = reverse("people:person_update", args=[person.pk])
    drita, me = officers
    hers, mine = drawn_form(drita, url), drawn_form(me, url)
    hers["family_name"] = "Hoxhaj"
    drita.post(url, hers)
    mine["family_name"] = "Hoxa"
    refused = me.post(url, mine)
    assert refused.status_code == 409

    form = refused.context["form"]
    resent = {**mine, DRAWN_FIELD: form[DRAWN_FIELD].value()}
    assert me.post(url, resent).status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Hoxa"
    entry = AuditEntry.objects.filter(action="person_update").latest("pk")
    assert entry.changes["family_name"] == ["Hoxhaj", "Hoxa"]


def test_an_edit_that_does_not_overlap_still_refuses_a_stale_page(
    officers: tuple[Client, Client],
) -> None:
    """The form sends every field back: saving a stale page would put back the old values."""
    activity = ActivityFactory(title="Debate on the language law", start_date=dt.date(2016, 3, 2))
    activity.topics.add(topic("law-on-use-of-languages"))
    url = reverse("activities:update", args=[activity.pk])
    drita, me = officers
    hers, mine = drawn_form(drita, url), drawn_form(me, url)
    hers["venue"] = "Municipal hall"
    assert drita.post(url, hers).status_code == 302

    mine["title"] = "Public debate on the language law"
    refused = me.post(url, mine)
    assert refused.status_code == 409
    assert [row["field"] for row in refused.context["conflict"]] == ["Venue"]
    activity = Activity.objects.get(pk=activity.pk)
    assert (activity.title, activity.venue) == ("Debate on the language law", "Municipal hall")


def test_a_fresh_page_saves_as_before(officers: tuple[Client, Client]) -> None:
    person = PersonFactory(family_name="Hoxha")
    url = reverse("people:person_update", args=[person.pk])
    _, me = officers
    data = drawn_form(me, url)
    data["family_name"] = "Hoxhaj"
    assert me.post(url, data).status_code == 302
    assert Person.objects.get(pk=person.pk).family_name == "Hoxhaj"


@pytest.mark.parametrize(
    ("url_name", "make", "field", "theirs", "yours"),
    [
        ("people:organization_update", OrganizationFactory, "name", "Bletaria Ajvazi", "Bletaria"),
        ("grants:update", GrantFactory, "reference", "BG-901", "BG-902"),
        ("capacity:update", PlanFactory, "title", "Plan 2015-2017", "Plan 2015-2018"),
        ("infrastructure:update", ProjectFactory, "title", "Water supply", "Water well"),
    ],
)
def test_every_kind_of_record_refuses_a_stale_edit(
    officers: tuple[Client, Client],
    url_name: str,
    make: Any,
    field: str,
    theirs: str,
    yours: str,
) -> None:
    record = make()
    url = reverse(url_name, args=[record.pk])
    drita, me = officers
    hers, mine = drawn_form(drita, url), drawn_form(me, url)
    hers[field] = theirs
    saved = drita.post(url, hers)
    assert saved.status_code == 302, saved.context["form"].errors
    mine[field] = yours
    refused = me.post(url, mine)
    assert refused.status_code == 409
    assert [(row["theirs"], row["yours"]) for row in refused.context["conflict"]] == [
        (theirs, yours)
    ]
    record.refresh_from_db()
    assert getattr(record, field) == theirs
