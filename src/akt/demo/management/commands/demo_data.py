"""``akt demo-data``: fill an empty database with the deterministic demo dataset.

For demonstrations and development only: the records are invented (realistic names, real
municipalities) and built so that the results pages show the program's published figures.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from akt.demo.generator import DEFAULT_SEED, DemoDataError, demo_generate

# What the summary lists, in this order: a label and the count, grammatical for any number.
LABELS = {
    "persons": gettext_noop("Persons: %(count)s"),
    "organizations": gettext_noop("Organizations: %(count)s"),
    "activities": gettext_noop("Activities: %(count)s"),
    "attendances": gettext_noop("Roster rows: %(count)s"),
    "tallies": gettext_noop("Headcount cells: %(count)s"),
    "projects": gettext_noop("Infrastructure projects: %(count)s"),
    "grants": gettext_noop("Grants: %(count)s"),
    "plans": gettext_noop("Capacity development plans: %(count)s"),
    "plan_actions": gettext_noop("Plan actions: %(count)s"),
}


class Command(BaseCommand):
    help = (
        "DEMO USE ONLY. Fill an empty database with invented, deterministic demo records "
        "(April 2014 - April 2017, the 16 partner municipalities) whose results equal the "
        "program's published figures. Refuses when program records exist; --replace replaces "
        "earlier demo records and refuses if anything else is there."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"Random seed; the same seed gives the same records (default {DEFAULT_SEED}).",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the demo records of an earlier run first.",
        )

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        try:
            summary = demo_generate(seed=options["seed"], replace=options["replace"])
        except DemoDataError as error:
            raise CommandError(str(error)) from error
        seconds = time.perf_counter() - started
        if any(summary.replaced.values()):
            self.stdout.write(
                _(
                    "Deleted the earlier demo data (persons: %(persons)s, "
                    "activities: %(activities)s)."
                )
                % {
                    "persons": summary.replaced.get("persons", 0),
                    "activities": summary.replaced.get("activities", 0),
                }
            )
        self.stdout.write(_("Created demo data with seed %(seed)s:") % {"seed": summary.seed})
        for key, label in LABELS.items():
            self.stdout.write("  " + _(label) % {"count": summary.counts.get(key, 0)})
        self.stdout.write(
            _(
                "Identity resolution: %(records)s person records are %(persons)s persons "
                "(%(merges)s merges); %(review)s pairs wait for review."
            )
            % {
                "records": summary.linkage.get("records", 0),
                "persons": summary.linkage.get("persons", 0),
                "merges": summary.linkage.get("merges", 0),
                "review": summary.linkage.get("pairs_for_review", 0),
            }
        )
        self.stdout.write(_("Digest: %(digest)s") % {"digest": summary.digest[:16]})
        self.stdout.write(
            self.style.SUCCESS(_("Done in %(seconds).1f seconds.") % {"seconds": seconds})
        )
