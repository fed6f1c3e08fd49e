"""The review queue: proposing pairs once, deciding them once, and the pages M&E officers use."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.linkage.models import PersonMerge, ReviewPair, ReviewStatus
from akt.linkage.selectors import evidence_rows, labelled_pairs
from akt.linkage.services import (
    person_merge,
    person_split,
    review_decide,
    review_pair_propose,
)
from akt.people.models import Person
from akt.testing.factories import ActivityFactory, AttendanceFactory, PersonFactory

pytestmark = pytest.mark.django_db

EVIDENCE = [
    {"field": "family_name", "level": "Same after transliteration", "weight": 6.5},
    {"field": "given_name", "level": "Exact match", "weight": 4.1},
    {"field": "birth_date", "level": "Year only on one record", "weight": 0.0},
    {"field": "sex", "level": "Different", "weight": -3.25},
]


def propose(a: Person, b: Person, probability: float = 0.8, **changes: object) -> ReviewPair:
    values: dict = {
        "probability": probability,
        "match_weight": 2.0,
        "evidence": EVIDENCE,
        "model_version": "test-1",
    }
    values.update(changes)
    return review_pair_propose(a=a, b=b, **values)


def identity_of(person: Person) -> int | None:
    return Person.objects.get(pk=person.pk).identity_id


@pytest.fixture
def pair(reference: None) -> ReviewPair:
    latin = PersonFactory(given_name="Dževdet", family_name="Krasnići")
    albanian = PersonFactory(given_name="Xhevdet", family_name="Krasniqi")
    AttendanceFactory(person=latin)
    AttendanceFactory(person=albanian)
    return propose(albanian, latin)


# --- Services -----------------------------------------------------------------------------------


def test_a_pair_is_stored_once_in_id_order(reference: None) -> None:
    first, second = PersonFactory(), PersonFactory()
    pair = propose(second, first, probability=0.7)
    again = propose(first, second, probability=0.75, model_version="test-2")
    assert pair.pk == again.pk
    assert ReviewPair.objects.count() == 1
    again.refresh_from_db()
    assert (again.person_a, again.person_b) == (first, second)
    # A pending pair takes the newer model's score.
    assert (again.probability, again.model_version) == (0.75, "test-2")
    with pytest.raises(ValueError):
        propose(first, first)


def test_link_merges_the_two_records_into_the_older_person(
    personas: dict[str, User], pair: ReviewPair
) -> None:
    decided = review_decide(actor=personas["me"], pair=pair, decision="link", reason="same ID")
    assert decided.status == ReviewStatus.LINKED
    assert (decided.decided_by, decided.reason) == (personas["me"], "same ID")
    assert decided.decided_at is not None
    # The older record (lower id) keeps its identifier; the other resolves to it.
    assert identity_of(pair.person_a) is None
    assert identity_of(pair.person_b) == pair.person_a.pk
    merge = PersonMerge.objects.get()
    assert decided.merge == merge
    assert (merge.source, merge.probability, merge.reason) == ("review", 0.8, "same ID")
    assert AuditEntry.objects.filter(action="review_decide", target_id=str(pair.pk)).exists()
    assert labelled_pairs() == [(pair.person_a.uid, pair.person_b.uid, True)]


def test_keep_apart_changes_no_person(personas: dict[str, User], pair: ReviewPair) -> None:
    decided = review_decide(actor=personas["admin"], pair=pair, decision="keep_apart")
    assert decided.status == ReviewStatus.KEPT_APART
    assert identity_of(pair.person_a) is None and identity_of(pair.person_b) is None
    assert not PersonMerge.objects.exists()
    assert labelled_pairs() == [(pair.person_a.uid, pair.person_b.uid, False)]


@pytest.mark.parametrize("decision", ["link", "keep_apart"])
def test_a_decision_is_never_asked_again(
    personas: dict[str, User], pair: ReviewPair, decision: str
) -> None:
    decided = review_decide(actor=personas["me"], pair=pair, decision=decision)
    again = propose(pair.person_b, pair.person_a, probability=0.55, model_version="test-9")
    assert again.pk == pair.pk
    again.refresh_from_db()
    assert again.status == decided.status
    assert (again.probability, again.model_version) == (0.8, "test-1")
    assert not ReviewPair.objects.pending().exists()
    with pytest.raises(ValidationError, match="already decided"):
        review_decide(actor=personas["me"], pair=pair, decision="link")


def test_a_link_the_roster_forbids_leaves_the_pair_pending(
    personas: dict[str, User], reference: None
) -> None:
    hearing = ActivityFactory()
    a, b = PersonFactory(), PersonFactory()
    AttendanceFactory(activity=hearing, person=a)
    AttendanceFactory(activity=hearing, person=b)
    pair = propose(a, b)
    with pytest.raises(ValidationError, match="roster"):
        review_decide(actor=personas["me"], pair=pair, decision="link")
    pair.refresh_from_db()
    assert pair.is_pending
    assert identity_of(b) is None


def test_splitting_a_reviewed_merge_relabels_the_pair(
    personas: dict[str, User], pair: ReviewPair
) -> None:
    decided = review_decide(actor=personas["me"], pair=pair, decision="link")
    person_split(actor=personas["admin"], merge=decided.merge, reason="different birth dates")
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.KEPT_APART
    assert (pair.decided_by, pair.reason) == (personas["admin"], "different birth dates")
    assert labelled_pairs() == [(pair.person_a.uid, pair.person_b.uid, False)]


def test_linking_records_already_one_person_makes_no_new_merge(
    personas: dict[str, User], pair: ReviewPair
) -> None:
    person_merge(actor=personas["me"], survivor=pair.person_a, others=[pair.person_b], reason="")
    decided = review_decide(actor=personas["me"], pair=pair, decision="link")
    assert decided.status == ReviewStatus.LINKED and decided.merge is None
    assert PersonMerge.objects.count() == 1


@pytest.mark.parametrize("persona", ["focal_gracanica", "staff", "donor"])
def test_only_me_officers_and_administrators_decide(
    personas: dict[str, User], pair: ReviewPair, persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        review_decide(actor=personas[persona], pair=pair, decision="keep_apart")
    pair.refresh_from_db()
    assert pair.is_pending


def test_evidence_rows_read_both_stored_forms() -> None:
    rows = evidence_rows(EVIDENCE, "en")
    assert [row.label for row in rows] == ["Family name", "Given name", "Birth date", "Sex"]
    assert [row.weight_shown for row in rows] == ["+6.5", "+4.1", "+0.0", "-3.2"]
    assert [row.direction for row in rows] == ["for", "for", "neutral", "against"]
    as_mapping = evidence_rows({"sex": {"level": "Different", "weight": -3.25}}, "sq")
    assert as_mapping[0].weight_shown == "-3,2"  # the reader's decimal comma
    assert evidence_rows("garbage", "en") == []


# --- Pages --------------------------------------------------------------------------------------


def urls_for(pair: ReviewPair, merge: PersonMerge) -> list[tuple[str, str]]:
    return [
        ("get", reverse("linkage:review_list")),
        ("get", reverse("linkage:review_pair", args=[pair.pk])),
        ("post", reverse("linkage:review_link", args=[pair.pk])),
        ("post", reverse("linkage:review_keep_apart", args=[pair.pk])),
        ("get", reverse("linkage:merge_list")),
        ("get", reverse("linkage:merge_split", args=[merge.pk])),
        ("post", reverse("linkage:merge_split", args=[merge.pk])),
    ]


@pytest.fixture
def merge(personas: dict[str, User], reference: None) -> PersonMerge:
    a, b = PersonFactory(), PersonFactory()
    return person_merge(actor=personas["me"], survivor=a, others=[b], reason="same person")


@pytest.mark.parametrize("persona", ["focal_gracanica", "focal_zvecan", "staff", "donor"])
def test_other_roles_get_403_everywhere(
    client_for, pair: ReviewPair, merge: PersonMerge, persona: str
) -> None:
    client = client_for(persona)
    for method, url in urls_for(pair, merge):
        response = getattr(client, method)(url, {"reason": "x"} if method == "post" else None)
        assert response.status_code == 403, (persona, url)
    pair.refresh_from_db()
    merge.refresh_from_db()
    assert pair.is_pending and not merge.is_undone


def test_anonymous_visitors_are_sent_to_log_in(
    client_for, pair: ReviewPair, merge: PersonMerge
) -> None:
    client = client_for(None)
    for method, url in urls_for(pair, merge):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login")), url


@pytest.mark.parametrize("persona", ["me", "admin"])
def test_me_officers_and_administrators_open_every_page(
    client_for, pair: ReviewPair, merge: PersonMerge, persona: str
) -> None:
    client = client_for(persona)
    for url in (
        reverse("linkage:review_list"),
        reverse("linkage:review_pair", args=[pair.pk]),
        reverse("linkage:merge_list"),
        reverse("linkage:merge_split", args=[merge.pk]),
    ):
        assert client.get(url).status_code == 200, url
    # Deciding is POST only: one endpoint per action.
    assert client.get(reverse("linkage:review_link", args=[pair.pk])).status_code == 405


def test_the_review_link_shows_in_the_menu_only_for_those_who_review(client_for, pair) -> None:
    review = reverse("linkage:review_list")
    assert review in client_for("me").get(reverse("reports:dashboard")).content.decode()
    assert review in client_for("admin").get(reverse("reports:dashboard")).content.decode()
    for persona in ("donor", "staff", "focal_zvecan"):
        page = client_for(persona).get(reverse("reports:dashboard")).content.decode()
        assert review not in page, persona


def test_the_pair_page_shows_both_records_and_the_evidence(client_for, pair: ReviewPair) -> None:
    response = client_for("me").get(reverse("linkage:review_pair", args=[pair.pk]))
    page = response.content.decode()
    for name in ("Dževdet", "Krasnići", "Xhevdet", "Krasniqi"):
        assert name in page
    attended = pair.person_a.attendances.get().activity
    assert attended.title in page
    assert "80.0%" in page
    assert "Same after transliteration" in page and "+6.5" in page
    assert "for a match" in page and "against a match" in page
    assert reverse("linkage:review_link", args=[pair.pk]) in page
    assert reverse("linkage:review_keep_apart", args=[pair.pk]) in page


def test_deciding_on_the_page_leads_to_the_next_pair(
    client_for, personas: dict[str, User], pair: ReviewPair
) -> None:
    unlikely = propose(PersonFactory(), PersonFactory(), probability=0.3)
    likely = propose(PersonFactory(), PersonFactory(), probability=0.6)
    client = client_for("me")

    response = client.post(reverse("linkage:review_link", args=[pair.pk]), {"reason": "ID card"})
    assert response.status_code == 302
    assert response.url == reverse("linkage:review_pair", args=[likely.pk])
    pair.refresh_from_db()
    assert pair.status == ReviewStatus.LINKED and pair.reason == "ID card"
    assert identity_of(pair.person_b) == pair.person_a.pk

    response = client.post(reverse("linkage:review_keep_apart", args=[likely.pk]))
    assert response.url == reverse("linkage:review_pair", args=[unlikely.pk])
    response = client.post(reverse("linkage:review_keep_apart", args=[unlikely.pk]))
    assert response.url == reverse("linkage:review_list")
    assert ReviewPair.objects.filter(status=ReviewStatus.KEPT_APART).count() == 2

    # A decided pair shows its decision rather than the buttons again.
    page = client.get(reverse("linkage:review_pair", args=[pair.pk])).content.decode()
    assert reverse("linkage:review_link", args=[pair.pk]) not in page
    assert "Same person" in page


def test_a_refused_link_is_explained_on_the_page(
    client_for, personas: dict[str, User], reference: None
) -> None:
    hearing = ActivityFactory(title="Hearing on the municipal budget")
    a, b = PersonFactory(), PersonFactory()
    AttendanceFactory(activity=hearing, person=a)
    AttendanceFactory(activity=hearing, person=b)
    pair = propose(a, b)
    response = client_for("me").post(reverse("linkage:review_link", args=[pair.pk]))
    assert response.status_code == 200
    assert "Hearing on the municipal budget" in response.content.decode()
    pair.refresh_from_db()
    assert pair.is_pending


def test_the_queue_lists_pending_pairs_most_likely_first(client_for, pair: ReviewPair) -> None:
    likelier = propose(PersonFactory(), PersonFactory(), probability=0.9)
    decided = propose(PersonFactory(), PersonFactory(), probability=0.95)
    review_decide(actor=User.objects.get(username="me"), pair=decided, decision="keep_apart")
    response = client_for("me").get(reverse("linkage:review_list"))
    # Each pair is its own group here (no record shared), and no figure counts their persons.
    assert [row[0].pairs for row in response.context["rows"]] == [(likelier,), (pair,)]
    assert response.context["counts"] == {
        "pending": 2,
        "linked": 0,
        "kept_apart": 1,
        "decided": 1,
    }
    assert "1 kept apart" in response.content.decode()


def test_the_review_list_reads_a_fixed_number_of_queries(client_for, reference: None) -> None:
    client = client_for("me")
    url = reverse("linkage:review_list")
    propose(PersonFactory(), PersonFactory())
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(12):
        propose(PersonFactory(), PersonFactory(), probability=0.5)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    # The groups are weighed by the persons figures they would move: one read of the figures'
    # columns (indicators, program, attendances, tallies, activities, persons, organizations
    # and four small lookups), however many pairs wait.
    assert len(many) == len(few) <= 19  # with the sign-in's two-factor check


def test_the_merge_history_splits_with_a_reason(
    client_for, personas: dict[str, User], merge: PersonMerge
) -> None:
    client = client_for("me")
    page = client.get(reverse("linkage:merge_list")).content.decode()
    assert reverse("linkage:merge_split", args=[merge.pk]) in page
    assert "same person" in page

    # Without a reason nothing is split.
    response = client.post(reverse("linkage:merge_split", args=[merge.pk]), {"reason": ""})
    assert response.status_code == 200
    merge.refresh_from_db()
    assert not merge.is_undone

    response = client.post(
        reverse("linkage:merge_split", args=[merge.pk]), {"reason": "different mothers"}
    )
    assert response.status_code == 302
    merge.refresh_from_db()
    assert merge.is_undone and merge.undone_by == personas["me"]
    assert Person.objects.get(pk=merge.merged[0]).identity_id is None
    page = client.get(reverse("linkage:merge_list")).content.decode()
    assert "different mothers" in page


def test_the_merge_history_reads_a_fixed_number_of_queries(
    client_for, personas: dict[str, User], merge: PersonMerge
) -> None:
    client = client_for("me")
    url = reverse("linkage:merge_list")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        a, b, c = PersonFactory(), PersonFactory(), PersonFactory()
        person_merge(actor=personas["me"], survivor=a, others=[b, c], reason="")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    # The groups are weighed by the persons figures they would move: one read of the figures'
    # columns (indicators, program, attendances, tallies, activities, persons, organizations
    # and four small lookups), however many pairs wait.
    assert len(many) == len(few) <= 18
