"""Finding, counting, wiping and fingerprinting the demo records.

Demo records carry a mark so ``--replace`` can find them again without touching anything else:
persons a uid starting with :data:`DEMO_UID_PREFIX`, organizations, grants and projects a code
starting with ``DEMO-``, activities the description and planned activities the notes
:data:`DEMO_NOTE`, plans their generated title.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Mapping
from types import MappingProxyType

from django.db import models, transaction
from django.db.models import Q

from akt.activities.models import Activity, Attendance, PlannedActivity, Tally
from akt.capacity.models import CapacityDevelopmentPlan
from akt.demo import texts
from akt.demo.plan import DEMO_CODE_PREFIX, DEMO_NOTE, DEMO_UID_PREFIX
from akt.grants.models import Grant
from akt.indicators.models import OutcomeValue
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Organization, Person
from akt.places.models import Municipality

DEMO_OUTCOMES = ("property-tax-billed", "property-tax-collected")
"""The indicators whose values the demo enters (:mod:`akt.demo.outcomes`)."""


def _demo_plan_titles() -> list[str]:
    titles = []
    for municipality in Municipality.objects.select_related("majority_community"):
        for first, last in ((2015, 2017), (2017, 2019)):
            titles.append(texts.say(texts.PLAN, municipality, first=first, last=last))
    return titles


def demo_querysets() -> dict[str, models.QuerySet]:
    """The demo records of each kind, found by their marks (roster rows go with activities)."""
    return {
        "planned": PlannedActivity.objects.filter(notes__startswith=DEMO_NOTE),
        "activities": Activity.objects.filter(description__startswith=DEMO_NOTE),
        "grants": Grant.objects.filter(reference__startswith=DEMO_CODE_PREFIX),
        "projects": InfrastructureProject.objects.filter(code__startswith=DEMO_CODE_PREFIX),
        "plans": CapacityDevelopmentPlan.objects.filter(title__in=_demo_plan_titles()),
        "persons": Person.objects.filter(uid__startswith=DEMO_UID_PREFIX),
        "organizations": Organization.objects.filter(
            registration_number__startswith=DEMO_CODE_PREFIX
        ),
    }


_ALL_RECORDS: Mapping[
    str,
    type[
        PlannedActivity
        | Activity
        | Grant
        | InfrastructureProject
        | CapacityDevelopmentPlan
        | Person
        | Organization
    ],
] = MappingProxyType(
    {
        "planned": PlannedActivity,
        "activities": Activity,
        "grants": Grant,
        "projects": InfrastructureProject,
        "plans": CapacityDevelopmentPlan,
        "persons": Person,
        "organizations": Organization,
    }
)


def program_record_counts() -> dict[str, int]:
    """How many program records of each kind the database holds, demo or not."""
    return {name: model.objects.count() for name, model in _ALL_RECORDS.items()}


def foreign_record_counts() -> dict[str, int]:
    """Records of each kind that demo-data did not create (0 everywhere on a demo database)."""
    demo = demo_querysets()
    totals = program_record_counts()
    return {name: totals[name] - demo[name].count() for name in _ALL_RECORDS}


@transaction.atomic
def demo_wipe() -> dict[str, int]:
    """Delete every demo record, children first, and say how many of each kind went.

    Only marked records are touched. A record someone added that points at a demo record (a
    real roster row naming a demo person) protects it, and the deletion fails as a whole.
    """
    from akt.demo.evidence import evidence_wipe
    from akt.demo.grants_workflow import grants_workflow_wipe
    from akt.linkage.models import PersonMerge, ReviewPair

    querysets = demo_querysets()
    deleted: dict[str, int] = {}
    # The files attached to demo records (loaded with them, by nobody).
    deleted["attachments"] = evidence_wipe()
    # Calls, applications and scores first: applications hold on to grants and organizations.
    deleted.update(grants_workflow_wipe())
    # The property tax values the demo entered (entered by nobody: no person typed them).
    outcomes = OutcomeValue.objects.filter(indicator__code__in=DEMO_OUTCOMES, entered_by=None)
    deleted["outcome_values"] = outcomes.count()
    outcomes.delete()
    # Linkage state about demo persons (merges, pairs under review) goes with them.
    persons = querysets["persons"]
    ReviewPair.objects.filter(Q(person_a__in=persons) | Q(person_b__in=persons)).delete()
    PersonMerge.objects.filter(survivor__in=persons).delete()
    persons.update(identity=None)
    for name in (
        "planned",
        "activities",
        "grants",
        "projects",
        "plans",
        "persons",
        "organizations",
    ):
        deleted[name] = querysets[name].count()
        querysets[name].delete()
    return deleted


def demo_digest() -> str:
    """A fingerprint of the demo records' contents, independent of database ids and timestamps.

    Two runs with the same seed give the same digest; that is what "deterministic" means here.
    """
    hasher = hashlib.sha256()
    uid_of = dict(Person.objects.values_list("id", "uid"))
    rows: list[tuple] = sorted(
        (str(row[0]), *map(str, row[1:]))
        for row in Person.objects.values_list(
            "uid",
            "given_name",
            "family_name",
            "sex",
            "birth_date",
            "birth_year",
            "community__code",
            "municipality__code",
            "affiliation",
            "organization__name",
        )
    )
    rosters: dict[int, list[str]] = defaultdict(list)
    for activity_id, person_id in Attendance.objects.values_list("activity_id", "person_id"):
        rosters[activity_id].append(str(uid_of[person_id]))
    tallies: dict[int, list[str]] = defaultdict(list)
    for activity_id, *cell in Tally.objects.values_list(
        "activity_id", "sex", "community__code", "age_band", "headcount"
    ):
        tallies[activity_id].append(repr(cell))
    topics: dict[int, list[str]] = defaultdict(list)
    for activity_id, code in Activity.topics.through.objects.values_list(
        "activity_id", "topic__code"
    ):
        topics[activity_id].append(code)
    activity_rows = sorted(
        (
            *map(str, row[1:]),
            ",".join(sorted(topics[row[0]])),
            ",".join(sorted(rosters[row[0]])),
            ";".join(sorted(tallies[row[0]])),
        )
        for row in Activity.objects.values_list(
            "id",
            "title",
            "kind",
            "start_date",
            "end_date",
            "municipality__code",
            "component__code",
            "project__code",
        )
    )
    other_rows = sorted(
        [tuple(map(str, r)) for r in Grant.objects.values_list("reference", "amount", "sector")]
        + [
            tuple(map(str, r))
            for r in InfrastructureProject.objects.values_list("code", "title", "status")
        ]
        + [
            tuple(map(str, r))
            for r in CapacityDevelopmentPlan.objects.values_list("title", "status", "adopted_on")
        ]
    )
    for row in (*rows, *activity_rows, *other_rows):
        hasher.update(repr(row).encode())
    return hasher.hexdigest()
