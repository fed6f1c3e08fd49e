"""Submissions of the attendance form (:mod:`akt.intake.xlsform`) exported from KoboToolbox or
ODK Central, brought to the roster's shape.

An export has one row per submission (one attendee). Its columns are the form's question names,
possibly behind a group path ("attendee/given_name"; ODK Central joins groups with "-"), mixed
with the server's own columns: "_id", "_uuid", "_submission_time", "_index", "__version__",
"meta/instanceID", "start", "end", ODK Central's "KEY" and "SubmissionDate", and so on. What
:func:`kobo_rows` keeps:

- ``submission_id``, the first column: the submission's identifier without its "uuid:" prefix,
  so importing the same export twice does not count anyone twice. KoboToolbox gives an edited
  submission a new ``_uuid`` and ``meta/instanceID`` but keeps ``meta/rootUuid``, so that one is
  preferred, then ``_uuid``, ODK Central's ``KEY``, and ``instanceID``, taking per row the first
  one that is not empty (an unedited submission's ids are all the same uuid).
- ``activity_id`` and every question column, named by the question without its group path. A
  column the program does not know (a question added to the form on the server, or a header in
  a label export such as "Given name") is kept for the person importing to map.

Server columns and the form's notes are dropped. The values are left as exported: choice names
(``female``, ``gracanice``) unless the person exported labels, which validation reads as well.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from akt.intake.fields import ROSTER_FIELDS
from akt.intake.sources.base import Sheet, SheetRow, read_sheet
from akt.intake.xlsform import ACTIVITY_ID, COMMUNITY_CONSENT, NOTE_NAMES

SUBMISSION_ID = "submission_id"

ID_COLUMNS: tuple[str, ...] = ("rootUuid", "_uuid", "KEY", "instanceID")
"""Columns naming the submission, most stable first."""

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
    {item.code for item in ROSTER_FIELDS} | {ACTIVITY_ID, COMMUNITY_CONSENT} | set(ID_COLUMNS)
)
"""Names a column may end in after a group path joined with "-" or "."."""


@dataclass(frozen=True)
class KoboLayout:
    """Which columns of an export are kept, and under what names; worked out once from the
    headers and applied to each row."""

    headers: tuple[str, ...]
    """``submission_id``, then the kept columns' names."""
    kept: tuple[int, ...]
    id_columns: tuple[int, ...]
    """Columns that may name the submission, most stable first."""

    def row(self, cells: Sequence[object]) -> tuple[str, ...]:
        """One export row in the layout's shape (missing cells read as "")."""
        texts = [_text(value) for value in cells]
        texts += [""] * (max((*self.kept, *self.id_columns), default=-1) + 1 - len(texts))
        submission = next((texts[i].strip() for i in self.id_columns if texts[i].strip()), "")
        return (submission_id(submission), *(texts[i] for i in self.kept))


def kobo_layout(headers: Sequence[str]) -> KoboLayout:
    """The layout of an export with these headers."""
    names = [column_name(header) for header in headers]
    id_columns = sorted(
        (index for index, name in enumerate(names) if name in ID_COLUMNS),
        key=lambda index: ID_COLUMNS.index(names[index]),
    )
    kept = [index for index, header in enumerate(headers) if not _is_server_column(header)]
    return KoboLayout(
        headers=(SUBMISSION_ID, *_unique([names[i] for i in kept], [headers[i] for i in kept])),
        kept=tuple(kept),
        id_columns=tuple(id_columns),
    )


def kobo_rows(
    headers: Sequence[str], rows: Iterable[Sequence[object]]
) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """The export's headers and rows with ``submission_id`` first, server columns dropped and
    group paths stripped. Rows with nothing in them are left out."""
    layout = kobo_layout(headers)
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
    layout = kobo_layout(sheet.headers)
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
    taken = {SUBMISSION_ID}
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
