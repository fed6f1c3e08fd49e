"""The contract every import kind keeps, and the shared body of the kinds that import records.

An import batch goes through one path whatever it holds (:mod:`akt.intake.services`: receive,
map columns, check, commit, roll back). What differs by kind is said here, by a :class:`Kind`:

- ``fields(source)``: the columns it reads, with their headers in every language;
- ``check(...)``: every row read and checked, problems named by row, column and value;
- ``commit(...)``: every row written, or a ``ValidationError`` (the caller's transaction then
  keeps nothing);
- ``rollback(...)``: what the batch wrote removed again.

Roster and tally go into one activity (``needs_activity``). The other kinds are lists of records
(activities, organizations, grants, plans, plan actions, infrastructure projects), one row per
record, each row carrying the record's **external reference**, the number the office gives it
in its own list. :class:`RecordKind` holds what they share:

- A reference is the record's identity across imports. The same row imported again (the same
  reference and the same values) is recognised and left as it is, so importing a list twice
  changes nothing. A row whose reference is already recorded with *other* values is refused,
  naming the column, the stored value and the file's value: a list is not the place to change a
  recorded activity or grant, because it would change figures already reported (and approved
  quarters change only with a reason, given on the record's page) without anyone deciding so.
- A reference appears once per file; two rows with one reference are refused.
- A row that names another record (a grant's organization, an action's plan, an activity's
  project or organizer) names it by that record's reference or by its name; records imported
  earlier in the same folder are found the same way, because a folder is committed in order.
- Every record created keeps its batch and row (``batch``, ``source_row``), and an audit entry.
- Only roles that see every record (administrators, M&E officers) import lists: a list spans
  municipalities and components, and its batch belongs to no activity a narrower scope sees.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, ClassVar, Generic, TypeVar, cast

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from akt.accounts.models import User
from akt.accounts.provenance import Imported
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record, audit_values, model_field, require_writable
from akt.intake.fields import Field, header_key
from akt.intake.validation import CheckedRow, _columns, _date_or_blank, _extra_cells, _Row
from akt.intake.vocabulary import Vocabulary
from akt.program.models import Component

Report = Callable[..., None]


class Kind:
    """What one kind of file holds and how it is checked, committed and rolled back."""

    code: ClassVar[str]
    needs_activity: ClassVar[bool] = False
    """Whether the file goes into one activity (a roster or a tally) rather than being a list."""

    def fields(self, source: str) -> tuple[Field, ...]:
        raise NotImplementedError

    def may_import(self, actor: User) -> bool:
        """Whether ``actor``'s role may import this kind at all (the activity, where there is
        one, is checked separately)."""
        scope = Scope.for_user(actor)
        return scope.may_edit and scope.may_see_persons

    def check(
        self,
        *,
        actor: User,
        batch: Any,
        rows: Sequence[tuple[int, Sequence[str]]],
        mapping: Mapping[int, str],
        report: Report,
    ) -> list[dict[str, Any]]:
        raise NotImplementedError

    def commit(self, *, actor: User, batch: Any, report: Report) -> dict[str, int]:
        raise NotImplementedError

    def rollback(self, *, actor: User, batch: Any) -> dict[str, int]:
        raise NotImplementedError


# -- reading values -----------------------------------------------------------------------------

CHOICES: dict[str, type[models.Choices]] = {}
"""The choice lists record lists read, by the key a "choice" problem stores (so the accepted
values are worded in the reader's language when the problem is shown)."""


def register_choices(key: str, choices: type[models.Choices]) -> str:
    CHOICES[key] = choices
    return key


@functools.cache
def choice_spellings(key: str) -> dict[str, str]:
    """Folded spelling -> value: each choice's value and its label in every interface language.

    Fixed for the life of the process (the choices and the catalogues are code)."""
    keys: dict[str, str] = {}
    choices = CHOICES[key]
    for value, label in zip(choices.values, choices.labels, strict=True):
        keys[header_key(value)] = value
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                keys.setdefault(header_key(str(label)), value)
    return keys


_ALBANIAN_ENDINGS = ("a", "i", "u")
"""The definite endings an Albanian writer adds to a list's word ("Bletari" written "Bletaria",
"Biznes" written "Biznesi"); tried only when the word as written is not in the list."""


def _spelled(table: Mapping[str, str], key: str) -> str | None:
    found = table.get(key)
    if found is None and len(key) > 4:
        bare = {table.get(key[:-1]) for ending in _ALBANIAN_ENDINGS if key.endswith(ending)}
        bare.discard(None)
        found = bare.pop() if len(bare) == 1 else None
    return found


def worded_choices(key: str) -> str:
    """The accepted values of a choice list, in the active language."""
    return ", ".join(str(label) for label in CHOICES[key].labels)


def localized_names(obj: Any) -> list[str]:
    """A reference record's names in every language (``name_en``, ``name_sq``, ...), with the
    Serbian Cyrillic one derived from the Latin where it is not stored."""
    from akt.text.script import latin_to_cyrillic

    names = [getattr(obj, f"name_{suffix}", "") or "" for suffix in ("en", "sq", "sr_latn")]
    names.append(getattr(obj, "name_sr_cyrl", "") or latin_to_cyrillic(names[2]))
    return [name for name in names if name]


def named_table(items: Iterable[tuple[int, Iterable[str]]]) -> dict[str, int]:
    """Folded name -> id, from ``(id, names)``; a name two items share names neither."""
    table: dict[str, int] = {}
    shared: set[str] = set()
    for pk, names in items:
        for name in names:
            key = header_key(str(name))
            if not key:
                continue
            if key in table and table[key] != pk:
                shared.add(key)
            table.setdefault(key, pk)
    for key in shared:
        del table[key]
    return table


def component_table() -> dict[str, int]:
    """Components by code, number ("1", "C1", "Component 1") and name in every language."""
    return named_table(
        (
            item.pk,
            [
                item.code,
                str(item.number),
                f"c{item.number}",
                f"component {item.number}",
                f"komponenti {item.number}",
                f"komponenta {item.number}",
                *localized_names(item),
            ],
        )
        for item in Component.objects.all()
    )


def reference_field(code: str, help_text: Any, *aliases: str) -> Field:
    """The column of a list holding each record's external reference (``code`` is the model
    field holding it)."""
    return Field(
        code,
        gettext_lazy("Reference"),
        help_text,
        (
            *aliases,
            "reference",
            "ref",
            "ref no",
            "nr ref",
            "ref nr",
            "br ref",
            "reference number",
            "external reference",
            "id",
            "no",
            "nr",
            "referenca",
            "nr i references",
            "numri i references",
            "referentni broj",
            "sifra",
            "šifra",
            "референца",
            "шифра",
        ),
    )


_NOT_AMOUNT = re.compile(r"[^\d.,\-]")


def read_amount(text: str) -> Decimal | None:
    """A sum of money as offices write it: "5000", "5,000.00", "5.000,00", "€ 5 000", "5000 $".

    The last of "," and "." is the decimal separator when two or fewer digits follow it; a
    separator followed by three digits groups thousands. ValueError when it is not an amount.
    """
    cleaned = _NOT_AMOUNT.sub("", text.replace("\u00a0", ""))
    if not cleaned:
        if text.strip():
            raise ValueError(text)
        return None
    last = max(cleaned.rfind(","), cleaned.rfind("."))
    if last >= 0 and len(cleaned) - last - 1 in (1, 2):
        whole, fraction = cleaned[:last], cleaned[last + 1 :]
    else:
        whole, fraction = cleaned, ""
    whole = whole.replace(",", "").replace(".", "")
    try:
        amount = Decimal(f"{whole or '0'}.{fraction or '0'}")
    except InvalidOperation:
        raise ValueError(text) from None
    if not amount.is_finite() or amount >= Decimal("1e10"):
        raise ValueError(text)
    return amount.quantize(Decimal("0.01"))


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


# -- the shared body of record lists ----------------------------------------------------------


@dataclass
class RowReader:
    """One sheet row of a record list, read field by field; problems collect on ``row``."""

    row: _Row
    vocabulary: Vocabulary
    kind: str

    def text(self, code: str) -> str:
        return self.row.text(code)

    def problem(self, code: str, problem: str, value: str = "", **params: Any) -> None:
        if "fields" in params:
            params["of"] = self.kind  # a field's label depends on the kind ("Kind of activity")
        self.row.problem(code, problem, value, **params)

    def required(self, code: str) -> str:
        value = self.text(code)
        if not value:
            self.problem(code, "required", "", fields=[code])
        return value

    def date(self, code: str, *, required: bool = False) -> date | None:
        if required and not self.text(code):
            self.problem(code, "required", "", fields=[code])
            return None
        return self.row.read(code, _date_or_blank, "date")

    @property
    def has_problems(self) -> bool:
        return bool(self.row.problems)

    def choice(self, code: str, choices: str, *, default: str = "", required: bool = False) -> str:
        """A value of the choice list named ``choices`` (a key of :data:`CHOICES`), in any
        language; ``default`` when the cell is blank."""
        text = self.text(code)
        if not header_key(text):
            if required:
                self.problem(code, "required", "", fields=[code])
            return default
        found = _spelled(choice_spellings(choices), header_key(text))
        if found is None:
            self.problem(code, "choice", text, fields=[code], choices=choices)
            return default
        return found

    def named(self, code: str, table: Mapping[str, int], model: type[models.Model]) -> int | None:
        """The id of a record named by reference or name, or None (blank, or a problem)."""
        text = self.text(code)
        if not header_key(text):
            return None
        found = table.get(header_key(text))
        if found is None:
            self.problem(code, "record-unknown", text, record=model._meta.label_lower)
        return found

    def component(self, table: Mapping[str, int], *, required: bool = True) -> int | None:
        """The component named by number, code or name in any language."""
        text = self.text("component")
        if not header_key(text):
            if required:
                self.problem("component", "required", "", fields=["component"])
            return None
        found = table.get(header_key(text))
        if found is None:
            self.problem("component", "component", text)
        return found

    def municipality(self, code: str = "municipality", *, required: bool = True) -> int | None:
        if required and not self.text(code):
            self.problem(code, "required", "", fields=[code])
            return None
        return self.row.read(code, self.vocabulary.municipality, "municipality")

    def amount(self, code: str, *, required: bool = False, zero: bool = True) -> str | None:
        """A sum of money, never negative (nor zero, with ``zero=False``)."""
        if required and not self.text(code):
            self.problem(code, "required", "", fields=[code])
            return None
        amount = self.row.read(code, read_amount, "amount")
        if amount is not None and (amount < 0 or (amount == 0 and not zero)):
            self.problem(code, "amount", self.text(code))
            return None
        return str(amount) if amount is not None else None

    def dates_in_order(
        self,
        first: str,
        second: str,
        start: datetime.date | None,  # (``date`` here is the method above)
        end: datetime.date | None,
    ) -> None:
        """A problem on ``second`` when it falls before ``first``."""
        if start and end and end < start:
            self.problem(second, "date-order", self.text(second), fields=[first], start=iso(start))


Record = TypeVar("Record", bound=models.Model)


class RecordKind(Kind, Generic[Record]):
    """A list of records of one model, one row per record, identified by its reference.

    A kind says which model, which field holds the reference, which columns it reads and how a
    row becomes the model's values (:meth:`read`, by model field name, related records by id);
    the rest (duplicate references, recognising rows already imported, refusing changed ones,
    validating, committing in order, rolling back) is the same for every list.
    """

    model: type[Record]
    reference: ClassVar[str] = "external_ref"
    """The model field holding the external reference (a grant's ``reference``, ...)."""
    columns: ClassVar[tuple[Field, ...]]
    compared: ClassVar[tuple[str, ...]]
    """The model fields a row sets, compared with a stored record of the same reference."""
    action: ClassVar[str]
    """The audit action of a record created by an import (the one its create service writes)."""
    choices: ClassVar[dict[str, str]] = {}
    """Field code -> the key of its choice list in :data:`CHOICES` (the template's drop-downs)."""

    def fields(self, source: str) -> tuple[Field, ...]:
        return self.columns

    def may_import(self, actor: User) -> bool:
        scope = Scope.for_user(actor)
        return scope.may_edit and scope.all_records

    def lookups(self) -> dict[str, Any]:
        """Tables the rows are read against, loaded once per check."""
        return {}

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        """The row as the model's values (related records by id, dates ISO, amounts as text)."""
        raise NotImplementedError

    def build(self, values: Mapping[str, Any]) -> Record:
        """An unsaved record of the row's values."""
        record = self.model()
        for name, value in values.items():
            if name in self.related_values_names():
                continue
            field = model_field(self.model, name)
            if isinstance(value, str) and isinstance(field, models.DateField):
                value = date.fromisoformat(value)
            elif isinstance(value, str) and isinstance(field, models.DecimalField):
                value = Decimal(value)
            setattr(record, field.attname, value)
        return record

    def related_values_names(self) -> tuple[str, ...]:
        """Values set after the record is saved (many-to-many), not by :meth:`build`."""
        return ()

    def save_related(self, record: Record, values: Mapping[str, Any]) -> None:
        """Sets what :meth:`related_values_names` names once the record has an id."""

    def stored_related(self, record: Record) -> dict[str, Any]:
        """The stored record's values of :meth:`related_values_names`, as :meth:`read` gives
        them."""
        return {}

    def summary(self, record: Record) -> str:
        return str(record)

    def scope_target(self, record: Record) -> models.Model:
        """The record whose scope decides who may write this one (itself, or its parent)."""
        return record

    # -- the path ---------------------------------------------------------------------------

    def check(
        self,
        *,
        actor: User,
        batch: Any,
        rows: Sequence[tuple[int, Sequence[str]]],
        mapping: Mapping[int, str],
        report: Report,
    ) -> list[dict[str, Any]]:
        """Every row read and checked against the stored records and the rest of the file."""
        columns = _columns(mapping)
        headers = batch.headers
        vocabulary = Vocabulary.load()
        lookups = self.lookups()
        report(1, 3, stage="validate")
        read: list[tuple[CheckedRow, RowReader]] = []
        for number, cells in rows:
            row = _Row(number, cells, columns, headers)
            _extra_cells(row, len(headers))
            reader = RowReader(row, vocabulary, self.code)
            values = self.read(reader, lookups)
            read.append((CheckedRow(number, list(cells), values, row.problems), reader))
        stored = self._stored([checked.values.get(self.reference) for checked, _r in read])
        report(2, 3, stage="compare")
        seen: dict[str, int] = {}
        taken = self._unique_values()
        checked_rows = []
        for checked, reader in read:
            reference = checked.values.get(self.reference) or ""
            extra: dict[str, Any] = {}
            if reference and header_key(reference) in seen:
                reader.problem(
                    self.reference,
                    "reference-duplicate",
                    reference,
                    other=seen[header_key(reference)],
                )
            elif reference:
                seen[header_key(reference)] = checked.number
            record = stored.get(reference)
            if record is not None and not checked.problems:
                difference = self.difference(record, checked.values)
                if difference is None:
                    extra = {"skip": "unchanged", "record": record.pk}
                else:
                    field_name, before = difference
                    reader.problem(
                        field_name,
                        "reference-changed",
                        reader.text(field_name),
                        reference=reference,
                        stored=before,
                        batch=getattr(record, "batch_id", None) or "",
                    )
            elif not checked.problems:
                self._validate(reader, checked.values, taken)
            checked_rows.append({**checked.as_json(), **extra})
        return checked_rows

    def _stored(self, references: Iterable[str | None]) -> dict[str, Record]:
        wanted = sorted({reference for reference in references if reference})
        found: dict[str, Record] = {}
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            stored = self.model._default_manager.filter(**{f"{self.reference}__in": chunk})
            for record in stored.prefetch_related(*self.related_values_names()):
                found[getattr(record, self.reference)] = record
        return found

    def difference(self, record: Record, values: Mapping[str, Any]) -> tuple[str, str] | None:
        """The first field whose stored value the row changes, with the stored value as text;
        None when the row is the record as stored."""
        row_record = self.build(values)
        plain = [name for name in self.compared if name not in self.related_values_names()]
        before, after = _json(record, plain), _json(row_record, plain)
        for name in plain:
            if before[name] != after[name]:
                return name, _shown(record, name)
        stored_related = self.stored_related(record)
        for name in self.related_values_names():
            if sorted(stored_related.get(name) or []) != sorted(values.get(name) or []):
                return name, self.shown_related(record, name)
        return None

    def shown_related(self, record: Record, name: str) -> str:
        """A stored many-to-many value as the record's page shows it."""
        return ", ".join(str(item) for item in getattr(record, name).all())

    def _unique_constraints(self) -> list[models.UniqueConstraint]:
        """The model's unconditional unique constraints over several fields (an organization's
        name in its municipality, a plan's start in its municipality)."""
        return [
            constraint
            for constraint in self.model._meta.constraints
            if isinstance(constraint, models.UniqueConstraint)
            and constraint.condition is None
            and constraint.fields
        ]

    def _unique_values(self) -> dict[str, dict[tuple[Any, ...], str]]:
        """Constraint name -> the value tuples already stored (one query per constraint, rather
        than one per row): a new row must not repeat one, nor another new row's."""
        taken: dict[str, dict[tuple[Any, ...], str]] = {}
        for constraint in self._unique_constraints():
            names = [model_field(self.model, name).attname for name in constraint.fields]
            taken[constraint.name] = {
                tuple(values): "" for values in self.model._default_manager.values_list(*names)
            }
        return taken

    def _validate(
        self,
        reader: RowReader,
        values: Mapping[str, Any],
        taken: dict[str, dict[tuple[Any, ...], str]],
    ) -> None:
        """The model's own rules as row problems: its fields, its ``clean`` and its unique
        constraints (against the stored records and the file's earlier rows).

        Related records are not looked up again (the row was read against them), and check
        constraints are left to the database, which holds them at the commit: each is one
        query per row here, and the kinds check what they express (dates in order, amounts)
        as they read the row, naming the column."""
        record = self.build(values)
        related = [field.name for field in self.model._meta.concrete_fields if field.is_relation]
        for constraint in self._unique_constraints():
            key = tuple(
                getattr(record, model_field(self.model, name).attname) for name in constraint.fields
            )
            if key in taken[constraint.name]:
                reader.problem("", "invalid", "", reason=str(constraint.violation_error_message))
            taken[constraint.name][key] = reader.text(self.reference)
        try:
            record.full_clean(exclude=related, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                code = name if name in {item.code for item in self.columns} else ""
                for message in messages:
                    reader.problem(
                        code, "invalid", reader.text(code) if code else "", reason=message
                    )

    def commit(self, *, actor: User, batch: Any, report: Report) -> dict[str, int]:
        """Creates the record of every new row, in file order; rows recognised as already
        recorded are counted, not written. A row changed since the check refuses the whole."""
        stored = self._stored(row["values"].get(self.reference) for row in batch.rows)
        created = unchanged = 0
        total = len(batch.rows)
        fields = [*self.compared, "batch", "source_row"]
        fields = [name for name in fields if name not in self.related_values_names()]
        for index, row in enumerate(batch.rows):
            values = row["values"]
            record = stored.get(values.get(self.reference))
            if record is not None:
                if self.difference(record, values) is not None:
                    raise ValidationError(
                        _(
                            "Row %(row)s: the record with reference %(reference)s changed since "
                            "the file was checked; check the file again. Nothing was imported."
                        )
                        % {"row": row["number"], "reference": values.get(self.reference)},
                        code="changed",
                    )
                unchanged += 1
                continue
            record = self.build(values)
            imported = cast(Imported, record)  # every model a list imports declares both
            imported.batch = batch
            imported.source_row = row["number"]
            try:
                related = [f.name for f in self.model._meta.concrete_fields if f.is_relation]
                record.full_clean(exclude=related, validate_constraints=False)  # as checked
                with transaction.atomic():
                    record.save()
                require_writable(actor, self.scope_target(record))
                audit_record(
                    actor=actor,
                    action=self.action,
                    target=record,
                    summary=self.summary(record),
                    changes=audit_values(record, fields),
                )
            except IntegrityError as error:  # a rule the database holds, broken since the check
                raise ValidationError(
                    _("Row %(row)s: %(reason)s Nothing was imported.")
                    % {"row": row["number"], "reason": error},
                    code="invalid",
                ) from error
            except ValidationError as error:
                raise ValidationError(
                    _("Row %(row)s: %(reason)s Nothing was imported.")
                    % {"row": row["number"], "reason": " ".join(error.messages)},
                    code="invalid",
                ) from error
            self.save_related(record, values)
            stored[values.get(self.reference)] = record
            created += 1
            if index % 100 == 0:
                report(index, total, stage="records")
        report(total, total, stage="done")
        return {"rows": total, "created": created, "unchanged": unchanged}

    def rollback(self, *, actor: User, batch: Any) -> dict[str, int]:
        """Deletes the records the batch created, refused while other records depend on them
        (an activity's roster, a grant of an organization, a plan's actions)."""
        records = list(self.model._default_manager.filter(batch=batch))
        own: set[type[models.Model]] = {self.model}
        for field in self.model._meta.many_to_many:
            through = field.remote_field.through  # set once the model is ready
            if through is not None and through._meta.auto_created:
                own.add(through)
        collector = Collector(using=self.model._default_manager.db)
        try:
            collector.collect(records)
        except (ProtectedError, RestrictedError) as error:
            used = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            raise _in_use(used) from error
        others = [obj for model, objs in collector.data.items() if model not in own for obj in objs]
        if others:
            raise _in_use(others)
        for record in records:
            audit_record(
                actor=actor,
                action=self.action.replace("_create", "_rollback"),
                target=record,
                summary=self.summary(record),
                changes={"batch": batch.pk, "source_row": cast(Imported, record).source_row},
            )
        self.model._default_manager.filter(pk__in=[record.pk for record in records]).delete()
        return {"records": len(records)}


def _in_use(objects: Iterable[Any]) -> ValidationError:
    objects = list(objects)
    examples = ", ".join(f"{obj._meta.verbose_name} “{obj}”" for obj in objects[:3])
    return ValidationError(
        _(
            "Records of this import are used by %(count)s other records (%(examples)s); roll "
            "back or change those first. Nothing was rolled back."
        )
        % {"count": len(objects), "examples": examples},
        code="in-use",
    )


def _json(record: models.Model, names: Sequence[str]) -> dict[str, Any]:
    values = {name: model_field(record, name).value_from_object(record) for name in names}
    values = json.loads(json.dumps(values, cls=DjangoJSONEncoder))
    return {name: "" if value is None else value for name, value in values.items()}


def _shown(record: models.Model, name: str) -> str:
    """A stored value as the record's page shows it (a related record by its name)."""
    field = model_field(record, name)
    if field.is_relation:
        related = getattr(record, name)
        return str(related) if related is not None else ""
    if field.choices:
        return str(getattr(record, f"get_{name}_display")())
    value = getattr(record, name)
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def require_importer(kind: Kind, actor: User) -> None:
    if not kind.may_import(actor):
        raise PermissionDenied
