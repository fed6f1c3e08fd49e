"""Serbian script conversion: Cyrillic to Gaj's Latin and back.

Serbian is written in both scripts and the system shows it in both (Serbian Latin and Serbian
Cyrillic are separate interface languages); person names arrive in either (section 5 of the
architecture). Cyrillic to Latin is exact: every Serbian Cyrillic letter has one Latin letter or
digraph. Latin to Cyrillic is not, because Latin text mixes Serbian with things that must stay as
they are; the rules for what stays are in :func:`latin_to_cyrillic`.

Round trip: ``latin_to_cyrillic(cyrillic_to_latin(text)) == text`` for Serbian Cyrillic text made of
words that are not written in capitals (or written in capitals but holding a letter only Serbian
has, such as Ш or Љ), contain no digits, and contain none of the letter pairs н+ј, л+ј, д+ж, which
Latin writes the same as the single letters њ, љ, џ (``injekcija`` is инјекција, not ињекција; the
few words where the pair is known are listed in :data:`SPLIT_DIGRAPHS`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType

_CYRILLIC_TO_LATIN: Mapping[str, str] = MappingProxyType(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "ђ": "đ",
        "е": "e",
        "ж": "ž",
        "з": "z",
        "и": "i",
        "ј": "j",
        "к": "k",
        "л": "l",
        "љ": "lj",
        "м": "m",
        "н": "n",
        "њ": "nj",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "ћ": "ć",
        "у": "u",
        "ф": "f",
        "х": "h",
        "ц": "c",
        "ч": "č",
        "џ": "dž",
        "ш": "š",
    }
)
"""The 30 letters of the Serbian Cyrillic alphabet, lower case."""

SERBIAN_CYRILLIC = "".join(_CYRILLIC_TO_LATIN) + "".join(_CYRILLIC_TO_LATIN).upper()
"""Every Serbian Cyrillic letter, lower case then upper case."""

_LATIN_TO_CYRILLIC: Mapping[str, str] = MappingProxyType(
    {latin: cyrillic for cyrillic, latin in _CYRILLIC_TO_LATIN.items()}
    # The single-character Unicode digraphs (compatibility letters) mean the same as the pairs.
    | {"ǆ": "џ", "ǅ": "Џ", "Ǆ": "Џ", "ǉ": "љ", "ǈ": "Љ", "Ǉ": "Љ", "ǌ": "њ", "ǋ": "Њ", "Ǌ": "Њ"}
)

_DIGRAPHS = frozenset({"lj", "nj", "dž"})

SERBIAN_LATIN = frozenset(
    letter
    for latin in _CYRILLIC_TO_LATIN.values()
    if len(latin) == 1
    for letter in (latin, latin.upper())
) | frozenset("ǆǅǄǉǈǇǌǋǊ")
"""The letters of Gaj's Latin alphabet (digraphs are written with two of them)."""

# Letters that only Serbian (among the languages in our data) writes: an all-capital word that
# holds one of them is Serbian, not an acronym ("ŠTIMLJE", "LJUBA").
_SERBIAN_MARKERS = frozenset("ČĆĐŠŽǄǇǊ")
_SERBIAN_MARKER_PAIRS = ("LJ", "NJ")

SPLIT_DIGRAPHS: tuple[str, ...] = (
    "in|jekc",  # injekcija: инјекција
    "kon|jug",  # konjugacija: конјугација
    "kon|junk",  # konjunkcija, konjunktura: конјункција
    "van|jezi",  # vanjezički: ванјезички
    "tan|jug",  # Tanjug: Танјуг
    "nad|živ",  # nadživeti: надживети
    "nad|žnj",  # nadžnjeti: наджњети
    "pod|žanr",  # podžanr: поджанр
    "pod|žup",  # podžupan: поджупан
)
"""Word parts, lower case, where lj, nj or dž are two letters, not one; ``|`` marks the split.

Latin cannot show the difference, so these are known words, matched anywhere inside a word.
"""

_SPLITS = tuple(
    (stem.replace("|", ""), stem.index("|") - 1) for stem in SPLIT_DIGRAPHS
)  # (stem, index of the first letter of the pair that must be split)

# Text that must come through latin_to_cyrillic unchanged, tried in this order.
_PROTECTED = re.compile(
    r"""
      <!--.*?-->                                    # HTML comment
    | </?[A-Za-z][^<>]*>                            # HTML tag, with its attributes
    | <![^<>]*>                                     # doctype
    | &(?:[A-Za-z][A-Za-z0-9]*|\#[0-9]+|\#[xX][0-9A-Fa-f]+);   # HTML entity
    | \{\{.*?\}\} | \{%.*?%\} | \{\#.*?\#\}          # Django template variable, tag, comment
    | \{[^{}\s]*\}                                  # str.format placeholder: {name}, {0}, {}
    | %(?:\([^()\s]*\))?[#0+\-]*(?:\*|[0-9]+)?(?:\.(?:\*|[0-9]+))?[diouxXeEfFgGcrsa%]
                                                    # printf placeholder: %(count)s, %s, %5.1f, %%
    | (?:https?|ftp)://[^\s<>"']*[^\s<>"'.,;:!?)\]]  # URL, without trailing punctuation
    | \bwww\.[^\s<>"']*[^\s<>"'.,;:!?)\]]
    | [\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+               # e-mail address
    | `[^`\n]*`                                     # code quoted in backticks: `akt results`
    | (?<![\w-])--[A-Za-z][\w-]*                     # command-line option: --from, --fy
    """,
    re.VERBOSE | re.DOTALL,
)

# A word: letters, digits, underscores and combining marks (a decomposed č is c + U+030C);
# words joined by hyphens are read together ("Wi-Fi", "OSCE-a").
_WORD = re.compile(r"[\w\u0300-\u036f]+(?:-[\w\u0300-\u036f]+)*")


def cyrillic_to_latin(text: str) -> str:
    """Serbian Cyrillic to Gaj's Latin; everything else is left as it is.

    Љ, Њ and Џ become Lj, Nj, Dž in a capitalized word ("Љуба" → "Ljuba") and LJ, NJ, DŽ in a word
    written in capitals ("ЉУБА" → "LJUBA"): the case of the second letter follows the neighbouring
    letter. Cyrillic letters outside the Serbian alphabet (ы, ѓ, ...) are not converted.
    """
    out: list[str] = []
    for index, char in enumerate(text):
        latin = _CYRILLIC_TO_LATIN.get(char)
        if latin is not None:
            out.append(latin)
            continue
        latin = _CYRILLIC_TO_LATIN.get(char.lower())
        if latin is None:
            out.append(char)
        elif len(latin) == 1:
            out.append(latin.upper())
        else:
            out.append(latin.upper() if _in_capitals(text, index) else latin.capitalize())
    return "".join(out)


def _in_capitals(text: str, index: int) -> bool:
    """Whether the capital at ``index`` is part of a word written in capitals."""
    after = text[index + 1 : index + 2]
    if after.isalpha():
        return after.isupper()
    before = text[index - 1 : index] if index > 0 else ""
    return before.isalpha() and before.isupper()


def latin_to_cyrillic(text: str) -> str:
    """Gaj's Latin to Serbian Cyrillic, leaving alone what must not change.

    Converted: words written only with letters of the Serbian Latin alphabet; lj, nj and dž become
    љ, њ and џ (except in the known words of :data:`SPLIT_DIGRAPHS`).

    Left exactly as they are:

    - placeholders: printf style (``%(count)s``, ``%s``, ``%d``, ``%%``), ``str.format`` style
      (``{name}``, ``{0}``) and Django template syntax (``{{ name }}``, ``{% trans %}``);
    - HTML tags with their attributes (``<a href="...">``), comments and entities (``&amp;``);
    - URLs and e-mail addresses;
    - a word holding a letter that is not in the Serbian Latin alphabet, such as q, w, x, y, ë, ç
      or é: a foreign or Albanian word or a code ("Excel", "Shqipëri", "FY2016"); words joined by
      hyphens stay together when one of them is foreign ("Wi-Fi");
    - a word holding a digit or an underscore: a code or an identifier ("A1", "user_id");
    - a word of two or more letters written in capitals, an acronym ("OSCE", "CSV", "IR", and
      Roman numerals such as "IV"), unless it holds a letter or pair only Serbian writes (Č, Ć, Đ,
      Š, Ž, LJ, NJ), which marks a Serbian word set in capitals ("ŠTIMLJE" → "ШТИМЉЕ"), or is
      one Serbian writes in Cyrillic (:data:`CYRILLIC_ACRONYMS`: "AKT-a" → "АКТ-а").

    What cannot be told apart is converted: an Albanian word without ë or ç ("Gjilan") or Serbian
    typed without diacritics ("Petrovic" → "Петровиц") come out wrong, so this is for text written
    in proper Serbian Latin, such as interface translations and names entered in Serbian.
    """
    parts: list[str] = []
    position = 0
    for match in _PROTECTED.finditer(text):
        parts.append(_convert_prose(text[position : match.start()]))
        parts.append(match.group())
        position = match.end()
    parts.append(_convert_prose(text[position:]))
    return "".join(parts)


def _convert_prose(text: str) -> str:
    return _WORD.sub(lambda match: _convert_compound(match.group()), text)


def _convert_compound(compound: str) -> str:
    """Words joined by hyphens: all stay Latin if one is foreign, else each is converted."""
    words = compound.split("-")
    if any(_is_foreign(word) for word in words):
        return compound
    return "-".join(_convert_word(word) for word in words)


def _is_foreign(word: str) -> bool:
    return any(
        char.isalpha() and char not in SERBIAN_LATIN for char in unicodedata.normalize("NFC", word)
    )


CYRILLIC_ACRONYMS = frozenset({"AKT", "ECMI", "OEBS", "OKZP", "PPR", "USAID"})
"""Acronyms that Serbian Cyrillic writes in Cyrillic letters (АКТ, ЕЦМИ, ОЕБС, ОКЗП, ППР,
УСАИД), declined as Serbian words are ("АКТ-а", "УСАИД-а"): the program's own, those of the
Serbian names of institutions (OKZP: Opštinska kancelarija za zajednice i povratak; OEBS: the
OSCE) and those Serbian texts transcribe (USAID; ECMI, the European Centre for Minority Issues;
PPR, USAID's Performance Plan and Report). Every other acronym stays as it is written."""


def _convert_word(word: str) -> str:
    composed = unicodedata.normalize("NFC", word)
    if not all(char in SERBIAN_LATIN for char in composed):
        return word  # a foreign letter, a digit, an underscore, a Cyrillic letter, ...
    if (
        len(composed) >= 2
        and composed.isupper()
        and not _has_serbian_marker(composed)
        and composed not in CYRILLIC_ACRONYMS
    ):
        return word  # an acronym
    lower = composed.lower()
    split_at = {start + offset for stem, offset in _SPLITS for start in _occurrences(lower, stem)}
    out: list[str] = []
    index = 0
    while index < len(composed):
        pair = lower[index : index + 2]
        if pair in _DIGRAPHS and index not in split_at:
            cyrillic = _LATIN_TO_CYRILLIC[pair]
            out.append(cyrillic.upper() if composed[index].isupper() else cyrillic)
            index += 2
            continue
        char = composed[index]
        cyrillic = _LATIN_TO_CYRILLIC.get(char) or _LATIN_TO_CYRILLIC[char.lower()].upper()
        out.append(cyrillic)
        index += 1
    return "".join(out)


def _has_serbian_marker(word: str) -> bool:
    return any(char in _SERBIAN_MARKERS for char in word) or any(
        pair in word for pair in _SERBIAN_MARKER_PAIRS
    )


def _occurrences(text: str, part: str) -> list[int]:
    found = []
    start = text.find(part)
    while start != -1:
        found.append(start)
        start = text.find(part, start + 1)
    return found
