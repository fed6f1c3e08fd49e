"""The demo's blocks of the communication component, built on the record makers.

Public debates on the Law on the Use of Languages, public hearings, and the small
infrastructure projects with their joint interethnic activities.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import cast

from akt.activities.models import Activity, ActivityKind
from akt.demo import texts
from akt.demo.makers import _RecordMaker, _workday, allocate
from akt.demo.plan import (
    DEMO_CODE_PREFIX,
    LAST_EVENT,
    LUL_DEBATE_PLACES,
    PROJECTS_UNDER_WAY,
    REGIONS,
    SECOND_HEARING_PLACES,
    TARGETS,
    THIRD_PROJECT_PLACES,
)
from akt.grants.models import Currency
from akt.infrastructure.models import InfrastructureProject, ProjectStatus


class _CommunicationBlocks(_RecordMaker):
    """Debates, hearings and the projects that bring communities together."""

    def _debates(self) -> None:
        """12 public debates on the language law with 337 participants; two budget debates and a
        workshop on the language law that the debate indicators must not count."""
        if TARGETS["lul-debates"] != len(LUL_DEBATE_PLACES):
            raise ValueError("lul-debates: one debate per municipality of the language project")
        sizes = allocate(
            cast(int, TARGETS["lul-debate-participants"]),
            [self.rng.uniform(0.6, 1.4) for _repeat in LUL_DEBATE_PLACES],
            low=18,
            high=48,
        )
        counted_by_headcount = max(range(len(sizes)), key=sizes.__getitem__)
        for index, (code, size) in enumerate(zip(LUL_DEBATE_PLACES, sizes, strict=True)):
            place = self.places[code]
            day = _workday(self._date(date(2015, 4, 1), date(2016, 6, 30)))
            debate = self._activity(
                ActivityKind.PUBLIC_DEBATE,
                place,
                texts.say(texts.LUL_DEBATE, place),
                day,
                component="communication",
                topics=["law-on-use-of-languages"],
            )
            if index == counted_by_headcount:
                self._tally(debate, place, size, children=False, majority_share=0.6)
                continue
            invited = self.rng.sample(self.members[code], min(3, len(self.members[code])))
            invited += self.rng.sample(self.employees[code], 2)
            for person in invited:
                self._attend(debate, person)
            quota = max(2, round(size * 0.2))
            self.debaters[code] = self._citizens(
                debate, place, size - len(invited), minority_quota=quota
            )
        for code in ("zvecan", "leposaviq"):
            place = self.places[code]
            day = _workday(self._date(date(2015, 9, 1), date(2016, 10, 31)))
            title = texts.say(texts.BUDGET_DEBATE, place, year=day.year + 1)
            debate = self._activity(
                ActivityKind.PUBLIC_DEBATE,
                place,
                title,
                day,
                component="communication",
                topics=["municipal-budget"],
            )
            self._citizens(debate, place, self.rng.randint(15, 25), minority_quota=1)
        place = self.places["gjilan"]
        day = _workday(self._date(date(2016, 9, 1), date(2016, 11, 30)))
        workshop = self._activity(
            ActivityKind.WORKSHOP,
            place,
            texts.say(texts.LUL_GUIDE_WORKSHOP, place),
            day,
            component="communication",
            topics=["law-on-use-of-languages"],
        )
        for code in REGIONS[1]:
            for person in self.members[code][:2] + self.employees[code][:2]:
                self._attend(workshop, person)

    def _hearings(self) -> None:
        """21 public hearings with 830 citizens of mixed ethnicities.

        Every municipality held one on its draft budget, five a second on a regulation. The five
        largest were counted by headcount; on the others, a quota of non-majority participants
        on record makes each hearing mixed by construction, not by luck.
        """
        places = self._place_list()
        seconds = SECOND_HEARING_PLACES[: cast(int, TARGETS["public-hearings"]) - len(places)]
        if len(places) + len(seconds) != TARGETS["public-hearings"]:
            raise ValueError("public-hearings: one per partner plus the second hearings")
        plan = [(place, "budget") for place in places]
        plan += [(self.places[code], "regulation") for code in seconds]
        sizes = allocate(
            cast(int, TARGETS["public-hearing-participants"]),
            [self.rng.uniform(0.5, 1.6) for _repeat in plan],
            low=18,
            high=85,
        )
        by_headcount = set(sorted(range(len(sizes)), key=lambda i: (-sizes[i], i))[:5])
        for index, ((place, subject), size) in enumerate(zip(plan, sizes, strict=True)):
            if subject == "budget":
                year = self.rng.choice((2014, 2015, 2016))
                day = _workday(self._date(date(year, 10, 1), date(year, 11, 30)))
                title = texts.say(texts.BUDGET_HEARING, place, year=year + 1)
                topic = "municipal-budget"
            else:
                day = _workday(self._date(date(2015, 3, 1), date(2016, 12, 15)))
                title = texts.say(self.rng.choice(texts.REGULATION_HEARINGS), place)
                topic = "municipal-regulations"
            hearing = self._activity(
                ActivityKind.PUBLIC_HEARING,
                place,
                title,
                day,
                component="communication",
                topics=[topic],
            )
            if index in by_headcount:
                self._tally(
                    hearing,
                    place,
                    size,
                    children=False,
                    majority_share=self.rng.uniform(0.6, 0.85),
                )
                continue
            returning = self.debaters.get(place.code, [])
            returning = self.rng.sample(returning, min(len(returning), self.rng.randint(2, 6)))
            for person in returning:
                self._attend(hearing, person)
            quota = max(2, round(size * 0.1))
            self._citizens(hearing, place, size - len(returning), minority_quota=quota)

    def _infrastructure(self) -> None:
        """35 small projects, 33 completed; 20,623 people at their joint interethnic activities.

        Residents plan a project together, work on it together and open it together. Small
        gatherings keep a roster; sports days, festivals and openings are counted by headcount,
        and the headcounts take whatever the rosters leave of the target.
        """
        places = self._place_list()
        total = cast(int, TARGETS["infrastructure-projects"]) + PROJECTS_UNDER_WAY
        base, extra = divmod(total, len(places))
        if extra > len(THIRD_PROJECT_PLACES):
            raise ValueError("infrastructure-projects: too many projects for the plan")
        allotted = [base + (p.code in THIRD_PROJECT_PLACES[:extra]) for p in places]
        projects: list[InfrastructureProject] = []
        for place, count in zip(places, allotted, strict=True):
            for wording in self.rng.sample(texts.PROJECTS, count):
                start = self._date(date(2015, 3, 2), date(2016, 6, 30))
                completion = min(
                    start + timedelta(days=self.rng.randint(90, 270)), date(2017, 3, 31)
                )
                contribution = Decimal(self.rng.randrange(12_000, 55_000, 100))
                projects.append(
                    InfrastructureProject(
                        title=texts.say(wording, place),
                        component=self.components["communication"],
                        municipality=place,
                        status=ProjectStatus.COMPLETED,
                        start_date=start,
                        completion_date=completion,
                        currency=Currency.USD,
                        program_contribution=contribution,
                        municipal_contribution=(
                            contribution * Decimal(self.rng.randrange(10, 36)) / 100
                        ).quantize(Decimal("1.00")),
                    )
                )
        # The last two to start were still under way when the program closed.
        late = sorted(projects, key=lambda p: (p.start_date, p.title))[-PROJECTS_UNDER_WAY:]
        for project in late:
            project.status = ProjectStatus.UNDER_WAY
            project.start_date = self._date(date(2016, 11, 1), date(2017, 2, 15))
            project.completion_date = None
        projects.sort(key=lambda p: (p.start_date, p.title))
        for number, project in enumerate(projects, start=1):
            project.code = f"{DEMO_CODE_PREFIX}IP-{number:02d}"
        self.projects = projects

        rostered: list[tuple[Activity, int]] = []
        counted: list[tuple[Activity, float, bool]] = []  # activity, size weight, has children
        for project in projects:
            new = partial(self._joint_activity, project)
            if project.completion_date is None:
                kickoff = new(texts.JOINT_KICKOFF, project.start_date + timedelta(days=10))
                rostered.append((kickoff, self.rng.randint(15, 40)))
                continue
            if self.rng.random() < 0.4:
                day = max(
                    project.start_date - timedelta(days=self.rng.randint(20, 45)), date(2014, 9, 1)
                )
                rostered.append(
                    (new(texts.JOINT_PLANNING, _workday(day)), self.rng.randint(15, 45))
                )
            if self.rng.random() < 0.5:
                day = self._date(project.start_date, project.completion_date)
                volunteering = new(texts.JOINT_VOLUNTEERING, day, outdoor=True)
                if self.rng.random() < 0.3:
                    rostered.append((volunteering, self.rng.randint(20, 45)))
                else:
                    counted.append((volunteering, 0.6, False))
            opening = min(
                project.completion_date + timedelta(days=self.rng.randint(0, 10)), LAST_EVENT
            )
            counted.append((new(texts.JOINT_OPENING, opening, outdoor=True), 1.0, True))
            if self.rng.random() < 0.55:
                day = min(
                    project.completion_date + timedelta(days=self.rng.randint(10, 90)), LAST_EVENT
                )
                event = new(self.rng.choice(texts.JOINT_EVENTS), day, days=2, outdoor=True)
                counted.append((event, 2.2, True))
        roster_total = 0
        for activity, size in rostered:
            place = activity.municipality
            quota = round(size * self.rng.uniform(0.2, 0.35))
            self._citizens(activity, place, size, minority_quota=quota, ages=(15, 72))
            roster_total += size
        weights = [weight * self.rng.uniform(0.6, 1.4) for _event, weight, _young in counted]
        headcounts = allocate(
            cast(int, TARGETS["joint-activity-participants"]) - roster_total,
            weights,
            low=60,
            high=1500,
        )
        for (activity, _weight, children), headcount in zip(counted, headcounts, strict=True):
            self._tally(
                activity,
                activity.municipality,
                headcount,
                children=children,
                majority_share=self.rng.uniform(0.55, 0.75),
            )

    def _joint_activity(
        self,
        project: InfrastructureProject,
        wording: texts.Wording,
        day: date,
        *,
        days: int = 1,
        outdoor: bool = False,
    ) -> Activity:
        """A joint interethnic activity of ``project``, held where the project is."""
        place = project.municipality
        return self._activity(
            ActivityKind.JOINT_ACTIVITY,
            place,
            texts.say(wording, place, project=project.title),
            day,
            component="communication",
            topics=["infrastructure"],
            project=project,
            days=days,
            outdoor=outdoor,
        )
