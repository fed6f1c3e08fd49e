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
- A bilingual cell ("Gjilan/Gnjilane", "Gjilan (Gnjilane)") resolves when every part names the
  same municipality, and only then; "Kosovska Mitrovica/Mitrovicë e Veriut" is North, since only
  North fits both parts.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType

from akt.text.names import fold, sound_key

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
class Municipality:
    """One municipality of the CSV, as the gazetteer knows it."""

    code: str
    name_sq: str
    name_sr_latn: str
    name_sr_cyrl: str

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


_MEMORY = 1 << 16  # distinct spellings remembered per gazetteer before starting afresh


class Gazetteer:
    """Municipality codes by name: :meth:`resolve` one cell, :meth:`candidates` to explain."""

    def __init__(
        self,
        municipalities: Iterable[Municipality],
        ambiguous: Mapping[str, Iterable[str]] = AMBIGUOUS,
    ) -> None:
        self.municipalities: tuple[Municipality, ...] = tuple(municipalities)
        self._by_fold: dict[str, set[str]] = {}
        self._by_sound: dict[str, set[str]] = {}
        self._known: dict[str, frozenset[str]] = {}  # the answers so far, by text as written
        named = [(m.code, name) for m in self.municipalities for name in m.names()]
        named += [(code, name) for name, codes in ambiguous.items() for code in codes]
        for code, name in named:
            for key in _folded_keys(name):
                self._by_fold.setdefault(key, set()).add(code)
            for key in _sound_keys(name):
                self._by_sound.setdefault(key, set()).add(code)

    @classmethod
    def load(cls) -> Gazetteer:
        """The gazetteer of the municipalities shipped with the system."""
        text = (
            resources.files("akt.places")
            .joinpath("data/municipalities.csv")
            .read_text(encoding="utf-8")
        )
        return cls(
            Municipality(row["code"], row["name_sq"], row["name_sr_latn"], row["name_sr_cyrl"])
            for row in csv.DictReader(io.StringIO(text))
        )

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
        for key in sorted(_folded_keys(text), key=len, reverse=True):  # with spaces first
            if key in self._by_fold:
                return frozenset(self._by_fold[key])
        for key in _sound_keys(text):
            if key in self._by_sound:
                return frozenset(self._by_sound[key])
        return frozenset()

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
