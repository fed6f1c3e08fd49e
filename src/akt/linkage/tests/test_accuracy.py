"""Review decisions as labels: the model checked against them, on the page and the command line."""

from __future__ import annotations

import io
from fractions import Fraction

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from akt.accounts.models import User
from akt.jobs.models import Job
from akt.linkage.accuracy import (
    TOO_FEW_LABELS,
    Confusion,
    accuracy_from_labels,
    best_cut,
    confusion_at,
)
from akt.linkage.batch import REGISTRY_LOWER, REGISTRY_UPPER
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair
from akt.linkage.selectors import accuracy_labels, labelled_accuracy
from akt.linkage.services import person_merge, person_split, review_decide, review_pair_propose
from akt.people.models import Person
from akt.testing.factories import PersonFactory

# --- The pure computation -------------------------------------------------------------------

LABELS = [
    (0.95, True),
    (0.92, False),
    (0.7, True),
    (0.5, False),
    (0.3, True),
    (0.0005, True),
    (0.0005, False),
]


def test_confusion_counts_at_both_thresholds_by_hand() -> None:
    accuracy = accuracy_from_labels(LABELS, link_threshold=0.9, review_threshold=0.001)
    assert (accuracy.matches, accuracy.non_matches, accuracy.labels) == (4, 3, 7)
    # At 0.9 only the two top pairs are linked: one right, one wrong; three matches missed.
    assert accuracy.at_link == Confusion(0.9, 1, 1, 3, 2)
    assert accuracy.at_link.precision == 0.5
    assert accuracy.at_link.recall == 0.25
    assert accuracy.at_link.f1 == pytest.approx(1 / 3)
    # At 0.001 everything but the two pairs below it is at least sent to review.
    assert accuracy.at_review == Confusion(0.001, 3, 2, 1, 1)
    assert accuracy.at_review.precision == 0.6
    assert accuracy.at_review.recall == 0.75
    # Seven labels are far from twenty of each kind: no threshold is suggested, and why.
    assert accuracy.supported is None and accuracy.withheld == TOO_FEW_LABELS


def test_the_supported_threshold_maximises_f1() -> None:
    accuracy = accuracy_from_labels(
        LABELS, link_threshold=0.9, review_threshold=0.001, min_per_class=1
    )
    # F1 by cut: 0.95 -> 2/5, 0.92 -> 1/3, 0.7 -> 4/7, 0.5 -> 1/2, 0.3 -> 2/3, 0.0005 -> 8/11.
    assert accuracy.withheld is None
    assert accuracy.supported == Confusion(0.0005, 4, 3, 0, 0)
    assert accuracy.supported.f1 == pytest.approx(8 / 11)
    assert accuracy.supported.precision == pytest.approx(4 / 7)
    assert accuracy.supported.recall == 1.0


def test_on_a_tie_the_higher_cut_is_supported() -> None:
    # Cutting at 0.9 (one right, one missed) and at 0.2 (two right, two wrong) both give F1 2/3.
    labels = [(0.2, True), (0.5, False), (0.6, False), (0.9, True)]
    cut = best_cut(labels)
    assert cut is not None and cut.f1 == confusion_at(labels, 0.2).f1 == pytest.approx(2 / 3)
    assert cut == Confusion(0.9, 1, 0, 1, 2)
    assert best_cut(list(reversed(labels))) == cut


def test_equal_probabilities_fall_on_the_same_side_of_a_cut() -> None:
    labels = [(0.5, True), (0.5, False), (0.5, True)]
    assert confusion_at(labels, 0.5) == Confusion(0.5, 2, 1, 0, 0)
    assert best_cut(labels) == Confusion(0.5, 2, 1, 0, 0)


def test_no_labels_give_no_figure_and_no_division_by_zero() -> None:
    accuracy = accuracy_from_labels([], link_threshold=0.9, review_threshold=0.001)
    assert accuracy.labels == 0
    for confusion in (accuracy.at_link, accuracy.at_review):
        assert (confusion.true_links, confusion.false_links) == (0, 0)
        assert (confusion.precision, confusion.recall, confusion.f1) == (None, None, None)
    assert accuracy.supported is None and accuracy.withheld == TOO_FEW_LABELS
    assert best_cut([]) is None


def test_labels_of_one_kind_define_only_what_they_can() -> None:
    only_matches = accuracy_from_labels(
        [(0.95, True), (0.5, True)], link_threshold=0.9, review_threshold=0.001, min_per_class=1
    )
    assert only_matches.at_link.precision == 1.0 and only_matches.at_link.recall == 0.5
    assert only_matches.supported is None and only_matches.withheld == TOO_FEW_LABELS

    only_apart = accuracy_from_labels(
        [(0.95, False), (0.5, False)], link_threshold=0.9, review_threshold=0.001, min_per_class=1
    )
    assert only_apart.at_link == Confusion(0.9, 0, 1, 0, 1)
    assert only_apart.at_link.precision == 0.0
    assert only_apart.at_link.recall is None  # no match among the labels
    assert only_apart.supported is None and best_cut([(0.95, False)]) is None


def test_twenty_labels_of_each_kind_are_enough() -> None:
    labels = [(0.6, True)] * 20 + [(0.2, False)] * 19
    assert (
        accuracy_from_labels(labels, link_threshold=0.9, review_threshold=0.001).supported is None
    )
    accuracy = accuracy_from_labels(
        [*labels, (0.2, False)], link_threshold=0.9, review_threshold=0.001
    )
    assert accuracy.supported == Confusion(0.6, 20, 0, 0, 20)


@pytest.mark.parametrize("bad", [1.5, -0.1, float("nan")])
def test_a_probability_outside_zero_to_one_is_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        accuracy_from_labels([(bad, True)], link_threshold=0.9, review_threshold=0.001)
    with pytest.raises(ValueError):
        accuracy_from_labels([], link_threshold=bad, review_threshold=0.001)


# A coarse grid makes ties between labels and thresholds common; floats cover the rest.
probabilities = st.one_of(
    st.sampled_from([0.0, 0.001, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0]),
    st.floats(min_value=0, max_value=1),
)
label_lists = st.lists(st.tuples(probabilities, st.booleans()), max_size=60)


def brute_counts(labels: list[tuple[float, bool]], threshold: float) -> tuple[int, int, int, int]:
    tp = sum(1 for p, match in labels if p >= threshold and match)
    fp = sum(1 for p, match in labels if p >= threshold and not match)
    fn = sum(1 for p, match in labels if p < threshold and match)
    tn = sum(1 for p, match in labels if p < threshold and not match)
    return tp, fp, fn, tn


def brute_f1(labels: list[tuple[float, bool]], threshold: float) -> Fraction:
    tp, fp, fn, _ = brute_counts(labels, threshold)
    return Fraction(2 * tp, 2 * tp + fp + fn) if 2 * tp + fp + fn else Fraction(0)


@settings(max_examples=300, deadline=None)
@given(labels=label_lists, link=probabilities, review=probabilities)
def test_figures_equal_a_brute_force_count(
    labels: list[tuple[float, bool]], link: float, review: float
) -> None:
    accuracy = accuracy_from_labels(labels, link_threshold=link, review_threshold=review)
    assert accuracy.matches == sum(1 for _, match in labels if match)
    for confusion, threshold in ((accuracy.at_link, link), (accuracy.at_review, review)):
        tp, fp, fn, tn = brute_counts(labels, threshold)
        assert (
            confusion.true_links,
            confusion.false_links,
            confusion.missed_links,
            confusion.true_apart,
        ) == (tp, fp, fn, tn)
        assert confusion.precision == (tp / (tp + fp) if tp + fp else None)
        assert confusion.recall == (tp / (tp + fn) if tp + fn else None)


@settings(max_examples=300, deadline=None)
@given(labels=label_lists, others=st.lists(probabilities, max_size=10))
def test_no_cut_beats_the_supported_one_and_none_as_high_ties_it(
    labels: list[tuple[float, bool]], others: list[float]
) -> None:
    cut = best_cut(labels)
    if not any(match for _, match in labels):
        assert cut is None
        return
    assert cut is not None
    best = brute_f1(labels, cut.threshold)
    assert Fraction(cut.f1) == Fraction(float(best))  # the float of the exact score
    assert cut == confusion_at(labels, cut.threshold)
    for threshold in [p for p, _ in labels] + others:
        score = brute_f1(labels, threshold)
        assert score <= best
        if score == best:
            assert threshold <= cut.threshold  # ties go to the higher cut


# --- From the database -----------------------------------------------------------------------


def propose(probability: float) -> ReviewPair:
    return review_pair_propose(
        a=PersonFactory(),
        b=PersonFactory(),
        probability=probability,
        match_weight=1.0,
        evidence=[],
        model_version="test",
    )


def batch_merge(probability: float | None) -> PersonMerge:
    return person_merge(
        actor=None,
        survivor=PersonFactory(),
        others=[PersonFactory()],
        reason="Batch linkage of the registry.",
        source=MergeSource.BATCH,
        probability=probability,
    )


@pytest.fixture
def decided(personas: dict[str, User]) -> None:
    """Two pairs linked, two kept apart, a linked one split, a batch merge split, noise."""
    me = personas["me"]
    for probability in (0.8, 0.6):
        review_decide(actor=me, pair=propose(probability), decision="link")
    for probability in (0.4, 0.05):
        review_decide(actor=me, pair=propose(probability), decision="keep_apart")
    regretted = review_decide(actor=me, pair=propose(0.7), decision="link")
    person_split(actor=me, merge=regretted.merge, reason="different fathers")
    person_split(actor=me, merge=batch_merge(0.995), reason="different birth places")
    # Not labels: a pending pair, a batch merge nobody split, one without a probability, and a
    # manual merge split (a person undoing a person, not the model).
    propose(0.5)
    batch_merge(0.99)
    person_split(actor=me, merge=batch_merge(None), reason="older run")
    manual = person_merge(actor=me, survivor=PersonFactory(), others=[PersonFactory()], reason="")
    person_split(actor=me, merge=manual, reason="typo")


@pytest.mark.django_db
def test_decisions_and_split_batch_merges_are_the_labels(decided: None) -> None:
    assert sorted(accuracy_labels()) == [
        (0.05, False),
        (0.4, False),
        (0.6, True),
        (0.7, False),  # linked, then split: the last human word is the label
        (0.8, True),
        (0.995, False),  # merged by the batch without asking, split by a person
    ]


@pytest.mark.django_db
def test_labelled_accuracy_uses_the_registry_thresholds(
    decided: None, django_assert_num_queries
) -> None:
    with django_assert_num_queries(2):
        accuracy = labelled_accuracy()
    assert (accuracy.matches, accuracy.non_matches) == (2, 4)
    assert accuracy.at_link.threshold == REGISTRY_UPPER == 0.99
    # The only pair above 0.99 is the batch merge a person split: a false link.
    assert accuracy.at_link == Confusion(0.99, 0, 1, 2, 3)
    assert accuracy.at_link.precision == 0.0 and accuracy.at_link.recall == 0.0
    assert accuracy.at_review.threshold == REGISTRY_LOWER == 0.05  # where the registry asks
    assert accuracy.at_review == Confusion(0.05, 2, 4, 0, 0)
    assert accuracy.supported is None and accuracy.withheld == TOO_FEW_LABELS


# --- On the review page and the command line --------------------------------------------------


@pytest.mark.django_db
def test_the_review_page_shows_how_the_model_does(client_for, decided: None) -> None:
    page = client_for("me").get(reverse("linkage:review_list")).content.decode()
    assert "How the model does on your decisions" in page
    assert "Decisions counted: 2 same person, 4 different people." in page
    assert (
        "Where the batch links without asking (99.0% and above): 0 rightly linked, 1 wrongly "
        "linked, 2 missed, 3 rightly kept apart; precision 0.0%, recall 0.0%." in page
    )
    assert "Where pairs go to review (5.0% and above): precision 33.3%, recall 100.0%." in page
    assert "at least 20 decisions of each kind" in page
    albanian = client_for("me").get(reverse("linkage:review_list"), HTTP_ACCEPT_LANGUAGE="sq")
    assert "33,3%" in albanian.content.decode()  # the reader's decimal comma


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["donor", "focal_gracanica"])
def test_the_figures_stay_hidden_from_other_roles(
    client_for,
    decided: None,
    persona: str,
) -> None:
    response = client_for(persona).get(reverse("linkage:review_list"))
    assert response.status_code == 403
    assert "How the model does" not in response.content.decode()


@pytest.fixture
def many_decided(personas: dict[str, User]) -> None:
    """Twenty-two pairs each way: the likelier ones one person, the less likely two."""
    for index in range(22):
        linked = propose(0.5 + index / 100)
        review_decide(actor=personas["me"], pair=linked, decision="link")
        apart = propose(0.05 + index / 100)
        review_decide(actor=personas["me"], pair=apart, decision="keep_apart")


@pytest.mark.django_db
def test_with_enough_decisions_the_page_suggests_a_threshold(
    client_for,
    many_decided: None,
) -> None:
    page = client_for("me").get(reverse("linkage:review_list")).content.decode()
    # Every pair from 0.5 up was one person, every pair below two: the cut falls at 50%.
    assert "The threshold your decisions support: 50.0% (precision 100.0%, recall 100.0%)." in page
    assert "decisions of each kind" not in page


@pytest.mark.django_db
def test_no_decision_yet_says_so(client_for, reference: None) -> None:
    propose(0.5)
    page = client_for("me").get(reverse("linkage:review_list")).content.decode()
    assert "No decision yet: these figures appear once pairs are decided." in page
    assert "precision" not in page


@pytest.mark.django_db
def test_the_figures_cost_the_page_a_fixed_number_of_queries(
    client_for,
    personas: dict[str, User],
) -> None:
    client = client_for("me")
    url = reverse("linkage:review_list")
    review_decide(actor=personas["me"], pair=propose(0.5), decision="link")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(8):
        decision = "link" if index % 2 else "keep_apart"
        review_decide(actor=personas["me"], pair=propose(0.3), decision=decision)
    person_split(actor=personas["me"], merge=batch_merge(0.95), reason="different people")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 8


@pytest.mark.django_db
def test_akt_link_accuracy_prints_the_figures_and_links_nothing(decided: None) -> None:
    merges, persons = PersonMerge.objects.count(), list(Person.objects.values("pk", "identity"))
    out = io.StringIO()
    call_command("link", "--accuracy", stdout=out)
    text = out.getvalue()
    assert "How the model does on your decisions" in text
    assert "Decisions counted: 2 same person, 4 different people." in text
    assert "(99.0% and above): 0 rightly linked, 1 wrongly linked, 2 missed" in text
    assert "precision 0.0%, recall 0.0%." in text
    assert "at least 20 decisions of each kind" in text
    # The batch did not run: no merge, no job, nobody re-pointed.
    assert PersonMerge.objects.count() == merges and not Job.objects.exists()
    assert list(Person.objects.values("pk", "identity")) == persons


@pytest.mark.django_db
def test_akt_link_accuracy_with_enough_decisions(many_decided: None) -> None:
    out = io.StringIO()
    call_command("link", "--accuracy", stdout=out)
    assert "The threshold your decisions support: 50.0% (precision 100.0%" in out.getvalue()


@pytest.mark.django_db
def test_akt_link_accuracy_takes_no_file(reference: None) -> None:
    with pytest.raises(CommandError, match="give no FILE"):
        call_command("link", "people.csv", "--accuracy", stdout=io.StringIO())
