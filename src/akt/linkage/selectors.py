"""Reads of identity resolution: the review queue, a pair's records and evidence, merge history,
and the labelled pairs that measure the linkage model's accuracy.

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
from django.utils.translation import gettext as _

from akt.activities.models import Attendance
from akt.indicators.sentences import babel_locale
from akt.linkage.models import PersonMerge, ReviewPair, ReviewStatus
from akt.people.models import Person

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
        "birth_date": _("Birth date"),
        "birth_year": _("Birth year"),
        "dob": _("Birth date"),
        "sex": _("Sex"),
        "municipality": _("Municipality"),
        "community": _("Community"),
        "affiliation": _("Affiliation"),
        "organization": _("Organization"),
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
                level=str(detail.get("level", detail.get("label", ""))),
                weight=weight,
                weight_shown=shown,
                direction=direction,
            )
        )
    return rows


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
