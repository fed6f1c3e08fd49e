"""Whom a person about to be registered most likely is already: the question, below its answer.

A page that registers a person (the roster's "register someone new") asks, before saving, which
registered persons the details most likely belong to. The answer is identity resolution's
(:mod:`akt.linkage.suggestions`), which sits above the record apps; it registers itself here
when the app starts (``LinkageConfig.ready``), so the pages ask without importing it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from akt.accounts.scope import Scope
from akt.people.models import Person


@dataclass(frozen=True)
class Suggestion:
    """A registered person the new details may belong to, with the match probability."""

    person: Person
    probability: float

    @property
    def percent(self) -> int:
        return round(100 * self.probability)


Finder = Callable[..., list[Suggestion]]
_finder: Finder | None = None


def register_finder(finder: Finder) -> None:
    """Identity resolution's answer: ``finder(person_data=..., scope=..., limit=...)``."""
    global _finder
    _finder = finder


def likely_persons(
    *, person_data: dict[str, Any], scope: Scope, limit: int = 3
) -> list[Suggestion]:
    """The registered persons (visible to ``scope``) the details most likely belong to, most
    likely first; none when no identity resolution is installed."""
    if _finder is None:
        return []
    return _finder(person_data=person_data, scope=scope, limit=limit)
