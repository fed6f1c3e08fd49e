"""Merging and splitting persons: identity stays flat, reversible, audited and refused where the
program knows two records are different people."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from akt.accounts.models import AuditEntry, User
from akt.activities.models import Activity, ActivityKind
from akt.indicators.models import Indicator
from akt.indicators.selectors import indicator_value
from akt.linkage.models import PersonMerge
from akt.linkage.services import person_merge, person_split
from akt.people.models import Affiliation, Person
from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory, topic

pytestmark = pytest.mark.django_db


def management_training(day: dt.date, title: str = "") -> Activity:
    activity = ActivityFactory(
        kind=ActivityKind.TRAINING, start_date=day, title=title or f"Management training {day}"
    )
    activity.topics.add(topic("management"))
    return activity


def employee(given: str, family: str) -> Person:
    return PersonFactory(
        given_name=given, family_name=family, affiliation=Affiliation.MUNICIPAL_EMPLOYEE
    )


def trainees() -> int:
    value = indicator_value(Indicator.objects.get(code="management-trainees")).figures.value
    assert isinstance(value, int)
    return value


def identities(*persons: Person) -> list[int | None]:
    return [Person.objects.get(pk=person.pk).identity_id for person in persons]


@pytest.fixture
def jovan(reference: None) -> dict[str, Person]:
    """One attendee written twice, each record on its own management training."""
    latin = employee("Jovan", "Petrović")
    cyrillic = employee("Јован", "Петровић")
    AttendanceFactory(activity=management_training(dt.date(2015, 3, 2)), person=latin)
    AttendanceFactory(activity=management_training(dt.date(2015, 6, 9)), person=cyrillic)
    return {"latin": latin, "cyrillic": cyrillic}


def test_merge_repoints_identity_and_the_persons_figure_drops_by_one(
    personas: dict[str, User], jovan: dict[str, Person]
) -> None:
    latin, cyrillic = jovan["latin"], jovan["cyrillic"]
    assert trainees() == 2

    merge = person_merge(
        actor=personas["me"], survivor=latin, others=[cyrillic], reason="Same employee ID card"
    )

    assert identities(latin, cyrillic) == [None, latin.pk]
    assert trainees() == 1
    assert merge.survivor == latin
    assert merge.merged == [cyrillic.pk]
    assert merge.previous_identities == {str(cyrillic.pk): None}
    assert merge.source == "manual" and merge.actor == personas["me"]
    assert list(Person.objects.canonical().filter(pk__in=[latin.pk, cyrillic.pk])) == [latin]
    # The merged record's identifier still resolves, to the person that keeps its identifier.
    assert Person.objects.get(uid=cyrillic.uid).resolved_id == latin.pk
    assert Person.objects.get(uid=latin.uid).resolved_id == latin.pk


def test_split_restores_the_state_before_the_merge_exactly(
    personas: dict[str, User], jovan: dict[str, Person]
) -> None:
    latin, cyrillic = jovan["latin"], jovan["cyrillic"]
    merge = person_merge(actor=personas["me"], survivor=latin, others=[cyrillic], reason="")
    assert trainees() == 1

    person_split(actor=personas["admin"], merge=merge, reason="Two people of the same name")

    assert identities(latin, cyrillic) == [None, None]
    assert trainees() == 2
    merge.refresh_from_db()
    assert merge.undone_by == personas["admin"]
    assert merge.undone_at is not None
    assert merge.undo_reason == "Two people of the same name"
    with pytest.raises(ValidationError, match="already split"):
        person_split(actor=personas["me"], merge=merge, reason="again")
    with pytest.raises(ValidationError):
        person_split(actor=personas["me"], merge=merge, reason="  ")


def test_split_restores_records_that_were_resolved_before(
    personas: dict[str, User], reference: None
) -> None:
    """A record that pointed to the merged person points to it again after the split."""
    a, b, c = (employee("Arbër", "Gashi") for _ in range(3))
    first = person_merge(actor=personas["me"], survivor=b, others=[c], reason="")
    second = person_merge(actor=personas["me"], survivor=a, others=[b], reason="")
    assert identities(a, b, c) == [None, a.pk, a.pk]
    assert sorted(second.merged) == [b.pk, c.pk]
    assert second.previous_identities == {str(b.pk): None, str(c.pk): b.pk}

    person_split(actor=personas["me"], merge=second, reason="different fathers' names")
    assert identities(a, b, c) == [None, None, b.pk]
    person_split(actor=personas["me"], merge=first, reason="different birth dates")
    assert identities(a, b, c) == [None, None, None]


def test_chain_merge_keeps_identity_flat(personas: dict[str, User], reference: None) -> None:
    a, b, c = (employee("Xhevdet", "Krasniqi") for _ in range(3))
    first = person_merge(actor=personas["me"], survivor=a, others=[b], reason="A<-B")
    second = person_merge(actor=personas["me"], survivor=c, others=[a], reason="C<-A")

    # B points to C directly, never to A (which is no longer a person of its own).
    assert identities(a, b, c) == [c.pk, c.pk, None]
    assert Person.objects.filter(identity__identity__isnull=False).count() == 0

    # The first merge cannot be split while the second builds on it; the message names it.
    with pytest.raises(ValidationError) as refused:
        person_split(actor=personas["me"], merge=first, reason="wrong")
    assert f"number {second.pk}" in " ".join(refused.value.messages)
    assert identities(a, b, c) == [c.pk, c.pk, None]

    person_split(actor=personas["me"], merge=second, reason="wrong")
    assert identities(a, b, c) == [None, a.pk, None]
    person_split(actor=personas["me"], merge=first, reason="wrong")
    assert identities(a, b, c) == [None, None, None]


def test_an_independent_later_merge_does_not_block_a_split(
    personas: dict[str, User], reference: None
) -> None:
    a, b, c, d = (employee("Arbër", "Gashi") for _ in range(4))
    first = person_merge(actor=personas["me"], survivor=a, others=[b], reason="")
    person_merge(actor=personas["me"], survivor=c, others=[d], reason="")
    person_split(actor=personas["me"], merge=first, reason="not the same")
    assert identities(a, b, c, d) == [None, None, None, c.pk]


def test_merging_into_a_resolved_record_merges_into_its_person(
    personas: dict[str, User], reference: None
) -> None:
    a, b, d = (employee("Arbër", "Gashi") for _ in range(3))
    person_merge(actor=personas["me"], survivor=a, others=[b], reason="")
    merge = person_merge(actor=personas["me"], survivor=b, others=[d], reason="")
    assert merge.survivor == a
    assert identities(a, b, d) == [None, a.pk, a.pk]
    with pytest.raises(ValidationError, match="already resolved to the same person"):
        person_merge(actor=personas["me"], survivor=d, others=[b], reason="")


def test_two_records_on_one_roster_are_never_merged(
    personas: dict[str, User], reference: None
) -> None:
    debate = ActivityFactory(title="Budget hearing in Gjilan")
    first, second = employee("Jovan", "Petrović"), employee("Jovan", "Petrovic")
    AttendanceFactory(activity=debate, person=first)
    AttendanceFactory(activity=debate, person=second)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        person_merge(actor=personas["me"], survivor=first, others=[second], reason="")

    message = " ".join(refused.value.messages)
    assert "Jovan Petrović" in message and "Jovan Petrovic" in message
    assert "Budget hearing in Gjilan" in message
    assert identities(first, second) == [None, None]
    assert not PersonMerge.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_the_roster_rule_covers_records_already_resolved(
    personas: dict[str, User], reference: None
) -> None:
    """B is A's record; B and C sat on one roster, so A and C are different people."""
    a, b, c = (employee("Jovan", "Petrović") for _ in range(3))
    person_merge(actor=personas["me"], survivor=a, others=[b], reason="")
    hearing = ActivityFactory()
    AttendanceFactory(activity=hearing, person=b)
    AttendanceFactory(activity=hearing, person=c)
    with pytest.raises(ValidationError, match="roster"):
        person_merge(actor=personas["me"], survivor=a, others=[c], reason="")
    assert identities(a, b, c) == [None, a.pk, None]


def test_merge_and_split_are_audited(personas: dict[str, User], jovan: dict[str, Person]) -> None:
    latin, cyrillic = jovan["latin"], jovan["cyrillic"]
    merge = person_merge(
        actor=personas["me"], survivor=latin, others=[cyrillic], reason="same phone number"
    )
    person_split(actor=personas["admin"], merge=merge, reason="different fathers")

    merged, split = AuditEntry.objects.filter(
        target_type="linkage.personmerge", target_id=str(merge.pk)
    ).order_by("at", "id")
    assert (merged.action, merged.actor, merged.reason) == (
        "person_merge",
        personas["me"],
        "same phone number",
    )
    assert merged.changes["merged"] == {str(cyrillic.pk): str(cyrillic.uid)}
    assert merged.changes["survivor"] == [latin.pk, str(latin.uid)]
    assert (split.action, split.actor, split.reason) == (
        "person_split",
        personas["admin"],
        "different fathers",
    )
    assert split.changes["restored_identities"] == {str(cyrillic.pk): None}


@pytest.mark.parametrize("persona", ["focal_gracanica", "staff", "donor"])
def test_only_me_officers_and_administrators_merge_and_split(
    personas: dict[str, User], jovan: dict[str, Person], persona: str
) -> None:
    latin, cyrillic = jovan["latin"], jovan["cyrillic"]
    with pytest.raises(PermissionDenied):
        person_merge(actor=personas[persona], survivor=latin, others=[cyrillic], reason="")
    merge = person_merge(actor=personas["admin"], survivor=latin, others=[cyrillic], reason="")
    with pytest.raises(PermissionDenied):
        person_split(actor=personas[persona], merge=merge, reason="no")
    assert identities(latin, cyrillic) == [None, latin.pk]
