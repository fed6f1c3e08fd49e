"""How well the linkage model agrees with the people who review its pairs.

Every review decision is a labelled pair: the probability the model gave two records, and
whether a person found them to be one person. A batch merge that a person later split is one
more label, a non-match at the probability the batch merged it at: the model was sure, and wrong.
This module turns such labels into the figures an M&E officer can check the model by, and into
the threshold the labels themselves would have chosen. Plain values in, a frozen result out; no
Django, so it is tested without a database and reused by the page and the command alike.

Read the figures for what they are. Labels come mostly from the review band, the pairs the model
was unsure of, with a few split batch merges from above it; a batch merge nobody split is not a
label (silence is not a confirmation) and neither is a pair scored below the review threshold
(nobody looked at it). So the figures describe the model where it hesitates, not its accuracy on
the registry as a whole, and they are biased in a known direction: at the link threshold the
labels hold mostly the mistakes people noticed.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

MIN_LABELS_PER_CLASS = 20
"""Labels of each kind (matches and non-matches) needed before a threshold is suggested.

Below this a single decision moves the best cut a long way; a suggestion from a handful of
labels would look more certain than it is."""

TOO_FEW_LABELS = "too_few_labels"
"""Why no threshold is suggested: fewer than the minimum labels of one kind."""


@dataclass(frozen=True)
class Confusion:
    """The labels against one cut: a pair at or above ``threshold`` is linked, below it is not.

    Precision is the share of links that were right, recall the share of real matches linked,
    F1 their harmonic mean counted as 2TP / (2TP + FP + FN), which stays defined (zero) when
    links were made and none was right. Each is None when nothing defines it (no link made, no
    match among the labels), never a division by zero.
    """

    threshold: float
    true_links: int
    false_links: int
    missed_links: int
    true_apart: int

    @property
    def precision(self) -> float | None:
        linked = self.true_links + self.false_links
        return self.true_links / linked if linked else None

    @property
    def recall(self) -> float | None:
        matches = self.true_links + self.missed_links
        return self.true_links / matches if matches else None

    @property
    def f1(self) -> float | None:
        # One division of integers, so equal scores compare equal (the tie rule relies on it).
        wrong = self.false_links + self.missed_links
        denominator = 2 * self.true_links + wrong
        return 2 * self.true_links / denominator if denominator else None


@dataclass(frozen=True)
class LabelledAccuracy:
    """The model measured on labelled pairs, at the batch's link threshold and the review one.

    ``supported`` is the cut that maximises F1 on the labels (the higher cut on a tie, so a
    suggestion never links more than the labels justify); None, with ``withheld`` saying why,
    until there are ``min_per_class`` labels of each kind. F1 weighs a false link and a missed
    one alike, while in the registry a false merge costs more (it silently lowers a reported
    figure): the suggestion is a figure to weigh, not a setting to adopt.
    """

    matches: int
    non_matches: int
    at_link: Confusion
    at_review: Confusion
    supported: Confusion | None
    withheld: str | None
    min_per_class: int

    @property
    def labels(self) -> int:
        return self.matches + self.non_matches


def confusion_at(labels: Iterable[tuple[float, bool]], threshold: float) -> Confusion:
    """The labels counted against the cut ``threshold`` (at or above it: linked)."""
    true_links = false_links = missed_links = true_apart = 0
    for probability, is_match in labels:
        linked = probability >= threshold
        if linked and is_match:
            true_links += 1
        elif linked:
            false_links += 1
        elif is_match:
            missed_links += 1
        else:
            true_apart += 1
    return Confusion(threshold, true_links, false_links, missed_links, true_apart)


def best_cut(labels: Iterable[tuple[float, bool]]) -> Confusion | None:
    """The cut with the highest F1 on ``labels``, the higher cut on a tie; None without a match.

    Only the labels' own probabilities need trying: any other cut links the same pairs as the
    next label probability above it, or links nothing (F1 zero, never better). One pass over the
    labels sorted from most to least likely, so it stays quick on many thousands of labels.
    """
    ordered = sorted(labels, key=lambda label: label[0], reverse=True)
    matches = sum(1 for _, is_match in ordered if is_match)
    if not matches:
        return None
    best: Confusion | None = None
    true_links = false_links = 0
    for index, (probability, is_match) in enumerate(ordered):
        if is_match:
            true_links += 1
        else:
            false_links += 1
        if index + 1 < len(ordered) and ordered[index + 1][0] == probability:
            continue  # a cut cannot separate equal probabilities: count them all first
        cut = Confusion(
            threshold=probability,
            true_links=true_links,
            false_links=false_links,
            missed_links=matches - true_links,
            true_apart=len(ordered) - matches - false_links,
        )
        # Cuts come from the highest down, so a strictly better score is needed to move lower.
        if best is None or (cut.f1 or 0.0) > (best.f1 or 0.0):
            best = cut
    return best


def accuracy_from_labels(
    labels: Iterable[tuple[float, bool]],
    *,
    link_threshold: float,
    review_threshold: float,
    min_per_class: int = MIN_LABELS_PER_CLASS,
) -> LabelledAccuracy:
    """The model measured on ``labels``, pairs of ``(probability, is_match)``.

    ``link_threshold`` is where the batch merges without asking, ``review_threshold`` where
    pairs start going to review. Refuses (``ValueError``) a probability or a threshold outside
    0 to 1: a figure computed from one would look as good as any other.
    """
    labels = [(float(probability), bool(is_match)) for probability, is_match in labels]
    for value in (link_threshold, review_threshold, *(probability for probability, _ in labels)):
        if math.isnan(value) or not 0 <= value <= 1:
            raise ValueError(f"a probability lies between 0 and 1, not {value!r}")
    matches = sum(1 for _, is_match in labels if is_match)
    non_matches = len(labels) - matches
    enough = matches >= min_per_class and non_matches >= min_per_class
    supported = best_cut(labels) if enough else None
    return LabelledAccuracy(
        matches=matches,
        non_matches=non_matches,
        at_link=confusion_at(labels, link_threshold),
        at_review=confusion_at(labels, review_threshold),
        supported=supported,
        withheld=None if supported else TOO_FEW_LABELS,
        min_per_class=min_per_class,
    )
