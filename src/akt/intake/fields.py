"""The fields an imported sheet can carry, and the headers that name them in any language.

Sheets reach the program from clerks in Albanian- and Serbian-speaking municipalities: the same
column is headed "Mbiemri", "Prezime", "Презиме" or "Family name". Every source (Excel template,
CSV, Kobo/ODK export, tally sheet) maps its headers onto the fields below, so validation and the
commit see one shape whatever the file looked like. The labels are what templates print and what
problem reports name; the aliases are what :func:`recognise` accepts (compared case-, script- and
diacritic-blind, so "PREZIME", "prezime" and "презиме" are one header).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from akt.text.names import SEX_EXAMPLES, fold

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Field:
    """One column the program understands."""

    code: str
    label: Promise
    help: StrOrPromise  # lazy: a translation, or a lazy function's text (the sex examples)
    aliases: tuple[str, ...]


def _sex_help() -> str:
    return gettext("Female or male, in any language (%(examples)s).") % {"examples": SEX_EXAMPLES}


ROSTER_FIELDS: tuple[Field, ...] = (
    Field(
        "given_name",
        _("Given name"),
        _("As the person writes it, in any script."),
        ("given name", "first name", "name", "emri", "ime", "име"),
    ),
    Field(
        "family_name",
        _("Family name"),
        _("As the person writes it, in any script."),
        ("family name", "surname", "last name", "mbiemri", "prezime", "презиме"),
    ),
    Field(
        "full_name",
        _("Full name"),
        _("Given and family name in one cell, when the sheet does not separate them."),
        (
            "full name",
            "name and surname",
            "name surname",
            "emri dhe mbiemri",
            "emri mbiemri",
            "ime i prezime",
            "ime prezime",
            "име и презиме",
        ),
    ),
    Field(
        "sex",
        _("Sex"),
        lazy(_sex_help, str)(),
        ("sex", "gender", "gjinia", "pol", "пол", "spol"),
    ),
    Field(
        "birth_date",
        _("Birth date"),
        _("A date (YYYY-MM-DD or DD.MM.YYYY) or only the year."),
        (
            "birth date",
            "date of birth",
            "year of birth",
            "birth year",
            "datelindja",
            "data e lindjes",
            "viti i lindjes",
            "datum rodjenja",
            "datum rođenja",
            "godina rodjenja",
            "godina rođenja",
            "датум рођења",
            "година рођења",
        ),
    ),
    Field(
        "community",
        _("Community"),
        _("Self-declared; leave blank or choose 'Prefer not to say' if the person did not say."),
        (
            "community",
            "ethnicity",
            "ethnic community",
            "komuniteti",
            "perkatesia etnike",
            "përkatësia etnike",
            "zajednica",
            "nacionalnost",
            "заједница",
        ),
    ),
    Field(
        "municipality",
        _("Municipality"),
        _("Where the person lives, in any language or script."),
        ("municipality", "komuna", "opstina", "opština", "општина", "place of residence"),
    ),
    Field(
        "role",
        _("Role"),
        _("Participant, speaker, trainer or organizer; blank means participant."),
        ("role", "roli", "uloga", "улога"),
    ),
    Field(
        "organization",
        _("Organization"),
        _("The organization or office the person represents, if any."),
        (
            "organization",
            "organisation",
            "institution",
            "organizata",
            "institucioni",
            "organizacija",
            "institucija",
            "организација",
            "институција",
        ),
    ),
    Field(
        "affiliation",
        _("Affiliation"),
        _("Municipal employee, finance officer, farmer, entrepreneur, citizen, ..."),
        ("affiliation", "position", "perkatesia", "përkatësia", "pozita", "pripadnost", "pozicija"),
    ),
    Field(
        "attended_on",
        _("Date attended"),
        _("Only for activities of several days: the day the person attended."),
        ("date attended", "date", "data", "dita", "datum", "датум"),
    ),
    Field(
        "consent",
        _("Agrees that the program keeps their data"),
        _(
            "Yes when the person agreed that the program records their attendance and details; "
            "the activity's day is kept as the day they agreed."
        ),
        (
            "consent",
            "agrees",
            "pelqimi",
            "pëlqimi",
            "pajtohet",
            "saglasnost",
            "saglasan",
            "сагласност",
        ),
    ),
    Field(
        "community_consent",
        _("Agrees to state a community"),
        _(
            "Yes when the person agreed to state the community they belong to; without it the "
            "community is not recorded."
        ),
        (
            "community consent",
            "consent for community",
            "consent community",
            "pelqimi per komunitetin",
            "pëlqimi për komunitetin",
            "saglasnost za zajednicu",
            "сагласност за заједницу",
        ),
    ),
)
"""Columns of an attendance roster (one row per attendee)."""

KOBO_FIELDS: tuple[Field, ...] = (
    Field("submission_id", _("Submission"), _("The submission's identifier."), ()),
    Field("activity_id", _("Activity ID"), _("The activity the submission belongs to."), ()),
    Field(
        "submission_keys",
        _("Submission identifiers"),
        _("Every identifier of the submission and of the versions an edit replaced."),
        (),
    ),
    Field(
        "validation_status",
        _("Validation status"),
        _("A supervisor's decision on the server: submissions not approved are left out."),
        (),
    ),
)
"""Columns only a Kobo or ODK export of the attendance form carries."""

TALLY_FIELDS: tuple[Field, ...] = (
    Field(
        "sex",
        _("Sex"),
        _("Female or male, or blank when not counted by sex."),
        ("sex", "gender", "gjinia", "pol", "пол", "spol"),
    ),
    Field(
        "community",
        _("Community"),
        _("Blank when not counted by community."),
        ("community", "ethnicity", "komuniteti", "zajednica", "nacionalnost", "заједница"),
    ),
    Field(
        "age_band",
        _("Age band"),
        _("Under 15, 15 to 29, 30 and over, or blank."),
        (
            "age band",
            "age group",
            "age",
            "grupmosha",
            "mosha",
            "starosna grupa",
            "uzrast",
            "узраст",
        ),
    ),
    Field(
        "headcount",
        _("Headcount"),
        _("How many people of this kind attended (a whole number)."),
        ("headcount", "number", "count", "numri", "broj", "број", "gjithsej", "ukupno"),
    ),
)
"""Columns of a tally sheet (one row per sex x community x age band cell)."""

ROSTER_REQUIRED = ("given_name", "family_name")
"""A roster row needs a name: these two, or ``full_name`` in their place."""

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def header_key(text: str) -> str:
    """A header compared case-, script-, diacritic- and punctuation-blind ("Datëlindja:" and
    "DATELINDJA" give one key; "Презиме" and "Prezime" too)."""
    return _NOT_WORD.sub(" ", fold(text or "")).strip()


def labels_in_every_language(item: Field) -> list[str]:
    """The field's label as each interface language prints it: a template downloaded in Serbian
    Cyrillic is read back whatever language the person importing it uses."""
    labels = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            labels.append(str(item.label))
    return labels


def recognise(headers: Sequence[str], fields: Iterable[Field]) -> dict[int, str]:
    """Column index -> field code for the headers recognised; others are left for the user.

    A field is given to the first column that names it; a second column with the same meaning
    is left unmapped (the sheet may hold a copy, and taking both would double the value).
    """
    by_alias = alias_keys(fields)
    mapped: dict[int, str] = {}
    taken: set[str] = set()
    for index, header in enumerate(headers):
        code = by_alias.get(header_key(header))
        if code and code not in taken:
            mapped[index] = code
            taken.add(code)
    return mapped


def alias_keys(fields: Iterable[Field]) -> dict[str, str]:
    """Header key -> field code for every name a field is known by (its code, its label in
    each interface language, its aliases); the first field naming a key keeps it.

    :func:`recognise` looks each header up here; a caller scoring many rows against the same
    fields (the search for the header row) builds it once.
    """
    by_alias: dict[str, str] = {}
    for item in fields:
        for alias in (item.code, *labels_in_every_language(item), *item.aliases):
            by_alias.setdefault(header_key(alias), item.code)
    return by_alias
