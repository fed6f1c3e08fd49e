"""Writes of identity resolution: merging person records, splitting them, deciding review pairs.

Only M&E officers and administrators resolve identities (their scope covers every record and
every person); each function checks that, owns its transaction and writes the audit entry.

The rules a merge keeps:

- ``Person.identity`` always points to a canonical person (one with no identity of its own), so
  a record resolves in one hop and indicator queries can use ``Coalesce(identity, id)``.
- The survivor keeps its ``uid``; by default it is the oldest canonical person (lowest id), so
  the identifiers reports already cite stay the ones that count.
- Two records on the same activity's roster are different people: a merge that would make them
  one is refused, naming them.
- A merge records each moved record's previous identity, so a split restores it exactly; a split
  is refused while a later merge builds on it.
- A merge or split whose records attended activities of an approved reporting quarter changes
  that quarter's figures (who counts once, in which community): like any other change to an
  approved quarter it needs a reason, and its audit entry names the quarters, so the quarter's
  page lists it among the changes since approval.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.periods import approved_period_on
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.activities.models import Attendance
from akt.counting.engine import fiscal_quarter_of
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair, ReviewStatus
from akt.people.models import Person


class Decision:
    LINK = "link"
    KEEP_APART = "keep_apart"


def may_resolve_identities(user: object) -> bool:
    """Whether ``user`` may merge, split and review persons: M&E officers and administrators."""
    return Scope.for_user(user).may_resolve_identities


def require_identity_resolver(actor: User) -> None:
    if not may_resolve_identities(actor):
        raise PermissionDenied


def default_survivor(persons: Iterable[Person]) -> Person:
    """The person that keeps its identifier: the oldest canonical one (lowest id)."""
    return min(persons, key=lambda person: person.resolved_id)


def _person_label(person: Person) -> str:
    return _("%(name)s (record %(id)s)") % {"name": person.full_name, "id": person.pk}


def _refuse_shared_rosters(cluster_of: Mapping[int, int], persons: Mapping[int, Person]) -> None:
    """Raises when two records of different clusters to be joined sit on one activity's roster.

    ``cluster_of`` maps each record id to the canonical id it belongs to before the merge.
    """
    rows = (
        Attendance.objects.filter(person_id__in=list(cluster_of))
        .order_by("activity__start_date", "activity_id", "person_id")
        .values_list("activity_id", "activity__title", "person_id")
    )
    on_roster: dict[int, dict[int, int]] = defaultdict(dict)  # activity -> cluster -> record
    titles: dict[int, str] = {}
    for activity_id, title, person_id in rows:
        titles[activity_id] = title
        clusters = on_roster[activity_id]
        clusters.setdefault(cluster_of[person_id], person_id)
        if len(clusters) > 1:
            first, second = list(clusters.values())[:2]
            raise ValidationError(
                _(
                    "%(first)s and %(second)s are both on the roster of “%(activity)s”; two "
                    "rows on one roster are different people, so they cannot be merged."
                )
                % {
                    "first": _person_label(persons[first]),
                    "second": _person_label(persons[second]),
                    "activity": titles[activity_id],
                },
                code="same_roster",
            )


def approved_quarters_touched(person_ids: Iterable[int]) -> list[Any]:
    """The approved reporting quarters whose figures count any of these records: those their
    attendances count on (an attendance counts on its activity's start, ``Attendance.counts_on``;
    a voided activity counts nowhere), oldest first."""
    days = (
        Attendance.objects.filter(person_id__in=list(person_ids), activity__voided_at__isnull=True)
        .values_list("activity__start_date", flat=True)
        .distinct()
    )
    first_day_of: dict[tuple[int, int], Any] = {}
    for day in days:
        first_day_of.setdefault(fiscal_quarter_of(day), day)
    periods = [approved_period_on(day) for _quarter, day in sorted(first_day_of.items())]
    return [period for period in periods if period is not None]


def _require_reason_for_approved(person_ids: Iterable[int], reason: str) -> list[str]:
    """Refuses a change of these records' identities without a reason when it changes an
    approved quarter's figures; returns the keys of the quarters it touches, for the audit."""
    touched = approved_quarters_touched(person_ids)
    if touched and not reason.strip():
        raise ValidationError(
            {
                "reason": _(
                    "These records attended activities of %(period)s, which is approved: say why "
                    "they are one person or not. The reason is kept in the audit log and the "
                    "difference from the approved figures is shown."
                )
                % {"period": ", ".join(str(period.label) for period in touched)}
            },
            code="approved-period",
        )
    return [period.key for period in touched]


@transaction.atomic
def person_merge(
    *,
    actor: User | None,
    survivor: Person,
    others: Sequence[Person],
    reason: str,
    source: str = MergeSource.MANUAL,
    probability: float | None = None,
) -> PersonMerge:
    """Resolves ``others`` to ``survivor``: they and every record resolved to them now point to it.

    Any record given stands for its canonical person, so merging into a record that is itself
    resolved merges into that record's person. Refuses (``ValidationError``) when nothing would
    change or when two of the records to be joined share an activity's roster.

    ``actor`` None is the system's own batch run with nobody signed in (the demo data's
    linkage); it is accepted for batch merges only and recorded without a person.
    """
    if actor is None:
        if source != MergeSource.BATCH:
            raise PermissionDenied
    else:
        require_identity_resolver(actor)
    if source not in MergeSource.values:
        raise ValueError(f"unknown merge source: {source!r}")
    given_ids = {survivor.pk, *(person.pk for person in others)}
    # Lock the given records and everything resolved with them, read current identities.
    given = Person.objects.select_for_update().filter(pk__in=given_ids)
    canonical_of = {person.pk: person.resolved_id for person in given}
    if len(canonical_of) != len(given_ids):
        raise Person.DoesNotExist
    target_id = canonical_of[survivor.pk]
    joined_ids = set(canonical_of.values()) - {target_id}
    if not joined_ids:
        raise ValidationError(
            _("These records are already resolved to the same person."), code="nothing_to_merge"
        )
    cluster = {
        person.pk: person
        for person in Person.objects.select_for_update().filter(
            Q(pk__in=joined_ids | {target_id}) | Q(identity_id__in=joined_ids | {target_id})
        )
    }
    cluster_of = {pk: person.resolved_id for pk, person in cluster.items()}
    _refuse_shared_rosters(cluster_of, cluster)
    approved_periods = _require_reason_for_approved(cluster, reason)

    moved = sorted(pk for pk, canonical in cluster_of.items() if canonical in joined_ids)
    previous = {str(pk): cluster[pk].identity_id for pk in moved}
    target = cluster[target_id]
    merge = PersonMerge(
        survivor=target,
        merged=moved,
        previous_identities=previous,
        actor=actor,
        reason=reason,
        source=source,
        probability=probability,
    )
    merge.full_clean()
    merge.save()
    Person.objects.filter(pk__in=moved).update(identity_id=target_id, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="person_merge",
        target=merge,
        summary=_("%(names)s merged into %(survivor)s")
        % {
            "names": ", ".join(cluster[pk].full_name for pk in moved),
            "survivor": _person_label(target),
        },
        changes={
            "survivor": [target.pk, str(target.uid)],
            "merged": {str(pk): str(cluster[pk].uid) for pk in moved},
            "previous_identities": previous,
            "source": source,
            "probability": probability,
            **({"approved_periods": approved_periods} if approved_periods else {}),
        },
        reason=reason,
    )
    return merge


def _later_dependents(merge: PersonMerge) -> list[PersonMerge]:
    """Merges in force, made after ``merge``, that moved its survivor or its merged records."""
    involved = {merge.survivor_id, *merge.merged}
    later = PersonMerge.objects.active().filter(
        Q(at__gt=merge.at) | Q(at=merge.at, pk__gt=merge.pk)
    )
    return [other for other in later.order_by("at", "pk") if involved & set(other.merged)]


@transaction.atomic
def person_split(*, actor: User, merge: PersonMerge, reason: str) -> PersonMerge:
    """Undoes ``merge`` exactly: each record it moved gets back the identity it had before.

    Refuses (``ValidationError``) a merge already split, one a later merge builds on (naming
    it: split that first), and one whose records were moved since by other means. Pairs that a
    review decision linked through this merge become "different people", decided by whoever
    split it: the last human word is the label kept.
    """
    require_identity_resolver(actor)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these records are different people.")})
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.is_undone:
        raise ValidationError(_("This merge was already split."), code="already_split")
    dependents = _later_dependents(merge)
    if dependents:
        later = dependents[0]
        raise ValidationError(
            _("A later merge (number %(number)s, of %(date)s) builds on this one; split it first.")
            % {"number": later.pk, "date": timezone.localtime(later.at).strftime("%Y-%m-%d %H:%M")},
            code="later_merge",
        )
    moved = list(Person.objects.select_for_update().filter(pk__in=merge.merged).order_by("pk"))
    if len(moved) != len(merge.merged) or any(
        person.identity_id != merge.survivor_id for person in moved
    ):
        raise ValidationError(
            _("The records of this merge were resolved differently since; it cannot be split."),
            code="moved_since",
        )
    resolved = Person.objects.filter(
        Q(pk=merge.survivor_id) | Q(identity_id=merge.survivor_id)
    ).values_list("pk", flat=True)
    approved_periods = _require_reason_for_approved({*merge.merged, *resolved}, reason)
    now = timezone.now()
    by_previous: dict[int | None, list[int]] = defaultdict(list)
    for person in moved:
        by_previous[merge.previous_identities[str(person.pk)]].append(person.pk)
    for previous, ids in by_previous.items():
        Person.objects.filter(pk__in=ids).update(identity_id=previous, updated_at=now)

    merge.undone_at = now
    merge.undone_by = actor
    merge.undo_reason = reason
    merge.save(update_fields=["undone_at", "undone_by", "undo_reason"])
    relabelled = list(
        ReviewPair.objects.filter(merge=merge, status=ReviewStatus.LINKED).values_list(
            "pk", flat=True
        )
    )
    ReviewPair.objects.filter(pk__in=relabelled).update(
        status=ReviewStatus.KEPT_APART, decided_by=actor, decided_at=now, reason=reason
    )
    audit_record(
        actor=actor,
        action="person_split",
        target=merge,
        summary=_("%(names)s split from %(survivor)s")
        % {
            "names": ", ".join(person.full_name for person in moved),
            "survivor": _person_label(merge.survivor),
        },
        changes={
            "survivor": merge.survivor_id,
            "restored_identities": merge.previous_identities,
            "review_pairs_relabelled": relabelled,
            **({"approved_periods": approved_periods} if approved_periods else {}),
        },
        reason=reason,
    )
    return merge


@transaction.atomic
def review_pair_propose(
    *,
    a: Person,
    b: Person,
    probability: float,
    match_weight: float,
    evidence: list[dict[str, Any]] | dict[str, Any],
    model_version: str,
) -> ReviewPair:
    """Puts a pair of records in the review queue, once.

    Idempotent: proposing a pair again refreshes a pending pair's score and evidence with the
    newer model's, and leaves a decided pair exactly as it was (a decision is never asked
    again). Called by the linkage pipeline rather than a person, so it writes no audit entry;
    the decision does.
    """
    if a.pk == b.pk:
        raise ValueError("a pair needs two different records")
    first, second = sorted((a, b), key=lambda person: person.pk)
    scores = {
        "probability": probability,
        "match_weight": match_weight,
        "evidence": evidence,
        "model_version": model_version,
    }
    pair = ReviewPair.objects.select_for_update().filter(person_a=first, person_b=second).first()
    if pair is None:
        pair = ReviewPair(person_a=first, person_b=second, **scores)
        pair.full_clean()
        pair.save()
    elif pair.is_pending:
        for name, value in scores.items():
            setattr(pair, name, value)
        pair.full_clean()
        pair.save(update_fields=list(scores))
    return pair


@transaction.atomic
def review_decide(*, actor: User, pair: ReviewPair, decision: str, reason: str = "") -> ReviewPair:
    """Answers a pair under review: ``"link"`` merges the two persons, ``"keep_apart"`` does not.

    Either answer becomes a labelled pair (``selectors.labelled_pairs``). A pair already decided
    is refused, as is a link the merge rules refuse (the pair then stays pending).
    """
    require_identity_resolver(actor)
    if decision not in (Decision.LINK, Decision.KEEP_APART):
        raise ValueError(f"unknown decision: {decision!r}")
    pair = (
        ReviewPair.objects.select_for_update()
        .select_related("person_a", "person_b")
        .get(pk=pair.pk)
    )
    if not pair.is_pending:
        raise ValidationError(
            _("This pair was already decided: %(status)s.") % {"status": pair.get_status_display()},
            code="already_decided",
        )
    if decision == Decision.LINK:
        a, b = pair.person_a, pair.person_b
        if a.resolved_id != b.resolved_id:
            survivor = default_survivor([a, b])
            other = b if survivor is a else a
            pair.merge = person_merge(
                actor=actor,
                survivor=survivor,
                others=[other],
                reason=reason,
                source=MergeSource.REVIEW,
                probability=pair.probability,
            )
        pair.status = ReviewStatus.LINKED
    else:
        pair.status = ReviewStatus.KEPT_APART
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.reason = reason
    pair.full_clean()
    pair.save(update_fields=["status", "decided_by", "decided_at", "reason", "merge"])
    audit_record(
        actor=actor,
        action="review_decide",
        target=pair,
        summary=_("%(first)s and %(second)s: %(status)s")
        % {
            "first": _person_label(pair.person_a),
            "second": _person_label(pair.person_b),
            "status": pair.get_status_display(),
        },
        changes={
            "decision": decision,
            "probability": pair.probability,
            "merge": pair.merge_id,
        },
        reason=reason,
    )
    return pair


def linkage_model_retrain(
    *,
    actor: User,
    directory: str | os.PathLike[str],
    model: dict[str, Any] | None = None,
    min_per_class: int | None = None,
) -> tuple[Any, Path | None]:
    """Re-estimate the linkage model's m and u from the review decisions and save it.

    The labels are :func:`akt.linkage.selectors.labelled_pairs`, each pair's two records read as
    the registry holds them now. With enough labels of a kind (see :mod:`akt.linkage.retrain`)
    the model is re-estimated and written to ``directory`` as a new version, and the run is
    audited; without, nothing is written and the returned path is None. The model in use does
    not change: adopting the new version is an administrator's decision (``AKT_LINKAGE_MODEL``).
    Only M&E officers and administrators may do this.
    """
    from akt.linkage import pipeline, retrain
    from akt.linkage.accuracy import MIN_LABELS_PER_CLASS
    from akt.linkage.selectors import labelled_pairs

    require_identity_resolver(actor)
    labels = labelled_pairs()
    uids = {uid for a, b, _match in labels for uid in (a, b)}
    rows = Person.objects.filter(uid__in=uids).values_list(
        "uid", "given_name", "family_name", "birth_date", "birth_year", "sex", "municipality__code"
    )
    records = {
        uid: {
            "given_name": given,
            "family_name": family,
            "birth_date": born.isoformat() if born else (str(year) if year else ""),
            "sex": sex or "",
            "municipality": municipality or "",
            "activity_id": "",
        }
        for uid, given, family, born, year, sex, municipality in rows
    }
    labelled = [(records[a], records[b], match) for a, b, match in labels]
    result = retrain.reestimate(
        model or pipeline.load_model(),
        labelled,
        min_per_class=MIN_LABELS_PER_CLASS if min_per_class is None else min_per_class,
    )
    if not result.changed:
        return result, None
    with transaction.atomic():
        path = retrain.save_version(result.model, directory)
        audit_record(
            actor=actor,
            action="linkage_model_retrain",
            target=actor,
            summary=_("Linkage model re-estimated from %(count)s review decisions")
            % {"count": result.matches + result.non_matches},
            changes={
                "file": str(path),
                "version": result.model.get("version"),
                "parent": result.model.get("parent"),
                "matches": result.matches,
                "non_matches": result.non_matches,
                "m_updated": result.m_updated,
                "u_updated": result.u_updated,
            },
        )
    return result, path
