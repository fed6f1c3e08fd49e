"""Submissions of the attendance form (:mod:`akt.intake.xlsform`) exported from KoboToolbox or
ODK Central, brought to the roster's shape.

What KoboToolbox's export library (formpack) writes, and what is read here:

- One row per submission (one attendee), in an .xlsx workbook or a CSV. The CSV separates cells
  with ";" and quotes every cell (UTF-8, no byte-order mark); the workbook has one sheet named
  after the form's title, cut to 31 characters with "..." (Excel's limit). Which sheet it is does
  not matter: the export has only that one.
- The form's questions, headed by their name ("given_name") with "XML values and headers", or
  by their label in the chosen language ("Emri", "Име", "Given name") with "labels". With
  "include groups in headers" a question is headed by its group path ("attendee/given_name",
  or the groups' labels, "Attendee/Given name"); ODK Central joins groups with "-". Select
  questions hold the choice's name ("female", "gracanice") or its label ("Femër", "Грачаница").
  A multiple-select question may come as one column and, split, one column per choice
  ("topics/serb"); the split columns repeat the summary and are dropped. Notes come as empty
  columns and are dropped. The calculated ``activity_id`` has no label, so it keeps its name.
- The server's columns after the questions: ``_id`` (the submission's number on the server,
  kept through edits), ``_uuid`` (changed by every edit), ``_submission_time``,
  ``_validation_status`` (``validation_status_not_approved``, ``..._approved``,
  ``..._on_hold``, or their labels "Not Approved", "Approved", "On Hold"), ``_notes``,
  ``_status``, ``_submitted_by``, ``__version__``, ``_tags``, ``_index``; and the form's meta
  group: ``meta/instanceID`` (changed by every edit), ``meta/deprecatedID`` (the id the edit
  replaced) and, on current servers, ``meta/rootUuid`` (the first id, kept through edits).
  ODK Central writes ``KEY`` (the submission's first instance id) and ``ReviewState``
  ("rejected", "hasIssues", "approved", "edited").

:func:`kobo_sheet` keeps, in this order:

- ``submission_id``: the submission's identifier without its "uuid:" prefix, so importing the
  same export twice does not count anyone twice: ``meta/rootUuid``, then ``_uuid``, ODK
  Central's ``KEY``, and ``instanceID``, the first one not empty.
- ``submission_keys``: every identifier the row carries (its ids, the id its edit replaced, and
  ``_id`` as "_id:310558"), separated by spaces. An edited submission is recognised by any of
  them: on a current server by its root uuid, on an older one by ``_id``, after two edits by
  the id the last edit replaced.
- ``validation_status``: what a supervisor decided on the server, as :data:`NOT_APPROVED`,
  :data:`ON_HOLD`, :data:`APPROVED` or "" (see :func:`review_state`).
- ``activity_id`` and every question, named by the question (a label in any of the form's
  languages is read as its question). A column the form does not have (a question added on the
  server) is kept for the person importing to map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from akt.intake.fields import ROSTER_FIELDS, header_key
from akt.intake.sources.base import Sheet, SheetRow, read_sheet
from akt.intake.xlsform import ACTIVITY_ID, COMMUNITY_CONSENT, NOTE_NAMES, question_names_by_label

SUBMISSION_ID = "submission_id"
SUBMISSION_KEYS = "submission_keys"
VALIDATION_STATUS = "validation_status"
SERVER_FIELDS = (SUBMISSION_ID, SUBMISSION_KEYS, VALIDATION_STATUS)
"""The columns :func:`kobo_sheet` puts first, worked out from the server's columns."""

NOT_APPROVED = "not_approved"
ON_HOLD = "on_hold"
APPROVED = "approved"

ID_COLUMNS: tuple[str, ...] = ("rootUuid", "_uuid", "KEY", "instanceID")
"""Columns naming the submission, most stable first."""

KEY_COLUMNS: tuple[str, ...] = (*ID_COLUMNS, "deprecatedID", "_id")
"""Columns whose values identify the submission or an earlier version of it."""

STATUS_COLUMNS: tuple[str, ...] = ("_validation_status", "ReviewState")
"""KoboToolbox's and ODK Central's column for a supervisor's decision."""

_REVIEW_STATES = {
    # KoboToolbox: the status's uid (XML values) and its label (label exports).
    "validation status not approved": NOT_APPROVED,
    "not approved": NOT_APPROVED,
    "validation status on hold": ON_HOLD,
    "on hold": ON_HOLD,
    "validation status approved": APPROVED,
    "approved": APPROVED,
    # ODK Central's review states.
    "rejected": NOT_APPROVED,
    "hasissues": ON_HOLD,
}

SERVER_COLUMNS = frozenset(
    name.casefold()
    for name in (
        # Metadata questions KoboToolbox adds to a form by default, and the form's meta block.
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "simserial",
        "subscriberid",
        "phonenumber",
        "audit",
        "audit_URL",
        "instanceID",
        "instanceName",
        "deprecatedID",
        "rootUuid",
        # ODK Central's export columns.
        "SubmissionDate",
        "KEY",
        "SubmitterID",
        "SubmitterName",
        "AttachmentsPresent",
        "AttachmentsExpected",
        "Status",
        "ReviewState",
        "DeviceID",
        "Edits",
        "FormVersion",
    )
)
"""Columns of the server or the device, not of the attendee (KoboToolbox's own columns all
start with "_" and are recognised by that)."""

SERVER_GROUPS = ("meta", "formhub")
"""Groups whose every column belongs to the server ("meta/instanceID", "formhub/uuid")."""

FORM_NAMES = frozenset(
    {item.code for item in ROSTER_FIELDS}
    | {ACTIVITY_ID, COMMUNITY_CONSENT}
    | set(KEY_COLUMNS)
    | set(STATUS_COLUMNS)
)
"""Names a column may end in after a group path joined with "-" or "."."""

FORM_ID = re.compile(r"akt_attendance_(\d+)", re.IGNORECASE)
"""The form's id (:func:`akt.intake.xlsform.form_id`), which names the activity: ODK Central
names its export after it ("akt_attendance_42.csv")."""


@dataclass(frozen=True)
class KoboLayout:
    """Which columns of an export are kept, and under what names; worked out once from the
    headers (and which columns hold anything) and applied to each row."""

    headers: tuple[str, ...]
    """:data:`SERVER_FIELDS`, then the kept columns' names."""
    kept: tuple[int, ...]
    id_columns: tuple[int, ...]
    """Columns that may name the submission, most stable first."""
    key_columns: tuple[tuple[int, str], ...] = ()
    """Columns holding any of the submission's identifiers, with their name."""
    status_columns: tuple[int, ...] = ()

    def row(self, cells: Sequence[object]) -> tuple[str, ...]:
        """One export row in the layout's shape (missing cells read as "")."""
        texts = [_text(value) for value in cells]
        used = (*self.kept, *self.id_columns, *self.status_columns)
        used += tuple(index for index, _name in self.key_columns)
        texts += [""] * (max(used, default=-1) + 1 - len(texts))
        submission = next((texts[i].strip() for i in self.id_columns if texts[i].strip()), "")
        keys = _unique_keys(_key(name, texts[index]) for index, name in self.key_columns)
        status = next((review_state(texts[i]) for i in self.status_columns if texts[i].strip()), "")
        return (
            submission_id(submission),
            " ".join(keys),
            status,
            *(texts[i] for i in self.kept),
        )


def kobo_layout(
    headers: Sequence[str], rows: Sequence[Sequence[object]] | None = None
) -> KoboLayout:
    """The layout of an export with these headers. Given its ``rows``, a column the form does
    not have and that holds nothing in any row (a note headed by its label) is left out."""
    names = [_question_name(header) for header in headers]
    id_columns = sorted(
        (index for index, name in enumerate(names) if name in ID_COLUMNS),
        key=lambda index: ID_COLUMNS.index(names[index]),
    )
    key_columns = tuple((index, name) for index, name in enumerate(names) if name in KEY_COLUMNS)
    status_columns = tuple(index for index, name in enumerate(names) if name in STATUS_COLUMNS)
    split = _split_choice_columns(headers)
    filled = _filled_columns(rows) if rows is not None else None
    kept = [
        index
        for index, header in enumerate(headers)
        if not _is_server_column(header)
        and index not in split
        and (filled is None or index in filled or names[index] in FORM_NAMES)
    ]
    return KoboLayout(
        headers=(*SERVER_FIELDS, *_unique([names[i] for i in kept], [headers[i] for i in kept])),
        kept=tuple(kept),
        id_columns=tuple(id_columns),
        key_columns=key_columns,
        status_columns=status_columns,
    )


def kobo_rows(
    headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The export's headers and rows in the roster's shape (see the module). Rows with
    nothing in them are left out."""
    rows = list(rows)
    layout = kobo_layout(headers, rows)
    shaped = (layout.row(row) for row in rows)
    return layout.headers, [values for values in shaped if _has_text(values)]


def read_kobo(data: bytes, file_name: str, **options: Any) -> Sheet:
    """A KoboToolbox or ODK Central export (.xlsx or CSV) as a :class:`Sheet` in the roster's
    shape; rows keep the numbers the spreadsheet shows. ``options`` go to :func:`read_sheet`
    (a forced encoding, the worksheet to read); a file that cannot be read raises its
    :class:`~akt.intake.sources.base.FileRefused`."""
    return kobo_sheet(read_sheet(data, file_name, **options))


SERVER_MARKERS = frozenset({"_uuid", "_submission_time", "meta/instanceid", "key", "_id"})
"""Columns only a Kobo or ODK server writes: a sheet heading one of them is an export."""


def is_kobo_export(sheet: Sheet) -> bool:
    return bool(SERVER_MARKERS & {header.strip().casefold() for header in sheet.headers})


def kobo_sheet(sheet: Sheet) -> Sheet:
    """An export already read as a sheet, brought to the roster's shape (see the module)."""
    layout = kobo_layout(sheet.headers, [row.cells for row in sheet.rows])
    rows = [SheetRow(row.number, layout.row(row.cells)) for row in sheet.rows]
    return replace(
        sheet,
        headers=layout.headers,
        rows=[row for row in rows if _has_text(row.cells)],
    )


def column_name(header: str) -> str:
    """The question a column holds: "attendee/given_name" and "attendee-given_name" are
    ``given_name``; a header that is not a path is returned stripped."""
    name = (header or "").strip().rsplit("/", 1)[-1]
    for separator in "-.":
        tail = name.rsplit(separator, 1)[-1]
        if tail != name and tail in FORM_NAMES:
            return tail
    return name


def submission_id(value: str) -> str:
    """A submission's uuid without the "uuid:" that instance ids carry."""
    value = value.strip()
    return value[len("uuid:") :] if value.casefold().startswith("uuid:") else value


def review_state(text: str) -> str:
    """A supervisor's decision on a submission, as KoboToolbox writes it (the status's uid or
    its label) or ODK Central (its review state): :data:`NOT_APPROVED`, :data:`ON_HOLD`,
    :data:`APPROVED`, or "" (no decision, or a value not known)."""
    return _REVIEW_STATES.get(header_key(text), "")


def form_activity(*names: str) -> str:
    """The activity id a form id names in any of ``names`` (a file or sheet name), or ""."""
    for name in names:
        found = FORM_ID.search(name or "")
        if found:
            return found.group(1)
    return ""


def _question_name(header: str) -> str:
    """The question a column holds, by its name or by its label in any of the form's
    languages."""
    name = column_name(header)
    if name in FORM_NAMES:
        return name
    return question_names_by_label().get(header_key(name), name)


def _key(column: str, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if column == "_id":
        return f"_id:{value}"
    return submission_id(value).casefold()


def _unique_keys(keys: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(key for key in keys if key))


def _split_choice_columns(headers: Sequence[str]) -> set[int]:
    """Columns of a multiple-select question split per choice: "topics/serb" beside "topics"
    (names or labels, with or without group paths). The summary column holds the same."""
    stripped = {(header or "").strip() for header in headers}
    return {
        index
        for index, header in enumerate(headers)
        if "/" in (header or "") and (header or "").strip().rsplit("/", 1)[0] in stripped
    }


def _filled_columns(rows: Iterable[Sequence[object]]) -> set[int]:
    return {index for row in rows for index, value in enumerate(row) if _text(value).strip()}


def _is_server_column(header: str) -> bool:
    path = (header or "").strip()
    name = column_name(path)
    group = path.split("/", 1)[0] if "/" in path else ""
    return (
        name.startswith("_")
        or name.casefold() in SERVER_COLUMNS
        or group in SERVER_GROUPS
        or name in NOTE_NAMES
        or not path
    )


def _unique(names: Sequence[str], headers: Sequence[str]) -> list[str]:
    """Each column's question name; a name already taken (the same question in two groups)
    keeps its full header, so no column silently stands in for another."""
    taken = set(SERVER_FIELDS)
    unique = []
    for name, header in zip(names, headers, strict=True):
        chosen = name if name not in taken else header.strip()
        taken.add(chosen)
        unique.append(chosen)
    return unique


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _has_text(values: Sequence[str]) -> bool:
    return any(value.strip() for value in values)
