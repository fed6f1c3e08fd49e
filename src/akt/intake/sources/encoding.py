"""Which encoding a CSV was saved in: detected from the text, never guessed silently.

Excel in Kosovo saves "CSV" in the Windows code page of the computer: Windows-1250 where
Serbian Latin is set up (š đ č ć ž, and Albanian ë ç), Windows-1251 for Cyrillic, Windows-1252
for Western European settings (ë ç, but no č ć đ). The same bytes mean different letters in
each, and a wrong choice silently turns "Đorđević" into "Ðorðeviæ" or "Рorрeviж", which then
never matches the person already registered. So:

1. A byte-order mark decides (UTF-8 or UTF-16, the latter from Excel's "Unicode text").
2. Text that is valid UTF-8 is UTF-8 (pure ASCII included: it means the same in every candidate).
3. Otherwise each Windows code page is tried, and a reading counts only if it is *plausible*:
   every character outside ASCII is a letter of Albanian, Serbian (Latin or Cyrillic), Turkish
   and a few Western European names, or common typographic punctuation, and no word mixes
   Latin and Cyrillic letters (Cyrillic read as Windows-1250 gives Latin letters with accents
   no one here writes; Latin read as Windows-1251 gives words like "Arbлr").
4. One plausible reading is used; several that give the same text are the same reading; several
   that give *different* text are refused as ambiguous, showing the person both, so they can
   choose (``encoding=``) or save the file as UTF-8.

General-purpose detectors were tried and rejected: charset-normalizer 3.5 reads a short
Albanian Windows-1252 roster as Big5 and a Serbian Windows-1250 one as Windows-1252, because
name lists are too short and too foreign for its language statistics.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from akt.intake.sources.base import FileRefused

__all__ = ["ENCODINGS", "Decoded", "decode", "encoding_label"]

ENCODINGS: dict[str, Promise] = {
    "utf-8": _("UTF-8"),
    "utf-8-sig": _("UTF-8 (with byte-order mark)"),
    "utf-16": _("UTF-16 (Excel “Unicode text”)"),
    "cp1250": _("Windows-1250 (Central European)"),
    "cp1251": _("Windows-1251 (Cyrillic)"),
    "cp1252": _("Windows-1252 (Western European)"),
}
"""The encodings a CSV is read in, with the names the page shows; ``encoding=`` takes a key
(or another name of the same codec, such as "windows-1250")."""

WINDOWS_CODE_PAGES = ("cp1250", "cp1251", "cp1252")
"""Tried, in this order, when the file is not UTF-8."""

# Letters outside ASCII that names and headers here are written with: Albanian ë ç, Serbian
# Latin š ž č ć đ, Turkish ş ç ö ü, and the accented letters of Western names that Windows-1250
# and Windows-1252 encode alike (so they never make those two disagree). Left out on purpose:
# è æ ð (what Windows-1252 makes of č ć đ), and letters no one here writes (ŕ ĺ ő ł ...).
_LATIN_LETTERS = "ëËçÇšŠžŽčČćĆđĐşŞáÁéÉíÍóÓúÚäÄöÖüÜâÂîÎôÔß"
_CYRILLIC = "\u0400-\u04ff"
# Punctuation that Windows-1250, -1251 and -1252 encode alike (except ´), and that may touch a
# letter ("„Ana“", "Petrović–Šaković"); and symbols that may not: "©abić" is ISO-8859-2 "Šabić"
# read as Windows-1250, not a name.
_PUNCTUATION = "\u00a0\u00ad„“”‘’‚‹›«»–—…´"
_SYMBOLS = "€°§©®·•×÷±™†‡‰¬µ¶№"
_IMPLAUSIBLE = re.compile(f"[^\\x00-\\x7f{_LATIN_LETTERS}{_CYRILLIC}{_PUNCTUATION}{_SYMBOLS}]")
_LATIN = f"A-Za-z{_LATIN_LETTERS}"
_LETTER = f"{_LATIN}{_CYRILLIC}"
# A word holding both scripts has a Latin letter next to a Cyrillic one somewhere.
_MIXED = re.compile(
    f"[{_LATIN}][{_CYRILLIC}]|[{_CYRILLIC}][{_LATIN}]"
    f"|[{_LETTER}][{_SYMBOLS}]|[{_SYMBOLS}][{_LETTER}]"
)
_CELL_BOUNDARY = b" \t\r\n,;\"'"


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    """The codec's canonical name, a key of :data:`ENCODINGS`."""


def encoding_label(encoding: str) -> str:
    """The name of an encoding as the page shows it ("Windows-1250 (Central European)")."""
    return str(ENCODINGS.get(encoding, encoding))


def decode(data: bytes, encoding: str | None = None) -> Decoded:
    """The text of a CSV file and the encoding it was read in, or :class:`FileRefused`.

    With ``encoding`` (one of :data:`ENCODINGS`, by any of its names), that encoding is used;
    UTF-8 with a byte-order mark is still read as such. ``ValueError`` for an encoding this
    module does not offer: that is the caller's mistake, not the file's.
    """
    if encoding is not None:
        return _decode_as(data, _canonical(encoding))
    if data.startswith(codecs.BOM_UTF8):
        return _decode_as(data, "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _decode_as(data, "utf-16")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    readings = {}
    for candidate in WINDOWS_CODE_PAGES:
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:  # a byte the code page leaves undefined
            continue
        if plausible(text):
            readings[candidate] = text
    distinct = set(readings.values())
    if not distinct:
        raise FileRefused(
            _(
                "The file is not UTF-8, and it does not read as Albanian or Serbian text in "
                "Windows-1250, Windows-1251 or Windows-1252. Choose the encoding it was saved "
                "in, or save it as “CSV UTF-8” and try again."
            ),
            "encoding-unknown",
        )
    if len(distinct) > 1:
        raise _ambiguous(data, readings)
    (text,) = distinct
    return Decoded(text, _name_for(text, list(readings)))


def plausible(text: str) -> bool:
    """True when the text reads as names and words written here: letters of the languages
    above, one script per word, no symbol stuck to a letter."""
    return _IMPLAUSIBLE.search(text) is None and _MIXED.search(text) is None


def _canonical(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name not in ENCODINGS:
        raise ValueError(f"unsupported encoding {encoding!r}; expected one of {list(ENCODINGS)}")
    return name


def _decode_as(data: bytes, encoding: str) -> Decoded:
    if encoding == "utf-8" and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    try:
        return Decoded(data.decode(encoding), encoding)
    except UnicodeDecodeError as error:
        raise FileRefused(
            _(
                "The file cannot be read as %(encoding)s: byte %(position)s does not belong to "
                "it. Choose another encoding, or save the file as “CSV UTF-8”."
            ),
            "encoding-wrong",
            {"encoding": ENCODINGS[encoding], "position": error.start + 1},
        ) from None


def _name_for(text: str, encodings: list[str]) -> str:
    """The encoding to report when several read the same text: they differ only in name, so
    Windows-1250 when the text has Serbian letters, Windows-1252 when it is one of them."""
    if "cp1250" in encodings and any(letter in text for letter in "šŠžŽ"):
        return "cp1250"
    return "cp1252" if "cp1252" in encodings else encodings[0]


def _join_labels(encodings: tuple[str, ...]) -> str:
    return ", ".join(encoding_label(encoding) for encoding in encodings)


_labels = lazy(_join_labels, str)
"""The names of several encodings, in the language active when the message is shown."""


def _ambiguous(data: bytes, readings: dict[str, str]) -> FileRefused:
    """The refusal that shows the first place where the plausible readings differ."""
    groups: dict[str, list[str]] = {}
    for encoding, text in readings.items():
        groups.setdefault(text, []).append(encoding)
    encodings = tuple(_name_for(text, group) for text, group in groups.items())
    first, second = list(groups)[:2]
    # Single-byte code pages: character i is byte i in every reading.
    index = next(i for i, (a, b) in enumerate(zip(first, second, strict=True)) if a != b)
    start, end = _cell_around(data, index)
    samples = " / ".join(data[start:end].decode(encoding) for encoding in encodings)
    return FileRefused(
        _(
            "The file is not UTF-8, and it reads as different text in %(encodings)s: line "
            "%(line)s reads %(samples)s. Choose the encoding it was saved in, or save it as "
            "“CSV UTF-8” and try again."
        ),
        "encoding-ambiguous",
        {
            "encodings": _labels(encodings),
            "line": data.count(b"\n", 0, index) + 1,
            "samples": samples,
            "candidates": encodings,
        },
    )


def _cell_around(data: bytes, index: int, reach: int = 40) -> tuple[int, int]:
    """The bytes of the word or cell holding byte ``index``, at most ``reach`` either side."""
    start = index
    while start > max(0, index - reach) and data[start - 1] not in _CELL_BOUNDARY:
        start -= 1
    end = index + 1
    while end < min(len(data), index + reach) and data[end] not in _CELL_BOUNDARY:
        end += 1
    return start, end
