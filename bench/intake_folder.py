"""A program's folder of lists and rosters imported in one go (issue 10, item 8).

:func:`akt.testing.office_folder.write_folder` writes three years of an office's files: an
``activities.xlsx`` list (default 500 activities, headers and values in Albanian, Serbian Latin,
Serbian Cyrillic and English), an ``organizations.csv``, and one roster or tally file per
activity, people returning across activities. ``akt import-folder`` imports it into a fresh
database as an M&E officer (everything checked, all or nothing), then the same folder again:
the second run must change no figure (``akt results --format json`` compared). Prints both
times, files and records per second, and whether the figures are identical. Target (issue 10,
item 5): a folder of 400 rosters within 5 minutes.

Run: ``.venv/bin/python bench/intake_folder.py`` (SQLite in a temporary folder);
``--database-url postgres://postgres@127.0.0.1:5432/test``; ``--activities 100 --roster-size 20``;
``--profile`` prints where the first import's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import tempfile
import time
from pathlib import Path

from _database import fresh_database, set_up

TARGET_SECONDS = 300


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--activities", type=int, default=500)
    parser.add_argument("--roster-size", type=int, default=20)
    parser.add_argument(
        "--attendance-every", type=int, default=1, help="one activity in N has its file"
    )
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    with fresh_database(args.database_url) as database:
        set_up()
        from django.core.management import call_command
        from django.core.management.base import CommandError

        from akt.accounts.models import Role, User
        from akt.activities.models import Activity, Attendance
        from akt.testing.office_folder import write_folder

        User.objects.create_user("me", password="x", role=Role.ME_OFFICER)

        def results() -> object:
            out = io.StringIO()
            call_command("results", "--format", "json", stdout=out)
            return json.loads(out.getvalue())

        def run(folder: Path) -> float:
            out, err = io.StringIO(), io.StringIO()
            started = time.perf_counter()
            try:
                call_command(
                    "import_folder",
                    str(folder),
                    "--user",
                    "me",
                    "--new-persons-below-threshold",
                    stdout=out,
                    stderr=err,
                )
            except CommandError as error:
                print(err.getvalue()[:6000], file=sys.stderr)
                raise SystemExit(f"refused: {error}") from None
            return time.perf_counter() - started

        with tempfile.TemporaryDirectory(prefix="akt-folder-") as tmp:
            folder = Path(tmp) / "program"
            written = write_folder(
                folder,
                activities=args.activities,
                roster_size=args.roster_size,
                attendance_every=args.attendance_every,
            )
            files = len(list(folder.iterdir()))
            print(f"database: {database}")
            print(
                f"folder: {files} files, {written['activities']} activities, "
                f"{written['rosters']} rosters ({written['roster_rows']} rows), "
                f"{written['tallies']} tallies"
            )
            profile = cProfile.Profile() if args.profile else None
            if profile:
                profile.enable()
            first = run(folder)
            if profile:
                profile.disable()
            figures = results()
            print(
                f"first import: {first:.1f} s ({files / first:.1f} files/s); "
                f"{Activity.objects.count()} activities, {Attendance.objects.count()} attendances"
            )
            second = run(folder)
            same = results() == figures
            print(f"second import: {second:.1f} s; figures identical: {same}")
            verdict = "meets" if first <= TARGET_SECONDS else "misses"
            print(f"target: first import <= {TARGET_SECONDS} s: {verdict}")
            if profile:
                pstats.Stats(profile).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
