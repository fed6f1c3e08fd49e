"""The activity services: scope checks, validation and the audit entry, without the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from akt.accounts.models import AuditEntry
from akt.activities import services
from akt.activities.models import Activity, Attendance, Tally
from akt.people.models import Person
from akt.testing.factories import PersonFactory, community, component, municipality
from akt.testing.two_municipalities import two_municipalities


@pytest.fixture
def world(personas):
    return two_municipalities()


def create(actor, **overrides):
    fields = {
        "title": "Workshop on municipal budgets",
        "kind": "workshop",
        "component": component("municipal"),
        "municipality": municipality("gracanice"),
        "start_date": dt.date(2016, 2, 1),
        "end_date": dt.date(2016, 2, 2),
    }
    fields.update(overrides)
    return services.activity_create(actor=actor, **fields)


def test_creating_an_activity_writes_one_audit_entry_with_its_fields(personas) -> None:
    activity = create(personas["focal_gracanica"])
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.target_type, entry.target_id) == (
        "activity_create",
        personas["focal_gracanica"],
        "activities.activity",
        str(activity.pk),
    )
    assert entry.changes["title"] == "Workshop on municipal budgets"
    assert entry.changes["municipality"] == municipality("gracanice").pk
    assert entry.changes["start_date"] == "2016-02-01"


@pytest.mark.parametrize(
    ("persona", "overrides"),
    [
        ("donor", {}),
        ("focal_zvecan", {}),  # a Gračanica activity
        ("staff", {}),  # municipal component, not economic
    ],
)
def test_creating_outside_ones_scope_is_refused_and_stores_nothing(
    personas,
    persona: str,
    overrides: dict,
) -> None:
    with pytest.raises(PermissionDenied):
        create(personas[persona], **overrides)
    assert not Activity.objects.exists()
    assert not AuditEntry.objects.exists()


def test_component_staff_create_activities_of_their_component(personas) -> None:
    activity = create(personas["staff"], component=component("economic"))
    assert activity.pk


def test_invalid_activities_raise_a_field_error_and_store_nothing(personas) -> None:
    with pytest.raises(ValidationError) as error:
        create(personas["me"], end_date=dt.date(2016, 1, 1))
    assert "end_date" in error.value.message_dict
    assert not Activity.objects.exists()


def test_an_update_audits_only_what_changed(world, personas) -> None:
    activity = world.gracanica.activity
    services.activity_update(
        actor=personas["focal_gracanica"], activity=activity, data={"venue": "Cultural centre"}
    )
    entry = AuditEntry.objects.get()
    assert entry.changes == {"venue": ["", "Cultural centre"]}
    services.activity_update(
        actor=personas["focal_gracanica"], activity=activity, data={"venue": "Cultural centre"}
    )
    assert AuditEntry.objects.count() == 1


def test_a_focal_point_cannot_move_an_activity_to_another_municipality(world, personas) -> None:
    activity = world.gracanica.activity
    activity.project = None
    activity.save()
    with pytest.raises(PermissionDenied):
        services.activity_update(
            actor=personas["focal_gracanica"],
            activity=activity,
            data={"municipality": municipality("zvecan")},
        )
    activity.refresh_from_db()
    assert activity.municipality == municipality("gracanice")
    assert not AuditEntry.objects.exists()


def test_the_audit_shows_what_was_stored_even_if_the_callers_copy_was_changed(
    world,
    personas,
) -> None:
    activity = world.gracanica.activity
    activity.title = "Changed in memory only"  # as a ModelForm does before the service runs
    services.activity_update(
        actor=personas["me"], activity=activity, data={"title": "Changed in memory only"}
    )
    assert AuditEntry.objects.get().changes == {
        "title": ["Gračanica public debate", "Changed in memory only"]
    }


def test_a_roster_row_is_added_once(world, personas) -> None:
    person = PersonFactory(municipality=municipality("gracanice"))
    actor = personas["focal_gracanica"]
    activity = world.gracanica.activity
    services.attendance_add(actor=actor, activity=activity, person=person)
    assert AuditEntry.objects.filter(action="attendance_add").count() == 1
    with pytest.raises(ValidationError) as error:
        services.attendance_add(actor=actor, activity=activity, person=person)
    assert error.value.message_dict == {
        "person": ["This person is already on the activity's roster."]
    }
    assert Attendance.objects.filter(activity=activity, person=person).count() == 1


def test_a_person_the_actor_may_not_see_cannot_be_added(world, personas) -> None:
    with pytest.raises(PermissionDenied):
        services.attendance_add(
            actor=personas["focal_gracanica"],
            activity=world.gracanica.activity,
            person=PersonFactory(municipality=municipality("zvecan")),
        )
    assert not AuditEntry.objects.exists()


def test_a_focal_point_registers_only_residents_of_their_municipality(world, personas) -> None:
    before = Person.objects.count()
    with pytest.raises(PermissionDenied):
        services.attendance_add_new_person(
            actor=personas["focal_gracanica"],
            activity=world.gracanica.activity,
            person_data={
                "given_name": "Nikola",
                "family_name": "Jovanović",
                "municipality": municipality("zvecan"),
            },
        )
    assert Person.objects.count() == before
    assert not AuditEntry.objects.exists()


def test_removing_a_roster_row_keeps_the_person_and_audits(world, personas) -> None:
    attendance = Attendance.objects.get(
        activity=world.gracanica.activity, person=world.gracanica.person
    )
    services.attendance_remove(actor=personas["focal_gracanica"], attendance=attendance)
    assert not Attendance.objects.filter(pk=attendance.pk).exists()
    assert Person.objects.filter(pk=world.gracanica.person.pk).exists()
    entry = AuditEntry.objects.get()
    assert entry.action == "attendance_remove"
    assert entry.changes["person"] == world.gracanica.person.pk


def test_a_focal_point_cannot_remove_a_person_hidden_from_them(world, personas) -> None:
    hidden = Attendance.objects.get(activity=world.gracanica.activity, person=world.zvecan.person)
    with pytest.raises(PermissionDenied):
        services.attendance_remove(actor=personas["focal_gracanica"], attendance=hidden)
    assert Attendance.objects.filter(pk=hidden.pk).exists()


def test_a_tally_cell_is_created_changed_and_never_duplicated(world, personas) -> None:
    actor, activity = personas["focal_gracanica"], world.gracanica.activity
    cell = services.tally_set(
        actor=actor, activity=activity, sex="", community=None, age_band="", headcount=300
    )
    assert AuditEntry.objects.get().changes == {
        "sex": "",
        "community": None,
        "age_band": "",
        "headcount": 300,
    }
    services.tally_set(
        actor=actor,
        activity=activity,
        sex="",
        community=None,
        age_band="",
        headcount=320,
        tally=cell,
    )
    assert AuditEntry.objects.latest("id").changes == {"headcount": [300, 320]}
    with pytest.raises(ValidationError):
        services.tally_set(
            actor=actor, activity=activity, sex="", community=None, age_band="", headcount=1
        )
    with pytest.raises(ValidationError):
        services.tally_set(
            actor=actor,
            activity=activity,
            sex="female",
            community=community("serb"),
            age_band="15-29",
            headcount=0,
        )
    assert Tally.objects.filter(activity=activity).count() == 2
    assert AuditEntry.objects.count() == 2


def test_a_donor_sets_no_tally(world, personas) -> None:
    with pytest.raises(PermissionDenied):
        services.tally_set(
            actor=personas["donor"],
            activity=world.gracanica.activity,
            sex="male",
            community=None,
            age_band="",
            headcount=5,
        )
