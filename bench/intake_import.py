"""Importing one large roster sheet end to end (issue 4, "Getting data in").

A 100,000-row roster CSV, as a partner would export a year of sign-in sheets, is imported into a
fresh database that already holds a registry of 20,000 persons: :func:`import_receive` (read the
file, find its columns), :func:`import_check` (validate every row, match every attendee against the
registry) and :func:`import_commit` (write every person and attendance in one transaction). The
same file is also read alone (:func:`read_sheet`), so the figure says how much of the import is
spent past parsing. Target: end to end <= 60 s, on SQLite and on PostgreSQL.

The sheet is drawn from :func:`akt.testing.linkage_synthetic.generate`: names across scripts and
spellings in the partner municipalities' mix, a community drawn in the municipality's
proportions. About one row in seven is another record (another spelling, another clerk) of a
person already in the registry; the rest are new people. The file is clean, as a file that
commits is: rows a clerk would have to correct (a missing name, the same person twice, an
implausible birth year) are left out before timing, by the import's own validation.

Run: ``.venv/bin/python bench/intake_import.py`` (SQLite file in a temporary folder);
``--database-url postgres://postgres@127.0.0.1:5432/test`` runs it on a fresh PostgreSQL
database created beside the one named (and dropped afterwards); smaller:
``--rows 10000 --registry 5000``; ``--profile`` prints where the time goes (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

from _database import fresh_database, set_up

TARGET_SECONDS = 60
HEADERS = ("Given name", "Family name", "Sex", "Birth date", "Community", "Municipality", "Role")
FIELDS = ("given_name", "family_name", "sex", "birth_date", "community", "municipality", "role")


def _community_draw(rng: Any) -> Callable[[str | None], str]:
    """A community for a row of this municipality, in the program's mix there."""
    from akt.places.models import Community
    from akt.places.participant_mix import COMMUNITY_MIX

    names = dict(Community.objects.values_list("code", "name_sq"))
    serbian = dict(Community.objects.values_list("code", "name_sr_latn"))

    def draw(code: str | None) -> str:
        mix = COMMUNITY_MIX.get(code or "", (("albanian", 1),))
        codes = [item for item, _weight in mix]
        weights = [weight for _item, weight in mix]
        chosen = rng.choices(codes, weights)[0]
        return (serbian if chosen == "serb" else names)[chosen]

    return draw


def registry_and_sheet(rows: int, registry: int, seed: int) -> tuple[list[dict], list[dict]]:
    """Registry persons (one record each) and candidate sheet rows (one record per person).

    About a seventh of the sheet's rows are another record (another spelling, another clerk)
    of a registry person; the rest are people the registry does not hold.
    """
    from akt.testing.linkage_synthetic import generate

    frame = generate(int((rows + registry) * 2.6), seed=seed)
    frame = frame[(frame.given_name != "") & (frame.family_name != "")]
    by_person = frame.groupby("true_id", sort=False)
    first, second = by_person.head(1), by_person.nth(1)
    returning = set(second.true_id.head(min(registry, rows // 7)))
    known = first[first.true_id.isin(returning)].to_dict("records")
    others = first[~first.true_id.isin(returning)]
    known += others.head(registry - len(known)).to_dict("records")
    taken = {person["true_id"] for person in known}
    sheet = second[second.true_id.isin(returning)].to_dict("records")
    fresh = first[~first.true_id.isin(taken)]
    sheet += fresh.head(int(rows * 1.05) - len(sheet)).to_dict("records")
    return known, sheet


def load_registry(records: list[dict]) -> dict[int, str]:
    """The registry persons saved; their ids -> the true person each is."""
    from akt.people.models import Person
    from akt.places.gazetteer import gazetteer
    from akt.places.models import Municipality
    from akt.text.names import parse_birth

    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    persons = []
    for record in records:
        try:
            born, year = parse_birth(record["birth_date"])
        except ValueError:
            born, year = None, None
        persons.append(
            Person(
                given_name=record["given_name"],
                family_name=record["family_name"],
                sex=record["sex"],
                birth_date=born,
                birth_year=None if born else year,
                municipality_id=municipalities.get(gazetteer().resolve(record["municipality"])),
            )
        )
    Person.objects.bulk_create(persons, batch_size=2000)
    return {person.pk: record["true_id"] for person, record in zip(persons, records, strict=True)}


def write_sheet(
    records: list[dict], rows: int, activity: Any, seed: int
) -> tuple[bytes, dict[int, str]]:
    """The roster CSV, without the rows the import would refuse, cut to ``rows`` rows; and
    each row number's true person."""
    import random

    from akt.intake.validation import check_roster
    from akt.intake.vocabulary import Vocabulary
    from akt.places.gazetteer import gazetteer

    community = _community_draw(random.Random(seed))
    cells = [
        (
            record["given_name"],
            record["family_name"],
            record["sex"],
            record["birth_date"],
            community(gazetteer().resolve(record["municipality"])),
            record["municipality"],
            "participant",
        )
        for record in records
    ]
    checked = check_roster(
        headers=HEADERS,
        rows=list(enumerate(cells, start=2)),
        mapping=dict(enumerate(FIELDS)),
        start=activity.start_date,
        end=activity.end_date,
        vocabulary=Vocabulary.load(),
    )
    # Both rows of an in-file duplicate go (the second is flagged, the first is its "other").
    flagged = {row.number for row in checked if row.problems}
    flagged |= {p.params["other"] for row in checked for p in row.problems if "other" in p.params}
    kept = [index for index in range(len(cells)) if index + 2 not in flagged][:rows]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(cells[index] for index in kept)
    truth = {number: records[index]["true_id"] for number, index in enumerate(kept, start=2)}
    return out.getvalue().encode("utf-8"), truth


def timed(label: str, function: Callable[[], Any], profile: bool) -> tuple[Any, float]:
    """``function()`` and its wall time; with ``profile``, cProfile's summary printed too."""
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = function()
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    if profiler:
        print(f"--- profile of {label} ({seconds:.1f} s)")
        stats = pstats.Stats(profiler, stream=sys.stdout).strip_dirs()
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
    return result, seconds


def run(arguments: argparse.Namespace) -> None:
    with fresh_database(arguments.database_url) as where:
        print(f"intake import on {where}")
        started = time.perf_counter()
        set_up()

        import datetime as dt

        from akt.accounts.models import Role, User
        from akt.activities.models import Activity, Attendance
        from akt.intake.services import import_check, import_commit, import_receive
        from akt.intake.sources.base import read_sheet
        from akt.people.models import Person
        from akt.places.models import Municipality
        from akt.program.models import Component

        officer = User.objects.create(username="bench-officer", role=Role.ME_OFFICER)
        activity = Activity.objects.create(
            title="Bench: a year of sign-in sheets",
            kind="training",
            component=Component.objects.get(code="economic"),
            municipality=Municipality.objects.get(code="gjilan"),
            start_date=dt.date(2016, 1, 1),
            end_date=dt.date(2016, 12, 31),
        )
        known, candidates = registry_and_sheet(arguments.rows, arguments.registry, arguments.seed)
        registry = load_registry(known)
        data, truth = write_sheet(candidates, arguments.rows, activity, arguments.seed)
        registered = set(registry.values())
        print(
            f"  set-up {time.perf_counter() - started:.0f} s (not timed): registry of "
            f"{len(registry):,} persons; a sheet of {len(truth):,} rows "
            f"({sum(person in registered for person in truth.values()):,} of them "
            f"registry persons written another way), {len(data) / 2**20:.1f} MiB UTF-8 CSV"
        )

        parses = []
        for _ in range(3):
            sheet, seconds = timed("read_sheet", lambda: read_sheet(data, "roster.csv"), False)
            parses.append(seconds)
        parse = statistics.median(parses)
        rows = len(sheet.rows)
        steps: dict[str, float] = {}

        def import_file() -> Any:
            began = time.perf_counter()
            batch = import_receive(
                actor=officer, data=data, file_name="roster.csv", activity=activity
            )
            steps["receive"] = time.perf_counter() - began
            batch = import_check(actor=officer, batch=batch)
            steps["check"] = time.perf_counter() - began - steps["receive"]
            steps["preview"] = preview(batch.pk)  # what a person waits for, not in the total
            began += steps["preview"]
            batch = import_commit(actor=officer, batch=batch)
            steps["commit"] = time.perf_counter() - began - steps["receive"] - steps["check"]
            return batch

        def preview(pk: int) -> float:
            """The median time of the preview page (first, middle and last page of rows)."""
            from django.test import Client
            from django.urls import reverse

            client = Client()
            client.force_login(officer)
            url = reverse("intake:batch_detail", args=[pk])
            pages = max(1, -(-arguments.rows // 200))
            times = []
            for page in (1, pages // 2, pages):
                began = time.perf_counter()
                response = client.get(f"{url}?page={page}")
                times.append(time.perf_counter() - began)
                assert response.status_code == 200, response.status_code
            return statistics.median(times)

        batch, total = timed("import_receive + import_check + import_commit", import_file,
                             arguments.profile)  # fmt: skip
        total -= steps["preview"]
        print(
            f"  parse alone (read_sheet, median of 3): {parse:.2f} s ({rows / parse:,.0f} rows/s)"
        )
        print(
            f"  end to end: {total:.1f} s ({rows / total:,.0f} rows/s): receive (read, map) "
            f"{steps['receive']:.1f} s, check (validate, match) {steps['check']:.1f} s, "
            f"commit {steps['commit']:.1f} s"
        )
        print(f"  end to end / parse alone: {total / parse:.0f}x")
        print(
            f"  preview page of the checked file (200 rows a page, median of first, middle and "
            f"last page): {steps['preview']:.2f} s"
        )
        summary = batch.summary
        given = [row for row in batch.rows if isinstance(row.get("choice"), int)]
        right = sum(1 for row in given if registry.get(row["choice"]) == truth[row["number"]])
        print(
            f"  {summary['attendances']:,} attendances added, {summary['persons_created']:,} "
            f"persons created, {summary['skipped']:,} rows skipped as already on the roster, "
            f"{summary['repeated']:,} rows repeating another row's person; "
            f"{len(given):,} rows preselected as a registry person, {right:,} of them rightly"
        )
        assert Attendance.objects.count() == summary["attendances"]
        assert Person.objects.count() == len(registry) + summary["persons_created"]
        verdict = "meets" if total <= TARGET_SECONDS else "ABOVE"
        print(f"  target end to end <= {TARGET_SECONDS} s: {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the sheet")
    parser.add_argument("--registry", type=int, default=20_000, help="persons already registered")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--database-url", help="a PostgreSQL server to run on (a fresh database is created)"
    )
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
