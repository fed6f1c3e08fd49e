"""Person names, sex and birth dates as they arrive on sign-in sheets, made comparable.

The same person is written "Jovan Petrović", "Јован Петровић", "Jovan Petrovic" and "PETROVIC
Jovan"; "Xhevdet Krasniqi" is typed by a Serbian-speaking clerk as "Dževdet Krasnići" or
"Џевдет Краснићи" (section 5 of the architecture). Identity resolution (``akt.linkage``) compares
the keys made here, never the names as written; the names as written stay untouched for display.

Pure Python on purpose: the standalone ``akt link FILE.csv`` tool uses this without a database, so
nothing here may import Django.

Two keys, from least to most lossy:

:func:`fold`
    Script, case, diacritics and punctuation removed: "Đorđe Petrović-Šaković" and
    "ĐORĐE PETROVIĆ ŠAKOVIĆ" both give ``"djordje petrovic sakovic"``. Spelling is kept: Albanian
    "Krasniqi" and Serbian "Krasnići" still differ.

:func:`sound_key`
    One spelling per sound across Albanian orthography, Serbian Latin, Serbian Cyrillic and what
    people type on a keyboard without local letters. The merged letters (written in the key as the
    lower-case ASCII on the right):

    ============================================  =====  =====================================
    spellings                                     key    note
    ============================================  =====  =====================================
    xh, dž, џ, dzh, dz, x (Albanian x = dz)       ``x``  Xhevdet = Dževdet = Dzevdet = xevdet
    gj, đ, ђ, dj                                  ``gj`` Gjorgje = Đorđe = Djordje = gjorgje
    q, ç, č, ć, ч, ћ, c (= ts), ch                ``c``  Krasniqi = Krasnići = Krasnici
    sh, š, ш, s                                   ``s``  Shala = Šala = Sala
    zh, ž, ж, z                                   ``z``  Zhaklina = Žaklina = Zaklina
    th, t                                         ``t``  Thaçi = Taçi
    dh, d                                         ``d``  Dhurata = Durata
    ë, e                                          ``e``  Arbër = Arber
    y, i                                          ``i``  Hysen = Hisen (but not Husen)
    w, v                                          ``v``
    doubled letters (ll, rr, nn, ...)             one    Anna = Ana, Vushtrri = Vushtri
    nj, lj (Albanian and Serbian, њ, љ)           kept   Njomza = Њомза; not merged with n, l
    ============================================  =====  =====================================

Why so lossy. A name typed in ASCII carries no evidence whether its "s" was š, its "c" was ć or
its "z" was ž, and Kosovo's sheets are full of ASCII typing, so a key that kept sh/š apart from s
would split "Shala" from "Sala" (typed) while keeping apart no one it should. The merges above are
exactly the ones diacritic removal makes anyway (š→s, ž→z, č/ć/ç→c, dž→dz, đ→dj, ë→e), plus the
Albanian digraphs that spell the same sounds; so the key is computed on the :func:`fold` of the
text, and ``sound_key(fold(x)) == sound_key(x)`` holds exactly. (Mapping the digraphs before
removing diacritics, as a less lossy key would have to, makes "ćh" and "ch" differ.) The price:
c (ts) and č/ć fall together, as do s and š, z and ž; different people whose names differ only
there share a key, and the linkage must tell them apart on its other comparisons, which is why it
should compare the :func:`fold` of the names too, besides birth date, sex and municipality.

What the key cannot recover:

- đ typed as a bare d ("Dorde" for Đorđe, "Dakovica"): d is also a letter of its own, so
  "Dorde" keys as ``dorde``, not ``gjorgje``. ASCII typing as "dj" ("Djordje") is recovered.
- Albanian y rendered in Serbian as u ("Gjyla" / "Đula"): y keys as i only.
- Albanian definite and indefinite forms of a name ("Bajram" / "Bajrami") stay different.
- The key is lower-case ASCII for the Latin letters of European languages (Albanian, Serbian,
  Bosnian, Turkish, ...) and for Serbian, Macedonian, Russian and Ukrainian Cyrillic. Letters of
  other scripts (none expected on Kosovo rosters) pass through folded rather than being dropped,
  so two Greek names do not share an empty key.

Both keys are cached per distinct text, so the linkage can call them row by row.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from types import MappingProxyType

from akt.text.invisible import strip_invisible
from akt.text.script import cyrillic_to_latin
from akt.text.tables import vocabulary_words

__all__ = [
    "fold",
    "name_tokens",
    "normalize_sex",
    "parse_birth",
    "sorted_name_key",
    "sound_key",
    "split_full_name",
]

# Cyrillic letters of other languages (Macedonian, Russian, Ukrainian, Belarusian) that decompose
# under NFKD: rewritten into Serbian Cyrillic while still composed, or stripping the accent would
# leave a different letter ("й" would become "и").
_COMPOSED_CYRILLIC = str.maketrans(
    {"й": "ј", "ѓ": "ђ", "ќ": "ћ", "ё": "јо", "ї": "ји", "ў": "у", "ѝ": "и", "ѐ": "е"}
)

# Cyrillic letters outside the Serbian alphabet that do not decompose.
_OTHER_CYRILLIC = str.maketrans(
    {
        "я": "ја",
        "ю": "ју",
        "є": "је",
        "э": "е",
        "ы": "y",
        "і": "и",
        "ґ": "г",
        "ѕ": "дз",
        "щ": "шч",
        "ъ": "",
        "ь": "",
    }
)

# Latin letters that carry no combining mark, so NFKD cannot strip them.
_LATIN_SPECIAL = str.maketrans(
    {"đ": "dj", "ð": "d", "ı": "i", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "þ": "th", "ħ": "h"}
)

_NOT_WORD = re.compile(r"[^\w]|_")
_NOT_ASCII_WORD = re.compile(r"[^a-z0-9]+")
_LATIN_MARKS = re.compile("[\u0300-\u036f]+")  # the combining marks Latin letters decompose to
_CYRILLIC = re.compile("[\u0400-\u04ff]")

# Keys are computed once per distinct text: a registry of a million rows holds far fewer distinct
# names, and the linkage folds every row. 2**17 entries are a few tens of megabytes at most.
_CACHE_SIZE = 1 << 17


def _strip_marks(text: str) -> str:
    """NFKD, without the combining marks: "š" → "s", "ë" → "e", "ç" → "c"."""
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFKD", text))
    if text.isascii():
        return text
    return "".join(char for char in text if not unicodedata.category(char).startswith("M"))


@lru_cache(maxsize=_CACHE_SIZE)
def fold(text: str) -> str:
    """The form names are compared in: Latin, lower case, no diacritics, single spaces.

    Serbian Cyrillic goes through :func:`akt.text.script.cyrillic_to_latin` (the one place the
    alphabet is defined); đ becomes "dj" because that is how it is typed without the letter;
    hyphens, apostrophes and other punctuation separate words ("Petrović-Šaković", "D'Amico");
    invisible characters (zero-width spaces, bidi controls) are ignored, as if never typed.
    Only for comparison: show the name as it was written. Cached: call it freely, row by row.
    """
    if text.isascii():  # the common case, and the same result as the general one
        return " ".join(_NOT_ASCII_WORD.sub(" ", text.lower()).split())
    return _fold_any(text)


def _fold_any(text: str) -> str:
    """:func:`fold` for any text, step by step; the order matters (see the comments)."""
    # Invisible characters go first, without leaving a space: "Ar<zero-width space>bër" is one
    # word, "Arbër", not two (:mod:`akt.text.invisible`).
    text = strip_invisible(text)
    # Compatibility forms first: "ǅ" is "dž", full-width "Ｊ" is "J", "ﬁ" is "fi".
    text = unicodedata.normalize("NFKC", text).casefold()
    # Other languages' Cyrillic letters that decompose, while they are still whole ("й" → "ј").
    text = text.translate(_COMPOSED_CYRILLIC)
    # Accents off before transliterating, so an accented Cyrillic letter ("ѐ") is still Cyrillic
    # when it is transliterated; Serbian Cyrillic letters do not decompose.
    text = _strip_marks(text).translate(_OTHER_CYRILLIC)
    if _CYRILLIC.search(text):
        text = cyrillic_to_latin(text)
    # Then the Latin letters transliteration made (š, ž, č, ć, đ) lose their marks too.
    text = _strip_marks(text.translate(_LATIN_SPECIAL)).casefold()
    return " ".join(_NOT_WORD.sub(" ", text).split())


# The spellings that change in the key. The pattern is tried at each position, longest first
# ("dzh" before "dz", "dj" before "dh"); letters it does not match stay as they are. Works on
# folded text, where š, ž, č, ć, ç, ë, đ and dž are already s, z, c, c, c, e, dj and dz.
_SOUND = re.compile(r"dzh?|dj|dh|xh?|gj|[cq]h|q|sh|zh|th|y|w")

_SOUND_KEY: Mapping[str, str] = MappingProxyType(
    {
        "dz": "x",
        "dzh": "x",
        "x": "x",
        "xh": "x",
        "dj": "gj",
        "gj": "gj",
        "ch": "c",
        "q": "c",
        "qh": "c",
        "sh": "s",
        "zh": "z",
        "th": "t",
        "dh": "d",
        "y": "i",
        "w": "v",
    }
)

_DOUBLED = re.compile(r"(.)\1+")


def _sound(match: re.Match[str]) -> str:
    return _SOUND_KEY[match.group()]


@lru_cache(maxsize=_CACHE_SIZE)
def sound_key(text: str) -> str:
    """The comparison key that spells each sound one way in every orthography and script.

    "Xhevdet Krasniqi", "Dževdet Krasnići", "Џевдет Краснићи" and "Xhevdet Krasnici" all give
    ``"xevdet krasnici"``. Deliberately lossy; the merges, and what they cost, are in the module
    docstring. Words keep their order; an empty or letterless text gives "". Doubled letters are
    collapsed after the spellings are merged ("Shsh" is "s", "Vushtrri" is "vustri"). Cached.
    """
    return _DOUBLED.sub(r"\1", _SOUND.sub(_sound, fold(text)))


def name_tokens(given: str, family: str) -> tuple[str, ...]:
    """The sound keys of every part of the name, given names first, in the order written.

    Compound names count as their parts: "Ana-Marija" is two tokens.
    """
    return tuple(sound_key(given).split()) + tuple(sound_key(family).split())


def sorted_name_key(given: str, family: str) -> str:
    """The name's sound keys sorted: the same whichever cell holds which part.

    Sheets swap given and family names ("PETROVIC Jovan" in the given-name column), so
    ``sorted_name_key("Jovan", "Petrović") == sorted_name_key("Petrovic", "Jovan")``.
    """
    return " ".join(sorted(name_tokens(given, family)))


def _in_capitals(word: str) -> bool:
    """A surname set in capitals: two or more letters, all of them capitals."""
    letters = [char for char in word if char.isalpha()]
    return len(letters) >= 2 and all(char.isupper() for char in letters)


def split_full_name(text: str) -> tuple[str, str]:
    """``(given, family)`` from a single "full name" cell, best effort, spelling kept.

    - "Petrović, Jovan": the part before the comma is the family name.
    - "PETROVIĆ Jovan", "Jovan PETROVIĆ": the words in capitals (at the start or the end) are the
      family name, the convention of many official lists; only when some but not all words are
      in capitals.
    - otherwise the first word is the given name and the rest the family name ("Jovan Petar
      Petrović" → ("Jovan", "Petar Petrović")); a single word is a given name with no family name.

    Whatever the split, :func:`sorted_name_key` of the result is the same, so a wrong guess costs
    the linkage little.
    """
    text = " ".join(text.split())
    if "," in text:
        family, _, given = text.partition(",")
        return " ".join(given.split()), family.strip()
    words = text.split()
    if not words:
        return "", ""
    capitals = [_in_capitals(word) for word in words]
    if any(capitals) and not all(capitals):
        count = sum(capitals)
        if all(capitals[:count]):  # "PETROVIĆ Jovan"
            return " ".join(words[count:]), " ".join(words[:count])
        if all(capitals[-count:]):  # "Jovan PETROVIĆ"
            return " ".join(words[:-count]), " ".join(words[-count:])
    return words[0], " ".join(words[1:])


@lru_cache(maxsize=1)
def _sex_spellings() -> Mapping[str, str]:
    """Folded spelling -> "female" or "male", from the sex table
    (``akt/text/data/vocabularies/sex.yaml``: Albanian, Serbian, English and Turkish)."""
    return MappingProxyType(
        {
            fold(word): code
            for code, words in vocabulary_words("sex").items()
            for word in (code, *words)
        }
    )


SEX_EXAMPLES = "F, M, Femër, Mashkull, Ženski, Muški, Женски, Мушки"
"""How sheets write the two sexes, as shown to people in every language and script. Kept out of
translated text: these are values a sheet may hold, not words to translate or to convert to
Cyrillic ("Mashkull" is Albanian in every interface language)."""


def normalize_sex(value: str) -> str | None:
    """``"female"``, ``"male"`` or None (blank) from however a sheet writes it.

    Accepts the spellings of the sex table (``akt/text/data/vocabularies/sex.yaml``): Albanian
    (Femër, Femra, Mashkull, Meshkuj), Serbian in either script (Ženski, Ž, Женски, Ж, Muški,
    Мушки, М), English (F, W, female, woman, M, male) and Turkish (kadın, erkek), in any case
    and with or without diacritics or a trailing dot. A cell without letters or digits ("", "-")
    is blank. Anything else is an error naming the value, because guessing would bias the
    sex-disaggregated counts the program reports.
    """
    folded = fold(value)
    if not folded:
        return None
    found = _sex_spellings().get(folded)
    if found:
        return found
    raise ValueError(
        f"unrecognised sex {value!r}: expected female (F, Femër, Ženski, Ž, W) "
        "or male (M, Mashkull, Muški), or blank"
    )


EARLIEST_BIRTH_YEAR = 1900
LATEST_BIRTH_YEAR = 2100
"""A birth year outside these is a typing error, not a person."""

_TIME = r"(?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?"
_ISO = re.compile(rf"([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}}){_TIME}")
_YEAR = re.compile(r"([0-9]{4})\.?")
_DAY_FIRST = re.compile(rf"([0-9]{{1,2}})([./-])([0-9]{{1,2}})\2([0-9]{{4}})\.?{_TIME}")


def parse_birth(value: str) -> tuple[date | None, int | None]:
    """``(birth date, birth year)`` from a cell holding a date, a year or nothing.

    - "1985-03-07" (ISO; a spreadsheet's " 00:00:00" time is ignored) → (date(1985, 3, 7), 1985)
    - "07.03.1985", "7/3/1985", "07.03.1985." → the same: day first, as dates are written in
      Kosovo (never month first: "03/07/1985" is the 3rd of July)
    - "1985" → (None, 1985): sheets often record only the year
    - "" → (None, None)

    Anything else, an impossible date, or a year outside 1900–2100 raises ValueError naming the
    value, so the row can be reported rather than linked on a wrong date.
    """
    text = value.strip()
    if not text:
        return None, None
    if match := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _YEAR.fullmatch(text):
        return None, _checked_year(int(match[1]), value)
    else:
        raise ValueError(
            f"unrecognised birth date {value!r}: expected YYYY-MM-DD, DD.MM.YYYY, D/M/YYYY, "
            "YYYY or blank"
        )
    _checked_year(year, value)
    try:
        born = date(year, month, day)
    except ValueError:
        raise ValueError(f"impossible birth date {value!r}") from None
    return born, year


def _checked_year(year: int, value: str) -> int:
    if not EARLIEST_BIRTH_YEAR <= year <= LATEST_BIRTH_YEAR:
        raise ValueError(
            f"implausible birth year in {value!r}: expected "
            f"{EARLIEST_BIRTH_YEAR}–{LATEST_BIRTH_YEAR}"
        )
    return year
