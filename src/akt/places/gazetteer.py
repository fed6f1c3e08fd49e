"""Kosovo's 38 municipalities by any name a sheet gives them, resolved to the municipality code.

Sign-in sheets write the municipality as Gjilan, Gjilani, Gnjilane, Гњилане, "Gjilan/Gnjilane" or
"Komuna e Gjilanit" (issue 3). Identity resolution compares municipalities, so every spelling must
come to one code. This is a gazetteer, a table of known names built from the reference data shipped
in ``akt/places/data/municipalities.csv``, and not string similarity: "Pejë" is Peć because the
table says so, and "Beograd" is nothing rather than the nearest name.

Pure Python (no Django): the standalone ``akt link FILE.csv`` tool uses it without a database.

The names of each municipality:

- the code ("gjilan") and the CSV's Albanian, Serbian Latin and Serbian Cyrillic names;
- the Albanian definite form (:func:`albanian_definite`: Gjilani, Peja, Vushtrria, Shtimja,
  Mitrovica e Veriut, Fushë Kosova) and genitive (:func:`albanian_genitive`: Gjilanit, Pejës,
  Istogut, as in "Komuna e Gjilanit");
- both bilingual orders ("Gjilan Gnjilane", as "Gjilan (Gnjilane)" or "Gjilan-Gnjilane" fold);
- the other names in :data:`ALIASES`: Serbia's own names (Dečani, Gora, Kosovska Kamenica,
  Đeneral Janković), former Albanian names (Gllogoc), English, Turkish and North/South forms.

Every name is compared by :func:`akt.text.names.fold` (script, case, diacritics and punctuation do
not matter: "Gracanica", "GRAČANICA", "Грачаница"), with or without its spaces ("Novobrdo"); a
name found nowhere is then compared by :func:`akt.text.names.sound_key` ("Shtrpce" for Štrpce,
"Vushtri" for Vushtrri), a second table with the same ambiguity rule. Words naming the
institution are ignored ("Komuna e", "Opština", "Municipality of").

Then, in this order, for a name still not found (issue 10, item 3):

- a direction word (North, Veriut, Veri, Veriore, Severna, Sjeverna, Sever; South, Jugut, Jug,
  Južna) with a name of Mitrovica, in any order and script: "Veriu Mitrovicë", "Mitrovica
  Severna", "Северна Косовска Митровица" are North, "Mitrovica Jug" South;
- a near spelling (of four letters or more): the one municipality with a name nearest the text by
  :func:`akt.text.vocabulary.edit_distance` (a dropped, doubled, swapped or wrong letter costs
  one) after folding and without spaces, within :func:`akt.text.vocabulary.typo_limit` (one
  letter in a name of up to five letters, two up to ten, three beyond). "Deneral Jankovic" (Đ
  dropped, not typed as Dj), "Gnjlane", "Ferizja", "Gjilanni", "Zvecanit" are taken; when the
  nearest names belong to two municipalities the text is ambiguous and resolves to None, with
  both as :meth:`Gazetteer.candidates`. :meth:`Gazetteer.closest` lists the municipalities
  nearest a refused name, for the message that refuses it.

Ambiguity never resolves silently: a name that belongs to two municipalities resolves to None
(:meth:`Gazetteer.candidates` lists them). Decisions:

- Plain "Mitrovica" / "Mitrovicë" / "Митровица" is South Mitrovica. These are the CSV's own names
  of the southern municipality (the law's "Mitrovicë"), Mitrovica is also the definite form of
  Mitrovicë, and the northern municipality's names always say so ("e Veriut", "Severna",
  "North"). A Serbian clerk who means the north by plain "Mitrovica" is misread; the linkage also
  compares names and birth dates, so that costs a municipality agreement, not a link.
- "Kosovska Mitrovica" is ambiguous (None): it was the whole city before the 2008 split and Serbia
  still uses it for both (mostly the north).
- "Gora" is Dragash: the pre-1999 municipality of Gora was merged into it.
- A near spelling keeps the decision of the name it is near: "Mitrovca" is South, "Kosovska
  Mitrovca" ambiguous, "Severna Mitrovca" North.
- A bilingual cell ("Gjilan/Gnjilane", "Gjilan (Gnjilane)") resolves when every part names the
  same municipality, and only then; "Kosovska Mitrovica/Mitrovicë e Veriut" is North, since only
  North fits both parts.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from akt.text.names import fold, sound_key
from akt.text.vocabulary import edit_distance, typo_limit

__all__ = [
    "ALIASES",
    "AMBIGUOUS",
    "Gazetteer",
    "albanian_definite",
    "albanian_genitive",
    "gazetteer",
]

ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "decan": ("Dečani",),  # Serbia's usage (Kosovo's Serbian form is Dečane)
        "dragash": ("Gora",),  # the pre-1999 municipality, merged into Dragash
        "drenas": ("Gllogoc", "Gllogovc", "Gllogoci", "Gllogovci"),  # former Albanian name
        "gjakove": ("Dakovica",),  # Đakovica typed with d for đ, a common form on sheets
        "gjilan": ("Gilan",),  # Turkish
        "hani-i-elezit": ("Đeneral Janković", "Han i Elezit", "Hanit të Elezit", "Elezhan"),
        "kamenice": ("Kosovska Kamenica",),
        "kllokot": ("Kllokot-Vërbovc", "Klokot-Vrbovac"),
        "mamushe": ("Mamuşa",),  # Turkish, the majority's language
        "mitrovice": (
            "Mitrovicë e Jugut",
            "Mitrovica e Jugut",
            "Mitrovicës së Jugut",
            "Mitrovica Jug",
            "Južna Mitrovica",
            "South Mitrovica",
            "Mitrovica South",
            "Mitroviça",  # Turkish
        ),
        "mitrovice-e-veriut": (
            "Mitrovicës së Veriut",
            "Mitrovica Veri",
            "Mitrovicë Veri",
            "Mitrovica Veriore",
            "North Mitrovica",
            "Mitrovica North",
            "Sjeverna Mitrovica",  # Bosnian
            "Mitrovica Sever",
        ),
        "peje": ("Ipek",),  # Turkish İpek
        "prishtine": ("Pristina", "Priştine"),  # English, Turkish
        "fushe-kosove": ("Fusha e Kosovës",),
    }
)
"""Names of a municipality beyond the CSV's three and their Albanian forms, by code."""

AMBIGUOUS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"Kosovska Mitrovica": ("mitrovice", "mitrovice-e-veriut")}
)
"""Names that mean more than one municipality: they resolve to None, on purpose."""

# Words that name the institution rather than the place, folded: "Komuna e Prishtinës",
# "Opština Gnjilane", "Општина Пећ", "Municipality of Peja", "Gjilan Municipality".
_INSTITUTION = re.compile(
    r"^(?:(?:the )?municipality of |komuna e |komuna |opstina |opcina |municipality )"
    r"|(?: municipality| komuna| opstina| opcina)$"
)
# What separates the names of a bilingual cell: "Gjilan/Gnjilane", "Gjilan (Gnjilane)".
_BILINGUAL = re.compile(r"[/\\|()]")
_CONNECTIVES = frozenset({"e", "i", "te", "se", "të", "së"})

# Direction words, folded, and the municipality each names with Mitrovica (the only city split
# in two): "Mitrovicë e Veriut", "Severna Mitrovica", "North Mitrovica", "Mitrovica Jug".
_NORTH = frozenset(
    {"north", "northern", "veri", "veriu", "veriut", "veriore", "verior", "severna", "sever",
     "severne", "sjeverna", "sjever"}
)  # fmt: skip
_SOUTH = frozenset(
    {"south", "southern", "jug", "jugu", "jugut", "jugore", "jugor", "juzna", "juzne"}
)  # fmt: skip
_SPLIT_CITY = {"north": "mitrovice-e-veriut", "south": "mitrovice"}
_FOLDED_CONNECTIVES = frozenset({"e", "i", "te", "se"})


def _inflect(name: str, word_form: Callable[[str], str]) -> str:
    """Apply ``word_form`` to the word of a place name that Albanian inflects.

    "Mitrovicë e Veriut": the head, before the connective, and only a feminine head in ë (in
    "Hani i Elezit" the head is already definite); "Zubin Potok", "Fushë Kosovë": the last word.
    """
    words = name.split()
    if len(words) == 1:
        return word_form(name)
    if any(word.casefold() in _CONNECTIVES for word in words[1:]):
        head = words[0]
        if not head.endswith("ë"):
            return name
        return " ".join([word_form(head), *words[1:]])
    return " ".join([*words[:-1], word_form(words[-1])])


def _ends_in_k_g_h(lower: str) -> bool:
    """Final k, g or h, where h is a letter of its own (not of the digraphs sh, zh, xh, th, dh)."""
    return lower.endswith(("k", "g", "h")) and not lower.endswith(("sh", "zh", "xh", "th", "dh"))


def _definite_word(word: str) -> str:
    lower = word.casefold()
    if lower.endswith("ë"):
        return word[:-1] + "a"  # Pejë → Peja, Prishtinë → Prishtina
    if _ends_in_k_g_h(lower):
        return word + "u"  # Istog → Istogu, Kaçanik → Kaçaniku
    if lower.endswith("i"):
        return word + "a"  # Viti → Vitia, Vushtrri → Vushtrria
    if lower.endswith("e"):
        return word[:-1] + "ja"  # Shtime → Shtimja
    return word + "i"  # Gjilan → Gjilani, Ferizaj → Ferizaji, Dragash → Dragashi


def _genitive_word(word: str) -> str:
    lower = word.casefold()
    if lower.endswith(("ë", "e")):
        return word + "s"  # Prishtinë → Prishtinës, Shtime → Shtimes
    if _ends_in_k_g_h(lower):
        return word + "ut"  # Istog → Istogut
    if lower.endswith("i"):
        return word + "së"  # Viti → Vitisë
    if lower.endswith("aj"):
        return word + "t"  # Ferizaj → Ferizajt
    return word + "it"  # Gjilan → Gjilanit


def albanian_definite(name: str) -> str:
    """The definite form Albanian uses for the place in running text and often on sheets.

    Pejë → Peja, Istog → Istogu, Viti → Vitia, Shtime → Shtimja, Gjilan → Gjilani, Mitrovicë e
    Veriut → Mitrovica e Veriut, Zubin Potok → Zubin Potoku.
    """
    return _inflect(name, _definite_word)


def albanian_genitive(name: str) -> str:
    """The definite genitive, as in "Komuna e Prishtinës": Prishtinës, Gjilanit, Istogut, Vitisë.

    Names with a connective ("Mitrovicë e Veriut") are left alone; their genitives are aliases.
    """
    words = name.split()
    if len(words) > 1 and any(word.casefold() in _CONNECTIVES for word in words[1:]):
        return name
    return _inflect(name, _genitive_word)


@dataclass(frozen=True)
class GazetteerEntry:
    """One municipality of the CSV, as the gazetteer knows it."""

    code: str
    name_sq: str
    name_sr_latn: str
    name_sr_cyrl: str
    majority: str = ""
    """The majority community's code ("albanian", "serb", ...), where the CSV gives it."""

    def name_in(self, language: str) -> str:
        """The name a reader of ``language`` (an interface language code) knows it by, as
        :class:`akt.places.models.Municipality` names it: Albanian, Serbian Latin, Serbian
        Cyrillic, or both names in English, the majority's first."""
        if language == "sq":
            return self.name_sq
        if language == "sr-latn":
            return self.name_sr_latn
        if language == "sr" or language.startswith("sr-cyrl"):
            return self.name_sr_cyrl
        first, second = (
            (self.name_sr_latn, self.name_sq)
            if self.majority == "serb"
            else (self.name_sq, self.name_sr_latn)
        )
        return first if first == second else f"{first}/{second}"

    def names(self) -> tuple[str, ...]:
        """Every name this municipality is known by (before folding)."""
        sq, sr = self.name_sq, self.name_sr_latn
        return (
            self.code,
            sq,
            sr,
            self.name_sr_cyrl,
            albanian_definite(sq),
            albanian_genitive(sq),
            f"{sq} {sr}",
            f"{sr} {sq}",
            *ALIASES.get(self.code, ()),
        )


def _folded_keys(name: str) -> set[str]:
    folded = _strip_institution(fold(name))
    return {folded, folded.replace(" ", "")} - {""}


def _sound_keys(name: str) -> set[str]:
    key = sound_key(_strip_institution(fold(name))).replace(" ", "")
    return {key} - {""}


def _strip_institution(folded: str) -> str:
    return _INSTITUTION.sub("", folded).strip()


def _letters(key: str) -> int:
    """The letters (and digits) of a folded name as a bit mask, for a quick lower bound of the
    edit distance: each letter in one name and not the other needs an edit, and one edit (a
    substitution) removes at most two such letters."""
    mask = 0
    for char in key:
        mask |= 1 << (ord(char) & 63)
    return mask


def _lengths_near(length: int, spread: int) -> list[int]:
    """``length``, then one shorter and longer, and so on up to ``spread`` away."""
    return [length + step for away in range(spread + 1) for step in {-away, away}]


def _bits(mask: int) -> int:
    return bin(mask).count("1")


_SHORTEST_NEAR = 4
"""Letters a name needs (folded, without spaces) for its near spellings to be looked for."""

_MEMORY = 1 << 16  # distinct spellings remembered per gazetteer before starting afresh


class Gazetteer:
    """Municipality codes by name: :meth:`resolve` one cell, :meth:`candidates` to explain."""

    def __init__(
        self,
        municipalities: Iterable[GazetteerEntry],
        ambiguous: Mapping[str, Iterable[str]] = AMBIGUOUS,
    ) -> None:
        self.municipalities: tuple[GazetteerEntry, ...] = tuple(municipalities)
        self._by_fold: dict[str, set[str]] = {}
        self._by_sound: dict[str, set[str]] = {}
        # Near spellings: names without spaces by length, each with its letters as a bit mask.
        self._by_length: dict[int, dict[str, tuple[int, set[str]]]] = defaultdict(dict)
        self._known: dict[str, frozenset[str]] = {}  # the answers so far, by text as written
        named = [(m.code, name) for m in self.municipalities for name in m.names()]
        named += [(code, name) for name, codes in ambiguous.items() for code in codes]
        for code, name in named:
            for key in _folded_keys(name):
                self._by_fold.setdefault(key, set()).add(code)
            for key in _sound_keys(name):
                self._by_sound.setdefault(key, set()).add(code)
            for key in _folded_keys(name):
                compact = key.replace(" ", "")
                same_length = self._by_length[len(compact)]
                same_length.setdefault(compact, (_letters(compact), set()))[1].add(code)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the municipalities shipped with the system."""
        text = (
            resources.files("akt.places")
            .joinpath("data/municipalities.csv")
            .read_text(encoding="utf-8")
        )
        return cls(
            GazetteerEntry(
                row["code"],
                row["name_sq"],
                row["name_sr_latn"],
                row["name_sr_cyrl"],
                row.get("majority_community") or "",
            )
            for row in csv.DictReader(io.StringIO(text))
        )

    def municipality(self, code: str) -> GazetteerEntry:
        """The municipality of ``code`` (KeyError for an unknown code)."""
        for municipality in self.municipalities:
            if municipality.code == code:
                return municipality
        raise KeyError(code)

    def candidates(self, text: str) -> frozenset[str]:
        """The codes of every municipality ``text`` could mean: none, one, or several.

        A bilingual cell ("Gjilan/Gnjilane", "Gjilan (Gnjilane)") means what all of its parts mean.
        Answers are remembered: a registry repeats a few hundred spellings a million times.
        """
        found = self._known.get(text)
        if found is None:
            if len(self._known) >= _MEMORY:
                self._known.clear()
            found = self._known[text] = self._candidates(text)
        return found

    def _candidates(self, text: str) -> frozenset[str]:
        parts = [part for part in _BILINGUAL.split(text) if fold(part)]
        if not parts:
            return frozenset()
        found = self._candidates_one(parts[0])
        for part in parts[1:]:
            found &= self._candidates_one(part)
        return found

    def _candidates_one(self, text: str) -> frozenset[str]:
        found = self.exact(text)
        if found:
            return found
        found = self._directed(text)
        if found:
            return found
        return self._near(text)

    def _near(self, text: str) -> frozenset[str]:
        """The municipalities nearest ``text`` if within a typo of it; none for a text of fewer
        than four letters, where one wrong letter is a different word ("Pe", "Ist")."""
        key = self._compact(text)
        if len(key) < _SHORTEST_NEAR:
            return frozenset()
        distance, found = self._nearest(text)
        return found if distance <= typo_limit(key) else frozenset()

    def exact(self, text: str) -> frozenset[str]:
        """The codes ``text`` names by a name of the table or its sound key, without near
        spellings (one part of a bilingual cell)."""
        for key in sorted(_folded_keys(text), key=len, reverse=True):  # with spaces first
            if key in self._by_fold:
                return frozenset(self._by_fold[key])
        for key in _sound_keys(text):
            if key in self._by_sound:
                return frozenset(self._by_sound[key])
        return frozenset()

    def _directed(self, text: str) -> frozenset[str]:
        """A direction word with a name of the split city: "Mitrovica Severna" is North."""
        words = _strip_institution(fold(text)).split()
        directions = {"north" for word in words if word in _NORTH}
        directions |= {"south" for word in words if word in _SOUTH}
        rest = [word for word in words if word not in _NORTH | _SOUTH | _FOLDED_CONNECTIVES]
        if len(directions) != 1 or not rest or len(rest) == len(words):
            return frozenset()
        place = self.exact(" ".join(rest)) or self._near(" ".join(rest))
        if place and place <= set(_SPLIT_CITY.values()):
            return frozenset({_SPLIT_CITY[directions.pop()]})
        return frozenset()

    @staticmethod
    def _compact(text: str) -> str:
        return _strip_institution(fold(text)).replace(" ", "")

    def _nearest(self, text: str) -> tuple[int, frozenset[str]]:
        """The smallest edit distance from ``text`` (folded, without spaces) to a name, and the
        codes of every municipality with a name at that distance (looked at within three)."""
        key = self._compact(text)
        if not key:
            return 0, frozenset()
        letters = _letters(key)
        best, codes = 4, set()
        for length in _lengths_near(len(key), 3):  # the likeliest first, so ``best`` falls fast
            for name, (name_letters, named) in self._by_length.get(length, {}).items():
                if (_bits(letters ^ name_letters) + 1) // 2 > best:
                    continue  # a letter in one and not the other costs an edit: too far
                distance = edit_distance(key, name, best)
                if distance < best:
                    best, codes = distance, set(named)
                elif distance == best:
                    codes |= named
        return best, frozenset(codes)

    def closest(self, text: str, count: int = 3) -> list[str]:
        """The codes of the municipalities nearest ``text``, nearest first, for a message that
        refuses it: those it could mean when it is ambiguous, else up to ``count`` within a few
        letters more than a typo."""
        found = self.candidates(text)
        if len(found) > 1:
            return sorted(found)
        key = self._compact(" ".join(_BILINGUAL.split(text)))
        if not key:
            return []
        limit = typo_limit(key) + 2
        letters = _letters(key)
        best: dict[str, int] = {}
        for length in range(len(key) - limit, len(key) + limit + 1):
            for name, (name_letters, named) in self._by_length.get(length, {}).items():
                if (_bits(letters ^ name_letters) + 1) // 2 > limit:
                    continue
                distance = edit_distance(key, name, limit)
                if distance <= limit:
                    for code in named:
                        best[code] = min(best.get(code, distance), distance)
        return sorted(best, key=lambda code: (best[code], code))[:count]

    def resolve(self, text: str) -> str | None:
        """The code of the one municipality ``text`` names; None if none or more than one."""
        found = self.candidates(text)
        return next(iter(found)) if len(found) == 1 else None

    def ambiguous_names(self) -> dict[str, frozenset[str]]:
        """Folded names that belong to more than one municipality (they resolve to None)."""
        return {key: frozenset(codes) for key, codes in self._by_fold.items() if len(codes) > 1}

    def ambiguous_sounds(self) -> dict[str, frozenset[str]]:
        """Sound keys that belong to more than one municipality (they resolve to None)."""
        return {key: frozenset(codes) for key, codes in self._by_sound.items() if len(codes) > 1}


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The shipped gazetteer, built once per process (about a thousand keys)."""
    return Gazetteer.load()
