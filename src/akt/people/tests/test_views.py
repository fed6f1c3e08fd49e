"""Person and organization pages, for every persona, and what bad input does."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.people.models import Organization, Person
from akt.testing.factories import (
    AttendanceFactory,
    OrganizationFactory,
    PersonFactory,
    community,
    municipality,
)
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def person_urls(world) -> dict[str, str]:
    person = world.gracanica.person
    return {
        "person_list": reverse("people:person_list"),
        "person_detail": reverse("people:person_detail", args=[person.pk]),
        "person_create": reverse("people:person_create"),
        "person_update": reverse("people:person_update", args=[person.pk]),
    }


def organization_urls(world) -> dict[str, str]:
    organization = world.gracanica.organization
    return {
        "organization_list": reverse("people:organization_list"),
        "organization_detail": reverse("people:organization_detail", args=[organization.pk]),
        "organization_create": reverse("people:organization_create"),
        "organization_update": reverse("people:organization_update", args=[organization.pk]),
    }


def person_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "given_name": "Dragana",
        "family_name": "Ilić",
        "sex": "female",
        "birth_date": "",
        "birth_year": "1990",
        "community": community("serb").pk,
        "community_consent": "consent",
        "municipality": municipality("gracanice").pk,
        "affiliation": "municipal_employee",
        "organization": "",
    }
    data.update(overrides)
    return data


def assert_field_error(response, field: str, message: str | None = None) -> None:
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    if message is not None:
        assert errors[field] == [message]
    assert f'id="id_{field}_error"' in response.content.decode()


# -- who may use the pages ---------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_sign_in(client_for, world) -> None:
    client = client_for(None)
    for name, url in {**person_urls(world), **organization_urls(world)}.items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), name


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "admin",
            {"person_list": 200, "person_detail": 200, "person_create": 200, "person_update": 200},
        ),
        (
            "me",
            {"person_list": 200, "person_detail": 200, "person_create": 200, "person_update": 200},
        ),
        # Milica attended a Zvečan hearing of the economic component: staff see her.
        (
            "staff",
            {"person_list": 200, "person_detail": 200, "person_create": 200, "person_update": 200},
        ),
        (
            "focal_gracanica",
            {"person_list": 200, "person_detail": 200, "person_create": 200, "person_update": 200},
        ),
        (
            "focal_zvecan",
            {"person_list": 200, "person_detail": 404, "person_create": 200, "person_update": 404},
        ),
        (
            "donor",
            {"person_list": 403, "person_detail": 403, "person_create": 403, "person_update": 403},
        ),
    ],
)
def test_who_may_open_the_person_pages(client_for, world, persona: str, expected: dict) -> None:
    client = client_for(persona)
    for name, url in person_urls(world).items():
        assert client.get(url).status_code == expected[name], name


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "admin",
            {
                "organization_list": 200,
                "organization_detail": 200,
                "organization_create": 200,
                "organization_update": 200,
            },
        ),
        (
            "focal_gracanica",
            {
                "organization_list": 200,
                "organization_detail": 200,
                "organization_create": 200,
                "organization_update": 200,
            },
        ),
        (
            "focal_zvecan",
            {
                "organization_list": 200,
                "organization_detail": 404,
                "organization_create": 200,
                "organization_update": 404,
            },
        ),
        # Organizations are not personal data: staff of any component use the whole registry.
        (
            "staff",
            {
                "organization_list": 200,
                "organization_detail": 200,
                "organization_create": 200,
                "organization_update": 200,
            },
        ),
        (
            "donor",
            {
                "organization_list": 200,
                "organization_detail": 200,
                "organization_create": 403,
                "organization_update": 403,
            },
        ),
    ],
)
def test_who_may_open_the_organization_pages(
    client_for,
    world,
    persona: str,
    expected: dict,
) -> None:
    client = client_for(persona)
    for name, url in organization_urls(world).items():
        assert client.get(url).status_code == expected[name], name


@pytest.mark.parametrize("persona", ["donor", "focal_zvecan"])
def test_writes_by_those_who_may_not_change_nothing(client_for, world, persona: str) -> None:
    client = client_for(persona)
    person, organization = world.gracanica.person, world.gracanica.organization
    before = (Person.objects.count(), Organization.objects.count())
    client.post(
        reverse("people:person_update", args=[person.pk]), person_payload(given_name="Hijacked")
    )
    client.post(
        reverse("people:organization_update", args=[organization.pk]),
        {"name": "Hijacked", "kind": "farm", "municipality": organization.municipality_id},
    )
    if persona == "donor":
        client.post(reverse("people:person_create"), person_payload())
        client.post(
            reverse("people:organization_create"),
            {"name": "New", "kind": "farm", "municipality": organization.municipality_id},
        )
    assert (Person.objects.count(), Organization.objects.count()) == before
    person.refresh_from_db()
    organization.refresh_from_db()
    assert (person.given_name, organization.name) == ("Milica", "Gračanica Honey Cooperative")
    assert not AuditEntry.objects.exists()


# -- lists and details -------------------------------------------------------------------------


def names(response) -> set[str]:
    return {person.full_name for person in response.context["page"]}


def test_a_focal_point_lists_residents_of_their_municipality_only(client_for, world) -> None:
    url = reverse("people:person_list")
    assert names(client_for("focal_gracanica").get(url)) == {"Milica Stanković"}
    assert names(client_for("focal_zvecan").get(url)) == {"Zoran Secretović"}
    assert names(client_for("admin").get(url)) == {"Milica Stanković", "Zoran Secretović"}


def test_the_person_search_ignores_case_accents_and_word_order(client_for, world) -> None:
    PersonFactory(given_name="Arbër", family_name="Gashi", municipality=municipality("gracanice"))
    PersonFactory(
        given_name="Đorđe",
        family_name="Petrović",
        sex="male",
        municipality=municipality("gracanice"),
        community=community("serb"),
    )
    client = client_for("focal_gracanica")
    url = reverse("people:person_list")
    assert names(client.get(url, {"q": "arber"})) == {"Arbër Gashi"}
    assert names(client.get(url, {"q": "GASHI ARBER"})) == {"Arbër Gashi"}
    assert names(client.get(url, {"q": "djordje petrovic"})) == {"Đorđe Petrović"}
    assert names(client.get(url, {"q": "stankovic"})) == {"Milica Stanković"}
    assert names(client.get(url, {"sex": "male"})) == {"Đorđe Petrović"}
    assert names(client.get(url, {"community": community("serb").pk})) == {
        "Milica Stanković",
        "Đorđe Petrović",
    }
    # A focal point cannot widen the list by asking for another municipality.
    response = client.get(url, {"municipality": municipality("zvecan").pk})
    assert "Secretović" not in response.content.decode()


def test_the_person_list_costs_the_same_queries_however_many_rows(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    organization = OrganizationFactory(municipality=municipality("gracanice"))
    PersonFactory.create_batch(
        30,
        municipality=municipality("gracanice"),
        community=community("roma"),
        organization=organization,
    )
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("people:person_list"))
    assert len(response.context["page"].object_list) == 25


def test_the_organization_list_costs_the_same_queries_however_many_rows(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    OrganizationFactory.create_batch(30, municipality=municipality("gracanice"))
    client = client_for("admin")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("people:organization_list"))
    assert len(response.context["page"].object_list) == 25


def test_a_person_page_lists_only_activities_the_viewer_may_see(client_for, world) -> None:
    url = reverse("people:person_detail", args=[world.gracanica.person.pk])
    html = client_for("focal_gracanica").get(url).content.decode()
    assert "Gračanica public debate" in html
    assert "Zvečan secret hearing" not in html
    html = client_for("admin").get(url).content.decode()
    assert "Zvečan secret hearing" in html


def test_an_organization_page_hides_members_from_a_donor(client_for, world) -> None:
    url = reverse("people:organization_detail", args=[world.gracanica.organization.pk])
    html = client_for("donor").get(url).content.decode()
    assert "Gračanica Honey Cooperative" in html
    assert "GR-GRA-1" in html
    assert "Milica" not in html
    html = client_for("focal_gracanica").get(url).content.decode()
    assert "Milica Stanković" in html


# -- create and update -------------------------------------------------------------------------


def test_a_focal_point_registers_a_resident(client_for, world) -> None:
    response = client_for("focal_gracanica").post(
        reverse("people:person_create"), person_payload(**{"given_name": "  Dragana  "})
    )
    person = Person.objects.get(family_name="Ilić")
    assert response.status_code == 302
    assert response["Location"] == reverse("people:person_detail", args=[person.pk])
    assert person.given_name == "Dragana"
    entry = AuditEntry.objects.get(action="person_create")
    assert entry.changes["birth_year"] == 1990


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"birth_date": "2999-01-01", "birth_year": ""},
            "birth_date",
            "The birth date is in the future.",
        ),
        (
            {"birth_date": "1990-04-02", "birth_year": "1991"},
            "birth_year",
            "The birth year does not match the birth date.",
        ),
        ({"family_name": ""}, "family_name", "This field is required."),
        ({"municipality": "zvecan"}, "municipality", None),
        ({"municipality": ""}, "municipality", "This field is required."),
        ({"organization": "zvecan"}, "organization", None),
    ],
)
def test_bad_person_input_is_refused_beside_its_field(
    client_for,
    world,
    overrides: dict,
    field: str,
    message: str | None,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    if overrides.get("organization") == "zvecan":
        overrides = {"organization": world.zvecan.organization.pk}
    before = Person.objects.count()
    response = client_for("focal_gracanica").post(
        reverse("people:person_create"), person_payload(**overrides)
    )
    assert_field_error(response, field, message)
    assert Person.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_a_bad_update_leaves_the_stored_person_as_it_was(client_for, world) -> None:
    person = world.gracanica.person
    response = client_for("focal_gracanica").post(
        reverse("people:person_update", args=[person.pk]),
        person_payload(given_name="Mila", birth_date="2999-01-01", birth_year=""),
    )
    assert_field_error(response, "birth_date")
    person.refresh_from_db()
    assert (person.given_name, person.birth_year) == ("Milica", 1980)
    assert not AuditEntry.objects.exists()


def test_an_update_audits_old_and_new_values(client_for, world) -> None:
    person = world.gracanica.person
    response = client_for("focal_gracanica").post(
        reverse("people:person_update", args=[person.pk]),
        person_payload(
            given_name="Milica",
            family_name="Stanković",
            birth_year="1981",
            organization=world.gracanica.organization.pk,
        ),
    )
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="person_update")
    assert entry.changes["birth_year"] == [1980, 1981]
    assert "given_name" not in entry.changes


def test_component_staff_are_told_to_register_persons_through_a_roster(client_for, world) -> None:
    before = Person.objects.count()
    response = client_for("staff").post(
        reverse("people:person_create"),
        person_payload(municipality=municipality("prishtine").pk),
    )
    assert response.status_code == 200
    assert "Register participants from the roster" in response.content.decode()
    assert Person.objects.count() == before


def organization_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Gračanica Dairy",
        "kind": "business",
        "sector": "dairy",
        "municipality": municipality("gracanice").pk,
        "registration_number": "",
    }
    data.update(overrides)
    return data


def test_a_focal_point_registers_an_organization(client_for, world) -> None:
    response = client_for("focal_gracanica").post(
        reverse("people:organization_create"), organization_payload()
    )
    organization = Organization.objects.get(name="Gračanica Dairy")
    assert response.status_code == 302
    assert AuditEntry.objects.get().action == "organization_create"
    response = client_for("focal_gracanica").post(
        reverse("people:organization_update", args=[organization.pk]),
        organization_payload(sector="fruit_vegetable"),
    )
    assert response.status_code == 302
    assert AuditEntry.objects.latest("id").changes == {"sector": ["dairy", "fruit_vegetable"]}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "gračanica honey cooperative"}, "name"),
        ({"name": ""}, "name"),
        ({"kind": ""}, "kind"),
        ({"municipality": "zvecan"}, "municipality"),
    ],
)
def test_bad_organization_input_is_refused_beside_its_field(
    client_for,
    world,
    overrides: dict,
    field: str,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    before = Organization.objects.count()
    response = client_for("focal_gracanica").post(
        reverse("people:organization_create"), organization_payload(**overrides)
    )
    assert_field_error(response, field)
    assert Organization.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_a_roster_makes_a_person_visible_to_component_staff(client_for, world) -> None:
    stranger = PersonFactory(given_name="Vesna", municipality=municipality("prishtine"))
    url = reverse("people:person_detail", args=[stranger.pk])
    assert client_for("staff").get(url).status_code == 404
    AttendanceFactory(activity=world.zvecan.activity, person=stranger)
    assert client_for("staff").get(url).status_code == 200


def test_a_resolved_record_leads_to_its_person_and_lists_count_persons_once(
    client_for, personas: dict
) -> None:
    from akt.linkage.services import person_merge
    from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory

    latin = PersonFactory(given_name="Jovan", family_name="Petrović")
    cyrillic = PersonFactory(given_name="Јован", family_name="Петровић")
    AttendanceFactory(activity=ActivityFactory(title="Debata u Gnjilanu"), person=cyrillic)
    person_merge(actor=personas["me"], survivor=latin, others=[cyrillic], reason="same person")
    client = client_for("me")
    listing = client.get(reverse("people:person_list")).content.decode()
    assert "Petrović" in listing and "Петровић" not in listing
    survivor = client.get(reverse("people:person_detail", args=[latin.pk])).content.decode()
    assert "Петровић" in survivor and "Debata u Gnjilanu" in survivor
    record = client.get(reverse("people:person_detail", args=[cyrillic.pk])).content.decode()
    assert "This record was resolved to the person Jovan Petrović" in record
