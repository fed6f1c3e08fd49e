"""A generated program whose people come back: the test bed of issue 10, item 5.

A program runs activities in partner municipalities: trainings in modules attended by one
cohort (most of it at every module), and one-off events (hearings, debates, workshops) where
some citizens come again and again. Each person is written on every roster the way the clerk
wrote them the first time (the same name, sex, birth year and municipality), except a share of
rows written another way: in Cyrillic, without diacritics, with the family name first, or with
the full birth date where the year was written before. A share of the people never give a
birth year. Names are drawn from the communities' pools of :mod:`akt.testing.names_large` with
the commonest first (Krasniqi, Gashi, Morina, Jovanović come up often), so namesakes exist:
two different people with one common name in one municipality are part of the test.

:func:`generate` is plain Python (seeded, deterministic); :func:`create_activities` and
:func:`roster_csv` put it into the database and into files as a clerk would send them (a
title row above the header is left to the header-finding work; these files start at the
header).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from akt.demo.names import ascii_fold
from akt.places.participant_mix import COMMUNITY_MIX
from akt.testing.names_large import NAMES
from akt.text.script import latin_to_cyrillic

HEADERS = ("Emri", "Mbiemri", "Gjinia", "Datëlindja", "Komuniteti", "Komuna", "Roli")
"""The roster header as an Albanian office writes it (the import recognises it)."""

COMMUNITY_WORDS = {
    "albanian": "Shqiptare",
    "serb": "Srpska",
    "bosniak": "Boshnjake",
    "turkish": "Turke",
    "roma": "Rome",
    "ashkali": "Ashkali",
    "egyptian": "Egjiptiane",
    "gorani": "Gorane",
}
SERBIAN_WRITERS = {"serb"}


@dataclass
class Attendee:
    """One true person and how they are usually written."""

    person: int
    municipality: str
    community: str
    sex: str
    given: str
    family: str
    born: dt.date
    gives_year: bool
    popularity: float


@dataclass
class PlannedActivity:
    """One activity: where, under what, and who attended (true person ids)."""

    number: int
    municipality: str
    component: str
    kind: str
    series: int | None
    start: dt.date
    attendees: list[int] = field(default_factory=list)


@dataclass
class Program:
    people: dict[int, Attendee]
    activities: list[PlannedActivity]
    rows: dict[int, list[tuple[int, tuple[str, ...]]]]  # activity -> (true person, cells)

    @property
    def true_people(self) -> int:
        return len({person for rows in self.rows.values() for person, _cells in rows})

    @property
    def roster_rows(self) -> int:
        return sum(len(rows) for rows in self.rows.values())

    @property
    def returning_rows(self) -> int:
        """Rows of a person already on an earlier roster (in the order the files come)."""
        seen: set[int] = set()
        returning = 0
        for activity in self.activities:
            for person, _cells in self.rows[activity.number]:
                returning += person in seen
                seen.add(person)
        return returning


MUNICIPALITIES = ("gjilan", "gracanice", "kline", "zvecan", "peje", "istog", "shterpce", "obiliq")
COMPONENTS = ("communication", "municipal", "economic")


def _pick(rng: random.Random, names: Sequence[str], skew: float = 0.7) -> str:
    """A name with the commonest first (a Zipf-like draw by list position, the skew of
    :mod:`akt.testing.linkage_synthetic`)."""
    weights = [1 / (rank + 1) ** skew for rank in range(len(names))]
    return rng.choices(names, weights)[0]


def generate(
    *,
    people: int,
    activities: int,
    seed: int = 10,
    municipalities: Sequence[str] = MUNICIPALITIES,
    no_year_share: float = 0.12,
    rewritten_share: float = 0.06,
    series_share: float = 0.5,
) -> Program:
    """A program of about ``activities`` activities among ``people`` people (those who attend
    at least once are the true people; a few drawn may never attend)."""
    rng = random.Random(seed)
    weights = [3 if code in ("gjilan", "peje") else 1 for code in municipalities]
    population: dict[str, list[int]] = {code: [] for code in municipalities}
    everyone: dict[int, Attendee] = {}
    for person in range(1, people + 1):
        code = rng.choices(list(municipalities), weights)[0]
        mix = COMMUNITY_MIX.get(code, (("albanian", 1),))
        community = rng.choices([c for c, _w in mix], [w for _c, w in mix])[0]
        pool = NAMES.get(community) or NAMES["albanian"]
        sex = "male" if rng.random() < 0.55 else "female"
        given = _pick(rng, pool.male if sex == "male" else pool.female)
        family = _pick(rng, pool.family)
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 52))
        everyone[person] = Attendee(
            person=person,
            municipality=code,
            community=community,
            sex=sex,
            given=given,
            family=family,
            born=born,
            gives_year=rng.random() >= no_year_share,
            popularity=rng.paretovariate(1.5),
        )
        population[code].append(person)

    planned: list[PlannedActivity] = []
    start = dt.date(2014, 6, 2)
    number = 0
    series_number = 0
    while number < activities:
        code = rng.choices(list(municipalities), weights)[0]
        component = rng.choice(COMPONENTS)
        residents = population[code]
        if not residents:
            continue
        if rng.random() < series_share:
            series_number += 1
            modules = min(rng.randint(2, 5), activities - number)
            cohort = rng.sample(residents, min(len(residents), rng.randint(10, 20)))
            day = start + dt.timedelta(days=rng.randrange(0, 900))
            for _module in range(modules):
                number += 1
                attended = [person for person in cohort if rng.random() < 0.85]
                planned.append(
                    PlannedActivity(number, code, component, "training", series_number, day)
                )
                planned[-1].attendees = attended
                day += dt.timedelta(days=rng.randint(7, 30))
        else:
            number += 1
            size = min(len(residents), rng.randint(12, 25))
            popularity = [everyone[person].popularity for person in residents]
            chosen: set[int] = set()
            while len(chosen) < size:
                chosen.add(rng.choices(residents, popularity)[0])
            kind = rng.choice(("public_hearing", "public_debate", "workshop"))
            day = start + dt.timedelta(days=rng.randrange(0, 900))
            planned.append(PlannedActivity(number, code, component, kind, None, day))
            planned[-1].attendees = sorted(chosen)
    planned.sort(key=lambda activity: (activity.start, activity.number))

    rows: dict[int, list[tuple[int, tuple[str, ...]]]] = {}
    for activity in planned:
        rows[activity.number] = [
            (person, _written(everyone[person], rng, rewritten_share))
            for person in activity.attendees
        ]
    return Program(people=everyone, activities=planned, rows=rows)


def _written(person: Attendee, rng: random.Random, rewritten_share: float) -> tuple[str, ...]:
    """The person's row: as usual, or (``rewritten_share`` of rows) written another way."""
    given, family = person.given, person.family
    sex = (
        ("M" if person.sex == "male" else "F")
        if person.community != "serb"
        else ("Muški" if person.sex == "male" else "Ženski")
    )
    born = str(person.born.year) if person.gives_year else ""
    municipality = person.municipality.replace("-", " ").title()
    if rng.random() < rewritten_share:
        how = rng.choice(("cyrillic", "ascii", "swapped", "full date"))
        if how == "cyrillic" and person.community in SERBIAN_WRITERS:
            given, family = latin_to_cyrillic(given), latin_to_cyrillic(family)
        elif how in ("ascii", "cyrillic"):
            given, family = ascii_fold(given), ascii_fold(family)
        elif how == "swapped":
            given, family = family.upper(), given
        elif person.gives_year:
            born = person.born.strftime("%d.%m.%Y")
    return (
        given,
        family,
        sex,
        born,
        COMMUNITY_WORDS.get(person.community, ""),
        municipality,
        "participant",
    )


def roster_csv(rows: Sequence[tuple[int, tuple[str, ...]]]) -> bytes:
    """A roster file: the header and one line per attendee, UTF-8 as Excel saves CSV."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADERS)
    writer.writerows(cells for _person, cells in rows)
    return out.getvalue().encode("utf-8-sig")


def create_activities(program: Program) -> dict[int, int]:
    """The program's activities in the database; returns planned number -> activity id."""
    from akt.activities.models import Activity, ActivityKind, Topic
    from akt.places.models import Municipality
    from akt.program.models import Component

    municipalities = dict(Municipality.objects.values_list("code", "pk"))
    components = dict(Component.objects.values_list("code", "pk"))
    kinds = set(ActivityKind.values)
    topics = list(Topic.objects.order_by("pk")[:4])
    created: dict[int, int] = {}
    for planned in program.activities:
        activity = Activity.objects.create(
            title=f"{planned.kind.replace('_', ' ').title()} {planned.number}"
            + (f" (series {planned.series})" if planned.series else ""),
            kind=planned.kind if planned.kind in kinds else next(iter(sorted(kinds))),
            component_id=components[planned.component],
            municipality_id=municipalities[planned.municipality],
            start_date=planned.start,
            end_date=planned.start,
        )
        if planned.series and topics:
            activity.topics.add(topics[planned.series % len(topics)])
        created[planned.number] = activity.pk
    return created
