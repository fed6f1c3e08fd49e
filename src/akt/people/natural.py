"""Organizations that are natural persons, and how their names reach a viewer.

A family farm ("Ferma familjare Arbër Gashi", "Porodična farma Petrović") or a sole proprietor
("N.P. Dardania", "SZR Milan", "Preduzetnik Jovan Jovanović") is its owner under another name:
the name is a person's name, personal data under the data protection law (06/L-082). Such an
organization is marked ``Organization.natural_person``; a viewer who does not see persons (the
donor viewer, see :class:`akt.accounts.scope.Scope`) reads a neutral label in its place ("Family
farm in Gračanica (#123)") on every page, export and report, and cannot find it by its name.

How a name tells a natural person (:func:`looks_like_natural_person`), on the name folded to
lower case, Latin script and no diacritics or punctuation (so "породична фарма", "PORODICNA
FARMA" and "Porodična farma" read the same, and "N.P." reads as "n p"):

- a registered company or association form is never a natural person: Albanian "Sh.p.k.",
  "Sh.a.", "L.L.C.", Serbian "d.o.o.", "a.d.", a cooperative ("kooperativa", "zadruga"), an
  association ("shoqata", "udruženje", "OJQ", "NVO", "NGO"). A company named after its founder
  ("Gashi Agro Sh.p.k.") is a legal person, not its founder;
- a family or sole-proprietor form is a natural person: Albanian "ferma familjare" (any
  "familjar-" word), "biznes individual", "B.I.", "N.P.", "NPH", "N.T.P."; Serbian "porodična
  farma" (any "porodičn-" word), "poljoprivredno gazdinstvo", "preduzetnik", "SZR", "STR", "SUR",
  "samostalna ... radnja", any "radnja"; English "family farm", "sole proprietor", "sole trader";
- so is a farm not registered as a company: a name with the word "ferma", "farma" or "farm"
  ("Ferma "Gashi"", "Farma krava "Antić""), or an organization of kind ``farm`` ("Bletaria
  "Hyrije"");
- an office, assembly committee or civil society organization never is.

The rule pre-fills the form's box and marks imported organizations; the person who records the
organization has the last word.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.db.models import Case, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from akt.text.names import fold

if TYPE_CHECKING:
    from akt.accounts.scope import Scope
    from akt.people.models import Organization

_NEVER_NATURAL_KINDS = frozenset({"municipal_office", "assembly_committee", "civil_society"})
"""Kinds of organization that are never a person (``OrganizationKind`` values)."""

_FARM_KIND = "farm"

# Abbreviations are matched on the folded name, where "Sh.p.k." reads "sh p k" and "SHPK" reads
# "shpk": the letters may be apart or together, never inside a longer word.
_WORD_START = r"(?:^|(?<= ))"
_WORD_END = r"(?:$|(?= ))"


def _abbreviation(letters: str) -> str:
    """A pattern for an abbreviation written with or without dots or spaces between its parts
    ("sh p k": "Sh.p.k.", "SH.P.K", "shpk", "Sh p k")."""
    return " ?".join(re.escape(part) for part in letters.split())


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile(_WORD_START + "(?:" + "|".join(patterns) + ")" + _WORD_END)


_LEGAL_PERSON = _words(
    _abbreviation("sh p k"),
    _abbreviation("sh a"),
    _abbreviation("l l c"),
    _abbreviation("l t d"),
    "ltd",
    _abbreviation("d o o"),
    _abbreviation("d d"),
    r"a d",  # "a.d." apart only: "ad" is a word in many names
    _abbreviation("j s c"),
    "gmbh",
    "inc",
    "plc",
    "corp",
    r"kooperativ\w*",
    r"zadrug\w*",
    r"shoqat\w*",
    r"udruzenj\w*",
    r"udruga",
    r"asocijacij\w*",
    r"asociacion\w*",
    r"association",
    r"cooperative",
    _abbreviation("o j q"),
    _abbreviation("n v o"),
    _abbreviation("n g o"),
)
"""Company, cooperative and association forms: a legal person, whatever else the name says."""

_NATURAL_PERSON = _words(
    r"familjar\w*",  # "ferma familjare", "bletaria familjare", "biznes familjar"
    r"biznes\w* individual\w*",
    r"b i",  # "B.I." (biznes individual), apart only: "bi" is part of many words
    _abbreviation("n p"),  # "N.P." (ndërmarrje personale)
    _abbreviation("n p h"),
    _abbreviation("n t p"),  # "N.T.P." (ndërmarrje tregtare private, an individual business)
    r"porodicn\w*",  # "porodična farma", "porodično gazdinstvo"
    r"poljoprivredno gazdinstvo",
    r"gazdinstv\w*",
    r"preduzetni\w*",  # "preduzetnik", "preduzetnička radnja"
    _abbreviation("s z r"),  # samostalna zanatska radnja
    _abbreviation("s t r"),  # samostalna trgovinska radnja
    _abbreviation("s u r"),  # samostalna ugostiteljska radnja
    _abbreviation("s z t r"),
    r"radnj\w*",
    r"ferm[ae]?",  # a farm not registered as a company is a family holding
    r"farm[ae]?",
    r"family farm\w*",
    r"family business\w*",
    r"sole (?:proprietor|proprietorship|trader)\w*",
    r"individual business\w*",
)
"""Family holdings and sole-proprietor forms."""


def is_legal_person_form(name: str) -> bool:
    """Whether ``name`` carries a company, cooperative or association form ("Sh.p.k.",
    "d.o.o.", "Zadruga ...")."""
    return bool(_LEGAL_PERSON.search(fold(name or "")))


def looks_like_natural_person(name: str, kind: str = "") -> bool:
    """Whether an organization of this name and kind (an ``OrganizationKind`` value) is a
    natural person: a family farm or a sole proprietor (the rule in the module's text)."""
    if kind in _NEVER_NATURAL_KINDS:
        return False
    folded = fold(name or "")
    if _LEGAL_PERSON.search(folded):
        return False
    if _NATURAL_PERSON.search(folded):
        return True
    return kind == _FARM_KIND


# -- what a viewer reads --------------------------------------------------------------------


def name_hidden_from(organization: Organization, scope: Scope) -> bool:
    """Whether ``scope``'s viewer reads a neutral label instead of the organization's name."""
    return organization.natural_person and not scope.may_see_persons


def neutral_label(organization: Organization) -> str:
    """What stands for a natural person's organization: its kind, municipality and number,
    never its name."""
    values = {"municipality": organization.municipality.name, "number": organization.pk}
    if organization.kind == _FARM_KIND:
        return _("Family farm in %(municipality)s (#%(number)s)") % values
    return _("Sole proprietor in %(municipality)s (#%(number)s)") % values


def organization_label(organization: Organization | None, scope: Scope) -> str:
    """The organization's name as ``scope``'s viewer may read it: the name, or for a natural
    person and a viewer who does not see persons a neutral label. Empty for no organization."""
    if organization is None:
        return ""
    if name_hidden_from(organization, scope):
        return neutral_label(organization)
    return organization.name


def name_filter(text: str, scope: Scope, *, prefix: str = "") -> Q:
    """The condition "the organization's name contains ``text``" as ``scope``'s viewer may
    search: a natural person's organization is not found by its name by a viewer who does not
    see persons. ``prefix`` reaches the organization from another model (``"recipient__"``)."""
    condition = Q(**{f"{prefix}name__icontains": text})
    if not scope.may_see_persons:
        condition &= Q(**{f"{prefix}natural_person": False})
    return condition


def organizations_named(
    organizations: QuerySet[Organization], text: str, scope: Scope
) -> QuerySet[Organization]:
    """The organizations whose name contains ``text``, as ``scope``'s viewer may search."""
    return organizations.filter(name_filter(text.strip(), scope))


def organization_public_label(organization: Organization) -> str:
    """The organization as a document for readers who do not see persons (a report to the
    donor) names it: a natural person's organization by its neutral label."""
    return neutral_label(organization) if organization.natural_person else organization.name


def in_label_order(organizations: QuerySet[Organization], scope: Scope) -> QuerySet[Organization]:
    """The organizations in the order of what ``scope``'s viewer reads: by name, and for a
    viewer who does not see persons the natural persons' after the others, by kind, place and
    number (sorted by their names, their places in the list would tell the names' letters)."""
    if scope.may_see_persons:
        return organizations.order_by("name", "id")
    return organizations.order_by(
        "natural_person",
        Case(When(natural_person=True, then=Value("")), default=F("name")),
        "kind",
        "municipality__name_sq",
        "id",
    )
