"""Composition: whether the program brings Kosovo's communities together, in numbers.

AKT exists to bring communities together, so two questions matter beside every headcount
(architecture section 4, the "composition" unit):

- **Mixed activities** (:func:`mixed_activities`): did an activity bring at least two communities
  into the same room? An activity is *mixed* when at least two communities are each *present*:
  a community is present when its attendance is at least ``threshold`` of the activity's
  attendance with a declared community (default 10%) and at least ``min_headcount`` people
  (default 1). Attendance is roster rows plus tally headcounts of the counted roles (participants
  by default: a trainer or an organizer does not make a workshop mixed).
- **Representation** (:func:`representation`): in each municipality, does a community take part
  in proportion to its size? A community's share of the participants with a declared community
  is set against its share of the municipality's population (the representation ratio: 1 is
  proportional, above 1 over-represented). The non-majority communities are also taken together.

What counts as "community not known": no community on record, or a value that declares none
("prefer not to say", :data:`UNDECLARED`; the Constitution lets everyone choose not to be treated
as a member of a community, Art. 57.2). Such attendance is never counted as a community; it is
reported beside the figures, and an activity where too little of the attendance declared a
community (below ``min_known_share``, default half) is *undetermined*: it is neither mixed nor
not mixed, and the share of mixed activities is taken over the activities that could be judged.

Where a population share is not published, the representation ratio is None with the reason
(:class:`Missing`), never 0. This module is pure (no Django, no database): plain dataclasses in,
plain dataclasses out, exact fractions throughout so a share exactly at the threshold is at the
threshold. ``indicators/composition_reader.py`` feeds it from the database.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

UNDECLARED: frozenset[str] = frozenset({"prefer-not-to-say"})
"""Community values that declare no community: counted as unknown, never as a community."""

PARTICIPANT = "participant"
DEFAULT_ROLES: frozenset[str] = frozenset({PARTICIPANT})
"""Roster roles that count: participants. Trainers, speakers and organizers are there to run the
activity, so their community says nothing about whom it brought together. Tally cells are
headcounts of participants."""

DEFAULT_THRESHOLD = Fraction(1, 10)
"""A community is present at an activity from 10% of the attendance with a declared community."""

DEFAULT_MIN_HEADCOUNT = 1
"""... and from this many people (raise it so that one guest does not make an event mixed)."""

DEFAULT_MIN_KNOWN_SHARE = Fraction(1, 2)
"""An activity is judged only when at least half of its attendance declared a community."""

Number = Fraction | Decimal | int | float | str


def as_fraction(value: Number) -> Fraction:
    """An exact fraction: ``0.1`` (a float) is read as written, 1/10, not its binary neighbour."""
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


# --- Input ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ActivityRow:
    """An activity held in the window: where (``municipality``), what (``kind``) and when."""

    id: int
    municipality: int | None
    kind: str
    date: date


@dataclass(frozen=True, slots=True)
class AttendanceRow:
    """One roster row (a named ``person``, headcount 1) or one tally cell (``is_tally``, a
    headcount, no person) at an activity.

    ``community`` is the community code on record, None when none is. ``person`` is the
    canonical (resolved) person, so two records of the same individual count once. The identity
    of a row is ``(is_tally, record_id)``: roster rows and tally cells are different tables.
    """

    record_id: int
    activity: int
    community: str | None
    headcount: int = 1
    person: int | None = None
    is_tally: bool = False
    role: str = PARTICIPANT

    def __post_init__(self) -> None:
        where = f"{'tally cell' if self.is_tally else 'roster row'} {self.record_id}"
        if self.headcount < 0:
            raise ValueError(f"{where}: headcount cannot be negative ({self.headcount})")
        if self.is_tally and self.person is not None:
            raise ValueError(f"{where}: a tally cell is anonymous and cannot name a person")
        if not self.is_tally and self.headcount != 1:
            raise ValueError(f"{where}: only a tally cell has a headcount other than 1")


@dataclass(frozen=True, slots=True)
class PopulationShare:
    """What a source says about one community in one municipality (``places`` reference data).

    ``share`` is of the whole population, between 0 and 1; None when the source gives a
    headcount only. ``citation`` and ``note`` travel along for the reader, unread here.
    """

    municipality: int
    community: str
    share: Fraction | None
    population: int | None
    source: str
    year: int
    citation: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        if self.share is not None:
            share = as_fraction(self.share)
            if not 0 <= share <= 1:
                raise ValueError(
                    f"population share of {self.community!r} in municipality "
                    f"{self.municipality} must be between 0 and 1, not {self.share}"
                )
            object.__setattr__(self, "share", share)


# --- Mixed activities -------------------------------------------------------------------------


@dataclass(frozen=True)
class MixRule:
    """When an activity counts as mixed; every number here is shown with the figures.

    - ``threshold``: a community is present when its attendance is at least this share of the
      activity's attendance with a declared community (at the threshold counts). Between 0
      (exclusive) and 1/2 (inclusive): above a half, two communities could never both reach it.
    - ``min_headcount``: ... and at least this many people (at least 1).
    - ``min_known_share``: an activity is judged only when at least this share of its attendance
      declared a community; below it, and always when nobody declared one, it is undetermined.
    - ``roles``: roster roles that count (tally cells count as participants).
    - ``undeclared``: community values that declare none (counted as unknown).
    """

    threshold: Fraction = DEFAULT_THRESHOLD
    min_headcount: int = DEFAULT_MIN_HEADCOUNT
    min_known_share: Fraction = DEFAULT_MIN_KNOWN_SHARE
    roles: frozenset[str] = DEFAULT_ROLES
    undeclared: frozenset[str] = UNDECLARED

    def __post_init__(self) -> None:
        threshold = as_fraction(self.threshold)
        known_share = as_fraction(self.min_known_share)
        if not 0 < threshold <= Fraction(1, 2):
            raise ValueError(f"threshold must be above 0 and at most 1/2, not {self.threshold}")
        if isinstance(self.min_headcount, bool) or self.min_headcount < 1:
            raise ValueError(f"min_headcount must be at least 1, not {self.min_headcount}")
        if not 0 <= known_share <= 1:
            raise ValueError(f"min_known_share must be between 0 and 1, not {known_share}")
        if isinstance(self.roles, str) or not self.roles:
            raise ValueError("roles must be a non-empty set of roster roles")
        object.__setattr__(self, "threshold", threshold)
        object.__setattr__(self, "min_known_share", known_share)
        object.__setattr__(self, "roles", frozenset(self.roles))
        object.__setattr__(self, "undeclared", frozenset(self.undeclared))

    def present(self, count: int, known: int) -> bool:
        """Whether ``count`` people of one community out of ``known`` declared make it present."""
        return known > 0 and count >= self.min_headcount and count >= self.threshold * known

    def judged(self, known: int, total: int) -> bool:
        """Whether enough of the attendance declared a community to judge the activity."""
        return known > 0 and known >= self.min_known_share * total


class Verdict(StrEnum):
    MIXED = "mixed"
    NOT_MIXED = "not_mixed"
    UNDETERMINED = "undetermined"  # too little community data to judge


@dataclass(frozen=True)
class ActivityComposition:
    """Who attended one activity, by community, and the verdict.

    ``counts`` holds the attendance of each declared community (largest first), ``unknown`` the
    attendance without one; ``present`` the communities that reach the rule's threshold.
    """

    activity: int
    municipality: int | None
    kind: str
    date: date
    counts: Mapping[str, int]
    unknown: int
    present: frozenset[str]
    verdict: Verdict

    @property
    def known(self) -> int:
        return sum(self.counts.values())

    @property
    def total(self) -> int:
        return self.known + self.unknown


@dataclass(frozen=True)
class MixSummary:
    """How many activities of a group were mixed, not mixed, or could not be judged.

    ``share_mixed`` is taken over the judged activities (mixed + not mixed); None when none could
    be judged. ``no_attendance`` (part of ``undetermined``) had no counted attendance at all.
    """

    activities: int = 0
    mixed: int = 0
    not_mixed: int = 0
    undetermined: int = 0
    no_attendance: int = 0

    @property
    def judged(self) -> int:
        return self.mixed + self.not_mixed

    @property
    def share_mixed(self) -> Fraction | None:
        return Fraction(self.mixed, self.judged) if self.judged else None


@dataclass(frozen=True)
class MixedActivities:
    """The verdict on every activity and the summaries over all, per municipality, per kind."""

    rule: MixRule
    activities: Mapping[int, ActivityComposition]
    overall: MixSummary
    by_municipality: Mapping[int | None, MixSummary]
    by_kind: Mapping[str, MixSummary]


def _checked_rows(
    activities: Iterable[ActivityRow], attendance: Iterable[AttendanceRow]
) -> tuple[dict[int, ActivityRow], list[AttendanceRow]]:
    """Activities by id and the attendance rows, refusing rows that would count twice or that
    belong to no given activity (a feed that read the two with different filters)."""
    by_id: dict[int, ActivityRow] = {}
    for activity in activities:
        if activity.id in by_id:
            raise ValueError(f"activity {activity.id} is given twice")
        by_id[activity.id] = activity
    rows = list(attendance)
    seen: set[tuple[bool, int]] = set()
    for row in rows:
        identity = (row.is_tally, row.record_id)
        if identity in seen:
            kind = "tally cell" if row.is_tally else "roster row"
            raise ValueError(f"{kind} {row.record_id} is given twice")
        seen.add(identity)
        if row.activity not in by_id:
            raise ValueError(
                f"{'tally cell' if row.is_tally else 'roster row'} {row.record_id} belongs to "
                f"activity {row.activity}, which is not among the activities given"
            )
    return by_id, rows


def _declared(community: str | None, undeclared: frozenset[str]) -> str | None:
    """The community a value declares, or None (nothing on record, or "prefer not to say")."""
    if not community or community in undeclared:
        return None
    return community


def _counts(row: AttendanceRow, roles: frozenset[str]) -> bool:
    """Whether a row is counted attendance: a counted role, and not an empty tally cell."""
    return row.headcount > 0 and (row.role in roles if not row.is_tally else PARTICIPANT in roles)


def _summary(items: Iterable[ActivityComposition]) -> MixSummary:
    items = list(items)
    verdicts = Counter(item.verdict for item in items)
    return MixSummary(
        activities=len(items),
        mixed=verdicts[Verdict.MIXED],
        not_mixed=verdicts[Verdict.NOT_MIXED],
        undetermined=verdicts[Verdict.UNDETERMINED],
        no_attendance=sum(1 for item in items if item.total == 0),
    )


def mixed_activities(
    activities: Iterable[ActivityRow],
    attendance: Iterable[AttendanceRow],
    *,
    threshold: Number = DEFAULT_THRESHOLD,
    min_headcount: int = DEFAULT_MIN_HEADCOUNT,
    min_known_share: Number = DEFAULT_MIN_KNOWN_SHARE,
    roles: Iterable[str] = DEFAULT_ROLES,
    undeclared: Iterable[str] = UNDECLARED,
) -> MixedActivities:
    """Which activities brought at least two communities together (see :class:`MixRule`).

    Every given activity gets a verdict, including one with no attendance on record (then it is
    undetermined: nobody can tell whom it brought together). Attendance is roster rows of the
    counted ``roles`` plus tally headcounts; a tally cell with a headcount of 0 is absent.
    Summaries: overall, per municipality (the activity's) and per activity kind.

    Raises ValueError on a row given twice or a row of an activity that is not given.
    """
    rule = MixRule(
        threshold=as_fraction(threshold),
        min_headcount=min_headcount,
        min_known_share=as_fraction(min_known_share),
        roles=frozenset(roles),
        undeclared=frozenset(undeclared),
    )
    by_id, rows = _checked_rows(activities, attendance)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in by_id}
    unknown: dict[int, int] = dict.fromkeys(by_id, 0)
    for row in rows:
        if not _counts(row, rule.roles):
            continue
        community = _declared(row.community, rule.undeclared)
        if community is None:
            unknown[row.activity] += row.headcount
        else:
            cells = counts[row.activity]
            cells[community] = cells.get(community, 0) + row.headcount

    compositions: dict[int, ActivityComposition] = {}
    for pk, activity in by_id.items():
        cells = counts[pk]
        known = sum(cells.values())
        total = known + unknown[pk]
        present = frozenset(code for code, n in cells.items() if rule.present(n, known))
        if not rule.judged(known, total):
            verdict = Verdict.UNDETERMINED
        elif len(present) >= 2:
            verdict = Verdict.MIXED
        else:
            verdict = Verdict.NOT_MIXED
        ordered = dict(sorted(cells.items(), key=lambda cell: (-cell[1], cell[0])))
        compositions[pk] = ActivityComposition(
            activity=pk,
            municipality=activity.municipality,
            kind=activity.kind,
            date=activity.date,
            counts=MappingProxyType(ordered),
            unknown=unknown[pk],
            present=present,
            verdict=verdict,
        )

    by_municipality: dict[int | None, list[ActivityComposition]] = defaultdict(list)
    by_kind: dict[str, list[ActivityComposition]] = defaultdict(list)
    for item in compositions.values():
        by_municipality[item.municipality].append(item)
        by_kind[item.kind].append(item)
    return MixedActivities(
        rule=rule,
        activities=MappingProxyType(compositions),
        overall=_summary(compositions.values()),
        by_municipality=MappingProxyType(
            {key: _summary(items) for key, items in by_municipality.items()}
        ),
        by_kind=MappingProxyType({key: _summary(items) for key, items in sorted(by_kind.items())}),
    )


# --- Representation ---------------------------------------------------------------------------


class Unit(StrEnum):
    """What representation counts: distinct (resolved) persons, or attendances.

    Persons count each individual once per municipality, whatever the number of activities they
    attended; tally headcounts cannot be deduplicated, so they are reported beside and not
    counted. Attendances count every roster row and every tally head.
    """

    PERSONS = "persons"
    ATTENDANCES = "attendances"


class Missing(StrEnum):
    """Why a representation ratio is not given."""

    POPULATION_NOT_KNOWN = "population_not_known"  # no published share for this community
    MAJORITY_NOT_KNOWN = "majority_not_known"  # non-majority together: majority or its share
    POPULATION_SHARE_ZERO = "population_share_zero"  # a share of 0 cannot be divided by
    NO_PARTICIPANTS = "no_participants"  # nobody with a declared community took part here


NON_MAJORITY = None
"""The ``community`` of the row that takes the non-majority communities together."""


@dataclass(frozen=True)
class RepresentationRow:
    """One community (or, with ``community`` None, the non-majority communities together) in one
    municipality: its share of the participants against its share of the population.

    ``participants_share`` is of the participants with a declared community (None when there are
    none); ``ratio`` is ``participants_share / population_share``, None with ``missing`` saying
    why. ``population`` is the figure used (for the non-majority row: the majority's, since their
    share is the rest of the population). ``activities`` maps each activity in the municipality
    where this community's participants were counted to their attendance there (drill-down).
    """

    municipality: int
    community: str | None
    participants: int
    participants_share: Fraction | None
    population: PopulationShare | None
    population_share: Fraction | None
    ratio: Fraction | None
    missing: Missing | None
    is_majority: bool
    activities: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class MunicipalityRepresentation:
    """Representation in one municipality (that of the activities, not of residence).

    ``participants`` have a declared community (the denominator of every share), ``unknown``
    have none; ``tally_headcount`` (persons unit only) is attendance on headcount sheets, which
    cannot be told apart into persons and is not counted. ``uncounted`` are roster rows with no
    person (persons unit). ``rows``: the majority first, then by participants, largest first.
    """

    municipality: int
    majority: str | None
    unit: Unit
    participants: int
    unknown: int
    tally_headcount: int
    uncounted: int
    rows: tuple[RepresentationRow, ...]
    non_majority: RepresentationRow


def _population_by_pair(
    populations: Iterable[PopulationShare], undeclared: frozenset[str]
) -> dict[tuple[int, str], PopulationShare]:
    """Per municipality and community, the figure to use: the latest one with a share, else the
    latest one (a headcount alone, shown but not enough for a ratio)."""
    figures: dict[tuple[int, str], list[PopulationShare]] = defaultdict(list)
    for figure in populations:
        if _declared(figure.community, undeclared) is None:
            raise ValueError(f"{figure.community!r} declares no community and has no population")
        figures[(figure.municipality, figure.community)].append(figure)
    chosen = {}
    for key, options in figures.items():
        options.sort(key=lambda figure: figure.year, reverse=True)
        with_share = [figure for figure in options if figure.share is not None]
        chosen[key] = with_share[0] if with_share else options[0]
    return chosen


def _person_communities(
    rows: list[AttendanceRow], by_id: Mapping[int, ActivityRow], undeclared: frozenset[str]
) -> dict[int, str | None]:
    """Each person's community: declared on their earliest row that declares one (by activity
    date, then record id), so a record without one or a later different record does not change
    it. None when no row of theirs declares a community."""
    earliest: dict[int, tuple[date, int, str]] = {}
    for row in rows:
        if row.person is None:
            continue
        community = _declared(row.community, undeclared)
        if community is None:
            continue
        key = (by_id[row.activity].date, row.record_id, community)
        if row.person not in earliest or key < earliest[row.person]:
            earliest[row.person] = key
    persons = {row.person for row in rows if row.person is not None}
    return {person: earliest[person][2] if person in earliest else None for person in persons}


def _ratio(
    participants_share: Fraction | None,
    population_share: Fraction | None,
    unknown_population: Missing,
) -> tuple[Fraction | None, Missing | None]:
    if population_share is None:
        return None, unknown_population
    if population_share == 0:
        return None, Missing.POPULATION_SHARE_ZERO
    if participants_share is None:
        return None, Missing.NO_PARTICIPANTS
    return participants_share / population_share, None


def representation(
    activities: Iterable[ActivityRow],
    attendance: Iterable[AttendanceRow],
    populations: Iterable[PopulationShare],
    majorities: Mapping[int, str | None],
    *,
    unit: Unit | str = Unit.PERSONS,
    roles: Iterable[str] = DEFAULT_ROLES,
    undeclared: Iterable[str] = UNDECLARED,
    municipalities: Iterable[int] | None = None,
) -> dict[int, MunicipalityRepresentation]:
    """Per municipality and community: share of participants against share of population.

    A participant belongs to the municipality of the activity they attended. With
    ``unit=persons`` a (resolved) person counts once per municipality, in the community of
    :func:`_person_communities`; tally heads are reported beside. With ``unit=attendances`` each
    roster row and tally head counts, in the community on the row. Participants without a
    declared community are left out of the shares and reported as ``unknown``.

    Rows: every community with participants or with a population figure in the municipality;
    a community with a figure and no participants has a ratio of 0 (a real zero). Where the
    population share is not known the ratio is None and says why. The non-majority row takes
    every declared community other than ``majorities[municipality]`` together, against the rest
    of the population (1 minus the majority's share).

    Municipalities reported: ``municipalities`` if given, else those of the activities and of
    the population figures. Activities without a municipality are left out.
    """
    unit = Unit(unit)
    roles = frozenset(roles)
    undeclared = frozenset(undeclared)
    by_id, rows = _checked_rows(activities, attendance)
    rows = [
        row for row in rows if _counts(row, roles) and by_id[row.activity].municipality is not None
    ]
    figures = _population_by_pair(populations, undeclared)
    person_community = _person_communities(rows, by_id, undeclared)

    # Per municipality and community (None: not known): the persons or the attendance counted,
    # and the attendance at each activity behind it (for the drill-down).
    persons: dict[tuple[int, str | None], set[int]] = defaultdict(set)
    heads: Counter[tuple[int, str | None]] = Counter()
    behind: dict[tuple[int, str | None], Counter[int]] = defaultdict(Counter)
    tally_heads: Counter[int] = Counter()
    uncounted: Counter[int] = Counter()
    for row in rows:
        place = by_id[row.activity].municipality
        if place is None:
            continue
        if unit is Unit.PERSONS:
            if row.is_tally:
                tally_heads[place] += row.headcount
                continue
            if row.person is None:
                uncounted[place] += 1
                continue
            community = person_community[row.person]
            persons[(place, community)].add(row.person)
        else:
            community = _declared(row.community, undeclared)
            heads[(place, community)] += row.headcount
        behind[(place, community)][row.activity] += row.headcount
    counted: Counter[tuple[int, str | None]] = (
        Counter({key: len(ids) for key, ids in persons.items()}) if unit is Unit.PERSONS else heads
    )

    if municipalities is None:
        places = {a.municipality for a in by_id.values() if a.municipality is not None}
        places |= {place for place, _community in figures}
    else:
        places = set(municipalities)

    results: dict[int, MunicipalityRepresentation] = {}
    for place in sorted(places):
        cells = {community: n for (where, community), n in counted.items() if where == place}
        unknown = cells.pop(None, 0)
        known = sum(cells.values())
        majority = majorities.get(place)
        communities = set(cells) | {c for p, c in figures if p == place}

        def participants_share(count: int, known: int = known) -> Fraction | None:
            return Fraction(count, known) if known else None

        rows_here = []
        for community in communities:
            count = cells.get(community, 0)
            figure = figures.get((place, community)) if community is not None else None
            population_share = figure.share if figure is not None else None
            share = participants_share(count)
            ratio, missing = _ratio(share, population_share, Missing.POPULATION_NOT_KNOWN)
            rows_here.append(
                RepresentationRow(
                    municipality=place,
                    community=community,
                    participants=count,
                    participants_share=share,
                    population=figure,
                    population_share=population_share,
                    ratio=ratio,
                    missing=missing,
                    is_majority=community == majority,
                    activities=MappingProxyType(dict(behind.get((place, community), {}))),
                )
            )
        rows_here.sort(key=lambda r: (not r.is_majority, -r.participants, r.community or ""))

        # Without a known majority there is no "non-majority": nothing is counted there.
        others = {c: n for c, n in cells.items() if majority is not None and c != majority}
        majority_figure = figures.get((place, majority)) if majority is not None else None
        rest: Fraction | None = None
        if majority_figure is not None and majority_figure.share is not None:
            rest = 1 - majority_figure.share
        share = participants_share(sum(others.values())) if majority is not None else None
        ratio, missing = _ratio(share, rest, Missing.MAJORITY_NOT_KNOWN)
        together: Counter[int] = Counter()
        for community in others:
            together.update(behind.get((place, community), {}))
        non_majority = RepresentationRow(
            municipality=place,
            community=NON_MAJORITY,
            participants=sum(others.values()),
            participants_share=share,
            population=majority_figure,
            population_share=rest,
            ratio=ratio,
            missing=missing,
            is_majority=False,
            activities=MappingProxyType(dict(together)),
        )
        results[place] = MunicipalityRepresentation(
            municipality=place,
            majority=majority,
            unit=unit,
            participants=known,
            unknown=unknown,
            tally_headcount=tally_heads.get(place, 0),
            uncounted=uncounted.get(place, 0),
            rows=tuple(rows_here),
            non_majority=non_majority,
        )
    return results
