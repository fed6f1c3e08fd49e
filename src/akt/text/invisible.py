"""Characters a name must not hold because no one can see them: zero-width and bidi controls.

Names reach the system pasted from Word documents, e-mails, chat messages and web forms, which
leave behind characters that are invisible on screen: zero-width spaces and joiners, the byte
order mark, and the right-to-left and isolate controls some editors insert around text. Stored
in a name they break everything that compares names: "Arbër" with a zero-width space inside
does not equal "Arbër" in a search, folds to two words for the linkage, and sorts elsewhere
(issue 10, item 11). They carry nothing in the names of Kosovo's communities, so they are removed
at every door a name comes in by (forms, services, the intake's cell reading) and ignored by
every comparison (:func:`akt.text.names.fold`).

Pure Python (no Django): the standalone ``akt link`` tool folds names with it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["INVISIBLE", "clean_name", "strip_invisible"]

INVISIBLE: frozenset[str] = frozenset(
    [
        "\u00ad",  # soft hyphen, left by word processors
        "\u200b",  # zero-width space
        "\u200c",  # zero-width non-joiner
        "\u200d",  # zero-width joiner
        "\u200e",  # left-to-right mark
        "\u200f",  # right-to-left mark
        "\u2060",  # word joiner
        "\ufeff",  # zero-width no-break space, the byte order mark
        *(chr(code) for code in range(0x202A, 0x202F)),  # embeddings, overrides, pop (LRE..RLO)
        *(chr(code) for code in range(0x2066, 0x206A)),  # isolates (LRI, RLI, FSI, PDI)
    ]
)
"""The invisible format characters removed from names: zero-width (U+200B..U+200D, U+2060,
U+FEFF), the soft hyphen (U+00AD) and the bidirectional controls (U+200E, U+200F,
U+202A..U+202E, U+2066..U+2069)."""

_REMOVE = dict.fromkeys(map(ord, INVISIBLE))


def strip_invisible(text: str) -> str:
    """``text`` without the :data:`INVISIBLE` characters; everything else as it was."""
    if text.isascii():  # the common case: nothing to remove
        return text
    return text.translate(_REMOVE)


def clean_name(text: str) -> str:
    """A name as it is stored: no invisible characters, composed characters (NFC, so "ë" typed
    as e + combining diaeresis is one letter), and single spaces between words, none at the ends.

    Spelling, case and script are kept: only what no reader could see is taken away.
    """
    text = strip_invisible(text or "")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    return " ".join(text.split())
