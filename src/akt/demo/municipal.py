"""The demo's blocks of the municipal component, built on the record makers.

Workshops on community rights for MOCR staff and communities-committee members, the
property-tax and management trainings of municipal staff, the trainings no indicator counts,
and each municipality's capacity development plan.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import cast

from akt.activities.models import Activity, ActivityKind
from akt.capacity.models import ActionStatus, CapacityDevelopmentPlan, PlanAction, PlanStatus
from akt.demo import texts
from akt.demo.makers import _RecordMaker, _workday, allocate
from akt.demo.plan import (
    LAST_EVENT,
    MODULE_SIZE,
    PROPERTY_TAX_REGIONS,
    REGIONAL_WORKSHOPS,
    TARGETS,
)
from akt.people.models import Affiliation, Person
from akt.places.models import Municipality
from akt.places.participant_mix import MUNICIPALITY_SIZE as SIZE


class _MunicipalBlocks(_RecordMaker):
    """Workshops, trainings and plans of the municipalities' own staff."""

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
            cast(int, TARGETS["community-members-empowered"]),
            [SIZE[p.code] for p in places],
            low=12,
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
                    self._attend(cast(Activity, in_region), member)
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
        sizes = allocate(
            cast(int, TARGETS["property-tax-trainees"]), [SIZE[p.code] for p in places], low=4
        )
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
            cast(int, TARGETS["management-trainees"]),
            [SIZE[p.code] for p in places],
            low=30,
            high=200,
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
