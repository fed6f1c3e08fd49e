"""``akt link``: resolve person records into persons.

``akt link FILE.csv --out RESULT.csv`` resolves a standalone file (any partner's spreadsheet of
person records) and writes ``record_id, person_id`` without touching the database: no migrations,
no queries, no system checks, so it runs anywhere the package is installed. The logic lives in
:mod:`akt.linkage.standalone`; this command parses arguments, draws the progress bar on stderr,
prints how many values could not be read (``--problems FILE`` lists them) and turns a refused
file (unreadable, or a required column missing) into a non-zero exit.

Without FILE the command re-resolves the whole registry as a background job; that part belongs to
:func:`akt.linkage.services.registry_link`, imported only when asked for.

``akt link --retrain --user NAME`` re-estimates the model's m and u from the review decisions
(:func:`akt.linkage.services.linkage_model_retrain`) and saves a new version beside the data,
for an administrator to adopt; with too few decisions it changes nothing.

``akt link --accuracy`` runs nothing: it prints how the model does on the pairs people decided
(:func:`akt.linkage.selectors.labelled_accuracy`), the figures the review page shows.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

STEP_LABELS = {
    "read": "read",
    "validate": "validate",
    "prepare": "prepare",
    "predict": "score pairs",
    "cluster": "cluster",
    "write": "write",
}


class ProgressBar:
    """One line on stderr, redrawn in place: the step and how far the whole run has got."""

    def __init__(self, stream: TextIO, steps: tuple[str, ...], width: int = 30) -> None:
        self.stream = stream
        self.steps = steps
        self.width = width

    def __call__(self, step: str, done: int = 0, total: int = 1) -> None:
        within = done / total if total else 1.0
        if step in self.steps:
            fraction = (self.steps.index(step) + within) / len(self.steps)
        else:  # a step this bar was not told about: show its own progress
            fraction = within
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        label = STEP_LABELS.get(step, step)
        self.stream.write(f"\r[{bar}] {fraction:4.0%} {label:<12}")
        self.stream.flush()

    def finish(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Resolve person records into persons. With FILE.csv (columns record_id, given_name, "
        "family_name, birth_date, sex, municipality, optional activity_id; UTF-8) write "
        "record_id,person_id to --out without touching the database. Without FILE, re-resolve "
        "the registry."
    )
    # The file tool must run without a database: no checks (they may query), no migrations.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", nargs="?", help="CSV file of person records (UTF-8).")
        parser.add_argument(
            "--out",
            help="Where to write record_id,person_id (CSV); with --retrain, the model's folder.",
        )
        parser.add_argument(
            "--review", help="Also write the pairs left for review, with their evidence (CSV)."
        )
        parser.add_argument(
            "--problems",
            help="Also write every value that could not be read (CSV: row, column, value, reason).",
        )
        parser.add_argument(
            "--threads", type=int, default=None, help="DuckDB threads (default: all cores)."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--user", help="Without FILE: the M&E officer or administrator running the linkage."
        )
        parser.add_argument(
            "--retrain",
            action="store_true",
            help=(
                "Re-estimate the model from the review decisions (with --user) and save it as a "
                "new version (default folder: the data folder's linkage/)."
            ),
        )
        parser.add_argument(
            "--accuracy",
            action="store_true",
            help="Print how the model does on the review decisions; link nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["accuracy"]:
            if options["file"]:
                raise CommandError(_("--accuracy reports on the review decisions; give no FILE."))
            self._accuracy()
            return
        if options["retrain"]:
            if options["file"]:
                raise CommandError(_("--retrain learns from the review decisions; give no FILE."))
            self._retrain(options)
            return
        if not options["file"]:
            self._registry_link(options)
            return
        if not options["out"]:
            raise CommandError(_("Give --out RESULT.csv: where to write record_id,person_id."))
        from akt.linkage.standalone import STEPS, LinkFileError, link_file

        bar = None if options["no_progress"] else ProgressBar(sys.stderr, STEPS)
        try:
            summary = link_file(
                options["file"],
                options["out"],
                progress=bar,
                threads=options["threads"],
                review_path=options["review"],
                problems_path=options["problems"],
            )
        except LinkFileError as error:
            if bar:
                bar.finish()
            raise CommandError(
                _("%(file)s was refused, nothing was written:\n%(problems)s")
                % {"file": options["file"], "problems": error}
            ) from error
        except FileNotFoundError as error:
            raise CommandError(_("No such file: %(file)s") % {"file": error.filename}) from error
        if bar:
            bar.finish()
        self.stdout.write(
            _(
                "%(records)s records, %(persons)s persons; %(linked)s pairs linked, %(review)s "
                "for review (probability %(lower)s to %(upper)s), %(refused)s kept apart by "
                "rosters or birth dates. Written to %(out)s."
            )
            % {
                "records": summary.records,
                "persons": summary.persons,
                "linked": summary.linked_pairs,
                "review": summary.review_pairs,
                "lower": summary.lower,
                "upper": summary.upper,
                "refused": summary.refused_pairs,
                "out": options["out"],
            }
        )
        self._problems(summary, options["problems"])

    def _problems(self, summary: Any, path: str | None) -> None:
        """How many values were taken as unknown, by column, and where the list of them is."""
        if not summary.problems:
            self.stdout.write(_("Every value was read."))
            return
        unreadable = sum(summary.unreadable.values())
        self.stdout.write(
            ngettext(
                "%(count)s value could not be read and was taken as unknown; no record was "
                "left out.",
                "%(count)s values could not be read and were taken as unknown; no record was "
                "left out.",
                unreadable,
            )
            % {"count": unreadable}
        )
        for column, count in sorted(summary.unreadable.items()):
            self.stdout.write(f"  {column}: {count}")
        if path:
            self.stdout.write(
                ngettext(
                    "%(count)s problem listed in %(file)s.",
                    "%(count)s problems listed in %(file)s.",
                    len(summary.problems),
                )
                % {"count": len(summary.problems), "file": path}
            )
        else:
            self.stdout.write(
                ngettext(
                    "%(count)s problem found; give --problems FILE to list it.",
                    "%(count)s problems found; give --problems FILE to list them.",
                    len(summary.problems),
                )
                % {"count": len(summary.problems)}
            )

    def _registry_link(self, options: dict[str, Any]) -> None:
        """Re-resolves the registry now, as a job (its page shows it too), with a progress bar."""
        from akt.accounts.models import User
        from akt.jobs.models import Job
        from akt.jobs.services import job_run, progress_bar
        from akt.linkage.batch import JOB_KIND

        username = options.get("user")
        if not username:
            raise CommandError(
                _(
                    "Name the M&E officer or administrator running the registry linkage: "
                    "--user NAME."
                )
            )
        try:
            actor = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(
                _("No active user is called %(name)s.") % {"name": username}
            ) from None
        job = Job.objects.create(kind=JOB_KIND, created_by=actor)
        draw = None if options["no_progress"] else progress_bar(sys.stderr)
        try:
            job = job_run(job, on_update=draw)
        except PermissionDenied:
            raise CommandError(
                _("%(name)s may not merge persons: only M&E officers and administrators may.")
                % {"name": username}
            ) from None
        finally:
            if draw:
                sys.stderr.write("\n")
        result = job.result
        self.stdout.write(
            _(
                "%(records)s records resolved to %(persons)s persons: %(merges)s merges, "
                "%(review)s pairs for review."
            )
            % {
                "records": result["records"],
                "persons": result["persons"],
                "merges": result["merges"],
                "review": result["pairs_for_review"],
            }
        )

    def _retrain(self, options: dict[str, Any]) -> None:
        """Re-estimates m and u from the decisions; saves a new version, or says why not."""
        from django.conf import settings

        from akt.accounts.models import User
        from akt.linkage.services import linkage_model_retrain

        username = options.get("user")
        if not username:
            raise CommandError(_("Name the M&E officer or administrator: --user NAME."))
        try:
            actor = User.objects.get(username=username, is_active=True)
        except User.DoesNotExist:
            raise CommandError(
                _("No active user is called %(name)s.") % {"name": username}
            ) from None
        directory = options.get("out") or settings.DATA_DIR / "linkage"
        try:
            result, path = linkage_model_retrain(actor=actor, directory=directory)
        except PermissionDenied:
            raise CommandError(
                _("%(name)s may not retrain the model: only M&E officers and administrators may.")
                % {"name": username}
            ) from None
        counts = {
            "matches": result.matches,
            "non_matches": result.non_matches,
            "needed": result.min_per_class,
        }
        if path is None:
            self.stdout.write(
                _(
                    "Too few decisions to re-estimate the model: %(matches)s same person, "
                    "%(non_matches)s different people; at least %(needed)s of one kind are "
                    "needed. Nothing was changed."
                )
                % counts
            )
            return
        self.stdout.write(
            _(
                "Model re-estimated from %(matches)s same-person and %(non_matches)s "
                "different-people decisions (at least %(needed)s of a kind are needed for it "
                "to learn from them)."
            )
            % counts
        )
        if not result.m_updated:
            self.stdout.write(_("Too few same-person decisions: m was left as trained."))
        if not result.u_updated:
            self.stdout.write(_("Too few different-people decisions: u was left as trained."))
        for label, (m_before, m_after, u_before, u_after) in sorted(result.moved.items()):
            self.stdout.write(
                f"  {label}: m {_number(m_before)} -> {_number(m_after)}, "
                f"u {_number(u_before)} -> {_number(u_after)}"
            )
        self.stdout.write(
            _(
                "Saved as %(file)s. The model in use has not changed: to adopt this one, set "
                "AKT_LINKAGE_MODEL to that file."
            )
            % {"file": path}
        )

    def _accuracy(self) -> None:
        """Prints the review page's accuracy section, worded the same (one translation serves)."""
        from django.utils.translation import get_language

        from akt.linkage.selectors import accuracy_shown, labelled_accuracy

        shown = accuracy_shown(labelled_accuracy(), get_language() or "en")
        self.stdout.write(_("How the model does on your decisions"))
        if not shown.labels:
            self.stdout.write(_("No decision yet: these figures appear once pairs are decided."))
            return
        link, review, supported = shown.at_link, shown.at_review, shown.supported
        self.stdout.write(
            _("Decisions counted: %(matches)s same person, %(non_matches)s different people.")
            % {"matches": shown.matches, "non_matches": shown.non_matches}
        )
        self.stdout.write(
            _(
                "Where the batch links without asking (%(threshold)s and above): %(true_links)s "
                "rightly linked, %(false_links)s wrongly linked, %(missed_links)s missed, "
                "%(true_apart)s rightly kept apart; precision %(precision)s, recall %(recall)s."
            )
            % {
                "threshold": link.threshold,
                "true_links": link.true_links,
                "false_links": link.false_links,
                "missed_links": link.missed_links,
                "true_apart": link.true_apart,
                "precision": link.precision,
                "recall": link.recall,
            }
        )
        self.stdout.write(
            _(
                "Where pairs go to review (%(threshold)s and above): precision %(precision)s, "
                "recall %(recall)s."
            )
            % {
                "threshold": review.threshold,
                "precision": review.precision,
                "recall": review.recall,
            }
        )
        if supported is None:
            self.stdout.write(
                _(
                    "A threshold is suggested once there are at least %(needed)s decisions of "
                    "each kind."
                )
                % {"needed": shown.min_per_class}
            )
        else:
            self.stdout.write(
                _(
                    "The threshold your decisions support: %(threshold)s (precision "
                    "%(precision)s, recall %(recall)s)."
                )
                % {
                    "threshold": supported.threshold,
                    "precision": supported.precision,
                    "recall": supported.recall,
                }
            )
        self.stdout.write(
            _(
                "Precision: of the pairs linked, the share that were one person. Recall: of the "
                "pairs that were one person, the share linked. A batch merge someone split "
                "counts as different people."
            )
        )
        self.stdout.write(
            _(
                "Most decisions are on pairs the model was unsure of, so these figures describe "
                "the model where it hesitates, not its accuracy overall."
            )
        )


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
