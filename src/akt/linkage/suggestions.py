"""Suggesting, before a new person is saved, the registered person they most likely are.

The registry is prepared once per process for the linkage model (:class:`RegistryIndex`) and
prepared again only when person records change; each new row is then scored against its
candidates alone. What is suggested is filtered through the viewer's scope: a focal point is
never told of a person they may not see.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Max

from akt.accounts.scope import Scope
from akt.linkage import pipeline
from akt.linkage.batch import registry_records
from akt.people.models import Person

_lock = threading.Lock()
_index: tuple[tuple[Any, ...], pipeline.RegistryIndex] | None = None


@dataclass(frozen=True)
class Suggestion:
    person: Person
    probability: float

    @property
    def percent(self) -> int:
        return round(100 * self.probability)


def _registry_index() -> pipeline.RegistryIndex | None:
    """The prepared registry, rebuilt when a person record was added, changed or resolved."""
    global _index
    state = Person.objects.aggregate(count=Count("pk"), changed=Max("updated_at"))
    key = (state["count"], state["changed"])
    if not state["count"]:
        return None
    if _index is None or _index[0] != key:
        identities = dict(Person.objects.values_list("pk", "identity_id"))
        records = [
            {**row, "person_id": str(identities[int(row["record_id"])] or row["record_id"])}
            for row in registry_records()
        ]
        _index = (key, pipeline.RegistryIndex(records, threads=1))
    return _index[1]


def registry_candidates(
    rows: list[dict[str, str]], limit: int = 3
) -> list[list[tuple[int, float]]]:
    """For each new row (the pipeline's standard columns, no ``record_id`` needed), the
    registered persons it may be as ``(person id, match probability)``, most likely first.

    Not filtered by scope: callers show only the persons their viewer may see.
    """
    if not rows:
        return []
    records = [
        {"activity_id": "", **row, "record_id": f"new-{index}"} for index, row in enumerate(rows)
    ]
    with _lock:
        index = _registry_index()
        if index is None:
            return [[] for _row in rows]
        found = pipeline.match_records(records, index, limit=limit)
    return [
        [(int(item.person_id), item.match_probability) for item in suggestion.candidates]
        for suggestion in found
    ]


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
