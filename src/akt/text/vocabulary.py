"""The words sheets use for a closed list of values, read as data, and the closest ones to a
word that is not among them.

Clerks write a person's community as "Shqiptar", "shqiptarja", "Albanac", "Албанац" or
"albanian", and the same for sex, role, affiliation and age band (issue 10, item 2). Each list
of words is a reviewed table, one YAML file per vocabulary in ``akt/text/data/vocabularies/``:
a value's code, then its words by language. Words are compared by :func:`word_key` (script,
case, diacritics and punctuation do not matter), so a table lists each word once, in Latin with
its diacritics, and reads Serbian Cyrillic through transliteration.

Two rules keep the tables honest:

- no word names two codes: :func:`vocabulary_keys` refuses such a table with
  :class:`VocabularyConflict`, because a guessed community or sex would bias every figure
  split by it;
- a word not in the table is refused, never guessed; :func:`closest` lists the accepted words
  nearest to it (by edit distance after folding), for the message that tells the clerk what to
  write instead.

Pure Python (no Django): :func:`akt.text.names.normalize_sex` reads the sex table, and the
standalone ``akt link`` tool uses that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from types import MappingProxyType

from akt.text.names import fold
from akt.text.tables import VOCABULARIES, VocabularyConflict, vocabulary_words

__all__ = [
    "VOCABULARIES",
    "VocabularyConflict",
    "closest",
    "edit_distance",
    "vocabulary_keys",
    "vocabulary_words",
    "word_key",
]

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def word_key(text: str) -> str:
    """A word as the tables compare it: folded (:func:`akt.text.names.fold`), then only ASCII
    letters and digits, single spaces. "Shqiptarë", "SHQIPTARE" and "shqiptare." give one key;
    "Србин" and "Srbin" too; "15–29" is "15 29" and "30+" is "30". The same key as
    :func:`akt.intake.fields.header_key` gives a header.
    """
    return " ".join(_NOT_WORD.sub(" ", fold(text or "")).split())


def keyed(pairs: Iterable[tuple[str, str]], *, name: str = "vocabulary") -> dict[str, str]:
    """``{word_key(word): code}`` for (word, code) pairs; :class:`VocabularyConflict` when one
    key would name two codes."""
    keys: dict[str, str] = {}
    for word, code in pairs:
        key = word_key(word)
        if not key:
            continue
        if keys.setdefault(key, code) != code:
            raise VocabularyConflict(
                f"{name}: {word!r} names both {keys[key]!r} and {code!r}; leave it out"
            )
    return keys


@cache
def vocabulary_keys(name: str) -> Mapping[str, str]:
    """Key -> code for every word of the table ``name`` (and for each code itself)."""
    words = vocabulary_words(name)
    pairs = [(code, code) for code in words]
    pairs += [(word, code) for code, spelled in words.items() for word in spelled]
    return MappingProxyType(keyed(pairs, name=f"{name}.yaml"))


def edit_distance(a: str, b: str, limit: int | None = None) -> int:
    """The fewest single-letter insertions, deletions, substitutions and swaps of two adjacent
    letters that turn ``a`` into ``b`` (the optimal string alignment distance).

    A dropped, doubled or swapped letter costs 1. With ``limit``, any distance above it is
    reported as ``limit + 1``, and only the band of the table within ``limit`` of the diagonal
    is worked out (the gazetteer compares every refused name with a thousand names).
    """
    if a == b:
        return 0
    if limit is None:
        limit = len(a) + len(b)
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    far = limit + 1
    width = len(b)
    two_back: list[int] = []
    previous = [j if j <= limit else far for j in range(width + 1)]
    for i in range(1, len(a) + 1):
        char = a[i - 1]
        low, high = max(1, i - limit), min(width, i + limit)
        current = [far] * (width + 1)
        current[0] = i if i <= limit else far
        best = current[0]
        for j in range(low, high + 1):
            other = b[j - 1]
            cost = previous[j - 1] + (char != other)
            if previous[j] + 1 < cost:
                cost = previous[j] + 1
            if current[j - 1] + 1 < cost:
                cost = current[j - 1] + 1
            if i > 1 and j > 1 and char == b[j - 2] and a[i - 2] == other and char != other:
                if two_back[j - 2] + 1 < cost:
                    cost = two_back[j - 2] + 1
            current[j] = cost if cost < far else far
            if cost < best:
                best = cost
        if best > limit:
            return far
        two_back, previous = previous, current
    return previous[width] if previous[width] <= limit else far


def typo_limit(key: str) -> int:
    """How many letters may be wrong in a word of this length for it still to be a typo of
    another: 1 up to five letters, 2 up to ten, 3 beyond."""
    length = len(key.replace(" ", ""))
    return 1 if length <= 5 else 2 if length <= 10 else 3


def closest(
    key: str, keys: Iterable[str], *, limit: int | None = None, count: int = 3
) -> list[str]:
    """The ``keys`` nearest ``key`` by :func:`edit_distance`, within ``limit`` (by default
    :func:`typo_limit`), nearest first, then alphabetically; at most ``count``."""
    limit = typo_limit(key) if limit is None else limit
    if not key:
        return []
    scored = []
    for other in keys:
        distance = edit_distance(key, other, limit)
        if distance <= limit:
            scored.append((distance, other))
    return [other for _distance, other in sorted(scored)[:count]]
