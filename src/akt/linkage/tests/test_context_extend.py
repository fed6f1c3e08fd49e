"""The registry's context kept across imports: rows only added are read alone and appended
(:meth:`akt.linkage.context.RegistryContext.extend`), and the result is what a new read gives;
any other change reads the registry again."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest

from akt.accounts.models import User
from akt.activities import services as activity_services
from akt.activities.models import Activity, ActivityKind, Attendance, Topic
from akt.linkage import suggestions
from akt.linkage.context import MIN_SAMPLES, Occasion, RegistryContext, registry_state
from akt.linkage.services import person_merge
from akt.people import services as people_services
from akt.people.models import Organization, Person
from akt.places.models import Municipality
from akt.program.models import Component
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    OrganizationFactory,
    PersonFactory,
    ProjectFactory,
)
from akt.text.names import sorted_name_key, sound_key

pytestmark = pytest.mark.django_db

# Few names, so that new persons share names (and name keys, and identities) with registered ones.
GIVEN = ("Arben", "Jovan", "Drita", "Milica", "Besnik", "Јован")
FAMILY = ("Krasniqi", "Petrović", "Gashi", "Jovanović", "Petrovic")


@pytest.fixture(autouse=True)
def no_kept_context() -> Iterator[None]:
    """Each test starts and ends without a context kept by the process."""
    suggestions._cache.context = None
    yield
    suggestions._cache.context = None


class Registry:
    """A small registry written at random: activities on few dates (so that start dates tie),
    persons of few names, some resolved to others, attendances for an organization or none."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.places = list(Municipality.objects.order_by("pk")[:3])
        self.components = list(Component.objects.order_by("pk"))
        self.topics = list(Topic.objects.order_by("pk"))
        self.organizations: list[Organization | None] = [
            None,
            None,
            *(OrganizationFactory() for _ in range(3)),
        ]
        self.projects = [None, None, None, ProjectFactory(municipality=self.places[0])]
        self.activities: list[Activity] = []
        self.persons: list[Person] = []
        self.taken: set[tuple[int, int]] = set()

    def add_activities(self, count: int) -> list[Activity]:
        rng, added = self.rng, []
        for _ in range(count):
            project = rng.choice(self.projects)
            activity = ActivityFactory(
                kind=rng.choice(ActivityKind.values[:4]),
                component=rng.choice(self.components),
                municipality=self.places[0] if project else rng.choice(self.places),
                start_date=dt.date(2015, 3, 1) + dt.timedelta(days=rng.randrange(0, 40, 5)),
                project=project,
            )
            activity.topics.set(rng.sample(self.topics, rng.randrange(0, 3)))
            added.append(activity)
        self.activities += added
        return added

    def add_persons(self, count: int) -> list[Person]:
        rng, added = self.rng, []
        for _ in range(count):
            canonical = [person for person in self.persons if person.identity_id is None]
            identity = rng.choice(canonical) if canonical and rng.random() < 0.25 else None
            born = rng.choice([None, None, dt.date(1985, 6, 1), dt.date(1990, 2, 3)])
            added.append(
                PersonFactory(
                    given_name=rng.choice(GIVEN),
                    family_name=rng.choice(FAMILY),
                    birth_date=born,
                    birth_year=None if born else rng.choice([None, 1980, 1985]),
                    municipality=rng.choice(self.places),
                    identity=identity,
                )
            )
        self.persons += added
        return added

    def attend(self, count: int, *, activities: list[Activity], persons: list[Person]) -> None:
        rng, written = self.rng, 0
        if not activities or not persons:
            return
        for _ in range(count * 10):
            if written == count:
                break
            activity, person = rng.choice(activities), rng.choice(persons)
            if (activity.pk, person.pk) in self.taken:
                continue
            self.taken.add((activity.pk, person.pk))
            AttendanceFactory(
                activity=activity, person=person, organization=rng.choice(self.organizations)
            )
            written += 1


def as_specified() -> dict[str, Any]:
    """The context's structures read the plain way, as the context was first written: one
    read of the attendances ordered by their activity's start date, activity and id."""
    topics: dict[int, list[int]] = defaultdict(list)
    for activity, topic in Activity.topics.through.objects.order_by(
        "activity_id", "topic_id"
    ).values_list("activity_id", "topic_id"):
        topics[activity].append(topic)
    occasions = {}
    for pk, place, part, kind, project in Activity.objects.values_list(
        "pk", "municipality_id", "component_id", "kind", "project_id"
    ):
        series = f"{place}:{part}:{kind}:{','.join(map(str, topics[pk]))}"
        occasions[pk] = Occasion(pk, f"project:{project}" if project else series, f"{place}:{part}")
    canonical, name_key, residence, written = {}, {}, {}, set()
    fields = ("identity_id", "given_name", "family_name", "municipality_id", "birth_date")
    for pk, identity, given, family, place, born, year in Person.objects.values_list(
        "pk", *fields, "birth_year"
    ):
        canonical[pk] = identity or pk
        name_key[pk] = sorted_name_key(given, family)
        if identity is None:
            residence[pk] = place
        written.add((sound_key(given), sound_key(family), born.year if born else year, place))
    attended: dict[int, list[tuple[int, int | None]]] = defaultdict(list)
    roster: dict[int, set[str]] = defaultdict(set)
    for activity, person, organization in Attendance.objects.order_by(
        "activity__start_date", "activity_id", "pk"
    ).values_list("activity_id", "person_id", "organization_id"):
        attended[person].append((activity, organization))
        roster[activity].add(name_key[person])
    visits: dict[int, list[int]] = defaultdict(list)
    organizations = {}
    for record, rows in attended.items():  # records in the order of their first attendance
        for activity, organization in rows:
            visits[canonical[record]].append(activity)
            organizations[(canonical[record], activity)] = organization
    when = dict(Activity.objects.values_list("pk", "start_date"))
    for activities in visits.values():
        activities.sort(key=lambda activity: (when[activity], activity))
    return {
        "occasions": occasions,
        "canonical": canonical,
        "name_key": name_key,
        "residence": residence,
        "roster": dict(roster),
        "attended": dict(attended),
        "attendances": sum(len(rows) for rows in attended.values()),
        "visits": dict(visits),
        "_organization": organizations,
        "persons": len(residence),
        "identities": len(written),
        "_given": dict(Counter(given for given, *_rest in written)),
        "_family": dict(Counter(family for _given, family, *_rest in written)),
    }


def assert_same(extended: RegistryContext, fresh: RegistryContext) -> None:
    """Every structure the context derives, the profiles and the commonness of names alike;
    and both as specified."""
    for name, value in as_specified().items():
        assert getattr(fresh, name) == value, name
    assert vars(extended).keys() == vars(fresh).keys()
    for name, value in vars(fresh).items():
        if name != "_reference":
            assert getattr(extended, name) == value, name
    for record in fresh.name_key:
        assert extended.record_profile(record) == fresh.record_profile(record)
        assert extended.name_commonness(*extended.name_parts[record]) == fresh.name_commonness(
            *fresh.name_parts[record]
        )
    for person in set(fresh.canonical.values()):
        assert extended.person_profile(person) == fresh.person_profile(person)
    for activity in fresh.occasions:
        for organization in (None, 1):
            where = {"activity": activity, "organization": organization, "companions": {"x y"}}
            assert extended.row_profile(**where) == fresh.row_profile(**where)


def assert_models_alike(extended: RegistryContext, fresh: RegistryContext, earlier: Any) -> None:
    """The model as a new read would estimate it, from any earlier one: kept m and u, or
    estimated again on the whole registry."""
    candidates = [
        None,
        earlier,
        # Kept: an estimate with samples enough, made on nearly today's attendances ...
        replace(earlier, m_samples=MIN_SAMPLES, u_samples=MIN_SAMPLES, attendances=10**6),
        # ... or estimated again: the attendances grew by more than a quarter since.
        replace(earlier, m_samples=MIN_SAMPLES, u_samples=MIN_SAMPLES, attendances=1),
    ]
    for candidate in candidates:
        extended._model = fresh._model = None
        assert extended.model(candidate) == fresh.model(candidate)


@pytest.mark.parametrize("seed", range(8))
def test_rows_only_added_extend_the_context_to_what_a_new_read_gives(reference, seed) -> None:
    rng = random.Random(seed)
    registry = Registry(rng)
    registry.add_activities(6)
    registry.add_persons(16)
    registry.attend(30, activities=registry.activities, persons=registry.persons)
    context = RegistryContext()
    for _round in range(3):
        earlier = context.model()
        old_activities, old_persons = list(registry.activities), list(registry.persons)
        new_activities = registry.add_activities(rng.randrange(0, 3))
        new_persons = registry.add_persons(rng.randrange(0, 6))
        # On earlier activities (the rows must land in their place, not at the end) and new
        # ones, by registered persons and new ones (some resolved to a registered person).
        registry.attend(rng.randrange(1, 8), activities=old_activities, persons=old_persons)
        registry.attend(rng.randrange(0, 8), activities=old_activities, persons=registry.persons)
        registry.attend(rng.randrange(0, 8), activities=registry.activities, persons=new_persons)
        if new_activities:
            registry.attend(4, activities=new_activities, persons=registry.persons)

        assert context.extend(registry_state())
        context.model(earlier)
        fresh = RegistryContext()
        fresh.model(earlier)
        assert_same(context, fresh)
        assert_models_alike(context, fresh, earlier)
        assert context.state == registry_state()


def test_a_record_resolved_to_a_person_on_the_same_roster_keeps_the_organization_a_read_would(
    reference,
) -> None:
    """Two records of one person on one roster: the organization kept for the person is the one
    of the record whose first attendance comes later, whichever was written first."""
    early, late = ActivityFactory(start_date=dt.date(2015, 1, 5)), ActivityFactory()
    first, second = OrganizationFactory(), OrganizationFactory()
    person = PersonFactory()
    AttendanceFactory(activity=late, person=person, organization=first)
    context = RegistryContext()

    alias = PersonFactory(identity=person, given_name=person.given_name)
    AttendanceFactory(activity=late, person=alias, organization=second)
    assert context.extend(registry_state())
    assert_same(context, RegistryContext())
    assert context._organization[(person.pk, late.pk)] == second.pk

    # The alias now first attended earlier than the person: its organization gives way.
    AttendanceFactory(activity=early, person=alias)
    assert context.extend(registry_state())
    assert_same(context, RegistryContext())
    assert context._organization[(person.pk, late.pk)] == first.pk
    assert context.visits[person.pk] == [early.pk, late.pk, late.pk]


def test_an_import_extends_the_kept_context_with_a_fixed_number_of_queries(
    reference, django_assert_num_queries
) -> None:
    registry = Registry(random.Random(1))
    registry.add_activities(4)
    registry.add_persons(10)
    registry.attend(20, activities=registry.activities, persons=registry.persons)
    kept = suggestions.registry_context()
    with django_assert_num_queries(4):  # the state alone: nothing changed
        assert suggestions.registry_context() is kept

    counted = []
    for added in (1, 12):
        new = registry.add_persons(added)
        registry.attend(added, activities=registry.activities, persons=new)
        with django_assert_num_queries(9) as queries:  # state, persons saved since, 4 reads
            assert suggestions.registry_context() is kept
        counted.append(len(queries.captured_queries))
    assert counted[0] == counted[1]
    fresh = RegistryContext()
    fresh.model(kept.model())
    assert_same(kept, fresh)


def _update_name(world: dict[str, Any]) -> None:
    people_services.person_update(
        actor=world["actor"], person=world["person"], data={"family_name": "Berisha"}
    )


def _merge(world: dict[str, Any]) -> None:
    person_merge(
        actor=world["actor"], survivor=world["person"], others=[world["other"]], reason="same"
    )


def _erase(world: dict[str, Any]) -> None:
    people_services.person_erase(actor=world["actor"], person=world["other"], reason="asked")


def _topics_changed(world: dict[str, Any]) -> None:
    # Topics alone: the activity's row is not saved, its topic links change.
    activity_services.activity_update(
        actor=world["actor"], activity=world["activity"], data={"topics": world["topics"]}
    )


def _moved_in_time(world: dict[str, Any]) -> None:
    activity_services.activity_update(
        actor=world["actor"], activity=world["activity"], data={"start_date": dt.date(2014, 6, 1)}
    )


def _voided(world: dict[str, Any]) -> None:
    activity_services.activity_void(actor=world["actor"], activity=world["activity"], reason="x")


def _removed(world: dict[str, Any]) -> None:
    activity_services.attendance_remove(actor=world["actor"], attendance=world["attendance"])


def _removed_and_added(world: dict[str, Any]) -> None:
    """As many rows as before and a new last one: only the count against the rows read tells."""
    _removed(world)
    AttendanceFactory(activity=world["activity"], person=PersonFactory())


def _moved_in_place(world: dict[str, Any]) -> None:
    Attendance.objects.filter(pk=world["attendance"].pk).update(activity=world["elsewhere"])


CHANGES: dict[str, Callable[[dict[str, Any]], None]] = {
    "name": _update_name,
    "merge": _merge,
    "erasure": _erase,
    "topics": _topics_changed,
    "start date": _moved_in_time,
    "void": _voided,
    "attendance removed": _removed,
    "attendance removed and another added": _removed_and_added,
    "attendance moved in place": _moved_in_place,
}


@pytest.mark.parametrize("first", ["change", "rows added"])
@pytest.mark.parametrize("change", CHANGES)
def test_any_change_but_added_rows_reads_the_registry_again(personas, change, first) -> None:
    actor: User = personas["admin"]
    activity, elsewhere = ActivityFactory(), ActivityFactory(start_date=dt.date(2015, 9, 1))
    person = PersonFactory(given_name="Arben", family_name="Krasniqi")
    other = PersonFactory(given_name="Arben", family_name="Krasniqi", birth_year=1981)
    attendance = AttendanceFactory(activity=activity, person=person)
    AttendanceFactory(activity=elsewhere, person=other)
    AttendanceFactory(activity=activity, person=PersonFactory())
    world = {
        "actor": actor,
        "activity": activity,
        "elsewhere": elsewhere,
        "person": person,
        "other": other,
        "attendance": attendance,
        "topics": list(Topic.objects.order_by("pk")[:2]),
    }
    kept = suggestions.registry_context()
    earlier = kept.model()
    if first == "change":
        CHANGES[change](world)
    # Rows added too, as an import would, before or after the change: they must not hide it.
    AttendanceFactory(activity=activity, person=PersonFactory())
    AttendanceFactory(activity=ActivityFactory(), person=person)
    if first != "change":
        CHANGES[change](world)

    now = suggestions.registry_context()
    assert now is not kept
    fresh = RegistryContext()
    fresh.model(earlier)
    assert_same(now, fresh)
    assert now.state == registry_state()


def test_a_context_read_before_a_change_refuses_to_extend(personas) -> None:
    person = PersonFactory()
    AttendanceFactory(person=person)
    context = RegistryContext()
    AttendanceFactory(person=PersonFactory())
    people_services.person_update(
        actor=personas["admin"], person=person, data={"given_name": "Drita"}
    )
    assert not context.extend(registry_state())
