"""Reading the values of a sheet's cells in any language: sex, community, role, affiliation, age
band, municipality and organization.

A cell may hold a code ("female", "serb"), a label in any interface language ("Femër",
"Srpska", "Српска"), a word as people write it ("Shqiptar", "shqiptarja", "Albanac", "Србин",
"Srpkinja", "pjesëmarrës", "mladi") or the label as the templates' drop-down lists offer it.
The words are reviewed tables, one per vocabulary (``akt/text/data/vocabularies/*.yaml``, read
by :mod:`akt.text.vocabulary`), merged here with the reference data's names and the interface
labels; a merge in which one word would name two values fails loudly rather than guess.
Values are compared case-, script- and diacritic-blind (:func:`akt.intake.fields.header_key`).

Anything not recognised is reported, never guessed: a guessed community or sex would bias the
disaggregated figures the program reports. The report says what was meant, where it can: a
refused value raises :class:`Refused` carrying the accepted values closest to it (a dropped,
doubled or swapped letter away), which the row's problem lists in the reader's language.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import translation

from akt.activities.models import AgeBand, AttendanceRole
from akt.intake.fields import header_key
from akt.people.models import Affiliation, Organization, Sex
from akt.places.gazetteer import gazetteer
from akt.places.models import Community, Municipality
from akt.text.names import normalize_sex
from akt.text.tables import VocabularyConflict, vocabulary_words
from akt.text.vocabulary import closest

__all__ = ["Refused", "Vocabulary", "Words"]


class Refused(ValueError):
    """A cell's value that is not in its vocabulary, with the closest accepted values: the
    words as a table spells them (vocabularies) or municipality codes (places)."""

    def __init__(self, text: str, closest: Iterable[str] = ()) -> None:
        super().__init__(text)
        self.closest = list(closest)


@dataclass(frozen=True)
class Words:
    """One vocabulary: comparison key -> value, and key -> the word as first written (for
    suggestions), built without conflicts."""

    values: Mapping[str, Any]
    spelled: Mapping[str, str]

    @classmethod
    def build(cls, name: str, pairs: Iterable[tuple[str, Any]]) -> Words:
        values: dict[str, Any] = {}
        spelled: dict[str, str] = {}
        for word, value in pairs:
            key = header_key(word)
            if not key:
                continue
            if values.setdefault(key, value) != value:
                raise VocabularyConflict(
                    f"{name}: {word!r} names both {values[key]!r} and {value!r}; leave it out"
                )
            spelled.setdefault(key, word)
        return cls(values, spelled)

    def get(self, key: str) -> Any:
        return self.values.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.values

    def closest(self, key: str, count: int = 3) -> list[str]:
        """The accepted words nearest ``key``, one per value, as written."""
        found: list[str] = []
        taken: set[Any] = set()
        for other in closest(key, self.values, count=len(self.values)):
            if self.values[other] not in taken:
                taken.add(self.values[other])
                found.append(self.spelled[other])
            if len(found) == count:
                break
        return found


def _labels(choices: type[Choices]) -> list[tuple[str, str]]:
    """Each choice's value and its label in every interface language."""
    pairs = []
    for value, label in zip(choices.values, choices.labels, strict=True):
        pairs.append((value, value))
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                pairs.append((str(label), value))
    return pairs


def _table(name: str) -> list[tuple[str, str]]:
    return [(word, code) for code, words in vocabulary_words(name).items() for word in words]


@functools.cache
def _choice_words(name: str, choices: type[Choices]) -> Words:
    """A choice vocabulary: labels in every language, then the table's words. Fixed for the life
    of the process (the choices, catalogues and tables are code), so worked out once."""
    return Words.build(name, [*_labels(choices), *_table(name)])


def community_words(communities: Iterable[Community]) -> Words:
    """Every community by its code, its names in the reference data and the community table's
    words, each naming the community's primary key."""
    by_code = {community.code: community.pk for community in communities}
    pairs: list[tuple[str, Any]] = []
    for community in communities:
        names = (
            community.name_en,
            community.name_sq,
            community.name_sr_latn,
            community.name_sr_cyrl,
            community.code,
        )
        pairs += [(name, community.pk) for name in names]
    pairs += [(word, by_code[code]) for word, code in _table("community") if code in by_code]
    return Words.build("community", pairs)


@dataclass
class Vocabulary:
    """The values a sheet's cells may name, read once per import."""

    communities: Words = field(default_factory=lambda: Words({}, {}))
    municipalities: dict[str, int] = field(default_factory=dict)
    organizations: dict[str, int] = field(default_factory=dict)
    roles: Words = field(default_factory=lambda: Words({}, {}))
    affiliations: Words = field(default_factory=lambda: Words({}, {}))
    age_bands: Words = field(default_factory=lambda: Words({}, {}))
    sexes: Words = field(default_factory=lambda: Words({}, {}))
    _refused: dict[tuple[str, str], Refused] = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, organizations: Iterable[Organization] | None = None) -> Vocabulary:
        if organizations is None:
            organizations = Organization.objects.only("pk", "name")
        return cls(
            communities=community_words(list(Community.objects.all())),
            municipalities=dict(Municipality.objects.values_list("code", "pk")),
            organizations={header_key(org.name): org.pk for org in organizations},
            roles=_choice_words("role", AttendanceRole),
            affiliations=_choice_words("affiliation", Affiliation),
            age_bands=_choice_words("age_band", AgeBand),
            sexes=_choice_words("sex", Sex),
        )

    def sex(self, text: str) -> str:
        """ "female", "male" or "" (blank); ValueError when not recognised."""
        found = self.sexes.get(header_key(text))
        if found:
            return found
        return normalize_sex(text) or ""

    def community(self, text: str) -> int | None:
        return self._lookup("community", self.communities, text)

    def municipality(self, text: str) -> int | None:
        """The municipality a cell names, by the gazetteer (near spellings included); a name
        it does not take is refused with the closest municipalities."""
        if not header_key(text):
            return None
        code = gazetteer().resolve(text)
        if code is None or code not in self.municipalities:
            refused = self._refused.get(("municipality", text))
            if refused is None:
                nearest = [c for c in gazetteer().closest(text) if c in self.municipalities]
                refused = self._refused[("municipality", text)] = Refused(text, nearest)
            raise Refused(text, refused.closest)
        return self.municipalities[code]

    def organization(self, text: str) -> int | None:
        key = header_key(text)
        if not key:
            return None
        if key not in self.organizations:
            raise Refused(text)
        return self.organizations[key]

    def role(self, text: str) -> str:
        return self._lookup("role", self.roles, text) or AttendanceRole.PARTICIPANT

    def affiliation(self, text: str) -> str:
        return self._lookup("affiliation", self.affiliations, text) or ""

    def age_band(self, text: str) -> str:
        return self._lookup("age_band", self.age_bands, text) or ""

    def _lookup(self, name: str, words: Words, text: str) -> Any:
        key = header_key(text)
        if not key:
            return None
        if key not in words:
            # A sheet repeats its mistakes: the nearest words are worked out once per spelling.
            refused = self._refused.get((name, key))
            if refused is None:
                refused = self._refused[(name, key)] = Refused(text, words.closest(key))
            raise Refused(text, refused.closest)
        return words.get(key)
