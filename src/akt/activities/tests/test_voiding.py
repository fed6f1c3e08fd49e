"""A mistake can be undone: an activity, grant, plan or project is voided and restored.

A voided record leaves every figure (the reference engine's facts, the columnar engine's
columns, the composition figures, ``akt results``, the pages), its activity's roster and
headcounts with it, stays in the audit log and on its page, and comes back whole when restored.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.activities import services as activity_services
from akt.activities.models import Activity, ActivityKind
from akt.capacity import services as plan_services
from akt.counting import engine
from akt.grants import services as grant_services
from akt.indicators.column_reader import read_columns
from akt.indicators.composition_reader import composition_input
from akt.indicators.fact_reader import facts_for
from akt.indicators.selectors import life_of_project, results_table_compute
from akt.infrastructure import services as project_services
from akt.reports.services import period_approve, period_submit
from akt.testing.factories import (
    ActivityFactory,
    AttendanceFactory,
    GrantFactory,
    PersonFactory,
    PlanFactory,
    ProjectFactory,
    TallyFactory,
    UserFactory,
    community,
    component,
    municipality,
    topic,
)

pytestmark = pytest.mark.django_db


def results() -> dict[str, dict]:
    out = io.StringIO()
    call_command("results", "--format", "json", stdout=out)
    return {item["code"]: item for item in json.loads(out.getvalue())}


def tracking(code: str) -> int:
    """The life-of-project figure of the columnar engine (the tracking table's)."""
    lop = life_of_project()
    table = results_table_compute(windows=[lop], cross_tabs=())
    indicator = next(item for item in table.indicators if item.code == code)
    return int(table.figures(indicator, lop).value)


@pytest.fixture
def hearings(personas: dict[str, User]) -> dict[str, Activity]:
    """Two public debates on the language law in Gjilan, one entered twice by mistake."""
    law = topic("law-on-use-of-languages")
    real = ActivityFactory(title="Debata publike, Gjilan", start_date=dt.date(2015, 5, 12))
    twice = ActivityFactory(title="Debata publike Gjilan (2)", start_date=dt.date(2015, 5, 12))
    for activity in (real, twice):
        activity.topics.add(law)
    for given, family in [("Arbër", "Gashi"), ("Jovan", "Petrović"), ("Drita", "Krasniqi")]:
        AttendanceFactory(
            activity=real,
            person=PersonFactory(
                given_name=given, family_name=family, community=community("albanian")
            ),
        )
    for given, family in [("Ђорђе", "Јовановић"), ("Fatmire", "Morina")]:
        AttendanceFactory(
            activity=twice,
            person=PersonFactory(given_name=given, family_name=family, community=community("serb")),
        )
    TallyFactory(activity=twice, sex="female", community=community("roma"), headcount=40)
    return {"real": real, "twice": twice}


def test_a_voided_activity_leaves_every_figure_and_comes_back_when_restored(
    hearings: dict[str, Activity], personas: dict[str, User]
) -> None:
    before = results()
    assert before["lul-debates"]["value"] == 2
    assert before["lul-debate-participants"]["value"] == 3 + 2 + 40
    assert tracking("lul-debate-participants") == 45
    lop = life_of_project()
    composed = composition_input(lop, engine.FULL_COVERAGE)
    assert {row.id for row in composed.activities} == {hearings["real"].pk, hearings["twice"].pk}

    activity_services.activity_void(
        actor=personas["me"], activity=hearings["twice"], reason="Entered twice from one sheet."
    )

    after = results()
    assert after["lul-debates"]["value"] == 1
    # Its roster (2) and its headcount (40) left with it.
    assert after["lul-debate-participants"]["value"] == 3
    assert after["lul-debate-participants"]["disaggregations"]["community"].get("roma", 0) == 0
    assert tracking("lul-debate-participants") == 3
    assert tracking("lul-debates") == 1
    composed = composition_input(lop, engine.FULL_COVERAGE)
    assert {row.id for row in composed.activities} == {hearings["real"].pk}
    assert {row.activity for row in composed.attendance} == {hearings["real"].pk}
    # Nothing was deleted.
    assert hearings["twice"].attendances.count() == 2
    assert hearings["twice"].tallies.count() == 1

    entry = AuditEntry.objects.get(action="activity_void")
    assert entry.actor == personas["me"]
    assert entry.reason == "Entered twice from one sheet."
    assert entry.changes["roster_rows"] == 2 and entry.changes["headcount"] == 40

    activity_services.activity_restore(
        actor=personas["me"], activity=hearings["twice"], reason="It was a second debate after all."
    )
    assert results() == before
    assert tracking("lul-debate-participants") == 45
    restored = AuditEntry.objects.get(action="activity_restore")
    assert restored.changes["voiding_undone"]["void_reason"] == "Entered twice from one sheet."


def test_the_columns_hold_the_same_facts_as_the_orm_feed_with_records_voided(
    hearings: dict[str, Activity], personas: dict[str, User]
) -> None:
    grant = GrantFactory(award_date=dt.date(2015, 9, 1))
    GrantFactory(award_date=dt.date(2015, 9, 2))
    grant_services.grant_void(actor=personas["me"], grant=grant, reason="Cancelled award.")
    activity_services.activity_void(
        actor=personas["me"], activity=hearings["twice"], reason="Duplicate."
    )
    columns = read_columns()
    for source in engine.Source:
        from_orm = sorted(fact.record_id for fact in facts_for([source]))
        read = columns[source].record_id.tolist() if source in columns else []
        assert sorted(read) == from_orm, source
    assert grant.pk not in columns[engine.Source.GRANTS].record_id.tolist()


def test_grants_plans_and_projects_leave_their_figures_and_come_back(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    grants = [GrantFactory(award_date=dt.date(2015, 9, day)) for day in (1, 2)]
    plans = [PlanFactory(municipality=municipality(code)) for code in ("gjilan", "zvecan")]
    projects = [ProjectFactory(), ProjectFactory()]
    before = results()
    assert before["business-grants"]["value"] == 2
    assert before["capacity-plans"]["value"] == 2
    assert before["infrastructure-projects"]["value"] == 2

    grant_services.grant_void(actor=me, grant=grants[0], reason="Award cancelled by the panel.")
    plan_services.plan_void(actor=me, plan=plans[1], reason="Draft entered as adopted.")
    project_services.project_void(actor=me, project=projects[0], reason="Entered twice.")
    after = results()
    assert after["business-grants"]["value"] == 1
    assert after["business-grants-amount"]["value"] == before["business-grants-amount"]["value"] / 2
    assert after["capacity-plans"]["value"] == 1
    assert after["infrastructure-projects"]["value"] == 1

    grant_services.grant_restore(actor=me, grant=grants[0], reason="Panel decision reversed.")
    plan_services.plan_restore(actor=me, plan=plans[1], reason="It was adopted after all.")
    project_services.project_restore(actor=me, project=projects[0], reason="Not a duplicate.")
    assert results() == before
    actions = list(AuditEntry.objects.order_by("pk").values_list("action", flat=True))
    assert actions[-6:] == [
        "grant_void",
        "plan_void",
        "project_void",
        "grant_restore",
        "plan_restore",
        "project_restore",
    ]


def test_who_may_void(personas: dict[str, User], hearings: dict[str, Activity]) -> None:
    communication = hearings["twice"]  # the factory's component: communication
    economic = ActivityFactory(component=component("economic"))
    reason = "Mistake."
    for persona in ("focal_gracanica", "donor"):
        with pytest.raises(PermissionDenied):
            activity_services.activity_void(
                actor=personas[persona], activity=communication, reason=reason
            )
    # Component staff: their own component's records only; not plans (a municipality's).
    with pytest.raises(PermissionDenied):
        activity_services.activity_void(
            actor=personas["staff"], activity=communication, reason=reason
        )
    activity_services.activity_void(actor=personas["staff"], activity=economic, reason=reason)
    with pytest.raises(PermissionDenied):
        plan_services.plan_void(actor=personas["staff"], plan=PlanFactory(), reason=reason)
    activity_services.activity_void(actor=personas["admin"], activity=communication, reason=reason)
    assert Activity.objects.counted().filter(pk__in=[economic.pk, communication.pk]).count() == 0


def test_a_reason_is_needed_and_a_voided_record_changes_only_by_being_restored(
    personas: dict[str, User], hearings: dict[str, Activity]
) -> None:
    me, twice = personas["me"], hearings["twice"]
    with pytest.raises(ValidationError) as refused:
        activity_services.activity_void(actor=me, activity=twice, reason="  ")
    assert "reason" in refused.value.error_dict
    activity_services.activity_void(actor=me, activity=twice, reason="Duplicate.")
    with pytest.raises(ValidationError, match="already voided"):
        activity_services.activity_void(actor=me, activity=twice, reason="Again.")
    twice.refresh_from_db()
    with pytest.raises(ValidationError, match="is voided"):
        activity_services.activity_update(actor=me, activity=twice, data={"venue": "Hall"})
    with pytest.raises(ValidationError, match="is voided"):
        activity_services.attendance_add(actor=me, activity=twice, person=PersonFactory())
    with pytest.raises(ValidationError, match="is voided"):
        activity_services.tally_set(
            actor=me, activity=twice, sex="male", community=None, age_band="", headcount=3
        )
    assert twice.attendances.count() == 2


def text(response) -> str:
    """The page as a reader sees it: tags dropped, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_the_pages_void_list_and_restore(
    client_for, personas: dict[str, User], hearings: dict[str, Activity]
) -> None:
    twice = hearings["twice"]
    client = client_for("me")
    dashboard = reverse("reports:dashboard")
    assert "2 public debates" in text(client.get(dashboard))

    page = text(client.get(reverse("activities:void", args=[twice.pk])))
    assert "Its roster of 2 persons leaves the figures with it." in page
    assert "Its headcounts of 40 participants leave the figures with it." in page
    refused = client.post(reverse("activities:void", args=[twice.pk]), {"reason": ""})
    assert refused.status_code == 200
    assert Activity.objects.voided().count() == 0

    response = client.post(
        reverse("activities:void", args=[twice.pk]), {"reason": "Same sheet entered twice."}
    )
    assert response.status_code == 302
    detail = text(client.get(reverse("activities:detail", args=[twice.pk])))
    assert "Voided on" in detail and "Same sheet entered twice." in detail
    assert reverse("activities:update", args=[twice.pk]) not in detail
    assert "1 public debate" in text(client.get(dashboard))

    listed = text(client.get(reverse("activities:list")))
    assert "Debata publike Gjilan (2)" not in listed
    shown = client.get(reverse("activities:list"), {"voided": "shown"}).content.decode()
    assert "Debata publike Gjilan (2)" in shown and 'class="tag voided"' in shown
    only = text(client.get(reverse("activities:list"), {"voided": "only"}))
    assert "Debata publike Gjilan (2)" in only and "Debata publike, Gjilan" not in only

    client.post(reverse("activities:restore", args=[twice.pk]), {"reason": "A second debate."})
    assert "2 public debates" in text(client.get(dashboard))


@pytest.mark.parametrize("persona", ["focal_gracanica", "donor"])
def test_other_roles_get_no_void_page(client_for, persona: str, hearings) -> None:
    activity = ActivityFactory(municipality=municipality("gracanice"))
    client = client_for(persona)
    assert client.get(reverse("activities:void", args=[activity.pk])).status_code == 403
    assert "Void…" not in text(client.get(reverse("activities:detail", args=[activity.pk])))


@pytest.mark.parametrize(
    ("app", "factory"),
    [("grants", GrantFactory), ("capacity", PlanFactory), ("infrastructure", ProjectFactory)],
)
def test_grant_plan_and_project_pages_void_and_restore(client_for, personas, app, factory) -> None:
    record = factory()
    client = client_for("me")
    assert "Void…" in text(client.get(reverse(f"{app}:detail", args=[record.pk])))
    client.post(reverse(f"{app}:void", args=[record.pk]), {"reason": "Entered by mistake."})
    record.refresh_from_db()
    assert record.is_voided and record.voided_by == personas["me"]
    assert "Entered by mistake." in text(client.get(reverse(f"{app}:detail", args=[record.pk])))
    client.post(reverse(f"{app}:restore", args=[record.pk]), {"reason": "It was right."})
    record.refresh_from_db()
    assert not record.is_voided


def test_voiding_in_an_approved_quarter_shows_on_the_quarter_page(
    client_for, personas: dict[str, User], hearings: dict[str, Activity]
) -> None:
    period = period_submit(actor=personas["me"], fiscal_year=2015, quarter=3)
    period_approve(actor=UserFactory(username="second-officer"), period=period)

    activity_services.activity_void(
        actor=personas["me"], activity=hearings["twice"], reason="Counted twice in Q3."
    )

    entry = AuditEntry.objects.get(action="activity_void")
    assert entry.changes["approved_periods"] == ["fy2015q3"]
    page = text(client_for("me").get(reverse("reports:period", args=[2015, 3])))
    assert "Counted twice in Q3." in page
    assert "figures differently from the approved report" in page


def test_a_voided_activity_keeps_its_import_and_leaves_with_it(
    personas: dict[str, User], hearings: dict[str, Activity]
) -> None:
    """An activity whose roster came from an import is voided like any other."""
    from akt.intake.services import import_check, import_commit, import_receive

    sheet = "Emri,Mbiemri,Gjinia,Viti i lindjes\nBesnik,Hoxha,M,1979\nLirije,Berisha,F,1990\n"
    activity = ActivityFactory(kind=ActivityKind.PUBLIC_DEBATE, start_date=dt.date(2015, 6, 2))
    activity.topics.add(topic("law-on-use-of-languages"))
    batch = import_receive(
        actor=personas["me"], data=sheet.encode(), file_name="lista.csv", activity=activity
    )
    import_commit(actor=personas["me"], batch=import_check(actor=personas["me"], batch=batch))
    assert results()["lul-debate-participants"]["value"] == 47

    activity_services.activity_void(actor=personas["me"], activity=activity, reason="Wrong one.")

    assert results()["lul-debate-participants"]["value"] == 45
    entry = AuditEntry.objects.get(action="activity_void")
    assert entry.changes["import_batches"] == [batch.pk]


def test_the_admin_refuses_to_delete_an_imported_activity_and_lists_it_when_voided(
    client_for, personas: dict[str, User]
) -> None:
    """The admin only shows activities: deleting one is refused (it is voided, on its page,
    with a reason), and a voided one is still listed under its filter."""
    from akt.intake.services import import_check, import_commit, import_receive, import_rollback

    me = personas["me"]
    activity = ActivityFactory(title="Takim me fermerët, Kamenicë")
    batch = import_receive(
        actor=me, data=b"Emri,Mbiemri\nBesnik,Hoxha\n", file_name="a.csv", activity=activity
    )
    batch = import_commit(actor=me, batch=import_check(actor=me, batch=batch))
    import_rollback(actor=me, batch=batch, reason="Wrong sheet.")
    admin = client_for("admin")
    url = reverse("admin:activities_activity_delete", args=[activity.pk])

    assert admin.get(url).status_code == 403
    assert admin.post(url, {"post": "yes"}).status_code == 403
    assert Activity.objects.filter(pk=activity.pk).exists()

    activity_services.activity_void(actor=me, activity=activity, reason="Never took place.")
    changelist = reverse("admin:activities_activity_changelist")
    assert "me fermerët" in admin.get(changelist, {"voided": "yes"}).content.decode()
    assert "me fermerët" not in admin.get(changelist, {"voided": "no"}).content.decode()
    change = admin.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    assert change.status_code == 200 and "Never took place." in change.content.decode()
