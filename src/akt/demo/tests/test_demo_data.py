"""The demo dataset: the engine's figures over it are the program's published results.

The data is generated once for the module (it takes a few seconds) and committed; every test
runs in its own transaction on top of it and is rolled back, so tests that delete or add
records leave the next test the same dataset. The module removes what it created when done.
"""

from __future__ import annotations

import io
import itertools
import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from akt.accounts.models import AuditEntry, Role, User
from akt.activities.models import Activity, ActivityKind, Attendance, Tally, Topic
from akt.capacity.models import CapacityDevelopmentPlan, PlanStatus
from akt.counting.engine import age_on
from akt.demo.makers import allocate
from akt.demo.names import NAMES, ascii_fold, has_cyrillic
from akt.demo.plan import TARGETS
from akt.demo.records import demo_digest, demo_wipe
from akt.indicators.models import Indicator
from akt.indicators.selectors import results_compute
from akt.infrastructure.models import InfrastructureProject, ProjectStatus
from akt.intake.services import import_check, import_commit, import_receive
from akt.intake.validation import problems_of
from akt.linkage.batch import registry_link
from akt.linkage.models import MergeSource, PersonMerge, ReviewPair, ReviewStatus
from akt.people.models import Affiliation, Person
from akt.places.models import Community, Municipality
from akt.program.models import Component, Program
from akt.reports.models import PeriodStatus, ReportingPeriod
from akt.reports.services import snapshot_check
from akt.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Demo:
    digest: str
    output: str


@pytest.fixture(scope="module")
def demo(django_db_setup: None, django_db_blocker) -> Iterator[Demo]:
    """The reference data and the default demo dataset, committed once for the module."""
    with django_db_blocker.unblock():
        reference_was_loaded = Municipality.objects.exists()
        last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        call_command("load_reference", stdout=io.StringIO())
        out = io.StringIO()
        call_command("demo_data", stdout=out)
        digest = demo_digest()
    yield Demo(digest=digest, output=out.getvalue())
    with django_db_blocker.unblock():
        demo_wipe()
        # The generation's own entries and the merges its identity resolution made.
        AuditEntry.objects.filter(pk__gt=last_entry).delete()
        if not reference_was_loaded:
            for model in (Indicator, Topic, Component, Program, Municipality, Community):
                model.objects.all().delete()


def results() -> dict[str, object]:
    """The figures counted from the records: the brief's (the entered outcome values, property
    tax, are the demo's own; ``test_outcomes.py`` checks them)."""
    return {
        value.indicator.code: value.behind()
        for value in results_compute()
        if value.indicator.source != "entered"
    }


def values() -> dict[str, object]:
    return {code: result.value for code, result in results().items()}


def test_every_indicator_equals_the_published_figure(demo: Demo) -> None:
    assert values() == dict(TARGETS)


def test_akt_results_prints_the_published_figures(demo: Demo) -> None:
    """What an M&E officer runs: `akt results --format json` after `akt demo-data`."""
    out = io.StringIO()
    call_command("results", "--format", "json", stdout=out)
    entered = set(Indicator.objects.filter(source="entered").values_list("code", flat=True))
    printed = {
        item["code"]: item["value"]
        for item in json.loads(out.getvalue())
        if item["code"] not in entered
    }
    assert printed == {
        code: float(value) if code.endswith("amount") else value for code, value in TARGETS.items()
    }
    text = io.StringIO()
    call_command("results", "--lang", "sr-cyrl", stdout=text)
    assert "1.244 општинска службеника обучена за управљање" in text.getvalue()
    assert "20.623 особе различитих националности" in text.getvalue()


def test_the_command_reports_what_it_wrote(demo: Demo) -> None:
    assert "Created demo data with seed 2014" in demo.output
    assert f"Persons: {Person.objects.count()}" in demo.output
    assert demo.digest[:16] in demo.output


def test_people_who_come_back_count_once(demo: Demo) -> None:
    found = results()
    for code in ("management-trainees", "community-members-empowered", "property-tax-trainees"):
        # More roster rows than persons: trainees and members attended several sessions.
        assert len(found[code].record_ids) > found[code].value, code
    # One debate was counted by headcount, beside the rosters of the others.
    assert found["lul-debate-participants"].tally_record_ids
    assert found["joint-activity-participants"].tally_record_ids


def test_unique_person_figures_come_out_of_identity_resolution(demo: Demo, personas) -> None:
    """Some sheets registered a returning attendee again under another spelling; the figures
    are the brief's only because identity resolution merged those records."""
    merged = Person.objects.filter(identity__isnull=False).select_related("identity")
    moved = merged.count()
    assert moved > 200
    assert Person.objects.count() == Person.objects.canonical().count() + moved
    assert any(
        has_cyrillic(p.given_name) != has_cyrillic(p.identity.given_name) for p in merged
    )  # "Јован Петровић" resolved to "Jovan Petrović", or the other way round
    assert all(
        (p.sex, p.birth_date, p.municipality_id)
        == (p.identity.sex, p.identity.birth_date, p.identity.municipality_id)
        for p in merged
    )
    assert PersonMerge.objects.filter(source=MergeSource.BATCH, actor=None).count() > 200
    assert ReviewPair.objects.filter(status=ReviewStatus.PENDING).exists()

    # Without the merges every second record counts as another person ...
    Person.objects.update(identity=None)
    unresolved = values()
    for code in ("management-trainees", "community-members-empowered", "property-tax-trainees"):
        assert unresolved[code] > TARGETS[code], code
    # ... and an M&E officer's batch run resolves them again.
    PersonMerge.objects.all().delete()
    registry_link(actor=personas["me"])
    assert Person.objects.filter(identity__isnull=False).count() == moved
    assert values() == dict(TARGETS)


def test_records_outside_the_filters_are_there_and_not_counted(demo: Demo) -> None:
    found = results()
    counted_activities = set().union(*(r.activity_ids for r in found.values()))
    meetings = set(Activity.objects.filter(kind=ActivityKind.MEETING).values_list("id", flat=True))
    assert meetings and not meetings & counted_activities
    other_debates = Activity.objects.filter(kind=ActivityKind.PUBLIC_DEBATE).exclude(
        topics__code="law-on-use-of-languages"
    )
    assert other_debates.exists()
    assert not set(other_debates.values_list("id", flat=True)) & found["lul-debates"].activity_ids
    outside_affiliation = Attendance.objects.filter(
        activity__kind=ActivityKind.TRAINING, activity__topics__code="management"
    ).exclude(
        person__affiliation__in=[
            Affiliation.MUNICIPAL_EMPLOYEE,
            Affiliation.FINANCE_OFFICER,
            Affiliation.MOCR_MEMBER,
        ]
    )
    assert outside_affiliation.exists()
    assert not set(outside_affiliation.values_list("id", flat=True)) & (
        found["management-trainees"].record_ids
    )
    assert CapacityDevelopmentPlan.objects.filter(status=PlanStatus.DRAFT).exists()
    under_way = InfrastructureProject.objects.filter(status=ProjectStatus.UNDER_WAY)
    assert under_way.count() == 2
    assert InfrastructureProject.objects.count() == TARGETS["infrastructure-projects"] + 2
    # Farmers without a registered farm trained too; the indicator counts farms and businesses.
    farm_topics = ["dairy-processing", "fruit-vegetable-processing", "medicinal-aromatic-plants"]
    assert Attendance.objects.filter(
        activity__topics__code__in=farm_topics, organization__isnull=True
    ).exists()


def test_every_hearing_mixes_at_least_two_communities(demo: Demo) -> None:
    hearings = Activity.objects.filter(kind=ActivityKind.PUBLIC_HEARING)
    assert hearings.count() == TARGETS["public-hearings"]
    for hearing in hearings:
        on_roster = Attendance.objects.filter(
            activity=hearing, person__community__is_declared=True
        ).values_list("person__community__code", flat=True)
        counted = Tally.objects.filter(activity=hearing, community__is_declared=True).values_list(
            "community__code", flat=True
        )
        assert len(set(on_roster) | set(counted)) >= 2, hearing.title


def test_youth_is_age_on_the_service_date(demo: Demo) -> None:
    found = results()
    services = Attendance.objects.filter(
        activity__kind__in=[ActivityKind.BUSINESS_SERVICE, ActivityKind.TECHNICAL_ASSISTANCE]
    ).select_related("person", "activity")
    youth_rows = found["youth-business-services"].record_ids
    # One person may sit on the rosters under two records (a sheet registered them again);
    # the figures count persons, so the checks below follow the resolved identity too.
    youth = {row.person.resolved_id for row in services if row.id in youth_rows}
    women_rows = found["women-business-services"].record_ids
    women = {row.person.resolved_id for row in services if row.id in women_rows}
    ages: dict[int, list[int | None]] = {}
    for row in services:
        person = row.person
        ages.setdefault(person.resolved_id, []).append(
            age_on(
                row.activity.start_date, birth_date=person.birth_date, birth_year=person.birth_year
            )
        )
    turned_30 = {pk for pk, seen in ages.items() if 29 in seen and 30 in seen}
    unknown_birth = {pk for pk, seen in ages.items() if seen[0] is None}
    thirty_throughout = {
        pk for pk, seen in ages.items() if seen and min(a or 0 for a in seen) == 30
    }
    assert turned_30 and turned_30 <= youth  # 29 at one session, 30 at another: young
    assert unknown_birth and not unknown_birth & youth
    assert thirty_throughout and not thirty_throughout & youth
    assert youth & women  # young women count among the women too
    assert len(youth) == TARGETS["youth-business-services"]


def test_names_are_written_as_sign_in_sheets_write_them(demo: Demo) -> None:
    people = list(Person.objects.select_related("community"))
    assert any(has_cyrillic(p.given_name + p.family_name) for p in people)
    folded = {
        ascii_fold(name)
        for pool in NAMES.values()
        for name in (*pool.male, *pool.female)
        if ascii_fold(name) != name
    }
    assert any(p.given_name in folded for p in people)  # "Arber", "Djordje", ...
    communities = {p.community.code for p in people if p.community}
    assert {"albanian", "serb", "bosniak", "turkish", "roma", "ashkali", "egyptian"} <= communities
    assert "prefer-not-to-say" in communities
    assert any(p.community is None for p in people)
    serbs = [p for p in people if p.community and p.community.code == "serb"]
    share = sum(has_cyrillic(p.given_name) for p in serbs) / len(serbs)
    assert 0.08 < share < 0.25


def test_each_municipality_has_activities_and_people_of_its_majority(demo: Demo) -> None:
    for place in Municipality.objects.partners().select_related("majority_community"):
        activities = Activity.objects.filter(municipality=place)
        assert activities.exists(), place.code
        residents = Counter(
            Person.objects.filter(municipality=place, community__is_declared=True).values_list(
                "community__code", flat=True
            )
        )
        assert residents.most_common(1)[0][0] == place.majority_community.code, place.code
        assert len(residents) >= 2, place.code  # and people of other communities
    first, last = date(2014, 4, 1), date(2017, 4, 30)
    assert not Activity.objects.exclude(start_date__gte=first, end_date__lte=last).exists()
    gjilan = Activity.objects.get(municipality__code="gjilan", kind=ActivityKind.PUBLIC_DEBATE)
    gracanica = Activity.objects.get(
        municipality__code="gracanice", kind=ActivityKind.PUBLIC_DEBATE
    )
    assert gjilan.title == "Debat publik për Ligjin për përdorimin e gjuhëve – Gjilan"
    assert gracanica.title == "Javna debata o Zakonu o upotrebi jezika – Gračanica"


def test_figures_follow_the_records(demo: Demo) -> None:
    debate = (
        Activity.objects.filter(
            kind=ActivityKind.PUBLIC_DEBATE, topics__code="law-on-use-of-languages"
        )
        .order_by("start_date")
        .first()
    )
    attendance = debate.attendances.count() + sum(
        debate.tallies.values_list("headcount", flat=True)
    )
    debate.delete()
    after = values()
    assert after["lul-debates"] == TARGETS["lul-debates"] - 1
    assert after["lul-debate-participants"] == TARGETS["lul-debate-participants"] - attendance

    other = Activity.objects.filter(kind=ActivityKind.PUBLIC_DEBATE, attendances__isnull=False)
    other = other.filter(topics__code="law-on-use-of-languages").first()
    newcomer = PersonFactory(municipality=other.municipality)
    Attendance.objects.create(activity=other, person=newcomer)
    assert values()["lul-debate-participants"] == after["lul-debate-participants"] + 1

    sessions = Activity.objects.filter(
        kind=ActivityKind.TRAINING, topics__code="management", component__code="municipal"
    ).order_by("start_date")[:2]
    employee = PersonFactory(affiliation=Affiliation.MUNICIPAL_EMPLOYEE)
    Attendance.objects.create(activity=sessions[0], person=employee)
    assert values()["management-trainees"] == TARGETS["management-trainees"] + 1
    Attendance.objects.create(activity=sessions[1], person=employee)
    assert values()["management-trainees"] == TARGETS["management-trainees"] + 1


@pytest.mark.slow
def test_generation_is_deterministic(demo: Demo) -> None:
    call_command("demo_data", "--replace", stdout=io.StringIO())
    assert demo_digest() == demo.digest
    call_command("demo_data", "--replace", "--seed", "7", stdout=io.StringIO())
    assert demo_digest() != demo.digest
    assert values() == dict(TARGETS)  # another seed, other records, the same figures


def test_a_second_run_refuses_and_changes_nothing(demo: Demo) -> None:
    with pytest.raises(CommandError, match="already holds program records"):
        call_command("demo_data", stdout=io.StringIO())
    assert demo_digest() == demo.digest


def test_replace_never_touches_records_it_did_not_create(demo: Demo) -> None:
    real = PersonFactory(given_name="Drita", family_name="Krasniqi")
    activities = Activity.objects.count()
    with pytest.raises(CommandError, match="did not create"):
        call_command("demo_data", "--replace", stdout=io.StringIO())
    assert Person.objects.filter(pk=real.pk).exists()
    assert Activity.objects.count() == activities


def test_demo_users_get_one_account_per_role(demo: Demo, settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only
    out = io.StringIO()
    call_command("demo_users", stdout=out)
    users = {user.username: user for user in User.objects.all()}
    assert {name: user.role for name, user in users.items()} == {
        "admin": Role.ADMINISTRATOR,
        "me": Role.ME_OFFICER,
        "staff-economic": Role.COMPONENT_STAFF,
        "focal-gracanica": Role.FOCAL_POINT,
        "focal-zvecan": Role.FOCAL_POINT,
        "donor": Role.DONOR,
    }
    assert users["admin"].is_superuser and users["admin"].is_staff
    assert not users["me"].is_staff and not users["me"].is_superuser  # admin is for administrators
    assert users["staff-economic"].component.code == "economic"
    assert users["focal-gracanica"].municipality.code == "gracanice"
    assert users["focal-zvecan"].municipality.code == "zvecan"
    assert authenticate(username="donor", password="akt-demo-2014") is not None
    assert "focal-zvecan" in out.getvalue() and "akt-demo-2014" in out.getvalue()

    call_command("demo_users", "--password", "new-demo-password", stdout=io.StringIO())
    assert User.objects.count() == 6
    assert authenticate(username="donor", password="akt-demo-2014") is None
    assert authenticate(username="donor", password="new-demo-password") is not None


def test_allocate_splits_a_target_exactly_within_bounds() -> None:
    """The split every target goes through: always exact, always in bounds, or refused."""
    rng = random.Random(0)
    for _case in range(500):
        count = rng.randint(1, 30)
        low = rng.randint(0, 20)
        high = rng.randint(low, low + 60)
        total = rng.randint(count * low, count * high)
        weights = [rng.uniform(0.1, 3.0) for _part in range(count)]
        parts = allocate(total, weights, low=low, high=high)
        assert sum(parts) == total
        assert all(low <= part <= high for part in parts)
    assert allocate(10, [1, 1, 3]) == [2, 2, 6]
    with pytest.raises(ValueError):
        allocate(100, [1, 1], low=0, high=40)


@pytest.mark.slow
def test_reimporting_the_demo_sheets_changes_no_indicator_value(demo: Demo, personas) -> None:
    """Every roster of the demo, downloaded as the roster template (in each language in turn)
    and imported again into its activity, and every headcount copied into a tally sheet and
    imported again: nothing is added, and every figure, every split and the records behind
    them stay exactly as they were."""
    before = results()
    officer = personas["me"]
    client = Client()
    client.force_login(officer)
    languages = itertools.cycle(["sq", "sr", "en", "sr-latn"])
    rostered = Activity.objects.filter(attendances__isnull=False).distinct().order_by("pk")
    assert rostered.count() > 50
    for activity in rostered:
        language = next(languages)
        url = reverse("intake:roster", args=[activity.pk]) + f"?language={language}"
        sheet = client.get(url)
        assert sheet.status_code == 200
        batch = import_check(
            actor=officer,
            batch=import_receive(
                actor=officer,
                data=sheet.content,
                file_name=f"roster-{activity.pk}-{language}.xlsx",
                activity=activity,
            ),
        )
        assert batch.problem_count == 0, (
            activity.pk,
            [p.message for row in batch.rows for p in problems_of(row)][:5],
        )
        batch = import_commit(actor=officer, batch=batch)
        assert batch.summary["skipped"] == activity.attendances.count()
        assert (batch.summary["attendances"], batch.summary["persons_created"]) == (0, 0)

    counted = Activity.objects.filter(tallies__isnull=False).distinct().order_by("pk")
    assert counted.exists()
    for activity in counted:
        lines = ["Sex,Community,Age band,Headcount"]
        for cell in activity.tallies.select_related("community"):
            community = cell.community.name_sq if cell.community else ""
            lines.append(f"{cell.sex},{community},{cell.age_band},{cell.headcount}")
        batch = import_check(
            actor=officer,
            batch=import_receive(
                actor=officer,
                data="\n".join(lines).encode(),
                file_name=f"tally-{activity.pk}.csv",
                kind="tally",
                activity=activity,
            ),
        )
        assert batch.problem_count == 0
        batch = import_commit(actor=officer, batch=batch)
        assert batch.summary["tallies"] == 0

    assert results() == before


def test_the_demo_has_a_reporting_history(demo: Demo) -> None:
    """Quarters up to FY2015 Q4 approved by the demo administrator, FY2016 Q1 waiting for
    review; each approval reproduces its report, and a second run changes nothing."""
    call_command("demo_users", stdout=io.StringIO())
    out = io.StringIO()
    call_command("demo_periods", stdout=out)

    periods = list(ReportingPeriod.objects.order_by("fiscal_year", "quarter"))
    assert [(p.fiscal_year, p.quarter, p.status) for p in periods] == [
        (2014, 3, PeriodStatus.APPROVED), (2014, 4, PeriodStatus.APPROVED),
        (2015, 1, PeriodStatus.APPROVED), (2015, 2, PeriodStatus.APPROVED),
        (2015, 3, PeriodStatus.APPROVED), (2015, 4, PeriodStatus.APPROVED),
        (2016, 1, PeriodStatus.SUBMITTED),
    ]  # fmt: skip
    assert all(snapshot_check(p.snapshots.get()) for p in periods[:6])
    assert "Approved 6 quarters." in out.getvalue()
    call_command("demo_periods", stdout=io.StringIO())
    assert ReportingPeriod.objects.count() == 7
