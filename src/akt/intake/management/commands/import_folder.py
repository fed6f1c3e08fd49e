"""``akt import-folder PATH --user NAME``: a folder or zip of lists and rosters, in one go.

The lists (activities, organizations, grants, projects, plans, plan actions) are imported first,
in the order their rows refer to one another, then every roster or tally into the activity it
names by reference (see :mod:`akt.intake.folder`). Everything is checked; a problem in any file
is listed with the file, row, column and value, and then nothing at all is imported. Importing
the same folder again changes nothing: rows already recorded are recognised by their reference,
and files already imported are skipped.
"""

from __future__ import annotations

import importlib
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.intake.folder import FileOutcome, FolderRefused, folder_files, folder_import
from akt.intake.models import ImportKind

# The single-file command's module is named after a keyword: imported by name.
_single = importlib.import_module("akt.intake.management.commands.import")
_actor, problem_line = _single._actor, _single.problem_line


class Command(BaseCommand):
    help = (
        "Import a folder or .zip of lists (activities, organizations, grants, projects, plans, "
        "plan actions) and the rosters or tallies of its activities, as --user. Everything is "
        "checked first; a problem anywhere is listed and nothing is imported."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("path", help="The folder, or a .zip of it.")
        parser.add_argument("--user", help="The user the import is made as (required).")
        parser.add_argument(
            "--new-persons-below-threshold",
            action="store_true",
            help="Register roster rows that may be an existing person, but below the "
            "suggestion threshold, as new persons instead of stopping.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options.get("user"))
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(_("No such folder or file: %(path)s") % {"path": path})
        try:
            files = folder_files(path)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if not files:
            raise CommandError(_("%(path)s holds no .xlsx or .csv file.") % {"path": path})
        try:
            result = folder_import(
                actor=actor,
                files=files,
                new_persons_below_threshold=options["new_persons_below_threshold"],
            )
        except PermissionDenied:
            raise CommandError(
                _("%(user)s may not import lists: only administrators and M&E officers do.")
                % {"user": actor.username}
            ) from None
        except FolderRefused as refused:
            for outcome in refused.result.files:
                for line in _trouble(outcome):
                    self.stderr.write(line)
            bad = sum(
                1
                for outcome in refused.result.files
                if outcome.refusal or outcome.problems or outcome.uncertain
            )
            raise CommandError(
                ngettext(
                    "%(count)s file of %(total)s has problems (listed above); nothing was "
                    "imported.",
                    "%(count)s files of %(total)s have problems (listed above); nothing was "
                    "imported.",
                    bad,
                )
                % {"count": bad, "total": len(refused.result.files)}
            ) from None
        for outcome in result.files:
            self.stdout.write(_line(outcome))
        totals = result.totals()
        self.stdout.write(
            _(
                "Imported %(files)s files: records created %(created)s, records already there "
                "%(unchanged)s, attendances added %(attendances)s, persons created %(persons)s, "
                "headcounts added %(tallies)s."
            )
            % {
                "files": len(result.files),
                "created": totals.get("created", 0),
                "unchanged": totals.get("unchanged", 0),
                "attendances": totals.get("attendances", 0),
                "persons": totals.get("persons_created", 0),
                "tallies": totals.get("tallies", 0),
            }
        )


def _trouble(outcome: FileOutcome) -> list[str]:
    lines = []
    if outcome.refusal:
        lines.append(_("%(file)s: %(reason)s") % {"file": outcome.name, "reason": outcome.refusal})
    for problem in outcome.problems:
        lines.append(
            _("%(file)s: %(problem)s") % {"file": outcome.name, "problem": problem_line(problem)}
        )
    for row in outcome.uncertain:
        lines.append(
            _(
                "%(file)s: row %(row)s may be a person already registered (person %(id)s), "
                "with a probability below the suggestion threshold; import the file on the web "
                "page to choose, or run again with --new-persons-below-threshold."
            )
            % {"file": outcome.name, "row": row["number"], "id": row["candidates"][0]["person"]}
        )
    return lines


def _line(outcome: FileOutcome) -> str:
    if outcome.skipped:
        return _("%(file)s: skipped, %(reason)s.") % {
            "file": outcome.name,
            "reason": outcome.skipped,
        }
    summary = outcome.summary
    if outcome.kind in (ImportKind.ROSTER, ImportKind.TALLY):
        return _(
            "%(file)s (import %(number)s): attendances added %(attendances)s, persons created "
            "%(persons)s, headcounts added %(tallies)s, rows already there %(skipped)s."
        ) % {
            "file": outcome.name,
            "number": outcome.batch,
            "attendances": summary.get("attendances", 0),
            "persons": summary.get("persons_created", 0),
            "tallies": summary.get("tallies", 0),
            "skipped": summary.get("skipped", 0),
        }
    return _(
        "%(file)s (import %(number)s, %(kind)s): records created %(created)s, already "
        "recorded %(unchanged)s."
    ) % {
        "file": outcome.name,
        "number": outcome.batch,
        "kind": ImportKind(outcome.kind).label,
        "created": summary.get("created", 0),
        "unchanged": summary.get("unchanged", 0),
    }
