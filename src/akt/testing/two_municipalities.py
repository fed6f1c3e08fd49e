"""Records in two municipalities, for testing who sees what.

``two_municipalities()`` puts an activity, roster, headcounts, organization, grant, plan and
project in Gračanica and in Zvečan. Every Zvečan record carries a distinctive name listed in
``ZVECAN_MARKERS``, so a test can assert that none of them appears on a page a Gračanica focal
point reaches. Load the reference data first (the ``reference`` fixture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from akt.activities.models import Activity, ActivityKind, Tally
from akt.capacity.models import CapacityDevelopmentPlan, PlanAction
from akt.grants.models import Grant
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Organization, Person
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
    component,
    municipality,
)

# Text that only Zvečan records carry; none of it may reach a Gračanica focal point.
ZVECAN_MARKERS = (
    "Zvečan secret hearing",
    "Secretović",
    "Zvečan Secret Dairy",
    "ZV-SECRET-1",
    "Zvečan secret plan",
    "INF-ZVE-SECRET",
    "Zvečan secret well",
)


@dataclass
class Place:
    """One municipality's records."""

    person: Person
    organization: Organization
    activity: Activity
    tally: Tally
    grant: Grant
    plan: CapacityDevelopmentPlan
    project: InfrastructureProject


@dataclass
class TwoMunicipalities:
    gracanica: Place
    zvecan: Place


def two_municipalities() -> TwoMunicipalities:
    gracanica, zvecan = municipality("gracanice"), municipality("zvecan")

    g_org = OrganizationFactory(name="Gračanica Honey Cooperative", municipality=gracanica)
    z_org = OrganizationFactory(name="Zvečan Secret Dairy", municipality=zvecan)
    g_person = PersonFactory(
        given_name="Milica",
        family_name="Stanković",
        municipality=gracanica,
        community=community("serb"),
        organization=g_org,
    )
    z_person = PersonFactory(
        given_name="Zoran",
        family_name="Secretović",
        sex="male",
        municipality=zvecan,
        community=community("serb"),
        organization=z_org,
    )
    g_project = ProjectFactory(
        code="INF-GRA-1", title="Gračanica playground", municipality=gracanica
    )
    z_project = ProjectFactory(
        code="INF-ZVE-SECRET", title="Zvečan secret well", municipality=zvecan
    )
    g_activity = ActivityFactory(
        title="Gračanica public debate",
        kind=ActivityKind.PUBLIC_DEBATE,
        municipality=gracanica,
        component=component("communication"),
        project=g_project,
        start_date=dt.date(2015, 5, 12),
    )
    z_activity = ActivityFactory(
        title="Zvečan secret hearing",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=zvecan,
        component=component("economic"),
        project=z_project,
        start_date=dt.date(2015, 6, 3),
    )
    # Each roster names a resident of the other municipality: the roster pages must count them
    # without naming them, and the person pages must not list the other municipality's activity.
    AttendanceFactory(activity=g_activity, person=g_person, organization=g_org)
    AttendanceFactory(activity=g_activity, person=z_person, organization=z_org)
    AttendanceFactory(activity=z_activity, person=z_person, organization=z_org)
    AttendanceFactory(activity=z_activity, person=g_person)
    g_tally = TallyFactory(
        activity=g_activity, sex="female", community=community("serb"), age_band="15-29"
    )
    z_tally = TallyFactory(activity=z_activity, sex="male", community=None, age_band="30+")
    g_grant = GrantFactory(reference="GR-GRA-1", recipient=g_org)
    z_grant = GrantFactory(reference="ZV-SECRET-1", recipient=z_org)
    g_plan = PlanFactory(title="Gračanica capacity plan", municipality=gracanica)
    z_plan = PlanFactory(title="Zvečan secret plan", municipality=zvecan)
    PlanAction.objects.create(plan=g_plan, title="Train the MOCR staff", area="Communities")
    PlanAction.objects.create(plan=z_plan, title="Zvečan secret plan action", area="Budget")
    return TwoMunicipalities(
        gracanica=Place(g_person, g_org, g_activity, g_tally, g_grant, g_plan, g_project),
        zvecan=Place(z_person, z_org, z_activity, z_tally, z_grant, z_plan, z_project),
    )
