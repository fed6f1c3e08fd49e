"""factory_boy factories for the object graph. Tests load the reference data first
(``reference`` fixture) so municipalities, communities, components and topics exist."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from akt.accounts.models import Role, User
from akt.activities.models import Activity, ActivityKind, Attendance, Tally, Topic
from akt.capacity.models import CapacityDevelopmentPlan
from akt.grants.models import Grant
from akt.infrastructure.models import InfrastructureProject
from akt.people.models import Organization, OrganizationKind, Person, Sector
from akt.places.models import Community, Municipality
from akt.program.models import Component


def municipality(code: str) -> Municipality:
    return Municipality.objects.get(code=code)


def community(code: str) -> Community:
    return Community.objects.get(code=code)


def component(code: str = "communication") -> Component:
    return Component.objects.get(code=code)


def topic(code: str) -> Topic:
    return Topic.objects.get(code=code)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.ME_OFFICER
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    kind = OrganizationKind.BUSINESS
    sector = Sector.AGRICULTURE
    municipality = factory.LazyFunction(lambda: municipality("gjilan"))


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    sex = "female"
    birth_year = 1980
    municipality = factory.LazyFunction(lambda: municipality("gjilan"))


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    title = factory.Sequence(lambda n: f"Activity {n}")
    kind = ActivityKind.PUBLIC_DEBATE
    component = factory.LazyFunction(component)
    municipality = factory.LazyFunction(lambda: municipality("gjilan"))
    start_date = dt.date(2015, 5, 12)
    end_date = factory.LazyAttribute(lambda o: o.start_date)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    person = factory.SubFactory(PersonFactory)


class TallyFactory(DjangoModelFactory):
    class Meta:
        model = Tally

    activity = factory.SubFactory(ActivityFactory)
    sex = "male"
    age_band = "30+"
    headcount = 10


class GrantFactory(DjangoModelFactory):
    class Meta:
        model = Grant

    reference = factory.Sequence(lambda n: f"BG-{n:03d}")
    recipient = factory.SubFactory(OrganizationFactory)
    component = factory.LazyFunction(lambda: component("economic"))
    municipality = factory.SelfAttribute("recipient.municipality")
    sector = Sector.AGRICULTURE
    amount = Decimal("5000.00")
    award_date = dt.date(2015, 9, 1)


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = CapacityDevelopmentPlan

    municipality = factory.LazyFunction(lambda: municipality("gjilan"))
    title = factory.Sequence(lambda n: f"Capacity development plan {n}")
    status = "adopted"
    adopted_on = dt.date(2015, 3, 1)
    period_start = dt.date(2015, 1, 1)
    period_end = dt.date(2017, 12, 31)


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = InfrastructureProject

    code = factory.Sequence(lambda n: f"INF-{n:03d}")
    title = factory.Sequence(lambda n: f"Project {n}")
    component = factory.LazyFunction(component)
    municipality = factory.LazyFunction(lambda: municipality("gjilan"))
    status = "completed"
    start_date = dt.date(2015, 4, 1)
    completion_date = dt.date(2015, 10, 1)
    program_contribution = Decimal("40000.00")
