"""Backups: the whole database and the files kept beside it in one archive, and back again.

An archive is a zip file:

- ``manifest.json``: the format and its version, when and from which database kind it was made,
  the migrations applied (the schema the rows fit), and per table its model, its columns and
  its row count;
- ``tables/<table>.jsonl``: one JSON array per row, the columns in the manifest's order, each
  value written by its Django field (dates and times in ISO 8601, decimals as text, binary
  content in base64), so an archive made on SQLite restores on PostgreSQL and back;
- ``files/<folder>/...``: the files the system keeps on disk under ``AKT_DATA_DIR`` (sheets
  waiting for their commit, linkage results).

Both ways stream: the backup reads each table in chunks with a server-side cursor where the
database has one, and the restore inserts in batches, so neither holds a table in memory. The
backup reads in one transaction (a consistent snapshot on PostgreSQL); the restore writes in one
transaction, so a failed restore leaves the database as it was.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import io
import json
import os
import shutil
import tempfile
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _

from akt.operations.health import unapplied_migrations

FORMAT = "akt-backup"
FORMAT_VERSION = 1
CHUNK = 2000
"""Rows read from the database, or inserted, per round trip."""

FILE_FOLDERS = ("uploads", "linkage")
"""The folders under ``AKT_DATA_DIR`` that hold the system's own files (not the SQLite database,
the drawing cache or the collected static files, which are made again)."""

FILLED_BY_MIGRATE = frozenset({"django_content_type", "auth_permission"})
"""Tables ``migrate`` fills by itself: always replaced, never a reason to refuse a restore."""

SMALL_TABLE = 1000
"""A table of the target database with at most this many rows, all equal to the archive's
(rows a migration seeded), does not count as records already there."""


class BackupError(Exception):
    """An archive that cannot be restored here, or a database it may not be restored into."""


@dataclass(frozen=True)
class TableSummary:
    table: str
    model: str
    columns: list[str]
    rows: int


def backed_up_models() -> list[type[models.Model]]:
    """Every table Django manages in this project, many-to-many tables included, by name."""
    found: dict[str, type[models.Model]] = {}
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if meta.managed and not meta.proxy and not meta.swapped:
            found.setdefault(meta.db_table, model)
    return [found[name] for name in sorted(found)]


def applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _encode(value: Any) -> Any:
    """A database value as JSON, by its Python type (the field turns it back on restore)."""
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    return value


def _decoder(field: models.Field) -> Callable[[Any], Any]:
    if isinstance(field, models.JSONField):
        return lambda value: value
    return lambda value: None if value is None else field.to_python(value)


def _fields(model: type[models.Model]) -> list[models.Field]:
    return [field for field in model._meta.concrete_fields]


def _column(field: models.Field) -> str:
    return str(field.column)  # a concrete field always has its column


def table_rows(model: type[models.Model]) -> Iterator[list[Any]]:
    """The rows of ``model``'s table as the archive writes them, in primary-key order."""
    names = [field.attname for field in _fields(model)]
    rows = model._base_manager.order_by("pk").values_list(*names).iterator(chunk_size=CHUNK)
    for row in rows:
        yield [_encode(value) for value in row]


def database_backup(*, path: Path, progress: Callable[[str], None] = lambda line: None) -> dict:
    """Writes the database and the kept files to ``path`` and returns the manifest.

    The archive is written beside ``path`` and moved into place when complete, so ``path``
    never holds half a backup.
    """
    path = Path(path)
    pending = unapplied_migrations()
    if pending:
        raise BackupError(
            _(
                "This database lacks migrations of the code, the first of them %(first)s: run "
                "“akt migrate” first."
            )
            % {"first": pending[0]}
        )
    summaries: list[TableSummary] = []
    handle, partial = tempfile.mkstemp(prefix=".akt-backup-", suffix=".zip", dir=path.parent)
    os.close(handle)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            outermost = not connection.in_atomic_block
            with transaction.atomic():
                if connection.vendor == "postgresql" and outermost:
                    with connection.cursor() as cursor:
                        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                migrations = applied_migrations()
                for model in backed_up_models():
                    summaries.append(_write_table(archive, model))
                    progress(f"{summaries[-1].table}: {summaries[-1].rows}")
            files = list(_write_files(archive))
            manifest = {
                "format": FORMAT,
                "version": FORMAT_VERSION,
                "created": timezone.now().isoformat(),
                "database": connection.vendor,
                "migrations": migrations,
                "tables": [summary.__dict__ for summary in summaries],
                "files": files,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=1))
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise
    return manifest


def _write_table(archive: zipfile.ZipFile, model: type[models.Model]) -> TableSummary:
    meta = model._meta
    count = 0
    with archive.open(f"tables/{meta.db_table}.jsonl", "w", force_zip64=True) as raw:
        out = io.TextIOWrapper(raw, encoding="utf-8", newline="\n")
        for row in table_rows(model):
            out.write(json.dumps(row, ensure_ascii=False, separators=(",", ":"), sort_keys=True))
            out.write("\n")
            count += 1
        out.flush()
        out.detach()
    return TableSummary(
        table=meta.db_table,
        model=meta.label,
        columns=[_column(field) for field in _fields(model)],
        rows=count,
    )


def _data_dir() -> Path:
    return Path(settings.DATA_DIR)


def _write_files(archive: zipfile.ZipFile) -> Iterator[str]:
    for folder in FILE_FOLDERS:
        root = _data_dir() / folder
        if not root.is_dir():
            continue
        for file in sorted(root.rglob("*")):
            if file.is_file():
                name = file.relative_to(_data_dir()).as_posix()
                archive.write(file, f"files/{name}")
                yield name


def manifest_counts(manifest: dict) -> dict[str, int]:
    """What an archive holds, for a person: rows, tables and files."""
    return {
        "rows": sum(table["rows"] for table in manifest["tables"]),
        "tables": len(manifest["tables"]),
        "files": len(manifest["files"]),
    }


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise BackupError(_("This file is not an AKT backup (it has no manifest).")) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("This file is not an AKT backup."))
    if manifest.get("version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup is in format version %(found)s; this system reads version %(known)s.")
            % {"found": manifest.get("version"), "known": FORMAT_VERSION}
        )
    return manifest


def _archive_lines(archive: zipfile.ZipFile, table: str) -> Iterator[list[Any]]:
    with archive.open(f"tables/{table}.jsonl") as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


def _check_schema(manifest: dict) -> dict[str, type[models.Model]]:
    here = applied_migrations()
    theirs = [list(item) for item in manifest["migrations"]]
    if not here:
        raise BackupError(
            _("This database has no tables yet: run “akt migrate” first, then restore.")
        )
    if here != theirs:
        missing = [f"{app}.{name}" for app, name in theirs if [app, name] not in here]
        extra = [f"{app}.{name}" for app, name in here if [app, name] not in theirs]
        raise BackupError(
            _(
                "The backup was made at other migrations than this database's. Only in the "
                "backup: %(missing)s. Only here: %(extra)s."
            )
            % {
                "missing": ", ".join(missing[:5]) or "-",
                "extra": ", ".join(extra[:5]) or "-",
            }
        )
    models_here = {model._meta.db_table: model for model in backed_up_models()}
    for summary in manifest["tables"]:
        model = models_here.get(summary["table"])
        columns = [_column(field) for field in _fields(model)] if model else None
        if columns != summary["columns"]:
            raise BackupError(
                _("The table %(table)s of the backup does not match this database's.")
                % {"table": summary["table"]}
            )
    return models_here


def tables_with_records(archive: zipfile.ZipFile, manifest: dict) -> list[str]:
    """The tables of this database that hold rows a restore would lose.

    Tables ``migrate`` fills, and small tables whose rows are exactly the archive's (rows a
    data migration seeded), do not count.
    """
    counts = {summary["table"]: summary["rows"] for summary in manifest["tables"]}
    found = []
    for model in backed_up_models():
        table = model._meta.db_table
        if table in FILLED_BY_MIGRATE:
            continue
        rows = model._base_manager.count()
        if not rows:
            continue
        if rows > SMALL_TABLE or rows != counts.get(table):
            found.append(table)
        elif list(table_rows(model)) != list(_archive_lines(archive, table)):
            found.append(table)
    return found


def database_restore(
    *, path: Path, replace: bool = False, progress: Callable[[str], None] = lambda line: None
) -> dict:
    """Restores the archive at ``path`` into this database and returns its manifest.

    Refuses, changing nothing, an archive made at other migrations, and a database that already
    holds records unless ``replace``. Every table is emptied and filled again in one
    transaction; on PostgreSQL the id sequences then continue after the restored rows.
    """
    with zipfile.ZipFile(path) as archive:
        manifest = read_manifest(archive)
        models_here = _check_schema(manifest)
        if not replace:
            holding = tables_with_records(archive, manifest)
            if holding:
                raise BackupError(
                    _(
                        "This database already holds records (in %(tables)s); nothing was "
                        "changed. Restore into a new database after “akt migrate”, or pass "
                        "--replace to replace everything in it."
                    )
                    % {"tables": ", ".join(holding[:3])}
                )
        restored = [models_here[summary["table"]] for summary in manifest["tables"]]
        with transaction.atomic():
            _empty(list(models_here.values()))
            for model, summary in zip(restored, manifest["tables"], strict=True):
                inserted = _insert(model, _archive_lines(archive, summary["table"]))
                if inserted != summary["rows"]:
                    raise BackupError(
                        _("The table %(table)s holds %(found)s rows; the manifest says %(said)s.")
                        % {"table": summary["table"], "found": inserted, "said": summary["rows"]}
                    )
                progress(f"{summary['table']}: {inserted}")
            _reset_sequences(restored)
        _restore_files(archive, manifest.get("files", []))
    return manifest


def _empty(all_models: list[type[models.Model]]) -> None:
    tables = [model._meta.db_table for model in all_models]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=False, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with foreign-key checks still pending in the transaction:
            # run them now, then defer them again so the rows may come back in any order.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _batches(rows: Iterable[list[Any]], size: int) -> Iterator[list[list[Any]]]:
    batch: list[list[Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _insert(model: type[models.Model], rows: Iterable[list[Any]]) -> int:
    fields = _fields(model)
    decoders = [_decoder(field) for field in fields]
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(model._meta.db_table),
        ", ".join(quote(_column(field)) for field in fields),
        ", ".join(["%s"] * len(fields)),
    )
    count = 0
    with connection.cursor() as cursor:
        for batch in _batches(rows, CHUNK // 4):
            params = [
                [
                    field.get_db_prep_save(decode(value), connection)
                    for field, decode, value in zip(fields, decoders, row, strict=True)
                ]
                for row in batch
            ]
            cursor.executemany(sql, params)
            count += len(batch)
    return count


def _reset_sequences(restored: list[type[models.Model]]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), restored)
    if statements:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _restore_files(archive: zipfile.ZipFile, names: list[str]) -> None:
    """Puts the archive's files in their folders, replacing the folders' content."""
    data_dir = _data_dir()
    staging = Path(tempfile.mkdtemp(prefix=".akt-restore-", dir=_ensure(data_dir)))
    try:
        for name in names:
            relative = Path(name)
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(
                    _("The backup names a file outside its folders: %(name)s") % {"name": name}
                )
            if relative.parts[0] not in FILE_FOLDERS:
                continue
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"files/{name}") as source, open(target, "wb") as out:
                shutil.copyfileobj(source, out)
        for folder in FILE_FOLDERS:
            current = data_dir / folder
            if current.exists():
                shutil.rmtree(current)
            if (staging / folder).exists():
                os.replace(staging / folder, current)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _ensure(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder
