"""Suggesting, before a new person is saved, the registered person they most likely are.

The registry is prepared once per process for the linkage model (:class:`RegistryIndex`) and
prepared again only when person records change; persons added since (the usual change: an
import registered new people) are prepared alone and appended, so a folder of rosters does not
prepare the whole registry again for every file. The registry's rosters, read as context, are
kept the same way (:func:`registry_context`). Each new row is then scored against its
candidates alone. The model's probability is combined with the context evidence of
:mod:`akt.linkage.context` (the program's return rate and the context a row shares with a
candidate: co-attendance, organization, series, setting), read from the registry's rosters.
What is suggested is filtered through the viewer's scope: a focal point is never told of a
person they may not see.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max

from akt.accounts.scope import Scope
from akt.linkage import context, pipeline
from akt.linkage.batch import REGISTRY_LOWER, registry_records
from akt.people.likely import Suggestion
from akt.people.models import Person

_lock = threading.Lock()


@dataclass
class _Cache:
    """The prepared registry and its context, with what they were built from."""

    key: tuple[Any, ...] = ()
    people: list[str] | None = None
    last_pk: int = 0
    changed: Any = None
    index: pipeline.RegistryIndex | None = None
    context: context.RegistryContext | None = None


_cache = _Cache()

CANDIDATES_SCORED = 6
"""Candidates scored per row before the context evidence re-ranks them (then cut to the limit)."""


@dataclass(frozen=True)
class Match:
    """A registered person a new row may be, with the model's evidence and the context's."""

    person: int
    probability: float
    match_weight: float
    model_probability: float
    context: str | None
    context_bits: float
    prior_bits: float
    evidence: tuple[dict[str, Any], ...]
    commonness_bits: float = 0.0


@dataclass(frozen=True)
class RowContext:
    """Where a new row is written: the activity, the organization, the other rows' names."""

    activity: int
    organization: int | None = None
    companions: frozenset[str] = frozenset()
    own: str = ""
    birth_year: int | None = None


def _registry_index() -> pipeline.RegistryIndex | None:
    """The prepared registry, rebuilt when a person record was changed or resolved; persons
    only added since are prepared alone and appended (the cheap, common case)."""
    state = Person.objects.aggregate(count=Count("pk"), changed=Max("updated_at"), last=Max("pk"))
    key = (state["count"], state["changed"], state["last"])
    if not state["count"]:
        return None
    if _cache.index is not None and _cache.key == key:
        return _cache.index
    appendable = (
        _cache.people is not None
        and state["count"] == len(_cache.people) + _added_since(_cache.last_pk)
        and not Person.objects.filter(
            pk__lte=_cache.last_pk, updated_at__gt=_cache.changed
        ).exists()
    )
    if appendable and _cache.index is not None:
        added = registry_records(after=_cache.last_pk)
        identities = dict(
            Person.objects.filter(pk__gt=_cache.last_pk).values_list("pk", "identity_id")
        )
        fresh = _persons_of(added, identities)
        if added:
            _cache.index.extend(
                [{**row, "person_id": person} for row, person in zip(added, fresh, strict=True)]
            )
        people = _cache.people + fresh
    else:
        if _cache.index is not None:
            _cache.index.close()
        records = registry_records()
        people = _persons_of(records, dict(Person.objects.values_list("pk", "identity_id")))
        _cache.index = pipeline.RegistryIndex(
            [{**row, "person_id": person} for row, person in zip(records, people, strict=True)],
            threads=1,
        )
    _cache.people = people
    _cache.key, _cache.last_pk, _cache.changed = key, state["last"], state["changed"]
    return _cache.index


def _persons_of(records: list[dict[str, str]], identities: dict[int, int | None]) -> list[str]:
    """Each record's canonical person id, as the index keys candidates by."""
    return [str(identities[int(row["record_id"])] or row["record_id"]) for row in records]


def _added_since(last_pk: int) -> int:
    return Person.objects.filter(pk__gt=last_pk).count()


def registry_context() -> context.RegistryContext:
    """The registry's rosters as context, kept while the registry is unchanged (four aggregate
    queries tell: :func:`~akt.linkage.context.registry_state`).

    When rows were only added since (the usual change: an import committed attendances and
    registered new people, here or in another process), the kept context reads those alone
    (:meth:`~akt.linkage.context.RegistryContext.extend`); anything else reads the registry
    again. Either way the model is then estimated from the earlier one, as
    :meth:`~akt.linkage.context.RegistryContext.model` says. Called with :data:`_lock` held:
    the kept context is extended in place.
    """
    state = context.registry_state()
    kept = _cache.context
    if kept is not None and kept.state == state:
        return kept
    earlier = kept.model() if kept is not None else None
    if kept is None or not kept.extend(state):
        kept = _cache.context = context.RegistryContext()
    kept.model(earlier)
    return kept


def _scored_matches(
    rows: Sequence[dict[str, str]],
    index: pipeline.RegistryIndex,
    contexts: Sequence[RowContext | None] | None,
    limit: int,
) -> list[list[Match]]:
    lower = REGISTRY_LOWER
    registry = registry_context() if contexts is not None else None
    model = registry.model() if registry is not None else context.NO_CONTEXT
    prior_bits = model.prior_bits(index.splink["probability_two_random_records_match"])
    reach = prior_bits + context.MAX_CONTEXT_BITS if registry is not None else 0.0
    # Score down to where the evidence added could still lift a pair to the lower threshold.
    scored_from = context.adjusted_probability(pipeline_weight(lower), -reach)
    records = [
        {"activity_id": "", **row, "record_id": f"new-{index_}"} for index_, row in enumerate(rows)
    ]
    found = pipeline.match_records(records, index, lower=scored_from, limit=CANDIDATES_SCORED)
    results: list[list[Match]] = []
    for position, suggestion in enumerate(found):
        where = contexts[position] if contexts is not None else None
        row_profile = (
            registry.row_profile(
                activity=where.activity,
                organization=where.organization,
                companions=where.companions,
            )
            if registry is not None and where is not None
            else None
        )
        matches = []
        for candidate in suggestion.candidates:
            person = int(candidate.person_id)
            level = (
                context.context_level(
                    row_profile,
                    registry.person_profile(person),
                    (where.own, registry.name_key.get(person, "")),
                )
                if row_profile is not None and registry is not None and where is not None
                else None
            )
            alike = (
                registry is not None
                and where is not None
                and context.applies(
                    where.birth_year, registry.birth_year.get(int(candidate.record_id))
                )
            )
            bits = model.bits(level) if alike else 0.0
            added = prior_bits if alike else 0.0
            against = (
                registry.name_commonness(
                    *registry.name_parts.get(int(candidate.record_id), ("", ""))
                )
                if registry is not None
                else 0.0
            )
            evidence = candidate.evidence
            total = context.registry_bits(
                alike=alike, context_bits=bits, prior_bits=added, commonness=against
            )
            probability = context.adjusted_probability(evidence.match_weight, total)
            if probability < lower:
                continue
            matches.append(
                Match(
                    person=person,
                    probability=probability,
                    match_weight=evidence.match_weight + total,
                    model_probability=evidence.match_probability,
                    context=level if alike else None,
                    context_bits=bits,
                    prior_bits=added,
                    evidence=_evidence(evidence, level if alike else None, bits, added, against),
                    commonness_bits=against,
                )
            )
        matches.sort(key=lambda match: (-match.probability, match.person))
        results.append(matches[:limit])
    return results


def pipeline_weight(probability: float) -> float:
    """The match weight (bits) of a probability."""
    probability = min(max(probability, 1e-12), 1 - 1e-12)
    return math.log2(probability / (1 - probability))


def _evidence(
    evidence: pipeline.PairEvidence,
    level: str | None,
    bits: float,
    prior_bits: float,
    commonness: float = 0.0,
) -> tuple[dict[str, Any], ...]:
    """The model's comparisons and the registry's terms, as the review queue stores them."""
    items = [
        {"field": item.comparison, "level": item.code, "weight": item.match_weight}
        for item in evidence.comparisons
    ]
    return tuple(items + context.evidence_rows(level, bits, prior_bits, commonness))


def registry_matches(
    rows: list[dict[str, str]],
    *,
    contexts: Sequence[RowContext | None] | None = None,
    limit: int = 3,
) -> list[list[Match]]:
    """For each new row (the pipeline's standard columns, no ``record_id`` needed), the
    registered persons it may be, most likely first, with the probability that combines the
    model with the context evidence (given ``contexts``, one per row: where it is written).

    Only candidates at or above :data:`~akt.linkage.batch.REGISTRY_LOWER` once the evidence is
    combined are returned: below it a row is a new person, without a question. Not filtered
    by scope: callers show only the persons their viewer may see.
    """
    if not rows:
        return []
    with _lock:
        index = _registry_index()
        if index is None:
            return [[] for _row in rows]
        return _scored_matches(rows, index, contexts, limit)


def warm_up() -> None:
    """Prepares what matching a sheet needs (the registry's index and context, the model's
    queries), which otherwise the first upload in a process waits seconds for: a server's worker
    process calls this in a thread as it starts (``deploy/gunicorn.conf.py``). One made-up row
    is matched, and nothing is written."""
    registry_matches(
        [{"given_name": "Arta", "family_name": "Krasniqi", "birth_date": "1980", "sex": "F"}],
        contexts=[RowContext(activity=0, own="")],
    )


def registry_candidates(
    rows: list[dict[str, str]], limit: int = 3
) -> list[list[tuple[int, float]]]:
    """For each new row, the registered persons it may be as ``(person id, match probability)``,
    most likely first (the model alone, without context; see :func:`registry_matches`)."""
    return [
        [(match.person, match.probability) for match in matches]
        for matches in registry_matches(rows, limit=limit)
    ]


def name_keys(rows: Iterable[tuple[str, str]]) -> list[str]:
    """The sound-key name key of each (given, family): what co-attendance compares."""
    from akt.text.names import sorted_name_key

    return [sorted_name_key(given or "", family or "") for given, family in rows]


def existing_person_suggestions(
    *, person_data: dict[str, Any], scope: Scope, limit: int = 3
) -> list[Suggestion]:
    """The registered persons a new person's details most likely belong to, most likely first."""
    born: date | None = person_data.get("birth_date")
    year = person_data.get("birth_year")
    municipality = person_data.get("municipality")
    row = {
        "record_id": "new",
        "given_name": person_data.get("given_name") or "",
        "family_name": person_data.get("family_name") or "",
        "birth_date": born.isoformat() if born else (str(year) if year else ""),
        "sex": person_data.get("sex") or "",
        "municipality": municipality.code if municipality else "",
        "activity_id": "",
    }
    with _lock:
        index = _registry_index()
        if index is None:
            return []
        found = pipeline.match_records([row], index, limit=limit)[0]
    probability = {int(item.person_id): item.match_probability for item in found.candidates}
    visible = scope.persons(Person.objects.filter(pk__in=probability)).select_related(
        "municipality__majority_community"
    )
    return sorted(
        (Suggestion(person, probability[person.pk]) for person in visible),
        key=lambda item: -item.probability,
    )
