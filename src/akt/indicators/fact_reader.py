"""Feeding the engine: records from the database turned into engine facts.

The engine (``engine.py``) is pure; this module is the thin layer between it and the ORM. It
reads only the columns the engine needs, with one query per source (plus one for topics), and
narrows by window and municipality in the database so a quarter or one municipality reads only
its own rows. A voided record (and the roster and tallies of a voided activity) is no fact: it
counts in no figure until it is restored.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from django.db.models.functions import Coalesce

from akt.activities.models import Activity, Attendance, Tally
from akt.capacity.models import CapacityDevelopmentPlan
from akt.counting import engine
from akt.counting.engine import Fact, Source
from akt.grants.models import Currency, Grant
from akt.indicators.models import Indicator, OutcomeValue
from akt.infrastructure.models import InfrastructureProject


def definition_for(
    indicator: Indicator, extra_disaggregations: Iterable[engine.Disaggregation] = ()
) -> engine.Definition:
    """The engine definition of a stored indicator (raises ValueError when it makes no sense).

    Disaggregations are stored as JSON: a name, or a list of names for a cross-tabulation
    (``["sex", ["sex", "community"]]``). ``extra_disaggregations`` adds splits a report asks for
    beyond the indicator's own (the tracking table's cross-tabulations) where they mean
    something: one naming a person dimension (sex, age band, community, ...) only to an indicator
    counted from attendance and not counting activities; one that repeats the indicator's own is
    left out.
    """
    filters = {name: frozenset(values) for name, values in (indicator.filters or {}).items()}
    if indicator.unit == engine.Unit.AMOUNT and indicator.currency:
        filters["currency"] = frozenset({indicator.currency})
    if indicator.source == engine.Source.ENTERED:
        # Every entered indicator reads the one source: each sums only its own values.
        filters["indicator"] = frozenset({indicator.code})
    own = [
        tuple(item) if isinstance(item, list) else item for item in indicator.disaggregations or ()
    ]
    definition = engine.Definition(
        code=indicator.code,
        source=engine.Source(indicator.source),
        unit=engine.Unit(indicator.unit),
        filters=filters,
        disaggregations=tuple(own),
    )
    extra = []
    for item in extra_disaggregations:
        names = engine.dimensions_of(item)
        if engine.PERSON_DIMENSIONS.intersection(names) and (
            definition.source is not engine.Source.ATTENDANCE
            or definition.unit is engine.Unit.ACTIVITIES
        ):
            continue  # grants, plans and projects carry no person; activities have no sex
        if item not in definition.disaggregations and item not in extra:
            extra.append(item)
    if not extra:
        return definition
    return dataclasses.replace(definition, disaggregations=(*definition.disaggregations, *extra))


def _in(qs, field: str, window: engine.Window | None, municipalities):
    if window is not None:
        qs = qs.filter(**{f"{field}__gte": window.start, f"{field}__lte": window.end})
    if municipalities is not None:
        prefix = field.rsplit("__", 1)[0] + "__" if "__" in field else ""
        qs = qs.filter(**{f"{prefix}municipality_id__in": municipalities})
    return qs


def _of_counted_activities(model):
    """Roster rows or tally cells of activities that count: a voided activity's attendance
    leaves every figure with it (see :mod:`akt.accounts.voidable`)."""
    return model.objects.filter(activity__voided_at__isnull=True)


def _topics_by_activity(activity_ids: Iterable[int] | None = None) -> dict[int, frozenset[str]]:
    through = Activity.topics.through.objects.all()
    if activity_ids is not None:
        through = through.filter(activity_id__in=list(activity_ids))
    topics: dict[int, set[str]] = defaultdict(set)
    for activity_id, code in through.values_list("activity_id", "topic__code"):
        topics[activity_id].add(code)
    return {key: frozenset(value) for key, value in topics.items()}


def activity_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    rows = _in(Activity.objects.counted(), "start_date", window, municipalities).values_list(
        "id", "start_date", "municipality_id", "kind", "component__code"
    )
    rows = list(rows)
    topics = _topics_by_activity()
    for activity_id, start, municipality, kind, component in rows:
        yield Fact(
            source=Source.ACTIVITIES,
            record_id=activity_id,
            date=start,
            municipality=municipality,
            activity=activity_id,
            attrs={
                "kind": kind,
                "topics": topics.get(activity_id, frozenset()),
                "component": component,
            },
        )


def attendance_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    """One fact per roster row and one per tally cell, dated on the activity's start date.

    A roster row carries its person's attributes as that record holds them (sex, birth,
    community), the affiliation the row itself records (what the person was when they
    attended), and, as ``person``, the canonical person it resolves to, so counts
    follow the current linkage state. ``local_status`` and ``national_status`` are derived from
    the community (see :func:`engine.local_status`): local status against the majority community
    of the activity's municipality. A tally cell carries its own sex, community and age band.
    """
    topics = _topics_by_activity()
    roster = _in(_of_counted_activities(Attendance), "activity__start_date", window, municipalities)
    for row in roster.values_list(
        "id",
        "activity_id",
        "activity__start_date",
        "activity__municipality_id",
        "activity__kind",
        "activity__component__code",
        "role",
        # The canonical person: counts follow the current linkage state (Person.identity).
        Coalesce("person__identity_id", "person_id"),
        "person__sex",
        "person__birth_date",
        "person__birth_year",
        "person__community__code",
        "affiliation",
        "organization_id",
        "organization__kind",
        "organization__sector",
        "person__organization_id",
        "person__organization__kind",
        "person__organization__sector",
        "person__community__is_declared",
        "activity__municipality__majority_community__code",
    ).iterator(chunk_size=5000):
        (
            record_id, activity_id, start, municipality, kind, component, role, person, sex,
            birth_date, birth_year, community, affiliation, org, org_kind, org_sector,
            person_org, person_org_kind, person_org_sector, declared, majority,
        ) = row  # fmt: skip
        if org is None:  # the organization a person attended for, else their own
            org, org_kind, org_sector = person_org, person_org_kind, person_org_sector
        declared = bool(declared)
        yield Fact(
            source=Source.ATTENDANCE,
            record_id=record_id,
            date=start,
            municipality=municipality,
            activity=activity_id,
            person=person,
            organization=org,
            birth_date=birth_date,
            birth_year=birth_year,
            attrs={
                "kind": kind,
                "topics": topics.get(activity_id, frozenset()),
                "component": component,
                "role": role,
                "sex": sex or None,
                "community": community,
                "affiliation": affiliation or None,
                "organization_kind": org_kind,
                "sector": org_sector or None,
                "local_status": engine.local_status(community, majority, declared=declared),
                "national_status": engine.national_status(community, declared=declared),
            },
        )
    tallies = _in(_of_counted_activities(Tally), "activity__start_date", window, municipalities)
    for row in tallies.values_list(
        "id",
        "activity_id",
        "activity__start_date",
        "activity__municipality_id",
        "activity__kind",
        "activity__component__code",
        "sex",
        "community__code",
        "age_band",
        "headcount",
        "community__is_declared",
        "activity__municipality__majority_community__code",
    ).iterator(chunk_size=5000):
        record_id, activity_id, start, municipality, kind, component = row[:6]
        sex, community, age_band, headcount, declared, majority = row[6:]
        declared = bool(declared)
        yield Fact(
            source=Source.ATTENDANCE,
            record_id=record_id,
            date=start,
            municipality=municipality,
            activity=activity_id,
            headcount=headcount,
            is_tally=True,
            age_band=age_band or None,
            attrs={
                "kind": kind,
                "topics": topics.get(activity_id, frozenset()),
                "component": component,
                "role": "participant",  # a headcount counts those who took part
                "sex": sex or None,
                "community": community,
                "local_status": engine.local_status(community, majority, declared=declared),
                "national_status": engine.national_status(community, declared=declared),
            },
        )


def grant_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    """One fact per grant on its award date, its amount in US dollars (the program's reporting
    currency) at the rate kept with the award. A grant in another currency without a rate keeps
    its own currency, so no dollar total takes it in as if it were dollars; the exchange rates
    page lists it for an officer to give it its rate."""
    rows = _in(Grant.objects.counted(), "award_date", window, municipalities).values_list(
        "id", "award_date", "municipality_id", "recipient_id", "amount", "currency",
        "amount_usd", "sector", "component__code", "recipient__kind",
    )  # fmt: skip
    for (
        record_id,
        awarded,
        municipality,
        recipient,
        amount,
        currency,
        amount_usd,
        sector,
        component,
        kind,
    ) in rows:
        in_dollars = amount_usd is not None
        yield Fact(
            source=Source.GRANTS,
            record_id=record_id,
            date=awarded,
            municipality=municipality,
            organization=recipient,
            amount=Decimal(amount_usd if in_dollars else amount),
            attrs={
                "currency": Currency.USD.value if in_dollars else currency,
                "sector": sector,
                "component": component,
                "organization_kind": kind,
            },
        )


def plan_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    """Plans count on their adoption date; a draft counts on the start of its period."""
    qs = CapacityDevelopmentPlan.objects.counted()
    if municipalities is not None:
        qs = qs.filter(municipality_id__in=municipalities)
    for record_id, municipality, status, adopted_on, period_start in qs.values_list(
        "id", "municipality_id", "status", "adopted_on", "period_start"
    ):
        day: date = adopted_on or period_start
        if window is not None and not window.start <= day <= window.end:
            continue
        yield Fact(
            source=Source.PLANS,
            record_id=record_id,
            date=day,
            municipality=municipality,
            attrs={"status": status},
        )


def project_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    """Projects count on their completion date; unfinished ones on their start date."""
    qs = InfrastructureProject.objects.counted()
    if municipalities is not None:
        qs = qs.filter(municipality_id__in=municipalities)
    for row in qs.values_list(
        "id", "municipality_id", "status", "start_date", "completion_date", "component__code",
        "program_contribution", "currency",
    ):  # fmt: skip
        record_id, municipality, status, start, completed, component, contribution, currency = row
        day: date = completed or start
        if window is not None and not window.start <= day <= window.end:
            continue
        yield Fact(
            source=Source.PROJECTS,
            record_id=record_id,
            date=day,
            municipality=municipality,
            amount=Decimal(contribution),
            attrs={"status": status, "component": component, "currency": currency},
        )


def entered_facts(
    window: engine.Window | None = None, municipalities: frozenset[int] | None = None
) -> Iterator[Fact]:
    """One fact per entered value that is not voided, dated on the last day of its period.

    It carries its indicator's code (each entered indicator's definition keeps its own values
    by it), the indicator's currency (None for a count or a percentage) and its cell's
    categories; a dimension the cell leaves out is unknown. A program-wide value has no
    municipality, so it counts in the program's figures and in no municipality's.
    """
    rows = _in(OutcomeValue.objects.counted(), "period_end", window, municipalities).values_list(
        "id", "period_end", "municipality_id", "value", "cell", "indicator__code",
        "indicator__currency",
    )  # fmt: skip
    for record_id, day, municipality, value, cell, code, currency in rows:
        yield Fact(
            source=Source.ENTERED,
            record_id=record_id,
            date=day,
            municipality=municipality,
            amount=Decimal(value),
            attrs={
                **{str(name): str(category) for name, category in (cell or {}).items()},
                "indicator": code,
                "currency": currency or None,
            },
        )


FEEDS = {
    Source.ACTIVITIES: activity_facts,
    Source.ATTENDANCE: attendance_facts,
    Source.GRANTS: grant_facts,
    Source.PLANS: plan_facts,
    Source.PROJECTS: project_facts,
    Source.ENTERED: entered_facts,
}


def facts_for(
    sources: Iterable[Source],
    window: engine.Window | None = None,
    municipalities: frozenset[int] | None = None,
) -> Iterator[Fact]:
    """The facts of the given sources, narrowed in the database to the window and scope."""
    for source in sorted(set(sources)):
        yield from FEEDS[source](window, municipalities)
