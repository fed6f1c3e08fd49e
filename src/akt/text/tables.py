"""The vocabulary tables as data: ``akt/text/data/vocabularies/<name>.yaml``, read once.

Kept apart from :mod:`akt.text.vocabulary` (which compares words) so that
:mod:`akt.text.names` can read the sex table without importing what imports it. Pure Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

import yaml

__all__ = ["VOCABULARIES", "VocabularyConflict", "vocabulary_words"]

VOCABULARIES = ("community", "sex", "role", "affiliation", "age_band")
"""The tables shipped in ``akt/text/data/vocabularies/`` (``<name>.yaml``)."""


class VocabularyConflict(ValueError):
    """A table in which one word names two codes: the table is wrong, not the sheet."""


@cache
def vocabulary_words(name: str) -> Mapping[str, tuple[str, ...]]:
    """Code -> the words of that code, as written in the table ``name`` (every language)."""
    if name not in VOCABULARIES:
        raise KeyError(name)
    text = (
        resources.files("akt.text")
        .joinpath(f"data/vocabularies/{name}.yaml")
        .read_text(encoding="utf-8")
    )
    table = yaml.safe_load(text)
    words: dict[str, tuple[str, ...]] = {}
    for code, by_language in table.items():
        if not isinstance(by_language, dict):
            raise VocabularyConflict(f"{name}.yaml: {code!r} must list its words by language")
        words[str(code)] = tuple(
            str(word) for language_words in by_language.values() for word in language_words
        )
    return MappingProxyType(words)
