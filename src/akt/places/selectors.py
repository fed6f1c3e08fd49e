"""Finding a municipality by any of its names."""

from __future__ import annotations

import unicodedata

from akt.places.models import Municipality
from akt.text.script import cyrillic_to_latin


def _fold(name: str) -> str:
    latin = cyrillic_to_latin(name.strip()).casefold().replace("đ", "dj")
    decomposed = unicodedata.normalize("NFKD", latin)
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def municipality_by_name(name: str) -> Municipality | None:
    """The municipality called ``name`` in Albanian, Serbian (either script) or English.

    Case, diacritics and script do not matter: "Gracanica", "Graçanicë" and "Грачаница" all
    find Gračanica. A code ("gracanice") works too. Returns None when no name matches.
    """
    wanted = _fold(name)
    if not wanted:
        return None
    for municipality in Municipality.objects.select_related("majority_community"):
        names = [municipality.code, *municipality.all_names()]
        if wanted in {_fold(n) for n in names} or wanted in {
            _fold(part) for n in names for part in n.split("/")
        }:
            return municipality
    return None
