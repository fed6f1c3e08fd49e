"""``akt report``: a performance report written as a Word or PDF file, with a progress bar.

akt report quarterly --period fy2016q2 --language sq --format pdf --output raporti.pdf
akt report annual --period fy2016 --language sr            # Cyrillic, as on the web
akt report brief --format docx                             # Results to date, the life of project
akt report quarterly --period fy2016q2 --live              # not the approved one: the records now

The same writing as the page's job (:mod:`akt.reports.report_files`): an approved quarter's
report comes from its snapshot, the same bytes every time, unless ``--live`` is given.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from akt.counting.periods import Period, program_periods
from akt.indicators.selectors import life_of_project
from akt.reports.report_builders import PERIOD_OF_KIND, ReportKind
from akt.reports.report_files import FORMATS, ReportRequest, no_progress, report_file_bytes
from akt.translation import LANGUAGE_CHOICES_HELP, language_code


def _language(name: str) -> str:
    try:
        return language_code(name)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


class Command(BaseCommand):
    help = "Write a performance report (quarterly, annual or the Results to date brief)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=[kind.value for kind in ReportKind])
        parser.add_argument(
            "--period",
            default="",
            help="fy2016q2 for a quarter, fy2016 for a year (default: the latest); "
            "the brief covers the life of project.",
        )
        parser.add_argument("--language", type=_language, default="en", help=LANGUAGE_CHOICES_HELP)
        parser.add_argument("--format", choices=sorted(FORMATS), default="pdf")
        parser.add_argument("--output", help="Where to write the file (default: its own name).")
        parser.add_argument(
            "--live",
            action="store_true",
            help="For an approved quarter: from the records as they are now, not as approved.",
        )
        parser.add_argument("--no-progress", action="store_true", help="Draw no progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = ReportKind(options["kind"])
        periods = [
            period
            for period in program_periods(life_of_project())
            if period.kind == PERIOD_OF_KIND[kind]
        ]
        with translation.override(options["language"]):
            period = self._period(options["period"], periods)
            request = ReportRequest(
                kind, period, options["language"], options["format"], live=options["live"]
            )
            draw = None if options["no_progress"] else _ProgressBar(sys.stderr)
            try:
                content, approved = report_file_bytes(request, draw or no_progress)
            finally:
                if draw is not None:
                    sys.stderr.write("\n")
            target = Path(options["output"] or request.file_name)
            target.write_bytes(content)
            message = (
                _("Wrote the approved report to %(file)s (%(size)s bytes).")
                if approved
                else _("Wrote the report to %(file)s (%(size)s bytes).")
            )
            self.stdout.write(message % {"file": target, "size": len(content)})

    def _period(self, key: str, periods: list[Period]) -> Period:
        if not key:
            return periods[-1]
        for period in periods:
            if period.key == key:
                return period
        raise CommandError(
            _("No period %(key)s for this report: choose one of %(keys)s.")
            % {"key": key, "keys": ", ".join(period.key for period in periods)}
        )


class _ProgressBar:
    """One line on stderr, redrawn in place: how far the report has got, and its stage."""

    def __init__(self, stream: Any, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.stage = ""

    def __call__(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        self.stage = stage or self.stage
        fraction = done / total if total else 0.0
        filled = int(round(fraction * self.width))
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {fraction:4.0%} {self.stage[:50]:<50}")
        self.stream.flush()
