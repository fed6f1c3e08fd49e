"""``akt purge-uploads``: deletes the uploaded files and checked rows the retention rule no
longer allows to keep.

A committed import's file and rows are kept ``AKT_UPLOAD_RETENTION_DAYS`` days (365 unless set)
after the import, an abandoned one's that long after its upload; a rolled-back import's are
purged when it is rolled back (and by this command, for those rolled back earlier). The batch
stays with its counts and summary, and the records it wrote keep their batch and row number.
Run it daily (cron or a systemd timer next to the worker); ``--dry-run`` lists what it would
purge.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.intake.services import uploads_due_for_purge, uploads_purge


class Command(BaseCommand):
    help = "Delete uploaded files and checked rows older than the retention rule allows."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the imports, delete nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["dry_run"]:
            for batch in uploads_due_for_purge().order_by("pk"):
                self.stdout.write(f"{batch.pk}\t{batch.file_name}\t{batch.get_status_display()}")
            return
        count = uploads_purge()
        if count:
            self.stdout.write(
                ngettext(
                    "%(count)s uploaded file purged.", "%(count)s uploaded files purged.", count
                )
                % {"count": count}
            )
        else:
            self.stdout.write(_("No uploaded file is due for purging."))
