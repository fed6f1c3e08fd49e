"""An XLSForm for collecting an activity's attendance offline in KoboToolbox or ODK Collect.

Where there is no laptop at the door, staff register attendees on a phone or tablet and the
submissions are exported and imported later (:mod:`akt.intake.sources.kobo`). One submission is
one attendee. The questions are named by the roster field codes (:data:`akt.intake.fields.
ROSTER_FIELDS`), so an export's columns map onto the roster without a mapping step, and the
select questions' choices are named by the codes the program stores (``female``, community and
municipality codes, role and affiliation values), so an export of choice names is read without
guessing at spellings.

Choices made here:

- The birth date is a text question, not a ``date``: people often give only the year, and a date
  widget would make the collector invent a day and month. The constraint accepts ``YYYY`` or
  ``YYYY-MM-DD``, the two forms the importer reads.
- Community is asked only after ``community_consent`` is answered "yes": declaring a community
  is voluntary and the collector records that the person agreed. "No" leaves the community
  blank, which the program keeps apart from the answer "Prefer not to say".
- ``activity_id`` is a ``calculate`` holding the activity's id, so every submission carries it
  even when several activities' forms are exported together.
- The form is in every interface language. XLSForm language columns are named "Name (code)"
  with a single IANA subtag as the code; Serbian in both scripts is tagged ``sr`` (pyxform
  rejects "sr-Latn" and "sr-Cyrl" as codes), and the names tell the scripts apart.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from akt.activities.models import Activity, AttendanceRole
from akt.intake.fields import ROSTER_FIELDS, Field, header_key
from akt.people.models import Affiliation, Sex
from akt.places.models import Community, Municipality
from akt.text.names import fold
from akt.translation import localized

LANGUAGE_TAGS: dict[str, str] = {"en": "en", "sq": "sq", "sr-latn": "sr", "sr": "sr"}
"""Interface language -> the IANA subtag XLSForm language columns carry."""

BIRTH_DATE_PATTERN = r"^(19|20)[0-9]{2}(-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$"
"""A year (YYYY) or a full date (YYYY-MM-DD) of the 20th or 21st century."""

CONSENT_YES = "yes"
CONSENT_NO = "no"

ACTIVITY_ID = "activity_id"
"""The calculated question that carries the activity's id into every submission."""

COMMUNITY_CONSENT = "community_consent"
"""The question recording that the person agreed to state a community ("yes" or "no")."""

NOTE_NAMES = frozenset({"intro"})
"""Questions that only show text: an export may carry them as empty columns."""

Text = Callable[[], str]
"""A person-readable text, called once per language under ``translation.override``."""


@dataclass(frozen=True)
class _Question:
    type: str
    name: str
    label: Text | None = None
    hint: Text | None = None
    required: bool = False
    constraint: str = ""
    constraint_message: Text | None = None
    relevant: str = ""
    calculation: str = ""
    default: str = ""
    appearance: str = ""


@dataclass(frozen=True)
class _Choice:
    list_name: str
    name: str
    label: Callable[[str], str]
    """The label in the given interface language."""


@dataclass
class _Sheet:
    columns: list[str]
    rows: list[list[str | None]] = field(default_factory=list)


def attendance_xlsform(
    *,
    activity: Activity,
    communities: Iterable[Community],
    municipalities: Iterable[Municipality],
    version: str,
    language: str | None = None,
) -> bytes:
    """The XLSForm (.xlsx with survey, choices and settings sheets) for ``activity``.

    ``language`` (default: the active one) is the form's default language and the language of
    its title; every language of ``settings.LANGUAGES`` is in the form. ``version`` goes to the
    settings sheet: Kobo and ODK Central refuse a changed form under an unchanged version.
    """
    if activity.pk is None:
        raise ValueError("The activity must be saved: its id goes into every submission.")
    language = _form_language(language)
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    _fill(survey, _survey_sheet(_questions(activity)))
    _fill(book.create_sheet("choices"), _choices_sheet(_choices(communities, municipalities)))
    with translation.override(language):
        title = _("Attendance at %(title)s") % {"title": activity.title}
    _fill(
        book.create_sheet("settings"),
        _Sheet(
            ["form_title", "form_id", "version", "default_language"],
            [[title, form_id(activity), version, language_column(language)]],
        ),
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def form_id(activity: Activity) -> str:
    """The form's id: one form per activity, so submissions of two activities never mix."""
    return f"akt_attendance_{activity.pk}"


def language_column(language: str) -> str:
    """The XLSForm name of an interface language, e.g. "Shqip (sq)"."""
    names = dict(settings.LANGUAGES)
    return f"{names[language]} ({LANGUAGE_TAGS[language]})"


def _form_language(language: str | None) -> str:
    """An interface language code ("sr-latn"), from the one given or the active one."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        raise ValueError(f"Unknown interface language {code!r}.") from None


def _questions(activity: Activity) -> list[_Question]:
    fields = {item.code: item for item in ROSTER_FIELDS}

    def label(code: str) -> Text:
        return lambda: str(fields[code].label)

    def help_text(code: str) -> Text:
        return lambda: str(fields[code].help)

    return [
        _Question(
            "note",
            "intro",  # in NOTE_NAMES
            label=lambda: (
                _("Fill in one form for each person who attended %(title)s.")
                % {"title": activity.title}
            ),
        ),
        _Question(
            "select_one yes_no",
            "consent",
            label("consent"),
            hint=lambda: _(
                "Ask before anything else; the program keeps the person's data only with "
                "their agreement."
            ),
        ),
        _Question(
            "text", "given_name", label("given_name"), help_text("given_name"), required=True
        ),
        _Question(
            "text", "family_name", label("family_name"), help_text("family_name"), required=True
        ),
        _Question("select_one sex", "sex", label("sex")),
        _Question(
            "text",
            "birth_date",
            label("birth_date"),
            hint=lambda: _("The year of birth (YYYY), or the full date (YYYY-MM-DD)."),
            constraint=f"regex(., '{BIRTH_DATE_PATTERN}')",
            constraint_message=lambda: _("Write the year (YYYY) or the full date (YYYY-MM-DD)."),
        ),
        _Question(
            "select_one yes_no",
            COMMUNITY_CONSENT,
            label=_consent_label,
            hint=lambda: _("Stating a community is voluntary: ask, never guess."),
        ),
        _Question(
            "select_one community",
            "community",
            label("community"),
            hint=lambda: _("As the person states it; 'Prefer not to say' is an answer too."),
            relevant=f"${{{COMMUNITY_CONSENT}}} = '{CONSENT_YES}'",
        ),
        _Question(
            "select_one municipality",
            "municipality",
            label("municipality"),
            hint=lambda: _("Where the person lives."),
            appearance="autocomplete",
        ),
        _Question(
            "select_one role",
            "role",
            label("role"),
            required=True,
            default=AttendanceRole.PARTICIPANT.value,
        ),
        _Question("text", "organization", label("organization"), help_text("organization")),
        _Question("select_one affiliation", "affiliation", label("affiliation")),
        _Question(
            "date",
            "attended_on",
            label("attended_on"),
            help_text("attended_on"),
            constraint=(
                f". >= date('{activity.start_date.isoformat()}') and "
                f". <= date('{activity.end_date.isoformat()}')"
            ),
            constraint_message=lambda: _("The day must be within the activity's dates."),
        ),
        _Question("calculate", ACTIVITY_ID, calculation=str(int(activity.pk))),
    ]


def _consent_label() -> str:
    return _("Does the person agree to state the community they belong to?")


@functools.cache
def question_names_by_label() -> dict[str, str]:
    """The form's questions by their label in every language, compared as headers are
    (:func:`akt.intake.fields.header_key`): a KoboToolbox export "with labels" heads its columns
    with them ("Emri", "Пол", "Does the person agree to state the community they belong
    to?"), and the importer reads them as the questions they are.

    The labels are code (the roster fields' labels and the form's own questions), so the table
    is worked out once per process. The note and the calculated ``activity_id`` are left out:
    the note is never answered and a calculate has no label (exports head it by its name).
    """

    def label_of(item: Field) -> Text:
        return lambda: str(item.label)

    labelled = {item.code: label_of(item) for item in ROSTER_FIELDS}
    labelled[COMMUNITY_CONSENT] = _consent_label
    names: dict[str, str] = {}
    for code, _name in settings.LANGUAGES:
        for name, label in labelled.items():
            names.setdefault(header_key(_in(code, label)), name)
    return names


@functools.cache
def consent_answers() -> dict[str, bool]:
    """The consent question's answers, by name ("yes", "no") and by their label in every
    language ("Po", "Da", "Да", "Jo", "Ne", "Не"), compared as headers are."""
    answers = {CONSENT_YES: True, CONSENT_NO: False}
    for code, _name in settings.LANGUAGES:
        answers.setdefault(header_key(_in(code, lambda: _("Yes"))), True)
        answers.setdefault(header_key(_in(code, lambda: _("No"))), False)
    return answers


def _choices(
    communities: Iterable[Community], municipalities: Iterable[Municipality]
) -> list[_Choice]:
    def from_choices(list_name: str, choices: type[Choices]) -> list[_Choice]:
        labels = dict(choices.choices)

        def label(value: Any) -> Callable[[str], str]:
            return lambda _code: str(labels[value])  # the active language's

        return [_Choice(list_name, value, label(value)) for value in choices.values]

    def from_places(list_name: str, places: Iterable[Community | Municipality]) -> list[_Choice]:
        def label(place: Community | Municipality) -> Callable[[str], str]:
            return lambda code: localized(place, "name", code)

        return [_Choice(list_name, place.code, label(place)) for place in places]

    yes_no = [
        _Choice("yes_no", CONSENT_YES, lambda _code: _("Yes")),
        _Choice("yes_no", CONSENT_NO, lambda _code: _("No")),
    ]
    return [
        *from_choices("sex", Sex),
        *yes_no,
        *from_places("community", communities),
        *from_places("municipality", sorted(municipalities, key=lambda item: fold(item.name_sq))),
        *from_choices("role", AttendanceRole),
        *from_choices("affiliation", Affiliation),
    ]


def _survey_sheet(questions: Sequence[_Question]) -> _Sheet:
    languages = [code for code, _name in settings.LANGUAGES]
    translated = ("label", "hint", "constraint_message")
    columns = [
        "type",
        "name",
        *(f"{kind}::{language_column(code)}" for kind in translated for code in languages),
        "required",
        "constraint",
        "relevant",
        "calculation",
        "default",
        "appearance",
    ]
    sheet = _Sheet(columns)
    for question in questions:
        texts: list[str | None] = []
        for kind in translated:
            text = getattr(question, kind)
            texts += [_in(code, text) if text else None for code in languages]
        sheet.rows.append(
            [
                question.type,
                question.name,
                *texts,
                "yes" if question.required else None,
                question.constraint or None,
                question.relevant or None,
                question.calculation or None,
                question.default or None,
                question.appearance or None,
            ]
        )
    return sheet


def _choices_sheet(choices: Sequence[_Choice]) -> _Sheet:
    languages = [code for code, _name in settings.LANGUAGES]
    sheet = _Sheet(
        ["list_name", "name", *(f"label::{language_column(code)}" for code in languages)]
    )
    for choice in choices:
        labels = [_in(code, functools.partial(choice.label, code)) for code in languages]
        sheet.rows.append([choice.list_name, choice.name, *labels])
    return sheet


def _in(language: str, text: Text) -> str:
    with translation.override(language):
        value = text()
        return str(value) if isinstance(value, Promise) else value


def _fill(sheet: Worksheet, content: _Sheet) -> None:
    """Write the sheet's rows as plain values: no cell of an XLSForm may become a formula."""
    lines: list[Sequence[str | None]] = [content.columns, *content.rows]
    for row_number, row in enumerate(lines, start=1):
        for column_number, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=column_number, value=value)
            if cell.data_type == "f":
                cell.data_type = "s"
