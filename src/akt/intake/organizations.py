"""Organizations typed as free text on a roster, found in the registry or proposed as new.

The attendance form asks for the organization a person represents as free text, and clerks
type the same office many ways: "Opština Gračanica", "Opstina Gracanica", "Општина Грачаница",
"Komuna e Graçanicës". A roster is never refused over it (issue 10): a name is matched to the
registered organization it names, or proposed as a new organization that the import registers
once, however many rows name it.

How a name is compared:

- A name made of an institution word and a municipality ("Komuna e ...", "Opština ...",
  "Општина ...", "Municipality of ...", "... Municipality") names that municipality's office:
  its key is the municipality (resolved by :mod:`akt.places.gazetteer`, which knows the
  Albanian definite and genitive forms and both scripts), so the three languages' names of one
  office meet. Only a registered organization named the same way has that key.
- Any other name is compared by :func:`akt.text.names.fold` (script, case, diacritics and
  punctuation removed), then, when nothing has that key, by :func:`akt.text.names.sound_key`
  (one spelling per sound: "Shoqata" and "Šoqata", "Krasniqi" and "Krasnići").
- A key two registered organizations share is ambiguous: the row is not given either, and the
  preview says which ones it could be (the officer picks on the activity's page). A wrong
  organization would be worse than none: figures count organizations.

An organization an import registers (from a list, or proposed by a roster) is marked a natural
person (a family farm, a sole proprietor: its name is hidden from those who do not see persons)
by the rule of :func:`akt.people.natural.looks_like_natural_person`; a list may say so itself in
a "Natural person" column (yes or no, in any language), which then decides.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from akt.intake.fields import Field, header_key
from akt.intake.xlsform import consent_answers
from akt.people.models import Organization, OrganizationKind
from akt.people.natural import looks_like_natural_person
from akt.places.gazetteer import gazetteer
from akt.text.names import fold, sound_key

_INSTITUTION = re.compile(
    r"^(?:(?:the )?municipality of |komuna e |komuna |opstina |opcina )"
    r"|(?: municipality| komuna| opstina| opcina)$"
)
"""Words naming a municipality's own office, folded (the gazetteer's own list, anchored the
same way): a name with one of them and a municipality is that municipality's office."""


def organization_key(name: str, *, municipal_office: bool = False) -> str:
    """The key two names of one organization share (see the module). A registered municipal
    office (``municipal_office``) named by its municipality alone ("Gračanica") has the
    municipality's key too."""
    folded = fold(name or "")
    if municipal_office or _INSTITUTION.search(folded):
        code = gazetteer().resolve(name)
        if code is not None:
            return f"municipality:{code}"
    return f"name:{folded}"


def _sound(name: str) -> str:
    return f"sound:{sound_key(fold(name or ''))}"


@dataclass(frozen=True)
class OrganizationMatch:
    """What a typed name is: a registered organization, several, or none (a new one)."""

    text: str
    found: int | None = None
    candidates: tuple[int, ...] = ()
    """Registered organizations the name could be, when it is ambiguous."""

    @property
    def is_new(self) -> bool:
        return self.found is None and not self.candidates


@dataclass
class OrganizationIndex:
    """The registry's organizations by :func:`organization_key` and by sound, read once per
    import."""

    by_key: dict[str, set[int]] = field(default_factory=dict)
    by_sound: dict[str, set[int]] = field(default_factory=dict)

    @classmethod
    def load(cls, organizations: Iterable[Organization] | None = None) -> OrganizationIndex:
        if organizations is None:
            organizations = Organization.objects.only("pk", "name", "kind")
        index = cls()
        for organization in organizations:
            office = organization.kind == OrganizationKind.MUNICIPAL_OFFICE
            index.add(organization.name, organization.pk, municipal_office=office)
        return index

    def add(self, name: str, pk: int, *, municipal_office: bool = False) -> None:
        key = organization_key(name, municipal_office=municipal_office)
        self.by_key.setdefault(key, set()).add(pk)
        if not key.startswith("municipality:"):
            self.by_sound.setdefault(_sound(name), set()).add(pk)

    def match(self, text: str) -> OrganizationMatch | None:
        """The organization ``text`` names; None for a blank cell."""
        text = (text or "").strip()
        if not fold(text):
            return None
        key = organization_key(text)
        found = self.by_key.get(key)
        if not found and not key.startswith("municipality:"):
            found = self.by_sound.get(_sound(text))
        if not found:
            return OrganizationMatch(text)
        if len(found) == 1:
            return OrganizationMatch(text, found=next(iter(found)))
        return OrganizationMatch(text, candidates=tuple(sorted(found)))


# -- natural persons ---------------------------------------------------------------------------

NATURAL_PERSON = Field(
    "natural_person",
    _("Natural person"),
    _(
        "Yes for a family farm or sole proprietor named after its owner (its name is then "
        "hidden from those who do not see persons); no for a company or association. Left "
        "blank, the name and type decide."
    ),
    (
        "natural person",
        "a natural person",
        "sole proprietor",
        "person fizik",
        "personi fizik",
        "person fizike",
        "fizicko lice",
        "fizičko lice",
        "физичко лице",
    ),
)
"""The optional column of an organization list that says whether it is a natural person."""


class NaturalPersonAnswer(models.TextChoices):
    """The answers a "Natural person" cell may give (named in a problem's list of values)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")


_MORE_ANSWERS = {"1": True, "0": False, "x": True, "true": True, "false": False}
"""Ways a sheet says yes or no besides the words of :func:`consent_answers`."""


def natural_person_answer(text: str) -> bool | None:
    """What a "Natural person" cell says: True, False, or None for a blank cell or one that is
    neither yes nor no."""
    key = header_key(text or "")
    if not key:
        return None
    answers = {**_MORE_ANSWERS, **consent_answers()}
    return answers.get(key)


def natural_person_of(name: str, kind: str, stated: bool | None = None) -> bool:
    """Whether an imported organization is a natural person: as the sheet states, else by the
    rule on its name and kind."""
    if stated is not None:
        return stated
    return looks_like_natural_person(name, kind)
