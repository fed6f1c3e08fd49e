"""Finding a municipality by any of its names."""

from __future__ import annotations

from akt.places.gazetteer import gazetteer
from akt.places.models import Municipality


def municipality_by_name(name: str) -> Municipality | None:
    """The municipality called ``name`` in Albanian (any form), Serbian (either script) or English.

    Case, diacritics and script do not matter: "Gracanica", "Graçanicë", "Graçanica" and
    "Грачаница" all find Gračanica; so do the code ("gracanice") and the bilingual form
    ("Gračanica/Graçanicë"). Names are resolved by the gazetteer of the shipped reference data
    (:mod:`akt.places.gazetteer`), so a name that could mean two municipalities ("Kosovska
    Mitrovica") finds nothing, as does an unknown one.
    """
    code = gazetteer().resolve(name)
    if code is None:
        return None
    return Municipality.objects.select_related("majority_community").filter(code=code).first()
