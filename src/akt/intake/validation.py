"""Checking every row of a sheet before anything is stored.

Each row is read into the values a roster row or a tally cell needs, and every problem found is
kept with the row, the column (as the file heads it), the value and a reason. Reasons are stored
as a code and its parameters and worded when shown, so a problem found while an Albanian speaker
uploaded the file reads in Serbian to the Serbian-speaking officer who opens it later.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from akt.accounts.services import model_field
from akt.counting.engine import age_on
from akt.intake.fields import ROSTER_FIELDS, TALLY_FIELDS, header_key
from akt.intake.organizations import OrganizationIndex
from akt.intake.vocabulary import Refused, Vocabulary
from akt.intake.xlsform import consent_answers
from akt.people.models import Organization, Person
from akt.places.gazetteer import gazetteer
from akt.text.invisible import clean_name, strip_invisible
from akt.text.names import SEX_EXAMPLES, parse_birth, sorted_name_key, split_full_name
from akt.text.numbers import parse_whole_number

YOUNGEST_ATTENDEE = 5
OLDEST_ATTENDEE = 100
"""An age at the activity outside these is a typing error in the birth date, not a person."""


def _longest(model: type[models.Model], name: str) -> int:
    """The most characters the text field ``name`` of ``model`` stores."""
    length = model_field(model, name).max_length
    if length is None:
        raise TypeError(f"{model._meta.label}.{name} has no maximum length")
    return length


NAME_LIMIT = min(_longest(Person, name) for name in ("given_name", "family_name"))
"""The longest given or family name stored: a longer one is refused, never cut."""

ORGANIZATION_NAME_LIMIT = _longest(Organization, "name")
"""The longest organization name the registry keeps."""

LARGEST_HEADCOUNT = 2_147_483_647
"""The largest headcount every supported database stores (a PositiveIntegerField); a larger one
is a typing error, and reported as such rather than failing the commit."""

PROBLEMS: Mapping[str, Promise] = {
    "required": _("%(field)s is required."),
    "too-long": _(
        "%(field)s is %(length)s characters long; a name may have at most %(limit)s. Shorten "
        "it in the file."
    ),
    "sex": _(
        "“%(value)s” is not a sex the program knows: write female or male (%(examples)s), or "
        "leave the cell blank."
    ),
    "birth": _("“%(value)s” is not a birth date: write YYYY-MM-DD, DD.MM.YYYY or only the year."),
    "birth-implausible": _(
        "Born %(value)s, the person would be %(age)s years old at the activity; check the year."
    ),
    "community": _(
        "“%(value)s” is not a community the program knows; choose one from the list, or leave "
        "the cell blank if the person did not say."
    ),
    "municipality": _(
        "“%(value)s” is not a municipality of Kosovo; write its name in Albanian or Serbian."
    ),
    "consent": _("“%(value)s” is not an answer: write yes or no (po or jo, da or ne), or a tick."),
    "role": _("“%(value)s” is not a role: write participant, speaker, trainer or organizer."),
    "affiliation": _(
        "“%(value)s” is not an affiliation the program knows; choose one from the list."
    ),
    "age-band": _("“%(value)s” is not an age band: write under 15, 15 to 29 or 30 and over."),
    "organization": _(
        "No organization named “%(value)s” is registered; add it on the organizations page "
        "first, or leave the cell blank."
    ),
    "date": _("“%(value)s” is not a date: write YYYY-MM-DD or DD.MM.YYYY."),
    "date-outside": _("%(value)s is outside the activity's dates (%(start)s to %(end)s)."),
    "duplicate": _("The same person as row %(other)s of this file."),
    "headcount": _("“%(value)s” is not a whole number of people."),
    "tally-duplicate": _("The same sex, community and age band as row %(other)s of this file."),
    "extra-cells": _("This row has values beyond the last named column."),
    # Lists of records (akt.intake.kinds).
    "choice": _("“%(value)s” is not a value of %(field)s; write one of: %(choices)s."),
    "date-order": _("%(value)s is before %(field)s (%(start)s)."),
    "amount": _("“%(value)s” is not an amount of money: write a number such as 5000 or 5000.50."),
    "component": _(
        "“%(value)s” is not a component of the program: write its number (1 to 4) or its name."
    ),
    "topic": _(
        "“%(value)s” is not a topic the program knows: write topics by name or code, separated "
        "by “;”."
    ),
    "record-unknown": _(
        "No %(record)s has the reference or name “%(value)s”: import or register it first, or "
        "correct the name."
    ),
    "reference-duplicate": _(
        "The reference %(value)s is also on row %(other)s of this file; a record has one row."
    ),
    "reference-changed": _(
        "The record with reference %(reference)s is already recorded with “%(stored)s” here, and "
        "this file says “%(value)s”. A list does not change a recorded record: change it on its "
        "page, or give this row a new reference."
    ),
    "invalid": _("%(reason)s"),
}


CLOSEST_VALUES = _("%(problem)s The closest accepted values: %(closest)s.")
CLOSEST_MUNICIPALITIES = _("%(problem)s The closest municipalities: %(closest)s.")
"""A refused value's problem, followed by what the sheet probably meant (worded when shown)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (or the whole row when ``column`` is empty)."""

    row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The reason in the active language, with the closest accepted values when the
        value was refused for not being in its vocabulary."""
        reason = str(PROBLEMS[self.code]) % self.wording()
        closest = self.params.get("closest")
        if not closest:
            return reason
        if self.code == "municipality":  # codes, named in the reader's language
            language = translation.get_language() or settings.LANGUAGE_CODE
            places = gazetteer()
            closest = [places.municipality(code).name_in(language) for code in closest]
            return str(CLOSEST_MUNICIPALITIES) % {"problem": reason, "closest": ", ".join(closest)}
        return str(CLOSEST_VALUES) % {"problem": reason, "closest": ", ".join(closest)}

    def wording(self) -> dict[str, Any]:
        """The message's parameters in the active language: field labels and dates are worded
        when shown, not when the file was checked (the reader may not be the uploader)."""
        params = dict(self.params)
        if self.code == "sex":
            params["examples"] = SEX_EXAMPLES
        if "fields" in params:  # field codes, named by their labels
            labels: Mapping[str, object] = {
                item.code: item.label for item in (*ROSTER_FIELDS, *TALLY_FIELDS)
            }
            if "of" in params or any(code not in labels for code in params["fields"]):
                from akt.intake.kinds import field_labels  # the kinds import this module

                labels = field_labels(params.pop("of", None)) or labels
            params["field"] = ", ".join(str(labels[code]) for code in params.pop("fields"))
        if "choices" in params or "record" in params:
            from akt.intake.kinds import worded_choices, worded_record

            if "choices" in params:
                params["choices"] = worded_choices(params["choices"])
            if "record" in params:
                params["record"] = worded_record(params["record"])
        for name in ("start", "end"):
            if name in params:
                params[name] = date_format(date.fromisoformat(params[name]), "SHORT_DATE_FORMAT")
        return {"value": self.value, **params}


@dataclass
class CheckedRow:
    """A row as read and checked: its cells, the values read from them, and its problems."""

    number: int
    cells: list[str]
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "cells": self.cells,
            "values": self.values,
            "problems": [asdict(problem) for problem in self.problems],
        }


def problems_of(row: Mapping[str, Any]) -> list[Problem]:
    """The problems of a stored row (see :meth:`CheckedRow.as_json`)."""
    return [Problem(**problem) for problem in row.get("problems", ())]


class _Row:
    """Reading one sheet row by field, collecting problems as it goes."""

    def __init__(
        self, number: int, cells: Sequence[str], columns: Mapping[str, int], headers: Sequence[str]
    ) -> None:
        self.number = number
        self.cells = cells
        self.columns = columns
        self.headers = headers
        self.problems: list[Problem] = []

    def text(self, code: str) -> str:
        """The cell's text, without surrounding spaces or invisible characters (a zero-width
        space pasted into a name would be stored, and break search and linkage)."""
        index = self.columns.get(code)
        if index is None or index >= len(self.cells):
            return ""
        return strip_invisible(self.cells[index]).strip()

    def column(self, code: str) -> str:
        index = self.columns.get(code)
        return self.headers[index] if index is not None and index < len(self.headers) else ""

    def problem(self, code: str, problem: str, value: str = "", **params: Any) -> None:
        self.problems.append(Problem(self.number, self.column(code), value, problem, params))

    def read(self, code: str, reader: Any, problem: str) -> Any:
        """``reader(text)``, or None with a problem when the cell cannot be read (naming the
        closest accepted values when the reader offers them, :class:`Refused`)."""
        value = self.text(code)
        try:
            return reader(value)
        except Refused as refused:
            if refused.closest:
                self.problem(code, problem, value, closest=refused.closest)
            else:
                self.problem(code, problem, value)
            return None
        except ValueError:
            self.problem(code, problem, value)
            return None


def _columns(mapping: Mapping[int, str]) -> dict[str, int]:
    return {code: int(index) for index, code in mapping.items() if code}


def _extra_cells(row: _Row, width: int) -> None:
    if any(cell.strip() for cell in row.cells[width:]):
        row.problems.append(Problem(row.number, "", "", "extra-cells"))


def check_roster(
    *,
    headers: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[int, str],
    start: date,
    end: date,
    vocabulary: Vocabulary,
    organizations: OrganizationIndex | None = None,
) -> list[CheckedRow]:
    """Every roster row read and checked; ``rows`` are ``(row number, cells)``.

    An organization is never a problem: it is matched in ``organizations`` (the registry, read
    when not given) or proposed as new (:func:`_read_organization`).
    """
    if organizations is None:
        organizations = OrganizationIndex.load()
    columns = _columns(mapping)
    checked = []
    seen: dict[tuple[str, str], int] = {}
    for number, cells in rows:
        row = _Row(number, cells, columns, headers)
        _extra_cells(row, len(headers))
        given, family = clean_name(row.text("given_name")), clean_name(row.text("family_name"))
        if not (given or family) and row.text("full_name"):
            given, family = split_full_name(clean_name(row.text("full_name")))
        for code, value in (("given_name", given), ("family_name", family)):
            name_column = code if code in columns else "full_name"
            if not value:
                row.problem(name_column, "required", "", fields=[code])
            elif len(value) > NAME_LIMIT:  # refused, never cut: a cut name links to no one
                row.problem(
                    name_column,
                    "too-long",
                    value,
                    fields=[code],
                    length=len(value),
                    limit=NAME_LIMIT,
                )
        born, year = row.read("birth_date", parse_birth, "birth") or (None, None)
        birth_year = born.year if born else year
        if birth_year:
            years_old = age_on(start, birth_date=born, birth_year=year)
            if years_old is None:  # born after the activity, or implausibly long before it
                years_old = start.year - birth_year
            if not YOUNGEST_ATTENDEE <= years_old <= OLDEST_ATTENDEE:
                row.problem(
                    "birth_date", "birth-implausible", row.text("birth_date"), age=years_old
                )
        attended = row.read("attended_on", _date_or_blank, "date")
        if attended and not start <= attended <= end:
            row.problem(
                "attended_on",
                "date-outside",
                row.text("attended_on"),
                start=start.isoformat(),
                end=end.isoformat(),
            )
        values = {
            "given_name": given,
            "family_name": family,
            "sex": row.read("sex", vocabulary.sex, "sex") or "",
            "birth_date": born.isoformat() if born else None,
            "birth_year": year,
            **_read_consents(row, columns, vocabulary),
            "municipality": row.read("municipality", vocabulary.municipality, "municipality"),
            "role": row.read("role", vocabulary.role, "role") or "participant",
            "affiliation": row.read("affiliation", vocabulary.affiliation, "affiliation") or "",
            "organization": None,
            "submission_id": row.text("submission_id"),
        }
        _read_organization(values, row, organizations)
        _read_submission(values, row)
        if given or family:
            key = (sorted_name_key(given, family), row.text("birth_date"))
            if key in seen:
                row.problems.append(
                    Problem(
                        number, "", f"{given} {family}".strip(), "duplicate", {"other": seen[key]}
                    )
                )
            else:
                seen[key] = number
        checked.append(CheckedRow(number, list(cells), values, row.problems))
    return checked


YES_MARKS = frozenset({"✓", "✔", "☑", "+", "x", "X", "v", "V", "1"})
NO_MARKS = frozenset({"✗", "✘", "-", "–", "0"})
YES_WORDS = frozenset(
    {"y", "po", "da", "д", "да", "true", "ok", "pajtohem", "pajtohet", "saglasan", "saglasna"}
)
NO_WORDS = frozenset({"n", "jo", "ne", "н", "не", "false", "nuk", "nije", "nuk pajtohem"})


def read_consent(text: str) -> bool | None:
    """A consent cell as a hurried clerk fills it in: yes or no in English, Albanian or Serbian
    in either script ("Po", "Jo", "Da", "Ne", "Да", "Не"), a tick or a cross ("✓", "x"), 1 or
    0; None for a blank cell. Anything else raises ``ValueError``."""
    text = text.strip()
    if not text:
        return None
    if text in YES_MARKS:
        return True
    if text in NO_MARKS:
        return False
    key = header_key(text)
    answer = consent_answers().get(key)
    if answer is not None:
        return answer
    if key in YES_WORDS:
        return True
    if key in NO_WORDS:
        return False
    raise ValueError(text)


def _read_consents(row: _Row, columns: Mapping[str, int], vocabulary: Vocabulary) -> dict[str, Any]:
    """The basis for holding the person's data and their community, with its consent.

    A community is self-declared: where the sheet has a column for the consent to state it, the
    community is recorded only with a yes there; a community written beside a no or a blank is
    left out, and the row says so (``community_left_out``). A sheet without that column (older
    sign-in sheets, where the person wrote the community in their own hand) keeps it, its
    consent not recorded.
    """
    consent = row.read("consent", read_consent, "consent")
    community_consent = row.read("community_consent", read_consent, "consent")
    community = row.read("community", vocabulary.community, "community")
    left_out = community is not None and "community_consent" in columns and not community_consent
    return {
        "consent": bool(consent),
        "community": None if left_out else community,
        "community_consent": bool(community_consent),
        "community_left_out": left_out,
    }


def _read_organization(values: dict[str, Any], row: _Row, organizations: OrganizationIndex) -> None:
    """The organization a row names: the registered one (``organization``), or, for a name
    the registry does not have, the name to register on import (``organization_new``), or,
    for a name that fits several, none and those several (``organization_candidates``).
    A name longer than the registry keeps is refused, never cut."""
    match = organizations.match(clean_name(row.text("organization")))
    if match is None:
        return
    values["organization"] = match.found
    if match.is_new:
        if len(match.text) > ORGANIZATION_NAME_LIMIT:
            row.problem(
                "organization",
                "too-long",
                match.text,
                fields=["organization"],
                length=len(match.text),
                limit=ORGANIZATION_NAME_LIMIT,
            )
            return
        values["organization_new"] = match.text
    elif match.candidates:
        values["organization_candidates"] = list(match.candidates)


def _read_submission(values: dict[str, Any], row: _Row) -> None:
    """A Kobo or ODK submission's identifiers and a supervisor's decision on it
    (:mod:`akt.intake.sources.kobo`), kept only when the export carries them."""
    keys = row.text("submission_keys").split()
    if keys:
        values["submission_keys"] = keys
    status = row.text("validation_status")
    if status:
        values["validation_status"] = status


def check_tally(
    *,
    headers: Sequence[str],
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[int, str],
    vocabulary: Vocabulary,
) -> list[CheckedRow]:
    """Every tally row read and checked. A headcount of 0 is kept (and later skipped)."""
    columns = _columns(mapping)
    checked = []
    seen: dict[tuple[Any, ...], int] = {}
    for number, cells in rows:
        row = _Row(number, cells, columns, headers)
        _extra_cells(row, len(headers))
        text = row.text("headcount")
        headcount = None
        if not text:
            row.problem("headcount", "required", "", fields=["headcount"])
        else:
            headcount = _whole_number(text)
            if headcount is None:
                row.problem("headcount", "headcount", text)
        values = {
            "sex": row.read("sex", vocabulary.sex, "sex") or "",
            "community": row.read("community", vocabulary.community, "community"),
            "age_band": row.read("age_band", vocabulary.age_band, "age-band") or "",
            "headcount": headcount,
        }
        key = (values["sex"], values["community"], values["age_band"])
        if key in seen:
            row.problems.append(Problem(number, "", "", "tally-duplicate", {"other": seen[key]}))
        else:
            seen[key] = number
        checked.append(CheckedRow(number, list(cells), values, row.problems))
    return checked


def _whole_number(text: str) -> int | None:
    """The headcount a cell holds, or None when it is not one the database can store."""
    cleaned = text.replace(" ", "").replace("\u00a0", "")
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    return parse_whole_number(cleaned, largest=LARGEST_HEADCOUNT)


def _date_or_blank(text: str) -> date | None:
    if not text:
        return None
    born, _year = parse_birth(text)
    if born is None:
        raise ValueError(text)
    return born
