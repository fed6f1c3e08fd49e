"""Context evidence: what a clerk knows about a returning attendee beyond how the name is written.

The linkage model (:mod:`akt.linkage.pipeline`) compares two records by their own fields: name,
birth date, sex, municipality. A clerk who sees "Arben Krasniqi, M, 1985, Prishtina" on the
third module of a training knows more: an Arben Krasniqi of that year and place attended the
first two modules, with the same people beside him. Two such records are one person far more
often than the model, which weighs a common name and a bare birth year as it would among
100,000 strangers, can tell. This module turns that knowledge into evidence the model's
probability is combined with, in the model's own currency: bits (log2 Bayes factors) added to a
pair's match weight. Both terms are estimated from the registry itself, never tuned to a file:

1. **The returning prior.** The model's prior is the chance that two random records of its
   training set (100,000 records) are one person. A roster row compared with a program's
   registry asks another question: is this row that registered person? A share ``rho`` of a
   program's roster rows are people already registered (trainings come in modules, hearings
   bring the same citizens back), and a returning row is one of the ``R`` registered persons,
   so the prior odds that it is a given one are ``rho / R`` (:func:`returning_prior_bits`). For a
   small registry that is far above the model's prior; for a registry larger than
   ``rho / prior`` persons (about 25,000) the model's own prior is kept: the term never lowers a
   probability; a registry younger than :data:`MIN_REGISTRY` persons counts as that many.
   ``rho`` is measured on the committed rosters (attendances by a person with an earlier
   attendance, over all attendances), shrunk towards one half by a Beta(50, 50) prior while
   the registry is young.

2. **Shared context.** Two records whose activities share context: co-attendance (at least
   :data:`COMPANIONS` other attendees, by the sound keys of their names, on the rosters of both),
   the same organization, the same series (an infrastructure project's joint activities, or
   activities of one kind, component, municipality and topics), or the same component in the
   same municipality (:func:`context_level`). Each level's Bayes factor is ``m / u``, estimated
   from the registry (:func:`estimate`): ``m``, how often a registered person's latest activity
   shares that context with the person's other activities (the person's own returns); ``u``,
   how often it does with the activities of another person living in the same municipality
   (the model has already counted the shared municipality, so ``u`` is conditioned on it). A
   level with too few samples gives nothing. Only a positive factor is applied, capped at
   :data:`MAX_CONTEXT_BITS`: the absence of shared context is left out, so the term can add a
   link the model missed among people who share context but never undoes one the model makes
   alone (the model's probability is read as "no context known", which is how it was trained).

Both terms apply only to records written alike in their birth year (the same year, or none
on either: :func:`applies`).

3. **How common the name is here.** The model weighs agreement on a name by how common it is
   in its reference frequencies; a program drawing on a few villages meets some names far more
   often, and two of its Sofija Denić, one without a year, are then less surely one person
   than the model thinks. Every pair of the registry, alike in their years or not, loses the
   bits by which the two names are commoner among the registry's persons than in the
   reference (:func:`commonness_bits`, :func:`registry_bits`).

None of them touches the cannot-link rules: two records of one roster, or birth years further
apart than the model allows, are still never one person, whatever the context says. Two
different people sharing a common name in different municipalities or with different birth
years keep the model's strong evidence against them (a different municipality alone is -5.6
bits; different birth years get no added evidence, and are refused by the clustering when more
than a year apart).

The core (:class:`Profile`, :func:`context_level`, :func:`estimate`, :func:`returning_prior_bits`,
:func:`adjusted_probability`) is plain Python; :class:`RegistryContext` reads it from the database.
"""

from __future__ import annotations

import hashlib
import math
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

COMPANIONS = 2
"""Other attendees two rosters must share (by name) for the records to count as co-attending."""

MAX_CONTEXT_BITS = 8.0
"""The most a context level adds (a factor of 256): the levels are not independent of each
other nor, quite, of the fields the model compares, so a factor estimated on a small registry
is not trusted beyond this."""

MIN_SAMPLES = 30
"""Fewer returns (for ``m``) or pairs of neighbours (for ``u``) than this estimate nothing."""

MIN_REGISTRY = 100
"""The returning prior is that of a registry of at least this many persons. With a handful of
persons registered, ``rho / R`` would say a row is very likely one of them, and a shared given
name, year and place would outweigh a different family name; a program's first rosters say
little about whom a row is. (At ``rho`` one half this caps the term near 8 bits.)"""

MIN_LEVEL_SEEN = 5
"""Returns a level must have been seen in before its factor is applied."""

RETURN_PRIOR = (50.0, 50.0)
"""Beta pseudo-counts (returning, new) for the return rate while few rosters are committed."""

U_PAIRS = 3_000
M_PERSONS = 3_000
"""Sample sizes of the estimate: enough for shares of a few per cent, cheap enough to redo."""

REESTIMATE_GROWTH = 0.25
"""m and u are estimated again once the attendances grew by this share since the last estimate
(the return rate and the registry's size are always current)."""

LEVELS = ("co_attendance", "organization", "series", "setting", "none")
"""Context levels, strongest first; a pair falls in the first that holds."""


@dataclass(frozen=True)
class Occasion:
    """An activity as context: the series it belongs to and where and under what it ran."""

    activity: int
    series: str
    setting: str


@dataclass
class Profile:
    """What a record's (or a person's) attendances say: activities, their series and settings,
    the organizations attended for, and the name keys of everyone on those rosters."""

    activities: set[int] = field(default_factory=set)
    series: set[str] = field(default_factory=set)
    settings: set[str] = field(default_factory=set)
    organizations: set[int] = field(default_factory=set)
    companions: set[str] = field(default_factory=set)

    def add(self, occasion: Occasion, organization: int | None, companions: Iterable[str]) -> None:
        self.activities.add(occasion.activity)
        self.series.add(occasion.series)
        self.settings.add(occasion.setting)
        if organization is not None:
            self.organizations.add(organization)
        self.companions.update(companions)


def context_level(a: Profile, b: Profile, own: Iterable[str] = ()) -> str | None:
    """The strongest context two records share (one of :data:`LEVELS`), or None.

    None when either record has no activity (nothing to compare) or when they share a roster
    (two rows of one roster are two people; the cannot-link rules decide such pairs). ``own``
    are the records' own name keys, which do not count as companions.
    """
    if not a.activities or not b.activities or not a.activities.isdisjoint(b.activities):
        return None
    shared = a.companions & b.companions
    if len(shared) >= COMPANIONS and len(shared - set(own)) >= COMPANIONS:
        return "co_attendance"
    if not a.organizations.isdisjoint(b.organizations):
        return "organization"
    if not a.series.isdisjoint(b.series):
        return "series"
    if not a.settings.isdisjoint(b.settings):
        return "setting"
    return "none"


@dataclass(frozen=True)
class ContextModel:
    """Estimated ``m`` and ``u`` per level, the return rate and the registry's size."""

    m: Mapping[str, float]
    u: Mapping[str, float]
    m_samples: int
    u_samples: int
    return_rate: float
    persons: int
    attendances: int = 0

    def bits(self, level: str | None) -> float:
        """The level's weight: log2(m/u) when estimated and positive, capped; else 0.

        Only a shared context counts ("none" never adds), and only a level seen at least
        :data:`MIN_LEVEL_SEEN` times among the returns: a level never seen would otherwise get
        a factor from the smoothing alone (half a count over few returns against half a count
        over many neighbours)."""
        if level is None or level == "none":
            return 0.0
        if self.m_samples < MIN_SAMPLES or self.u_samples < MIN_SAMPLES:
            return 0.0
        if self.m[level] * self.m_samples < MIN_LEVEL_SEEN:
            return 0.0
        weight = math.log2(self.m[level] / self.u[level])
        return min(max(weight, 0.0), MAX_CONTEXT_BITS)

    def prior_bits(self, model_prior: float) -> float:
        return returning_prior_bits(
            return_rate=self.return_rate, persons=self.persons, model_prior=model_prior
        )


NO_CONTEXT = ContextModel(
    m=dict.fromkeys(LEVELS, 1.0),
    u=dict.fromkeys(LEVELS, 1.0),
    m_samples=0,
    u_samples=0,
    return_rate=0.0,
    persons=0,
)


def applies(year: int | None, other: int | None) -> bool:
    """Whether the context evidence applies to two records: written alike in their birth year
    (the same year, a year on one sheet and a full date of that year on another, or no year on
    either): the clerk's "written the same way".

    Not when one gives a year and the other none: a record without a birth year scores well
    against every namesake in its municipality, and a prior that favours returning would join
    a namesake who gave a year to one who did not.
    """
    return year == other


MIN_NAME_COUNT = 3
"""A name seen in fewer written identities than this in the registry keeps the model's own
frequency."""


def commonness_bits(reference: float, registry: float | None) -> float:
    """Bits against a match when a name is commoner among the registry's persons than in the
    model's reference frequencies (0 when not, or when the registry says too little): the
    model's own term-frequency weight, corrected to the registry (a negative number).

    Only ever against: a name rarer in the registry keeps the model's weight (a registry of a
    few hundred persons cannot tell a rare name from an unseen one).
    """
    if registry is None or registry <= reference:
        return 0.0
    return math.log2(reference / registry)


def evidence_rows(
    level: str | None, bits: float, prior_bits: float, commonness: float = 0.0
) -> list[dict[str, Any]]:
    """The registry's terms as a pair's evidence rows (``field`` "returning", "context" and
    "commonness"), in the form the review queue stores the model's comparisons."""
    rows: list[dict[str, Any]] = []
    if prior_bits:
        rows.append({"field": "returning", "level": "program", "weight": round(prior_bits, 3)})
    if level is not None:
        rows.append({"field": "context", "level": level, "weight": round(bits, 3)})
    if commonness:
        rows.append({"field": "commonness", "level": "registry", "weight": round(commonness, 3)})
    return rows


def registry_bits(
    *, alike: bool, context_bits: float, prior_bits: float, commonness: float
) -> float:
    """All the registry adds to a pair's match weight: the commonness of the name among the
    registry's persons (:func:`commonness_bits`, never positive) always, and the returning
    prior with the shared context when the two are written alike in their birth year
    (:func:`applies`)."""
    return commonness + (context_bits + prior_bits if alike else 0.0)


def _logit2(probability: float) -> float:
    return math.log2(probability / (1 - probability))


def returning_prior_bits(*, return_rate: float, persons: int, model_prior: float) -> float:
    """Bits that turn the model's prior into the prior odds ``rho / R`` that a roster row is a
    given one of ``R`` registered persons; 0 when that is no higher than the model's prior."""
    if persons <= 0 or return_rate <= 0:
        return 0.0
    prior = min(return_rate / max(persons, MIN_REGISTRY), 0.5)
    return max(0.0, _logit2(prior) - _logit2(model_prior))


def adjusted_probability(match_weight: float, bits: float) -> float:
    """The probability of a match weight with ``bits`` of further evidence added."""
    weight = match_weight + bits
    if weight > 60:
        return 1.0
    return 1.0 / (1.0 + 2.0 ** (-weight))


def return_rate(attendances: int, persons_attending: int) -> float:
    """The share of roster rows that are a person already registered, shrunk towards the
    :data:`RETURN_PRIOR` while few rows are known."""
    returning = max(attendances - persons_attending, 0)
    a, b = RETURN_PRIOR
    return (returning + a) / (attendances + a + b)


def _smoothed(counts: Mapping[str, int], total: int) -> dict[str, float]:
    # Half a count per level (Jeffreys): a level never seen gets a small, not a zero, share.
    return {level: (counts.get(level, 0) + 0.5) / (total + 0.5 * len(LEVELS)) for level in LEVELS}


def _order(value: int) -> str:
    """A stable pseudo-random order of persons (the sample does not depend on ids' ages)."""
    return hashlib.blake2b(str(value).encode(), digest_size=8).hexdigest()


def estimate(
    *,
    visits: Mapping[int, Sequence[int]],
    profile_of: Mapping[int, Profile],
    occasion_profile: Callable[[int, Sequence[int]], Profile],
    residence: Mapping[int, int | None],
    name_key: Mapping[int, str],
    attendances: int,
    persons: int,
    seed: int = 0,
) -> ContextModel:
    """Estimate each level's ``m`` and ``u`` and the return rate from the registry.

    ``visits`` maps each canonical person to their activities, oldest first; ``profile_of`` gives
    a person's whole profile and ``occasion_profile(person, activities)`` the profile of some of
    their activities (both with the rosters' companions). ``m``: a person's latest activity
    against their earlier ones. ``u``: a person's latest activity against the whole profile of
    another person living in the same municipality (a pseudo-random, seeded sample).
    """
    returning = [person for person, acts in visits.items() if len(acts) >= 2]
    returning.sort(key=_order)
    m_counts: dict[str, int] = defaultdict(int)
    m_total = 0
    for person in returning[:M_PERSONS]:
        acts = visits[person]
        latest = occasion_profile(person, acts[-1:])
        earlier = occasion_profile(person, acts[:-1])
        level = context_level(latest, earlier, (name_key.get(person, ""),))
        if level is not None:
            m_counts[level] += 1
            m_total += 1

    neighbours: dict[int | None, list[int]] = defaultdict(list)
    for person in sorted(visits, key=_order):
        neighbours[residence.get(person)].append(person)
    rng = random.Random(seed)
    u_counts: dict[str, int] = defaultdict(int)
    u_total = 0
    groups = [group for key, group in sorted(neighbours.items(), key=lambda item: str(item[0]))]
    groups = [group for group in groups if len(group) >= 2]
    weights = [len(group) * (len(group) - 1) for group in groups]
    draws = 0
    while groups and u_total < U_PAIRS and draws < 2 * U_PAIRS:
        draws += 1
        group = rng.choices(groups, weights)[0]
        first, second = rng.sample(group, 2)
        latest = occasion_profile(first, visits[first][-1:])
        level = context_level(
            latest, profile_of[second], (name_key.get(first, ""), name_key.get(second, ""))
        )
        if level is not None:
            u_counts[level] += 1
            u_total += 1
    return ContextModel(
        m=_smoothed(m_counts, m_total),
        u=_smoothed(u_counts, u_total),
        m_samples=m_total,
        u_samples=u_total,
        return_rate=return_rate(attendances, len(visits)),
        persons=persons,
        attendances=attendances,
    )


# --------------------------------------------------------------------------------------------
# Reading the registry's context from the database
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryState:
    """The four tables the context is read from, in a few aggregates each: how many rows, the
    last id, the latest ``updated_at`` where the table keeps one, and the sums of the references
    a row could change in place without changing its count or id (an attendance moved to
    another activity, person or organization; a topic link rewritten).

    :func:`registry_state` reads it from the database; a :class:`RegistryContext` keeps the
    same figures of the rows it has read (:attr:`RegistryContext.state`), so the two are equal
    while the context is current.
    """

    person_rows: int = 0
    last_person: int = 0
    persons_changed: datetime | None = None
    activity_rows: int = 0
    last_activity: int = 0
    activities_changed: datetime | None = None
    topic_rows: int = 0
    last_topic_row: int = 0
    topic_sums: tuple[int, int] = (0, 0)
    attendance_rows: int = 0
    last_attendance: int = 0
    attendance_sums: tuple[int, int, int] = (0, 0, 0)


def _whole(value: Any) -> int:
    # An empty table sums to NULL; PostgreSQL sums bigints as numeric.
    return int(value or 0)


def registry_state() -> RegistryState:
    """The registry's :class:`RegistryState` now: one aggregate query per table."""
    from django.db.models import Count, Max, Sum

    from akt.activities.models import Activity, Attendance
    from akt.people.models import Person

    persons = Person.objects.aggregate(rows=Count("pk"), last=Max("pk"), changed=Max("updated_at"))
    activities = Activity.objects.aggregate(
        rows=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    topics = Activity.topics.through.objects.aggregate(
        rows=Count("pk"), last=Max("pk"), activity=Sum("activity_id"), topic=Sum("topic_id")
    )
    attendances = Attendance.objects.aggregate(
        rows=Count("pk"),
        last=Max("pk"),
        activity=Sum("activity_id"),
        person=Sum("person_id"),
        organization=Sum("organization_id"),
    )
    return RegistryState(
        person_rows=persons["rows"],
        last_person=_whole(persons["last"]),
        persons_changed=persons["changed"],
        activity_rows=activities["rows"],
        last_activity=_whole(activities["last"]),
        activities_changed=activities["changed"],
        topic_rows=topics["rows"],
        last_topic_row=_whole(topics["last"]),
        topic_sums=(_whole(topics["activity"]), _whole(topics["topic"])),
        attendance_rows=attendances["rows"],
        last_attendance=_whole(attendances["last"]),
        attendance_sums=(
            _whole(attendances["activity"]),
            _whole(attendances["person"]),
            _whole(attendances["organization"]),
        ),
    )


# Rows as read: (id, activity, person, organization); (id, activity, topic); (id, identity,
# given name, family name, municipality, birth date, birth year, updated); (id, municipality,
# component, kind, project, start date, updated).
_AttendanceRow = tuple[int, int, int, int | None]
_TopicRow = tuple[int, int, int]
_PersonRow = tuple[int, int | None, str, str, int | None, date | None, int | None, datetime]
_ActivityRow = tuple[int, int, int, str, int | None, date, datetime]


@dataclass(frozen=True)
class _Rows:
    """Rows of the four tables with ids above those of a :class:`RegistryState`."""

    attendances: list[_AttendanceRow]
    topics: list[_TopicRow]
    persons: list[_PersonRow]
    activities: list[_ActivityRow]


def _rows_after(read: RegistryState) -> _Rows:
    """The rows added after ``read`` (everything after an empty state): one query per table.

    Attendances are read first and topic links before their activities, so that the persons
    and activities a row refers to were committed before it was read and are in the reads
    that follow."""
    from akt.activities.models import Activity, Attendance
    from akt.people.models import Person

    attendances: list[_AttendanceRow] = list(
        Attendance.objects.filter(pk__gt=read.last_attendance)
        .values_list("pk", "activity_id", "person_id", "organization_id")
        .order_by()
        .iterator(chunk_size=20000)
    )
    topics: list[_TopicRow] = list(
        Activity.topics.through.objects.filter(pk__gt=read.last_topic_row)
        .values_list("pk", "activity_id", "topic_id")
        .order_by("activity_id", "topic_id")
    )
    persons: list[_PersonRow] = list(
        Person.objects.filter(pk__gt=read.last_person)
        .values_list(
            "pk",
            "identity_id",
            "given_name",
            "family_name",
            "municipality_id",
            "birth_date",
            "birth_year",
            "updated_at",
        )
        .order_by()
    )
    activities: list[_ActivityRow] = list(
        Activity.objects.filter(pk__gt=read.last_activity)
        .values_list(
            "pk",
            "municipality_id",
            "component_id",
            "kind",
            "project_id",
            "start_date",
            "updated_at",
        )
        .order_by()
    )
    return _Rows(attendances=attendances, topics=topics, persons=persons, activities=activities)


def _latest(current: datetime | None, rows: Iterable[tuple[Any, ...]]) -> datetime | None:
    """The latest ``updated_at`` (each row's last field) of the rows and ``current``."""
    found = [row[-1] for row in rows]
    if current is not None:
        found.append(current)
    return max(found, default=None)


def _saved_since(model: Any, last_pk: int, read: Any, latest: Any) -> bool:
    """Whether a row of ``model`` read before (pk up to ``last_pk``, last saved at ``read``) was
    saved since: the latest ``updated_at`` is no longer ``read``, and a row read has a later one."""
    return (
        read is not None
        and latest != read
        and model.objects.filter(pk__lte=last_pk, updated_at__gt=read).exists()
    )


class RegistryContext:
    """The registry's rosters as context: who attended what, with whom, for which organization.

    Built from one read of each table (attendances, the activities with their topics, the
    persons' names), so that profiles of records, of canonical persons and of a roster being
    imported cost no further query. Kept by its users while the registry is unchanged
    (:attr:`state` equals :func:`registry_state`); when rows were only added since, as an
    import adds them, :meth:`extend` reads those alone; anything else is read again.
    """

    def __init__(self) -> None:
        self.occasions: dict[int, Occasion] = {}
        self.name_key: dict[int, str] = {}
        self.canonical: dict[int, int] = {}
        self.residence: dict[int, int | None] = {}
        self.name_parts: dict[int, tuple[str, str]] = {}
        self._municipality: dict[int, int | None] = {}
        self.birth_year: dict[int, int | None] = {}
        self.roster: dict[int, set[str]] = defaultdict(set)  # activity -> attendees' name keys
        self.attended: dict[int, list[tuple[int, int | None]]] = defaultdict(list)  # by record
        self.attendances = 0
        self.visits: dict[int, list[int]] = defaultdict(list)  # canonical person -> activities
        self._organization: dict[tuple[int, int], int | None] = {}
        self.persons = 0
        # How common each name is in the registry, counted over written identities (name,
        # birth year, municipality): a person registered five times the same way is one, so a
        # returning attendee not yet resolved does not make their own name look common. The
        # identities are kept so that a person added later counts only when written anew.
        self._given: dict[str, int] = defaultdict(int)
        self._family: dict[str, int] = defaultdict(int)
        self._identities: set[tuple[str, str, int | None, int | None]] = set()
        self.identities = 0
        # Where rows added later go: the order of activities (start date, then id), each
        # record's first attendance in that order (then by id), the records resolved to a person.
        self._when: dict[int, tuple[date, int]] = {}
        self._first: dict[int, tuple[date, int, int]] = {}
        self._aliases: dict[int, set[int]] = defaultdict(set)
        self.state = RegistryState()
        self._model: ContextModel | None = None
        self._reference: dict[str, dict[str, float]] | None = None
        rows = _rows_after(self.state)
        # A row referring to one not read (written between two reads) is left out, as it
        # always was; such a context is read again at the next change rather than extended.
        self._complete = self._fits(rows)
        self._add(rows)

    def extend(self, state: RegistryState) -> bool:
        """Brings the context up to ``state`` (the registry's now: :func:`registry_state`) by
        reading only the rows added since it was read, when rows were only added: persons,
        activities with their topics, attendances (on new activities or earlier ones, of new
        persons or registered ones). Afterwards every structure is what a new read would give.

        Returns False when anything else changed (a person edited, merged, split or erased; an
        activity edited or voided; a topic of an earlier activity; a row deleted or changed in
        place) or when the rows read do not add up to ``state`` (written meanwhile): the
        context may then be half extended and the caller must read the registry again, a new
        :class:`RegistryContext`. In doubt it returns False.

        Once rows are added the estimated model is dropped: :meth:`model`, given the model
        estimated before, then estimates it as it would after a new read (m and u kept while
        the attendances grew by less than :data:`REESTIMATE_GROWTH` since, estimated again on
        the whole registry otherwise), so extending and reading again give the same model.
        """
        from akt.activities.models import Activity
        from akt.people.models import Person

        read = self.state
        if not self._complete:
            return False
        if (
            state.person_rows < read.person_rows
            or state.activity_rows < read.activity_rows
            or state.topic_rows < read.topic_rows
            or state.attendance_rows < read.attendance_rows
        ):
            return False
        # Rows read before and saved since (``updated_at`` is set on every save, merges and
        # splits included). Topic links and attendances have no such field: a change to one
        # deletes or moves a row, which the counts and sums compared below tell.
        if _saved_since(
            Person, read.last_person, read.persons_changed, state.persons_changed
        ) or _saved_since(
            Activity, read.last_activity, read.activities_changed, state.activities_changed
        ):
            return False
        rows = _rows_after(read)
        if not self._fits(rows):
            return False
        self._add(rows)
        self._model = None
        # Equal only when nothing read before was deleted or changed in place, and nothing was
        # written between ``state`` and the reads; a context extended past a change it cannot
        # tell is never extended again.
        if self.state != state:
            self._complete = False
            return False
        return True

    def _fits(self, rows: _Rows) -> bool:
        """Whether ``rows`` only add to what the context holds: topic links of new activities
        alone, attendances of activities and persons read before or now."""
        activities = {row[0] for row in rows.activities}
        persons = {row[0] for row in rows.persons}
        if not activities.isdisjoint(self.occasions) or not persons.isdisjoint(self.name_key):
            return False
        if any(activity not in activities for _pk, activity, _topic in rows.topics):
            return False
        return all(
            (activity in activities or activity in self.occasions)
            and (person in persons or person in self.name_key)
            for _pk, activity, person, _organization in rows.attendances
        )

    def _add(self, rows: _Rows) -> None:
        """Adds rows read after :attr:`state` to every structure, as one read of them all
        would have built it, and moves :attr:`state` past them."""
        from akt.text.names import sorted_name_key, sound_key

        topics: dict[int, list[int]] = defaultdict(list)
        for _pk, activity, topic in rows.topics:  # by activity, then topic
            topics[activity].append(topic)
        for pk, municipality, component, kind, project, start, _changed in rows.activities:
            topic_key = ",".join(map(str, topics.get(pk, ())))
            self.occasions[pk] = Occasion(
                activity=pk,
                series=(
                    f"project:{project}"
                    if project
                    else f"{municipality}:{component}:{kind}:{topic_key}"
                ),
                setting=f"{municipality}:{component}",
            )
            self._when[pk] = (start, pk)

        keys: dict[tuple[str, str], str] = {}
        sounds: dict[str, str] = {}

        def sound(text: str) -> str:
            found = sounds.get(text)
            if found is None:
                found = sounds[text] = sound_key(text or "")
            return found

        for pk, identity, given, family, municipality, born, year, _changed in rows.persons:
            self.birth_year[pk] = born.year if born else year
            self.name_parts[pk] = (sound(given), sound(family))
            self._municipality[pk] = municipality
            names = (given, family)
            key = keys.get(names)
            if key is None:
                key = keys[names] = sorted_name_key(given, family)
            self.name_key[pk] = key
            self.canonical[pk] = identity or pk
            if identity is None:
                self.residence[pk] = municipality
                self.persons += 1
            else:
                self._aliases[identity].add(pk)
            written = (*self.name_parts[pk], self.birth_year[pk], municipality)
            if written not in self._identities:
                self._identities.add(written)
                self._given[written[0]] += 1
                self._family[written[1]] += 1
        self.identities = len(self._identities)

        touched: set[int] = set()
        for pk, activity, person, organization in rows.attendances:
            if activity not in self.occasions or person not in self.name_key:
                continue
            self.roster[activity].add(self.name_key[person])
            self.attended[person].append((activity, organization))
            first = (*self._when[activity], pk)
            if person not in self._first or first < self._first[person]:
                self._first[person] = first
            touched.add(person)
            self.attendances += 1
        for record in touched:
            self.attended[record].sort(key=lambda visit: self._when[visit[0]])  # oldest first
        for person in {self.canonical[record] for record in touched}:
            self._gather(person)
        self.state = self._state_after(rows)

    def _gather(self, person: int) -> None:
        """A canonical person's activities, oldest first, through every record resolved to
        them, and the organization they attended each one for. Where two of their records
        attended one activity, the organization is that of the record whose first attendance
        comes later (the order one read of the attendances always wrote them in)."""
        records = [
            record
            for record in (person, *self._aliases.get(person, ()))
            if record in self.attended and self.canonical.get(record) == person
        ]
        records.sort(key=self._first.__getitem__)
        visits: list[int] = []
        for record in records:
            for activity, organization in self.attended[record]:
                visits.append(activity)
                self._organization[(person, activity)] = organization
        visits.sort(key=self._when.__getitem__)
        self.visits[person] = visits

    def _state_after(self, rows: _Rows) -> RegistryState:
        """:attr:`state` moved past ``rows``: the figures :func:`registry_state` gives for the
        rows read so far."""
        read = self.state
        return RegistryState(
            person_rows=read.person_rows + len(rows.persons),
            last_person=max((row[0] for row in rows.persons), default=read.last_person),
            persons_changed=_latest(read.persons_changed, rows.persons),
            activity_rows=read.activity_rows + len(rows.activities),
            last_activity=max((row[0] for row in rows.activities), default=read.last_activity),
            activities_changed=_latest(read.activities_changed, rows.activities),
            topic_rows=read.topic_rows + len(rows.topics),
            last_topic_row=max((row[0] for row in rows.topics), default=read.last_topic_row),
            topic_sums=(
                read.topic_sums[0] + sum(row[1] for row in rows.topics),
                read.topic_sums[1] + sum(row[2] for row in rows.topics),
            ),
            attendance_rows=read.attendance_rows + len(rows.attendances),
            last_attendance=max((row[0] for row in rows.attendances), default=read.last_attendance),
            attendance_sums=(
                read.attendance_sums[0] + sum(row[1] for row in rows.attendances),
                read.attendance_sums[1] + sum(row[2] for row in rows.attendances),
                read.attendance_sums[2] + sum(row[3] or 0 for row in rows.attendances),
            ),
        )

    def name_commonness(self, given_key: str, family_key: str) -> float:
        """:func:`commonness_bits` of a name agreed on (the sound keys of its two parts)."""
        if self._reference is None:
            from akt.linkage import pipeline

            self._reference = pipeline.load_model().get("term_frequencies") or {}
        bits = 0.0
        for key, counts, column in (
            (given_key, self._given, "given_key"),
            (family_key, self._family, "family_key"),
        ):
            count = counts.get(key, 0)
            if not key or count < MIN_NAME_COUNT or not self.identities:
                continue
            reference = max(self._reference.get(column, {}).get(key, 0.0), 0.001)
            bits += commonness_bits(reference, count / self.identities)
        return bits

    def profile_of_activities(
        self, activities: Iterable[tuple[int, int | None]], *, companions: Iterable[str] = ()
    ) -> Profile:
        """A profile of these (activity, organization) attendances, plus extra companions."""
        profile = Profile()
        for activity, organization in activities:
            occasion = self.occasions.get(activity)
            if occasion is not None:
                profile.add(occasion, organization, self.roster.get(activity, ()))
        profile.companions.update(companions)
        return profile

    def record_profile(self, record: int) -> Profile:
        """One person record's own attendances (the unit the registry batch links)."""
        return self.profile_of_activities(self.attended.get(record, ()))

    def person_profile(self, person: int) -> Profile:
        """A canonical person's attendances, through every record resolved to them."""
        return self.profile_of_activities(
            (activity, self._organization.get((person, activity)))
            for activity in self.visits.get(person, ())
        )

    def row_profile(
        self, *, activity: int, organization: int | None, companions: Iterable[str]
    ) -> Profile:
        """A row of a roster being imported: its activity, and the other rows' name keys."""
        profile = Profile()
        occasion = self.occasions.get(activity)
        if occasion is not None:
            profile.add(occasion, organization, companions)
            profile.companions.update(self.roster.get(activity, ()))
        return profile

    def model(self, earlier: ContextModel | None = None) -> ContextModel:
        """The estimated :class:`ContextModel` (computed once per snapshot).

        With an ``earlier`` estimate made on at least 1 / (1 + :data:`REESTIMATE_GROWTH`) of
        today's attendances, its m and u are kept and only the return rate and the registry's
        size are brought up to date: a folder of rosters does not estimate again per file.
        Otherwise m and u are estimated on the whole registry (they depend on every person's
        activities and neighbours), the same after :meth:`extend` as after a new read.
        """
        if self._model is None and earlier is not None and earlier.m_samples >= MIN_SAMPLES:
            if earlier.attendances * (1 + REESTIMATE_GROWTH) >= self.attendances:
                self._model = replace(
                    earlier,
                    return_rate=return_rate(self.attendances, len(self.visits)),
                    persons=self.persons,
                )
        if self._model is None:
            profiles: dict[int, Profile] = {}

            def profile_of_person(person: int) -> Profile:
                found = profiles.get(person)
                if found is None:
                    found = profiles[person] = self.person_profile(person)
                return found

            class _Lazy(dict):  # type: ignore[type-arg]
                def __missing__(self, person: int) -> Profile:
                    return profile_of_person(person)

            self._model = estimate(
                visits=self.visits,
                profile_of=_Lazy(),
                occasion_profile=lambda person, acts: self.profile_of_activities(
                    (activity, self._organization.get((person, activity))) for activity in acts
                ),
                residence=self.residence,
                name_key=self.name_key,
                attendances=self.attendances,
                persons=self.persons,
            )
        return self._model
