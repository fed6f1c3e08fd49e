"""Tests for the pure composition functions (mixed activities, representation); no database.

The property-based tests compare with brute-force counts written here from the rules in the
module's docstring (architecture section 4), not from its code.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from akt.counting.composition import (
    UNDECLARED,
    ActivityRow,
    AttendanceRow,
    Missing,
    MixRule,
    PopulationShare,
    Unit,
    Verdict,
    mixed_activities,
    representation,
)

PROPERTY = settings(
    max_examples=200,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

DAY = date(2015, 5, 12)
GRACANICA, ZVECAN = 1, 2


def activity(pk: int, municipality: int | None = GRACANICA, kind: str = "workshop") -> ActivityRow:
    return ActivityRow(id=pk, municipality=municipality, kind=kind, date=DAY)


class Sheet:
    """Roster rows and tally cells with fresh record ids, written the way a sheet reads."""

    def __init__(self) -> None:
        self.rows: list[AttendanceRow] = []
        self._next = {True: 0, False: 0}
        self._person = 0

    def _id(self, tally: bool) -> int:
        self._next[tally] += 1
        return self._next[tally]

    def roster(
        self,
        activity: int,
        community: str | None,
        n: int = 1,
        *,
        role: str = "participant",
        person: int | None = None,
    ) -> list[int]:
        persons = []
        for _ in range(n):
            if person is None:
                self._person += 1
                who = 1000 + self._person
            else:
                who = person
            self.rows.append(
                AttendanceRow(
                    record_id=self._id(False),
                    activity=activity,
                    community=community,
                    person=who,
                    role=role,
                )
            )
            persons.append(who)
        return persons

    def tally(self, activity: int, community: str | None, headcount: int) -> None:
        self.rows.append(
            AttendanceRow(
                record_id=self._id(True),
                activity=activity,
                community=community,
                headcount=headcount,
                is_tally=True,
            )
        )


def verdicts(activities: list[ActivityRow], sheet: Sheet, **rule: object) -> dict[int, Verdict]:
    result = mixed_activities(activities, sheet.rows, **rule)
    return {pk: item.verdict for pk, item in result.activities.items()}


# --- Mixed activities: examples ---------------------------------------------------------------


def test_two_communities_above_the_threshold_make_an_activity_mixed() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 7)
    sheet.roster(1, "albanian", 3)
    result = mixed_activities([activity(1)], sheet.rows)
    item = result.activities[1]
    assert item.verdict is Verdict.MIXED
    assert dict(item.counts) == {"serb": 7, "albanian": 3}
    assert item.present == {"serb", "albanian"}
    assert result.overall.share_mixed == 1


def test_one_community_is_not_mixed() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 12)
    assert verdicts([activity(1)], sheet) == {1: Verdict.NOT_MIXED}


def test_exactly_at_the_threshold_counts_as_present() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 9)
    sheet.roster(1, "albanian", 1)  # 1 of 10: exactly 10%
    sheet.roster(2, "serb", 10)
    sheet.roster(2, "albanian", 1)  # 1 of 11: just under 10%
    found = verdicts([activity(1), activity(2)], sheet)
    assert found == {1: Verdict.MIXED, 2: Verdict.NOT_MIXED}
    # A float threshold is read as written (0.1 is 1/10, not its binary neighbour above it).
    assert verdicts([activity(1), activity(2)], sheet, threshold=0.1) == found
    # At 20%, neither.
    assert set(verdicts([activity(1), activity(2)], sheet, threshold="0.2").values()) == {
        Verdict.NOT_MIXED
    }


def test_minimum_headcount_keeps_a_single_guest_from_making_an_event_mixed() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 4)
    sheet.roster(1, "albanian", 1)  # 20% of a small meeting
    assert verdicts([activity(1)], sheet) == {1: Verdict.MIXED}
    assert verdicts([activity(1)], sheet, min_headcount=2) == {1: Verdict.NOT_MIXED}


def test_tally_only_activity_is_judged_from_its_headcounts() -> None:
    sheet = Sheet()
    sheet.tally(1, "serb", 140)
    sheet.tally(1, "albanian", 40)
    sheet.tally(1, None, 20)  # heads whose community nobody noted
    result = mixed_activities([activity(1, kind="joint_activity")], sheet.rows)
    item = result.activities[1]
    assert (item.known, item.unknown, item.verdict) == (180, 20, Verdict.MIXED)


def test_undeclared_and_prefer_not_to_say_are_unknown_never_a_community() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 5)
    sheet.roster(1, "prefer-not-to-say", 3)
    sheet.roster(1, None, 2)
    sheet.roster(1, "", 1)
    item = mixed_activities([activity(1)], sheet.rows).activities[1]
    assert dict(item.counts) == {"serb": 5}
    assert item.unknown == 6
    # 5 of 11 declared: less than half, so it cannot be judged, and is not "not mixed".
    assert item.verdict is Verdict.UNDETERMINED


def test_all_unknown_is_undetermined_and_not_counted_as_not_mixed() -> None:
    sheet = Sheet()
    sheet.roster(1, None, 6)
    sheet.tally(2, "prefer-not-to-say", 30)
    sheet.roster(3, "serb", 4)
    result = mixed_activities([activity(1), activity(2), activity(3), activity(4)], sheet.rows)
    assert {pk: item.verdict for pk, item in result.activities.items()} == {
        1: Verdict.UNDETERMINED,
        2: Verdict.UNDETERMINED,
        3: Verdict.NOT_MIXED,
        4: Verdict.UNDETERMINED,  # nobody on record at all
    }
    overall = result.overall
    assert (overall.activities, overall.mixed, overall.not_mixed) == (4, 0, 1)
    assert (overall.undetermined, overall.no_attendance) == (3, 1)
    assert overall.share_mixed == 0  # of the one activity that could be judged


def test_nothing_judged_has_no_share() -> None:
    sheet = Sheet()
    sheet.roster(1, None, 3)
    assert mixed_activities([activity(1)], sheet.rows).overall.share_mixed is None
    assert mixed_activities([], []).overall.share_mixed is None


def test_min_known_share_decides_which_activities_can_be_judged() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 2)
    sheet.roster(1, "albanian", 2)
    sheet.roster(1, None, 4)  # half declared
    assert verdicts([activity(1)], sheet) == {1: Verdict.MIXED}
    assert verdicts([activity(1)], sheet, min_known_share="0.6") == {1: Verdict.UNDETERMINED}
    sheet.roster(1, None, 1)  # now under half
    assert verdicts([activity(1)], sheet) == {1: Verdict.UNDETERMINED}
    assert verdicts([activity(1)], sheet, min_known_share=0) == {1: Verdict.MIXED}


def test_trainers_and_organizers_do_not_make_a_workshop_mixed() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 10)
    sheet.roster(1, "albanian", 2, role="trainer")
    assert verdicts([activity(1)], sheet) == {1: Verdict.NOT_MIXED}
    assert verdicts([activity(1)], sheet, roles={"participant", "trainer"}) == {1: Verdict.MIXED}


def test_empty_tally_cell_is_absent() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 3)
    sheet.tally(1, "albanian", 0)
    item = mixed_activities([activity(1)], sheet.rows).activities[1]
    assert dict(item.counts) == {"serb": 3}


def test_summaries_by_municipality_and_kind() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 5)
    sheet.roster(1, "albanian", 5)
    sheet.roster(2, "serb", 5)
    sheet.roster(3, "albanian", 3)
    sheet.roster(3, "roma", 1)
    activities = [
        activity(1, GRACANICA, "workshop"),
        activity(2, GRACANICA, "training"),
        activity(3, ZVECAN, "workshop"),
        activity(4, None, "meeting"),
    ]
    result = mixed_activities(activities, sheet.rows)
    assert result.by_municipality[GRACANICA].share_mixed == Fraction(1, 2)
    assert result.by_municipality[ZVECAN].mixed == 1
    assert result.by_municipality[None].undetermined == 1
    assert result.by_kind["workshop"].share_mixed == 1
    assert result.by_kind["training"].share_mixed == 0
    assert list(result.by_kind) == ["meeting", "training", "workshop"]
    assert result.overall.share_mixed == Fraction(2, 3)


@pytest.mark.parametrize(
    "rule",
    [
        {"threshold": 0},
        {"threshold": "0.51"},
        {"threshold": -1},
        {"min_headcount": 0},
        {"min_known_share": "1.5"},
        {"roles": set()},
        {"roles": "participant"},
    ],
)
def test_rule_parameters_that_make_no_sense_are_refused(rule: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        MixRule(**rule)  # type: ignore[arg-type]


def test_a_row_given_twice_or_of_an_unknown_activity_is_refused() -> None:
    row = AttendanceRow(record_id=1, activity=1, community="serb", person=7)
    with pytest.raises(ValueError, match="given twice"):
        mixed_activities([activity(1)], [row, row])
    with pytest.raises(ValueError, match="not among the activities"):
        mixed_activities([activity(2)], [row])
    # A roster row and a tally cell may share a record id: they are different tables.
    cell = AttendanceRow(record_id=1, activity=1, community="roma", headcount=3, is_tally=True)
    assert mixed_activities([activity(1)], [row, cell]).activities[1].known == 4


def test_attendance_rows_keep_their_invariants() -> None:
    with pytest.raises(ValueError):
        AttendanceRow(record_id=1, activity=1, community=None, headcount=2)
    with pytest.raises(ValueError):
        AttendanceRow(record_id=1, activity=1, community=None, person=3, is_tally=True)
    with pytest.raises(ValueError):
        AttendanceRow(record_id=1, activity=1, community=None, headcount=-1, is_tally=True)


# --- Representation: examples -----------------------------------------------------------------


def figure(
    community: str, share: str | None, *, municipality: int = GRACANICA, year: int = 2011
) -> PopulationShare:
    return PopulationShare(
        municipality=municipality,
        community=community,
        share=None if share is None else Fraction(share),
        population=None,
        source="census",
        year=year,
    )


def test_representation_ratio_sets_participants_against_population() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 8)
    sheet.roster(1, "albanian", 2)
    sheet.roster(1, None, 3)
    sheet.tally(1, "roma", 10)  # heads cannot be told apart into persons
    found = representation(
        [activity(1)], sheet.rows, [figure("albanian", "0.0944")], {GRACANICA: "serb"}
    )[GRACANICA]
    assert (found.participants, found.unknown, found.tally_headcount) == (10, 3, 10)
    rows = {row.community: row for row in found.rows}
    albanian = rows["albanian"]
    assert albanian.participants_share == Fraction(2, 10)
    assert albanian.ratio == Fraction(2, 10) / Fraction("0.0944")
    assert albanian.missing is None
    # The Serb share of Gračanica's population is not published: not known, never 0.
    assert rows["serb"].ratio is None
    assert rows["serb"].missing is Missing.POPULATION_NOT_KNOWN
    assert rows["serb"].is_majority and found.rows[0].community == "serb"
    # Nor the non-majority communities together, since the majority's share is not known.
    assert found.non_majority.participants == 2
    assert found.non_majority.ratio is None
    assert found.non_majority.missing is Missing.MAJORITY_NOT_KNOWN


def test_non_majority_together_against_the_rest_of_the_population() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 6)
    sheet.roster(1, "albanian", 3)
    sheet.roster(1, "bosniak", 1)
    populations = [
        figure("serb", "0.75", municipality=ZVECAN),
        figure("albanian", "0.2", municipality=ZVECAN),
    ]
    found = representation([activity(1, ZVECAN)], sheet.rows, populations, {ZVECAN: "serb"})
    together = found[ZVECAN].non_majority
    assert together.participants == 4
    assert together.population_share == Fraction(1, 4)
    assert together.ratio == Fraction(4, 10) / Fraction(1, 4)
    rows = {row.community: row for row in found[ZVECAN].rows}
    assert rows["serb"].ratio == Fraction(6, 10) / Fraction(3, 4)
    assert rows["bosniak"].missing is Missing.POPULATION_NOT_KNOWN


def test_persons_count_once_attendances_every_time() -> None:
    sheet = Sheet()
    (returning,) = sheet.roster(1, "albanian")
    sheet.roster(2, "albanian", person=returning)
    sheet.roster(1, "serb", 2)
    sheet.tally(2, "serb", 5)
    activities = [activity(1), activity(2)]
    populations = [figure("albanian", "0.1")]
    persons = representation(activities, sheet.rows, populations, {GRACANICA: "serb"})
    assert {r.community: r.participants for r in persons[GRACANICA].rows} == {
        "serb": 2,
        "albanian": 1,
    }
    assert persons[GRACANICA].tally_headcount == 5
    attendances = representation(
        activities, sheet.rows, populations, {GRACANICA: "serb"}, unit="attendances"
    )
    assert {r.community: r.participants for r in attendances[GRACANICA].rows} == {
        "serb": 7,
        "albanian": 2,
    }
    assert attendances[GRACANICA].tally_headcount == 0
    albanian = next(r for r in attendances[GRACANICA].rows if r.community == "albanian")
    assert dict(albanian.activities) == {1: 1, 2: 1}


def test_a_persons_community_is_the_first_one_declared() -> None:
    sheet = Sheet()
    early = ActivityRow(id=1, municipality=GRACANICA, kind="workshop", date=DAY)
    late = ActivityRow(id=2, municipality=GRACANICA, kind="workshop", date=DAY + timedelta(9))
    sheet.roster(2, "serb", person=5)  # a later record says Serb
    sheet.roster(1, None, person=5)  # the first says nothing
    sheet.roster(1, "albanian", person=5)  # a second record of the same day says Albanian
    found = representation([early, late], sheet.rows, [], {GRACANICA: "serb"})[GRACANICA]
    assert {r.community: r.participants for r in found.rows} == {"albanian": 1}
    assert found.unknown == 0


def test_a_community_with_a_figure_and_nobody_taking_part_has_a_real_zero() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 4)
    found = representation(
        [activity(1)], sheet.rows, [figure("albanian", "0.2")], {GRACANICA: "serb"}
    )
    albanian = next(r for r in found[GRACANICA].rows if r.community == "albanian")
    assert (albanian.participants, albanian.ratio, albanian.missing) == (0, 0, None)


def test_no_declared_participants_means_no_ratio_not_zero() -> None:
    sheet = Sheet()
    sheet.roster(1, None, 4)
    sheet.roster(1, "prefer-not-to-say", 2)
    found = representation(
        [activity(1)], sheet.rows, [figure("albanian", "0.2")], {GRACANICA: "serb"}
    )[GRACANICA]
    assert (found.participants, found.unknown) == (0, 6)
    (albanian,) = found.rows
    assert albanian.participants_share is None
    assert (albanian.ratio, albanian.missing) == (None, Missing.NO_PARTICIPANTS)


def test_zero_population_share_gives_no_ratio() -> None:
    sheet = Sheet()
    sheet.roster(1, "albanian", 1)
    found = representation(
        [activity(1)], sheet.rows, [figure("albanian", "0")], {GRACANICA: "serb"}
    )
    (albanian,) = found[GRACANICA].rows
    assert albanian.missing is Missing.POPULATION_SHARE_ZERO


def test_the_latest_figure_with_a_share_is_used() -> None:
    populations = [
        figure("albanian", "0.3", year=2011),
        figure("albanian", "0.2", year=2013),
        figure("albanian", None, year=2018),  # a headcount only
    ]
    found = representation([], [], populations, {GRACANICA: "serb"})
    (albanian,) = found[GRACANICA].rows
    assert albanian.population is not None and albanian.population.year == 2013
    assert albanian.population_share == Fraction("0.2")
    assert albanian.missing is Missing.NO_PARTICIPANTS


def test_unknown_majority_has_no_non_majority() -> None:
    sheet = Sheet()
    sheet.roster(1, "serb", 2)
    sheet.roster(1, "albanian", 2)
    found = representation([activity(1)], sheet.rows, [], {})[GRACANICA]
    assert found.non_majority.participants == 0
    assert found.non_majority.missing is Missing.MAJORITY_NOT_KNOWN


def test_a_population_for_prefer_not_to_say_is_refused() -> None:
    with pytest.raises(ValueError):
        representation([], [], [figure("prefer-not-to-say", "0.1")], {})
    with pytest.raises(ValueError):
        figure("albanian", "1.2")


def test_municipalities_reported_can_be_chosen() -> None:
    found = representation([activity(1, GRACANICA)], [], [], {}, municipalities=[ZVECAN])
    assert list(found) == [ZVECAN]
    assert found[ZVECAN].rows == ()


# --- Property-based: the functions equal brute-force counts -----------------------------------

COMMUNITIES = ["serb", "albanian", "roma", "bosniak", "prefer-not-to-say", None, ""]
ROLES = ["participant", "participant", "trainer", "organizer"]
KINDS = ["workshop", "training", "public_hearing"]
PLACES = [GRACANICA, ZVECAN, None]


@st.composite
def records(draw: st.DrawFn) -> tuple[list[ActivityRow], list[AttendanceRow]]:
    n = draw(st.integers(0, 8))
    activities = [
        ActivityRow(
            id=pk,
            municipality=draw(st.sampled_from(PLACES)),
            kind=draw(st.sampled_from(KINDS)),
            date=DAY + timedelta(days=draw(st.integers(0, 40))),
        )
        for pk in range(1, n + 1)
    ]
    rows: list[AttendanceRow] = []
    if activities:
        for record_id in range(1, draw(st.integers(0, 40)) + 1):
            rows.append(
                AttendanceRow(
                    record_id=record_id,
                    activity=draw(st.integers(1, n)),
                    community=draw(st.sampled_from(COMMUNITIES)),
                    person=draw(st.integers(1, 12)),
                    role=draw(st.sampled_from(ROLES)),
                )
            )
        for record_id in range(1, draw(st.integers(0, 8)) + 1):
            rows.append(
                AttendanceRow(
                    record_id=record_id,
                    activity=draw(st.integers(1, n)),
                    community=draw(st.sampled_from(COMMUNITIES)),
                    headcount=draw(st.integers(0, 30)),
                    is_tally=True,
                )
            )
    draw(st.randoms()).shuffle(rows)
    return activities, rows


def known_community(value: str | None) -> str | None:
    return None if value in (None, "") or value in UNDECLARED else value


def counted_rows(rows: list[AttendanceRow], roles: set[str]) -> list[AttendanceRow]:
    return [
        row
        for row in rows
        if row.headcount > 0 and ("participant" if row.is_tally else row.role) in roles
    ]


@PROPERTY
@given(
    data=records(),
    threshold=st.sampled_from([Fraction(1, 10), Fraction(1, 4), Fraction(1, 3), Fraction(1, 2)]),
    min_headcount=st.integers(1, 4),
    min_known_share=st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(3, 4), Fraction(1)]),
    roles=st.sampled_from([{"participant"}, {"participant", "trainer"}]),
)
def test_mixed_activities_equal_a_brute_force_count(
    data: tuple[list[ActivityRow], list[AttendanceRow]],
    threshold: Fraction,
    min_headcount: int,
    min_known_share: Fraction,
    roles: set[str],
) -> None:
    activities, rows = data
    result = mixed_activities(
        activities,
        rows,
        threshold=threshold,
        min_headcount=min_headcount,
        min_known_share=min_known_share,
        roles=roles,
    )
    counted = counted_rows(rows, roles)
    expected: dict[int, str] = {}
    for a in activities:
        per: dict[str, int] = defaultdict(int)
        unknown = 0
        for row in counted:
            if row.activity != a.id:
                continue
            community = known_community(row.community)
            if community is None:
                unknown += row.headcount
            else:
                per[community] += row.headcount
        known = sum(per.values())
        present = [c for c, n in per.items() if n >= min_headcount and n >= threshold * known]
        if known == 0 or Fraction(known, known + unknown) < min_known_share:
            expected[a.id] = "undetermined"
        else:
            expected[a.id] = "mixed" if len(present) >= 2 else "not_mixed"
        item = result.activities[a.id]
        assert dict(item.counts) == dict(per)
        assert item.unknown == unknown

    assert {pk: str(item.verdict) for pk, item in result.activities.items()} == expected
    assert result.overall.activities == len(activities)
    assert result.overall.mixed == sum(v == "mixed" for v in expected.values())
    assert result.overall.not_mixed == sum(v == "not_mixed" for v in expected.values())
    assert result.overall.undetermined == sum(v == "undetermined" for v in expected.values())
    for place in {a.municipality for a in activities}:
        ids = [a.id for a in activities if a.municipality == place]
        mixed = sum(expected[pk] == "mixed" for pk in ids)
        judged = sum(expected[pk] != "undetermined" for pk in ids)
        summary = result.by_municipality[place]
        assert (summary.activities, summary.mixed, summary.judged) == (len(ids), mixed, judged)
        assert summary.share_mixed == (Fraction(mixed, judged) if judged else None)
    for kind in {a.kind for a in activities}:
        ids = [a.id for a in activities if a.kind == kind]
        assert result.by_kind[kind].mixed == sum(expected[pk] == "mixed" for pk in ids)
    # The parts add up: nothing falls out of the summaries.
    assert sum(s.activities for s in result.by_municipality.values()) == len(activities)
    assert sum(s.activities for s in result.by_kind.values()) == len(activities)


@PROPERTY
@given(
    data=records(),
    unit=st.sampled_from(list(Unit)),
    serb_share=st.sampled_from([None, Fraction(0), Fraction(3, 4), Fraction(1)]),
    albanian_share=st.sampled_from([None, Fraction(1, 10), Fraction(1, 5)]),
)
def test_representation_equals_a_brute_force_count(
    data: tuple[list[ActivityRow], list[AttendanceRow]],
    unit: Unit,
    serb_share: Fraction | None,
    albanian_share: Fraction | None,
) -> None:
    activities, rows = data
    populations = [
        PopulationShare(GRACANICA, "serb", serb_share, None, "census", 2011),
        PopulationShare(GRACANICA, "albanian", albanian_share, 100, "census", 2011),
        PopulationShare(ZVECAN, "albanian", Fraction(1, 50), None, "osce_estimate", 2013),
    ]
    majorities = {GRACANICA: "serb", ZVECAN: "serb"}
    result = representation(activities, rows, populations, majorities, unit=unit)

    place_of = {a.id: a.municipality for a in activities}
    day_of = {a.id: a.date for a in activities}
    counted = [r for r in counted_rows(rows, {"participant"}) if place_of[r.activity] is not None]
    # A person's community: their earliest row (date, record id) that declares one.
    declared_rows = sorted(
        (
            (day_of[r.activity], r.record_id, r)
            for r in counted
            if not r.is_tally and known_community(r.community)
        ),
        key=lambda item: item[:2],
    )
    person_community: dict[int, str] = {}
    for _day, _record, row in declared_rows:
        person_community.setdefault(row.person, row.community)

    assert set(result) == {p for p in place_of.values() if p is not None} | {GRACANICA, ZVECAN}
    for place, found in result.items():
        here = [r for r in counted if place_of[r.activity] == place]
        per: dict[str | None, int] = defaultdict(int)
        if unit is Unit.PERSONS:
            persons: dict[str | None, set[int]] = defaultdict(set)
            for row in here:
                if not row.is_tally:
                    persons[person_community.get(row.person)].add(row.person)
            per.update({c: len(p) for c, p in persons.items()})
            assert found.tally_headcount == sum(r.headcount for r in here if r.is_tally)
        else:
            for row in here:
                per[known_community(row.community)] += row.headcount
            assert found.tally_headcount == 0
        known = sum(n for c, n in per.items() if c is not None)
        assert (found.participants, found.unknown) == (known, per.get(None, 0))

        shares = {
            (p.municipality, p.community): p.share for p in populations if p.municipality == place
        }
        by_community = {row.community: row for row in found.rows}
        expected_communities = {c for c in per if c is not None} | {c for _p, c in shares}
        assert set(by_community) == expected_communities
        for community, row in by_community.items():
            assert row.participants == per.get(community, 0)
            population = shares.get((place, community))
            if population is None:
                assert (row.ratio, row.missing) == (None, Missing.POPULATION_NOT_KNOWN)
            elif population == 0:
                assert (row.ratio, row.missing) == (None, Missing.POPULATION_SHARE_ZERO)
            elif known == 0:
                assert (row.ratio, row.missing) == (None, Missing.NO_PARTICIPANTS)
            else:
                assert row.ratio == Fraction(per.get(community, 0), known) / population
        others = sum(n for c, n in per.items() if c not in (None, "serb"))
        assert found.non_majority.participants == others
        majority_share = shares.get((place, "serb"))
        if majority_share is None:
            assert found.non_majority.missing is Missing.MAJORITY_NOT_KNOWN
        elif majority_share == 1:
            assert found.non_majority.missing is Missing.POPULATION_SHARE_ZERO
        elif known:
            assert found.non_majority.ratio == Fraction(others, known) / (1 - majority_share)
        # Drill-down: the attendance behind each row adds up to its participants' attendance.
        for row in found.rows:
            if unit is Unit.ATTENDANCES:
                assert sum(row.activities.values()) == row.participants
