"""At entry: a new roster row is matched against the registry before it is saved."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from akt.activities.models import Attendance
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, PersonFactory, municipality

pytestmark = pytest.mark.django_db


def new_person_post(**overrides: str) -> dict[str, str]:
    data = {
        "how": "new",
        "new-given_name": "Јован",
        "new-family_name": "Петровић",
        "new-sex": "male",
        "new-birth_date": "1979-04-12",
        "new-community_consent": "not_recorded",
        "new-municipality": str(municipality("gjilan").pk),
        "roster-role": "participant",
    }
    data.update(overrides)
    return data


@pytest.fixture
def registered() -> Person:
    PersonFactory(
        given_name="Arbër",
        family_name="Gashi",
        sex="male",
        birth_date=dt.date(1990, 1, 3),
        birth_year=None,
    )
    return PersonFactory(
        given_name="Jovan",
        family_name="Petrović",
        sex="male",
        birth_date=dt.date(1979, 4, 12),
        birth_year=None,
        municipality=municipality("gjilan"),
    )


def test_the_likely_existing_person_is_suggested_before_saving(client_for, registered) -> None:
    activity = ActivityFactory()
    url = reverse("activities:attendance_add", args=[activity.pk])
    before = Person.objects.count()
    page = client_for("me").post(url, new_person_post())
    assert page.status_code == 200
    text = page.content.decode()
    assert "This may be a person already registered" in text
    block = text[
        text.index('id="suggestions"') : text.index("</div>", text.index('id="suggestions"'))
    ]
    assert "Jovan Petrović" in block and "match probability" in block
    assert "Arbër Gashi" not in block
    assert Person.objects.count() == before and not Attendance.objects.exists()

    # Taking the suggestion puts the registered person on the roster; no new record.
    added = client_for("me").post(
        url, {"how": "existing", "person": registered.pk, "role": "participant"}
    )
    assert added.status_code == 302
    assert Attendance.objects.get().person == registered
    assert Person.objects.count() == before


def test_confirming_a_new_person_registers_them(client_for, registered) -> None:
    activity = ActivityFactory()
    url = reverse("activities:attendance_add", args=[activity.pk])
    response = client_for("me").post(url, new_person_post(confirmed_new="1"))
    assert response.status_code == 302
    assert Attendance.objects.get().person.family_name == "Петровић"


def test_someone_unlike_anyone_is_registered_at_once(client_for, registered) -> None:
    activity = ActivityFactory()
    url = reverse("activities:attendance_add", args=[activity.pk])
    response = client_for("me").post(
        url,
        new_person_post(
            **{
                "new-given_name": "Dafina",
                "new-family_name": "Zeqiri",
                "new-sex": "female",
                "new-birth_date": "2001-11-30",
            }
        ),
    )
    assert response.status_code == 302


def test_suggestions_stay_within_the_viewers_scope(client_for, registered) -> None:
    # The registered Jovan lives in Gjilan; a Gračanica focal point must not learn of him.
    activity = ActivityFactory(municipality=municipality("gracanice"))
    url = reverse("activities:attendance_add", args=[activity.pk])
    page = client_for("focal_gracanica").post(
        url, new_person_post(**{"new-municipality": str(municipality("gracanice").pk)})
    )
    # Nothing in their scope resembles the new row, so it is registered at once: the page that
    # would have named the Gjilan record is never shown.
    assert page.status_code == 302
    assert Attendance.objects.get().person.municipality == municipality("gracanice")
