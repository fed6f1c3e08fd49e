"""``akt restore FILE``: a backup made by ``akt backup``, into this database.

Run ``akt migrate`` on the new database first: the archive restores only at the migrations it
was made at. A database that already holds records is refused, with nothing changed, unless
``--replace`` is given; then everything in it is replaced. All in one transaction.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from akt.operations.backup import BackupError, database_restore, manifest_counts


class Command(BaseCommand):
    help = "Restore a backup made by `akt backup` into this (migrated, empty) database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the archive written by `akt backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="replace every record already in the database",
        )

    def handle(self, *args: object, **options: object) -> None:
        path = options["file"]
        assert isinstance(path, Path)
        if not path.is_file():
            raise CommandError(_("There is no file %(path)s.") % {"path": path})
        verbose = int(str(options.get("verbosity") or 1)) > 1
        try:
            manifest = database_restore(
                path=path,
                replace=bool(options["replace"]),
                progress=self.stdout.write if verbose else lambda line: None,
            )
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Restored from %(path)s (rows: %(rows)s; tables: %(tables)s; files: %(files)s).")
            % {**manifest_counts(manifest), "path": path}
        )
