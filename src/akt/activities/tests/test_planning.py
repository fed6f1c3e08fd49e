"""A quarter's work plan: activities planned, held as recorded activities or cancelled with a
reason, postponed with the earlier date kept; planned against held per component and
municipality; the calendar; each within the viewer's scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.activities import planning
from akt.activities.models import ActivityKind, PlannedActivity
from akt.testing.factories import ActivityFactory, component, municipality

pytestmark = pytest.mark.django_db

TODAY = dt.date(2016, 3, 15)  # in FY2016 Q2 (January to March 2016)
START, END = dt.date(2016, 1, 1), dt.date(2016, 3, 31)


def plan(actor: User, place: str, day: dt.date, title: str, expected: int | None = 30):
    return planning.planned_activity_create(
        actor=actor,
        data={
            "title": title,
            "kind": ActivityKind.PUBLIC_HEARING,
            "component": component("municipal"),
            "municipality": municipality(place),
            "planned_date": day,
            "expected_participants": expected,
            "notes": "",
        },
    )


@pytest.fixture
def quarter(reference: None, personas: dict[str, User]) -> dict[str, object]:
    me = personas["me"]
    budget = plan(me, "gracanice", dt.date(2016, 1, 20), "Dëgjim publik për buxhetin 2016")
    urban = plan(me, "gracanice", dt.date(2016, 2, 10), "Dëgjim për planin urban")
    late = plan(me, "gracanice", dt.date(2016, 3, 1), "Dëgjim për mbeturinat")
    future = plan(me, "gracanice", dt.date(2016, 3, 29), "Dëgjim për rrugët")
    zvecan = plan(me, "zvecan", dt.date(2016, 2, 4), "Јавна расправа о буџету")
    held = ActivityFactory(
        title="Dëgjim publik për buxhetin 2016",
        kind=ActivityKind.PUBLIC_HEARING,
        municipality=municipality("gracanice"),
        component=component("municipal"),
        start_date=dt.date(2016, 1, 22),
    )
    unplanned = ActivityFactory(
        title="Takim me të rinjtë",
        municipality=municipality("gracanice"),
        component=component("municipal"),
        start_date=dt.date(2016, 2, 15),
    )
    planning.planned_activity_hold(actor=me, planned=budget, activity=held)
    planning.planned_activity_cancel(
        actor=me, planned=urban, on=dt.date(2016, 2, 8), reason="Kuvendi nuk e miratoi draftin."
    )
    return {"held": held, "unplanned": unplanned, "late": late, "future": future, "zvecan": zvecan}


def test_planned_against_held_per_component_and_municipality(
    quarter: dict[str, object], personas: dict[str, User]
) -> None:
    from akt.accounts.scope import Scope

    lines = planning.planned_against_held(Scope.for_user(personas["me"]), START, END, TODAY)
    gracanica = lines[component("municipal").pk, municipality("gracanice").pk]
    # Four planned in Gračanica: one held, one cancelled (not counted as planned), one whose
    # date passed (1 March), one still to come (29 March); one activity held without a plan.
    assert (gracanica.planned, gracanica.held, gracanica.cancelled) == (3, 1, 1)
    assert (gracanica.overdue, gracanica.unplanned, gracanica.share_held) == (1, 1, 33)
    zvecan = lines[component("municipal").pk, municipality("zvecan").pk]
    assert (zvecan.planned, zvecan.held, zvecan.overdue) == (1, 0, 1)
    # The Gračanica focal point's work plan holds Gračanica only.
    focal = planning.planned_against_held(
        Scope.for_user(personas["focal_gracanica"]), START, END, TODAY
    )
    assert set(focal) == {(component("municipal").pk, municipality("gracanice").pk)}


def test_a_plan_is_held_once_in_its_own_municipality(
    quarter: dict[str, object], personas: dict[str, User]
) -> None:
    me = personas["me"]
    with pytest.raises(ValidationError, match="already recorded as held"):
        planning.planned_activity_hold(actor=me, planned=quarter["late"], activity=quarter["held"])
    with pytest.raises(ValidationError, match="another municipality"):
        planning.planned_activity_hold(
            actor=me, planned=quarter["zvecan"], activity=quarter["unplanned"]
        )
    with pytest.raises(ValidationError, match="Say why"):
        planning.planned_activity_cancel(
            actor=me, planned=quarter["late"], on=dt.date(2016, 3, 2), reason="  "
        )


def test_a_postponement_moves_the_plan_and_the_audit_keeps_the_date(
    quarter: dict[str, object], personas: dict[str, User]
) -> None:
    late: PlannedActivity = quarter["late"]  # type: ignore[assignment]
    planning.planned_activity_update(
        actor=personas["focal_gracanica"], planned=late, data={"planned_date": dt.date(2016, 4, 12)}
    )
    entry = AuditEntry.objects.filter(action="planned_activity_update").get()
    assert entry.changes["planned_date"] == ["2016-03-01", "2016-04-12"]
    # Out of the second quarter's plan, into the third's.
    page = reverse("activities:plan", args=[2016, 3])
    assert "Dëgjim për mbeturinat" in _text(personas, "me", page)


def _text(personas: dict[str, User], who: str, url: str) -> str:
    from django.test import Client

    client = Client()
    client.force_login(personas[who])
    answer = client.get(url)
    assert answer.status_code == 200
    return answer.content.decode()


def test_the_work_plan_and_calendar_pages_in_scope(
    quarter: dict[str, object], personas: dict[str, User], client_for
) -> None:
    page = reverse("activities:plan", args=[2016, 2])
    html = _text(personas, "me", page)
    assert "Dëgjim publik për buxhetin 2016" in html and "Јавна расправа о буџету" in html
    assert "Kuvendi nuk e miratoi draftin." in html  # why it was cancelled
    focal = _text(personas, "focal_gracanica", page)
    assert "Јавна расправа о буџету" not in focal  # another municipality's plan
    other = client_for("focal_zvecan").get(
        reverse("activities:planned_update", args=[quarter["late"].pk])  # type: ignore[union-attr]
    )
    assert other.status_code == 404
    donor = client_for("donor")
    assert donor.get(page).status_code == 200
    assert donor.get(reverse("activities:planned_create")).status_code == 403
    calendar = _text(personas, "focal_gracanica", reverse("activities:calendar") + "?month=2016-03")
    assert "Dëgjim për rrugët" in calendar and "Јавна" not in calendar


def test_planning_on_the_page_stores_it_and_refuses_a_bad_date(reference: None, client_for) -> None:
    client = client_for("focal_gracanica")
    data = {
        "title": "Debat për Ligjin për gjuhët",
        "kind": ActivityKind.PUBLIC_DEBATE,
        "component": component("municipal").pk,
        "municipality": municipality("gracanice").pk,
        "planned_date": "31.02.2016",
        "expected_participants": "40",
        "notes": "",
    }
    refused = client.post(reverse("activities:planned_create"), data)
    assert refused.status_code == 200 and not PlannedActivity.objects.exists()
    data["planned_date"] = "2016-02-25"
    saved = client.post(reverse("activities:planned_create"), data)
    assert saved.status_code == 302 and saved["Location"].endswith("/plan/fy2016/q2/")
    assert PlannedActivity.objects.get().expected_participants == 40


def test_a_training_serves_its_municipalitys_plan_actions_and_the_plan_shows_it(
    reference: None, personas: dict[str, User], client_for
) -> None:
    from akt.activities.services import activity_create
    from akt.capacity.models import PlanAction
    from akt.testing.factories import PlanFactory

    gracanica = PlanFactory(municipality=municipality("gracanice"))
    zvecan = PlanFactory(municipality=municipality("zvecan"))
    budgeting = PlanAction.objects.create(plan=gracanica, title="Trajnim për buxhetim", area="")
    other = PlanAction.objects.create(plan=zvecan, title="Обука о буџету", area="")
    training = dict(
        actor=personas["me"],
        title="Trajnim për buxhetimin me pjesëmarrje",
        kind=ActivityKind.TRAINING,
        component=component("municipal"),
        municipality=municipality("gracanice"),
        start_date=dt.date(2016, 4, 5),
        end_date=dt.date(2016, 4, 6),
    )
    with pytest.raises(ValidationError, match="another municipality's plan"):
        activity_create(**training, plan_actions=[other])
    activity = activity_create(**training, plan_actions=[budgeting])
    assert list(budgeting.activities.all()) == [activity]
    entry = AuditEntry.objects.get(action="activity_create", target_id=str(activity.pk))
    assert entry.changes["plan_actions"] == [budgeting.pk]
    page = client_for("focal_gracanica").get(reverse("capacity:detail", args=[gracanica.pk]))
    assert reverse("activities:detail", args=[activity.pk]) in page.content.decode()
