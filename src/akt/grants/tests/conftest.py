"""A call for applications in Gračanica and Zvečan, with its criteria, committee and two
eligible applications, for the workflow tests.

The committee: the M&E officer, the economic component's staff member and a panelist from
another component (whose role alone would not let them see the call: they score because they
sit on the committee). The Gračanica owner's details are distinctive (``OWNER_MARKERS``) so a
test can look for them in a page's HTML.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from akt.accounts.models import Role, User
from akt.grants.call_services import CriterionInput, call_create
from akt.grants.models import Application, ApplicationStatus, Call
from akt.people.models import Organization, OrganizationKind
from akt.testing.factories import UserFactory, community, component, municipality

OWNER_BIRTH_YEAR = 1987
OWNER_COMMUNITY = "gorani"
OWNER_MARKERS = ("1987", "Gorani", "Female")
"""What the Gračanica application's owner is, as a page in English writes it."""


@dataclass
class Workflow:
    call: Call
    gracanica: Application
    zvecan: Application
    panelist: User


def make_application(
    call: Call,
    name: str,
    place: str,
    *,
    status: str = ApplicationStatus.ELIGIBLE,
    **fields: object,
) -> Application:
    """An application stored as it stands after the steps before ``status`` (the services that
    lead there are tested on their own)."""
    applicant = Organization.objects.create(
        name=name,
        kind=OrganizationKind.BUSINESS,
        sector="beekeeping",
        municipality=municipality(place),
    )
    values: dict[str, object] = {
        "sector": "beekeeping",
        "received_on": dt.date(2016, 2, 10),
        "amount_requested": Decimal("8000.00"),
        "cofinancing": Decimal("2000.00"),
        "description": "Hives and an extractor.",
    }
    values.update(fields)
    return Application.objects.create(
        call=call,
        applicant=applicant,
        municipality=municipality(place),
        status=status,
        **values,
    )


@pytest.fixture
def panelist(personas) -> User:
    return UserFactory(
        username="panelist",
        first_name="Vesna",
        last_name="Panić",
        role=Role.COMPONENT_STAFF,
        component=component("municipal"),
    )


@pytest.fixture
def workflow(personas, panelist: User) -> Workflow:
    call = call_create(
        actor=personas["me"],
        reference="BG-2016-01",
        title="Grants for bee-keepers and farmers",
        component=component("economic"),
        sectors=["agriculture", "beekeeping"],
        municipalities=[municipality("gracanice"), municipality("zvecan")],
        budget=Decimal("50000.00"),
        opens_on=dt.date(2016, 1, 10),
        deadline=dt.date(2016, 2, 28),
        status="closed",
        committee=[personas["me"], personas["staff"], panelist],
        criteria=[
            CriterionInput("Business plan", Decimal("40"), 10),
            CriterionInput("Jobs for women and minorities", Decimal("35"), 5),
            CriterionInput("Co-financing", Decimal("25"), 20),
        ],
    )
    gracanica = make_application(
        call,
        "Pčelarstvo Gračanica",
        "gracanice",
        owner_sex="female",
        owner_birth_year=OWNER_BIRTH_YEAR,
        owner_community=community(OWNER_COMMUNITY),
    )
    zvecan = make_application(
        call,
        "Zvečan Secret Apiary",
        "zvecan",
        owner_sex="male",
        owner_birth_year=1970,
        owner_community=community("serb"),
    )
    return Workflow(call=call, gracanica=gracanica, zvecan=zvecan, panelist=panelist)
