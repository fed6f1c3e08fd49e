"""What makes one demo record look real, the arithmetic and calendar every block uses, and the
error raised when the demo cannot be written.

What makes the records look real: names from each community, written as sign-in sheets write
them (some Serbian Cyrillic, some without diacritics); titles in the municipality's majority
language; people who come back (trainees at several sessions, members at several workshops);
large events counted by headcount, small ones by roster; dates that follow the program's life
from April 2014 to April 2017.
"""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import cast

from django.utils.translation import gettext as _

from akt.activities.models import Activity, AgeBand, Attendance, Tally, Topic
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.counting.engine import ASSUMED_BIRTHDAY, age_on
from akt.demo import texts
from akt.demo.names import ascii_fold, pool_for
from akt.demo.plan import (
    ASCII_SHARE,
    BIRTH_DATE_SHARE,
    BIRTH_YEAR_SHARE,
    CYRILLIC_SHARE,
    DEMO_CODE_PREFIX,
    DEMO_NOTE,
    DEMO_UID_PREFIX,
    FARM_LIKE_SECTORS,
    NO_COMMUNITY_SHARE,
    PREFER_NOT_TO_SAY_SHARE,
    PROGRAM_END,
    PROGRAM_START,
    PUBLIC_HOLIDAYS,
    REGIONS,
    REQUIRED_COMMUNITIES,
    REQUIRED_COMPONENTS,
    REQUIRED_TOPICS,
    SECOND_RECORD_SHARE,
    UNKNOWN_SEX_SHARE,
)
from akt.grants.models import Grant
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import (
    Affiliation,
    ConsentBasis,
    Organization,
    OrganizationKind,
    Person,
    ProcessingBasis,
    Sector,
    Sex,
)
from akt.people.natural import is_legal_person_form
from akt.places.models import Community, Municipality
from akt.places.participant_mix import COMMUNITY_MIX
from akt.program.models import Component, Program
from akt.text.orthography import albanian_to_serbian, serbian_to_albanian
from akt.text.script import cyrillic_to_latin, latin_to_cyrillic

PUBLIC_DUTY_AFFILIATIONS = frozenset(
    {
        Affiliation.MUNICIPAL_EMPLOYEE,
        Affiliation.FINANCE_OFFICER,
        Affiliation.MOCR_MEMBER,
        Affiliation.COMMITTEE_MEMBER,
    }
)
"""Whose data the program holds as the municipality's public duty rather than by consent."""


class DemoDataError(Exception):
    """The demo data cannot be written; the message says why and what to do."""


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


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


class _RecordMaker:
    """The reference data, the records made so far, and what makes each record look real.

    Every draw comes from ``rng``, in the order the blocks call for it; second records of
    returning attendees come from ``sheet_rng``.
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
        # A community is recorded only with the consent to state it. The draw that once decided
        # the consent stays, so the dataset drawn after it is the one it always was.
        if community is not None:
            self.rng.random()
        consent = ConsentBasis.CONSENT if community is not None else ConsentBasis.NOT_RECORDED
        # Municipal staff at work are recorded under the municipality's public duty; everyone
        # else agreed on the sign-in sheet of the first activity they came to.
        public_duty = affiliation in PUBLIC_DUTY_AFFILIATIONS
        person = Person(
            uid=uuid.UUID(DEMO_UID_PREFIX + f"{self.rng.getrandbits(96):024x}"),
            given_name=given,
            family_name=family,
            sex=sex,
            birth_date=born[0],
            birth_year=born[1],
            community=community,
            community_consent=consent,
            consent_basis=(ProcessingBasis.PUBLIC_TASK if public_duty else ProcessingBasis.CONSENT),
            consent_date=None if public_duty else on,
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
        self,
        place: Municipality,
        *,
        kind: str,
        name: str,
        sector: str = "",
        natural_person: bool = False,
    ) -> Organization:
        self._org_names.add((place.code, name))
        organization = Organization(
            name=name,
            kind=kind,
            sector=sector,
            municipality=place,
            registration_number=f"{DEMO_CODE_PREFIX}{len(self.organizations) + 1:05d}",
            natural_person=natural_person,
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
        # Named after its owner: a natural person, unless registered as a company ("Sh.p.k.").
        return self._organization(
            place,
            kind=kind,
            name=name,
            sector=sector,
            natural_person=not is_legal_person_form(name),
        )

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
                    affiliation=person.affiliation,
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
            consent_basis=person.consent_basis,
            consent_date=person.consent_date,
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
        serbian = person.community_id is not None and cast(Community, person.community).code in (
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
        sexes: list[tuple[str, float]] = [(Sex.FEMALE, female), (Sex.MALE, 1 - female)]
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
