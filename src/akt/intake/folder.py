"""A folder (or a zip) of lists and rosters, imported in one go: everything or nothing.

An office sends what it has: ``activities.xlsx`` (one row per activity, each with its
reference), perhaps ``organizations.csv``, ``grants.xlsx``, ``projects.xlsx``, ``plans.xlsx``,
``plan-actions.xlsx``, and a roster or tally file per activity, named after the activity's
reference (``A-2015-014.xlsx``), or naming it on an "Activity" sheet or in an "Activity" column.

:func:`folder_import` reads every file, imports the lists in the order their rows refer to one
another (:data:`akt.intake.kinds.LIST_ORDER`), then each roster or tally into the activity it
names, through the same receive, check and commit path as a single file. It runs in one
transaction: a problem anywhere (a bad row, a file naming no known activity, a roster row that
may be a registered person below the suggestion threshold) is collected, every file is still
checked so that all problems are reported at once, and then nothing is kept.

Importing the same folder again changes nothing: list rows are recognised by their reference,
and a roster or tally file already imported into its activity is skipped.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.activities.models import Activity, AttendanceForm
from akt.intake.fields import TALLY_FIELDS, header_key, recognise
from akt.intake.kinds import KINDS, LIST_ORDER, RecordKind
from akt.intake.models import BatchStatus, ImportBatch, ImportKind, ImportSource
from akt.intake.services import NEW, import_check, import_commit, import_receive
from akt.intake.sources.base import FileRefused, Limits, file_size, read_sheet
from akt.intake.sources.xlsx import check_zip
from akt.intake.validation import Problem, problems_of

READABLE = (".xlsx", ".csv")

LIST_NAMES: dict[str, tuple[str, ...]] = {
    ImportKind.ORGANIZATIONS: (
        "organizations",
        "organisations",
        "organizatat",
        "organizata",
        "organizacije",
        "организације",
    ),
    ImportKind.PROJECTS: (
        "projects",
        "infrastructure projects",
        "projektet",
        "projekte",
        "projekti",
        "пројекти",
    ),
    ImportKind.ACTIVITIES: ("activities", "aktivitetet", "aktivitete", "aktivnosti", "активности"),
    ImportKind.PLANS: ("plans", "capacity plans", "planet", "planovi", "планови"),
    ImportKind.PLAN_ACTIONS: (
        "plan actions",
        "actions",
        "veprimet",
        "aktivnosti plana",
        "akcije",
        "акције",
    ),
    ImportKind.GRANTS: ("grants", "grantet", "grante", "grantovi", "грантови"),
}
"""A list is recognised by its file name (folded, any language), else by its columns."""

ACTIVITY_KEYS = frozenset(
    header_key(name)
    for name in (
        "activity",
        "activity reference",
        "activity ref",
        "aktiviteti",
        "aktivnost",
        "активност",
        "reference",
        "referenca",
    )
)
"""The key (on an "Activity" sheet) or column header naming a roster's activity reference."""

_MAX_FILES = 5_000
_MAX_ZIP_BYTES = 500 * 1024 * 1024
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
"""The largest zip taken from the web page (packed); its content is limited as any zip's."""


@dataclass
class FolderFile:
    name: str
    """The path inside the folder or zip, as the summary names it."""
    data: bytes


@dataclass
class FileOutcome:
    """What became of one file."""

    name: str
    kind: str = ""
    activity: str = ""
    """For a roster or tally, the activity it goes into (its title and reference)."""
    batch: int | None = None
    summary: dict[str, int] = field(default_factory=dict)
    skipped: str = ""
    """Why the file was not imported although nothing is wrong (it was imported before)."""
    refusal: str = ""
    """Why the whole file was refused (unreadable, no activity, ...)."""
    problems: list[Problem] = field(default_factory=list)
    uncertain: list[dict[str, Any]] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        """What the file was recognised as, in the reader's language."""
        return str(ImportKind(self.kind).label) if self.kind else ""

    @property
    def is_attendance(self) -> bool:
        return self.kind in (ImportKind.ROSTER, ImportKind.TALLY)

    @property
    def problem_count(self) -> int:
        return len(self.problems) + len(self.uncertain)


FolderProgress = Callable[[int, int], None]


@dataclass
class FolderResult:
    files: list[FileOutcome]

    def as_json(self) -> list[dict[str, Any]]:
        """For a background check's result: problems kept as codes and parameters, so that
        the page words them in its reader's language."""
        return [
            {**vars(item), "problems": [vars(problem) for problem in item.problems]}
            for item in self.files
        ]

    @classmethod
    def from_json(cls, data: list[dict[str, Any]]) -> FolderResult:
        return cls(
            [
                FileOutcome(
                    **{
                        **item,
                        "problems": [Problem(**problem) for problem in item["problems"]],
                    }
                )
                for item in data
            ]
        )

    @property
    def ok(self) -> bool:
        return not any(item.refusal or item.problems or item.uncertain for item in self.files)

    def totals(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for item in self.files:
            for key, value in item.summary.items():
                totals[key] = totals.get(key, 0) + value
        return totals


class FolderRefused(Exception):
    """The folder was not imported; ``result`` says what was wrong with each file."""

    def __init__(self, result: FolderResult) -> None:
        super().__init__("folder refused")
        self.result = result


def folder_files(path: Path) -> list[FolderFile]:
    """The spreadsheets of a folder (searched recursively) or of a .zip, in name order.

    Hidden files, Excel's lock files (``~$...``) and macOS resource forks are left out; so is
    anything that is not .xlsx or .csv (a scanned sign-in sheet, a Word report).
    """
    if path.is_dir():
        found = [
            FolderFile(str(item.relative_to(path)), item.read_bytes())
            for item in sorted(path.rglob("*"))
            if item.is_file() and _wanted(PurePosixPath(item.relative_to(path).as_posix()))
        ]
    else:
        found = list(zip_files(path.read_bytes(), path.name))
    if len(found) > _MAX_FILES:
        raise ValidationError(
            _("The folder holds %(count)s files; at most %(limit)s are imported at once.")
            % {"count": len(found), "limit": _MAX_FILES},
            code="too-many-files",
        )
    return found


def zip_files(data: bytes, file_name: str) -> Iterator[FolderFile]:
    """The spreadsheets inside a zip; the whole zip is refused (``ValidationError``) when it is
    damaged, holds too many files, unpacks to too much or packs a file too hard (a zip bomb),
    names a path outside itself ("..", an absolute path) or holds another zip.

    The zip's directory is checked by :func:`akt.intake.sources.xlsx.check_zip`, the check every
    workbook passes, before a byte is unpacked.
    """
    limits = Limits(max_unpacked_bytes=_MAX_ZIP_BYTES, max_archive_members=10 * _MAX_FILES)
    try:
        members = check_zip(data, file_name, limits)
    except FileRefused as refused:
        if refused.code == "corrupt":
            message = _("%(file)s is not a zip file that can be opened.")
        else:
            message = _(
                "%(file)s unpacks to more than can be imported at once (at most %(limit)s); "
                "split it into smaller zips."
            )
        raise ValidationError(
            message % {"file": file_name, "limit": file_size(_MAX_ZIP_BYTES)}, code=refused.code
        ) from refused
    files = [m for m in members if not m.is_dir()]
    if len(files) > _MAX_FILES:
        raise ValidationError(
            _("%(file)s holds %(count)s files; at most %(limit)s are imported at once.")
            % {"file": file_name, "count": len(files), "limit": _MAX_FILES},
            code="too-many-files",
        )
    for member in files:
        path = PurePosixPath(member.filename.replace("\\", "/"))
        if path.is_absolute() or ".." in path.parts or ":" in member.filename:
            raise ValidationError(
                _("%(file)s names a file outside itself (%(path)s), so it is not opened.")
                % {"file": file_name, "path": member.filename},
                code="unsafe-path",
            )
        if path.suffix.lower() in (".zip", ".7z", ".rar", ".gz", ".tar"):
            raise ValidationError(
                _(
                    "%(file)s holds another archive (%(path)s); unpack it and put its sheets "
                    "in the zip itself."
                )
                % {"file": file_name, "path": member.filename},
                code="nested-zip",
            )
    wanted = sorted((m for m in files if _wanted(PurePosixPath(m.filename))), key=_name)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in wanted:
            yield FolderFile(member.filename, archive.read(member))


def _name(member: zipfile.ZipInfo) -> str:
    return member.filename


def _wanted(path: PurePosixPath) -> bool:
    hidden = any(part.startswith((".", "__MACOSX", "~$")) for part in path.parts)
    return not hidden and path.suffix.lower() in READABLE


def folder_import(
    *,
    actor: User,
    files: Iterable[FolderFile],
    new_persons_below_threshold: bool = False,
) -> FolderResult:
    """Imports every list and roster of a folder, or nothing (:class:`FolderRefused`).

    Raises ``PermissionDenied`` when the actor may not import lists (administrators and M&E
    officers only: a folder spans municipalities and components).
    """
    result = _run(actor, files, new_persons_below_threshold, keep=True)
    if not result.ok:
        raise FolderRefused(result)
    return result


def folder_check(
    *,
    actor: User,
    files: Iterable[FolderFile],
    new_persons_below_threshold: bool = False,
    progress: FolderProgress | None = None,
) -> FolderResult:
    """What :func:`folder_import` would do with these files, and every problem, storing nothing.

    The import itself runs (the same code, so the preview cannot promise what the import then
    refuses) inside a transaction that is always rolled back. The batch numbers in the result
    are therefore not kept. Same permission as :func:`folder_import`.

    ``progress(done, total)`` is called after each file. The check runs in one transaction, so
    a progress written to the database would not be seen before it ends: write it elsewhere.
    """
    return _run(actor, files, new_persons_below_threshold, keep=False, progress=progress)


def may_import_folder(actor: User) -> bool:
    """Administrators and M&E officers: a folder spans municipalities and components."""
    return KINDS[ImportKind.ACTIVITIES].may_import(actor)


def _run(
    actor: User,
    files: Iterable[FolderFile],
    new_below: bool,
    *,
    keep: bool,
    progress: FolderProgress | None = None,
) -> FolderResult:
    if not may_import_folder(actor):
        raise PermissionDenied
    files = list(files)
    with transaction.atomic():
        result = _import(actor, files, new_below, progress)
        if not (keep and result.ok):
            transaction.set_rollback(True)
    if not keep:
        for outcome in result.files:
            outcome.batch = None
    return result


def _import(
    actor: User, files: list[FolderFile], new_below: bool, progress: FolderProgress | None = None
) -> FolderResult:
    outcomes: dict[str, FileOutcome] = {item.name: FileOutcome(item.name) for item in files}
    lists: dict[str, list[FolderFile]] = {code: [] for code in LIST_ORDER}
    attendance: list[FolderFile] = []
    for item in files:
        kind = _list_kind(item, outcomes[item.name])
        if kind:
            lists[kind].append(item)
        elif not outcomes[item.name].refusal:
            attendance.append(item)
    done = 0
    for code in LIST_ORDER:
        for item in lists[code]:
            _import_list(actor, item, code, outcomes[item.name])
            done += 1
            if progress is not None:
                progress(done, len(files))
    activities = _activities_by_reference()
    for item in attendance:
        _import_attendance(actor, item, activities, outcomes[item.name], new_below)
        done += 1
        if progress is not None:
            progress(done, len(files))
    return FolderResult([outcomes[item.name] for item in files])


def _list_kind(item: FolderFile, outcome: FileOutcome) -> str:
    """The list a file holds, by its name, else by its columns; "" for a roster or tally."""
    stem = header_key(PurePosixPath(item.name).stem)
    for code, names in LIST_NAMES.items():
        if stem in {header_key(name) for name in names}:
            return code
    try:
        sheet = read_sheet(item.data, item.name, limits=Limits())
    except FileRefused as refused:
        outcome.refusal = refused.message
        return ""
    best, best_count = "", 2  # a list names its reference and at least two more columns
    for code in LIST_ORDER:
        kind = KINDS[code]
        assert isinstance(kind, RecordKind)
        found = recognise(sheet.headers, kind.fields(ImportSource.SPREADSHEET))
        if kind.reference in found.values() and len(found) > best_count:
            best, best_count = code, len(found)
    return best


def _import_list(actor: User, item: FolderFile, kind: str, outcome: FileOutcome) -> None:
    outcome.kind = kind
    batch = _received(actor, item, outcome, kind=kind)
    if batch is not None:
        _checked_and_committed(actor, batch, outcome, new_below=True)


def _activities_by_reference() -> dict[str, Activity]:
    return {
        header_key(activity.external_ref): activity
        for activity in Activity.objects.exclude(external_ref="")
    }


def _import_attendance(
    actor: User,
    item: FolderFile,
    activities: dict[str, Activity],
    outcome: FileOutcome,
    new_below: bool,
) -> None:
    try:
        sheet = read_sheet(item.data, item.name, limits=Limits())
    except FileRefused as refused:
        outcome.refusal = refused.message
        return
    named = _activity_named(item.name, sheet)
    if not named:
        outcome.refusal = _(
            "It names no activity: name the file after the activity's reference, or give the "
            "reference on an “Activity” sheet or in an “Activity” column."
        )
        return
    if len(named) > 1:
        outcome.refusal = _(
            "Its rows name %(count)s activities (%(references)s); write one file per activity."
        ) % {"count": len(named), "references": ", ".join(sorted(named))}
        return
    reference = named.pop()
    activity = activities.get(header_key(reference))
    if activity is None:
        outcome.refusal = _(
            "It names the activity “%(reference)s”, which is neither in the folder's list of "
            "activities nor recorded."
        ) % {"reference": reference}
        return
    tally = activity.attendance_form == AttendanceForm.TALLY or (
        len(recognise(sheet.headers, TALLY_FIELDS)) >= 2 and "headcount" in _codes(sheet.headers)
    )
    kind = ImportKind.TALLY if tally else ImportKind.ROSTER
    outcome.kind = kind
    outcome.activity = _("%(title)s (%(reference)s)") % {
        "title": activity.title,
        "reference": activity.external_ref,
    }
    if _imported_before(item, activity):
        outcome.skipped = _("already imported into “%(activity)s”") % {"activity": activity.title}
        return
    batch = _received(actor, item, outcome, kind=kind, activity=activity)
    if batch is not None:
        _checked_and_committed(actor, batch, outcome, new_below=new_below)


def _codes(headers: Iterable[str]) -> set[str]:
    return set(recognise(list(headers), TALLY_FIELDS).values())


def _activity_named(file_name: str, sheet: Any) -> set[str]:
    """The activity references a roster file names: its Activity sheet, an Activity column
    (every row's value), else its file name."""
    for key, value in sheet.metadata.items():
        if header_key(key) in ACTIVITY_KEYS and value.strip():
            return {value.strip()}
    for index, header in enumerate(sheet.headers):
        if header_key(header) in ACTIVITY_KEYS:
            values = {row.cells[index].strip() for row in sheet.rows if index < len(row.cells)} - {
                ""
            }
            if values:
                return values
    stem = PurePosixPath(file_name).stem.strip()
    return {_REFERENCE_SUFFIX.sub("", stem)} if stem else set()


_REFERENCE_SUFFIX = re.compile(
    r"[\s_]+(roster|tally|lista|prezantimi|spisak|prisustvo|списак|присуство)$", re.IGNORECASE
)
"""A file named "A-2015-014 roster.xlsx" names the activity A-2015-014."""


def _imported_before(item: FolderFile, activity: Activity) -> bool:
    digest = hashlib.sha256(item.data).hexdigest()
    return ImportBatch.objects.filter(
        sha256=digest, activity=activity, status=BatchStatus.COMMITTED
    ).exists()


def _received(
    actor: User,
    item: FolderFile,
    outcome: FileOutcome,
    *,
    kind: str,
    activity: Activity | None = None,
) -> ImportBatch | None:
    try:
        return import_receive(
            actor=actor,
            data=item.data,
            file_name=PurePosixPath(item.name).name,
            kind=kind,
            activity=activity,
        )
    except PermissionDenied:
        outcome.refusal = _("You may not import this file.")
    except ValidationError as error:
        outcome.refusal = " ".join(error.messages)
    return None


def _checked_and_committed(
    actor: User, batch: ImportBatch, outcome: FileOutcome, *, new_below: bool
) -> None:
    batch = import_check(actor=actor, batch=batch)
    outcome.batch = batch.pk
    outcome.problems = [problem for row in batch.rows for problem in problems_of(row)]
    if not new_below:
        outcome.uncertain = uncertain_rows(batch)
    if outcome.problems or outcome.uncertain:
        return
    try:
        batch = import_commit(actor=actor, batch=batch)
    except ValidationError as error:
        outcome.refusal = " ".join(error.messages)
        return
    outcome.summary = dict(batch.summary)


def uncertain_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    """Roster rows that may be a registered person, below the suggestion threshold: a person
    decides those (as ``akt import`` does), unless told to register them as new persons."""
    return [
        row
        for row in batch.rows
        if row.get("candidates")
        and row["candidates"][0]["probability"] is not None
        and row.get("choice") == NEW
        and not row.get("skip")
    ]
