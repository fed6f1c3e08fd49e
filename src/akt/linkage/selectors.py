"""Reads of identity resolution: the review queue, the pending pairs as the figures weigh them,
a pair's records and evidence, merge history, and the labelled pairs that measure the linkage
model's accuracy (:mod:`akt.linkage.accuracy`).

Every read here is a fixed number of queries, however long the queue or the history.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from babel.numbers import format_decimal, format_percent
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from akt.activities.models import Attendance
from akt.counting import uncertainty
from akt.linkage import batch
from akt.linkage.accuracy import Confusion, LabelledAccuracy, accuracy_from_labels
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair, ReviewStatus
from akt.linkage.pipeline import level_code
from akt.people.models import Person
from akt.text.locales import babel_locale

PERSON_RELATED = ("municipality__majority_community", "community", "organization", "identity")


def review_queue() -> QuerySet[ReviewPair]:
    """Pending pairs, most likely matches first, with both records ready to show."""
    return (
        ReviewPair.objects.pending()
        .in_review_order()
        .select_related(
            *(f"person_a__{name}" for name in PERSON_RELATED),
            *(f"person_b__{name}" for name in PERSON_RELATED),
        )
    )


def pending_pairs() -> list[uncertainty.Pair]:
    """Every pair of records under review, as the persons its records resolve to now.

    One query, whatever the queue holds; a pair decided meanwhile is not in it. The persons are
    the canonical ones (``Person.identity``), as the figures count them.
    """
    return list(
        ReviewPair.objects.pending()
        .order_by()
        .values_list(
            Coalesce("person_a__identity_id", "person_a_id"),
            Coalesce("person_b__identity_id", "person_b_id"),
            "probability",
        )
    )


def review_counts() -> dict[str, int]:
    """How many pairs are pending, linked and kept apart (one query)."""
    counts = ReviewPair.objects.order_by().aggregate(
        pending=Count("pk", filter=Q(status=ReviewStatus.PENDING)),
        linked=Count("pk", filter=Q(status=ReviewStatus.LINKED)),
        kept_apart=Count("pk", filter=Q(status=ReviewStatus.KEPT_APART)),
    )
    counts["decided"] = counts["linked"] + counts["kept_apart"]
    return counts


def next_pending_pair(*, after: ReviewPair | None = None) -> ReviewPair | None:
    """The pair to review next: the most likely pending match other than ``after``."""
    queue = ReviewPair.objects.pending().in_review_order()
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.first()


def labelled_pairs() -> list[tuple[uuid.UUID, uuid.UUID, bool]]:
    """Every decided pair as ``(a_uid, b_uid, is_match)``: the labels accuracy is measured on."""
    rows = ReviewPair.objects.decided().order_by("pk")
    return [
        (a_uid, b_uid, status == ReviewStatus.LINKED)
        for a_uid, b_uid, status in rows.values_list("person_a__uid", "person_b__uid", "status")
    ]


def accuracy_labels() -> list[tuple[float, bool]]:
    """Every label the model is checked on, as ``(probability, is_match)`` (two queries).

    A decided pair is one label at the probability it was proposed with: "same person" a match,
    "different people" not. A batch merge a person split is a non-match at the probability the
    batch merged it at: the model was sure enough to merge without asking, and wrong. Merges a
    review decision made are left out here, their pair already counts (a split relabels it).
    """
    decided = ReviewPair.objects.decided().order_by("pk").values_list("probability", "status")
    split_batch_merges = (
        PersonMerge.objects.filter(
            source=MergeSource.BATCH, undone_at__isnull=False, probability__isnull=False
        )
        .order_by("pk")
        .values_list("probability", flat=True)
    )
    return [
        *((probability, status == ReviewStatus.LINKED) for probability, status in decided),
        *((probability, False) for probability in split_batch_merges),
    ]


def labelled_accuracy() -> LabelledAccuracy:
    """The model checked against what people decided, at the registry's own thresholds.

    Links at :data:`batch.REGISTRY_UPPER` (where the batch merges without asking) and sends to
    review from :data:`batch.REGISTRY_LOWER`; see :mod:`akt.linkage.accuracy` for what the
    figures can and cannot say.
    """
    return accuracy_from_labels(
        accuracy_labels(),
        link_threshold=batch.REGISTRY_UPPER,
        review_threshold=batch.REGISTRY_LOWER,
    )


@dataclass(frozen=True)
class ConfusionShown:
    """One cut's figures as the reader writes numbers; "not defined" where nothing defines one."""

    threshold: str
    true_links: str
    false_links: str
    missed_links: str
    true_apart: str
    precision: str
    recall: str


@dataclass(frozen=True)
class AccuracyShown:
    """The accuracy figures for the review page and ``akt link --accuracy``, formatted once."""

    labels: int
    matches: str
    non_matches: str
    at_link: ConfusionShown
    at_review: ConfusionShown
    supported: ConfusionShown | None
    min_per_class: str


def count_shown(count: int, language: str) -> str:
    return format_decimal(count, locale=babel_locale(language))


def threshold_shown(threshold: float, language: str) -> str:
    """A cut as a percentage, with the decimals a low cut needs: "90.0%", "0.1%", "0.234%"."""
    return format_percent(threshold, format="#,##0.0##%", locale=babel_locale(language))


def share_shown(share: float | None, language: str) -> str:
    """A share as a percentage in the reader's format; "not defined" when nothing defines it."""
    return _("not defined") if share is None else probability_shown(share, language)


def _confusion_shown(confusion: Confusion, language: str) -> ConfusionShown:
    return ConfusionShown(
        threshold=threshold_shown(confusion.threshold, language),
        true_links=count_shown(confusion.true_links, language),
        false_links=count_shown(confusion.false_links, language),
        missed_links=count_shown(confusion.missed_links, language),
        true_apart=count_shown(confusion.true_apart, language),
        precision=share_shown(confusion.precision, language),
        recall=share_shown(confusion.recall, language),
    )


def accuracy_shown(accuracy: LabelledAccuracy, language: str) -> AccuracyShown:
    return AccuracyShown(
        labels=accuracy.labels,
        matches=count_shown(accuracy.matches, language),
        non_matches=count_shown(accuracy.non_matches, language),
        at_link=_confusion_shown(accuracy.at_link, language),
        at_review=_confusion_shown(accuracy.at_review, language),
        supported=(
            None if accuracy.supported is None else _confusion_shown(accuracy.supported, language)
        ),
        min_per_class=count_shown(accuracy.min_per_class, language),
    )


# --- One pair, side by side --------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceRow:
    """One comparison of the two records: what it compared, how they agreed, what it weighed."""

    field: str
    label: str
    level: str
    weight: float | None
    weight_shown: str  # signed, in the reader's number format; "" when unknown
    direction: str  # "for", "against" or "neutral": worded in the template, not coloured


def _field_labels() -> dict[str, str]:
    return {
        "name": _("Name"),
        "full_name": _("Name"),
        "given_name": _("Given name"),
        "family_name": _("Family name"),
        "birth": _("Birth date"),
        "birth_date": _("Birth date"),
        "birth_year": _("Birth year"),
        "dob": _("Birth date"),
        "sex": _("Sex"),
        "municipality": _("Municipality"),
        "community": _("Community"),
        "affiliation": _("Affiliation"),
        "organization": _("Organization"),
        "returning": _("Returning to the program"),
        "context": _("Shared context"),
        "commonness": _("How common the name is"),
    }


def _comparison_levels() -> dict[str, str]:
    """The model's comparison levels (:data:`akt.linkage.pipeline.LEVEL_CODES`) in the reader's
    words: how the two records' values agreed."""
    return {
        "missing": _("missing on one record or both"),
        "exact": _("the same (script, accents and case aside), or given and family name swapped"),
        "same_sound": _("spelt differently, sounds the same"),
        "same_sound_swapped": _("sounds the same, given and family name swapped"),
        "very_similar": _("very similar spelling"),
        "short_form": _("a known short form of the same name"),
        "similar": _("similar spelling"),
        "married_name": _("different; a woman's family name may change at marriage"),
        "different": _("different"),
        "exact_date": _("the same date"),
        "day_month_swapped": _("day and month swapped"),
        "one_typo": _("one typing error apart"),
        "same_year_month": _("the same year and month"),
        "same_year": _("the same year"),
        "years_one_apart": _("years one apart"),
        "same": _("the same"),
    }


def _context_levels() -> dict[str, str]:
    """The context evidence's levels (:mod:`akt.linkage.context`) in the reader's words."""
    return {
        "program": _("how often this program's people return, for a registry of this size"),
        "co_attendance": _("attended with the same people"),
        "organization": _("the same organization"),
        "series": _("activities of the same series"),
        "setting": _("the same component in the same municipality"),
        "none": _("no shared context"),
        "registry": _("commoner among this program's people than across Kosovo"),
    }


def _evidence_items(evidence: Any) -> Iterable[tuple[str, Mapping[str, Any]]]:
    if isinstance(evidence, Mapping):
        for name, detail in evidence.items():
            yield str(name), detail if isinstance(detail, Mapping) else {"level": detail}
    elif isinstance(evidence, list):
        for detail in evidence:
            if isinstance(detail, Mapping):
                yield str(detail.get("field", "")), detail


def evidence_rows(evidence: Any, language: str) -> list[EvidenceRow]:
    """A pair's stored evidence as rows the review page shows, in the model's order.

    Accepts the list form and the mapping form (see ``ReviewPair``); anything else shows nothing
    rather than failing the page.
    """
    labels = _field_labels()
    levels = _context_levels()
    compared = _comparison_levels()
    rows = []
    for name, detail in _evidence_items(evidence):
        raw = detail.get("weight", detail.get("match_weight"))
        weight = float(raw) if isinstance(raw, int | float) else None
        if weight is None or weight == 0:
            direction = "neutral"
        else:
            direction = "for" if weight > 0 else "against"
        shown = "" if weight is None else weight_shown(weight, language)
        rows.append(
            EvidenceRow(
                field=name,
                label=labels.get(name, name.replace("_", " ")),
                level=(
                    levels.get(str(detail.get("level")), str(detail.get("level")))
                    if name in ("returning", "context", "commonness")
                    else _level_shown(str(detail.get("level", detail.get("label", ""))), compared)
                ),
                weight=weight,
                weight_shown=shown,
                direction=direction,
            )
        )
    return rows


def _level_shown(stored: str, compared: Mapping[str, str]) -> str:
    """A comparison level as the reader reads it: stored as its code, or (pairs proposed before
    codes were stored) as the model's English label; a level this page does not know shows as
    stored rather than not at all."""
    return compared.get(level_code(stored), stored)


def weight_shown(weight: float, language: str) -> str:
    """A match weight with its sign, in the reader's number format: "+6.5", "-3,2"."""
    return format_decimal(weight, format="+#,##0.0;-#,##0.0", locale=babel_locale(language))


def probability_shown(probability: float, language: str) -> str:
    return format_percent(probability, format="#,##0.0%", locale=babel_locale(language))


def attendances_of(persons: Iterable[Person]) -> dict[int, list[Attendance]]:
    """Each person's roster rows with their activities, newest first (one query)."""
    ids = [person.pk for person in persons]
    rows = (
        Attendance.objects.filter(person_id__in=ids)
        .select_related("activity__municipality__majority_community")
        .order_by("-activity__start_date", "pk")
    )
    by_person: dict[int, list[Attendance]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    return by_person


def persons_for_page(ids: Iterable[int]) -> list[Person]:
    """Records with what the record card shows, in id order (one query)."""
    return list(
        Person.objects.filter(pk__in=list(ids)).select_related(*PERSON_RELATED).order_by("pk")
    )


def review_pair_for_page(pk: int) -> ReviewPair:
    """One pair with both records and what they link to (raises ``DoesNotExist``)."""
    return ReviewPair.objects.select_related(
        *(f"person_a__{name}" for name in PERSON_RELATED),
        *(f"person_b__{name}" for name in PERSON_RELATED),
        "decided_by",
    ).get(pk=pk)


# --- Merge history ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MergeRow:
    merge: PersonMerge
    merged: list[Person]


def merge_history() -> QuerySet[PersonMerge]:
    return PersonMerge.objects.select_related("survivor", "actor", "undone_by").order_by(
        "-at", "-pk"
    )


def merge_rows(merges: Iterable[PersonMerge]) -> list[MergeRow]:
    """A page of merges with the records each merged (one query for all of them)."""
    merges = list(merges)
    ids = {pk for merge in merges for pk in merge.merged}
    persons = Person.objects.in_bulk(ids)
    return [
        MergeRow(merge, [persons[pk] for pk in merge.merged if pk in persons]) for merge in merges
    ]
