"""A whole group of pairs under review confirmed at once, most consequential first."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.activities.models import ActivityKind
from akt.linkage.clusters import review_cluster, review_cluster_decide, review_clusters
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair, ReviewStatus
from akt.linkage.tests.test_review import identity_of, propose
from akt.people.models import Affiliation, Person
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    PersonFactory,
    component,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db


def written_three_times() -> tuple[Person, Person, Person, ReviewPair, ReviewPair]:
    """Sanije Gashi registered at three hearings, once as "SANIJE Gashi", once as "Sanije
    Gashi", once as "Sanije Gashi" with no year: two pairs, one question."""
    first, second, third = (
        PersonFactory(given_name=given, family_name="Gashi", sex="female", birth_year=year)
        for given, year in (("SANIJE", 1979), ("Sanije", 1979), ("Sanije", None))
    )
    for person in (first, second, third):
        AttendanceFactory(person=person)
    return first, second, third, propose(first, second, 0.7), propose(second, third, 0.6)


def test_pairs_sharing_a_record_are_one_cluster(reference: None) -> None:
    first, second, third, one, two = written_three_times()
    apart = propose(PersonFactory(), PersonFactory(), 0.95)

    clusters = review_clusters()

    assert [set(cluster.pairs) for cluster in clusters] == [{apart}, {one, two}]
    assert clusters[1].persons == (first.pk, second.pk, third.pk)
    assert review_cluster(two.pk).key == one.pk


def test_linking_a_cluster_makes_one_person_of_all_its_records(personas: dict) -> None:
    first, second, third, one, two = written_three_times()

    review_cluster_decide(
        actor=personas["me"], key=one.pk, decision="link", pairs=[one.pk, two.pk], reason="ID"
    )

    assert identity_of(second) == identity_of(third) == first.pk
    merge = PersonMerge.objects.get()
    assert (merge.source, merge.probability, merge.actor) == (
        MergeSource.REVIEW,
        0.6,
        personas["me"],
    )
    for pair in (one, two):
        pair.refresh_from_db()
        assert (pair.status, pair.merge, pair.decided_by) == (
            ReviewStatus.LINKED,
            merge,
            personas["me"],
        )
    assert AuditEntry.objects.filter(action="review_cluster_decide").count() == 1
    assert AuditEntry.objects.filter(action="person_merge").count() == 1
    assert not review_clusters()


def test_keeping_a_cluster_apart_merges_nothing(personas: dict) -> None:
    _first, _second, _third, one, two = written_three_times()
    review_cluster_decide(
        actor=personas["me"], key=one.pk, decision="keep_apart", pairs=[one.pk, two.pk]
    )
    assert not PersonMerge.objects.exists()
    assert set(ReviewPair.objects.values_list("status", flat=True)) == {ReviewStatus.KEPT_APART}


def test_a_cluster_with_two_records_of_one_roster_is_refused_whole(personas: dict) -> None:
    first, _second, third, one, two = written_three_times()
    both = ActivityFactory()
    AttendanceFactory(activity=both, person=first)
    AttendanceFactory(activity=both, person=third)

    with pytest.raises(ValidationError) as refused:
        review_cluster_decide(
            actor=personas["me"], key=one.pk, decision="link", pairs=[one.pk, two.pk]
        )

    assert "roster" in str(refused.value)
    assert not PersonMerge.objects.exists()
    assert ReviewPair.objects.pending().count() == 2


def test_a_cluster_that_changed_since_it_was_shown_is_refused(personas: dict) -> None:
    first, _second, _third, one, two = written_three_times()
    propose(first, PersonFactory(given_name="Sanije", family_name="Gashi"), 0.5)  # a batch ran

    with pytest.raises(ValidationError):
        review_cluster_decide(
            actor=personas["me"], key=one.pk, decision="link", pairs=[one.pk, two.pk]
        )
    assert not PersonMerge.objects.exists()


def test_only_those_who_resolve_identities_decide_a_cluster(personas: dict) -> None:
    _first, _second, _third, one, two = written_three_times()
    for name in ("focal_gracanica", "staff", "donor"):
        with pytest.raises(PermissionDenied):
            review_cluster_decide(
                actor=personas[name], key=one.pk, decision="link", pairs=[one.pk, two.pk]
            )
    assert ReviewPair.objects.pending().count() == 2


def test_the_cluster_that_moves_reported_figures_comes_first(reference: None) -> None:
    """Two records of a municipal employee trained in management count twice in the trainees
    figure until linked; a likelier pair behind no figure waits after them."""
    module = ActivityFactory(
        kind=ActivityKind.TRAINING,
        component=component("municipal"),
        start_date=dt.date(2015, 3, 2),
        end_date=dt.date(2015, 3, 2),
    )
    module.topics.add(topic("management"))
    later = ActivityFactory(
        kind=ActivityKind.TRAINING,
        component=component("municipal"),
        start_date=dt.date(2015, 4, 6),
        end_date=dt.date(2015, 4, 6),
    )
    later.topics.add(topic("management"))
    trainee, again = (
        PersonFactory(
            given_name="Mimoza",
            family_name="Berisha",
            affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
            municipality=municipality("gjilan"),
        )
        for _ in range(2)
    )
    AttendanceFactory(activity=module, person=trainee)
    AttendanceFactory(activity=later, person=again)
    counted = propose(trainee, again, 0.4)
    idle = propose(PersonFactory(), PersonFactory(), 0.9)

    clusters = review_clusters()

    assert [cluster.pairs for cluster in clusters] == [(counted,), (idle,)]
    assert clusters[0].figures >= 1 and clusters[1].figures == 0


# --- Pages --------------------------------------------------------------------------------------


def test_an_officer_links_a_cluster_from_its_page(client_for, personas: dict) -> None:
    first, second, third, one, two = written_three_times()
    client = client_for("me")
    listing = client.get(reverse("linkage:review_list")).content.decode()
    url = reverse("linkage:review_cluster", args=[one.pk])
    assert url in listing

    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('class="card record"') == 3
    response = client.post(
        reverse("linkage:review_cluster_link", args=[one.pk]),
        {"pairs": f"{one.pk},{two.pk}", "reason": "one person at three hearings"},
    )

    assert response.status_code == 302
    assert identity_of(second) == identity_of(third) == first.pk


def test_a_stale_cluster_form_is_shown_again_with_the_reason(client_for, personas: dict) -> None:
    _first, _second, _third, one, _two = written_three_times()
    response = client_for("me").post(
        reverse("linkage:review_cluster_link", args=[one.pk]), {"pairs": f"{one.pk}"}
    )
    assert response.status_code == 200
    assert "changed since it was shown" in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_other_roles_cannot_open_or_decide_a_cluster(client_for, personas: dict) -> None:
    _first, _second, _third, one, two = written_three_times()
    for persona in ("focal_gracanica", "staff", "donor"):
        client = client_for(persona)
        assert client.get(reverse("linkage:review_cluster", args=[one.pk])).status_code == 403
        response = client.post(
            reverse("linkage:review_cluster_link", args=[one.pk]),
            {"pairs": f"{one.pk},{two.pk}"},
        )
        assert response.status_code == 403
    assert ReviewPair.objects.pending().count() == 2
