"""Reading the values of a sheet's cells in any language: sex, community, role, affiliation, age
band, municipality and organization.

A cell may hold a code ("female", "serb"), a label in any interface language ("Femër",
"Srpska", "Српска"), a common abbreviation ("F", "Ž", "M") or the label as the templates'
drop-down lists offer it. Values are compared case-, script- and diacritic-blind
(:func:`akt.intake.fields.header_key`). Anything not recognised is reported, never guessed: a
guessed community or sex would bias the disaggregated figures the program reports.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Choices
from django.utils import translation

from akt.activities.models import AgeBand, AttendanceRole
from akt.intake.fields import header_key
from akt.people.models import Affiliation, Organization, Sex
from akt.places.gazetteer import gazetteer
from akt.places.models import Community, Municipality
from akt.text.names import normalize_sex

_AGE_BAND_SPELLINGS = {
    AgeBand.CHILD: ("0-14", "<15", "under 15", "nen 15", "ispod 15", "0 14"),
    AgeBand.YOUTH: ("15-29", "15 29", "15 to 29", "15 deri 29", "15 do 29"),
    AgeBand.ADULT: ("30+", "30", "30 and over", "30 e lart", "30 i vise", "30 и више"),
}


@functools.cache
def _spellings(choices: type[Choices]) -> dict[str, str]:
    """Every spelling of each choice: its value and its label in every interface language.

    Fixed for the life of the process (the choices and the catalogues are code), so worked out
    once: switching through every language for every import would cost more than the check."""
    keys: dict[str, str] = {}
    for value, label in zip(choices.values, choices.labels, strict=True):
        keys[header_key(value)] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                keys.setdefault(header_key(str(label)), value)
    return keys


def _choice_keys(choices: type[Choices]) -> dict[str, str]:
    return dict(_spellings(choices))  # a copy: a vocabulary's tables are its own


@dataclass
class Vocabulary:
    """The values a sheet's cells may name, read once per import."""

    communities: dict[str, int] = field(default_factory=dict)
    municipalities: dict[str, int] = field(default_factory=dict)
    organizations: dict[str, int] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    affiliations: dict[str, str] = field(default_factory=dict)
    age_bands: dict[str, str] = field(default_factory=dict)
    sexes: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, organizations: Iterable[Organization] | None = None) -> Vocabulary:
        communities: dict[str, int] = {}
        for community in Community.objects.all():
            names = (
                community.code,
                community.name_en,
                community.name_sq,
                community.name_sr_latn,
                community.name_sr_cyrl,
            )
            for name in names:
                communities.setdefault(header_key(name), community.pk)
        age_bands = _choice_keys(AgeBand)
        for value, spellings in _AGE_BAND_SPELLINGS.items():
            for spelling in spellings:
                age_bands.setdefault(header_key(spelling), value)
        if organizations is None:
            organizations = Organization.objects.only("pk", "name")
        return cls(
            communities=communities,
            municipalities=dict(Municipality.objects.values_list("code", "pk")),
            organizations={header_key(org.name): org.pk for org in organizations},
            roles=_choice_keys(AttendanceRole),
            affiliations=_choice_keys(Affiliation),
            age_bands=age_bands,
            sexes=_choice_keys(Sex),
        )

    def sex(self, text: str) -> str:
        """ "female", "male" or "" (blank); ValueError when not recognised."""
        found = self.sexes.get(header_key(text))
        if found:
            return found
        return normalize_sex(text) or ""

    def community(self, text: str) -> int | None:
        return self._lookup(self.communities, text)

    def municipality(self, text: str) -> int | None:
        if not header_key(text):
            return None
        code = gazetteer().resolve(text)
        if code is None or code not in self.municipalities:
            raise ValueError(text)
        return self.municipalities[code]

    def organization(self, text: str) -> int | None:
        return self._lookup(self.organizations, text)

    def role(self, text: str) -> str:
        return self._lookup(self.roles, text) or AttendanceRole.PARTICIPANT

    def affiliation(self, text: str) -> str:
        return self._lookup(self.affiliations, text) or ""

    def age_band(self, text: str) -> str:
        return self._lookup(self.age_bands, text) or ""

    @staticmethod
    def _lookup(table: dict, text: str):  # noqa: ANN205
        key = header_key(text)
        if not key:
            return None
        if key not in table:
            raise ValueError(text)
        return table[key]
