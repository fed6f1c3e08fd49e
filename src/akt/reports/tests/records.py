"""Records in two municipalities for the results pages' tests, and reading a page as text.

Gračanica and Zvečan get the same kinds of records in different numbers, and everything in
Zvečan carries the marker ``ZVSECRET`` in its title, reference or name, so a test can check that
nothing of Zvečan reaches a page the Gračanica focal point can open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from akt.activities.models import Activity, ActivityKind
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

ZVECAN_MARK = "ZVSECRET"


@dataclass
class Place:
    """The records made in one municipality, with how many of each kind."""

    code: str
    debates: list[Activity] = field(default_factory=list)
    debate_attendances: int = 0
    debate_heads: int = 0


def debate(place: str, title: str, *, start: dt.date = dt.date(2015, 5, 12)) -> Activity:
    """A public debate on the Law on Use of Languages: what ``lul-debates`` counts."""
    activity = ActivityFactory(
        title=title,
        kind=ActivityKind.PUBLIC_DEBATE,
        municipality=municipality(place),
        start_date=start,
    )
    activity.topics.add(topic("law-on-use-of-languages"))
    return activity


def populate(code: str, *, debates: int, attendees: int, heads: int, mark: str) -> Place:
    place = Place(code)
    home = municipality(code)
    for number in range(debates):
        activity = debate(code, f"{mark} debate {number + 1} in {code}")
        place.debates.append(activity)
        for _ in range(attendees):
            AttendanceFactory(
                activity=activity,
                person=PersonFactory(
                    given_name=f"{mark}Given", municipality=home, community=community("serb")
                ),
            )
            place.debate_attendances += 1
    TallyFactory(
        activity=place.debates[0],
        sex="female",
        community=community("roma"),
        age_band="15-29",
        headcount=heads,
    )
    place.debate_heads = heads

    hearing = ActivityFactory(
        title=f"{mark} hearing in {code}", kind=ActivityKind.PUBLIC_HEARING, municipality=home
    )
    AttendanceFactory(activity=hearing, person=PersonFactory(municipality=home, sex="male"))
    workshop = ActivityFactory(
        title=f"{mark} workshop in {code}", kind=ActivityKind.WORKSHOP, municipality=home
    )
    workshop.topics.add(topic("community-rights"))
    AttendanceFactory(
        activity=workshop, person=PersonFactory(municipality=home, affiliation="mocr_member")
    )
    TallyFactory(activity=workshop, headcount=4)
    GrantFactory(
        reference=f"{mark}-GRANT-{code}",
        recipient=OrganizationFactory(name=f"{mark} farm {code}", municipality=home),
    )
    PlanFactory(title=f"{mark} plan {code}", municipality=home)
    ProjectFactory(title=f"{mark} project {code}", municipality=home)
    return place


def text_of(page: object) -> str:
    """A page's text without tags, spaces collapsed: what a reader sees.

    Takes a test client response or its HTML.
    """
    html = page if isinstance(page, str) else page.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))
