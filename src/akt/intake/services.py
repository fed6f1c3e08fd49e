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
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record, require_writable
from akt.activities.models import Activity, Attendance, Tally
from akt.intake.fields import KOBO_FIELDS, ROSTER_FIELDS, TALLY_FIELDS, header_key, recognise
from akt.intake.models import BatchStatus, ColumnMapping, ImportBatch, ImportKind, ImportSource
from akt.intake.sources.base import FileRefused, Limits, Sheet, read_sheet
from akt.intake.sources.kobo import is_kobo_export, kobo_sheet
from akt.intake.templates_xlsx import read_activity_sheet
from akt.intake.validation import check_roster, check_tally
from akt.intake.vocabulary import Vocabulary
from akt.linkage.services import may_resolve_identities
from akt.people.models import ConsentBasis, Person
from akt.places.models import Municipality
from akt.text.names import sorted_name_key

Report = Callable[..., None]

SUGGEST_THRESHOLD = 0.9
"""A registry person at or above this match probability is preselected for a row; below it the
row is preselected as a new person (the officer can change either)."""

NEW = "new"


def fields_for(kind: str, source: str) -> tuple:
    fields = ROSTER_FIELDS if kind == ImportKind.ROSTER else TALLY_FIELDS
    return fields + KOBO_FIELDS if source == ImportSource.KOBO else fields


_RECENT_SHEETS: OrderedDict[tuple[str, str, str], tuple[Sheet, str]] = OrderedDict()
_RECENT_SHEETS_LOCK = threading.Lock()
_RECENT_SHEETS_KEPT = 4
_RECENT_SHEET_BYTES = 2_000_000
"""A small file received is usually checked at once by the same process: its reading is kept
for that (the few most recent files under this size), rather than parsing the file twice."""


def _read(data: bytes, file_name: str, *, encoding: str | None = None) -> tuple[Sheet, str]:
    """The sheet and its source; a Kobo/ODK export is recognised by its server columns."""
    if len(data) > _RECENT_SHEET_BYTES:
        return _parse(data, file_name, encoding)
    key = (hashlib.sha256(data).hexdigest(), file_name, encoding or "")
    with _RECENT_SHEETS_LOCK:
        if key in _RECENT_SHEETS:
            _RECENT_SHEETS.move_to_end(key)
            return _RECENT_SHEETS[key]
    read = _parse(data, file_name, encoding)
    with _RECENT_SHEETS_LOCK:
        _RECENT_SHEETS[key] = read
        while len(_RECENT_SHEETS) > _RECENT_SHEETS_KEPT:
            _RECENT_SHEETS.popitem(last=False)
    return read


def _parse(data: bytes, file_name: str, encoding: str | None) -> tuple[Sheet, str]:
    try:
        sheet = read_sheet(data, file_name, encoding=encoding or None, limits=Limits())
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
    if source == ImportSource.KOBO and "activity_id" in sheet.headers:
        index = sheet.headers.index("activity_id")
        named = {row.cells[index].strip() for row in sheet.rows if index < len(row.cells)}
        named.discard("")
        if len(named) == 1:
            return named.pop()
    return ""


def _find_activity(actor: User, sheet: Sheet, source: str, activity: Activity | None) -> Activity:
    if activity is None:
        named = _activity_named(sheet, source)
        if not named:
            raise ValidationError(
                _("The file does not say which activity it is for; choose the activity."),
                code="no-activity",
            )
        activity = Activity.objects.filter(pk=int(named) if named.isdigit() else None).first()
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
) -> ImportBatch:
    """Reads and keeps a file as a new batch (status "staged", rows not yet checked).

    Raises ``ValidationError`` with the reason when the file is refused (unreadable, hostile,
    for no activity the actor may change, or already imported); nothing is stored then.
    """
    if kind not in ImportKind.values:
        raise ValueError(f"unknown import kind {kind!r}")
    if not Scope.for_user(actor).may_edit or not Scope.for_user(actor).may_see_persons:
        raise PermissionDenied
    sheet, source = _read(data, file_name, encoding=encoding)
    activity = _find_activity(actor, sheet, source, activity)
    sha256 = hashlib.sha256(data).hexdigest()
    _already_imported(sha256, activity)
    batch = ImportBatch(
        kind=kind,
        source=source,
        activity=activity,
        file_name=file_name[:255],
        sha256=sha256,
        content=data,
        sheet_name=sheet.sheet_name[:100],
        encoding=sheet.encoding or "",
        headers=list(sheet.headers),
        mapping=remembered_mapping(source, kind, sheet.headers),
        row_count=len(sheet.rows),
        created_by=actor,
    )
    batch.full_clean(exclude=["content", "rows", "summary", "mapping", "headers"])
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


def rows_shown_to(actor: User, batch: ImportBatch) -> Callable[[Mapping[str, Any]], bool]:
    """Which rows of a batch ``actor`` may read (the batch itself being in their scope).

    A roster row names a person, and a focal point sees the persons resident in their
    municipality only. They see every row of a file they uploaded themselves (they hold the
    file), but in a file someone else uploaded for an activity of theirs only the rows of their
    municipality's residents; a row with no municipality is a resident of the activity's, which
    is theirs. Tally rows name nobody. Other roles that see a batch see all its rows.
    """
    if sees_every_row(actor, batch):
        return lambda row: True
    own = Scope.for_user(actor).municipality_id
    return lambda row: row.get("values", {}).get("municipality") in (None, own)


def sees_every_row(actor: User, batch: ImportBatch) -> bool:
    """Whether :func:`rows_shown_to` lets ``actor`` read every row of the batch."""
    own = Scope.for_user(actor).municipality_id
    return batch.kind == ImportKind.TALLY or own is None or batch.created_by_id == actor.pk


def _require_staged(actor: User, batch: ImportBatch) -> None:
    if not Scope.for_user(actor).import_batches(ImportBatch.objects.filter(pk=batch.pk)).exists():
        raise PermissionDenied
    require_writable(actor, batch.activity)
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
    """Validates every row and matches new attendees against the registry; stores the result."""
    _require_staged(actor, batch)
    report = progress or (lambda *args, **kwargs: None)
    report(0, 3, stage="read")
    sheet, _source = _read(bytes(batch.content), batch.file_name, encoding=batch.encoding or None)
    rows = [(row.number, list(row.cells)) for row in sheet.rows]
    mapping = {int(index): code for index, code in batch.mapping.items()}
    activity = batch.activity
    report(1, 3, stage="validate")
    vocabulary = Vocabulary.load()
    if batch.kind == ImportKind.TALLY:
        checked = [
            row.as_json()
            for row in check_tally(
                headers=batch.headers, rows=rows, mapping=mapping, vocabulary=vocabulary
            )
        ]
    else:
        checked = [
            row.as_json()
            for row in check_roster(
                headers=batch.headers,
                rows=rows,
                mapping=mapping,
                start=activity.start_date,
                end=activity.end_date,
                vocabulary=vocabulary,
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
    batch.rows = checked
    batch.problem_count = sum(len(row["problems"]) for row in checked)
    batch.row_count = len(checked)
    batch.save(update_fields=["rows", "problem_count", "row_count"])
    report(3, 3, stage="done")
    return batch


def _match(actor: User, activity: Activity, rows: list[dict[str, Any]]) -> None:
    """Each row's likely registry persons (only those the actor may see), and a preselection."""
    from akt.linkage.suggestions import registry_candidates

    on_roster, submissions = _roster_people(activity)
    copies = _roster_copies(actor, activity)
    municipality_codes = dict(Municipality.objects.values_list("pk", "code"))
    # A row written exactly as someone on this roster is that person: no model needed, so a
    # roster sent back with a few rows added is matched at the cost of the added rows only.
    copied = {index: copies.get(_written_key(row["values"])) for index, row in enumerate(rows)}
    unknown = [index for index, copy in copied.items() if copy is None]
    found_for = dict(
        zip(
            unknown,
            registry_candidates(
                [
                    {
                        "given_name": rows[index]["values"]["given_name"],
                        "family_name": rows[index]["values"]["family_name"],
                        "birth_date": rows[index]["values"]["birth_date"]
                        or (
                            str(rows[index]["values"]["birth_year"])
                            if rows[index]["values"]["birth_year"]
                            else ""
                        ),
                        "sex": rows[index]["values"]["sex"],
                        "municipality": municipality_codes.get(
                            rows[index]["values"]["municipality"], ""
                        ),
                    }
                    for index in unknown
                ]
            ),
            strict=True,
        )
    )
    visible = set(
        Scope.for_user(actor)
        .persons(
            Person.objects.filter(
                pk__in={person for found in found_for.values() for person, _p in found}
            )
        )
        .values_list("pk", flat=True)
    )
    for index, row in enumerate(rows):
        copy = copied[index]
        if copy is not None:
            # Written as this roster's person: shown as that person, with no probability.
            row["candidates"] = [{"person": copy, "probability": None}]
            row["choice"] = copy
        else:
            shown = [
                {"person": person, "probability": round(probability, 4)}
                for person, probability in found_for[index]
                if person in visible
            ]
            row["candidates"] = shown
            best = shown[0] if shown else None
            likely = best is not None and best["probability"] >= SUGGEST_THRESHOLD
            row["choice"] = best["person"] if likely else NEW
        submission = row["values"].get("submission_id")
        if submission and submission in submissions:
            row["skip"] = "submission"
        elif isinstance(row["choice"], int) and row["choice"] in on_roster:
            row["skip"] = "on-roster"
    _mark_repeats(rows, {})


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
    wanted = {int(value) for value in choices.values() if value != NEW and str(value).isdigit()}
    visible = set(
        Scope.for_user(actor)
        .persons(Person.objects.filter(pk__in=wanted))
        .values_list("pk", flat=True)
    )
    on_roster, _submissions = _roster_people(batch.activity)
    canonical = dict(Person.objects.filter(pk__in=visible).values_list("pk", "identity_id"))
    readable = rows_shown_to(actor, batch)
    for number, value in choices.items():
        row = by_number.get(int(number))
        if row is None:
            continue
        if not readable(row):
            raise PermissionDenied  # a person the actor may not see: not theirs to answer for
        if value == NEW:
            row["choice"] = NEW
            if row.get("skip") == "on-roster":
                row.pop("skip")
        elif str(value).isdigit() and int(value) in visible:
            row["choice"] = int(value)
            if (canonical[int(value)] or int(value)) in on_roster:
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
    _already_imported(batch.sha256, batch.activity)
    report = progress or (lambda *args, **kwargs: None)
    if batch.kind == ImportKind.TALLY:
        summary = _commit_tally(batch)
    else:
        summary = _commit_roster(batch, report)
    batch.status = BatchStatus.COMMITTED
    batch.committed_by = actor
    batch.committed_at = timezone.now()
    batch.summary = summary
    batch.save(update_fields=["status", "committed_by", "committed_at", "summary"])
    audit_record(
        actor=actor,
        action="import_commit",
        target=batch,
        summary=_("%(file)s imported into “%(activity)s”")
        % {"file": batch.file_name, "activity": batch.activity.title},
        changes={"file": batch.file_name, "sha256": batch.sha256, **summary},
    )
    return batch


def _commit_roster(batch: ImportBatch, report: Report) -> dict[str, int]:
    activity = batch.activity
    on_roster, submissions = _roster_people(activity)
    rows = [row for row in batch.rows if not row.get("skip")]
    new_rows = [row for row in rows if row.get("choice", NEW) == NEW]
    chosen_ids = {row["choice"] for row in rows if row.get("choice", NEW) != NEW}
    canonical = dict(Person.objects.filter(pk__in=chosen_ids).values_list("pk", "identity_id"))
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
        attendances.append(
            Attendance(
                activity=activity,
                person_id=person_id,
                role=values["role"],
                organization_id=values["organization"],
                batch=batch,
                source_row=row["number"],
                source_key=submission[:64],
            )
        )
    Attendance.objects.bulk_create(attendances, batch_size=2000)
    report(3, 3, stage="done")
    repeated = sum(1 for row in batch.rows if row.get("skip") == "same-person")
    return {
        "rows": len(batch.rows),
        "attendances": len(attendances),
        "persons_created": len(created),
        "skipped": skipped + len(batch.rows) - len(rows) - repeated,
        "repeated": repeated,
    }


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
    relations = [
        field for field in meta.concrete_fields if field.is_relation and field.name not in exclude
    ]
    local = exclude | {field.name for field in relations}
    suspects: set[int] = set()
    for index, person in enumerate(persons):
        try:
            person.clean_fields(exclude=local)
            person.clean()
        except ValidationError:
            suspects.add(index)
    for field in relations:
        target = field.remote_field.field_name
        values = {getattr(person, field.attname) for person in persons} - {None}
        found = set(
            field.remote_field.model._base_manager.filter(**{f"{target}__in": values})
            .complex_filter(field.get_limit_choices_to())
            .values_list(target, flat=True)
        )
        suspects.update(
            index
            for index, person in enumerate(persons)
            if getattr(person, field.attname) is not None
            and getattr(person, field.attname) not in found
        )
    for field in meta.concrete_fields:
        if field.unique and not field.primary_key and field.name not in exclude:
            values = [getattr(person, field.attname) for person in persons]
            taken: set[Any] = set()
            for start in range(0, len(values), 500):
                taken.update(
                    Person._base_manager.filter(
                        **{f"{field.attname}__in": values[start : start + 500]}
                    ).values_list(field.attname, flat=True)
                )
            suspects.update(index for index, value in enumerate(values) if value in taken)
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
        key = tuple(getattr(person, meta.get_field(name).attname) for name in read)
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
        given_name=values["given_name"][:100],
        family_name=values["family_name"][:100],
        sex=values.get("sex") or "",
        birth_date=date.fromisoformat(values["birth_date"]) if values.get("birth_date") else None,
        birth_year=values.get("birth_year") if not values.get("birth_date") else None,
        community_id=community,
        community_consent=(
            ConsentBasis.CONSENT
            if community and values.get("community_consent")
            else ConsentBasis.NOT_RECORDED
        ),
        municipality_id=values.get("municipality") or batch.activity.municipality_id,
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
    """Removes what a committed batch wrote. M&E officers and administrators only.

    Persons the batch created are deleted with it unless something else now refers to them
    (another activity's roster, a merge): those stay, no longer marked as the batch's.
    """
    if not may_resolve_identities(actor):
        raise PermissionDenied
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this import is rolled back.")})
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.status != BatchStatus.COMMITTED:
        raise ValidationError(_("Only an imported file can be rolled back."), code="not-committed")
    attendances = Attendance.objects.filter(batch=batch)
    tallies = Tally.objects.filter(batch=batch)
    removed = {"attendances": attendances.count(), "tallies": tallies.count()}
    attendances.delete()
    tallies.delete()
    created = Person.objects.filter(import_batch=batch)
    kept = created.filter(
        Q(attendances__isnull=False) | Q(records__isnull=False) | Q(merges_survived__isnull=False)
    ).distinct()
    kept_ids = list(kept.values_list("pk", flat=True))
    Person.objects.filter(pk__in=kept_ids).update(import_batch=None)
    removed["persons"] = Person.objects.filter(import_batch=batch).count()
    removed["persons_kept"] = len(kept_ids)
    Person.objects.filter(import_batch=batch).delete()
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
    return batch
