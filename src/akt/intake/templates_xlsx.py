"""Excel templates staff download, fill in offline and upload again.

A clerk fills in a roster (one row per attendee) or a tally (one row per sex x community x age
band headcount) in Excel or LibreOffice. The template speaks the clerk's language: its column
names are the fields' labels in that language, which :func:`akt.intake.fields.recognise` maps
back whatever language the person importing it uses, and its drop-down lists hold the sexes,
communities, municipalities, roles and affiliations as that language writes them.

Layout of a workbook:

``<Roster>`` / ``<Tally>`` (first sheet, title translated)
    Row 1 holds the column names (bold, frozen, with the field's help as a cell comment); rows
    2 to :data:`TEMPLATE_ROWS` carry the drop-down and whole-number validations.
``<Instructions>`` (title translated)
    How to fill in the workbook, then one row per column with what to write in it.
``<Activity>`` (only when the template is for one activity)
    Key/value rows naming the activity: column A is the key as the reader's language writes it,
    column B the value, and column C (hidden) the machine key from :data:`ACTIVITY_KEYS`, so the
    workbook reads back whatever language it was downloaded in. The sheet title is one of
    :data:`ACTIVITY_SHEET_TITLES`; :func:`is_activity_sheet` and :func:`read_activity_sheet` are
    the reading side.
``Lists`` (hidden)
    One column per drop-down, row 1 the field's label, the values below. Validations refer to
    these ranges rather than carrying the values inline: Excel limits an inline list to 255
    characters and splits it at commas, and municipality names run longer than that.

The workbook holds no formulas: a value that starts with "=" is written as text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Choices
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from akt.activities.models import Activity, AgeBand, Attendance, AttendanceRole
from akt.intake.fields import ROSTER_FIELDS, TALLY_FIELDS, Field, header_key
from akt.intake.models import ImportKind
from akt.people.models import Affiliation, ConsentBasis, ProcessingBasis, Sex
from akt.places.models import Community, Municipality
from akt.text.names import fold
from akt.translation import localized

TEMPLATE_ROWS = 2000
"""The last row that carries the drop-downs: more than any roster an activity has had (a
filled-in roster carries them 500 rows past its last row)."""

LISTS_SHEET = "Lists"
"""The hidden sheet of drop-down values. A fixed name: the validations' formulas refer to it."""

ACTIVITY_SHEET_TITLES: dict[str, str] = {
    "en": "Activity",
    "sq": "Aktiviteti",
    "sr-latn": "Aktivnost",
    "sr": "Активност",
}
"""The activity sheet's title per interface language. Fixed rather than taken from the catalog,
because the reader recognises the sheet by these exact titles whichever language wrote it."""

ACTIVITY_KEYS: tuple[str, ...] = (
    "activity_id",
    "title",
    "kind",
    "municipality",
    "start_date",
    "end_date",
)
"""The machine keys of the activity sheet's rows, in column C; ``activity_id`` is the one the
import relies on, the others let a person see which activity the sheet belongs to."""

_HEADER_FONT = Font(bold=True)
_MAX_ERROR_TITLE, _MAX_ERROR = 32, 225
"""Excel refuses to open a workbook whose validation message is longer (a translation may be)."""
_SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass(frozen=True)
class _Column:
    """One column of the data sheet: a field and, when it has one, its drop-down values."""

    field: Field
    choices: tuple[str, ...] = ()
    whole_number: bool = False
    text: bool = False


def roster_template(
    *,
    language: str,
    activity: Activity | None = None,
    communities: Iterable[Community],
    municipalities: Iterable[Municipality],
    attendances: Iterable[Attendance] = (),
) -> bytes:
    """An .xlsx roster template in ``language``: one row per attendee.

    ``full_name`` is left out: the template separates given and family names, which is what
    identity resolution compares best.

    ``attendances`` fills the roster in (the activity's roster as it stands, to be checked or
    completed offline and imported again): each row as the person was registered, with the
    drop-down values written in ``language``. Rows already on the roster are recognised when
    the file comes back, so only what was added is imported. The caller passes only the rows
    its reader may see.
    """
    language = _checked_language(language)
    with translation.override(language):
        lists = {
            "sex": _choice_labels(Sex),
            "community": [localized(item, "name") for item in communities],
            "municipality": sorted((localized(item, "name") for item in municipalities), key=fold),
            "role": _choice_labels(AttendanceRole),
            "affiliation": _choice_labels(Affiliation),
            "consent": [_("Yes"), _("No")],
            "community_consent": [_("Yes"), _("No")],
        }
        columns = [
            _Column(
                item,
                choices=tuple(lists.get(item.code, ())),
                text=item.code == "birth_date",
            )
            for item in ROSTER_FIELDS
            if item.code != "full_name"
        ]
        rows = [_roster_row(attendance, columns) for attendance in attendances]
        data_title = _("Roster")
        guidance = [
            _(
                'Write one row per attendee on the sheet "%(sheet)s", below the column names; '
                "do not change the column names."
            )
            % {"sheet": data_title},
            _(
                "Write dates as YYYY-MM-DD or DD.MM.YYYY, or only the year when that is all "
                "you know."
            ),
            _(
                "Ask each person whether they agree that the program keeps their data, and "
                "whether they agree to state their community; write the community only when "
                "they do. Yes or no, in any language, or a tick."
            ),
        ]
        return _workbook(language, data_title, columns, guidance, activity, rows)


def _roster_row(attendance: Attendance, columns: Sequence[_Column]) -> list[str]:
    """One roster row in the template's columns, in the active language."""
    person = attendance.person
    values = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "sex": str(person.get_sex_display()) if person.sex else "",
        "birth_date": _iso(person.birth_date) or str(person.birth_year or ""),
        "community": localized(person.community, "name") if person.community else "",
        "municipality": localized(person.municipality, "name") if person.municipality else "",
        "role": str(attendance.get_role_display()),
        "organization": attendance.organization.name if attendance.organization else "",
        "affiliation": str(person.get_affiliation_display()) if person.affiliation else "",
        "consent": _("Yes") if person.consent_basis == ProcessingBasis.CONSENT else "",
        "community_consent": (_("Yes") if person.community_consent == ConsentBasis.CONSENT else ""),
    }
    return [values.get(column.field.code, "") for column in columns]


def tally_template(
    *,
    language: str,
    activity: Activity | None = None,
    communities: Iterable[Community],
) -> bytes:
    """An .xlsx tally template in ``language``: one row per sex x community x age band count,
    for events too large to register names."""
    language = _checked_language(language)
    with translation.override(language):
        lists = {
            "sex": _choice_labels(Sex),
            "community": [localized(item, "name") for item in communities],
            "age_band": _choice_labels(AgeBand),
        }
        columns = [
            _Column(
                item,
                choices=tuple(lists.get(item.code, ())),
                whole_number=item.code == "headcount",
            )
            for item in TALLY_FIELDS
        ]
        data_title = _("Tally")
        headcount = next(item for item in TALLY_FIELDS if item.code == "headcount")
        guidance = [
            _(
                "Write one row per group of attendees of the same sex, community and age band on "
                'the sheet "%(sheet)s", and how many people it counts in the column "%(column)s".'
            )
            % {"sheet": data_title, "column": str(headcount.label)},
            _("Leave a cell blank when the people were not counted by that column."),
        ]
        return _workbook(language, data_title, columns, guidance, activity)


DATE_FIELDS = frozenset(
    {
        "start_date",
        "end_date",
        "award_date",
        "completion_date",
        "adopted_on",
        "period_start",
        "period_end",
        "due_date",
    }
)


def record_template(
    *,
    kind: str,
    language: str,
    municipalities: Iterable[Municipality],
    components: Iterable[Any],
) -> bytes:
    """An .xlsx template of a list of records (activities, organizations, grants, plans, plan
    actions, infrastructure projects) in ``language``: one row per record, each with the
    reference the office gives it, and drop-down lists for the columns that take a value from
    a list (kinds, sectors, statuses, currencies, municipalities, components)."""
    from akt.intake.kinds import CHOICES, RecordKind, import_kind  # the kinds import this module

    spec = import_kind(kind)
    if not isinstance(spec, RecordKind):
        raise ValueError(f"{kind!r} is not a list of records")
    language = _checked_language(language)
    with translation.override(language):
        lists: dict[str, list[str]] = {
            "municipality": sorted((localized(item, "name") for item in municipalities), key=fold),
            "component": [localized(item, "name") for item in components],
            **{code: _choice_labels(CHOICES[key]) for code, key in spec.choices.items()},
        }
        columns = [
            _Column(item, choices=tuple(lists.get(item.code, ())), text=item.code in DATE_FIELDS)
            for item in spec.fields("spreadsheet")
        ]
        data_title = str(ImportKind(kind).label)
        guidance = [
            _(
                'Write one row per record on the sheet "%(sheet)s", below the column names; '
                "do not change the column names."
            )
            % {"sheet": _sheet_title(data_title)},
            _(
                "Give every row its reference, the number your office gives the record: when the "
                "list is imported again, the rows already imported are recognised by it and "
                "left as they are."
            ),
            _("Write dates as YYYY-MM-DD or DD.MM.YYYY."),
        ]
        return _workbook(language, data_title, columns, guidance, None)


def is_activity_sheet(title: str) -> bool:
    """Whether a sheet is a template's activity sheet, whatever language wrote it."""
    return title.strip().casefold() in {name.casefold() for name in ACTIVITY_SHEET_TITLES.values()}


def read_activity_sheet(rows: Iterable[Sequence[Any]]) -> dict[str, str]:
    """Machine key -> value of an activity sheet's rows (cell values, column A first).

    The hidden column C names the key. A sheet whose column C was lost (copied into another
    workbook, say) is still read by the label in column A, in any interface language, compared
    as :func:`header_key` compares headers; so ``Sheet.metadata.items()`` of a workbook read by
    :mod:`akt.intake.sources` (keys already folded that way) reads back too.
    """
    by_label = _activity_keys_by_label()
    values: dict[str, str] = {}
    for row in rows:
        cells = [("" if value is None else str(value)).strip() for value in row]
        cells += [""] * (3 - len(cells))
        label, value, key = cells[:3]
        key = key if key in ACTIVITY_KEYS else by_label.get(header_key(label), "")
        if key and key not in values:
            values[key] = value
    return values


def _checked_language(language: str) -> str:
    """One of the interface languages ("sr-latn"); "en-US" is taken as "en"."""
    try:
        return translation.get_supported_language_variant(language.lower())
    except LookupError:
        codes = [code for code, _name in settings.LANGUAGES]
        raise ValueError(
            f"Unknown interface language {language!r}; expected one of {codes}."
        ) from None


def _choice_labels(choices: type[Choices]) -> list[str]:
    return [str(label) for label in choices.labels]


def _workbook(
    language: str,
    data_title: str,
    columns: Sequence[_Column],
    guidance: Sequence[str],
    activity: Activity | None,
    rows: Sequence[Sequence[str]] = (),
) -> bytes:
    """The workbook, built in the active language; ``guidance`` opens the instructions and
    ``rows`` (values in the columns' order) fill the data sheet below its headers."""
    book = Workbook()
    data = book.active
    data.title = _sheet_title(data_title)
    instructions = book.create_sheet(_sheet_title(_("Instructions")))
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"

    _write_headers(data, columns)
    _write_lists(data, lists, columns, last_row=max(TEMPLATE_ROWS, len(rows) + 500))
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            if value:
                _put(data, number, index, value)
    guidance = [
        *guidance,
        _(
            "Where a column has a drop-down list, choose from it; other spellings are accepted "
            "but checked when the file is imported."
        ),
        _("Do not add formulas, merged cells or other sheets."),
        _("Save the file as an Excel workbook (.xlsx)."),
    ]
    if activity is not None:
        sheet = book.create_sheet(ACTIVITY_SHEET_TITLES[language], index=2)
        _write_activity(sheet, activity)
        guidance.append(
            _('The sheet "%(sheet)s" names the activity this file belongs to; do not change it.')
            % {"sheet": sheet.title}
        )
    _write_instructions(instructions, guidance, columns)

    book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_headers(data: Worksheet, columns: Sequence[_Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = _put(data, 1, index, str(column.field.label))
        cell.font = _HEADER_FONT
        cell.comment = Comment(str(column.field.help), "AKT", width=320, height=110)
        letter = get_column_letter(index)
        longest = max((len(text) for text in (cell.value, *column.choices)), default=10)
        data.column_dimensions[letter].width = min(max(longest, 12) + 3, 60)
        if column.text:
            # Dates stay as typed: Excel would read "05.06.1980" by the computer's locale.
            data.column_dimensions[letter].number_format = "@"
    data.freeze_panes = "A2"


def _write_lists(
    data: Worksheet, lists: Worksheet, columns: Sequence[_Column], *, last_row: int
) -> None:
    """Fill the hidden lists and attach a validation to each column that has one, down to
    ``last_row``."""
    list_column = 0
    for index, column in enumerate(columns, start=1):
        target = f"{get_column_letter(index)}2:{get_column_letter(index)}{last_row}"
        if column.whole_number:
            rule = DataValidation(
                type="whole",
                operator="greaterThanOrEqual",
                formula1="0",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="stop",
                errorTitle=_("Not a whole number")[:_MAX_ERROR_TITLE],
                error=_("Write a whole number: 0 or more.")[:_MAX_ERROR],
            )
        elif column.choices:
            list_column += 1
            _put(lists, 1, list_column, str(column.field.label)).font = _HEADER_FONT
            for row, value in enumerate(column.choices, start=2):
                _put(lists, row, list_column, value)
            letter, last = get_column_letter(list_column), len(column.choices) + 1
            rule = DataValidation(
                type="list",
                formula1=f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}",
                allow_blank=True,
                showErrorMessage=True,
                # A warning, not a stop: "F" or "Femër" typed by hand is still read correctly.
                errorStyle="warning",
                errorTitle=_("Not in the list")[:_MAX_ERROR_TITLE],
                error=_("Choose a value from the list, or check the spelling.")[:_MAX_ERROR],
            )
        else:
            continue
        data.add_data_validation(rule)
        rule.add(target)


def _write_activity(sheet: Worksheet, activity: Activity) -> None:
    """Key | value | hidden machine key, one row per entry of :data:`ACTIVITY_KEYS`."""
    labels = _activity_labels()
    values: dict[str, Any] = {
        "activity_id": activity.pk,
        "title": activity.title,
        "kind": str(activity.get_kind_display()),
        "municipality": localized(activity.municipality, "name"),
        "start_date": _iso(activity.start_date),
        "end_date": _iso(activity.end_date),
    }
    for row, key in enumerate(ACTIVITY_KEYS, start=1):
        _put(sheet, row, 1, labels[key]).font = _HEADER_FONT
        _put(sheet, row, 2, values[key])
        _put(sheet, row, 3, key)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = max(40, len(activity.title) + 3)
    sheet.column_dimensions["C"].hidden = True


def _write_instructions(
    sheet: Worksheet, guidance: Sequence[str], columns: Sequence[_Column]
) -> None:
    _put(sheet, 1, 1, _("How to fill in this file")).font = Font(bold=True, size=14)
    row = 2
    for line in guidance:
        _put(sheet, row, 1, line)
        row += 1
    row += 1
    _put(sheet, row, 1, _("Column")).font = _HEADER_FONT
    _put(sheet, row, 2, _("What to write")).font = _HEADER_FONT
    for column in columns:
        row += 1
        _put(sheet, row, 1, str(column.field.label))
        _put(sheet, row, 2, str(column.field.help)).alignment = Alignment(wrap_text=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90


def _activity_labels() -> dict[str, str]:
    """The activity sheet's keys as the active language writes them."""
    return {
        "activity_id": _("Activity ID"),
        "title": _("Title"),
        "kind": _("Kind"),
        "municipality": _("Municipality"),
        "start_date": _("Start date"),
        "end_date": _("End date"),
    }


def _activity_keys_by_label() -> dict[str, str]:
    by_label: dict[str, str] = {header_key(key): key for key in ACTIVITY_KEYS}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for key, label in _activity_labels().items():
                by_label.setdefault(header_key(label), key)
    return by_label


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value as data, never as a formula (a title may start with "=")."""
    cell = sheet.cell(row=row, column=column, value=value)
    if cell.data_type == "f":
        cell.data_type = "s"
    return cell


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _sheet_title(text: str) -> str:
    """A title Excel accepts: no []:*?/\\ and at most 31 characters."""
    return _SHEET_TITLE_FORBIDDEN.sub(" ", text).strip()[:31] or "Sheet"
