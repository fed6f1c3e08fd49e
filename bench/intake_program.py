"""A program whose people come back, imported roster by roster (issue 10, items 4 and 5).

A test program (:mod:`akt.testing.returning_program`: trainings in modules with their cohorts,
one-off hearings, debates and workshops where some citizens return; each person written on
every roster as the first time, a share of rows written another way: Cyrillic, no diacritics,
family name first, a full date where a year was written) is put into a fresh database: its
activities are created, then every roster is imported with the plain ``akt import FILE
--activity ID --user ...`` (the command itself, in this process, as the system runs it once
started), in the order the activities took place; then the registry batch (``akt link``'s
:func:`registry_link`) runs once. Printed:

- files refused (target 0);
- persons in the registry after the batch against the true people (target within 2%), with
  the wrong merges (attendances of two true people made one person);
- the share of returning rows (a person already on an earlier roster) left to review: the
  row's person record is in a pending review pair after the batch (target at most 5%); also
  the rows that were in the band at import, and the pairs pending;
- the time per roster of about 20 rows (median; target under 2 s once the system runs) and
  the total (target: 400 rosters within 5 minutes).

Run: ``.venv/bin/python bench/intake_program.py`` (400 activities, 2,850 people, SQLite in a
temporary folder); smaller: ``--activities 60 --people 300``; ``--database-url
postgres://postgres@127.0.0.1:5432/test`` on a fresh PostgreSQL database; ``--profile``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

from _database import fresh_database, set_up

TARGET_ROSTER_SECONDS = 2.0
TARGET_TOTAL_SECONDS = 300
TARGET_PERSON_ERROR = 0.02
TARGET_REVIEW_SHARE = 0.05


def run(arguments: argparse.Namespace) -> None:
    with fresh_database(arguments.database_url) as where:
        set_up()
        from django.core.management import CommandError, call_command

        from akt.accounts.models import Role, User
        from akt.activities.models import Attendance
        from akt.linkage.batch import registry_link
        from akt.linkage.models import ReviewPair
        from akt.people.models import Person
        from akt.testing.returning_program import create_activities, generate, roster_csv

        print(f"Database: {where}")
        officer = User.objects.create(username="bench-officer", role=Role.ME_OFFICER)
        program = generate(
            people=arguments.people, activities=arguments.activities, seed=arguments.seed
        )
        ids = create_activities(program)
        print(
            f"Program: {len(program.activities)} activities, {program.true_people} people who "
            f"attended, {program.roster_rows} roster rows, {program.returning_rows} returning "
            f"rows (seed {arguments.seed})"
        )
        folder = Path(tempfile.mkdtemp(prefix="akt-program-"))
        times: list[float] = []
        refused: list[str] = []
        band_rows: dict[tuple[int, int], bool] = {}
        profiler = cProfile.Profile() if arguments.profile else None
        started = time.perf_counter()
        for planned in program.activities:
            rows = program.rows[planned.number]
            if not rows:
                continue
            path = folder / f"roster-{planned.number}.csv"
            path.write_bytes(roster_csv(rows))
            mark = time.perf_counter()
            if profiler:
                profiler.enable()
            try:
                call_command(
                    "import",
                    str(path),
                    "--activity",
                    str(ids[planned.number]),
                    "--user",
                    officer.username,
                    "--no-progress",
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
            except CommandError as error:
                refused.append(f"{path.name}: {str(error)[:120]}")
            finally:
                if profiler:
                    profiler.disable()
            times.append(time.perf_counter() - mark)
        imported = time.perf_counter() - started
        from akt.intake.models import ImportBatch

        for batch in ImportBatch.objects.filter(status="committed"):
            for row in batch.rows:
                band_rows[(batch.activity_id, row["number"])] = bool(row.get("review"))
        mark = time.perf_counter()
        summary = registry_link(actor=officer)
        batch_seconds = time.perf_counter() - mark
        total = time.perf_counter() - started

        # Truth: the row number of a roster line is its index + 2 (the header is row 1).
        truth: dict[tuple[int, int], int] = {}
        seen: set[int] = set()
        returning: set[tuple[int, int]] = set()
        for planned in program.activities:
            for index, (person, _cells) in enumerate(program.rows[planned.number]):
                key = (ids[planned.number], index + 2)
                truth[key] = person
                if person in seen:
                    returning.add(key)
                seen.add(person)
        canonical = dict(Person.objects.values_list("pk", "identity_id"))
        resolved: dict[tuple[int, int], int] = {}
        record_of: dict[tuple[int, int], int] = {}
        for activity, row, person in Attendance.objects.values_list(
            "activity_id", "source_row", "person_id"
        ):
            resolved[(activity, row)] = canonical[person] or person
            record_of[(activity, row)] = person
        pending = ReviewPair.objects.pending()
        in_review = set(pending.values_list("person_a_id", flat=True)) | set(
            pending.values_list("person_b_id", flat=True)
        )
        persons = Person.objects.canonical().count()
        true_people = program.true_people
        people_of: dict[int, set[int]] = defaultdict(set)
        for key, person in resolved.items():
            people_of[person].add(truth[key])
        wrongly_joined = sum(len(found) - 1 for found in people_of.values())
        left_to_review = sum(1 for key in returning if record_of.get(key) in in_review)
        banded = sum(1 for key in returning if band_rows.get(key))
        missing = len(truth) - len(resolved)
        error = (persons - true_people) / true_people
        review_share = left_to_review / max(len(returning), 1)
        median = statistics.median(times) if times else 0.0
        sizes = Counter(len(program.rows[planned.number]) for planned in program.activities)

        def verdict(ok: bool) -> str:
            return "meets target" if ok else "MISSES target"

        typical = statistics.median(sorted(sizes.elements()))
        print(f"Rosters: {len(times)} (rows per roster: median {typical})")
        print(f"Files refused: {len(refused)} ({verdict(not refused)}: 0)")
        for line in refused[:5]:
            print(f"  {line}")
        print(f"Rows not imported: {missing}")
        print(
            f"Persons after the batch: {persons} for {true_people} true people: "
            f"{error:+.2%} ({verdict(abs(error) <= TARGET_PERSON_ERROR)}: within 2%); "
            f"attendances of another true person joined into one person: {wrongly_joined}"
        )
        print(
            f"Returning rows left to review: {left_to_review} of {len(returning)} "
            f"({review_share:.2%}, {verdict(review_share <= TARGET_REVIEW_SHARE)}: at most 5%); "
            f"in the band at import: {banded}; pairs pending: {pending.count()}"
        )
        print(
            f"Batch: {summary['merges']} merges, {summary['pairs_for_review']} pairs for review, "
            f"{batch_seconds:.1f} s"
        )
        print(
            f"Time per roster: median {median:.2f} s, slowest {max(times, default=0):.2f} s "
            f"({verdict(median < TARGET_ROSTER_SECONDS)}: under 2 s); imports {imported:.0f} s; "
            f"total with the batch {total:.0f} s "
            f"({verdict(total <= TARGET_TOTAL_SECONDS * len(times) / 400)}: 400 rosters in 5 min)"
        )
        if arguments.explain:
            records_of: dict[int, set[int]] = defaultdict(set)
            for key, person in resolved.items():
                records_of[truth[key]].add(person)
            for true, found in records_of.items():
                if len(found) > 1:
                    written = [
                        cells[:4] + cells[5:6]
                        for planned in program.activities
                        for who, cells in program.rows[planned.number]
                        if who == true
                    ]
                    print(f"  split: true person {true} as {sorted(found)}: {written}")
        if profiler:
            stats = pstats.Stats(profiler).sort_stats("cumulative")
            stats.print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--activities", type=int, default=400)
    parser.add_argument("--people", type=int, default=2850)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--database-url", help="a PostgreSQL server to create a database on")
    parser.add_argument("--profile", action="store_true", help="cProfile of the imports")
    parser.add_argument("--explain", action="store_true", help="list the people split in two")
    run(parser.parse_args())


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
