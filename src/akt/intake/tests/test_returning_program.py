"""A program whose people come back, imported roster by roster with the plain command.

Issue 10 (items 4 and 5): a program whose people are written the same way on every roster (and a
few rows written another way: Cyrillic, no diacritics, family name first, a full date for a
year) must import without a file refused, and after the registry batch count its people within
2%, with at most 5% of the returning rows left to an officer's review. The full-size figures
(400 activities) come from ``bench/intake_program.py``; this is the same path at a size that
runs in a test.
"""

from __future__ import annotations

import io
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command

from akt.accounts.models import User
from akt.activities.models import Attendance
from akt.linkage.batch import registry_link
from akt.linkage.models import ReviewPair
from akt.people.models import Person
from akt.testing.returning_program import create_activities, generate, roster_csv

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_a_returning_program_imports_whole_and_counts_its_people(
    personas: dict[str, User], tmp_path: Path
) -> None:
    # One person in eight never gives a birth year: found again by name, sex and municipality
    # alone, weighed by how common the name is (bench/intake_program.py: 400 activities).
    program = generate(people=200, activities=40, seed=3)
    assert any(not person.gives_year for person in program.people.values())
    ids = create_activities(program)
    assert program.returning_rows > program.roster_rows / 2  # people do come back

    refused = []
    for planned in program.activities:
        path = tmp_path / f"roster-{planned.number}.csv"
        path.write_bytes(roster_csv(program.rows[planned.number]))
        try:
            call_command(
                "import",
                str(path),
                "--activity",
                str(ids[planned.number]),
                "--user",
                "me",
                "--no-progress",
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
        except Exception as error:  # every refusal is counted, not just the first
            refused.append((path.name, str(error)[:200]))
    registry_link(actor=personas["me"])

    assert refused == []
    truth, returning, seen = {}, set(), set()
    for planned in program.activities:
        for index, (person, _cells) in enumerate(program.rows[planned.number]):
            truth[(ids[planned.number], index + 2)] = person  # row 1 is the header
            if person in seen:
                returning.add((ids[planned.number], index + 2))
            seen.add(person)
    canonical = dict(Person.objects.values_list("pk", "identity_id"))
    people_of = defaultdict(set)
    record_of = {}
    for activity, row, person in Attendance.objects.values_list(
        "activity_id", "source_row", "person_id"
    ):
        people_of[canonical[person] or person].add(truth[(activity, row)])
        record_of[(activity, row)] = person
    assert len(record_of) == program.roster_rows  # every row is on its roster

    persons = Person.objects.canonical().count()
    assert abs(persons - program.true_people) <= 0.02 * program.true_people
    # No two true people made one person.
    assert all(len(found) == 1 for found in people_of.values())
    pending = ReviewPair.objects.pending()
    asked = set(pending.values_list("person_a_id", flat=True)) | set(
        pending.values_list("person_b_id", flat=True)
    )
    left_to_review = sum(1 for key in returning if record_of[key] in asked)
    assert left_to_review <= 0.05 * len(returning)
