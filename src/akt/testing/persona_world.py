"""Records of every kind in Gračanica and in Zvečan, for asking every page as every persona.

``persona_world()`` builds, on each side, the records whose ids fill the project's URL patterns:
a person (and a second one, paired for review), an organization and a natural-person
organization (a family farm that received the grant), an activity with its roster, headcounts,
attachment, import batch and planned entry, a grant with a tranche, visit and outcome, a call
and an application, a capacity plan with an action and an assessment, an infrastructure project
with spending and a milestone, a merge, a success story and an entered value. A job and a written
report of the M&E officer's, a job of the Gračanica focal point's, and the quarter the activities
fall in (fiscal 2015, third quarter), approved, complete it.

The two sides differ by municipality and by component: Gračanica's records are the communication
component's, Zvečan's the economic component's. So the Gračanica focal point and the
communication component's staff member may see the first side and not the second, and the
Zvečan focal point and the economic component's staff member the opposite.

Everything a person reads that belongs to one side carries a sentinel, an invented word that
appears nowhere else (``Side.people`` for persons' names and birth dates, ``Side.records`` for
the titles, names and references of the rest). A test asks whether a page shows a sentinel its
viewer may not see. Load the reference data first (the ``reference`` fixture).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone, translation
from django.utils.formats import date_format
from factory.django import DjangoModelFactory

from akt.accounts.models import Role, User
from akt.activities.models import Activity, ActivityKind, Attendance, PlannedActivity, Tally
from akt.capacity.models import CapacityAssessment, CapacityDevelopmentPlan, PlanAction
from akt.counting.periods import Period
from akt.evidence.models import Attachment, EvidenceKind
from akt.grants.call_services import CriterionInput, call_create
from akt.grants.models import (
    Application,
    ApplicationStatus,
    Call,
    ExchangeRate,
    Grant,
    GrantOutcome,
    MonitoringVisit,
    Tranche,
)
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.services import outcome_value_record
from akt.infrastructure.models import (
    InfrastructureProject,
    ProjectMilestone,
    ProjectSpending,
)
from akt.intake.jobs import FOLDER_CHECK_JOB_KIND
from akt.intake.models import ImportBatch
from akt.intake.services import import_check, import_receive
from akt.jobs.models import Job, JobStatus
from akt.linkage.models import PersonMerge, ReviewPair
from akt.linkage.services import person_merge
from akt.people.models import Organization, OrganizationKind, Person
from akt.reports.models import ReportFile, ReportingPeriod, SuccessStory
from akt.reports.services import period_approve, period_submit
from akt.testing.factories import (
    ActivityFactory,
    GrantFactory,
    OrganizationFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
    TallyFactory,
    UserFactory,
    community,
    component,
    municipality,
)

M = TypeVar("M", bound=Model)

FISCAL_YEAR, QUARTER = 2015, 3
"""The approved quarter both activities fall in (April to June 2015)."""

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Side:
    """One municipality's records, and the sentinels they carry."""

    code: str
    person: Person
    second_person: Person
    organization: Organization
    farm: Organization
    activity: Activity
    attendance: Attendance
    tally: Tally
    planned: PlannedActivity
    attachment: Attachment
    batch: ImportBatch
    grant: Grant
    tranche: Tranche
    visit: MonitoringVisit
    outcome: GrantOutcome
    call: Call
    application: Application
    plan: CapacityDevelopmentPlan
    action: PlanAction
    assessment: CapacityAssessment
    project: InfrastructureProject
    spending: ProjectSpending
    milestone: ProjectMilestone
    pair: ReviewPair
    merge: PersonMerge
    story: SuccessStory
    value: OutcomeValue
    people: tuple[str, ...] = ()
    """Persons' names and birth dates (each as pages may write it), natural persons' firms."""
    records: tuple[str, ...] = ()
    """Titles, names and references of the side's other records."""


@dataclass
class PersonaWorld:
    gracanica: Side
    zvecan: Side
    users: dict[str, User]
    me_job: Job
    focal_job: Job
    folder_check: Job
    report_file: ReportFile
    rate: ExchangeRate
    period: ReportingPeriod
    resolved_elsewhere: Person
    """A Gračanica resident's record resolved to a Zvečan person."""
    extra_people: tuple[str, ...] = field(default=())
    """Sentinels of Zvečan residents who show on no Zvečan page of the matrix: the person a
    Gračanica record was resolved to, a record merged into the Gračanica person, a row of the
    Gračanica roster import whose municipality is misspelt."""


def _created(model: type[M], factory: type[DjangoModelFactory], **fields: Any) -> M:
    """A record made by ``factory``, typed as its model."""
    made = factory(**fields)
    assert isinstance(made, model)
    return made


def _dates(day: dt.date) -> tuple[str, ...]:
    """A birth date as the pages may write it: ISO, the day first as sheets write it, and the
    site's own short and long forms in each of its languages."""
    written = {day.isoformat(), day.strftime("%d.%m.%Y"), day.strftime("%d/%m/%Y")}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            written |= {date_format(day, "SHORT_DATE_FORMAT"), date_format(day, "DATE_FORMAT")}
    return tuple(sorted(written))


def _attachment(actor: User, target: Activity, title: str) -> Attachment:
    return Attachment.objects.create(
        target_type=ContentType.objects.get_for_model(Activity),
        target_id=target.pk,
        kind=EvidenceKind.REPORT,
        title=title,
        file_name="minutes.pdf",
        media_type="application/pdf",
        size=len(PDF),
        sha256=f"{target.pk:064d}",
        content=PDF,
        uploaded_by=actor,
    )


def _side(
    *,
    code: str,
    place: str,
    component_code: str,
    word: str,
    born: dt.date,
    second_born: dt.date,
    users: dict[str, User],
    roster_extra: str = "",
) -> Side:
    """One municipality's records; ``word`` is the sentinel stem every name is made of."""
    town, branch = municipality(place), component(component_code)
    me = users["me"]
    organization = _created(
        Organization, OrganizationFactory, name=f"{word} Honey Cooperative", municipality=town
    )
    farm = _created(
        Organization,
        OrganizationFactory,
        name=f"{word}ovic family farm",
        kind=OrganizationKind.BUSINESS,
        municipality=town,
        natural_person=True,
    )
    person = _created(
        Person,
        PersonFactory,
        given_name=f"Zz{word}given",
        family_name=f"{word}family",
        sex="female",
        birth_date=born,
        birth_year=born.year,
        municipality=town,
        community=community("serb"),
        organization=organization,
    )
    second = _created(
        Person,
        PersonFactory,
        given_name=f"Zz{word}second",
        family_name=f"{word}secondfamily",
        sex="male",
        birth_date=second_born,
        birth_year=second_born.year,
        municipality=town,
        community=community("serb"),
    )
    project = _created(
        InfrastructureProject,
        ProjectFactory,
        code=f"INF-{word.upper()}",
        title=f"{word} well",
        municipality=town,
        component=branch,
    )
    activity = _created(
        Activity,
        ActivityFactory,
        title=f"{word} public hearing",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=town,
        component=branch,
        project=project,
        start_date=dt.date(2015, 5, 12),
    )
    attendance = Attendance.objects.create(activity=activity, person=person, organization=farm)
    tally = _created(
        Tally,
        TallyFactory,
        activity=activity,
        sex="female",
        community=community("serb"),
        age_band="15-29",
    )
    planned = PlannedActivity.objects.create(
        title=f"{word} planned debate",
        kind=ActivityKind.PUBLIC_DEBATE,
        component=branch,
        municipality=town,
        planned_date=dt.date(2015, 8, 20),
    )
    attachment = _attachment(me, activity, f"{word} minutes")
    roster = (
        "Given name,Family name,Sex,Birth date,Municipality\n"
        f"Zz{word}rowgiven,{word}rowfamily,F,1990-03-02,{town.name}\n" + roster_extra
    )
    batch = import_check(
        actor=me,
        batch=import_receive(
            actor=me,
            data=roster.encode("utf-8"),
            file_name=f"{word}-roster.csv",
            activity=activity,
        ),
    )
    grant = _created(
        Grant,
        GrantFactory,
        reference=f"GR-{word.upper()}",
        recipient=farm,
        component=branch,
        municipality=town,
    )
    tranche = Tranche.objects.create(
        grant=grant,
        number=1,
        milestone=f"{word} hives delivered",
        planned_amount=Decimal("2500.00"),
        due_on=dt.date(2015, 10, 1),
    )
    visit = MonitoringVisit.objects.create(
        grant=grant,
        visited_on=dt.date(2015, 11, 3),
        visitor="Field officer",
        findings=f"{word} hives in use",
    )
    outcome = GrantOutcome.objects.create(grant=grant, reported_on=dt.date(2016, 3, 1))
    call = call_create(
        actor=users["admin"],
        reference=f"CALL-{word.upper()}",
        title=f"{word} call for bee-keepers",
        component=branch,
        sectors=["agriculture", "beekeeping"],
        municipalities=[town],
        budget=Decimal("50000.00"),
        opens_on=dt.date(2016, 1, 10),
        deadline=dt.date(2016, 2, 28),
        status="closed",
        committee=[me],
        criteria=[CriterionInput("Business plan", Decimal("100"), 10)],
    )
    applicant = _created(
        Organization, OrganizationFactory, name=f"{word} Apiary", municipality=town
    )
    application = Application.objects.create(
        call=call,
        applicant=applicant,
        municipality=town,
        status=ApplicationStatus.ELIGIBLE,
        sector="beekeeping",
        received_on=dt.date(2016, 2, 10),
        amount_requested=Decimal("8000.00"),
        description=f"{word} hives and an extractor.",
    )
    plan = _created(
        CapacityDevelopmentPlan, PlanFactory, title=f"{word} capacity plan", municipality=town
    )
    action = PlanAction.objects.create(plan=plan, title=f"{word} training", area="Communities")
    assessment = CapacityAssessment.objects.create(
        municipality=town, plan=plan, assessed_on=dt.date(2015, 2, 1), assessed_by=f"{word} team"
    )
    spending = ProjectSpending.objects.create(
        project=project,
        spent_on=dt.date(2015, 6, 1),
        amount=Decimal("1000.00"),
        category="works",
        paid_by="usaid",
    )
    milestone = ProjectMilestone.objects.create(
        project=project, kind="works_started", planned_date=dt.date(2015, 5, 1)
    )
    low, high = sorted((person, second), key=lambda item: item.pk)
    pair = ReviewPair.objects.create(person_a=low, person_b=high, probability=0.6, match_weight=1.5)
    merged = _created(
        Person,
        PersonFactory,
        given_name=f"Zz{word}merged",
        family_name=f"{word}mergedfamily",
        municipality=town,
    )
    merge = person_merge(actor=me, survivor=second, others=[merged], reason="Same person")
    story = SuccessStory.objects.create(
        fiscal_year=FISCAL_YEAR,
        quarter=QUARTER,
        title_en=f"{word} story",
        text_en=f"{word} villagers met.",
        written_by=me,
        written_at=timezone.now(),
    )
    story.activities.add(activity)
    value = outcome_value_record(
        actor=me,
        indicator=Indicator.objects.get(code="property-tax-billed"),
        period=Period.calendar_year(2015),
        municipality_id=town.pk,
        cell={},
        value=Decimal("415000.00"),
        source_document=f"{word} finance report",
    )
    people = (
        person.given_name,
        person.family_name,
        second.given_name,
        second.family_name,
        merged.given_name,
        merged.family_name,
        f"Zz{word}rowgiven",
        f"{word}rowfamily",
        farm.name,
        *_dates(born),
        *_dates(second_born),
    )
    records = (
        organization.name,
        activity.title,
        planned.title,
        attachment.title,
        grant.reference,
        call.reference,
        applicant.name,
        plan.title,
        project.code,
        story.title_en,
        value.source_document,
    )
    return Side(
        code=code,
        person=person,
        second_person=second,
        organization=organization,
        farm=farm,
        activity=activity,
        attendance=attendance,
        tally=tally,
        planned=planned,
        attachment=attachment,
        batch=batch,
        grant=grant,
        tranche=tranche,
        visit=visit,
        outcome=outcome,
        call=call,
        application=application,
        plan=plan,
        action=action,
        assessment=assessment,
        project=project,
        spending=spending,
        milestone=milestone,
        pair=pair,
        merge=merge,
        story=story,
        value=value,
        people=people,
        records=records,
    )


def persona_users() -> dict[str, User]:
    """The personas: one user per role, and a staff member of a second component."""
    return {
        "admin": _created(
            User,
            UserFactory,
            username="admin",
            role=Role.ADMINISTRATOR,
            is_staff=True,
            is_superuser=True,
        ),
        "me": _created(User, UserFactory, username="me", role=Role.ME_OFFICER),
        "staff": _created(
            User,
            UserFactory,
            username="staff",
            role=Role.COMPONENT_STAFF,
            component=component("economic"),
        ),
        "staff_other": _created(
            User,
            UserFactory,
            username="staff-communication",
            role=Role.COMPONENT_STAFF,
            component=component("communication"),
        ),
        "focal_gracanica": _created(
            User,
            UserFactory,
            username="focal-gracanica",
            role=Role.FOCAL_POINT,
            municipality=municipality("gracanice"),
        ),
        "focal_zvecan": _created(
            User,
            UserFactory,
            username="focal-zvecan",
            role=Role.FOCAL_POINT,
            municipality=municipality("zvecan"),
        ),
        "donor": _created(User, UserFactory, username="donor", role=Role.DONOR),
    }


def persona_world() -> PersonaWorld:
    users = persona_users()
    zvecan_born, merged_born = dt.date(1931, 7, 29), dt.date(1932, 8, 13)
    # A Zvečan resident written on the Gračanica roster, the municipality misspelt.
    misspelt = "Zzstraygiven,Zvecanstrayfamily,M,1933-09-14,Zvxqcn\n"
    gracanica = _side(
        code="G",
        place="gracanice",
        component_code="communication",
        word="Gracsentinel",
        born=dt.date(1944, 2, 17),
        second_born=dt.date(1945, 3, 18),
        users=users,
        roster_extra=misspelt,
    )
    zvecan = _side(
        code="Z",
        place="zvecan",
        component_code="economic",
        word="Zvecsentinel",
        born=zvecan_born,
        second_born=dt.date(1936, 10, 21),
        users=users,
    )
    # A Zvečan resident resolved to the Gračanica person: the Gračanica focal point sees the
    # person, not the other municipality's record.
    stray = _created(
        Person,
        PersonFactory,
        given_name="Zzcrossgiven",
        family_name="Zveccrossfamily",
        birth_date=merged_born,
        birth_year=merged_born.year,
        municipality=municipality("zvecan"),
    )
    person_merge(actor=users["me"], survivor=gracanica.person, others=[stray], reason="Same")
    # A Gračanica resident resolved to a Zvečan person: the Gračanica focal point opens the
    # record, and its page must not name the person it was resolved to.
    resident = _created(
        Person,
        PersonFactory,
        given_name="ZzGracsentinelresident",
        family_name="Gracsentinelresidentfamily",
        municipality=municipality("gracanice"),
    )
    survivor_born = dt.date(1934, 11, 23)
    survivor = _created(
        Person,
        PersonFactory,
        given_name="Zzsurvivorgiven",
        family_name="Zvecsurvivorfamily",
        birth_date=survivor_born,
        birth_year=survivor_born.year,
        municipality=municipality("zvecan"),
    )
    person_merge(actor=users["me"], survivor=survivor, others=[resident], reason="Same")
    gracanica.people += (resident.given_name, resident.family_name)
    extra = (
        "Zzsurvivorgiven",
        "Zvecsurvivorfamily",
        *_dates(survivor_born),
        "Zzcrossgiven",
        "Zveccrossfamily",
        *_dates(merged_born),
        "Zzstraygiven",
        "Zvecanstrayfamily",
        *_dates(dt.date(1933, 9, 14)),
    )
    me_job = Job.objects.create(
        kind="reports.file", created_by=users["me"], status=JobStatus.SUCCEEDED
    )
    focal_job = Job.objects.create(
        kind="linkage.link", created_by=users["focal_gracanica"], status=JobStatus.SUCCEEDED
    )
    folder_check = Job.objects.create(
        kind=FOLDER_CHECK_JOB_KIND,
        created_by=users["me"],
        params={"digest": "0" * 64, "file_name": "office.zip"},
    )
    report_file = ReportFile.objects.create(
        job=me_job,
        name="quarterly.pdf",
        content_type="application/pdf",
        content=PDF,
        sha256="0" * 64,
    )
    rate = ExchangeRate.objects.create(
        currency="EUR", on=dt.date(2015, 9, 1), usd_per_unit=Decimal("1.12"), source="ECB"
    )
    period_submit(actor=users["me"], fiscal_year=FISCAL_YEAR, quarter=QUARTER)
    period = ReportingPeriod.objects.get(fiscal_year=FISCAL_YEAR, quarter=QUARTER)
    period_approve(actor=users["admin"], period=period)
    period.refresh_from_db()
    return PersonaWorld(
        gracanica=gracanica,
        zvecan=zvecan,
        users=users,
        me_job=me_job,
        focal_job=focal_job,
        folder_check=folder_check,
        report_file=report_file,
        rate=rate,
        period=period,
        resolved_elsewhere=resident,
        extra_people=extra,
    )
