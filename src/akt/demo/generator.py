"""A deterministic demo dataset whose results are the program's published "Results to date".

The demo exists so that a visitor sees the system doing what it was built for: the figures of
the program brief (12 debates with 337 participants, 1,244 municipal employees trained, ...)
computed by the indicator engine from individual records, with every number open to the
records behind it. So the data is built to the targets, block by block, rather than drawn at
random and tweaked: each block partitions its target exactly (participants over debates, trainees
over municipalities) and adds records that no indicator counts (coordination meetings, a
debate on another topic, trainees whose affiliation is outside the filter), so the filters have
something to filter.

Here: :func:`demo_generate`, which writes the dataset in one transaction, and the builder that
runs the blocks in order, with the blocks of the economic component and the meetings. The plan
the data is built to is in :mod:`akt.demo.plan`, what makes one record look real in
:mod:`akt.demo.makers`, the municipal and communication blocks in :mod:`akt.demo.municipal` and
:mod:`akt.demo.communication`, and finding, wiping and fingerprinting demo records in
:mod:`akt.demo.records`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models, transaction
from django.utils.translation import gettext as _

from akt.accounts.services import audit_record
from akt.activities.models import Activity, ActivityKind, Attendance, Tally
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.counting.engine import age_on
from akt.demo import texts
from akt.demo.capacity_workflow import capacity_workflow_populate
from akt.demo.communication import _CommunicationBlocks
from akt.demo.evidence import evidence_populate
from akt.demo.grants_workflow import grants_workflow_populate
from akt.demo.infrastructure_workflow import infrastructure_workflow_populate
from akt.demo.makers import DemoDataError, _workday, _years_before, allocate
from akt.demo.municipal import _MunicipalBlocks
from akt.demo.outcomes import outcomes_populate
from akt.demo.plan import (
    CLIENT_SECTORS,
    DEFAULT_SEED,
    DEMO_CODE_PREFIX,
    FARM_SECTORS,
    FARMER_TRAINING_PLACES,
    GRANT_PURPOSE,
    GRANT_SECTORS,
    TARGETS,
)
from akt.demo.planned import planned_populate
from akt.demo.records import demo_digest, demo_wipe, foreign_record_counts, program_record_counts
from akt.grants.models import Currency, Grant
from akt.infrastructure.models import InfrastructureProject
from akt.linkage.batch import registry_link
from akt.people.models import Affiliation, Organization, OrganizationKind, Person, Sector, Sex
from akt.places.models import Municipality
from akt.places.participant_mix import MUNICIPALITY_SIZE as SIZE
from akt.program.models import Program


@dataclass(frozen=True)
class DemoSummary:
    """What a run wrote, for the command to report."""

    seed: int
    counts: Mapping[str, int]
    replaced: Mapping[str, int]
    digest: str
    linkage: Mapping[str, int]
    """What resolving the demo's person records did (:func:`registry_link`)."""


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
        # The work around the records: assessments and actions of the plans, the projects'
        # sites, budgets, payments and milestones.
        workflows = {
            "grants": grants_workflow_populate(seed),
            "capacity": capacity_workflow_populate(seed),
            "infrastructure": infrastructure_workflow_populate(seed),
            "work_plans": planned_populate(seed),
            "outcomes": outcomes_populate(seed),
            "evidence": evidence_populate(seed),
        }
        # The sheets registered some returning attendees twice; resolving identities merges
        # them, as an M&E officer's batch run would, and queues the doubtful pairs for review.
        linkage = registry_link(actor=None)
        program = Program.objects.order_by("start_date").first()
        audit_record(
            actor=None,
            action="demo_data.generate",
            target=program,
            summary=f"Demo data generated with seed {seed}",
            changes={
                "seed": seed,
                "created": counts,
                "workflows": workflows,
                "replaced": replaced,
                "linkage": linkage,
            },
        )
    return DemoSummary(
        seed=seed, counts=counts, replaced=replaced, digest=demo_digest(), linkage=linkage
    )


def _describe(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{name}: {count}" for name, count in counts.items() if count)


class _DemoBuilder(_MunicipalBlocks, _CommunicationBlocks):
    """Builds the demo records in memory, block by block, then saves them in bulk.

    Blocks run in a fixed order because later ones reuse people of earlier ones (MOCR members
    and finance officers who also attend management training, debate participants who come to
    a hearing); the random generator is consumed in that order, so a seed gives one dataset.
    """

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
