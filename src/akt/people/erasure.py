"""Erasing a person at their request (Law 06/L-082 on personal data, the right to erasure).

What an erasure promises:

- **Nobody can tell who the person was.** Every record resolved to them (the canonical one and
  the records merged into it) loses its names (replaced by a neutral placeholder unique to the
  record, so that erased records never look alike to identity resolution) and its day and month
  of birth. The audit history about them (their records and their roster rows) has their names
  and birth date replaced wherever they appear: summaries, old and new values, reasons. The apps
  above that hold copies (the checked rows of an import, the reasons of a merge) scrub theirs
  through the steps registered with :func:`register_erasure_step`.
- **No figure changes**, approved or live. What the counts need stays: sex, community (with its
  consent), municipality, affiliation, organization, and the roster rows themselves. The birth
  date becomes the birth year when the year alone gives the same age on every day the person
  counts on (their activities' first days, :func:`akt.counting.engine.age_on` assuming 1 July);
  otherwise the earliest day of that year that does.
- **The erasure is itself audited**, with its reason, and names nobody.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from akt.accounts.models import AuditEntry
from akt.counting.engine import age_on

ERASED_NAME = "[erased]"
"""What a name becomes: in the given name of an erased record, and wherever the audit history or
a copy held one."""

PERSON_TYPE = "people.person"
ATTENDANCE_TYPE = "activities.attendance"


@dataclass(frozen=True)
class Erasure:
    """One person's erasure, as the steps see it: which rows are theirs and what to replace."""

    person_ids: frozenset[int]
    attendance_ids: frozenset[int]
    names: tuple[str, ...]
    """Every name and name part the person's records held, longest first."""
    birth_dates: tuple[date, ...]
    """Every full birth date their records held."""

    def scrub(self, value: Any) -> Any:
        """``value`` (text, or JSON: lists and mappings of text) with every name of the person
        and every writing of their birth date replaced."""
        if isinstance(value, str):
            return self._scrub_text(value)
        if isinstance(value, list):
            return [self.scrub(item) for item in value]
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        return value

    def _scrub_text(self, text: str) -> str:
        for born in self.birth_dates:
            for written in _writings(born):
                text = text.replace(written, "")
        if self.names:
            pattern = r"(?<!\w)(?:" + "|".join(re.escape(name) for name in self.names) + r")(?!\w)"
            text = re.sub(pattern, ERASED_NAME, text, flags=re.IGNORECASE)
        return text


def _writings(born: date) -> tuple[str, ...]:
    """A birth date as the program stores it and as sheets and pages in the region write it."""
    return (
        born.isoformat(),
        f"{born.day:02d}.{born.month:02d}.{born.year}",
        f"{born.day}.{born.month}.{born.year}",
        f"{born.day:02d}/{born.month:02d}/{born.year}",
        f"{born.day}/{born.month}/{born.year}",
    )


ErasureStep = Callable[[Erasure], None]

_STEPS: list[ErasureStep] = []


def register_erasure_step(step: ErasureStep) -> None:
    """Adds what an app above persons scrubs when a person is erased (copies of their names it
    keeps). Runs inside the erasure's transaction; registering twice is harmless."""
    if step not in _STEPS:
        _STEPS.append(step)


def erasure_steps() -> tuple[ErasureStep, ...]:
    return tuple(_STEPS)


def name_parts(*names: str) -> tuple[str, ...]:
    """The names and each word of them, longest first (so a full name is replaced whole)."""
    parts = {name.strip() for name in names if name.strip()}
    parts |= {word for name in names for word in name.split() if len(word) > 1}
    return tuple(sorted(parts, key=lambda part: (-len(part), part)))


def coarsened_birth(
    *, birth_date: date | None, birth_year: int | None, counted_on: Iterable[date]
) -> tuple[date | None, int | None]:
    """The least precise birth (date, year) that gives the same age on every day in
    ``counted_on`` as the record's own: the year alone when it does, else the earliest day of
    the birth year that does (never later than the real one, which always does)."""
    if birth_date is None:
        return None, birth_year
    days = sorted(set(counted_on))
    ages = [age_on(day, birth_date=birth_date) for day in days]
    year = birth_date.year
    if [age_on(day, birth_year=year) for day in days] == ages:
        return None, year
    candidate = date(year, 1, 1)
    while candidate < birth_date:
        if [age_on(day, birth_date=candidate) for day in days] == ages:
            return candidate, None
        candidate += timedelta(days=1)
    return birth_date, None


def scrub_audit(erasure: Erasure, target_type: str, target_ids: Iterable[int]) -> int:
    """Replaces the person's names and birth date in the audit entries about the given records;
    returns how many entries changed."""
    ids = [str(pk) for pk in target_ids]
    changed = 0
    entries = AuditEntry.objects.filter(target_type=target_type, target_id__in=ids).only(
        "summary", "changes", "reason"
    )
    for entry in entries.iterator(chunk_size=500):
        summary = erasure.scrub(entry.summary)
        changes = erasure.scrub(entry.changes)
        reason = erasure.scrub(entry.reason)
        if (summary, changes, reason) != (entry.summary, entry.changes, entry.reason):
            AuditEntry.objects.filter(pk=entry.pk).update(
                summary=summary, changes=changes, reason=reason
            )
            changed += 1
    return changed
