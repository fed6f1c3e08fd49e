"""Pending pairs as clusters: one question per group of records that may all be one person.

The review queue holds pairs, but a returning attendee registered three times makes three
pairs, and answering them one by one is three clicks for one decision. A cluster is a connected
component of the pending pairs over the persons their records resolve to now; an officer links
or keeps apart a whole cluster at once (:func:`review_cluster_decide`), with the same rules as
a single decision: a link merges every person of the cluster into the oldest one (refused, and
nothing changed, when two of them sit on one activity's roster), each pair becomes a labelled
pair, and the audit log keeps who, when and why.

Clusters come most consequential first: by how many reported figures the merge would move
(the number of persons indicators that count two or more of the cluster's persons over the life
of the project, each losing at least one person if they are linked), then by the strongest
pair. Those figures are the indicators app's to compute, and it sits above this one, so it
registers the function that weighs them (:func:`register_consequence`); without it (a process
with no indicators app) every cluster weighs nothing and the order is by probability.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.accounts.models import User
from akt.accounts.services import audit_record
from akt.linkage.models import MergeSource, ReviewPair, ReviewStatus
from akt.linkage.selectors import PERSON_RELATED
from akt.linkage.services import (
    Decision,
    default_survivor,
    person_merge,
    require_identity_resolver,
)
from akt.people.models import Person

Consequence = Callable[[Sequence[frozenset[int]]], list[int]]
"""Given clusters as sets of canonical person ids, how many figures merging each would move."""

_consequence: Consequence | None = None


def register_consequence(function: Consequence) -> None:
    """Set how a cluster's consequence is weighed (the indicators app does, when ready)."""
    global _consequence
    _consequence = function


@dataclass(frozen=True)
class Cluster:
    """Pending pairs joined through shared persons, and what linking them would move."""

    key: int  # the smallest pair id: how pages and forms name the cluster
    pairs: tuple[ReviewPair, ...]
    persons: tuple[int, ...]  # canonical ids, oldest first
    figures: int

    @property
    def strongest(self) -> float:
        return max(pair.probability for pair in self.pairs)

    @property
    def weakest(self) -> float:
        return min(pair.probability for pair in self.pairs)

    @property
    def records(self) -> list[Person]:
        """The records of the pairs, each once, in id order."""
        found = {pair.person_a.pk: pair.person_a for pair in self.pairs}
        found.update({pair.person_b.pk: pair.person_b for pair in self.pairs})
        return [found[pk] for pk in sorted(found)]


def _components(pairs: Sequence[ReviewPair]) -> list[list[ReviewPair]]:
    """Pairs grouped by the connected components of the canonical persons they join."""
    parent: dict[int, int] = {}

    def root(node: int) -> int:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for pair in pairs:
        a, b = root(pair.person_a.resolved_id), root(pair.person_b.resolved_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[ReviewPair]] = defaultdict(list)
    for pair in pairs:
        groups[root(pair.person_a.resolved_id)].append(pair)
    return list(groups.values())


def _clusters(pairs: Sequence[ReviewPair], *, weigh: bool = True) -> list[Cluster]:
    groups = _components(pairs)
    persons = [
        frozenset(
            person
            for pair in group
            for person in (pair.person_a.resolved_id, pair.person_b.resolved_id)
        )
        for group in groups
    ]
    figures = _consequence(persons) if weigh and _consequence is not None else [0] * len(persons)
    clusters = [
        Cluster(
            key=min(pair.pk for pair in group),
            pairs=tuple(sorted(group, key=lambda pair: (-pair.probability, pair.pk))),
            persons=tuple(sorted(members)),
            figures=moved,
        )
        for group, members, moved in zip(groups, persons, figures, strict=True)
    ]
    clusters.sort(key=lambda cluster: (-cluster.figures, -cluster.strongest, cluster.key))
    return clusters


def _pending() -> list[ReviewPair]:
    return list(
        ReviewPair.objects.pending()
        .select_related(
            *(f"person_a__{name}" for name in PERSON_RELATED),
            *(f"person_b__{name}" for name in PERSON_RELATED),
        )
        .order_by("pk")
    )


def review_clusters() -> list[Cluster]:
    """Every cluster of pending pairs, most consequential first (a fixed number of queries
    plus what weighing the figures reads)."""
    return _clusters(_pending())


def review_cluster(key: int) -> Cluster:
    """The cluster that holds pending pair ``key`` (raises ``ReviewPair.DoesNotExist``)."""
    pair = ReviewPair.objects.pending().select_related("person_a", "person_b").get(pk=key)
    for cluster in _clusters(_pending(), weigh=False):
        if any(member.pk == pair.pk for member in cluster.pairs):
            figures = _consequence([frozenset(cluster.persons)])[0] if _consequence else 0
            return Cluster(cluster.key, cluster.pairs, cluster.persons, figures)
    raise ReviewPair.DoesNotExist  # pragma: no cover - a pending pair is in some cluster


@transaction.atomic
def review_cluster_decide(
    *,
    actor: User,
    key: int,
    decision: str,
    pairs: Sequence[int],
    reason: str = "",
) -> Cluster:
    """Links or keeps apart every pair of a cluster at once, or changes nothing.

    ``pairs`` are the pair ids the officer saw: when the cluster holds others now (a batch run
    added a pair meanwhile) or lost some (decided by someone else), the decision is refused, so
    nobody decides a question they were not shown. A link merges all the cluster's persons into
    the oldest (one merge, source "review", at the weakest pair's probability); a merge the
    roster rule refuses raises and leaves every pair pending. Each pair is then decided as a
    single decision would decide it, with one audit entry for the cluster's decision besides the
    merge's own.
    """
    require_identity_resolver(actor)
    if decision not in (Decision.LINK, Decision.KEEP_APART):
        raise ValueError(f"unknown decision: {decision!r}")
    try:
        cluster = review_cluster(key)
    except ReviewPair.DoesNotExist:
        raise ValidationError(
            _("This group of pairs was already decided."), code="already_decided"
        ) from None
    shown = set(pairs)
    if {pair.pk for pair in cluster.pairs} != shown:
        raise ValidationError(
            _("This group of pairs changed since it was shown; look at it again."),
            code="cluster_changed",
        )
    locked = list(
        ReviewPair.objects.select_for_update()
        .filter(pk__in=shown, status=ReviewStatus.PENDING)
        .order_by("pk")
    )
    if len(locked) != len(shown):
        raise ValidationError(
            _("This group of pairs changed since it was shown; look at it again."),
            code="cluster_changed",
        )
    merge = None
    if decision == Decision.LINK:
        persons = list(Person.objects.filter(Q(pk__in=cluster.persons)).order_by("pk"))
        survivor = default_survivor(persons)
        others = [person for person in persons if person.pk != survivor.pk]
        if others:
            merge = person_merge(
                actor=actor,
                survivor=survivor,
                others=others,
                reason=reason,
                source=MergeSource.REVIEW,
                probability=cluster.weakest,
            )
    status = ReviewStatus.LINKED if decision == Decision.LINK else ReviewStatus.KEPT_APART
    now = timezone.now()
    for pair in locked:
        pair.status = status
        pair.decided_by = actor
        pair.decided_at = now
        pair.reason = reason
        pair.merge = merge
        pair.full_clean()
        pair.save(update_fields=["status", "decided_by", "decided_at", "reason", "merge"])
    audit_record(
        actor=actor,
        action="review_cluster_decide",
        target=locked[0],
        summary=ngettext(
            "%(count)s record: %(status)s", "%(count)s records: %(status)s", len(cluster.records)
        )
        % {"count": len(cluster.records), "status": ReviewStatus(status).label},
        changes={
            "decision": decision,
            "pairs": sorted(shown),
            "persons": list(cluster.persons),
            "merge": merge.pk if merge else None,
        },
        reason=reason,
    )
    return cluster
