"""Writes of intake: receive a file, check it, commit it whole, roll it back.

The path every source shares (architecture section 6):

1. :func:`import_receive` reads the file (any source: Excel, CSV, a Kobo/ODK export), refuses a
   hostile or unreadable one with a clear reason, finds its activity, refuses a file already
   imported, maps its columns (recognised headers, then what someone mapped before for this
   source) and keeps the file in a batch. No program record is touched.
2. :func:`import_check` validates every row and matches each new attendee against the registry,
   storing the result on the batch for the preview (for a large file, as a background job).
3. :func:`import_commit` writes every row in one transaction, or nothing: a batch with problems
   is refused whole. Rows already on the roster (the same file or the same rows imported twice)
   are skipped and counted as such, so nobody is counted twice.
4. :func:`import_rollback` removes what a batch wrote; the audit log says who and why.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record, change_reason, model_field, require_writable
from akt.activities.models import Activity, Attendance, Tally
from akt.intake.fields import header_key, recognise
from akt.intake.kinds import import_kind
from akt.intake.layout import layout_record, sheet_columns
from akt.intake.models import (
    BatchStatus,
    ColumnMapping,
    ImportBatch,
    ImportKind,
    ImportSource,
    PurgeCause,
)
from akt.intake.sources.base import FileRefused, Limits, Sheet, read_sheet
from akt.intake.sources.kobo import is_kobo_export, kobo_sheet
from akt.intake.submissions import (
    EDITED,
    LEFT_OUT,
    commit_edits,
    export_activities,
    left_out_rows,
    mark_edits,
    register_organizations,
    remove_organizations,
    require_same_activity,
    revert_edits,
    split_left_out,
)
from akt.intake.submissions import counts as submission_counts
from akt.intake.templates_xlsx import read_activity_sheet
from akt.intake.validation import check_roster, check_tally
from akt.intake.vocabulary import Vocabulary
from akt.jobs.models import Job
from akt.jobs.services import job_give_up, job_start
from akt.linkage.batch import REGISTRY_UPPER
from akt.linkage.services import may_resolve_identities
from akt.people.models import ConsentBasis, Person, ProcessingBasis
from akt.places.models import Municipality
from akt.text.names import sorted_name_key
from akt.text.numbers import parse_positive_id

Report = Callable[..., None]

SUGGEST_THRESHOLD = REGISTRY_UPPER
"""A registry person at or above this match probability is preselected for a row; below it the
row is preselected as a new person (the officer can change either): the verdict the registry
batch would reach."""

NEW = "new"

SETTLED = frozenset({*LEFT_OUT.values(), EDITED})
"""Rows no answer changes: submissions a supervisor did not approve (left out) and edited
submissions, which are the person already on the roster."""


def fields_for(kind: str, source: str) -> tuple:
    """The columns a file of this kind and source can carry (see :mod:`akt.intake.kinds`)."""
    return import_kind(kind).fields(source)


_RECENT_SHEETS: OrderedDict[tuple[Any, ...], tuple[Sheet, str]] = OrderedDict()
_RECENT_SHEETS_LOCK = threading.Lock()
_RECENT_SHEETS_KEPT = 8
_RECENT_SHEET_BYTES = 2_000_000
"""A small file received is usually checked at once by the same process: its reading is kept
for that (the few most recent files under this size), rather than parsing the file twice."""


@dataclass(frozen=True)
class Reading:
    """How a file is read (kept on its batch, so every later reading is the same): the kind of
    file expected, whose fields the header is looked for by; the worksheet; the header row an
    officer chose (None: found by its names); whether total, signature and note rows below the
    data are left out. See :mod:`akt.intake.layout`."""

    kind: str = ImportKind.ROSTER
    sheet: str | None = None
    header_row: int | None = None
    skip_footer: bool = True

    @classmethod
    def of(cls, batch: ImportBatch) -> Reading:
        return cls(batch.kind, batch.sheet_name or None, batch.header_row, batch.skip_footer)


def _read(
    data: bytes, file_name: str, *, encoding: str | None = None, reading: Reading = Reading()
) -> tuple[Sheet, str]:
    """The sheet and its source; a Kobo/ODK export is recognised by its server columns."""
    if len(data) > _RECENT_SHEET_BYTES:
        return _parse(data, file_name, encoding, reading)
    digest = hashlib.sha256(data).hexdigest()
    key = (digest, file_name, encoding or "", reading)
    with _RECENT_SHEETS_LOCK:
        if key in _RECENT_SHEETS:
            _RECENT_SHEETS.move_to_end(key)
            return _RECENT_SHEETS[key]
    read = _parse(data, file_name, encoding, reading)
    with _RECENT_SHEETS_LOCK:
        _RECENT_SHEETS[key] = read
        # The batch keeps the worksheet that was read: its check asks for it by name.
        named = (digest, file_name, encoding or "", replace(reading, sheet=read[0].sheet_name))
        _RECENT_SHEETS[named] = read
        while len(_RECENT_SHEETS) > _RECENT_SHEETS_KEPT:
            _RECENT_SHEETS.popitem(last=False)
    return read


def _parse(
    data: bytes, file_name: str, encoding: str | None, reading: Reading
) -> tuple[Sheet, str]:
    try:
        sheet = read_sheet(
            data,
            file_name,
            encoding=encoding or None,
            limits=Limits(),
            sheet=reading.sheet,
            # The export's own columns too: whether the file is one is known once it is read.
            fields=fields_for(reading.kind, ImportSource.KOBO),
            header_row=reading.header_row,
            footer=reading.skip_footer,
        )
    except FileRefused as refused:
        # The reason stays lazy, so it reads in the language of whoever sees it.
        raise ValidationError(
            refused.template, code=refused.code, params=refused.params
        ) from refused
    if is_kobo_export(sheet):
        return kobo_sheet(sheet), ImportSource.KOBO
    return sheet, ImportSource.SPREADSHEET


def _activity_named(sheet: Sheet, source: str) -> str:
    """The activity id a file names: its Activity sheet, or the export's activity_id column."""
    for key, value in sheet.metadata.items():
        if header_key(key) in ("activity id", "activity_id", "activity") and value.strip():
            return value.strip()
    # A template downloaded in Albanian or Serbian labels the row in that language.
    named = read_activity_sheet(sheet.metadata.items()).get("activity_id", "").strip()
    if named:
        return named
    if source == ImportSource.KOBO:
        exported = export_activities(sheet)  # its activity_id column, or the form id it names
        if len(exported) == 1:
            return exported.pop()
    return ""


def _find_activity(actor: User, sheet: Sheet, source: str, activity: Activity | None) -> Activity:
    if source == ImportSource.KOBO:  # an export of another activity's form is refused
        require_same_activity(actor, sheet, activity)
    if activity is None:
        named = _activity_named(sheet, source)
        if not named:
            raise ValidationError(
                _("The file does not say which activity it is for; choose the activity."),
                code="no-activity",
            )
        number = parse_positive_id(named)
        if number is None:
            raise ValidationError(
                _("The file names activity “%(id)s”, which is not an activity number.")
                % {"id": named},
                code="unknown-activity",
            )
        activity = Activity.objects.filter(pk=number).first()
        if activity is None:
            raise ValidationError(
                _("The file names activity %(id)s, which does not exist.") % {"id": named},
                code="unknown-activity",
            )
    require_writable(actor, activity)
    return activity


def _already_imported(sha256: str, activity: Activity) -> None:
    earlier = (
        ImportBatch.objects.filter(sha256=sha256, activity=activity, status=BatchStatus.COMMITTED)
        .order_by("committed_at")
        .first()
    )
    if earlier is not None:
        raise ValidationError(
            _(
                "This file was already imported for this activity on %(date)s (import %(number)s); "
                "importing it again would count its people twice."
            )
            % {
                "date": timezone.localtime(earlier.committed_at).strftime("%Y-%m-%d %H:%M"),
                "number": earlier.pk,
            },
            code="already-imported",
        )


def remembered_mapping(
    source: str, kind: str, headers: tuple[str, ...] | list[str]
) -> dict[str, str]:
    """Column index (text) -> field code: recognised headers, then the ones mapped before."""
    mapping = {
        str(index): code for index, code in recognise(headers, fields_for(kind, source)).items()
    }
    remembered = dict(
        ColumnMapping.objects.filter(source=source, kind=kind).values_list("header", "field")
    )
    taken = set(mapping.values())
    for index, header in enumerate(headers):
        code = remembered.get(header_key(header))
        if str(index) not in mapping and code and code not in taken:
            mapping[str(index)] = code
            taken.add(code)
    return mapping


@transaction.atomic
def import_receive(
    *,
    actor: User,
    data: bytes,
    file_name: str,
    kind: str = ImportKind.ROSTER,
    activity: Activity | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    header_row: int | None = None,
    skip_footer: bool = True,
) -> ImportBatch:
    """Reads and keeps a file as a new batch (status "staged", rows not yet checked).

    ``sheet`` names the worksheet of a workbook to read (else the first that looks like the
    kind of file); ``header_row`` says which row holds the column names (else the row naming
    the most fields, see :mod:`akt.intake.layout`); ``skip_footer=False`` reads total,
    signature and note rows below the data as data. The choices are kept on the batch, so its
    check, a background job and :func:`import_choose_layout` read the file the same way.

    Raises ``ValidationError`` with the reason when the file is refused (unreadable, hostile,
    for no activity the actor may change, or already imported); nothing is stored then.
    """
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    spec = import_kind(kind)
    if not spec.may_import(actor):
        raise PermissionDenied
    reading = Reading(kind, sheet or None, header_row, skip_footer)
    read, source = _read(data, file_name, encoding=encoding, reading=reading)
    sha256 = hashlib.sha256(data).hexdigest()
    if spec.needs_activity:
        activity = _find_activity(actor, read, source, activity)
        _already_imported(sha256, activity)
    else:
        activity = None  # a list of records: each row is recognised by its reference instead
    batch = ImportBatch(
        kind=kind,
        source=source,
        activity=activity,
        file_name=file_name[:255],
        sha256=sha256,
        content=data,
        sheet_name=read.sheet_name[:100],
        encoding=read.encoding or "",
        header_row=header_row,
        skip_footer=skip_footer,
        layout=layout_record(read),
        headers=sheet_columns(read),
        mapping=remembered_mapping(source, kind, sheet_columns(read)),
        row_count=len(read.rows),
        created_by=actor,
    )
    batch.full_clean(exclude=["content", "rows", "summary", "mapping", "headers", "layout"])
    batch.save()
    return batch


def import_map_columns(
    *,
    actor: User,
    batch: ImportBatch,
    mapping: Mapping[str, str],
    remember: bool = True,
    check: bool = True,
) -> ImportBatch:
    """Sets which field each column holds; ``remember`` keeps it for this source's next files.

    The rows are checked again at once, or, with ``check=False`` (a large file, checked by a
    job), their earlier check is cleared so nothing is imported on the old reading.
    """
    _require_staged(actor, batch)
    codes = {item.code for item in fields_for(batch.kind, batch.source)}
    chosen = {str(index): code for index, code in mapping.items() if code}
    unknown = set(chosen.values()) - codes
    if unknown:
        raise ValidationError(
            _("Unknown field: %(field)s.") % {"field": ", ".join(sorted(unknown))}
        )
    if len(set(chosen.values())) != len(chosen):
        raise ValidationError(_("Two columns cannot hold the same field."), code="same-field")
    with transaction.atomic():
        batch.mapping = chosen
        if not check:
            batch.rows, batch.problem_count = [], 0
        batch.save(update_fields=["mapping", "rows", "problem_count"])
        if remember:
            for index, header in enumerate(batch.headers):
                if not header_key(header):
                    continue
                ColumnMapping.objects.update_or_create(
                    source=batch.source,
                    kind=batch.kind,
                    header=header_key(header)[:200],
                    defaults={"field": chosen.get(str(index), ""), "created_by": actor},
                )
    return import_check(actor=actor, batch=batch) if check else batch


def import_choose_layout(
    *,
    actor: User,
    batch: ImportBatch,
    header_row: int | None,
    skip_footer: bool = True,
    sheet: str | None = None,
    check: bool = True,
) -> ImportBatch:
    """The officer's correction of how the file is read: which row is the header (None: the
    row found by its names), whether totals, signatures and notes below the data are left out,
    and, in a workbook, which sheet. The file is read again that way and its rows checked again
    (or, with ``check=False``, their earlier check cleared for a job to redo).

    The column mapping is kept when the columns are the same; otherwise the columns are mapped
    afresh (recognised headers, then the ones remembered for this source). Raises
    ``ValidationError`` when the file cannot be read that way (a blank header row, a sheet the
    workbook does not have); the batch is then left as it was.
    """
    _require_staged(actor, batch)
    reading = Reading(batch.kind, sheet or batch.sheet_name or None, header_row, skip_footer)
    read, source = _read(
        bytes(batch.content), batch.file_name, encoding=batch.encoding or None, reading=reading
    )
    columns = sheet_columns(read)
    with transaction.atomic():
        if columns != list(batch.headers) or source != batch.source:
            batch.mapping = remembered_mapping(source, batch.kind, columns)
        batch.source = source
        batch.sheet_name = read.sheet_name[:100]
        batch.header_row = header_row
        batch.skip_footer = skip_footer
        batch.layout = layout_record(read)
        batch.headers = columns
        batch.row_count = len(read.rows)
        batch.rows, batch.problem_count = [], 0
        batch.save(
            update_fields=[
                "source",
                "sheet_name",
                "header_row",
                "skip_footer",
                "layout",
                "headers",
                "mapping",
                "row_count",
                "rows",
                "problem_count",
            ]
        )
    return import_check(actor=actor, batch=batch) if check else batch


def rows_shown_to(actor: User, batch: ImportBatch) -> Callable[[Mapping[str, Any]], bool]:
    """Which rows of a batch ``actor`` may read (the batch itself being in their scope).

    A roster row names a person, and a focal point sees the persons resident in their
    municipality only; the rule is the scope's (:meth:`Scope.sees_roster_row`): a row whose
    municipality cell could not be read is nobody's resident and is withheld from a focal point
    who did not upload the file. Tally rows name nobody.
    """
    if sees_every_row(actor, batch):
        return lambda row: True
    scope = Scope.for_user(actor)
    uploaded_it = batch.created_by_id == actor.pk
    activity_municipality = batch.activity.municipality_id if batch.activity else None

    def shown(row: Mapping[str, Any]) -> bool:
        return scope.sees_roster_row(
            uploaded_it=uploaded_it,
            resident_of=row.get("values", {}).get("municipality"),
            residence_unread=any(
                problem.get("code") == "municipality" for problem in row.get("problems", ())
            ),
            activity_municipality_id=activity_municipality,
        )

    return shown


def sees_every_row(actor: User, batch: ImportBatch) -> bool:
    """Whether :func:`rows_shown_to` lets ``actor`` read every row of the batch."""
    own = Scope.for_user(actor).municipality_id
    return batch.kind == ImportKind.TALLY or own is None or batch.created_by_id == actor.pk


def _require_staged(actor: User, batch: ImportBatch) -> None:
    if not Scope.for_user(actor).import_batches(ImportBatch.objects.filter(pk=batch.pk)).exists():
        raise PermissionDenied
    if batch.activity is not None:
        require_writable(actor, batch.activity)
    elif not import_kind(batch.kind).may_import(actor):
        raise PermissionDenied
    if batch.status != BatchStatus.STAGED:
        raise ValidationError(
            _("This import is no longer open: it was imported or rolled back."), code="closed"
        )


def _roster_people(activity: Activity) -> tuple[set[int], set[str]]:
    """Who is on the activity's roster already: canonical person ids and submission ids."""
    rows = Attendance.objects.filter(activity=activity).values_list(
        "person_id", "person__identity_id", "source_key"
    )
    persons, submissions = set(), set()
    for person, identity, key in rows:
        persons.add(identity or person)
        if key:
            submissions.add(key)
    return persons, submissions


def import_check(*, actor: User, batch: ImportBatch, progress: Report | None = None) -> ImportBatch:
    """Validates every row (for a roster, matching new attendees against the registry; for a
    list, recognising records already imported) and stores the result."""
    _require_staged(actor, batch)
    report = progress or (lambda *args, **kwargs: None)
    report(0, 3, stage="read")
    sheet, _source = _read(
        bytes(batch.content),
        batch.file_name,
        encoding=batch.encoding or None,
        reading=Reading.of(batch),
    )
    rows = [(row.number, list(row.cells)) for row in sheet.rows]
    mapping = {int(index): code for index, code in batch.mapping.items()}
    checked = import_kind(batch.kind).check(
        actor=actor, batch=batch, rows=rows, mapping=mapping, report=report
    )
    batch.rows = checked
    batch.problem_count = sum(len(row["problems"]) for row in checked)
    batch.row_count = len(checked)
    # A Kobo export's check also counts the submissions left out and edited (the summary).
    batch.save(update_fields=["rows", "problem_count", "row_count", "summary"])
    report(3, 3, stage="done")
    return batch


def tally_rows_check(
    batch: ImportBatch,
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[int, str],
    report: Report,
) -> list[dict[str, Any]]:
    """The tally kind's check (:class:`akt.intake.kinds.attendance.TallyKind`)."""
    report(1, 3, stage="validate")
    return [
        row.as_json()
        for row in check_tally(
            headers=batch.headers, rows=rows, mapping=mapping, vocabulary=Vocabulary.load()
        )
    ]


def roster_rows_check(
    actor: User,
    batch: ImportBatch,
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[int, str],
    report: Report,
) -> list[dict[str, Any]]:
    """The roster kind's check (:class:`akt.intake.kinds.attendance.RosterKind`): every row
    validated, then new attendees matched against the registry."""
    activity = batch.target_activity
    report(1, 3, stage="validate")
    # Submissions a supervisor did not approve are left out before anything is read.
    kept = split_left_out(rows, mapping)[0] if batch.source == ImportSource.KOBO else rows
    checked = [
        row.as_json()
        for row in check_roster(
            headers=batch.headers,
            rows=kept,
            mapping=mapping,
            start=activity.start_date,
            end=activity.end_date,
            vocabulary=Vocabulary.load(),
        )
    ]
    missing = [
        code
        for code in ("given_name", "family_name")
        if code not in mapping.values() and "full_name" not in mapping.values()
    ]
    if missing:
        for row in checked:
            row["problems"].append(
                {
                    "row": row["number"],
                    "column": "",
                    "value": "",
                    "code": "required",
                    "params": {"fields": missing},
                }
            )
    report(2, 3, stage="match")
    _match(actor, activity, checked)
    if batch.source == ImportSource.KOBO:
        checked = _check_submissions(batch, rows, mapping, checked)
    return checked


def _check_submissions(
    batch: ImportBatch,
    rows: Sequence[tuple[int, Sequence[str]]],
    mapping: Mapping[int, str],
    checked: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """A Kobo or ODK export's rows (:mod:`akt.intake.submissions`): an edited submission
    marked to update its attendance, and the submissions a supervisor did not approve put
    back in their place as left out (read for the preview, their problems refusing nothing)."""
    activity = batch.target_activity
    mark_edits(activity, checked)
    _mark_repeats(checked, {})
    left = dict(split_left_out(rows, mapping)[1])
    shown = check_roster(
        headers=batch.headers,
        rows=[row for row in rows if row[0] in left],
        mapping=mapping,
        start=activity.start_date,
        end=activity.end_date,
        vocabulary=Vocabulary.load(),
    )
    checked += left_out_rows(activity, [row.as_json() for row in shown], left)
    checked.sort(key=lambda row: row["number"])
    batch.summary = submission_counts(checked)
    return checked


def _match(actor: User, activity: Activity, rows: list[dict[str, Any]]) -> None:
    """Each row's likely registry persons (only those the actor may see), and a preselection.

    A row whose best candidate reaches :data:`SUGGEST_THRESHOLD` is preselected as that person.
    A row whose best candidate lies between the review threshold
    (:data:`~akt.linkage.batch.REGISTRY_LOWER`) and that is preselected as a new person and
    marked ``review``: committed as new, its pair goes to the review queue, so nothing blocks
    and nothing is lost. A row with no candidate at or above the review threshold is a new
    person, without a question. The probability combines the model with the
    context evidence (:mod:`akt.linkage.context`): the program's return rate and what the row's
    roster shares with the candidate's (co-attendance, organization, series, setting).
    """
    from akt.linkage.suggestions import RowContext, name_keys, registry_matches

    on_roster, submissions = _roster_people(activity)
    copies = _roster_copies(actor, activity)
    municipality_codes = dict(Municipality.objects.values_list("pk", "code"))
    # A row written exactly as someone on this roster is that person: no model needed, so a
    # roster sent back with a few rows added is matched at the cost of the added rows only.
    copied = {index: copies.get(_written_key(row["values"])) for index, row in enumerate(rows)}
    unknown = [index for index, copy in copied.items() if copy is None]
    keys = name_keys(
        (row["values"].get("given_name") or "", row["values"].get("family_name") or "")
        for row in rows
    )
    everyone = frozenset(key for key in keys if key)
    found_for = dict(
        zip(
            unknown,
            registry_matches(
                [_linkage_row(rows[index]["values"], municipality_codes) for index in unknown],
                contexts=[
                    RowContext(
                        activity=activity.pk,
                        organization=rows[index]["values"].get("organization"),
                        companions=everyone,
                        own=keys[index],
                        birth_year=_birth_year(rows[index]["values"]),
                    )
                    for index in unknown
                ],
            ),
            strict=True,
        )
    )
    visible = set(
        Scope.for_user(actor)
        .persons(
            Person.objects.filter(
                pk__in={match.person for found in found_for.values() for match in found}
            )
        )
        .values_list("pk", flat=True)
    )
    for index, row in enumerate(rows):
        copy = copied[index]
        row.pop("review", None)
        if copy is not None:
            # Written as this roster's person: shown as that person, with no probability.
            row["candidates"] = [{"person": copy, "probability": None}]
            row["choice"] = copy
        else:
            shown = [match for match in found_for[index] if match.person in visible]
            row["candidates"] = [
                {"person": match.person, "probability": round(match.probability, 4)}
                for match in shown
            ]
            best = shown[0] if shown else None
            likely = best is not None and best.probability >= SUGGEST_THRESHOLD
            row["choice"] = best.person if best is not None and likely else NEW
            if best is not None and not likely:
                # The band: a new person, and the pair a question for the review queue.
                row["review"] = {
                    "person": best.person,
                    "probability": best.probability,
                    "match_weight": best.match_weight,
                    "evidence": list(best.evidence),
                }
        submission = row["values"].get("submission_id")
        if submission and submission in submissions:
            row["skip"] = "submission"
        elif isinstance(row["choice"], int) and row["choice"] in on_roster:
            row["skip"] = "on-roster"
    _mark_repeats(rows, {})


def _birth_year(values: Mapping[str, Any]) -> int | None:
    """The year a checked row gives, from its full date or its year (None when neither)."""
    if values.get("birth_date"):
        return date.fromisoformat(values["birth_date"]).year
    return values.get("birth_year") or None


def _linkage_row(values: Mapping[str, Any], municipality_codes: Mapping[int, str]) -> dict:
    """A checked row in the linkage pipeline's standard columns."""
    return {
        "given_name": values["given_name"],
        "family_name": values["family_name"],
        "birth_date": values["birth_date"]
        or (str(values["birth_year"]) if values["birth_year"] else ""),
        "sex": values["sex"],
        "municipality": municipality_codes.get(values["municipality"], ""),
    }


def _mark_repeats(rows: list[dict[str, Any]], canonical: Mapping[int, int]) -> None:
    """Rows of one file answered as the same registered person: the first stands, and each
    later one is marked a repeat of it (``skip="same-person"``, ``same_as`` its row number).

    A person attends an activity once, so a repeat is not written again; the preview says so
    beside the row, the summary counts it, and the officer can answer it as a new person (two
    namesakes) instead. Marked afresh after every change of answers; ``canonical`` maps a
    chosen record to its resolved person where the choice may not be canonical.
    """
    first: dict[int, int] = {}
    for row in rows:
        if row.get("skip") == "same-person":
            del row["skip"]
            row.pop("same_as", None)
        choice = row.get("choice", NEW)
        if row.get("skip") or not isinstance(choice, int):
            continue
        person = canonical.get(choice) or choice
        if person in first:
            row["skip"] = "same-person"
            row["same_as"] = first[person]
        else:
            first[person] = row["number"]


def _written_key(values: Mapping[str, Any]) -> tuple[str, str]:
    """A person as a sheet writes them: the name's sound keys (any script, either order) and
    the birth date or year. Two rows of one file with the same key are reported as the same
    person (validation's "duplicate"); across files, the same key is the same rule."""
    born = values.get("birth_date") or (
        str(values["birth_year"]) if values.get("birth_year") else ""
    )
    return sorted_name_key(values.get("given_name") or "", values.get("family_name") or ""), born


def _roster_copies(actor: User, activity: Activity) -> dict[tuple[str, str], int]:
    """The persons on the activity's roster (those the actor may see) by :func:`_written_key`,
    as canonical ids.

    The registry match alone does not recognise everyone written again exactly as before: with
    only a birth year, or a common name, the model stays below :data:`SUGGEST_THRESHOLD`, and a
    second file of the same rows would register them again and count their attendance twice.
    A row written as someone already on this roster is that person, as two such rows inside one
    file are.
    """
    persons = (
        Scope.for_user(actor)
        .persons(Person.objects.filter(attendances__activity=activity))
        .values_list("pk", "identity_id", "given_name", "family_name", "birth_date", "birth_year")
    )
    copies: dict[tuple[str, str], int] = {}
    for pk, identity, given, family, born, year in persons:
        values = {
            "given_name": given,
            "family_name": family,
            "birth_date": born.isoformat() if born else None,
            "birth_year": year,
        }
        copies.setdefault(_written_key(values), identity or pk)
    return copies


def import_choose(
    *, actor: User, batch: ImportBatch, choices: Mapping[int, int | str]
) -> ImportBatch:
    """The officer's answer for rows: an existing person (one of the row's candidates, or any
    person the officer may see) or ``"new"``."""
    _require_staged(actor, batch)
    by_number = {row["number"]: row for row in batch.rows}
    parsed = {parse_positive_id(value) for value in choices.values() if value != NEW}
    wanted = {number for number in parsed if number is not None}
    visible = set(
        Scope.for_user(actor)
        .persons(Person.objects.filter(pk__in=wanted))
        .values_list("pk", flat=True)
    )
    # (A list of records has no roster: no row of it stands for a person.)
    on_roster = _roster_people(batch.activity)[0] if batch.activity is not None else set()
    canonical = dict(Person.objects.filter(pk__in=visible).values_list("pk", "identity_id"))
    readable = rows_shown_to(actor, batch)
    for number, value in choices.items():
        row = by_number.get(int(number))
        if row is None or row.get("skip") in SETTLED:
            continue  # a submission left out, or one the roster already has
        if not readable(row):
            raise PermissionDenied  # a person the actor may not see: not theirs to answer for
        if value == NEW:
            row["choice"] = NEW
            if row.get("skip") == "on-roster":
                row.pop("skip")
        elif (person_id := parse_positive_id(value)) in visible:
            row["choice"] = person_id
            if (canonical[person_id] or person_id) in on_roster:
                row["skip"] = "on-roster"
            elif row.get("skip") == "on-roster":
                row.pop("skip")
        else:
            raise ValidationError(
                _("Row %(row)s: choose one of the suggested persons or a new person.")
                % {"row": number}
            )
    chosen = {row["choice"] for row in batch.rows if isinstance(row.get("choice"), int)}
    _mark_repeats(
        batch.rows,
        dict(Person.objects.filter(pk__in=chosen).values_list("pk", "identity_id")),
    )
    batch.save(update_fields=["rows"])
    return batch


@transaction.atomic
def import_commit(
    *, actor: User, batch: ImportBatch, progress: Report | None = None
) -> ImportBatch:
    """Writes every row of a checked batch, or nothing (``ValidationError`` says why)."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    _require_staged(actor, batch)
    if not batch.rows and batch.row_count:
        raise ValidationError(_("The file has not been checked yet."), code="unchecked")
    if batch.problem_count:
        raise ValidationError(
            _(
                "The file has %(count)s problems; correct them in the file and upload it again. "
                "Nothing was imported."
            )
            % {"count": batch.problem_count},
            code="problems",
        )
    if batch.activity is not None:
        _already_imported(batch.sha256, batch.activity)
    report = progress or (lambda *args, **kwargs: None)
    summary = import_kind(batch.kind).commit(actor=actor, batch=batch, report=report)
    batch.status = BatchStatus.COMMITTED
    batch.committed_by = actor
    batch.committed_at = timezone.now()
    batch.summary = summary
    batch.save(update_fields=["status", "committed_by", "committed_at", "summary"])
    audit_record(
        actor=actor,
        action="import_commit",
        target=batch,
        summary=(
            _("%(file)s imported into “%(activity)s”")
            % {"file": batch.file_name, "activity": batch.activity.title}
            if batch.activity is not None
            else _("%(file)s imported") % {"file": batch.file_name}
        ),
        changes={"file": batch.file_name, "sha256": batch.sha256, **summary},
    )
    return batch


def _commit_roster(batch: ImportBatch, report: Report, *, actor: User) -> dict[str, int]:
    activity = batch.target_activity
    on_roster, submissions = _roster_people(activity)
    rows = [row for row in batch.rows if not row.get("skip")]
    # Organizations typed as free text that the registry lacks, registered once each.
    organizations = register_organizations(
        batch, [row for row in batch.rows if row.get("skip") in (None, EDITED)]
    )
    new_rows = [row for row in rows if row.get("choice", NEW) == NEW]
    chosen_ids = {row["choice"] for row in rows if row.get("choice", NEW) != NEW}
    chosen = {
        pk: (identity, affiliation)
        for pk, identity, affiliation in Person.objects.filter(pk__in=chosen_ids).values_list(
            "pk", "identity_id", "affiliation"
        )
    }
    canonical = {pk: identity for pk, (identity, _affiliation) in chosen.items()}
    if len(canonical) != len(chosen_ids):
        raise ValidationError(
            _("A person chosen for a row no longer exists; check the file again."), code="gone"
        )
    report(0, 3, stage="persons")
    created = [_new_person(row["values"], batch) for row in new_rows]
    _full_clean_all(created, exclude={"identity", "import_batch"})
    Person.objects.bulk_create(created, batch_size=2000)
    report(1, 3, stage="attendances")
    for row, person in zip(new_rows, created, strict=True):
        row["person"] = person.pk
    attendances = []
    skipped = 0
    for row in rows:
        person_id = row.get("person") or row["choice"]
        resolved = canonical.get(person_id) or person_id
        submission = row["values"].get("submission_id") or ""
        if resolved in on_roster or (submission and submission in submissions):
            skipped += 1
            continue
        on_roster.add(resolved)
        values = row["values"]
        # What the person was at this activity: the sheet's word, else their record's.
        known = chosen[person_id][1] if person_id in chosen else ""
        attendances.append(
            Attendance(
                activity=activity,
                person_id=person_id,
                role=values["role"],
                organization_id=values["organization"],
                affiliation=values.get("affiliation") or known,
                batch=batch,
                source_row=row["number"],
                source_key=submission[:64],
            )
        )
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    _record_consents(actor, activity, rows)
    _propose_band_pairs(new_rows, created)
    updated = commit_edits(actor, batch, batch.rows)  # submissions edited on the server
    if updated or organizations:
        batch.save(update_fields=["rows"])  # what the edits replaced, for a rollback
    report(3, 3, stage="done")
    repeated = sum(1 for row in batch.rows if row.get("skip") == "same-person")
    counted = submission_counts(batch.rows)
    left_out = counted["not_approved"] + counted["on_hold"]
    summary = {
        "rows": len(batch.rows),
        "attendances": len(attendances),
        "persons_created": len(created),
        "skipped": skipped + len(batch.rows) - len(rows) - repeated - left_out - updated,
        "repeated": repeated,
    }
    communities_left_out = sum(
        1 for row in batch.rows if row.get("values", {}).get("community_left_out")
    )
    if communities_left_out:
        summary["communities_left_out"] = communities_left_out
    if batch.source == ImportSource.KOBO:
        summary |= {
            "edited": updated,
            "not_approved": counted["not_approved"],
            "on_hold": counted["on_hold"],
            "organizations_created": organizations,
        }
    elif organizations:
        summary["organizations_created"] = organizations
    return summary


def _record_consents(actor: User, activity: Activity, rows: list[dict[str, Any]]) -> int:
    """A person already registered whose consent was never recorded, and who gives it on this
    sheet, has it recorded with the sheet's day, audited on their record. A consent already
    recorded (or a public duty) is left as it is. Returns how many persons changed."""
    agreed = {
        row["choice"]
        for row in rows
        if row.get("choice", NEW) != NEW and row["values"].get("consent")
    }
    persons = Person.objects.filter(
        pk__in=agreed, consent_basis=ProcessingBasis.NOT_RECORDED, erased_at__isnull=True
    )
    changed = 0
    for person in persons.order_by("pk"):
        person.consent_basis = ProcessingBasis.CONSENT
        person.consent_date = activity.start_date
        person.save(update_fields=["consent_basis", "consent_date", "updated_at"])
        audit_record(
            actor=actor,
            action="person_update",
            target=person,
            summary=person.full_name,
            changes={
                "consent_basis": [
                    ProcessingBasis.NOT_RECORDED.value,
                    ProcessingBasis.CONSENT.value,
                ],
                "consent_date": [None, activity.start_date.isoformat()],
            },
        )
        changed += 1
    return changed


def _propose_band_pairs(rows: list[dict[str, Any]], created: list[Person]) -> int:
    """Rows committed as new persons while a registered person was possible (the band between
    the thresholds): each pair goes to the review queue, where an officer decides, so the
    import never stops on them and the question is not lost. Returns how many were proposed."""
    from akt.linkage.batch import model_version
    from akt.linkage.services import review_pair_propose

    band = [
        (row["review"], person)
        for row, person in zip(rows, created, strict=True)
        if row.get("review") and row.get("choice", NEW) == NEW
    ]
    existing = Person.objects.in_bulk({question["person"] for question, _person in band})
    version = model_version() if band else ""
    for question, person in band:
        other = existing.get(question["person"])
        if other is None:
            continue
        review_pair_propose(
            a=person,
            b=other,
            probability=min(max(question["probability"], 0.0), 1.0),
            match_weight=question["match_weight"],
            evidence=question["evidence"],
            model_version=version,
        )
    return len(band)


def _full_clean_all(persons: list[Person], *, exclude: set[str]) -> None:
    """``full_clean(exclude=exclude)`` of every new person, in order, at the cost of a few queries.

    Row by row, ``full_clean`` makes several queries per person (each foreign key looked up, the
    unique identifier, each check constraint evaluated by the database): minutes for a large
    file. Here what needs no query is checked per person, and what needs one is asked once per
    distinct value (each referenced community, municipality and organization; the new
    identifiers in chunks; each constraint once per distinct combination of the values it reads).
    The persons any of that finds suspect are then cleaned the ordinary way, in order, so the
    first one that fails raises exactly the error the row-by-row loop would have raised.
    """
    meta = Person._meta
    relations = [  # a person's relations are all foreign keys
        field
        for field in meta.concrete_fields
        if isinstance(field, models.ForeignKey) and field.name not in exclude
    ]
    local = exclude | {field.name for field in relations}
    suspects: set[int] = set()
    for index, person in enumerate(persons):
        try:
            person.clean_fields(exclude=local)
            person.clean()
        except ValidationError:
            suspects.add(index)
    for relation in relations:
        target = relation.target_field.name  # the field it points to (its remote field_name)
        values = {getattr(person, relation.attname) for person in persons} - {None}
        found = set(
            relation.remote_field.model._base_manager.filter(**{f"{target}__in": values})
            .complex_filter(relation.get_limit_choices_to())
            .values_list(target, flat=True)
        )
        suspects.update(
            index
            for index, person in enumerate(persons)
            if getattr(person, relation.attname) is not None
            and getattr(person, relation.attname) not in found
        )
    for field in meta.concrete_fields:
        if field.unique and not field.primary_key and field.name not in exclude:
            own = [getattr(person, field.attname) for person in persons]
            taken: set[Any] = set()
            for start in range(0, len(own), 500):
                taken.update(
                    Person._base_manager.filter(
                        **{f"{field.attname}__in": own[start : start + 500]}
                    ).values_list(field.attname, flat=True)
                )
            suspects.update(index for index, value in enumerate(own) if value in taken)
    read = sorted(
        {
            name
            for constraint in meta.constraints
            for name in getattr(
                getattr(constraint, "condition", None), "referenced_base_fields", ()
            )
        }
        | {name for constraint in meta.constraints for name in getattr(constraint, "fields", ())}
    )
    groups: dict[tuple[Any, ...], list[int]] = {}
    for index, person in enumerate(persons):
        key = tuple(getattr(person, model_field(Person, name).attname) for name in read)
        groups.setdefault(key, []).append(index)
    for members in groups.values():
        try:
            persons[members[0]].validate_constraints(exclude=exclude)
        except ValidationError:
            suspects.update(members)
    for index in sorted(suspects):
        persons[index].full_clean(exclude=exclude)


def _new_person(values: Mapping[str, Any], batch: ImportBatch) -> Person:
    community = values.get("community")
    return Person(
        given_name=values["given_name"],  # checked not to be too long: never cut
        family_name=values["family_name"],
        sex=values.get("sex") or "",
        birth_date=date.fromisoformat(values["birth_date"]) if values.get("birth_date") else None,
        birth_year=values.get("birth_year") if not values.get("birth_date") else None,
        community_id=community,
        community_consent=(
            ConsentBasis.CONSENT
            if community and values.get("community_consent")
            else ConsentBasis.NOT_RECORDED
        ),
        # The sheet's day is the day the person agreed (the activity's first day).
        consent_basis=(
            ProcessingBasis.CONSENT if values.get("consent") else ProcessingBasis.NOT_RECORDED
        ),
        consent_date=batch.target_activity.start_date if values.get("consent") else None,
        municipality_id=values.get("municipality") or batch.target_activity.municipality_id,
        affiliation=values.get("affiliation") or "",
        organization_id=values.get("organization"),
        import_batch=batch,
    )


def _commit_tally(batch: ImportBatch) -> dict[str, int]:
    existing = {
        (sex, community, band): headcount
        for sex, community, band, headcount in Tally.objects.filter(
            activity=batch.activity
        ).values_list("sex", "community_id", "age_band", "headcount")
    }
    cells, skipped = [], 0
    for row in batch.rows:
        values = row["values"]
        key = (values["sex"], values["community"], values["age_band"])
        if not values["headcount"]:
            skipped += 1
            continue
        if key in existing:
            if existing[key] == values["headcount"]:
                skipped += 1  # the same cell imported before: counted once
                continue
            raise ValidationError(
                _(
                    "Row %(row)s: the activity already has a headcount of %(old)s for this sex, "
                    "community and age band; nothing was imported."
                )
                % {"row": row["number"], "old": existing[key]},
                code="tally-conflict",
            )
        cells.append(
            Tally(
                activity=batch.activity,
                sex=values["sex"],
                community_id=values["community"],
                age_band=values["age_band"],
                headcount=values["headcount"],
                batch=batch,
                source_row=row["number"],
            )
        )
    Tally.objects.bulk_create(cells)
    return {"rows": len(batch.rows), "tallies": len(cells), "skipped": skipped}


@transaction.atomic
def import_rollback(*, actor: User, batch: ImportBatch, reason: str) -> ImportBatch:
    """Removes what a committed batch wrote (see each kind's ``rollback``). M&E officers and
    administrators only.

    Persons a roster created are deleted with it unless something else now refers to them
    (another activity's roster, a merge): those stay, no longer marked as the batch's. A list's
    records are refused while other records depend on them.
    """
    if not may_resolve_identities(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this import is rolled back.")})
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(_("Only an imported file can be rolled back."), code="not-committed")
    with change_reason(reason):  # the records a list created are audited with it
        removed = import_kind(batch.kind).rollback(actor=actor, batch=batch)
    batch.status = BatchStatus.ROLLED_BACK
    batch.rolled_back_by = actor
    batch.rolled_back_at = timezone.now()
    batch.rollback_reason = reason
    batch.save(update_fields=["status", "rolled_back_by", "rolled_back_at", "rollback_reason"])
    audit_record(
        actor=actor,
        action="import_rollback",
        target=batch,
        summary=_("Import of %(file)s rolled back") % {"file": batch.file_name},
        changes=removed,
        reason=reason,
    )
    # Nothing of the file is in the program any more: the file and its rows have no purpose.
    return import_purge(actor=actor, batch=batch, cause=PurgeCause.ROLLBACK, reason=reason)


@transaction.atomic
def import_purge(
    *, actor: User | None, batch: ImportBatch, cause: str, reason: str = ""
) -> ImportBatch:
    """Deletes a batch's file and its checked rows (names, birth dates, as the sheet had them),
    and the text of the rows its layout left out. The batch stays, with its counts and
    summary, and the records it wrote keep their batch and row number. ``actor`` is None for
    the retention rule run by the command. An open (staged) batch is never purged: someone is
    still working on it."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.purged_at is not None:
        return batch
    if batch.status == BatchStatus.STAGED:
        raise ValidationError(_("A file still being imported is not purged."), code="open")
    layout = dict(batch.layout or {})
    if layout.get("skipped"):
        layout["skipped"] = [
            {key: value for key, value in item.items() if key != "text"}
            for item in layout["skipped"]
        ]
    size = len(batch.content or b"")
    batch.content = b""
    batch.rows = []
    batch.layout = layout
    batch.purged_at = timezone.now()
    batch.purge_cause = cause
    batch.save(update_fields=["content", "rows", "layout", "purged_at", "purge_cause"])
    audit_record(
        actor=actor,
        action="import_purge",
        target=batch,
        summary=_("File %(file)s purged") % {"file": batch.file_name},
        changes={"cause": cause, "bytes": size, "rows": batch.row_count},
        reason=reason or str(PurgeCause(cause).label),
    )
    return batch


def uploads_due_for_purge(*, now: datetime | None = None) -> QuerySet[ImportBatch]:
    """Batches whose file the retention rule (``settings.UPLOAD_RETENTION_DAYS``) says to
    delete: imported ones that many days after their import, abandoned ones that many days
    after their upload, rolled-back ones at once (those rolled back before the rule existed)."""
    limit = (now or timezone.now()) - timedelta(days=settings.UPLOAD_RETENTION_DAYS)
    return ImportBatch.objects.filter(purged_at__isnull=True).filter(
        Q(status=BatchStatus.COMMITTED, committed_at__lte=limit)
        | Q(status=BatchStatus.ABANDONED, created_at__lte=limit)
        | Q(status=BatchStatus.ROLLED_BACK)
    )


def uploads_purge(*, now: datetime | None = None) -> int:
    """Purges every batch :func:`uploads_due_for_purge` names; returns how many."""
    purged = 0
    for batch in uploads_due_for_purge(now=now).only("pk").iterator():
        import_purge(actor=None, batch=batch, cause=PurgeCause.RETENTION)
        purged += 1
    return purged


def _decided_about(persons: QuerySet[Person]) -> set[int]:
    """Persons an officer already decided about in the review queue (linked or kept apart):
    the decision is the model's labelled evidence and keeps its two records."""
    from akt.linkage.models import ReviewPair

    ids = list(persons.values_list("pk", flat=True))
    pairs = ReviewPair.objects.decided().filter(Q(person_a__in=ids) | Q(person_b__in=ids))
    return {pk for pair in pairs.values_list("person_a", "person_b") for pk in pair} & set(ids)


def _withdraw_pending_pairs(persons: QuerySet[Person]) -> list[dict[str, Any]]:
    """Removes the questions still waiting in the review queue about ``persons`` (which are
    about to be deleted: a question about a record that is gone has no answer), and returns
    them for the rollback's audit entry: pair, both records, probability."""
    from akt.linkage.models import ReviewPair

    ids = list(persons.values_list("pk", flat=True))
    pending = ReviewPair.objects.pending().filter(Q(person_a__in=ids) | Q(person_b__in=ids))
    withdrawn = [
        {"pair": pk, "person_a": a, "person_b": b, "probability": probability}
        for pk, a, b, probability in pending.order_by("pk").values_list(
            "pk", "person_a", "person_b", "probability"
        )
    ]
    pending.delete()
    return withdrawn


def attendance_rollback(batch: ImportBatch) -> dict[str, Any]:
    """The roster and tally kinds' rollback: the batch's attendances and headcounts removed,
    and the persons it created, unless something else now refers to them (another activity's
    roster, a merge, an officer's review decision): those stay, no longer marked as the
    batch's. The review queue's pending questions about the removed persons go with them,
    listed in the rollback's audit entry."""
    attendances = Attendance.objects.filter(batch=batch)
    tallies = Tally.objects.filter(batch=batch)
    removed: dict[str, Any] = {"attendances": attendances.count(), "tallies": tallies.count()}
    reverted = revert_edits(batch)  # rows a Kobo export's edited submissions updated
    if reverted:
        removed["edits_reverted"] = reverted
    attendances.delete()
    tallies.delete()
    created = Person.objects.filter(import_batch=batch)
    kept = created.filter(
        Q(attendances__isnull=False) | Q(records__isnull=False) | Q(merges_survived__isnull=False)
    ).distinct()
    kept_ids = set(kept.values_list("pk", flat=True)) | _decided_about(created)
    Person.objects.filter(pk__in=kept_ids).update(import_batch=None)
    removed["persons"] = Person.objects.filter(import_batch=batch).count()
    removed["persons_kept"] = len(kept_ids)
    withdrawn = _withdraw_pending_pairs(Person.objects.filter(import_batch=batch))
    if withdrawn:
        removed["review_pairs_withdrawn"] = withdrawn
    Person.objects.filter(import_batch=batch).delete()
    organizations, organizations_kept = remove_organizations(batch)
    if organizations or organizations_kept:
        removed["organizations"] = organizations
        removed["organizations_kept"] = organizations_kept
    return removed


# -- an import whose worker died ---------------------------------------------------------------


def batch_job(batch: ImportBatch) -> Job | None:
    """The latest background check or import of a batch (None when it never had one)."""
    from akt.intake.jobs import COMMIT_JOB_KIND, JOB_KIND

    return (
        Job.objects.filter(kind__in=[JOB_KIND, COMMIT_JOB_KIND], params__batch=batch.pk)
        .order_by("-pk")
        .first()
    )


def stalled_job(batch: ImportBatch) -> Job | None:
    """The batch's check or import job when it is stalled (:meth:`Job.is_stalled`): an open
    batch whose worker died, or whose job no worker picked up, and which would otherwise stay
    "being checked" or "being imported" for ever."""
    job = batch_job(batch) if batch.status == BatchStatus.STAGED else None
    return job if job is not None and job.is_stalled() else None


def _stalled(actor: User, batch: ImportBatch) -> tuple[ImportBatch, Job]:
    """The batch, locked, and its stalled job; refused when there is none to act on.

    The lock is what tells a dead import from a slow one on PostgreSQL: an import's commit
    holds the batch's row for its whole transaction, and a worker that died holds nothing (its
    connection ended with it). Taken without waiting, it refuses at once when the import is in
    fact still running, so a live import is never run twice or given up under its feet.
    """
    if not may_resolve_identities(actor):
        raise PermissionDenied
    try:
        batch = ImportBatch.objects.select_for_update(nowait=True).get(pk=batch.pk)
    except DatabaseError as error:
        raise ValidationError(
            _("The file is still being imported; it is not stalled."), code="running"
        ) from error
    job = stalled_job(batch)
    if job is None:
        raise ValidationError(
            _("This import is not stalled: it is running, finished or closed."),
            code="not-stalled",
        )
    return batch, job


def _silence(job: Job) -> dict[str, Any]:
    return {
        "job": job.pk,
        "job_kind": job.kind,
        "job_status": job.status,
        "silent_since": job.last_sign_of_life.isoformat(),
    }


@transaction.atomic
def import_resume(*, actor: User, batch: ImportBatch, reason: str = "") -> Job:
    """Starts a stalled check or import again, as a new job run by ``actor``; the stalled one
    is recorded as failed, so it never runs as well. M&E officers and administrators.

    Nothing of a stalled import was written (its commit is one transaction, undone when its
    worker died), so starting again imports every row once. The audit entry names both jobs;
    the commit's own entry follows when the new job runs. The reason given when the import
    was first asked for (a record of an approved quarter needs one) goes with it, unless a new
    one is given.
    """
    batch, stalled = _stalled(actor, batch)
    reason = (reason or "").strip() or stalled.params.get("reason", "")
    job_give_up(
        stalled,
        _("Stalled: no progress since %(time)s; started again by %(name)s.")
        % {
            "time": timezone.localtime(stalled.last_sign_of_life).strftime("%Y-%m-%d %H:%M"),
            "name": actor.get_full_name() or actor.username,
        },
    )
    audit_record(
        actor=actor,
        action="import_resume",
        target=batch,
        summary=_("Stalled import of %(file)s started again") % {"file": batch.file_name},
        changes=_silence(stalled),
        reason=reason,
    )
    params = {**stalled.params, "reason": reason} if "reason" in stalled.params else stalled.params
    return job_start(actor=actor, kind=stalled.kind, params=params)


@transaction.atomic
def import_abandon(*, actor: User, batch: ImportBatch, reason: str) -> ImportBatch:
    """Gives up a stalled check or import: the job is recorded as failed and the batch as
    abandoned, imported never (nothing of it was written). M&E officers and administrators, with
    a reason. The file can be uploaded again."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this import is abandoned.")})
    batch, stalled = _stalled(actor, batch)
    job_give_up(
        stalled,
        _("Stalled: abandoned by %(name)s: %(reason)s")
        % {"name": actor.get_full_name() or actor.username, "reason": reason.strip()},
    )
    batch.status = BatchStatus.ABANDONED
    batch.save(update_fields=["status"])
    audit_record(
        actor=actor,
        action="import_abandon",
        target=batch,
        summary=_("Stalled import of %(file)s abandoned") % {"file": batch.file_name},
        changes=_silence(stalled),
        reason=reason.strip(),
    )
    return batch
