"""The five capacity areas as data, and which area a few words name.

The areas ship in ``data/areas.yaml`` (code, order and names in English, Albanian and Serbian
Latin). :func:`area_code_for_text` reads an area written as words ("Budget", "Burimet njerëzore",
"Језици") as one of them, for a list imported with an area column and for the actions recorded
before actions had one of the five areas. Plain Python: no database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from akt.text.names import fold

AREA_FIELDS = ("code", "sort_order", "name_en", "name_sq", "name_sr_latn")


@functools.cache
def area_rows() -> tuple[Mapping[str, Any], ...]:
    """The areas as the data file gives them, in order."""
    text = resources.files("akt.capacity").joinpath("data", "areas.yaml").read_text("utf-8")
    rows = yaml.safe_load(text)
    return tuple(MappingProxyType({name: row[name] for name in AREA_FIELDS}) for row in rows)


AREA_WORDS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "human-resources": (
            "human resource",
            "staff",
            "personnel",
            "recruitment",
            "burime njerezore",
            "burimet njerezore",
            "stafi",
            "personel",
            "ljudski resurs",
            "ljudskih resursa",
            "kadrov",
            "osoblj",
        ),
        "finance": (
            "financ",
            "finans",
            "budget",
            "buxhet",
            "budzet",
            "revenue",
            "own source",
            "property tax",
            "te hyra",
            "tatim",
            "prihod",
            "porez",
        ),
        "service-delivery": (
            "service",
            "sherbim",
            "uslug",
            "one stop",
            "sportel",
            "salter",
        ),
        "community-rights": (
            "communit",
            "komunitet",
            "zajednic",
            "minorit",
            "language",
            "gjuh",
            "jezi",
            "mocr",
            "return",
            "kthim",
            "povrat",
        ),
        "transparency": (
            "transparen",
            "participation",
            "pjesemarrj",
            "ucesc",
            "ucesce",
            "public hearing",
            "degjim",
            "access to information",
            "qasje ne dokumente",
            "pristup informacij",
            "accountab",
            "llogaridhen",
        ),
    }
)
"""Beginnings of words (folded: Latin, lower case, no diacritics) that name each area, in
English, Albanian and Serbian."""


@functools.cache
def _patterns() -> dict[str, re.Pattern[str]]:
    return {
        code: re.compile(r"\b(?:" + "|".join(re.escape(word) for word in words) + ")")
        for code, words in AREA_WORDS.items()
    }


def area_code_for_text(text: str) -> str | None:
    """The code of the one area ``text`` names, by an area's code or name in any language or a
    word that plainly belongs to one area; None when it names none or more than one (such
    words are kept as written for a person to decide)."""
    key = fold(text or "")
    if not key:
        return None
    for row in area_rows():
        names = [row["code"], row["name_en"], row["name_sq"], row["name_sr_latn"]]
        if key in {fold(str(name)) for name in names}:
            return str(row["code"])
    found = [code for code, pattern in _patterns().items() if pattern.search(key)]
    return found[0] if len(found) == 1 else None
