"""Kobo and ODK submissions on an activity's roster: the export's activity checked, submissions
a supervisor did not approve left out, an edited submission updating the row it made, and
organizations typed as free text registered once.

The import path (:mod:`akt.intake.services`) calls these at its steps; they hold what is
particular to form submissions (:mod:`akt.intake.sources.kobo` reads the export).

**The activity.** Every submission carries the form's ``activity_id``; ODK Central also names
its export after the form id ("akt_attendance_42.csv"). An export imported into another
activity than the one it names is refused, naming both; an export of several activities' forms
is refused too (each activity has its own form).

**Supervisors' decisions.** A submission marked "Not approved" on the server is left out: it is
not checked (its problems refuse nothing), not matched and not written, and it is counted and
shown as left out. "On hold" is decided the same way: a supervisor puts a submission on hold
when something in it must be checked before it counts, so importing it would report an
attendance nobody has accepted yet. When the supervisor approves it, the next export brings it
in (its identifiers are new to the roster). Approved submissions and submissions with no
decision are imported.

**Edits.** KoboToolbox gives an edited submission a new ``_uuid`` and ``meta/instanceID`` and
keeps ``_id`` and ``meta/rootUuid``; ODK Central keeps ``KEY``. A row whose identifiers meet
those of a submission already on the roster (imported by an earlier export) is that
submission: it is never a second attendance. What the edit changed, compared with the values
that submission was last imported with, is written to the row's person and attendance, shown in
the preview beside the row, audited, and undone if the import is rolled back. A field the edit
did not change is left as the registry has it, so a person matched to a registry record spelt
differently keeps the registry's spelling. A submission exported again unchanged is skipped.

**Organizations.** A name the registry does not have (:mod:`akt.intake.organizations`) is
registered on import, once for all the rows that name it in any spelling: a municipality's
office in that municipality, any other organization in the activity's municipality (where it
took part; the form does not ask where it is based). A rollback removes it unless something
else has come to refer to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record
from akt.activities.models import Activity, Attendance, AttendanceRole
from akt.intake.models import BatchStatus, ImportBatch, ImportSource
from akt.intake.organizations import natural_person_of, organization_key
from akt.intake.sources.base import Sheet
from akt.intake.sources.kobo import (
    APPROVED,
    NOT_APPROVED,
    ON_HOLD,
    VALIDATION_STATUS,
    form_activity,
)
from akt.intake.xlsform import ACTIVITY_ID
from akt.people.models import (
    Affiliation,
    ConsentBasis,
    Organization,
    OrganizationKind,
    Person,
    Sex,
)
from akt.people.services import PERSON_FIELDS
from akt.places.models import Community, Municipality
from akt.text.numbers import parse_positive_id

LEFT_OUT = {NOT_APPROVED: "not-approved", ON_HOLD: "on-hold"}
"""A supervisor's decision -> the ``skip`` of a row left out for it."""

EDITED = "edited"
"""The ``skip`` of a row that updates the attendance an earlier export made."""

SUBMISSION = "submission"
"""The ``skip`` of a row whose submission is on the roster unchanged."""

EDITED_PERSON_FIELDS = tuple(field for field in PERSON_FIELDS if field != "organization")
"""Row values an edit writes to the row's person (the row's organization is its attendance's:
whom the person represented at that activity)."""

ATTENDANCE_FIELDS = ("role", "organization")
"""Row values an edit writes to the attendance."""

FIELD_LABELS = {
    "given_name": gettext_lazy("Given name"),
    "family_name": gettext_lazy("Family name"),
    "sex": gettext_lazy("Sex"),
    "birth_date": gettext_lazy("Birth date"),
    "birth_year": gettext_lazy("Birth date"),
    "community": gettext_lazy("Community"),
    "community_consent": gettext_lazy("Agrees to state a community"),
    "municipality": gettext_lazy("Municipality"),
    "affiliation": gettext_lazy("Affiliation"),
    "role": gettext_lazy("Role"),
    "organization": gettext_lazy("Organization"),
}


# -- the activity ------------------------------------------------------------------------------


def export_activities(sheet: Sheet) -> set[str]:
    """The activity ids an export names: its ``activity_id`` column's values, else the form id
    in its file or sheet name."""
    named: set[str] = set()
    if ACTIVITY_ID in sheet.headers:
        index = sheet.headers.index(ACTIVITY_ID)
        named = {row.cells[index].strip() for row in sheet.rows if index < len(row.cells)}
        named.discard("")
    if not named:
        found = form_activity(sheet.file_name, sheet.sheet_name)
        named = {found} if found else set()
    return {str(parse_positive_id(value) or value) for value in named}


def require_same_activity(actor: User, sheet: Sheet, activity: Activity | None) -> None:
    """Refuses an export of another activity's form (or of several), naming the activities.
    Without an ``activity`` chosen, only an export of several is refused (the one it names is
    the activity)."""
    named = export_activities(sheet)
    if len(named) > 1:
        raise ValidationError(
            _(
                "The export holds submissions of several activities (%(ids)s). Each activity has "
                "its own form: export and import each one on its own."
            )
            % {"ids": ", ".join(sorted(named, key=lambda value: (len(value), value)))},
            code="several-activities",
        )
    if activity is None or not named or named == {str(activity.pk)}:
        return
    (other_id,) = named
    number = parse_positive_id(other_id)
    other = (
        Activity.objects.filter(pk=number).select_related("municipality").first()
        if number is not None  # not an id: no activity has it
        else None
    )
    if other is not None and Scope.for_user(actor).may_see(other):
        raise ValidationError(
            _(
                "This export is of activity %(other_id)s, “%(other)s” (%(other_place)s), not of "
                "activity %(id)s, “%(title)s” (%(place)s), which it was to be imported into. "
                "Nothing was imported: import it into its own activity."
            )
            % {
                "other_id": other.pk,
                "other": other.title,
                "other_place": other.municipality.name,
                "id": activity.pk,
                "title": activity.title,
                "place": activity.municipality.name,
            },
            code="other-activity",
        )
    raise ValidationError(
        _(
            "This export is of activity %(other_id)s, not of activity %(id)s, “%(title)s” "
            "(%(place)s), which it was to be imported into. Nothing was imported: import it "
            "into its own activity."
        )
        % {
            "other_id": other_id,
            "id": activity.pk,
            "title": activity.title,
            "place": activity.municipality.name,
        },
        code="other-activity",
    )


# -- supervisors' decisions --------------------------------------------------------------------


def split_left_out(
    rows: Sequence[tuple[int, Sequence[str]]], mapping: Mapping[int, str]
) -> tuple[list[tuple[int, Sequence[str]]], dict[int, str]]:
    """The rows to import, and the numbers of those left out with the reason (``skip``)."""
    column = next((index for index, code in mapping.items() if code == VALIDATION_STATUS), None)
    if column is None:
        return list(rows), {}
    kept, left = [], {}
    for number, cells in rows:
        status = cells[column].strip() if column < len(cells) else ""
        if status in LEFT_OUT:
            left[number] = LEFT_OUT[status]
        else:
            kept.append((number, cells))
    return kept, left


def left_out_rows(
    activity: Activity, rows: Iterable[dict[str, Any]], skips: Mapping[int, str]
) -> list[dict[str, Any]]:
    """Checked rows made rows left out: they refuse nothing and write nothing. One whose
    submission an earlier export put on the roster says from which import (``imported_by``):
    leaving it out of this file does not take it off the roster."""
    rows = list(rows)
    imported = imported_submissions(activity) if rows else {}
    for row in rows:
        row["problems"] = []
        row["skip"] = skips[row["number"]]
        row["candidates"] = []
        earlier = next((imported[key] for key in _keys(row["values"]) if key in imported), None)
        if earlier is not None:
            row["imported_by"] = earlier.batch
    return rows


# -- edits ---------------------------------------------------------------------------------------


@dataclass
class Imported:
    """A submission on the roster: its attendance and the values it was last imported with."""

    attendance: int
    person: int
    values: dict[str, Any]
    batch: int
    order: tuple[Any, int]


def imported_submissions(activity: Activity) -> dict[str, Imported]:
    """Every submission on the activity's roster by each of its identifiers.

    Read from the committed exports' checked rows: the row that made the attendance and the
    rows of later exports that updated it, the latest one's values standing."""
    attendances = {
        (batch, row): (pk, person)
        for pk, person, batch, row in Attendance.objects.filter(
            activity=activity,
            batch__source=ImportSource.KOBO,
            batch__status=BatchStatus.COMMITTED,
        ).values_list("pk", "person_id", "batch_id", "source_row")
    }
    if not attendances:
        return {}
    by_attendance = {pk: (pk, person) for pk, person in attendances.values()}
    found: dict[int, Imported] = {}
    keys: dict[int, set[str]] = {}
    batches = ImportBatch.objects.filter(
        activity=activity, source=ImportSource.KOBO, status=BatchStatus.COMMITTED
    ).values_list("pk", "committed_at", "rows")
    for batch, committed, rows in batches:
        for row in rows or ():
            if row.get("skip") == EDITED:
                made = by_attendance.get(row.get("edit", {}).get("attendance"))
            elif not row.get("skip"):
                made = attendances.get((batch, row["number"]))
            else:
                made = None
            if made is None:
                continue
            attendance, person = made
            values = row["values"]
            keys.setdefault(attendance, set()).update(_keys(values))
            order = (committed, row["number"])
            if attendance not in found or found[attendance].order < order:
                found[attendance] = Imported(attendance, person, values, batch, order)
    return {key: found[pk] for pk, pk_keys in keys.items() if pk in found for key in pk_keys}


def mark_edits(activity: Activity, rows: list[dict[str, Any]]) -> None:
    """Rows that are submissions already on the roster: an edit updates (``skip="edited"``,
    ``edit`` saying which attendance and what changes), an unchanged one is skipped."""
    if not any(row["values"].get("submission_keys") for row in rows):
        return
    imported = imported_submissions(activity)
    if not imported:
        return
    for row in rows:
        if row.get("skip") in LEFT_OUT.values():
            continue
        earlier = next((imported[key] for key in _keys(row["values"]) if key in imported), None)
        if earlier is None:
            continue
        row["choice"] = earlier.person
        row["candidates"] = [{"person": earlier.person, "probability": None}]
        row.pop("same_as", None)
        changes = _changes(earlier.values, row["values"])
        if changes:
            row["skip"] = EDITED
            row["edit"] = {
                "attendance": earlier.attendance,
                "person": earlier.person,
                "batch": earlier.batch,
                "changes": changes,
            }
        else:
            row["skip"] = SUBMISSION


def _keys(values: Mapping[str, Any]) -> list[str]:
    keys = list(values.get("submission_keys") or ())
    if values.get("submission_id"):
        keys.append(str(values["submission_id"]).casefold())
    return keys


def _changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """Field -> [before, after] for what an edit changed (a birth date and a birth year are one
    field; a new organization's name stands for the organization)."""
    changes = {}
    for name in (*EDITED_PERSON_FIELDS, *ATTENDANCE_FIELDS):
        if name == "birth_year":
            continue
        old, new = _compared(name, before), _compared(name, after)
        if old != new:
            changes[name] = [old, new]
    return changes


def _compared(name: str, values: Mapping[str, Any]) -> Any:
    if name == "birth_date":
        return values.get("birth_date") or (
            str(values["birth_year"]) if values.get("birth_year") else None
        )
    if name == "organization":
        return values.get("organization") or values.get("organization_new") or None
    if name == "community_consent":
        return bool(values.get(name))
    return values.get(name) or None


def commit_edits(actor: User, batch: ImportBatch, rows: Iterable[dict[str, Any]]) -> int:
    """Writes each edited submission's changes to its person and attendance, keeping what they
    held before in the row (for a rollback); audited."""
    edited = [row for row in rows if row.get("skip") == EDITED]
    for row in edited:
        edit = row["edit"]
        attendance = Attendance.objects.select_for_update().get(pk=edit["attendance"])
        person = Person.objects.select_for_update().get(pk=attendance.person_id)
        edit["previous"] = _apply(person, attendance, row["values"], edit["changes"])
        _save(person, attendance, edit["previous"], check=True)
        audit_record(
            actor=actor,
            action="import_submission_edit",
            target=attendance,
            summary=_(
                "Row %(row)s of %(file)s: the attendance updated from a submission edited on "
                "the server"
            )
            % {"row": row["number"], "file": batch.file_name},
            changes={"batch": batch.pk, "row": row["number"], **edit["changes"]},
        )
    return len(edited)


def _apply(
    person: Person, attendance: Attendance, values: Mapping[str, Any], changes: Mapping[str, Any]
) -> dict[str, dict[str, Any]]:
    """Sets the changed fields from ``values``; returns what they held before, by record
    ("person", "attendance") and attribute."""
    person_values: dict[str, Any] = {}
    attendance_values: dict[str, Any] = {}
    for name in changes:
        if name in ("given_name", "family_name", "affiliation", "sex"):
            person_values[name] = values.get(name) or ""
        elif name == "birth_date":
            born = values.get("birth_date")
            person_values["birth_date"] = date.fromisoformat(born) if born else None
            person_values["birth_year"] = values.get("birth_year") if not born else None
        elif name in ("community", "community_consent"):
            person_values["community_id"] = values.get("community")
            person_values["community_consent"] = (
                ConsentBasis.CONSENT
                if values.get("community") and values.get("community_consent")
                else ConsentBasis.NOT_RECORDED
            )
        elif name == "municipality" and values.get("municipality"):
            person_values["municipality_id"] = values["municipality"]
        elif name == "role":
            attendance_values["role"] = values.get("role") or attendance.role
        elif name == "organization":
            attendance_values["organization_id"] = values.get("organization")
    previous: dict[str, dict[str, Any]] = {"person": {}, "attendance": {}}
    for record, key, new_values in (
        (person, "person", person_values),
        (attendance, "attendance", attendance_values),
    ):
        for attribute, value in new_values.items():
            old = getattr(record, attribute)
            previous[key][attribute] = old.isoformat() if isinstance(old, date) else old
            setattr(record, attribute, value)
    return previous


def _save(
    person: Person, attendance: Attendance, fields: Mapping[str, Mapping[str, Any]], *, check: bool
) -> None:
    person_fields = sorted({_field(name) for name in fields["person"]})
    attendance_fields = sorted({_field(name) for name in fields["attendance"]})
    if person_fields:
        if check:
            person.full_clean(exclude=["identity", "import_batch"])
        person.save(update_fields=person_fields)
    if attendance_fields:
        if check:
            attendance.full_clean()
        attendance.save(update_fields=attendance_fields)


def _field(attribute: str) -> str:
    return attribute[: -len("_id")] if attribute.endswith("_id") else attribute


def revert_edits(batch: ImportBatch) -> int:
    """Gives the persons and attendances a batch's edited submissions changed back what they
    held before it."""
    reverted = 0
    for row in batch.rows or ():
        previous = row.get("edit", {}).get("previous") if row.get("skip") == EDITED else None
        if not previous:
            continue
        attendance = Attendance.objects.filter(pk=row["edit"]["attendance"]).first()
        if attendance is None:
            continue
        person = Person.objects.get(pk=attendance.person_id)
        for record, key in ((person, "person"), (attendance, "attendance")):
            for attribute, value in previous[key].items():
                if attribute == "birth_date" and value:
                    value = date.fromisoformat(value)
                setattr(record, attribute, value)
        _save(person, attendance, previous, check=False)
        reverted += 1
    return reverted


# -- organizations -----------------------------------------------------------------------------


def register_organizations(batch: ImportBatch, rows: Iterable[dict[str, Any]]) -> int:
    """Registers each organization the rows propose (once per name in any spelling) and gives
    it to them; returns how many were registered."""
    proposed: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        name = row["values"].get("organization_new")
        if name and not row["values"].get("organization"):
            proposed.setdefault(organization_key(name), []).append(row)
    if not proposed:
        return 0
    codes = dict(Municipality.objects.values_list("code", "pk"))
    for key, named in proposed.items():
        first = named[0]
        office = key.startswith("municipality:")
        municipality = codes.get(key.split(":", 1)[1]) if office else None
        kind = OrganizationKind.MUNICIPAL_OFFICE if office else OrganizationKind.OTHER
        organization = Organization(
            name=first["values"]["organization_new"],
            kind=kind,
            natural_person=natural_person_of(first["values"]["organization_new"], kind),
            municipality_id=municipality or batch.target_activity.municipality_id,
            batch=batch,
            source_row=first["number"],
        )
        organization.full_clean()
        organization.save()
        for row in named:
            row["values"]["organization"] = organization.pk
            row["values"]["organization_registered"] = row["values"].pop("organization_new")
    return len(proposed)


def remove_organizations(batch: ImportBatch) -> tuple[int, int]:
    """Removes the organizations a batch registered (after its rows are gone); one something
    else now refers to stays. Returns (removed, kept)."""
    removed = kept = 0
    for organization in Organization.objects.filter(batch=batch):
        try:
            with transaction.atomic():
                organization.delete()
            removed += 1
        except ProtectedError:
            kept += 1
    return removed, kept


# -- what the preview and the summaries say ----------------------------------------------------


def counts(rows: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """How many rows were left out, updated an earlier submission, propose an organization."""
    rows = list(rows)
    proposed = {
        organization_key(row["values"]["organization_new"])
        for row in rows
        if row["values"].get("organization_new") and not row.get("skip")
    }
    return {
        "not_approved": sum(1 for row in rows if row.get("skip") == LEFT_OUT[NOT_APPROVED]),
        "on_hold": sum(1 for row in rows if row.get("skip") == LEFT_OUT[ON_HOLD]),
        "edited": sum(1 for row in rows if row.get("skip") == EDITED),
        "organizations_proposed": len(proposed),
    }


def row_notes(row: Mapping[str, Any]) -> list[str]:
    """What the preview says beside a row about its submission and its organization, in the
    active language."""
    notes = []
    skip = row.get("skip")
    values = row.get("values", {})
    if skip == LEFT_OUT[NOT_APPROVED]:
        notes.append(_("Marked “Not approved” on the server: left out."))
    elif skip == LEFT_OUT[ON_HOLD]:
        notes.append(_("Marked “On hold” on the server: left out until it is approved."))
    if row.get("imported_by"):
        notes.append(
            _(
                "An earlier export put this submission on the roster (import %(number)s); it "
                "stays there. Roll that import back if it should not count."
            )
            % {"number": row["imported_by"]}
        )
    elif skip == EDITED:
        changed = "; ".join(
            _("%(field)s: “%(old)s” → “%(new)s”")
            % {"field": FIELD_LABELS[name], "old": _shown(name, old), "new": _shown(name, new)}
            for name in (*EDITED_PERSON_FIELDS, *ATTENDANCE_FIELDS)  # one order (jsonb keeps none)
            if name in row["edit"]["changes"]
            for old, new in [row["edit"]["changes"][name]]
        )
        notes.append(
            _("Edited on the server since it was imported: its row is updated (%(changes)s).")
            % {"changes": changed}
        )
    if values.get("community_left_out"):
        notes.append(
            _(
                "A community is written, but not the person's consent to state it: the "
                "community is not recorded."
            )
        )
    if values.get("organization_new") and skip not in LEFT_OUT.values():
        notes.append(
            _("The organization “%(name)s” is not registered: it is registered on import.")
            % {"name": values["organization_new"]}
        )
    elif values.get("organization_candidates"):
        names = Organization.objects.filter(pk__in=values["organization_candidates"])
        notes.append(
            _(
                "The organization could be any of %(names)s; none is given. Choose it on the "
                "activity's roster after the import."
            )
            % {"names": ", ".join(f"“{item.name}”" for item in names)}
        )
    return notes


def _shown(name: str, value: Any) -> str:
    """A changed value as the reader knows it: a label or a name, not a stored code."""
    if value is None or value == "":
        return "—"
    if name == "community_consent":
        return _("Yes") if value else _("No")
    if name in CHOICES:
        return str(dict(CHOICES[name].choices).get(value, value))
    if name in RECORDS and isinstance(value, int):
        record = RECORDS[name].objects.filter(pk=value).first()
        return str(record.name) if record is not None else str(value)
    return str(value)


CHOICES = {"sex": Sex, "role": AttendanceRole, "affiliation": Affiliation}
RECORDS: dict[str, type[Community] | type[Municipality] | type[Organization]] = {
    "community": Community,
    "municipality": Municipality,
    "organization": Organization,
}


__all__ = [
    "APPROVED",
    "commit_edits",
    "counts",
    "export_activities",
    "imported_submissions",
    "mark_edits",
    "register_organizations",
    "remove_organizations",
    "require_same_activity",
    "revert_edits",
    "row_notes",
    "left_out_rows",
    "split_left_out",
]
