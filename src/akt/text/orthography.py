"""Writing a name in the other community's orthography, as clerks do.

An Albanian name written down by a Serbian-speaking clerk becomes "Dževdet Krasnići" (and, in
Cyrillic, "Џевдет Краснићи"); a Serbian name written by an Albanian-speaking clerk becomes
"Gjorgje Petroviq". The demo's sign-in sheets and the synthetic linkage set both write names
this way; identity resolution (:mod:`akt.text.names`) maps the two spellings back together.
"""

from __future__ import annotations

import re

_SQ_TO_SR = {
    "xh": "dž", "gj": "đ", "sh": "š", "zh": "ž", "th": "t", "dh": "d", "ll": "l", "rr": "r",
    "q": "ć", "ç": "č", "y": "i", "x": "dz", "ë": "e",
}  # fmt: skip
# A final ë (not followed by a letter) is dropped; any other ë becomes e.
_SQ_TO_SR_PATTERN = re.compile(r"(ë)(?!\w)|" + "|".join(sorted(_SQ_TO_SR, key=len, reverse=True)))

_SR_TO_SQ = {"dž": "xh", "đ": "gj", "š": "sh", "ž": "zh", "ć": "q", "č": "ç"}
_SR_TO_SQ_PATTERN = re.compile("|".join(sorted(_SR_TO_SQ, key=len, reverse=True)))


def recase(converted: str, original: str) -> str:
    """``converted`` (lower case) in the case of ``original``: capitals, capitalized or lower."""
    if original.isupper() and len(original) > 1:
        return converted.upper()
    if original[:1].isupper():
        return " ".join(word[:1].upper() + word[1:] for word in converted.split(" "))
    return converted


def albanian_to_serbian(name: str) -> str:
    """An Albanian name as a Serbian-speaking clerk writes it in Latin: "Xhevdet Krasniqi" ->
    "Dževdet Krasnići".

    xh -> dž, gj -> đ, sh -> š, zh -> ž, th -> t, dh -> d, ll -> l, rr -> r, q -> ć, ç -> č,
    y -> i, x -> dz, ë -> e (dropped at the end of a word).
    """
    converted = _SQ_TO_SR_PATTERN.sub(
        lambda match: "" if match.group(1) else _SQ_TO_SR[match.group()], name.lower()
    )
    return recase(converted, name)


def serbian_to_albanian(name: str) -> str:
    """A Serbian (Latin) name as an Albanian-speaking clerk writes it: "Đorđe Petrović" ->
    "Gjorgje Petroviq" (dž -> xh, đ -> gj, š -> sh, ž -> zh, ć -> q, č -> ç)."""
    converted = _SR_TO_SQ_PATTERN.sub(lambda m: _SR_TO_SQ[m.group()], name.lower())
    return recase(converted, name)
