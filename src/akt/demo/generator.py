"""A deterministic demo dataset whose results are the program's published "Results to date".

The demo exists so that a visitor sees the system doing what it was built for: the figures of
the program brief (12 debates with 337 participants, 1,244 municipal employees trained, ...)
computed by the indicator engine from individual records, with every number open to the
records behind it. So the data is built to the targets, block by block, rather than drawn at
random and tweaked: each block partitions its target exactly (participants over debates, trainees
over municipalities) and adds records that no indicator counts (coordination meetings, a
debate on another topic, trainees whose affiliation is outside the filter), so the filters have
something to filter.

What makes the records look real: names from each community, written as sign-in sheets write
them (some Serbian Cyrillic, some without diacritics); titles in the municipality's majority
language; people who come back (trainees at several sessions, members at several workshops);
large events counted by headcount, small ones by roster; dates that follow the program's life
from April 2014 to April 2017.

Demo records carry a mark so ``--replace`` can find them again without touching anything else:
persons a uid starting with :data:`DEMO_UID_PREFIX`, organizations, grants and projects a code
starting with ``DEMO-``, activities the description :data:`DEMO_NOTE`, plans their generated
title.
"""

from __future__ import annotations

import hashlib
import math
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from types import MappingProxyType

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from akt.accounts.services import audit_record
from akt.activities.models import Activity, ActivityKind, AgeBand, Attendance, Tally, Topic
from akt.capacity.models import ActionStatus, CapacityDevelopmentPlan, PlanAction, PlanStatus
from akt.counting.engine import ASSUMED_BIRTHDAY, age_on
from akt.demo import texts
from akt.demo.names import ascii_fold, pool_for
from akt.grants.models import Currency, Grant
from akt.infrastructure.models import InfrastructureProject, ProjectStatus
from akt.linkage.batch import registry_link
from akt.people.models import (
    Affiliation,
    ConsentBasis,
    Organization,
    OrganizationKind,
    Person,
    Sector,
    Sex,
)
from akt.places.models import Community, Municipality
from akt.places.participant_mix import COMMUNITY_MIX
from akt.places.participant_mix import MUNICIPALITY_SIZE as SIZE
from akt.program.models import Component, Program
from akt.text.orthography import albanian_to_serbian, serbian_to_albanian
from akt.text.script import cyrillic_to_latin, latin_to_cyrillic

TARGETS: Mapping[str, int | Decimal] = MappingProxyType(
    {
        "lul-debates": 12,
        "lul-debate-participants": 337,
        "public-hearings": 21,
        "public-hearing-participants": 830,
        "capacity-plans": 16,
        "infrastructure-projects": 33,
        "joint-activity-participants": 20623,
        "community-workshops": 19,
        "community-members-empowered": 317,
        "management-trainees": 1244,
        "property-tax-trainees": 133,
        "business-grants": 16,
        "business-grants-amount": Decimal("102000.00"),
        "farmers-businesses-trained": 194,
        "women-business-services": 243,
        "youth-business-services": 63,
    }
)
"""Life-of-project value of every indicator over the demo data: the program brief's figures
("over 190" and "over 240" made concrete). The generator builds to these; the tests check them."""

DEFAULT_SEED = 2014

DEMO_UID_PREFIX = "de30da7a"
"""The first eight hex digits of every demo person's uid."""
DEMO_CODE_PREFIX = "DEMO-"
"""The start of every demo organization's registration number, grant reference and project code."""
DEMO_NOTE = "Demo record created by akt demo-data; not a real event."
"""The description of every demo activity."""

PROGRAM_START = date(2014, 4, 1)
PROGRAM_END = date(2017, 4, 30)
LAST_EVENT = date(2017, 4, 28)

PROJECTS_UNDER_WAY = 2
"""Infrastructure projects still under way when the program ended: recorded, never counted."""

# Neighbouring partner municipalities: where a participant from elsewhere comes from.
REGIONS: tuple[tuple[str, ...], ...] = (
    ("mitrovice-e-veriut", "zvecan", "leposaviq", "zubin-potok", "vushtrri"),
    ("gjilan", "kllokot", "partesh", "ranillug", "novoberde"),
    ("peje", "istog", "kline"),
    ("gracanice", "obiliq", "shterpce"),
)

# Regional events: host municipality -> the municipalities whose people attend.
REGIONAL_WORKSHOPS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"zvecan": REGIONS[0], "gjilan": REGIONS[1], "peje": REGIONS[2]}
)
PROPERTY_TAX_REGIONS: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "zvecan": ("mitrovice-e-veriut", "zvecan", "leposaviq", "zubin-potok"),
        "gjilan": REGIONS[1],
        "peje": REGIONS[2],
        "gracanice": ("gracanice", "obiliq", "shterpce", "vushtrri"),
    }
)

# The twelve municipalities of the NGO project on the Law on the Use of Languages (domain.md 3.4).
LUL_DEBATE_PLACES = (
    "gracanice", "obiliq", "novoberde", "ranillug", "gjilan", "partesh", "kllokot", "shterpce",
    "kline", "peje", "istog", "vushtrri",
)  # fmt: skip
# Municipalities that held a second public hearing, and got a third infrastructure project.
SECOND_HEARING_PLACES = ("gjilan", "peje", "vushtrri", "gracanice", "mitrovice-e-veriut")
THIRD_PROJECT_PLACES = ("gjilan", "peje", "gracanice")

FARMER_TRAINING_PLACES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "dairy-processing": (
            "gracanice", "shterpce", "zubin-potok", "leposaviq", "istog", "kline", "vushtrri",
            "novoberde",
        ),
        "fruit-vegetable-processing": (
            "gjilan", "kllokot", "partesh", "ranillug", "peje", "obiliq", "vushtrri", "kline",
        ),
        "medicinal-aromatic-plants": (
            "shterpce", "zubin-potok", "leposaviq", "zvecan", "mitrovice-e-veriut", "peje",
            "istog", "gjilan",
        ),
    }
)  # fmt: skip
FARM_SECTORS: Mapping[str, tuple[tuple[str, float], ...]] = MappingProxyType(
    {
        "dairy-processing": ((Sector.DAIRY, 1.0),),
        "fruit-vegetable-processing": ((Sector.FRUIT_VEGETABLE, 0.6), (Sector.AGRICULTURE, 0.4)),
        "medicinal-aromatic-plants": ((Sector.MEDICINAL_PLANTS, 0.7), (Sector.BEEKEEPING, 0.3)),
    }
)
CLIENT_SECTORS: tuple[tuple[str, float], ...] = (
    (Sector.SERVICES, 0.35),
    (Sector.FURNITURE, 0.15),
    (Sector.WOOD_PROCESSING, 0.15),
    (Sector.AGRICULTURE, 0.15),
    (Sector.BEEKEEPING, 0.1),
    (Sector.FRUIT_VEGETABLE, 0.1),
)
FARM_LIKE_SECTORS = frozenset({Sector.AGRICULTURE, Sector.BEEKEEPING, Sector.MEDICINAL_PLANTS})
# Sectors of the 16 business grants: "mainly agriculture, wood processing, furniture, bee-keeping".
GRANT_SECTORS: tuple[tuple[str, int], ...] = (
    (Sector.AGRICULTURE, 5),
    (Sector.WOOD_PROCESSING, 3),
    (Sector.FURNITURE, 3),
    (Sector.BEEKEEPING, 3),
    (Sector.DAIRY, 1),
    (Sector.FRUIT_VEGETABLE, 1),
)
GRANT_PURPOSE = texts.Wording(
    "Blerja e pajisjeve për zgjerimin e prodhimit dhe punësimin e punëtorëve të rinj.",
    "Nabavka opreme za proširenje proizvodnje i zapošljavanje novih radnika.",
)

# How names were written on sign-in sheets.
CYRILLIC_SHARE = 0.15  # of Serb names
ASCII_SHARE = 0.10  # of all names: typed without diacritics
SECOND_RECORD_SHARE = 0.12
"""Of attendees who come back to another activity, the share whom that activity's sheet
registered as a new person record, their name written another way (Cyrillic or Latin, the other
community's orthography, without diacritics, family name first). Identity resolution merges
these records again, so the unique-person figures come out of it."""
# How much of a person is known.
BIRTH_DATE_SHARE, BIRTH_YEAR_SHARE = 0.82, 0.11  # the rest: no birth data at all
PREFER_NOT_TO_SAY_SHARE, NO_COMMUNITY_SHARE = 0.02, 0.03
UNKNOWN_SEX_SHARE = 0.015  # of citizens on debate, hearing and joint-activity rosters

REQUIRED_COMMUNITIES = frozenset(
    code for mix in COMMUNITY_MIX.values() for code, _weight in mix
) | {"prefer-not-to-say"}
REQUIRED_COMPONENTS = frozenset({"communication", "economic", "municipal", "local-partners"})
REQUIRED_TOPICS = frozenset(
    {
        "law-on-use-of-languages", "municipal-budget", "municipal-regulations",
        "community-rights", "management", "property-tax", "business-development",
        "infrastructure", *FARMER_TRAINING_PLACES,
    }
)  # fmt: skip

MODULE_SIZE = 30
"""Most trainees one management or property-tax session takes; larger groups are split."""


class DemoDataError(Exception):
    """The demo data cannot be written; the message says why and what to do."""


@dataclass(frozen=True)
class DemoSummary:
    """What a run wrote, for the command to report."""

    seed: int
    counts: Mapping[str, int]
    replaced: Mapping[str, int]
    digest: str
    linkage: Mapping[str, int]
    """What resolving the demo's person records did (:func:`registry_link`)."""


# --- Finding demo records ---------------------------------------------------------------------


def _demo_plan_titles() -> list[str]:
    titles = []
    for municipality in Municipality.objects.select_related("majority_community"):
        for first, last in ((2015, 2017), (2017, 2019)):
            titles.append(texts.say(texts.PLAN, municipality, first=first, last=last))
    return titles


def demo_querysets() -> dict[str, models.QuerySet]:
    """The demo records of each kind, found by their marks (roster rows go with activities)."""
    return {
        "activities": Activity.objects.filter(description__startswith=DEMO_NOTE),
        "grants": Grant.objects.filter(reference__startswith=DEMO_CODE_PREFIX),
        "projects": InfrastructureProject.objects.filter(code__startswith=DEMO_CODE_PREFIX),
        "plans": CapacityDevelopmentPlan.objects.filter(title__in=_demo_plan_titles()),
        "persons": Person.objects.filter(uid__startswith=DEMO_UID_PREFIX),
        "organizations": Organization.objects.filter(
            registration_number__startswith=DEMO_CODE_PREFIX
        ),
    }


_ALL_RECORDS: Mapping[str, type[models.Model]] = MappingProxyType(
    {
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
    from akt.linkage.models import PersonMerge, ReviewPair

    querysets = demo_querysets()
    deleted: dict[str, int] = {}
    # Linkage state about demo persons (merges, pairs under review) goes with them.
    persons = querysets["persons"]
    ReviewPair.objects.filter(Q(person_a__in=persons) | Q(person_b__in=persons)).delete()
    PersonMerge.objects.filter(survivor__in=persons).delete()
    persons.update(identity=None)
    for name in ("activities", "grants", "projects", "plans", "persons", "organizations"):
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


# --- Generating -------------------------------------------------------------------------------


def demo_generate(*, seed: int = DEFAULT_SEED, replace: bool = False) -> DemoSummary:
    """Write the demo dataset in one transaction and return what was written.

    Refuses (:class:`DemoDataError`) when reference data is missing, when program records exist
    and ``replace`` is false, and, with ``replace``, when records exist that demo-data did not
    create: demo records must never be mixed with real ones, whose figures they would distort.
    """
    with transaction.atomic():
        existing = program_record_counts()
        if any(existing.values()):
            if not replace:
                raise DemoDataError(
                    _(
                        "The database already holds program records (%(summary)s). Run "
                        "`akt demo-data --replace` to replace earlier demo data."
                    )
                    % {"summary": _describe(existing)}
                )
            foreign = foreign_record_counts()
            if any(foreign.values()):
                raise DemoDataError(
                    _(
                        "The database holds records that demo-data did not create "
                        "(%(summary)s); demo data is only written to a database without them. "
                        "Use a fresh database for the demo."
                    )
                    % {"summary": _describe(foreign)}
                )
        replaced = demo_wipe() if replace else {}
        builder = _DemoBuilder(seed)
        builder.build()
        counts = builder.save()
        # The sheets registered some returning attendees twice; resolving identities merges
        # them, as an M&E officer's batch run would, and queues the doubtful pairs for review.
        linkage = registry_link(actor=None)
        program = Program.objects.order_by("start_date").first()
        audit_record(
            actor=None,
            action="demo_data.generate",
            target=program,
            summary=f"Demo data generated with seed {seed}",
            changes={"seed": seed, "created": counts, "replaced": replaced, "linkage": linkage},
        )
    return DemoSummary(
        seed=seed, counts=counts, replaced=replaced, digest=demo_digest(), linkage=linkage
    )


def _describe(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name}: {count}" for name, count in counts.items() if count)


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


# Kosovo's fixed-date public holidays (month, day): New Year, Orthodox Christmas, Independence
# Day, Constitution Day, Labour Day, Europe Day, Catholic Christmas.
PUBLIC_HOLIDAYS = frozenset({(1, 1), (1, 2), (1, 7), (2, 17), (4, 9), (5, 1), (5, 9), (12, 25)})


def _workday(day: date) -> date:
    """Meetings and trainings fall on working days.

    A weekend day moves back into the week before it, to Monday through Friday in turn (by the
    date itself, so no day of the week piles up); a public holiday moves to the next working day.
    """
    if day.weekday() >= 5:
        day -= timedelta(days=day.weekday() - 4 + day.toordinal() % 5)
    while day.weekday() >= 5 or (day.month, day.day) in PUBLIC_HOLIDAYS:
        day += timedelta(days=1)
    return day


def allocate(
    total: int, weights: Sequence[float], *, low: int = 0, high: int | None = None
) -> list[int]:
    """Split ``total`` into integers proportional to ``weights``, each within [low, high].

    Largest remainders, so the parts always add up to ``total`` exactly: this is how every
    target is distributed over its records. Raises ValueError when no split fits the bounds.
    """
    count = len(weights)
    cap = total if high is None else high
    if count == 0 or not count * low <= total <= count * cap:
        raise ValueError(f"cannot split {total} into {count} parts within [{low}, {cap}]")
    sizes = [low] * count
    rest = total - count * low
    while rest > 0:
        room = [i for i in range(count) if sizes[i] < cap]
        weight = sum(weights[i] for i in room)
        shares = {i: rest * weights[i] / weight for i in room}
        added = 0
        for i in room:
            step = min(int(shares[i]), cap - sizes[i])
            sizes[i] += step
            added += step
        if added == 0:  # only fractions left: hand out single units, largest fraction first
            for i in sorted(room, key=lambda i: (-(shares[i] % 1), i)):
                if added == rest:
                    break
                sizes[i] += 1
                added += 1
        rest -= added
    return sizes


class _DemoBuilder:
    """Builds the demo records in memory, block by block, then saves them in bulk.

    Blocks run in a fixed order because later ones reuse people of earlier ones (MOCR members
    and finance officers who also attend management training, debate participants who come to
    a hearing); the random generator is consumed in that order, so a seed gives one dataset.
    """

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.places = {
            m.code: m
            for m in Municipality.objects.partners()
            .select_related("majority_community")
            .order_by("code")
        }
        self.communities = {c.code: c for c in Community.objects.all()}
        self.components = {c.code: c for c in Component.objects.all()}
        self.topics = {t.code: t for t in Topic.objects.all()}
        complete = (
            set(self.places) == set(COMMUNITY_MIX)
            and REQUIRED_COMMUNITIES <= set(self.communities)
            and REQUIRED_COMPONENTS <= set(self.components)
            and REQUIRED_TOPICS <= set(self.topics)
            and Program.objects.exists()
        )
        if not complete:
            raise DemoDataError(
                _("Reference data is missing. Run `akt load-reference` first, then try again.")
            )
        self.neighbours = {
            code: tuple(other for other in region if other != code)
            for region in REGIONS
            for code in region
        }
        self.organizations: list[Organization] = []
        self.persons: list[Person] = []
        # (given, family, sex, municipality code) -> whether every such person has a full date.
        self._names_used: dict[tuple[str, str, str, str], bool] = {}
        self.projects: list[InfrastructureProject] = []
        self.activities: list[Activity] = []
        self.activity_topics: list[tuple[Activity, Topic]] = []
        self.attendances: list[Attendance] = []
        self.tallies: list[Tally] = []
        self.grants: list[Grant] = []
        self.plans: list[CapacityDevelopmentPlan] = []
        self.actions: list[PlanAction] = []
        self._rostered: set[tuple[int, int]] = set()
        # Second records of returning attendees come from a generator of their own, so the
        # rest of the dataset is the same whether or not they are made.
        self.sheet_rng = random.Random(seed + 1)
        self._attended: set[int] = set()
        self._second_records: dict[int, Person] = {}
        self._org_names: set[tuple[str, str]] = set()
        self._offices: dict[tuple[str, str], Organization] = {}
        # People of earlier blocks whom later blocks invite again, by municipality code.
        self.members: dict[str, list[Person]] = defaultdict(list)
        self.finance_officers: dict[str, list[Person]] = defaultdict(list)
        self.employees: dict[str, list[Person]] = defaultdict(list)
        self.debaters: dict[str, list[Person]] = defaultdict(list)
        self.farmers: dict[str, list[Person]] = defaultdict(list)
        self.client_organizations: list[Organization] = []

    # -- small helpers ------------------------------------------------------------------------

    def _date(self, first: date, last: date) -> date:
        return first + timedelta(days=self.rng.randrange((last - first).days + 1))

    def _weighted(self, options: Sequence[tuple[str, float]]) -> str:
        values, weights = zip(*options, strict=True)
        return self.rng.choices(values, weights=weights)[0]

    def _place_list(self) -> list[Municipality]:
        return list(self.places.values())

    def _majority(self, place: Municipality) -> str:
        return COMMUNITY_MIX[place.code][0][0]

    def _minorities(self, place: Municipality) -> tuple[tuple[str, float], ...]:
        return COMMUNITY_MIX[place.code][1:]

    def _background(self, place: Municipality, minority_boost: float = 1.0) -> str:
        """The community a participant comes from, given where the activity is held."""
        majority, *rest = COMMUNITY_MIX[place.code]
        return self._weighted([(majority[0], majority[1] / minority_boost), *rest])

    def _residence(self, place: Municipality) -> Municipality:
        neighbours = self.neighbours.get(place.code, ())
        if neighbours and self.rng.random() < 0.07:
            return self.places[self.rng.choice(neighbours)]
        return place

    def _birth(self, on: date, age: int, mode: str) -> tuple[date | None, int | None]:
        """Birth data giving exactly ``age`` on ``on`` by the engine's rule (``age_on``)."""
        if mode == "none":
            return None, None
        if mode == "year":
            year = on.year - age - (1 if (on.month, on.day) < ASSUMED_BIRTHDAY else 0)
            assert age_on(on, birth_year=year) == age
            return None, year
        latest = _years_before(on, age)
        earliest = _years_before(on, age + 1) + timedelta(days=1)
        born = self._date(earliest, latest)
        assert age_on(on, birth_date=born) == age
        return born, None

    def _birth_mode(self) -> str:
        roll = self.rng.random()
        if roll < BIRTH_DATE_SHARE:
            return "date"
        return "year" if roll < BIRTH_DATE_SHARE + BIRTH_YEAR_SHARE else "none"

    def _names(self, background: str, sex: str) -> tuple[str, str]:
        pool = pool_for(background)
        if sex == Sex.MALE:
            given_names = pool.male
        elif sex == Sex.FEMALE:
            given_names = pool.female
        else:
            given_names = self.rng.choice((pool.male, pool.female))
        return self.rng.choice(given_names), self.rng.choice(pool.family)

    def _written(self, given: str, family: str, background: str) -> tuple[str, str]:
        """The name as the sign-in sheet had it: Cyrillic, without diacritics, or as given."""
        roll = self.rng.random()
        if background in ("serb", "montenegrin") and roll < CYRILLIC_SHARE:
            return latin_to_cyrillic(given), latin_to_cyrillic(family)
        if roll >= 1 - ASCII_SHARE:
            return ascii_fold(given), ascii_fold(family)
        return given, family

    def _person(
        self,
        place: Municipality,
        *,
        on: date,
        ages: tuple[int, int],
        affiliation: str = "",
        organization: Organization | None = None,
        sex: str | None = None,
        male_share: float = 0.5,
        background: str | None = None,
        declared: bool = False,
        birth: str | None = None,
        born: tuple[date | None, int | None] | None = None,
        names: tuple[str, str] | None = None,
        home: Municipality | None = None,
    ) -> Person:
        """A new participant of an activity in ``place`` on ``on``, aged within ``ages``.

        ``declared`` forces the community onto the record (no "prefer not to say", no gap);
        ``born`` sets the birth data outright, ``birth`` only its kind ("date", "year", "none").
        """
        background = background or self._background(place)
        if sex is None:
            sex = Sex.MALE if self.rng.random() < male_share else Sex.FEMALE
        community: Community | None = self.communities[background]
        roll = self.rng.random()
        if not declared and roll < PREFER_NOT_TO_SAY_SHARE:
            community = self.communities["prefer-not-to-say"]
        elif not declared and roll < PREFER_NOT_TO_SAY_SHARE + NO_COMMUNITY_SHARE:
            community = None
        if born is None:
            age = self.rng.randint(*ages)
            born = self._birth(on, age, birth or self._birth_mode())
        municipality = home or self._residence(place)
        drawn = names or self._names(background, sex)
        while names is None and self._namesake(drawn, sex, municipality, dated=bool(born[0])):
            drawn = self._names(background, sex)
        key = (*drawn, sex, municipality.code)
        self._names_used[key] = self._names_used.get(key, True) and bool(born[0])
        given, family = self._written(*drawn, background)
        consent = (
            ConsentBasis.CONSENT
            if community is not None and self.rng.random() < 0.9
            else ConsentBasis.NOT_RECORDED
        )
        person = Person(
            uid=uuid.UUID(DEMO_UID_PREFIX + f"{self.rng.getrandbits(96):024x}"),
            given_name=given,
            family_name=family,
            sex=sex,
            birth_date=born[0],
            birth_year=born[1],
            community=community,
            community_consent=consent,
            municipality=municipality,
            affiliation=affiliation,
            organization=organization,
        )
        self.persons.append(person)
        return person

    def _namesake(
        self, names: tuple[str, str], sex: str, municipality: Municipality, *, dated: bool
    ) -> bool:
        """Whether a new person of these names would be a namesake the demo must not have: one
        of the same sex and municipality where either lacks a full birth date.

        Two such records are one person as far as any linker can tell (the model, weighing the
        names by how common they are across Kosovo, merges them), while the demo counts them
        as two: its figures would then depend on a merge it did not intend. Namesakes with two
        full birth dates stay (the dates tell them apart).
        """
        all_dated = self._names_used.get((*names, sex, municipality.code))
        return all_dated is not None and not (dated and all_dated)

    def _organization(
        self, place: Municipality, *, kind: str, name: str, sector: str = ""
    ) -> Organization:
        self._org_names.add((place.code, name))
        organization = Organization(
            name=name,
            kind=kind,
            sector=sector,
            municipality=place,
            registration_number=f"{DEMO_CODE_PREFIX}{len(self.organizations) + 1:05d}",
        )
        self.organizations.append(organization)
        return organization

    def _office(self, place: Municipality, which: str) -> Organization:
        """The municipality's administration, MOCR, finance directorate or committee."""
        key = (place.code, which)
        if key not in self._offices:
            if which == "administration":
                name, kind = texts.administration_name(place), OrganizationKind.MUNICIPAL_OFFICE
            elif which == "committee":
                name = texts.say(texts.COMMUNITIES_COMMITTEE, place)
                kind = OrganizationKind.ASSEMBLY_COMMITTEE
            else:
                wording = texts.MOCR_OFFICE if which == "mocr" else texts.FINANCE_OFFICE
                name, kind = texts.say(wording, place), OrganizationKind.MUNICIPAL_OFFICE
            self._offices[key] = self._organization(
                place, kind=kind, name=name, sector=Sector.PUBLIC
            )
        return self._offices[key]

    def _business(
        self, place: Municipality, *, sector: str, owner: tuple[str, str], kind: str | None = None
    ) -> Organization:
        """A farm or business named after its owner, unique in its municipality."""
        given, family = owner
        template = texts.FARM_NAMES[sector]
        options = (template.sr if texts.serb_majority(place) else template.sq).split("|")
        self.rng.shuffle(options)
        candidates = [option.format(given=given, family=family) for option in options]
        candidates += [f"{candidates[0]} {number}" for number in range(2, 50)]
        name = next(c for c in candidates if (place.code, c) not in self._org_names)
        if kind is None:
            kind = (
                OrganizationKind.FARM if sector in FARM_LIKE_SECTORS else OrganizationKind.BUSINESS
            )
        return self._organization(place, kind=kind, name=name, sector=sector)

    def _venue(self, place: Municipality, *, outdoor: bool = False) -> str:
        wording = texts.OUTDOOR_VENUES if outdoor else texts.VENUES
        return self.rng.choice(texts.say(wording, place).split("|"))

    def _activity(
        self,
        kind: str,
        place: Municipality,
        title: str,
        start: date,
        *,
        component: str,
        topics: Iterable[str] = (),
        days: int = 1,
        project: InfrastructureProject | None = None,
        outdoor: bool = False,
    ) -> Activity:
        activity = Activity(
            title=title[:200],
            kind=kind,
            component=self.components[component],
            municipality=place,
            start_date=start,
            end_date=start + timedelta(days=days - 1),
            venue=self._venue(place, outdoor=outdoor),
            description=DEMO_NOTE,
            project=project,
        )
        assert PROGRAM_START <= activity.start_date <= activity.end_date <= PROGRAM_END
        self.activities.append(activity)
        for code in topics:
            self.activity_topics.append((activity, self.topics[code]))
        return activity

    def _attend(self, activity: Activity, person: Person) -> None:
        """Put ``person`` on the roster, once; they attend for their organization, if any."""
        key = (id(activity), id(person))
        if key not in self._rostered:
            self._rostered.add(key)
            self.attendances.append(
                Attendance(
                    activity=activity,
                    person=self._sheet_record(person),
                    organization=person.organization,
                )
            )

    def _sheet_record(self, person: Person) -> Person:
        """The person record a sign-in sheet's row went to.

        Usually the person's own record. Sometimes the clerk of a later activity did not find a
        returning attendee and registered them again, their name written another way: that
        second record is one person with the first, which identity resolution has to find. Only
        people with a full birth date get one: with a year or nothing, two records of a name
        are rightly left for an officer's review, and the demo's figures are what resolution
        alone gives. The second record keeps the birth date, sex, community, affiliation and
        municipality, so the figures split the same way whichever record a row went to.
        """
        if id(person) not in self._attended:
            self._attended.add(id(person))
            return person
        second = self._second_records.get(id(person))
        if second is not None:
            return self.sheet_rng.choice((person, second))
        if person.birth_date is None or self.sheet_rng.random() >= SECOND_RECORD_SHARE:
            return person
        given, family = self._rewritten(person)
        second = Person(
            uid=uuid.UUID(DEMO_UID_PREFIX + f"{self.sheet_rng.getrandbits(96):024x}"),
            given_name=given,
            family_name=family,
            sex=person.sex,
            birth_date=person.birth_date,
            birth_year=person.birth_year,
            community=person.community,
            community_consent=person.community_consent,
            municipality=person.municipality,
            affiliation=person.affiliation,
            organization=person.organization,
        )
        self.persons.append(second)
        self._second_records[id(person)] = second
        return second

    def _rewritten(self, person: Person) -> tuple[str, str]:
        """The name as another clerk wrote it (never exactly as the first record has it)."""
        given, family = person.given_name, person.family_name
        latin_given, latin_family = cyrillic_to_latin(given), cyrillic_to_latin(family)
        serbian = person.community_id is not None and person.community.code in (
            "serb",
            "montenegrin",
        )
        options = [
            (family.upper(), given),  # "PETROVIĆ Jovan": family name first, in capitals
            (ascii_fold(latin_given), ascii_fold(latin_family)),
        ]
        if (latin_given, latin_family) != (given, family):  # written in Cyrillic
            options.append((latin_given, latin_family))
        elif serbian:
            options += [(latin_to_cyrillic(given), latin_to_cyrillic(family))] * 2
            options.append((serbian_to_albanian(given), serbian_to_albanian(family)))
        else:
            options.append((albanian_to_serbian(given), albanian_to_serbian(family)))
            options.append(
                (
                    latin_to_cyrillic(albanian_to_serbian(given)),
                    latin_to_cyrillic(albanian_to_serbian(family)),
                )
            )
        options = [option for option in options if option != (given, family)]
        return self.sheet_rng.choice(options)

    def _tally(
        self,
        activity: Activity,
        place: Municipality,
        total: int,
        *,
        children: bool,
        majority_share: float,
    ) -> None:
        """Headcounts of ``total`` people by sex x community x age band, at least two communities.

        Some events could not tell every cell: a few heads go to an unknown sex, community or age
        band, as paper counts at a busy event do.
        """
        rng = self.rng
        unknown = rng.random() < 0.35
        female = rng.uniform(0.42, 0.55)
        sexes = [(Sex.FEMALE, female), (Sex.MALE, 1 - female)]
        if unknown:
            sexes.append(("", rng.uniform(0.02, 0.06)))
        majority = self._majority(place)
        minorities = self._minorities(place)
        minority_weight = sum(weight for _code, weight in minorities)
        communities: list[tuple[str | None, float]] = [(majority, majority_share)]
        communities += [
            (code, (1 - majority_share) * weight / minority_weight) for code, weight in minorities
        ]
        if unknown:
            communities.append((None, rng.uniform(0.01, 0.05)))
        youth = rng.uniform(0.2, 0.35)
        child = rng.uniform(0.15, 0.3) if children else 0.0
        bands = [(AgeBand.YOUTH.value, youth), (AgeBand.ADULT.value, 1 - youth - child)]
        if children:
            bands.insert(0, (AgeBand.CHILD.value, child))
        if unknown and rng.random() < 0.5:
            bands.append(("", rng.uniform(0.02, 0.06)))
        cells = [
            (sex, community, band, s_weight * c_weight * b_weight)
            for sex, s_weight in sexes
            for community, c_weight in communities
            for band, b_weight in bands
        ]
        counts = allocate(total, [weight for *_cell, weight in cells])
        # An interethnic event has at least two communities in the count, even when small.
        declared = {cells[i][1] for i, n in enumerate(counts) if n and cells[i][1] is not None}
        if len(declared) < 2:
            minority_cell = next(i for i, cell in enumerate(cells) if cell[1] != majority)
            largest = max(range(len(counts)), key=counts.__getitem__)
            counts[largest] -= 1
            counts[minority_cell] += 1
        for (sex, community, band, _weight), headcount in zip(cells, counts, strict=True):
            if headcount:
                self.tallies.append(
                    Tally(
                        activity=activity,
                        sex=sex,
                        community=self.communities[community] if community else None,
                        age_band=band,
                        headcount=headcount,
                    )
                )

    def _citizens(
        self,
        activity: Activity,
        place: Municipality,
        count: int,
        *,
        minority_quota: int = 0,
        ages: tuple[int, int] = (17, 75),
    ) -> list[Person]:
        """``count`` new citizens on the roster, at least ``minority_quota`` of them from
        non-majority communities with their community on record.

        Participants come from the municipality's mix; only when the draw falls short of the
        quota are some replaced by non-majority participants, so a mixed municipality keeps its
        proportions and a homogeneous one still has a mixed event.
        """
        majority = self._majority(place)
        backgrounds = [self._background(place) for _repeat in range(count)]
        shortfall = minority_quota - sum(code != majority for code in backgrounds)
        for index in range(count):
            if shortfall <= 0:
                break
            if backgrounds[index] == majority:
                backgrounds[index] = self._weighted(self._minorities(place))
                shortfall -= 1
        declared = set(
            [i for i, code in enumerate(backgrounds) if code != majority][:minority_quota]
        )
        people = []
        for index, background in enumerate(backgrounds):
            affiliation = (
                Affiliation.CITIZEN if self.rng.random() < 0.7 else Affiliation.CIVIL_SOCIETY
            )
            person = self._person(
                place,
                on=activity.start_date,
                ages=ages,
                affiliation=affiliation,
                sex="" if self.rng.random() < UNKNOWN_SEX_SHARE else None,
                male_share=0.55,
                background=background,
                declared=index in declared,
            )
            self._attend(activity, person)
            people.append(person)
        return people

    # -- the blocks ---------------------------------------------------------------------------

    def build(self) -> None:
        self._community_workshops()
        self._property_tax_training()
        self._management_training()
        self._other_municipal_trainings()
        self._debates()
        self._hearings()
        self._infrastructure()
        self._farmer_trainings()
        self._business_services()
        self._grants()
        self._plans()
        self._meetings()

    def _community_workshops(self) -> None:
        """19 workshops on community rights: one in each municipality, three regional ones.

        317 MOCR staff and communities-committee members attend one or more; a deputy mayor or an
        NGO guest now and then sits in without counting (their affiliation is outside the filter).
        """
        places = self._place_list()
        regional = len(REGIONAL_WORKSHOPS)
        if TARGETS["community-workshops"] != len(places) + regional:
            raise ValueError("community-workshops: one per partner plus the regional workshops")
        sizes = allocate(
            TARGETS["community-members-empowered"], [SIZE[p.code] for p in places], low=12
        )
        local: dict[str, Activity] = {}
        for place in places:
            day = _workday(self._date(date(2014, 10, 1), date(2016, 6, 30)))
            local[place.code] = self._activity(
                ActivityKind.WORKSHOP,
                place,
                texts.say(texts.COMMUNITY_WORKSHOP, place),
                day,
                component="municipal",
                topics=["community-rights"],
            )
        regional_workshops: dict[str, Activity] = {}
        for host in REGIONAL_WORKSHOPS:
            place = self.places[host]
            day = _workday(self._date(date(2016, 7, 1), date(2016, 11, 30)))
            regional_workshops[host] = self._activity(
                ActivityKind.WORKSHOP,
                place,
                texts.say(texts.REGIONAL_COMMUNITY_WORKSHOP, place),
                day,
                days=2,
                component="municipal",
                topics=["community-rights"],
            )
        region_of = {code: host for host, codes in REGIONAL_WORKSHOPS.items() for code in codes}
        for place, size in zip(places, sizes, strict=True):
            workshop = local[place.code]
            in_region = regional_workshops.get(region_of.get(place.code, ""))
            mocr_count = round(size * 0.4)
            for index in range(size):
                affiliation, office = (
                    (Affiliation.MOCR_MEMBER, "mocr")
                    if index < mocr_count
                    else (Affiliation.COMMITTEE_MEMBER, "committee")
                )
                member = self._person(
                    place,
                    on=workshop.start_date,
                    ages=(25, 64),
                    affiliation=affiliation,
                    organization=self._office(place, office),
                    male_share=0.65,
                    background=self._background(place, minority_boost=2.5),
                    home=place,
                )
                self.members[place.code].append(member)
                goes_local = self.rng.random() < 0.85
                goes_regional = in_region is not None and self.rng.random() < 0.45
                if goes_regional:
                    self._attend(in_region, member)
                if goes_local or not goes_regional:  # everyone attends at least one
                    self._attend(workshop, member)
        for workshop in [*local.values(), *regional_workshops.values()]:
            place = workshop.municipality
            for _guest in range(self.rng.randint(0, 2)):
                if self.rng.random() < 0.5:
                    guest = self._person(
                        place,
                        on=workshop.start_date,
                        ages=(30, 62),
                        affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
                        organization=self._office(place, "administration"),
                    )
                else:
                    guest = self._person(
                        place,
                        on=workshop.start_date,
                        ages=(22, 60),
                        affiliation=Affiliation.CIVIL_SOCIETY,
                    )
                self._attend(workshop, guest)

    def _sessions(
        self,
        place: Municipality,
        people: list[Person],
        title: str,
        first_day: date,
        *,
        kind: str,
        component: str,
        topics: list[str],
        days: int = 1,
    ) -> list[Activity]:
        """One session per group of at most :data:`MODULE_SIZE`, a few days apart."""
        groups = max(1, math.ceil(len(people) / MODULE_SIZE))
        sessions = []
        for group in range(groups):
            day = _workday(min(first_day + timedelta(days=7 * group), LAST_EVENT - timedelta(5)))
            session = self._activity(
                kind, place, title, day, component=component, topics=topics, days=days
            )
            for person in people[group::groups]:
                self._attend(session, person)
            sessions.append(session)
        return sessions

    def _property_tax_training(self) -> None:
        """133 finance officers in two regional modules; cadastre staff attend without counting."""
        places = self._place_list()
        sizes = allocate(TARGETS["property-tax-trainees"], [SIZE[p.code] for p in places], low=4)
        officers_of = {}
        for place, size in zip(places, sizes, strict=True):
            officers_of[place.code] = [
                self._person(
                    place,
                    on=date(2015, 3, 1),
                    ages=(26, 62),
                    affiliation=Affiliation.FINANCE_OFFICER,
                    organization=self._office(place, "finance"),
                    male_share=0.55,
                    home=place,
                )
                for _repeat in range(size)
            ]
            self.finance_officers[place.code] = officers_of[place.code]
        for host_code, codes in PROPERTY_TAX_REGIONS.items():
            host = self.places[host_code]
            officers = [officer for code in codes for officer in officers_of[code]]
            first: list[Person] = []
            second: list[Person] = []
            for officer in officers:
                in_first = self.rng.random() < 0.9
                if in_first:
                    first.append(officer)
                if self.rng.random() < 0.6 or not in_first:
                    second.append(officer)
            for number, group, start, end in (
                (1, first, date(2015, 2, 2), date(2015, 5, 29)),
                (2, second, date(2015, 9, 1), date(2016, 4, 29)),
            ):
                title = texts.say(texts.PROPERTY_TAX_TRAINING, host, number=number)
                sessions = self._sessions(
                    host,
                    group,
                    title,
                    self._date(start, end),
                    kind=ActivityKind.TRAINING,
                    component="municipal",
                    topics=["property-tax"],
                    days=2,
                )
                for session in sessions:  # cadastre staff: municipal employees, not counted
                    for _repeat in range(self.rng.randint(1, 3)):
                        place = self.places[self.rng.choice(codes)]
                        self._attend(
                            session,
                            self._person(
                                place,
                                on=session.start_date,
                                ages=(28, 60),
                                affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
                                organization=self._office(place, "administration"),
                                home=place,
                            ),
                        )

    def _management_training(self) -> None:
        """1,244 municipal staff in five management modules per municipality.

        Each municipality's cohort mixes new faces with finance officers and MOCR staff met
        before; trainees take one to five modules. Assembly committee members and people whose
        affiliation was not written down sit in without counting.
        """
        places = self._place_list()
        quotas = allocate(
            TARGETS["management-trainees"], [SIZE[p.code] for p in places], low=30, high=200
        )
        modules = len(texts.MANAGEMENT_MODULES)
        for place, quota in zip(places, quotas, strict=True):
            officers = self.finance_officers[place.code]
            mocr = [m for m in self.members[place.code] if m.affiliation == Affiliation.MOCR_MEMBER]
            reused = self.rng.sample(officers, len(officers) // 2) + self.rng.sample(
                mocr, len(mocr) // 2
            )
            start = self._date(date(2015, 1, 12), date(2016, 2, 26))
            fresh = [
                self._person(
                    place,
                    on=start,
                    ages=(23, 62),
                    affiliation=Affiliation.MUNICIPAL_EMPLOYEE,
                    organization=self._office(place, "administration"),
                    male_share=0.52,
                    home=place,
                )
                for _repeat in range(quota - len(reused))
            ]
            self.employees[place.code] = fresh
            trainees = reused + fresh
            self.rng.shuffle(trainees)
            by_module: list[list[Person]] = [[] for _repeat in range(modules)]
            for trainee in trainees:
                taken = self.rng.choices([1, 2, 3, 4, 5], weights=[15, 25, 30, 20, 10])[0]
                for module in sorted(self.rng.sample(range(modules), taken)):
                    by_module[module].append(trainee)
            committee = [
                m for m in self.members[place.code] if m.affiliation == Affiliation.COMMITTEE_MEMBER
            ]
            outsiders = self.rng.sample(committee, min(2, len(committee)))
            outsiders.append(
                self._person(place, on=start, ages=(25, 60), organization=None, home=place)
            )
            for person in outsiders:
                by_module[self.rng.randrange(modules)].append(person)
            for module, people in enumerate(by_module):
                if not people:
                    continue
                day = start + timedelta(days=module * self.rng.randint(35, 55))
                title = texts.say(
                    texts.MANAGEMENT_TRAINING,
                    place,
                    module=texts.say(texts.MANAGEMENT_MODULES[module], place),
                )
                self._sessions(
                    place,
                    people,
                    title,
                    day,
                    kind=ActivityKind.TRAINING,
                    component="municipal",
                    topics=["management"],
                    days=2,
                )

    def _other_municipal_trainings(self) -> None:
        """Trainings no indicator counts: budget drafting, and management for partner NGOs."""
        for code in ("gracanice", "vushtrri"):
            place = self.places[code]
            day = _workday(self._date(date(2015, 6, 1), date(2016, 9, 30)))
            session = self._activity(
                ActivityKind.TRAINING,
                place,
                texts.say(texts.BUDGET_TRAINING, place),
                day,
                component="municipal",
                topics=["municipal-budget"],
            )
            for person in self.finance_officers[code] + self.employees[code][:6]:
                self._attend(session, person)
            day = _workday(self._date(date(2015, 10, 1), date(2016, 10, 31)))
            session = self._activity(
                ActivityKind.TRAINING,
                place,
                texts.say(texts.CSO_MANAGEMENT_TRAINING, place),
                day,
                component="local-partners",
                topics=["management"],
                days=2,
            )
            for _repeat in range(self.rng.randint(12, 16)):
                self._attend(
                    session,
                    self._person(
                        place, on=day, ages=(22, 58), affiliation=Affiliation.CIVIL_SOCIETY
                    ),
                )

    def _debates(self) -> None:
        """12 public debates on the language law with 337 participants; two budget debates and a
        workshop on the language law that the debate indicators must not count."""
        if TARGETS["lul-debates"] != len(LUL_DEBATE_PLACES):
            raise ValueError("lul-debates: one debate per municipality of the language project")
        sizes = allocate(
            TARGETS["lul-debate-participants"],
            [self.rng.uniform(0.6, 1.4) for _repeat in LUL_DEBATE_PLACES],
            low=18,
            high=48,
        )
        counted_by_headcount = max(range(len(sizes)), key=sizes.__getitem__)
        for index, (code, size) in enumerate(zip(LUL_DEBATE_PLACES, sizes, strict=True)):
            place = self.places[code]
            day = _workday(self._date(date(2015, 4, 1), date(2016, 6, 30)))
            debate = self._activity(
                ActivityKind.PUBLIC_DEBATE,
                place,
                texts.say(texts.LUL_DEBATE, place),
                day,
                component="communication",
                topics=["law-on-use-of-languages"],
            )
            if index == counted_by_headcount:
                self._tally(debate, place, size, children=False, majority_share=0.6)
                continue
            invited = self.rng.sample(self.members[code], min(3, len(self.members[code])))
            invited += self.rng.sample(self.employees[code], 2)
            for person in invited:
                self._attend(debate, person)
            quota = max(2, round(size * 0.2))
            self.debaters[code] = self._citizens(
                debate, place, size - len(invited), minority_quota=quota
            )
        for code in ("zvecan", "leposaviq"):
            place = self.places[code]
            day = _workday(self._date(date(2015, 9, 1), date(2016, 10, 31)))
            title = texts.say(texts.BUDGET_DEBATE, place, year=day.year + 1)
            debate = self._activity(
                ActivityKind.PUBLIC_DEBATE,
                place,
                title,
                day,
                component="communication",
                topics=["municipal-budget"],
            )
            self._citizens(debate, place, self.rng.randint(15, 25), minority_quota=1)
        place = self.places["gjilan"]
        day = _workday(self._date(date(2016, 9, 1), date(2016, 11, 30)))
        workshop = self._activity(
            ActivityKind.WORKSHOP,
            place,
            texts.say(texts.LUL_GUIDE_WORKSHOP, place),
            day,
            component="communication",
            topics=["law-on-use-of-languages"],
        )
        for code in REGIONS[1]:
            for person in self.members[code][:2] + self.employees[code][:2]:
                self._attend(workshop, person)

    def _hearings(self) -> None:
        """21 public hearings with 830 citizens of mixed ethnicities.

        Every municipality held one on its draft budget, five a second on a regulation. The five
        largest were counted by headcount; on the others, a quota of non-majority participants
        on record makes each hearing mixed by construction, not by luck.
        """
        places = self._place_list()
        seconds = SECOND_HEARING_PLACES[: TARGETS["public-hearings"] - len(places)]
        if len(places) + len(seconds) != TARGETS["public-hearings"]:
            raise ValueError("public-hearings: one per partner plus the second hearings")
        plan = [(place, "budget") for place in places]
        plan += [(self.places[code], "regulation") for code in seconds]
        sizes = allocate(
            TARGETS["public-hearing-participants"],
            [self.rng.uniform(0.5, 1.6) for _repeat in plan],
            low=18,
            high=85,
        )
        by_headcount = set(sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))[:5])
        for index, ((place, subject), size) in enumerate(zip(plan, sizes, strict=True)):
            if subject == "budget":
                year = self.rng.choice((2014, 2015, 2016))
                day = _workday(self._date(date(year, 10, 1), date(year, 11, 30)))
                title = texts.say(texts.BUDGET_HEARING, place, year=year + 1)
                topic = "municipal-budget"
            else:
                day = _workday(self._date(date(2015, 3, 1), date(2016, 12, 15)))
                title = texts.say(self.rng.choice(texts.REGULATION_HEARINGS), place)
                topic = "municipal-regulations"
            hearing = self._activity(
                ActivityKind.PUBLIC_HEARING,
                place,
                title,
                day,
                component="communication",
                topics=[topic],
            )
            if index in by_headcount:
                self._tally(
                    hearing,
                    place,
                    size,
                    children=False,
                    majority_share=self.rng.uniform(0.6, 0.85),
                )
                continue
            returning = self.debaters.get(place.code, [])
            returning = self.rng.sample(returning, min(len(returning), self.rng.randint(2, 6)))
            for person in returning:
                self._attend(hearing, person)
            quota = max(2, round(size * 0.1))
            self._citizens(hearing, place, size - len(returning), minority_quota=quota)

    def _infrastructure(self) -> None:
        """35 small projects, 33 completed; 20,623 people at their joint interethnic activities.

        Residents plan a project together, work on it together and open it together. Small
        gatherings keep a roster; sports days, festivals and openings are counted by headcount,
        and the headcounts take whatever the rosters leave of the target.
        """
        places = self._place_list()
        total = TARGETS["infrastructure-projects"] + PROJECTS_UNDER_WAY
        base, extra = divmod(total, len(places))
        if extra > len(THIRD_PROJECT_PLACES):
            raise ValueError("infrastructure-projects: too many projects for the plan")
        allotted = [base + (p.code in THIRD_PROJECT_PLACES[:extra]) for p in places]
        projects: list[InfrastructureProject] = []
        for place, count in zip(places, allotted, strict=True):
            for wording in self.rng.sample(texts.PROJECTS, count):
                start = self._date(date(2015, 3, 2), date(2016, 6, 30))
                completion = min(
                    start + timedelta(days=self.rng.randint(90, 270)), date(2017, 3, 31)
                )
                contribution = Decimal(self.rng.randrange(12_000, 55_000, 100))
                projects.append(
                    InfrastructureProject(
                        title=texts.say(wording, place),
                        component=self.components["communication"],
                        municipality=place,
                        status=ProjectStatus.COMPLETED,
                        start_date=start,
                        completion_date=completion,
                        currency=Currency.USD,
                        program_contribution=contribution,
                        municipal_contribution=(
                            contribution * Decimal(self.rng.randrange(10, 36)) / 100
                        ).quantize(Decimal("1.00")),
                    )
                )
        # The last two to start were still under way when the program closed.
        late = sorted(projects, key=lambda p: (p.start_date, p.title))[-PROJECTS_UNDER_WAY:]
        for project in late:
            project.status = ProjectStatus.UNDER_WAY
            project.start_date = self._date(date(2016, 11, 1), date(2017, 2, 15))
            project.completion_date = None
        projects.sort(key=lambda p: (p.start_date, p.title))
        for number, project in enumerate(projects, start=1):
            project.code = f"{DEMO_CODE_PREFIX}IP-{number:02d}"
        self.projects = projects

        rostered: list[tuple[Activity, int]] = []
        counted: list[tuple[Activity, float, bool]] = []  # activity, size weight, has children
        for project in projects:
            new = partial(self._joint_activity, project)
            if project.completion_date is None:
                kickoff = new(texts.JOINT_KICKOFF, project.start_date + timedelta(days=10))
                rostered.append((kickoff, self.rng.randint(15, 40)))
                continue
            if self.rng.random() < 0.4:
                day = max(
                    project.start_date - timedelta(days=self.rng.randint(20, 45)), date(2014, 9, 1)
                )
                rostered.append(
                    (new(texts.JOINT_PLANNING, _workday(day)), self.rng.randint(15, 45))
                )
            if self.rng.random() < 0.5:
                day = self._date(project.start_date, project.completion_date)
                volunteering = new(texts.JOINT_VOLUNTEERING, day, outdoor=True)
                if self.rng.random() < 0.3:
                    rostered.append((volunteering, self.rng.randint(20, 45)))
                else:
                    counted.append((volunteering, 0.6, False))
            opening = min(
                project.completion_date + timedelta(days=self.rng.randint(0, 10)), LAST_EVENT
            )
            counted.append((new(texts.JOINT_OPENING, opening, outdoor=True), 1.0, True))
            if self.rng.random() < 0.55:
                day = min(
                    project.completion_date + timedelta(days=self.rng.randint(10, 90)), LAST_EVENT
                )
                event = new(self.rng.choice(texts.JOINT_EVENTS), day, days=2, outdoor=True)
                counted.append((event, 2.2, True))
        roster_total = 0
        for activity, size in rostered:
            place = activity.municipality
            quota = round(size * self.rng.uniform(0.2, 0.35))
            self._citizens(activity, place, size, minority_quota=quota, ages=(15, 72))
            roster_total += size
        weights = [weight * self.rng.uniform(0.6, 1.4) for _event, weight, _young in counted]
        headcounts = allocate(
            TARGETS["joint-activity-participants"] - roster_total, weights, low=60, high=1500
        )
        for (activity, _weight, children), headcount in zip(counted, headcounts, strict=True):
            self._tally(
                activity,
                activity.municipality,
                headcount,
                children=children,
                majority_share=self.rng.uniform(0.55, 0.75),
            )

    def _joint_activity(
        self,
        project: InfrastructureProject,
        wording: texts.Wording,
        day: date,
        *,
        days: int = 1,
        outdoor: bool = False,
    ) -> Activity:
        """A joint interethnic activity of ``project``, held where the project is."""
        place = project.municipality
        return self._activity(
            ActivityKind.JOINT_ACTIVITY,
            place,
            texts.say(wording, place, project=project.title),
            day,
            component="communication",
            topics=["infrastructure"],
            project=project,
            days=days,
            outdoor=outdoor,
        )

    def _farmer_trainings(self) -> None:
        """194 farms and businesses trained on dairy, fruit and vegetables, medicinal plants.

        Each session brings new farms and some that came to an earlier one; a farm sends one
        person, sometimes two. Farmers with no registered farm and women's associations attend
        too and do not count: the indicator counts farms and businesses. Two marketing trainings
        for farmers fall outside the indicator's topics.
        """
        plan = [(topic, code) for topic, codes in FARMER_TRAINING_PLACES.items() for code in codes]
        dates = []
        for _repeat in plan:
            year = self.rng.choice((2015, 2016))
            dates.append(_workday(self._date(date(year, 3, 2), date(year, 11, 20))))
        order = sorted(range(len(plan)), key=lambda i: (dates[i], i))
        new_counts = allocate(
            TARGETS["farmers-businesses-trained"],
            [self.rng.uniform(0.7, 1.3) for _repeat in plan],
            low=5,
            high=12,
        )
        trained: dict[str, list[Organization]] = defaultdict(list)
        members: dict[int, list[Person]] = defaultdict(list)
        for index in order:
            topic, code = plan[index]
            place = self.places[code]
            day = dates[index]
            session = self._activity(
                ActivityKind.TRAINING,
                place,
                texts.say(texts.FARMER_TRAININGS[topic], place),
                day,
                component="economic",
                topics=[topic],
                days=2,
            )
            earlier = trained[code]
            returning = self.rng.sample(earlier, min(len(earlier), self.rng.randint(0, 2)))
            for farm in returning:
                self._attend(session, members[id(farm)][0])
            for _repeat in range(new_counts[index]):
                sector = self._weighted(FARM_SECTORS[topic])
                background = self._background(place)
                sex = Sex.MALE if self.rng.random() < 0.7 else Sex.FEMALE
                owner_names = self._names(background, sex)
                kind = (
                    OrganizationKind.BUSINESS if self.rng.random() < 0.25 else OrganizationKind.FARM
                )
                farm = self._business(place, sector=sector, owner=owner_names, kind=kind)
                affiliation = (
                    Affiliation.FARMER
                    if kind == OrganizationKind.FARM
                    else Affiliation.ENTREPRENEUR
                )
                owner = self._person(
                    place,
                    on=day,
                    ages=(22, 70),
                    affiliation=affiliation,
                    organization=farm,
                    sex=sex,
                    background=background,
                    names=owner_names,
                    home=place,
                )
                people = [owner]
                if self.rng.random() < 0.15:
                    people.append(
                        self._person(
                            place,
                            on=day,
                            ages=(18, 60),
                            affiliation=affiliation,
                            organization=farm,
                            background=background,
                            home=place,
                        )
                    )
                for person in people:
                    self._attend(session, person)
                members[id(farm)].extend(people)
                trained[code].append(farm)
                self.farmers[code].extend(people)
            for _repeat in range(self.rng.randint(0, 2)):
                if self.rng.random() < 0.5:
                    guest = self._person(
                        place, on=day, ages=(20, 70), affiliation=Affiliation.FARMER, home=place
                    )
                else:
                    names = texts.say(texts.ASSOCIATION_NAMES, place).split("|")
                    name = texts.say(texts.WOMENS_ASSOCIATION, place, name=self.rng.choice(names))
                    association = next(
                        (o for o in self.organizations if o.name == name), None
                    ) or self._organization(
                        place,
                        kind=OrganizationKind.CIVIL_SOCIETY,
                        name=name,
                        sector=Sector.AGRICULTURE,
                    )
                    guest = self._person(
                        place,
                        on=day,
                        ages=(25, 65),
                        affiliation=Affiliation.CIVIL_SOCIETY,
                        organization=association,
                        sex=Sex.FEMALE,
                        home=place,
                    )
                self._attend(session, guest)
        for code in ("gjilan", "shterpce"):
            place = self.places[code]
            day = _workday(self._date(date(2016, 11, 1), date(2017, 2, 28)))
            session = self._activity(
                ActivityKind.TRAINING,
                place,
                texts.say(texts.FARM_MARKETING_TRAINING, place),
                day,
                component="economic",
                topics=["business-development"],
            )
            for person in self.rng.sample(self.farmers[code], min(10, len(self.farmers[code]))):
                self._attend(session, person)

    def _business_services(self) -> None:
        """Business services and technical assistance: 243 women, 63 young people among them.

        The clients are composed to the targets: so many young women, young men and young people
        of unknown sex (the 63 youth), so many older women (with the young ones, the 243 women),
        older men and older people of unknown sex. "Young" is decided by the engine's rule on
        the date of the client's first session, and the edges are there on purpose: clients who
        were 29 at their first session and 30 at a later one (youth), clients who turned 30 just
        before their first (not youth), clients whose birth is unknown (never youth).
        """
        women, youth = TARGETS["women-business-services"], TARGETS["youth-business-services"]
        young_women = round(youth * 0.6)
        young_unknown = 1
        young_men = youth - young_women - young_unknown
        older_women = women - young_women
        older_men, older_unknown = 160, 5
        clients: list[tuple[str, str]] = (
            [(Sex.FEMALE, "young")] * (young_women - 2)
            + [(Sex.FEMALE, "turns-30")] * 2
            + [(Sex.MALE, "young")] * (young_men - 2)
            + [(Sex.MALE, "turns-30")] * 2
            + [("", "young")] * young_unknown
            + [(Sex.FEMALE, "older")] * (older_women - 13)
            + [(Sex.FEMALE, "just-30")] * 1
            + [(Sex.FEMALE, "unknown-birth")] * 12
            + [(Sex.MALE, "older")] * (older_men - 12)
            + [(Sex.MALE, "just-30")] * 2
            + [(Sex.MALE, "unknown-birth")] * 10
            + [("", "older")] * (older_unknown - 2)
            + [("", "unknown-birth")] * 2
        )
        self.rng.shuffle(clients)
        places = self._place_list()
        per_place = allocate(len(clients), [SIZE[p.code] for p in places], low=12)
        cursor = 0
        for place, count in zip(places, per_place, strict=True):
            mine = clients[cursor : cursor + count]
            cursor += count
            sessions_count = max(3, round(count * 1.7 / 9))
            distinct: set[date] = set()
            while len(distinct) < sessions_count:
                distinct.add(_workday(self._date(date(2015, 1, 12), date(2017, 3, 31))))
            days = sorted(distinct)
            sessions = []
            for day in days:
                if self.rng.random() < 0.6:
                    kind, wording = (
                        ActivityKind.BUSINESS_SERVICE,
                        self.rng.choice(texts.BUSINESS_SERVICES),
                    )
                else:
                    kind, wording = (
                        ActivityKind.TECHNICAL_ASSISTANCE,
                        self.rng.choice(texts.TECHNICAL_ASSISTANCE),
                    )
                sessions.append(
                    self._activity(
                        kind,
                        place,
                        texts.say(wording, place),
                        day,
                        component="economic",
                        topics=["business-development"],
                    )
                )
            uncovered = list(sessions)  # every session gets someone on its roster
            for sex, age_kind in mine:
                if age_kind == "turns-30":
                    chosen, born = self._turning_30(sessions)
                else:
                    taken = self.rng.choices([1, 2, 3], weights=[50, 33, 17])[0]
                    chosen = self.rng.sample(sessions, min(taken, len(sessions)))
                    if uncovered and uncovered[0] not in chosen:
                        chosen[0] = uncovered[0]
                    first = min(s.start_date for s in chosen)
                    born = self._client_birth(age_kind, first)
                uncovered = [s for s in uncovered if s not in chosen]
                client = self._client(place, sex, born, min(s.start_date for s in chosen))
                for session in chosen:
                    self._attend(session, client)

    def _client_birth(self, age_kind: str, first: date) -> tuple[date | None, int | None]:
        """Birth data making the client young or not by their age at their first session."""
        if age_kind in ("young", "older"):
            ages = (18, 29) if age_kind == "young" else (30, 64)
            mode = "year" if self.rng.random() < 0.12 else "date"
            return self._birth(first, self.rng.randint(*ages), mode)
        if age_kind == "just-30":  # turned 30 shortly before the first session: not young
            born = _years_before(self._date(first - timedelta(days=120), first), 30)
            assert age_on(first, birth_date=born) == 30
            return born, None
        return None, None

    def _turning_30(self, sessions: list[Activity]) -> tuple[list[Activity], tuple[date, None]]:
        """Two sessions and a birth date making the client 29 at the first and 30 at the second.

        Such a client is young: the indicator asks whether they were 15-29 on the date of a
        service, and they were at the first one.
        """
        pairs = list(zip(sessions, sessions[1:], strict=False))  # sessions are in date order
        self.rng.shuffle(pairs)
        for early, late in pairs:
            first, last = early.start_date, late.start_date
            after = max(first, last - timedelta(days=364))  # exclusive
            until = min(last, first + timedelta(days=364))
            days = [
                after + timedelta(days=n)
                for n in range(1, (until - after).days + 1)
                if (after + timedelta(days=n)).timetuple()[1:3] != (2, 29)
            ]
            if not days:
                continue
            born = _years_before(self.rng.choice(days), 30)
            assert age_on(first, birth_date=born) == 29
            assert age_on(last, birth_date=born) == 30
            return [early, late], (born, None)
        raise ValueError("no two business-service sessions less than two years apart")

    def _client(
        self, place: Municipality, sex: str, born: tuple[date | None, int | None], first: date
    ) -> Person:
        """A business-services client: an entrepreneur with a business, a farmer of a farm met
        in training, or someone planning a business."""
        roll = self.rng.random()
        background = self._background(place)
        names = self._names(background, sex or self.rng.choice((Sex.MALE, Sex.FEMALE)))
        farms = [
            o
            for o in {id(p.organization): p.organization for p in self.farmers[place.code]}.values()
            if o.kind == OrganizationKind.FARM
        ]
        if roll < 0.15 and farms:
            organization, affiliation = self.rng.choice(farms), Affiliation.FARMER
        elif roll < 0.7:
            sector = self._weighted(CLIENT_SECTORS)
            organization = self._business(place, sector=sector, owner=names)
            self.client_organizations.append(organization)
            affiliation = (
                Affiliation.FARMER
                if organization.kind == OrganizationKind.FARM
                else Affiliation.ENTREPRENEUR
            )
        else:
            organization, affiliation = None, Affiliation.ENTREPRENEUR
        return self._person(
            place,
            on=first,
            ages=(18, 64),
            affiliation=affiliation,
            organization=organization,
            sex=sex,
            background=background,
            born=born,
            names=names,
        )

    def _grants(self) -> None:
        """16 business grants worth $102,000, mostly agriculture, wood, furniture and bees.

        The amounts are multiples of $500 between $3,000 and $10,000 that add up to the target
        exactly; recipients are businesses and farms the program already worked with, spread
        over as many municipalities as the sectors allow.
        """
        sectors = [sector for sector, count in GRANT_SECTORS for _repeat in range(count)]
        if len(sectors) != TARGETS["business-grants"]:
            raise ValueError("business-grants: the sector plan does not add up to the target")
        step = Decimal(500)
        units = int(Decimal(TARGETS["business-grants-amount"]) / step)
        amounts = allocate(
            units, [self.rng.uniform(0.6, 1.4) for _repeat in sectors], low=6, high=20
        )
        candidates = self.client_organizations + [
            o
            for o in self.organizations
            if o.kind in (OrganizationKind.FARM, OrganizationKind.BUSINESS)
        ]
        chosen: list[Organization] = []
        used_places: set[str] = set()
        for sector in sectors:
            pool = [o for o in candidates if o.sector == sector and o not in chosen]
            fresh = [o for o in pool if o.municipality.code not in used_places]
            recipient = self.rng.choice(fresh or pool)
            chosen.append(recipient)
            used_places.add(recipient.municipality.code)
        awarded = sorted(
            _workday(self._date(date(2015, 7, 1), date(2016, 12, 20))) for _repeat in sectors
        )
        for number, (recipient, sector, units_, day) in enumerate(
            zip(chosen, sectors, amounts, awarded, strict=True), start=1
        ):
            self.grants.append(
                Grant(
                    reference=f"{DEMO_CODE_PREFIX}BG-{day.year}-{number:02d}",
                    recipient=recipient,
                    component=self.components["economic"],
                    municipality=recipient.municipality,
                    sector=sector,
                    amount=(step * units_).quantize(Decimal("1.00")),
                    currency=Currency.USD,
                    award_date=day,
                    purpose=texts.say(GRANT_PURPOSE, recipient.municipality),
                )
            )

    def _plans(self) -> None:
        """One adopted capacity development plan per municipality, with a few actions; one draft
        of the next plan, which the indicator must not count."""
        places = self._place_list()
        if len(places) != TARGETS["capacity-plans"]:
            raise ValueError("capacity-plans: one adopted plan per partner municipality")
        for place in places:
            plan = CapacityDevelopmentPlan(
                municipality=place,
                title=texts.say(texts.PLAN, place, first=2015, last=2017),
                status=PlanStatus.ADOPTED,
                adopted_on=_workday(self._date(date(2015, 2, 2), date(2015, 11, 27))),
                period_start=date(2015, 1, 1),
                period_end=date(2017, 12, 31),
            )
            self.plans.append(plan)
            for area, action in self.rng.sample(texts.PLAN_ACTIONS, self.rng.randint(2, 4)):
                due = self._date(date(2015, 9, 1), date(2017, 12, 31))
                status = (
                    ActionStatus.DONE
                    if due < date(2016, 9, 1)
                    else self.rng.choice((ActionStatus.IN_PROGRESS, ActionStatus.PLANNED))
                )
                self.actions.append(
                    PlanAction(
                        plan=plan,
                        title=texts.say(action, place),
                        area=texts.say(area, place),
                        status=status,
                        due_date=due,
                    )
                )
        place = self.places["zvecan"]
        self.plans.append(
            CapacityDevelopmentPlan(
                municipality=place,
                title=texts.say(texts.PLAN, place, first=2017, last=2019),
                status=PlanStatus.DRAFT,
                period_start=date(2017, 1, 1),
                period_end=date(2019, 12, 31),
            )
        )

    def _meetings(self) -> None:
        """Coordination and working-group meetings: the everyday work no indicator counts."""
        for place in self._place_list():
            for _repeat in range(2):
                day = _workday(self._date(date(2014, 6, 2), date(2017, 3, 31)))
                meeting = self._activity(
                    ActivityKind.MEETING,
                    place,
                    texts.say(texts.COORDINATION_MEETING, place),
                    day,
                    component="municipal",
                )
                staff = self.employees[place.code]
                for person in self.rng.sample(staff, min(len(staff), self.rng.randint(4, 8))):
                    self._attend(meeting, person)
        for code in ("novoberde", "shterpce", "mitrovice-e-veriut", "obiliq"):
            place = self.places[code]
            day = _workday(self._date(date(2015, 1, 5), date(2017, 2, 28)))
            meeting = self._activity(
                ActivityKind.MEETING,
                place,
                texts.say(texts.WORKING_GROUP_MEETING, place),
                day,
                component="communication",
            )
            people = self.members[code][:4] + self.employees[code][:4]
            for person in people:
                self._attend(meeting, person)

    # -- saving -------------------------------------------------------------------------------

    def save(self) -> dict[str, int]:
        """Validate every record's fields and write them in bulk, parents before children."""
        groups: list[Sequence[models.Model]] = [
            self.organizations,
            self.persons,
            self.projects,
            self.activities,
            self.attendances,
            self.tallies,
            self.grants,
            self.plans,
            self.actions,
        ]
        for group in groups:
            for record in group:
                record.clean_fields(
                    exclude=[f.name for f in record._meta.fields if f.is_relation or f.primary_key]
                )
        for person in self.persons:
            person.clean()
        cells = [(id(t.activity), t.sex, t.community_id, t.age_band) for t in self.tallies]
        assert len(cells) == len(set(cells)), "a tally cell is repeated"

        Organization.objects.bulk_create(self.organizations)
        Person.objects.bulk_create(self.persons)
        InfrastructureProject.objects.bulk_create(self.projects)
        Activity.objects.bulk_create(self.activities)
        through = Activity.topics.through
        through.objects.bulk_create(
            [through(activity_id=a.pk, topic_id=t.pk) for a, t in self.activity_topics]
        )
        Attendance.objects.bulk_create(self.attendances, batch_size=5000)
        Tally.objects.bulk_create(self.tallies, batch_size=5000)
        Grant.objects.bulk_create(self.grants)
        CapacityDevelopmentPlan.objects.bulk_create(self.plans)
        PlanAction.objects.bulk_create(self.actions)
        return {
            "organizations": len(self.organizations),
            "persons": len(self.persons),
            "projects": len(self.projects),
            "activities": len(self.activities),
            "attendances": len(self.attendances),
            "tallies": len(self.tallies),
            "grants": len(self.grants),
            "plans": len(self.plans),
            "plan_actions": len(self.actions),
        }
