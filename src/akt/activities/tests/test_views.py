"""Activity pages, for every persona: who may use them, what they show, what bad input does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.activities.models import Activity, Attendance, Tally
from akt.people.models import Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    TallyFactory,
    community,
    component,
    municipality,
    topic,
)
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def activity_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Debate on the Law on the Use of Languages",
        "kind": "public_debate",
        "component": component("communication").pk,
        "municipality": municipality("gracanice").pk,
        "start_date": "2015-10-01",
        "end_date": "2015-10-01",
        "venue": "Municipal hall",
        "description": "",
        "topics": [topic("law-on-use-of-languages").pk],
    }
    data.update(overrides)
    return data


def field_errors(response, field: str) -> list[str]:
    """The errors a re-rendered form shows beside ``field`` (checked in the HTML too)."""
    assert response.status_code == 200
    form = response.context["form"]
    errors = form.errors.get(field, [])
    assert errors, f"no error on {field}: {form.errors.as_data()}"
    assert f'id="id_{field}_error"' in response.content.decode()
    return errors


# -- who may use the pages ---------------------------------------------------------------------


def urls_for(world) -> dict[str, str]:
    activity = world.gracanica.activity
    return {
        "list": reverse("activities:list"),
        "detail": reverse("activities:detail", args=[activity.pk]),
        "create": reverse("activities:create"),
        "update": reverse("activities:update", args=[activity.pk]),
        "attendance_add": reverse("activities:attendance_add", args=[activity.pk]),
        "tally_set": reverse("activities:tally_set", args=[activity.pk]),
    }


@pytest.mark.parametrize(
    "name", ["list", "detail", "create", "update", "attendance_add", "tally_set"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client_for, world, name: str) -> None:
    url = urls_for(world)[name]
    response = client_for(None).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "admin",
            {
                "list": 200,
                "detail": 200,
                "create": 200,
                "update": 200,
                "attendance_add": 200,
                "tally_set": 200,
            },
        ),
        (
            "me",
            {
                "list": 200,
                "detail": 200,
                "create": 200,
                "update": 200,
                "attendance_add": 200,
                "tally_set": 200,
            },
        ),
        # The Gračanica activity is of the communication component, not the staff member's.
        (
            "staff",
            {
                "list": 200,
                "detail": 404,
                "create": 200,
                "update": 404,
                "attendance_add": 404,
                "tally_set": 404,
            },
        ),
        (
            "focal_gracanica",
            {
                "list": 200,
                "detail": 200,
                "create": 200,
                "update": 200,
                "attendance_add": 200,
                "tally_set": 200,
            },
        ),
        (
            "focal_zvecan",
            {
                "list": 200,
                "detail": 404,
                "create": 200,
                "update": 404,
                "attendance_add": 404,
                "tally_set": 404,
            },
        ),
        (
            "donor",
            {
                "list": 200,
                "detail": 200,
                "create": 403,
                "update": 403,
                "attendance_add": 403,
                "tally_set": 403,
            },
        ),
    ],
)
def test_who_may_open_which_page(client_for, world, persona: str, expected: dict) -> None:
    client = client_for(persona)
    for name, url in urls_for(world).items():
        assert client.get(url).status_code == expected[name], name


@pytest.mark.parametrize("persona", ["donor", "focal_zvecan"])
def test_posts_by_those_who_may_not_edit_change_nothing(client_for, world, persona) -> None:
    activity = world.gracanica.activity
    urls = urls_for(world)
    client = client_for(persona)
    before = (Activity.objects.count(), Attendance.objects.count(), Tally.objects.count())
    client.post(urls["update"], activity_payload(title="Hijacked"))
    client.post(urls["tally_set"], {"sex": "male", "age_band": "", "headcount": 5})
    client.post(
        urls["attendance_add"],
        {"how": "existing", "person": world.zvecan.person.pk, "role": "participant"},
    )
    attendance = Attendance.objects.filter(activity=activity).first()
    client.post(reverse("activities:attendance_remove", args=[activity.pk, attendance.pk]))
    assert (Activity.objects.count(), Attendance.objects.count(), Tally.objects.count()) == before
    activity.refresh_from_db()
    assert activity.title == "Gračanica public debate"
    assert not AuditEntry.objects.exists()


# -- the list ----------------------------------------------------------------------------------


def titles(response) -> set[str]:
    return {activity.title for activity in response.context["page"]}


def test_each_focal_point_lists_their_own_municipality_only(client_for, world) -> None:
    url = reverse("activities:list")
    assert titles(client_for("focal_gracanica").get(url)) == {"Gračanica public debate"}
    assert titles(client_for("focal_zvecan").get(url)) == {"Zvečan secret hearing"}
    assert titles(client_for("staff").get(url)) == {"Zvečan secret hearing"}
    assert titles(client_for("donor").get(url)) == {
        "Gračanica public debate",
        "Zvečan secret hearing",
    }


def test_the_list_filters_by_kind_place_component_dates_and_title(client_for, world) -> None:
    ActivityFactory(title="Farmers' training", kind="training", start_date=dt.date(2016, 3, 1))
    client = client_for("me")
    url = reverse("activities:list")
    assert titles(client.get(url, {"kind": "training"})) == {"Farmers' training"}
    assert titles(client.get(url, {"municipality": municipality("zvecan").pk})) == {
        "Zvečan secret hearing"
    }
    assert titles(client.get(url, {"component": component("economic").pk})) == {
        "Zvečan secret hearing"
    }
    assert titles(client.get(url, {"start": "2015-06-01", "end": "2015-12-31"})) == {
        "Zvečan secret hearing"
    }
    assert titles(client.get(url, {"q": "DEBATE"})) == {"Gračanica public debate"}


def test_the_list_shows_participants_and_an_edit_button_only_to_editors(client_for, world) -> None:
    response = client_for("donor").get(reverse("activities:list"))
    page = {activity.title: activity for activity in response.context["page"]}
    debate = page["Gračanica public debate"]
    assert (debate.roster_count, debate.tallied) == (2, 10)
    assert reverse("activities:create") not in response.content.decode()
    response = client_for("focal_gracanica").get(reverse("activities:list"))
    assert reverse("activities:create") in response.content.decode()


def test_the_list_is_paginated(client_for, reference) -> None:
    ActivityFactory.create_batch(30)
    client = client_for("me")
    first = client.get(reverse("activities:list"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("activities:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_the_list_costs_the_same_queries_however_many_rows(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    for _index in range(30):
        activity = ActivityFactory(municipality=municipality("gracanice"))
        AttendanceFactory(activity=activity, person__municipality=municipality("gracanice"))
        TallyFactory(activity=activity)
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("activities:list"))
    assert len(response.context["page"].object_list) == 25


# -- the detail --------------------------------------------------------------------------------


def test_the_detail_names_visible_persons_and_counts_the_others(client_for, world) -> None:
    response = client_for("focal_gracanica").get(
        reverse("activities:detail", args=[world.gracanica.activity.pk])
    )
    html = response.content.decode()
    assert "Milica Stanković" in html
    assert "Secretović" not in html
    assert "1 participant from other municipalities" in html
    assert "Gračanica Honey Cooperative" in html
    assert "Zvečan Secret Dairy" not in html


def test_an_administrator_sees_the_whole_roster(client_for, world) -> None:
    html = (
        client_for("admin")
        .get(reverse("activities:detail", args=[world.gracanica.activity.pk]))
        .content.decode()
    )
    assert "Milica Stanković" in html
    assert "Zoran Secretović" in html
    assert "from other municipalities" not in html


def test_a_donor_sees_counts_and_headcounts_but_no_names(client_for, world) -> None:
    response = client_for("donor").get(
        reverse("activities:detail", args=[world.gracanica.activity.pk])
    )
    html = response.content.decode()
    assert "Milica" not in html
    assert "Secretović" not in html
    assert "2 persons on the roster." in html
    assert "2 named participants; names are not shown to your role." in html
    assert response.context["table"].total == 10
    assert reverse("activities:update", args=[world.gracanica.activity.pk]) not in html


def test_the_detail_shows_topics_and_places_in_the_readers_language(client_for, world) -> None:
    activity = world.gracanica.activity
    activity.topics.add(topic("law-on-use-of-languages"))
    url = reverse("activities:detail", args=[activity.pk])
    client = client_for("me")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Law on the Use of Languages" in english
    assert municipality("gracanice").name_en in english
    albanian = client.get(url, HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "Ligji për përdorimin e gjuhëve" in albanian
    assert "Graçanicë" in albanian
    cyrillic = client.get(url, HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    assert "Грачаница" in cyrillic
    assert "Закон о употреби језика" in cyrillic


def test_the_tally_table_adds_up(client_for, world) -> None:
    activity = world.gracanica.activity
    TallyFactory(
        activity=activity, sex="male", community=community("albanian"), age_band="30+", headcount=7
    )
    TallyFactory(activity=activity, sex="", community=None, age_band="", headcount=3)
    table = client_for("me").get(reverse("activities:detail", args=[activity.pk])).context["table"]
    assert table.total == 20
    assert sum(row.total for row in table.rows) == 20
    assert sum(table.column_totals) == 20
    assert [label for label, _span in table.sexes] == ["Female", "Male", "Unknown"]
    assert table.rows[-1].label == "Unknown"


def test_the_detail_costs_the_same_queries_however_long_the_roster(
    client_for,
    world,
    django_assert_max_num_queries,
) -> None:
    activity = world.gracanica.activity
    for band in ("0-14", "15-29", "30+"):
        TallyFactory(activity=activity, community=community("roma"), age_band=band)
    for organization in (None, world.gracanica.organization):
        AttendanceFactory.create_batch(
            12,
            activity=activity,
            organization=organization,
            person__municipality=municipality("gracanice"),
            person__community=community("albanian"),
        )
    client = client_for("focal_gracanica")
    with django_assert_max_num_queries(15):  # its plan actions, work plan entry, evidence, 2FA
        response = client.get(reverse("activities:detail", args=[activity.pk]))
    assert len(response.context["roster"]) == 25


# -- create and update -------------------------------------------------------------------------


def test_a_focal_point_records_an_activity_in_their_municipality(client_for, world) -> None:
    response = client_for("focal_gracanica").post(reverse("activities:create"), activity_payload())
    activity = Activity.objects.get(title="Debate on the Law on the Use of Languages")
    assert response.status_code == 302
    assert response["Location"] == reverse("activities:detail", args=[activity.pk])
    assert list(activity.topics.values_list("code", flat=True)) == ["law-on-use-of-languages"]
    entry = AuditEntry.objects.get(action="activity_create")
    assert entry.actor.username == "focal-gracanica"
    assert entry.target_id == str(activity.pk)


def test_a_focal_point_is_offered_only_their_municipality(client_for, world) -> None:
    response = client_for("focal_gracanica").get(reverse("activities:create"))
    choices = list(response.context["form"].fields["municipality"].queryset)
    assert choices == [municipality("gracanice")]


@pytest.mark.parametrize(
    ("persona", "overrides", "field"),
    [
        ("focal_gracanica", {"municipality": "zvecan"}, "municipality"),
        ("staff", {"component": "communication"}, "component"),
        ("me", {"end_date": "2015-09-30"}, "end_date"),
        ("me", {"title": ""}, "title"),
        ("me", {"kind": ""}, "kind"),
        ("me", {"start_date": ""}, "start_date"),
        ("me", {"start_date": "2015-02-30"}, "start_date"),
    ],
)
def test_bad_activity_input_is_refused_beside_its_field(
    client_for,
    world,
    persona: str,
    overrides: dict,
    field: str,
) -> None:
    if overrides.get("municipality") == "zvecan":
        overrides = {"municipality": municipality("zvecan").pk}
    if overrides.get("component") == "communication":
        overrides = {"component": component("communication").pk}
    before = Activity.objects.count()
    response = client_for(persona).post(reverse("activities:create"), activity_payload(**overrides))
    field_errors(response, field)
    assert Activity.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_an_end_date_before_the_start_is_explained(client_for, world) -> None:
    response = client_for("me").post(
        reverse("activities:create"), activity_payload(end_date="2015-09-30")
    )
    assert field_errors(response, "end_date") == ["The end date must not be before the start date."]


def test_an_update_changes_the_activity_and_audits_old_and_new(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:update", args=[activity.pk]),
        activity_payload(
            title="Gračanica public debate on languages",
            start_date="2015-05-12",
            end_date="2015-05-13",
            project=activity.project_id,
        ),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Gračanica public debate on languages"
    entry = AuditEntry.objects.get(action="activity_update")
    assert entry.changes["title"] == ["Gračanica public debate", activity.title]
    assert entry.changes["end_date"] == ["2015-05-12", "2015-05-13"]
    assert entry.changes["topics"] == [[], ["law-on-use-of-languages"]]
    assert "municipality" not in entry.changes


def test_a_bad_update_leaves_the_stored_activity_as_it_was(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:update", args=[activity.pk]),
        activity_payload(title="Renamed", municipality=municipality("zvecan").pk),
    )
    field_errors(response, "municipality")
    activity.refresh_from_db()
    assert (activity.title, activity.municipality) == (
        "Gračanica public debate",
        municipality("gracanice"),
    )
    assert not AuditEntry.objects.exists()


# -- the roster --------------------------------------------------------------------------------


def test_the_roster_form_offers_only_persons_the_viewer_may_see(client_for, world) -> None:
    newcomer = PersonFactory(
        given_name="Jovana", family_name="Nikolić", municipality=municipality("gracanice")
    )
    PersonFactory(
        given_name="Zlatan", family_name="Secretović", municipality=municipality("zvecan")
    )
    response = client_for("focal_gracanica").get(
        reverse("activities:attendance_add", args=[world.gracanica.activity.pk])
    )
    offered = [person for person, _label in response.context["candidates"]]
    # Milica is on the roster already; the Zvečan residents are not the focal point's to see.
    assert offered == [newcomer]
    assert "Secretović" not in response.content.decode()


def test_the_roster_search_ignores_accents_and_case(client_for, world) -> None:
    arber = PersonFactory(
        given_name="Arbër", family_name="Gashi", municipality=municipality("gracanice")
    )
    PersonFactory(
        given_name="Ardit", family_name="Krasniqi", municipality=municipality("gracanice")
    )
    response = client_for("focal_gracanica").get(
        reverse("activities:attendance_add", args=[world.gracanica.activity.pk]),
        {"q": "arber"},
    )
    assert [person for person, _label in response.context["candidates"]] == [arber]


def test_a_person_is_added_to_the_roster(client_for, world) -> None:
    person = PersonFactory(municipality=municipality("gracanice"))
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_add", args=[activity.pk]),
        {"how": "existing", "person": person.pk, "role": "speaker"},
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get(activity=activity, person=person)
    assert attendance.role == "speaker"
    assert AuditEntry.objects.filter(action="attendance_add", target_id=str(attendance.pk)).exists()


def test_a_person_already_on_the_roster_is_refused_beside_the_person(client_for, world) -> None:
    activity = world.gracanica.activity
    before = Attendance.objects.count()
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_add", args=[activity.pk]),
        {"how": "existing", "person": world.gracanica.person.pk, "role": "participant"},
    )
    assert response.status_code == 200
    assert response.context["existing"].errors["person"] == [
        "This person is already on the activity's roster."
    ]
    assert 'id="id_person_error"' in response.content.decode()
    assert Attendance.objects.count() == before


def test_a_person_out_of_scope_cannot_be_put_on_the_roster(client_for, world) -> None:
    stranger = PersonFactory(municipality=municipality("zvecan"))
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_add", args=[activity.pk]),
        {"how": "existing", "person": stranger.pk, "role": "participant"},
    )
    assert "person" in response.context["existing"].errors
    assert not Attendance.objects.filter(person=stranger).exists()


def new_person_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "how": "new",
        "new-given_name": "Dragana",
        "new-family_name": "Ilić",
        "new-sex": "female",
        "new-birth_date": "",
        "new-birth_year": "1990",
        "new-community": community("serb").pk,
        "new-community_consent": "consent",
        "new-municipality": municipality("gracanice").pk,
        "new-affiliation": "citizen",
        "new-organization": "",
        "roster-role": "participant",
        "roster-organization": "",
    }
    data.update(overrides)
    return data


def test_a_new_person_is_registered_and_put_on_the_roster_at_once(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_add", args=[activity.pk]), new_person_payload()
    )
    assert response.status_code == 302
    person = Person.objects.get(family_name="Ilić")
    assert Attendance.objects.filter(activity=activity, person=person).exists()
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "person_create",
        "attendance_add",
    }


def test_component_staff_register_participants_through_their_roster(client_for, world) -> None:
    activity = world.zvecan.activity  # economic component, the staff member's
    response = client_for("staff").post(
        reverse("activities:attendance_add", args=[activity.pk]),
        new_person_payload(**{"new-municipality": municipality("prishtine").pk}),
    )
    assert response.status_code == 302
    assert Attendance.objects.filter(activity=activity, person__family_name="Ilić").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"new-birth_date": "2999-01-01", "new-birth_year": ""}, "birth_date"),
        ({"new-birth_date": "1990-04-02", "new-birth_year": "1991"}, "birth_year"),
        ({"new-given_name": ""}, "given_name"),
        ({"new-municipality": "zvecan"}, "municipality"),
    ],
)
def test_a_bad_new_person_stores_nothing(client_for, world, overrides: dict, field: str) -> None:
    if overrides.get("new-municipality") == "zvecan":
        overrides = {"new-municipality": municipality("zvecan").pk}
    before = (Person.objects.count(), Attendance.objects.count())
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_add", args=[world.gracanica.activity.pk]),
        new_person_payload(**overrides),
    )
    assert response.status_code == 200
    assert field in response.context["new_person"].errors
    assert f'id="id_new-{field}_error"' in response.content.decode()
    assert (Person.objects.count(), Attendance.objects.count()) == before


def test_a_person_is_taken_off_the_roster(client_for, world) -> None:
    activity = world.gracanica.activity
    attendance = Attendance.objects.get(activity=activity, person=world.gracanica.person)
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_remove", args=[activity.pk, attendance.pk])
    )
    assert response.status_code == 302
    assert not Attendance.objects.filter(pk=attendance.pk).exists()
    assert Person.objects.filter(pk=world.gracanica.person.pk).exists()
    assert AuditEntry.objects.filter(action="attendance_remove").count() == 1


def test_a_focal_point_cannot_take_off_a_person_they_may_not_see(client_for, world) -> None:
    activity = world.gracanica.activity
    hidden = Attendance.objects.get(activity=activity, person=world.zvecan.person)
    response = client_for("focal_gracanica").post(
        reverse("activities:attendance_remove", args=[activity.pk, hidden.pk])
    )
    assert response.status_code == 404
    assert Attendance.objects.filter(pk=hidden.pk).exists()


def test_taking_off_the_roster_needs_a_post(client_for, world) -> None:
    activity = world.gracanica.activity
    attendance = Attendance.objects.filter(activity=activity).first()
    response = client_for("admin").get(
        reverse("activities:attendance_remove", args=[activity.pk, attendance.pk])
    )
    assert response.status_code == 405


# -- headcounts --------------------------------------------------------------------------------


def test_a_headcount_cell_is_added_and_audited(client_for, world) -> None:
    activity = world.gracanica.activity
    response = client_for("focal_gracanica").post(
        reverse("activities:tally_set", args=[activity.pk]),
        {"sex": "male", "community": community("albanian").pk, "age_band": "30+", "headcount": 40},
    )
    assert response.status_code == 302
    cell = Tally.objects.get(activity=activity, sex="male", age_band="30+")
    assert cell.headcount == 40
    entry = AuditEntry.objects.get(action="tally_set")
    assert entry.changes["headcount"] == 40


def test_a_headcount_cell_is_changed_through_its_link(client_for, world) -> None:
    activity, cell = world.gracanica.activity, world.gracanica.tally
    url = reverse("activities:tally_set", args=[activity.pk]) + f"?cell={cell.pk}"
    response = client_for("focal_gracanica").post(
        url,
        {
            "sex": cell.sex,
            "community": cell.community_id,
            "age_band": cell.age_band,
            "headcount": 12,
        },
    )
    assert response.status_code == 302
    cell.refresh_from_db()
    assert cell.headcount == 12
    assert AuditEntry.objects.get(action="tally_set").changes == {"headcount": [10, 12]}


def test_a_cell_of_another_activity_cannot_be_opened(client_for, world) -> None:
    url = reverse("activities:tally_set", args=[world.gracanica.activity.pk])
    client = client_for("admin")
    assert client.get(url + f"?cell={world.zvecan.tally.pk}").status_code == 404
    assert client.get(url + "?cell=x").status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"headcount": 0}, "headcount", "Ensure this value is greater than or equal to 1."),
        ({"headcount": ""}, "headcount", "This field is required."),
        (
            {"sex": "female", "age_band": "15-29", "community": "serb"},
            "__all__",
            "This activity already has a headcount for this sex, community and age band.",
        ),
    ],
)
def test_bad_headcounts_are_refused_and_nothing_changes(
    client_for,
    world,
    data: dict,
    field: str,
    message: str,
) -> None:
    activity, cell = world.gracanica.activity, world.gracanica.tally
    payload = {"sex": "male", "community": "", "age_band": "", "headcount": 5, **data}
    if payload["community"] == "serb":
        payload["community"] = community("serb").pk
    response = client_for("focal_gracanica").post(
        reverse("activities:tally_set", args=[activity.pk]), payload
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert Tally.objects.filter(activity=activity).count() == 1
    cell.refresh_from_db()
    assert cell.headcount == 10
    assert not AuditEntry.objects.exists()
