"""``akt backup FILE``: the database and the files kept beside it, in one archive.

Works on SQLite and PostgreSQL alike, while the system runs (on PostgreSQL the rows are read
from one snapshot; on SQLite writes wait until the backup has read the database). Restore with
``akt restore FILE``, on either kind of database.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from akt.operations.backup import BackupError, database_backup, manifest_counts


class Command(BaseCommand):
    help = "Write the whole database and the uploaded files to one archive (a .zip file)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive to write, e.g. akt-backup.zip")

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        verbose = int(str(options.get("verbosity") or 1)) > 1
        try:
            manifest = database_backup(
                path=path, progress=self.stdout.write if verbose else lambda line: None
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backed up to %(path)s (rows: %(rows)s; tables: %(tables)s; files: %(files)s).")
            % {**manifest_counts(manifest), "path": path}
        )
