"""The columnar verdicts on mixed activities are the composition module's, row for row."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from akt.counting import columnar
from akt.counting.composition import (
    ActivityRow,
    AttendanceRow,
    MixRule,
    Verdict,
    mixed_activities,
)
from akt.counting.engine import Fact, Source

COMMUNITIES = ("albanian", "serb", "roma", "turkish", "prefer-not-to-say", None)
ROLES = ("participant", "participant", "trainer")
CODES = {Verdict.MIXED: columnar.MIXED, Verdict.NOT_MIXED: columnar.NOT_MIXED,
         Verdict.UNDETERMINED: columnar.UNDETERMINED}  # fmt: skip


@st.composite
def programs(draw: st.DrawFn) -> tuple[list, list, MixRule]:
    activities = draw(st.integers(1, 6))
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(1, activities),
                st.sampled_from(COMMUNITIES),
                st.booleans(),  # a tally cell
                st.integers(0, 30),  # its headcount
                st.sampled_from(ROLES),
            ),
            max_size=40,
        )
    )
    rule = MixRule(
        threshold=draw(st.sampled_from(["1/10", "1/4", "1/3", "1/2"])),
        min_headcount=draw(st.integers(1, 3)),
        min_known_share=draw(st.sampled_from(["0", "1/2", "3/4"])),
    )
    return (
        [(pk, date(2015, 1, 1) + timedelta(days=pk)) for pk in range(1, activities + 1)],
        rows,
        rule,
    )


@settings(max_examples=150, deadline=None)
@given(programs())
def test_columnar_verdicts_equal_the_composition_modules(case: tuple) -> None:
    activities, rows, rule = case
    facts = [
        Fact(source=Source.ACTIVITIES, record_id=pk, date=day, municipality=1, activity=pk)
        for pk, day in activities
    ]
    attendance = []
    for number, (activity, community, is_tally, heads, role) in enumerate(rows, start=1):
        day = dict(activities)[activity]
        if is_tally:
            if heads:  # an empty tally cell is absent, as the engine reads it
                facts.append(Fact(
                    source=Source.ATTENDANCE, record_id=number, date=day, municipality=1,
                    activity=activity, headcount=heads, is_tally=True,
                    attrs={"community": community, "role": "participant"},
                ))  # fmt: skip
            attendance.append(
                AttendanceRow(
                    record_id=number,
                    activity=activity,
                    community=community,
                    headcount=heads,
                    is_tally=True,
                )
            )
        else:
            facts.append(Fact(
                source=Source.ATTENDANCE, record_id=number, date=day, municipality=1,
                activity=activity, person=number, attrs={"community": community, "role": role},
            ))  # fmt: skip
            attendance.append(
                AttendanceRow(
                    record_id=number,
                    activity=activity,
                    community=community,
                    person=number,
                    role=role,
                )
            )
    columns = columnar.from_facts(facts)
    if Source.ATTENDANCE not in columns:
        columns[Source.ATTENDANCE] = columnar.SourceColumns.empty(Source.ATTENDANCE)
    undeclared = frozenset({"prefer-not-to-say"})

    found = columnar.mixed_verdicts(
        columns[Source.ACTIVITIES], columns[Source.ATTENDANCE], rule, undeclared
    )
    expected = mixed_activities(
        [ActivityRow(id=pk, municipality=1, kind="training", date=day) for pk, day in activities],
        attendance,
        threshold=rule.threshold,
        min_headcount=rule.min_headcount,
        min_known_share=rule.min_known_share,
        undeclared=undeclared,
    )
    got = dict(zip(found.activity.tolist(), found.verdict.tolist(), strict=True))
    assert got == {pk: CODES[item.verdict] for pk, item in expected.activities.items()}
