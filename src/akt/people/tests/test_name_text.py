"""Names typed or pasted into the person pages and services (issue 10, item 11): invisible
characters (zero-width, right-to-left controls) are never stored, however the name comes in,
and a name too long for its column is refused beside its field, never cut."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from akt.activities.services import attendance_add_new_person
from akt.people import services
from akt.people.forms import persons_named
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, PersonFactory, community, municipality


def payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "given_name": "Dragana",
        "family_name": "Ilić",
        "sex": "female",
        "birth_date": "",
        "birth_year": "1990",
        "community": community("serb").pk,
        "community_consent": "consent",
        "municipality": municipality("gracanice").pk,
        "affiliation": "",
        "organization": "",
    }
    data.update(overrides)
    return data


def test_the_person_form_stores_a_pasted_name_without_its_invisible_characters(
    client_for,
    personas,
) -> None:
    response = client_for("focal_gracanica").post(
        reverse("people:person_create"),
        payload(given_name="\u200fDra\u200bgana\u200e", family_name="\u2067Ili\u2060ć\u2069"),
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Dragana", "Ilić")
    assert persons_named(Person.objects.all(), "dragana ilic").get() == person


def test_the_person_form_refuses_a_name_over_100_characters_beside_its_field(
    client_for,
    personas,
) -> None:
    response = client_for("focal_gracanica").post(
        reverse("people:person_create"), payload(family_name="Ilić-" + "Petrović" * 15)
    )
    assert response.status_code == 200
    assert response.context["form"].errors["family_name"] == [
        "Ensure this value has at most 100 characters (it has 125)."
    ]
    assert not Person.objects.exists()


def test_the_services_store_names_without_invisible_characters(personas) -> None:
    created = services.person_create(
        actor=personas["focal_gracanica"],
        given_name="\ufeffAna",
        family_name="Mar\u200bković\u202c",
        municipality=municipality("gracanice"),
    )
    assert (created.given_name, created.family_name) == ("Ana", "Marković")

    updated = services.person_update(
        actor=personas["focal_gracanica"],
        person=created,
        data={"given_name": "A\u200dna-Marija\u2066"},
    )
    updated.refresh_from_db()
    assert updated.given_name == "Ana-Marija"

    attendance = attendance_add_new_person(
        actor=personas["me"],
        activity=ActivityFactory(municipality=municipality("gracanice")),
        person_data={
            "given_name": "Jo\u200bvan",
            "family_name": "\u202bPetrović",
            "municipality": municipality("gracanice"),
        },
    )
    attendance.person.refresh_from_db()
    assert attendance.person.full_name == "Jovan Petrović"


def test_a_service_refuses_a_name_over_100_characters(personas) -> None:
    with pytest.raises(ValidationError) as refused:
        services.person_create(
            actor=personas["focal_gracanica"],
            given_name="Ana",
            family_name="M" * 101,
            municipality=municipality("gracanice"),
        )
    assert "family_name" in refused.value.message_dict
    assert not Person.objects.exists()


def test_the_search_ignores_invisible_characters_typed_into_it(personas) -> None:
    person = PersonFactory(given_name="Arbër", family_name="Krasniqi")
    assert persons_named(Person.objects.all(), "Ar\u200bber kras\u200eniqi").get() == person
