"""The fast reader and the columnar engine against the ORM feed and the reference engine.

On factory data (the results pages' two municipalities plus records that exercise every rule:
merged persons, an organization taken from the person, a declared and an undeclared community,
ages from birth dates and birth years, tallies, drafts and unfinished projects), the columns read
by :func:`read_columns` must hold the same facts as ``facts.facts_for``, and the tracking table
computed from them, and every page's figure (``results_compute``), must equal the reference
engine over the ORM feed (``reference_results``) window by window, ids included. Runs on SQLite
and, with ``AKT_DATABASE_URL`` set, on PostgreSQL (binary COPY).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from akt.activities.models import Activity, ActivityKind, Attendance, Tally
from akt.counting import columnar, engine
from akt.counting.periods import Period
from akt.indicators.column_reader import read_columns
from akt.indicators.fact_reader import definition_for, facts_for
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.selectors import (
    TRACKING_CROSS_TABS,
    life_of_project,
    reference_results,
    results_compute,
    results_table_compute,
)
from akt.people.models import Person
from akt.reports.tests.records import populate
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
    TallyFactory,
    community,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(reference: None) -> None:
    populate("gracanice", debates=2, attendees=3, heads=5, mark="G")
    populate("zvecan", debates=3, attendees=2, heads=9, mark="Z")
    gjilan, zvecan = municipality("gjilan"), municipality("zvecan")
    farm = OrganizationFactory(kind="farm", sector="dairy", municipality=gjilan)
    shop = OrganizationFactory(kind="business", sector="", municipality=gjilan)
    officer = PersonFactory(
        sex="female", affiliation="finance_officer", birth_date=dt.date(1987, 10, 1)
    )
    again = PersonFactory(sex="female", affiliation="finance_officer", birth_year=1987)
    Person.objects.filter(pk=again.pk).update(identity=officer)  # linkage: the same person
    farmer = PersonFactory(
        sex="male", organization=farm, community=community("serb"), birth_year=None
    )
    silent = PersonFactory(sex="", community=community("prefer-not-to-say"), affiliation="")
    days = [dt.date(2015, 9, 30), dt.date(2015, 10, 1), dt.date(2016, 1, 4), dt.date(2017, 4, 30)]
    for number, day in enumerate(days):
        training = ActivityFactory(
            kind=ActivityKind.TRAINING,
            start_date=day,
            end_date=day,
            municipality=zvecan if number % 2 else gjilan,
        )
        training.topics.add(topic("property-tax"), topic("dairy-processing"))
        AttendanceFactory(activity=training, person=officer if number % 2 else again)
        AttendanceFactory(activity=training, person=farmer)
        AttendanceFactory(activity=training, person=silent, organization=shop)
        AttendanceFactory(activity=training, person=PersonFactory(), role="trainer")
        TallyFactory(
            activity=training,
            sex="male",
            community=community("albanian"),
            age_band="30+",
            headcount=3 + number,
        )
    service = ActivityFactory(kind=ActivityKind.BUSINESS_SERVICE, start_date=dt.date(2016, 2, 2))
    for person in (officer, again, farmer):
        AttendanceFactory(activity=service, person=person)
    GrantFactory(amount=Decimal("1234.56"), award_date=dt.date(2016, 1, 1), recipient=farm)
    GrantFactory(amount=Decimal("10.00"), currency="EUR", award_date=dt.date(2016, 5, 1))
    PlanFactory(status="draft", adopted_on=None, period_start=dt.date(2016, 3, 1))
    ProjectFactory(status="under_way", completion_date=None)
    # Entered values: per municipality and program-wide, one in the LOP's last days, a voided one.
    billed = Indicator.objects.get(code="property-tax-billed")
    collected = Indicator.objects.get(code="property-tax-collected")
    for indicator, place, year, amount, voided in (
        (billed, gjilan, 2015, "1500000.00", False),
        (collected, gjilan, 2015, "912345.67", False),
        (billed, zvecan, 2016, "120000.50", False),
        (collected, None, 2014, "50.00", False),
        (collected, zvecan, 2016, "1.00", True),
    ):
        value = OutcomeValue(
            indicator=indicator,
            municipality=place,
            value=Decimal(amount),
            source_document="Annual financial report",
            voided_at=timezone.now() if voided else None,
        )
        value.period = Period.calendar_year(year)
        value.save()


def projected(fact: engine.Fact) -> tuple:
    """What the engine reads of a fact: its fields, age on the day and attributes."""
    age = engine.age_on(fact.date, birth_date=fact.birth_date, birth_year=fact.birth_year)
    attrs = {name: value for name, value in fact.attrs.items() if value not in (None, "")}
    return (
        fact.source,
        fact.is_tally,
        fact.record_id,
        fact.date,
        fact.municipality,
        fact.activity,
        fact.person,
        fact.organization,
        fact.headcount,
        fact.amount,
        age,
        fact.age_band or None,
        tuple(sorted(attrs.items())),
    )


def column_facts(columns: columnar.SourceColumns) -> list[tuple]:
    def ident(entities: columnar.Entities, row: int) -> int | None:
        code = int(entities.codes[row])
        return None if code < 0 else int(entities.ids[code])

    rows = []
    for row in range(len(columns)):
        attrs = {}
        for name, column in columns.attrs.items():
            value = column.value(row)
            if value is not None:
                attrs[name] = value
        age = int(columns.age[row])
        rows.append(
            (
                columns.source,
                bool(columns.is_tally[row]),
                int(columns.record_id[row]),
                columnar.EPOCH + dt.timedelta(days=int(columns.day[row])),
                ident(columns.municipality, row),
                ident(columns.activity, row),
                ident(columns.person, row),
                ident(columns.organization, row),
                int(columns.headcount[row]),
                columnar._amount(int(columns.amount[row]), columns.amount_scale, 1)
                if columns.has_amount[row]
                else None,
                None if age < 0 else age,
                columns.preset_band.value(row),
                tuple(sorted(attrs.items())),
            )
        )
    return rows


def test_columns_hold_the_same_facts_as_the_orm_feed(records: None) -> None:
    columns = read_columns()
    for source in engine.Source:
        expected = sorted(
            (projected(fact) for fact in facts_for([source])), key=lambda row: row[1:3]
        )
        found = sorted(column_facts(columns[source]), key=lambda row: row[1:3])
        assert found == expected, source
        assert len(found) > 0, source


def test_odd_texts_and_deleted_rows_are_read_as_the_orm_reads_them(records: None) -> None:
    # Values outside the models' choices (written around validation) are read back by a second
    # query; a deleted activity leaves gaps in the ids, so they are read, not assumed.
    Person.objects.filter(pk=Person.objects.order_by("pk")[3].pk).update(sex="x")
    Attendance.objects.filter(pk=Attendance.objects.order_by("pk")[2].pk).update(role="observer")
    Tally.objects.filter(pk=Tally.objects.order_by("pk")[0].pk).update(age_band="15-24")
    Activity.objects.filter(kind=ActivityKind.TRAINING).order_by("pk")[1].delete()
    columns = read_columns()
    for source in (engine.Source.ACTIVITIES, engine.Source.ATTENDANCE):
        expected = sorted(
            (projected(fact) for fact in facts_for([source])), key=lambda row: row[1:3]
        )
        assert sorted(column_facts(columns[source]), key=lambda row: row[1:3]) == expected
    roles = columns[engine.Source.ATTENDANCE].attrs["role"]
    assert "observer" in roles.vocabulary


def test_rows_come_in_first_fact_order(records: None) -> None:
    columns = read_columns([engine.Source.ATTENDANCE])[engine.Source.ATTENDANCE]
    keys = list(zip(columns.day, columns.is_tally, columns.record_id, strict=True))
    assert keys == sorted(keys)


@pytest.mark.parametrize("scoped", [False, True])
def test_every_figure_equals_the_reference_engine(records: None, scoped: bool) -> None:
    """The tracking table's and the pages' figures, computed from the columns, are the
    reference engine's over facts read record by record, ids and cells included."""
    scope = (
        engine.Coverage(frozenset({municipality("zvecan").pk})) if scoped else engine.FULL_COVERAGE
    )
    windows = engine.tracking_windows(life_of_project())
    table = results_table_compute(windows=windows, scope=scope, cross_tabs=())
    assert len(table.indicators) == Indicator.objects.active().count()
    nonzero = 0
    for window in windows:
        expected = reference_results(window=window, scope=scope)
        for item in results_compute(window=window, scope=scope):
            reference = expected[item.indicator.code]
            assert item.behind() == reference, (item.indicator.code, window.label)
            assert item.figures.same_numbers(reference), (item.indicator.code, window.label)
            got = table.table.result(item.indicator.code, window)
            assert got == reference, (item.indicator.code, window.label)
            nonzero += bool(reference.value)
    assert nonzero > 20


def test_cross_tabs_match_the_reference_engine(records: None) -> None:
    windows = engine.tracking_windows(life_of_project())
    table = results_table_compute(windows=windows)
    indicators = list(Indicator.objects.active())
    definitions = [definition_for(indicator, TRACKING_CROSS_TABS) for indicator in indicators]
    facts = list(facts_for({definition.source for definition in definitions}))
    persons = next(d for d in definitions if d.code == "property-tax-trainees")
    assert ("sex", "age_band") in persons.disaggregations
    lul = next(d for d in definitions if d.code == "lul-debates")
    assert ("sex", "age_band") not in lul.disaggregations  # activities have no sex
    grants = next(d for d in definitions if d.code == "business-grants")
    assert grants.disaggregations == ("sector", "municipality")  # nor have grants
    for window in windows:
        expected = engine.compute_many(definitions, facts, window)
        for definition in definitions:
            figures = table.table[definition.code, window]
            assert figures.same_numbers(expected[definition.code]), (definition.code, window)


def test_person_fiscal_year_is_not_the_sum_of_its_quarters(records: None) -> None:
    indicator = Indicator.objects.get(code="property-tax-trainees")
    fy = engine.fiscal_year(2016)
    quarters = [engine.fiscal_quarter(2016, q) for q in (1, 2, 3, 4)]
    table = results_table_compute(windows=[fy, *quarters], indicators=[indicator])
    by_quarter = [table.figures(indicator, quarter).value for quarter in quarters]
    # The officer (two person records, one identity) is trained in Q1 and Q2.
    assert by_quarter == [1, 1, 0, 0]
    assert table.figures(indicator, fy).value == 1 < sum(by_quarter)


def test_local_and_national_status_follow_the_community(records: None) -> None:
    definition = engine.Definition(
        "statuses",
        engine.Source.ATTENDANCE,
        engine.Unit.ATTENDANCES,
        filters={"kind": frozenset({"training"})},
        disaggregations=("local_status", "national_status", ("community", "local_status")),
    )
    columns = read_columns([engine.Source.ATTENDANCE])
    lop = life_of_project()
    result = columnar.compute_many([definition], columns, lop)["statuses"]
    assert result == engine.compute(definition, facts_for([engine.Source.ATTENDANCE]), lop)
    local = result.breakdowns["local_status"]
    # Serb farmer: majority in Zvečan (2 trainings), not in Gjilan (2); Albanian tallies the
    # reverse (3 + 5 in Gjilan, 4 + 6 in Zvečan); prefer-not-to-say and no community: unknown.
    assert local["majority"] == 2 + 3 + 5
    assert local["non_majority"] == 2 + 4 + 6
    national = result.breakdowns["national_status"]
    assert national["majority"] == 3 + 4 + 5 + 6
    assert national["non_majority"] == 4
    crossed = result.breakdowns["community", "local_status"]
    assert crossed["serb", "majority"] == 2
    assert crossed["prefer-not-to-say", engine.UNKNOWN] == 4
    assert sum(crossed.values()) == result.value
