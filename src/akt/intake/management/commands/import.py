"""``akt import FILE``: bring an attendance roster or a tally sheet into an activity.

The command is the web import without the preview: it reads the file, checks every row, and
either writes all of it or nothing. It acts as a named user, so the file goes only where that user
may write and a row is matched only to persons that user may see (the same rule as the page).

What it decides on its own is only what the page would preselect: a row whose best registry
match is at least :data:`~akt.intake.services.SUGGEST_THRESHOLD` is that person, a row with no
candidate at or above the review threshold (:data:`~akt.linkage.batch.REGISTRY_LOWER`) is a
new person, without a question.
A row in the band between the two may be someone already registered and needs a person's
judgement, but it never blocks a clean file: the command registers it as a new person and puts
the pair in the review queue (``/linkage/review/``), where an officer links it or keeps it
apart; the summary says how many. ``--stop-when-unsure`` stops at such rows instead (nothing is
imported; the rows are listed), for those who prefer to choose on the web page first.
``--new-persons-below-threshold`` is the default behaviour, accepted for scripts written before.

Refusals exit non-zero with every reason listed: a file that cannot be read, a user who may not
write to the activity, rows with problems (row, column, value and what is wrong, as the preview
shows them). Nothing is kept then, not even the checked batch: the corrected file is a new file.
"""

from __future__ import annotations

import codecs
from argparse import ArgumentParser, ArgumentTypeError
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from akt.accounts.models import User
from akt.activities.models import Activity
from akt.intake.layout import BLANK, REASONS
from akt.intake.models import ImportBatch, ImportKind
from akt.intake.services import (
    NEW,
    SUGGEST_THRESHOLD,
    import_check,
    import_commit,
    import_receive,
)
from akt.intake.sources.encoding import ENCODINGS
from akt.intake.validation import Problem, problems_of
from akt.linkage.management.commands.link import ProgressBar
from akt.people.models import Person
from akt.program.dates import outside_program_warning


class Command(BaseCommand):
    help = (
        "Import an attendance roster or a tally sheet (Excel .xlsx, CSV, or a Kobo/ODK export) "
        "into an activity, as --user. Every row is checked first; a file with problems is "
        "refused whole, with each problem listed, and nothing is written."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="The .xlsx or .csv file.")
        parser.add_argument(
            "--activity",
            type=int,
            help="The activity's id; without it, the one the file names (a template's Activity "
            "sheet, or a Kobo export's activity_id column).",
        )
        parser.add_argument(
            "--kind",
            choices=ImportKind.values,
            default=ImportKind.ROSTER,
            help="roster: one row per attendee (default); tally: headcounts by sex, community "
            "and age band.",
        )
        parser.add_argument("--user", help="The user the import is made as (required).")
        parser.add_argument(
            "--encoding",
            help="A CSV's encoding when it cannot be detected: " + ", ".join(ENCODINGS) + ".",
        )
        parser.add_argument(
            "--stop-when-unsure",
            action="store_true",
            help="Stop, importing nothing, when a row may be an existing person but below the "
            "suggestion threshold (by default such a row becomes a new person and the pair goes "
            "to the review queue).",
        )
        parser.add_argument(
            "--new-persons-below-threshold",
            action="store_true",
            help="Register rows that may be an existing person, but below the suggestion "
            "threshold, as new persons, their pairs in the review queue (the default).",
        )
        parser.add_argument(
            "--sheet",
            help="The worksheet of a workbook to read (a workbook with one sheet per activity); "
            "without it, the first sheet that looks like the kind of file.",
        )
        parser.add_argument(
            "--header-row",
            type=_row_number,
            help="The row holding the column names, as the spreadsheet numbers it; without it, "
            "the row among the first 30 that names the most known columns (title, date and "
            "blank rows above it are left out).",
        )
        parser.add_argument(
            "--keep-footer",
            action="store_true",
            help="Read total, signature and note rows below the data as data (by default they "
            "are recognised and left out, and listed).",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = _actor(options.get("user"))
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise CommandError(_("No such file: %(file)s") % {"file": path}) from None
        except OSError as error:
            raise CommandError(
                _("%(file)s cannot be read: %(reason)s")
                % {"file": path, "reason": error.strerror or error}
            ) from None
        activity = _activity(options.get("activity"))
        encoding = _encoding(options.get("encoding"))
        with transaction.atomic():  # a refusal below undoes the staged batch too
            batch = self._receive(
                actor,
                data,
                path.name,
                options["kind"],
                activity,
                encoding,
                layout={
                    "sheet": options.get("sheet") or None,
                    "header_row": options.get("header_row"),
                    "skip_footer": not options.get("keep_footer"),
                },
            )
            batch = self._check(actor, batch, progress=not options["no_progress"])
            self._refuse_problems(batch, path.name)
            if options["stop_when_unsure"] and not options["new_persons_below_threshold"]:
                self._refuse_uncertain(batch)
            try:
                batch = import_commit(actor=actor, batch=batch)
            except ValidationError as error:  # e.g. a headcount the activity already has
                raise CommandError(
                    _("%(file)s was not imported. %(reason)s")
                    % {"file": path.name, "reason": " ".join(error.messages)}
                ) from None
        self.stdout.write(_summary(batch))
        if batch.activity is not None:  # a warning, not a refusal: see akt.program.dates
            warning = outside_program_warning(
                batch.activity.start_date, batch.activity.end_date, batch.activity.component
            )
            if warning:
                self.stderr.write(
                    _("Warning: activity %(id)s: %(warning)s")
                    % {"id": batch.activity_id, "warning": warning}
                )
        unsure = len(_unsure_rows(batch))
        if unsure:
            self.stdout.write(
                ngettext(
                    "%(count)s row may be a person already registered: it was registered as a "
                    "new person and the pair is in the review queue.",
                    "%(count)s rows may be persons already registered: they were registered as "
                    "new persons and the pairs are in the review queue.",
                    unsure,
                )
                % {"count": unsure}
            )

    def _receive(
        self,
        actor: User,
        data: bytes,
        file_name: str,
        kind: str,
        activity: Activity | None,
        encoding: str | None,
        layout: Mapping[str, Any] | None = None,
    ) -> ImportBatch:
        try:
            batch = import_receive(
                actor=actor,
                data=data,
                file_name=file_name,
                kind=kind,
                activity=activity,
                encoding=encoding,
                **(layout or {}),
            )
        except PermissionDenied:
            raise CommandError(_not_allowed(actor, activity)) from None
        except ValidationError as error:
            if error.code == "no-activity":
                raise CommandError(
                    _(
                        "%(file)s was refused: it does not say which activity it is for. Give "
                        "the activity with --activity ID."
                    )
                    % {"file": file_name}
                ) from None
            raise CommandError(
                _("%(file)s was refused. %(reason)s")
                % {"file": file_name, "reason": " ".join(error.messages)}
            ) from None
        ignored = [
            header
            for index, header in enumerate(batch.headers)
            if header.strip() and str(index) not in batch.mapping
        ]
        if ignored:
            self.stderr.write(
                _("Columns not read (their headers name no field the program knows): %(columns)s.")
                % {"columns": ", ".join(f"“{header}”" for header in ignored)}
            )
        for line in layout_lines(batch):
            self.stderr.write(line)
        return batch

    def _check(self, actor: User, batch: ImportBatch, *, progress: bool) -> ImportBatch:
        """Every row checked and matched, with the bar on stderr while it runs."""
        if not progress:
            return import_check(actor=actor, batch=batch)
        bar = ProgressBar(_Unterminated(self.stderr), steps=())

        def report(done: int, total: int, stage: str = "") -> None:
            bar(stage, done, total)

        try:
            return import_check(actor=actor, batch=batch, progress=report)
        finally:
            bar.finish()

    def _refuse_problems(self, batch: ImportBatch, file_name: str) -> None:
        """Every problem on stderr, then a non-zero exit that leaves nothing behind."""
        if not batch.problem_count:
            return
        for row in batch.rows:
            for problem in problems_of(row):
                self.stderr.write(problem_line(problem))
        raise CommandError(
            ngettext(
                "%(file)s has %(count)s problem (listed above); correct it in the file and "
                "import it again. Nothing was imported.",
                "%(file)s has %(count)s problems in %(rows)s rows (listed above); correct them "
                "in the file and import it again. Nothing was imported.",
                batch.problem_count,
            )
            % {
                "file": file_name,
                "count": batch.problem_count,
                "rows": sum(1 for row in batch.rows if row["problems"]),
            }
        )

    def _refuse_uncertain(self, batch: ImportBatch) -> None:
        """Rows that may be a registered person, but not surely: a person decides, not this."""
        uncertain = _unsure_rows(batch)
        if not uncertain:
            return
        names = {
            person.pk: person.full_name
            for person in Person.objects.filter(
                pk__in={row["candidates"][0]["person"] for row in uncertain}
            ).only("pk", "given_name", "family_name")
        }
        for row in uncertain:
            best = row["candidates"][0]
            values = row["values"]
            self.stderr.write(
                _(
                    "Row %(row)s: %(name)s may be %(person)s (person %(id)s), with probability "
                    "%(probability)s."
                )
                % {
                    "row": row["number"],
                    "name": f"{values['given_name']} {values['family_name']}".strip(),
                    "person": names.get(best["person"], ""),
                    "id": best["person"],
                    "probability": number_format(best["probability"], 2),
                }
            )
        raise CommandError(
            ngettext(
                "%(count)s row may be a person already registered, with a probability below "
                "%(threshold)s (listed above). Nothing was imported: import the file on the web "
                "page to choose for it, or run again with --new-persons-below-threshold to "
                "register it as a new person.",
                "%(count)s rows may be persons already registered, with a probability below "
                "%(threshold)s (listed above). Nothing was imported: import the file on the web "
                "page to choose for them, or run again with --new-persons-below-threshold to "
                "register them as new persons.",
                len(uncertain),
            )
            % {"count": len(uncertain), "threshold": number_format(SUGGEST_THRESHOLD, 2)}
        )


def _unsure_rows(batch: ImportBatch) -> list[dict[str, Any]]:
    """Rows in the band: a registered person possible, below the suggestion threshold, taken
    as a new person (the pair goes to the review queue at commit)."""
    return [
        row
        for row in batch.rows
        if row.get("review")
        and row.get("candidates")
        and row.get("choice") == NEW
        and not row.get("skip")
    ]


def layout_lines(batch: ImportBatch) -> list[str]:
    """Where the header was found and each row left out, when the sheet is not a plain table
    starting in row 1: what the person would check before trusting the count."""
    layout = batch.layout or {}
    skipped = [row for row in layout.get("skipped", ()) if row["reason"] != BLANK]
    header_row = layout.get("header_row", 1)
    if header_row == 1 and not skipped:
        return []
    how = {
        "names": _("The header is row %(row)s, found by its column names."),
        "first": _(
            "The header is row %(row)s, the first row with text: no column name was recognised."
        ),
        "chosen": _("The header is row %(row)s, as chosen."),
    }
    lines = [how.get(layout.get("header_by", "names"), how["names"]) % {"row": header_row}]
    lines += [
        _("Row %(row)s left out (%(reason)s): %(text)s")
        % {"row": row["number"], "reason": REASONS[row["reason"]], "text": row["text"]}
        for row in skipped
    ]
    return lines


def _row_number(text: str) -> int:
    """A row number for ``--header-row``: a whole number from 1."""
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise ArgumentTypeError(
            _("a row number (1, 2, 3 ...) is expected, not %(value)s") % {"value": text}
        )
    return int(text)


def problem_line(problem: Problem) -> str:
    """One problem as a line: where it is (row, column, value) and what is wrong."""
    where = {"row": problem.row, "column": problem.column, "value": problem.value}
    reason = problem.message
    if problem.column and problem.value:
        line = _("Row %(row)s, column “%(column)s”, value “%(value)s”: %(reason)s")
    elif problem.column:
        line = _("Row %(row)s, column “%(column)s” (empty): %(reason)s")
    elif problem.value:
        line = _("Row %(row)s, “%(value)s”: %(reason)s")
    else:
        line = _("Row %(row)s: %(reason)s")
    return line % {**where, "reason": reason}


class _Unterminated:
    """stderr as the progress bar needs it: redrawn in place, so no line ending added, and
    not coloured as an error."""

    def __init__(self, wrapper: Any) -> None:
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, style_func=str, ending="")

    def flush(self) -> None:
        self.wrapper.flush()


def _actor(username: str | None) -> User:
    if not username:
        raise CommandError(_("Name the user the import is made as: --user NAME."))
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(_("No active user is called %(name)s.") % {"name": username}) from None


def _activity(activity_id: int | None) -> Activity | None:
    if activity_id is None:
        return None
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        raise CommandError(_("No activity has the id %(id)s.") % {"id": activity_id})
    return activity


def _encoding(name: str | None) -> str | None:
    if not name:
        return None
    try:
        canonical = codecs.lookup(name).name
    except LookupError:
        canonical = name
    if canonical not in ENCODINGS:
        raise CommandError(
            _("Unknown encoding %(encoding)s; use one of %(encodings)s.")
            % {"encoding": name, "encodings": ", ".join(ENCODINGS)}
        )
    return canonical


def _not_allowed(actor: User, activity: Activity | None) -> str:
    if activity is None:
        return _(
            "%(user)s may not import into the activity the file names: their role does not let "
            "them change it, or see the persons on its roster."
        ) % {"user": actor.username}
    return _(
        "%(user)s may not import into activity %(activity)s: their role does not let them "
        "change it, or see the persons on its roster."
    ) % {"user": actor.username, "activity": activity.pk}


def _summary(batch: ImportBatch) -> str:
    summary = batch.summary
    if batch.activity_id is None:  # a list of records (activities, grants, ...)
        return _(
            "%(file)s imported (import %(number)s, %(kind)s). Records created: %(created)s; rows "
            "already recorded, left as they were: %(unchanged)s."
        ) % {
            "file": batch.file_name,
            "number": batch.pk,
            "kind": batch.get_kind_display(),
            "created": summary["created"],
            "unchanged": summary["unchanged"],
        }
    if batch.kind == ImportKind.TALLY:
        return _(
            "%(file)s imported into “%(activity)s” (import %(number)s). Headcounts added: "
            "%(tallies)s; rows skipped (already there, or a headcount of 0): %(skipped)s."
        ) % {
            "file": batch.file_name,
            "activity": batch.target_activity.title,
            "number": batch.pk,
            "tallies": summary["tallies"],
            "skipped": summary["skipped"],
        }
    text = _(
        "%(file)s imported into “%(activity)s” (import %(number)s). Attendances added: "
        "%(attendances)s; persons created: %(persons)s; rows skipped as already on the roster: "
        "%(skipped)s; rows repeating another row's person: %(repeated)s."
    ) % {
        "file": batch.file_name,
        "activity": batch.target_activity.title,
        "number": batch.pk,
        "attendances": summary["attendances"],
        "persons": summary["persons_created"],
        "skipped": summary["skipped"],
        "repeated": summary.get("repeated", 0),
    }
    if "not_approved" in summary:  # a Kobo or ODK export
        text += " " + _(
            "Submissions edited on the server, updated on the roster: %(updated)s; left out as "
            "“Not approved”: %(not_approved)s; left out as “On hold”: %(on_hold)s; "
            "organizations registered: %(organizations)s."
        ) % {
            "updated": summary.get("edited", 0),
            "not_approved": summary["not_approved"],
            "on_hold": summary.get("on_hold", 0),
            "organizations": summary.get("organizations_created", 0),
        }
    elif summary.get("organizations_created"):
        text += " " + _("Organizations registered: %(organizations)s.") % {
            "organizations": summary["organizations_created"]
        }
    return text
