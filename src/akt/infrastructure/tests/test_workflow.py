"""A project's workflow: selection, point, budget shares, spending, milestones, completion and
handover, for every persona, with bad input refused and nothing stored."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from akt.accounts.models import AuditEntry
from akt.infrastructure import services
from akt.infrastructure.models import (
    InfrastructureProject,
    MilestoneKind,
    MilestoneStatus,
    ProjectMilestone,
    ProjectSpending,
)
from akt.infrastructure.selectors import project_budget
from akt.testing.factories import ProjectFactory, community, component, municipality
from akt.testing.two_municipalities import two_municipalities

D = Decimal
TODAY = timezone.localdate()


@pytest.fixture
def world(personas):
    return two_municipalities()


def under_way(**values: object) -> InfrastructureProject:
    """A Gračanica project under way, as the pages would have recorded it."""
    defaults: dict[str, object] = {
        "code": "INF-GRA-UW",
        "title": "Gračanica community hall",
        "municipality": municipality("gracanice"),
        "status": "under_way",
        "start_date": dt.date(2016, 3, 1),
        "completion_date": None,
        "program_contribution": D("40000.00"),
        "municipal_contribution": D("8000.00"),
    }
    defaults.update(values)
    return ProjectFactory(**defaults)


def project_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "code": "INF-GRA-2",
        "title": "Gračanica youth centre roof",
        "component": component("communication").pk,
        "municipality": municipality("gracanice").pk,
        "communities": [community("serb").pk, community("albanian").pk],
        "selection_date": "2016-02-10",
        "selection_justification": "Asked for by both villages at the public hearing.",
        "status": "under_way",
        "start_date": "2016-05-01",
        "completion_date": "",
        "latitude": "",
        "longitude": "",
        "currency": "USD",
        "program_contribution": "30000.00",
        "municipal_contribution": "6000.00",
        "community_contribution": "",
        "community_contribution_kind": "",
    }
    data.update(overrides)
    return data


def nothing_stored(before: tuple[int, int, int]) -> bool:
    return (
        InfrastructureProject.objects.count(),
        ProjectSpending.objects.count(),
        ProjectMilestone.objects.count(),
    ) == before and not AuditEntry.objects.exists()


def counts() -> tuple[int, int, int]:
    return (
        InfrastructureProject.objects.count(),
        ProjectSpending.objects.count(),
        ProjectMilestone.objects.count(),
    )


# -- selection and location -------------------------------------------------------------------


def test_a_project_is_selected_with_its_communities_and_located_by_a_point(
    client_for, world
) -> None:
    client = client_for("focal_gracanica")
    response = client.post(
        reverse("infrastructure:create"),
        project_payload(latitude="42.61234567", longitude="21.1977", community_contribution="900"),
    )
    assert response.status_code == 200  # a contribution needs its kind
    assert response.context["form"].errors == {
        "community_contribution_kind": ["Say whether the community contributes in cash or in kind."]
    }
    response = client.post(
        reverse("infrastructure:create"),
        project_payload(
            latitude="42.61234567",
            longitude="21.1977",
            community_contribution="900",
            community_contribution_kind="in_kind",
        ),
    )
    project = InfrastructureProject.objects.get(code="INF-GRA-2")
    assert response["Location"] == reverse("infrastructure:detail", args=[project.pk])
    # A GPS reading's extra decimals are rounded to the six kept (about 0.1 m).
    assert (project.latitude, project.longitude) == (D("42.612346"), D("21.197700"))
    assert sorted(project.communities.values_list("code", flat=True)) == ["albanian", "serb"]
    entry = AuditEntry.objects.get(action="project_create")
    assert entry.changes["communities"] == sorted([community("serb").pk, community("albanian").pk])
    assert entry.changes["latitude"] == "42.612346"
    html = client.get(response["Location"]).content.decode()
    assert "42.612346" in html and "21.1977" in html
    assert "Asked for by both villages at the public hearing." in html
    assert "Serb" in html and "Albanian" in html


def test_a_project_without_a_point_is_located_by_its_municipality(client_for, world) -> None:
    html = (
        client_for("donor")
        .get(reverse("infrastructure:detail", args=[world.gracanica.project.pk]))
        .content.decode()
    )
    assert (
        "No point recorded: the project is located by its municipality, Gračanica/Graçanicë."
        in html
    )


@pytest.mark.parametrize(
    ("point", "field", "messages"),
    [
        (
            {"latitude": "45.1", "longitude": "21.1"},
            "latitude",
            [
                "The latitude 45.1 is outside Kosovo: it must be between 41.85 and 43.27 "
                "degrees north."
            ],
        ),
        (
            {"latitude": "42.6", "longitude": "19.5"},
            "longitude",
            [
                "The longitude 19.5 is outside Kosovo: it must be between 20.01 and 21.80 "
                "degrees east."
            ],
        ),
        (
            {"latitude": "42.6", "longitude": ""},
            "longitude",
            ["Give the longitude too, or neither coordinate."],
        ),
        (
            {"latitude": "", "longitude": "21.2"},
            "latitude",
            ["Give the latitude too, or neither coordinate."],
        ),
        (
            {"latitude": "21.2", "longitude": "42.6"},
            "latitude",
            [
                "The latitude 21.2 is outside Kosovo: it must be between 41.85 and 43.27 "
                "degrees north.",
                "The latitude and the longitude look swapped: the latitude is about 42 in "
                "Kosovo, the longitude about 21.",
            ],
        ),
    ],
)
def test_a_point_outside_kosovo_is_refused_naming_the_coordinate(
    client_for, world, point: dict, field: str, messages: list[str]
) -> None:
    before = counts()
    response = client_for("focal_gracanica").post(
        reverse("infrastructure:create"), project_payload(**point)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors[field] == messages
    assert f'id="id_{field}_error"' in response.content.decode()
    assert nothing_stored(before)


def test_the_service_refuses_a_point_outside_kosovo_too(world, personas) -> None:
    project = world.gracanica.project
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            actor=personas["me"],
            project=project,
            data={"latitude": D("42.6"), "longitude": D("22.5")},
        )
    assert refused.value.message_dict == {
        "longitude": [
            "The longitude 22.5 is outside Kosovo: it must be between 20.01 and 21.80 degrees east."
        ]
    }
    project.refresh_from_db()
    assert project.latitude is None and project.longitude is None
    assert not AuditEntry.objects.exists()


# -- the budget and its spending ----------------------------------------------------------------


def test_the_budget_shares_and_their_percents(client_for, world, personas) -> None:
    project = under_way(community_contribution=D("2000.00"), community_contribution_kind="in_kind")
    assert project.total_budget == D("50000.00")
    budget = project_budget(project)
    assert [(s.payer, s.budget, s.percent_of_budget) for s in budget.shares] == [
        ("usaid", D("40000.00"), D("80.0")),
        ("municipality", D("8000.00"), D("16.0")),
        ("community", D("2000.00"), D("4.0")),
    ]
    html = client_for("donor").get(reverse("infrastructure:detail", args=[project.pk]))
    page = html.content.decode()
    for text in ("USAID", "80%", "16%", "4%", "(in kind)", "$50,000", "$2,000"):
        assert text in page, text


def test_spending_is_totalled_per_payer_and_above_the_budget_flagged(
    client_for, world, personas
) -> None:
    project = under_way(
        program_contribution=D("10000.00"),
        municipal_contribution=D("2000.00"),
        community_contribution=D("500.00"),
        community_contribution_kind="cash",
    )
    client = client_for("focal_gracanica")
    payments = [
        ("2016-04-01", "6000", "works", "usaid"),
        ("2016-05-01", "4000.50", "works", "usaid"),
        ("2016-05-15", "800", "supervision", "usaid"),
        ("2016-05-20", "1500", "works", "municipality"),
        ("2016-06-01", "300", "other", "community"),
    ]
    for day, amount, category, payer in payments:
        response = client.post(
            reverse("infrastructure:spending_add", args=[project.pk]),
            {"spent_on": day, "amount": amount, "category": category, "paid_by": payer},
        )
        assert response.status_code == 302
        assert response["Location"].endswith("#spending")
    assert AuditEntry.objects.filter(action="spending_add").count() == 5

    budget = project_budget(project)
    assert {s.payer: (s.spent, s.percent_spent, s.over) for s in budget.shares} == {
        "usaid": (D("10800.50"), D("108.0"), True),
        "municipality": (D("1500.00"), D("75.0"), False),
        "community": (D("300.00"), D("60.0"), False),
    }
    assert (budget.total, budget.spent, budget.percent_spent) == (
        D("12500.00"),
        D("12600.50"),
        D("100.8"),
    )
    page = client.get(reverse("infrastructure:detail", args=[project.pk])).content.decode()
    assert "Spending is above the budget by $100.50." in page
    assert "above its share" in page

    # A payment changed on its page: audited, the totals follow.
    payment = ProjectSpending.objects.get(project=project, amount=D("4000.50"))
    response = client.post(
        reverse("infrastructure:spending_update", args=[project.pk, payment.pk]),
        {"spent_on": "2016-05-01", "amount": "3900.50", "category": "works", "paid_by": "usaid"},
    )
    assert response.status_code == 302
    assert AuditEntry.objects.latest("id").changes == {"amount": ["4000.50", "3900.50"]}
    assert project_budget(project).spent == D("12500.50")


# -- milestones -----------------------------------------------------------------------------


def test_a_milestone_is_late_when_its_planned_date_passed_without_an_actual_date(
    client_for, world, personas
) -> None:
    project = under_way()
    me = personas["me"]
    done = services.milestone_add(
        actor=me,
        project=project,
        kind=MilestoneKind.TENDER_PUBLISHED,
        planned_date=dt.date(2016, 1, 10),
        actual_date=dt.date(2016, 1, 12),
    )
    late = services.milestone_add(
        actor=me,
        project=project,
        kind=MilestoneKind.WORKS_STARTED,
        planned_date=TODAY - dt.timedelta(days=1),
    )
    pending = services.milestone_add(
        actor=me, project=project, kind=MilestoneKind.WORKS_COMPLETED, planned_date=TODAY
    )
    assert [m.status for m in (done, late, pending)] == [
        MilestoneStatus.DONE,
        MilestoneStatus.LATE,
        MilestoneStatus.PENDING,
    ]
    # Late is measured on a day: the same milestone was pending the day before it was due.
    assert late.status_on(late.planned_date) == MilestoneStatus.PENDING

    client = client_for("focal_gracanica")
    page = client.get(reverse("infrastructure:detail", args=[project.pk])).content.decode()
    assert "1 milestone is late: its planned date has passed without an actual date." in page
    assert page.count('<tr class="late">') == 1
    assert '<span class="tag milestone late">Late</span>' in page
    # The list names the next milestone, the first in the sequence not done: late here.
    rows = client.get(reverse("infrastructure:list")).context["rows"]
    row = next(row for row in rows if row.project.pk == project.pk)
    assert row.next_milestone.pk == late.pk and row.next_milestone.is_late


def test_a_milestone_kind_is_recorded_once_per_project(world, personas) -> None:
    project = under_way()
    services.milestone_add(
        actor=personas["me"],
        project=project,
        kind=MilestoneKind.CONTRACT_SIGNED,
        planned_date=dt.date(2016, 2, 1),
    )
    before = ProjectMilestone.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.milestone_add(
            actor=personas["me"],
            project=project,
            kind=MilestoneKind.CONTRACT_SIGNED,
            planned_date=dt.date(2016, 2, 5),
        )
    assert "This project already has this milestone." in refused.value.messages
    assert ProjectMilestone.objects.count() == before


def test_a_milestone_before_the_project_is_refused(world, personas) -> None:
    """The tender comes after the project was selected; the works after its start."""
    project = under_way()
    project.selection_date = dt.date(2015, 11, 10)
    project.save(update_fields=["selection_date"])
    before = ProjectMilestone.objects.count()
    with pytest.raises(ValidationError) as early_tender:
        services.milestone_add(
            actor=personas["me"],
            project=project,
            kind=MilestoneKind.TENDER_PUBLISHED,
            planned_date=dt.date(2015, 10, 1),
        )
    assert early_tender.value.message_dict["planned_date"][0].startswith(
        "A milestone cannot come before the project was selected"
    )
    with pytest.raises(ValidationError) as early_works:
        services.milestone_add(
            actor=personas["me"],
            project=project,
            kind=MilestoneKind.WORKS_STARTED,
            planned_date=project.start_date - dt.timedelta(days=1),
        )
    assert "before the project's start" in early_works.value.message_dict["planned_date"][0]
    assert ProjectMilestone.objects.count() == before
    # A tender between selection and start is as it should be.
    services.milestone_add(
        actor=personas["me"],
        project=project,
        kind=MilestoneKind.TENDER_PUBLISHED,
        planned_date=dt.date(2015, 12, 1),
    )


# -- completion and handover ------------------------------------------------------------------


def test_a_project_is_completed_only_when_its_works_are(client_for, world, personas) -> None:
    project = under_way()
    client = client_for("focal_gracanica")
    complete = project_payload(
        code=project.code,
        title=project.title,
        communities=[],
        start_date="2016-03-01",
        status="completed",
        completion_date="2016-10-30",
        program_contribution="40000.00",
        municipal_contribution="8000.00",
    )
    refusal = (
        "A project is completed only when its “works completed” milestone is done: record the "
        "day the works were completed on that milestone first."
    )
    response = client.post(reverse("infrastructure:update", args=[project.pk]), complete)
    assert response.status_code == 200
    assert response.context["form"].errors["status"] == [refusal]
    project.refresh_from_db()
    assert (project.status, project.completion_date) == ("under_way", None)
    assert not AuditEntry.objects.exists()

    # A milestone planned but not done is not enough.
    works = services.milestone_add(
        actor=personas["me"],
        project=project,
        kind=MilestoneKind.WORKS_COMPLETED,
        planned_date=dt.date(2016, 10, 15),
    )
    with pytest.raises(ValidationError) as refused:
        services.project_update(
            actor=personas["me"],
            project=project,
            data={"status": "completed", "completion_date": dt.date(2016, 10, 30)},
        )
    assert refused.value.message_dict == {"status": [refusal]}

    services.milestone_update(
        actor=personas["me"], milestone=works, data={"actual_date": dt.date(2016, 10, 28)}
    )
    response = client.post(reverse("infrastructure:update", args=[project.pk]), complete)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "completed"

    # Once completed, its works stay completed.
    audited = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.milestone_update(actor=personas["me"], milestone=works, data={"actual_date": None})
    assert "change the project's status first" in refused.value.messages[0]
    works.refresh_from_db()
    assert works.actual_date == dt.date(2016, 10, 28)
    assert AuditEntry.objects.count() == audited


def test_a_new_project_is_never_created_completed(world, personas) -> None:
    with pytest.raises(ValidationError) as refused:
        services.project_create(
            actor=personas["me"],
            code="INF-NEW",
            title="Already finished",
            component=component("communication"),
            municipality=municipality("gracanice"),
            start_date=dt.date(2016, 1, 1),
            completion_date=dt.date(2016, 6, 1),
            status="completed",
            program_contribution=D("1000"),
        )
    assert "“works completed” milestone is done" in refused.value.message_dict["status"][0]
    assert not InfrastructureProject.objects.filter(code="INF-NEW").exists()
    assert not AuditEntry.objects.exists()


def test_the_handover_is_recorded_and_audited(client_for, world, personas) -> None:
    project = world.gracanica.project  # completed on 1 October 2015
    client = client_for("focal_gracanica")
    response = client.post(
        reverse("infrastructure:hand_over", args=[project.pk]),
        {
            "handover_date": "2015-10-20",
            "handed_over_to": "Direkcija za javne službe",
            "completion_certificate": "GRA-014/2015",
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#handover")
    project.refresh_from_db()
    assert (project.handover_date, project.handed_over_to, project.completion_certificate) == (
        dt.date(2015, 10, 20),
        "Direkcija za javne službe",
        "GRA-014/2015",
    )
    handover = AuditEntry.objects.get(action="project_hand_over")
    assert handover.actor == personas["focal_gracanica"]
    assert handover.target_id == str(project.pk)
    assert handover.changes == {
        "handover_date": [None, "2015-10-20"],
        "handed_over_to": ["", "Direkcija za javne službe"],
        "completion_certificate": ["", "GRA-014/2015"],
    }
    # Its handover milestone is done on that day, audited too.
    milestone = project.milestones.get(kind=MilestoneKind.HANDOVER)
    assert milestone.actual_date == dt.date(2015, 10, 20)
    assert AuditEntry.objects.filter(action="milestone_add", target_id=str(milestone.pk)).exists()
    page = client.get(reverse("infrastructure:detail", args=[project.pk])).content.decode()
    assert "Direkcija za javne službe" in page and "GRA-014/2015" in page


def test_only_a_completed_project_is_handed_over(client_for, world, personas) -> None:
    project = under_way()
    before = counts()
    with pytest.raises(ValidationError) as refused:
        services.project_hand_over(
            actor=personas["me"],
            project=project,
            handover_date=dt.date(2016, 12, 1),
            handed_over_to="Direkcija za javne službe",
        )
    assert refused.value.messages == [
        "Only a completed project is handed over. Complete it first: its “works completed” "
        "milestone done, its status completed."
    ]
    response = client_for("focal_gracanica").post(
        reverse("infrastructure:hand_over", args=[world.gracanica.project.pk]),
        {"handover_date": "2015-09-01", "handed_over_to": "Direkcija za javne službe"},
    )
    assert response.context["form"].errors["handover_date"] == [
        "The handover date must not be before the completion date."
    ]
    assert nothing_stored(before)


# -- who may do what --------------------------------------------------------------------------


def action_urls(world) -> dict[str, str]:
    project = world.gracanica.project
    payment = ProjectSpending.objects.create(
        project=project,
        spent_on=dt.date(2015, 6, 1),
        amount=D("1000"),
        category="works",
        paid_by="usaid",
    )
    milestone = ProjectMilestone.objects.create(
        project=project, kind="works_started", planned_date=dt.date(2015, 4, 1)
    )
    return {
        "spending_add": reverse("infrastructure:spending_add", args=[project.pk]),
        "spending_update": reverse("infrastructure:spending_update", args=[project.pk, payment.pk]),
        "milestone_add": reverse("infrastructure:milestone_add", args=[project.pk]),
        "milestone_update": reverse(
            "infrastructure:milestone_update", args=[project.pk, milestone.pk]
        ),
        "hand_over": reverse("infrastructure:hand_over", args=[project.pk]),
    }


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", 200),
        ("me", 200),
        ("staff", 404),  # another component's project
        ("focal_gracanica", 200),
        ("focal_zvecan", 404),
        ("donor", 403),
    ],
)
def test_who_may_open_the_action_pages(client_for, world, persona: str, expected: int) -> None:
    client = client_for(persona)
    for name, url in action_urls(world).items():
        assert client.get(url).status_code == expected, name


def test_component_staff_change_their_components_projects(client_for, world) -> None:
    project = under_way(code="INF-ECO", component=component("economic"))
    response = client_for("staff").post(
        reverse("infrastructure:milestone_add", args=[project.pk]),
        {"kind": "tender_published", "planned_date": "2016-01-15"},
    )
    assert response.status_code == 302
    assert project.milestones.count() == 1


def test_a_record_of_another_project_is_not_found_under_this_one(client_for, world) -> None:
    other = ProjectSpending.objects.create(
        project=world.zvecan.project,
        spent_on=dt.date(2015, 6, 1),
        amount=D("1000"),
        category="works",
        paid_by="usaid",
    )
    url = reverse("infrastructure:spending_update", args=[world.gracanica.project.pk, other.pk])
    assert client_for("focal_gracanica").get(url).status_code == 404


def test_the_services_refuse_donors_and_other_municipalities(world, personas) -> None:
    project = world.gracanica.project
    payment = ProjectSpending.objects.create(
        project=project, spent_on=dt.date(2015, 6, 1), amount=D("10"), category="works",
        paid_by="usaid",
    )  # fmt: skip
    milestone = ProjectMilestone.objects.create(
        project=project, kind="works_started", planned_date=dt.date(2015, 4, 1)
    )
    before = counts()
    for persona in ("donor", "focal_zvecan", "staff"):
        actor = personas[persona]
        writes = [
            lambda actor=actor: services.spending_add(
                actor=actor,
                project=project,
                spent_on=dt.date(2015, 7, 1),
                amount=D("5"),
                category="works",
                paid_by="usaid",
            ),  # fmt: skip
            lambda actor=actor: services.spending_update(
                actor=actor, spending=payment, data={"amount": D("99")}
            ),
            lambda actor=actor: services.milestone_add(
                actor=actor, project=project, kind="handover", planned_date=dt.date(2015, 11, 1)
            ),
            lambda actor=actor: services.milestone_update(
                actor=actor, milestone=milestone, data={"actual_date": dt.date(2015, 4, 2)}
            ),
            lambda actor=actor: services.project_hand_over(
                actor=actor,
                project=project,
                handover_date=dt.date(2015, 10, 5),
                handed_over_to="Someone",
            ),  # fmt: skip
        ]
        for write in writes:
            with pytest.raises(PermissionDenied):
                write()
    assert nothing_stored(before)
    payment.refresh_from_db()
    milestone.refresh_from_db()
    assert (payment.amount, milestone.actual_date) == (D("10.00"), None)


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "data", "field", "message"),
    [
        (
            "spending_add",
            {"spent_on": "2015-06-01", "amount": "-5", "category": "works", "paid_by": "usaid"},
            "amount",
            "The amount must be more than zero.",
        ),
        (
            "spending_add",
            {"spent_on": "", "amount": "5", "category": "works", "paid_by": "usaid"},
            "spent_on",
            "This field is required.",
        ),
        (
            "spending_add",
            {"spent_on": "2015-06-01", "amount": "5", "category": "works", "paid_by": "donor"},
            "paid_by",
            None,
        ),
        (
            "milestone_add",
            {
                "kind": "works_started",
                "planned_date": "2015-04-01",
                "actual_date": (TODAY + dt.timedelta(days=3)).isoformat(),
            },
            "actual_date",
            "The actual date cannot be in the future: leave it empty until then.",
        ),
        (
            "milestone_add",
            {"kind": "works_started", "planned_date": ""},
            "planned_date",
            "This field is required.",
        ),
        (
            "hand_over",
            {"handover_date": "2015-10-20", "handed_over_to": ""},
            "handed_over_to",
            "This field is required.",
        ),
        (
            "hand_over",
            {
                "handover_date": (TODAY + dt.timedelta(days=3)).isoformat(),
                "handed_over_to": "Direkcija za javne službe",
            },
            "handover_date",
            None,
        ),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_stores_nothing(
    client_for, world, action: str, data: dict, field: str, message: str | None
) -> None:
    project = world.gracanica.project
    before = counts()
    response = client_for("focal_gracanica").post(
        reverse(f"infrastructure:{action}", args=[project.pk]), data
    )
    assert response.status_code == 200
    page = response.content.decode()
    form = response.context["form"]
    if field in form.fields:
        assert field in form.errors, form.errors.as_data()
        if message:
            assert form.errors[field] == [message]
        assert f'id="id_{field}_error"' in page
    else:  # a service's refusal above the fields
        assert form.non_field_errors()
    assert nothing_stored(before)
    project.refresh_from_db()
    assert project.handover_date is None


def test_a_future_handover_is_refused_by_the_service(world, personas) -> None:
    with pytest.raises(ValidationError) as refused:
        services.project_hand_over(
            actor=personas["me"],
            project=world.gracanica.project,
            handover_date=TODAY + dt.timedelta(days=1),
            handed_over_to="Direkcija za javne službe",
        )
    assert refused.value.message_dict == {
        "handover_date": ["The handover date cannot be in the future."]
    }


# -- in the reader's language ----------------------------------------------------------------


@pytest.mark.parametrize("language", ["sq", "sr"])
def test_the_project_page_speaks_albanian_and_serbian_cyrillic(
    client_for, world, personas, language: str
) -> None:
    project = world.gracanica.project
    services.milestone_add(
        actor=personas["me"],
        project=project,
        kind=MilestoneKind.WORKS_COMPLETED,
        planned_date=dt.date(2015, 9, 15),
        actual_date=dt.date(2015, 9, 30),
    )
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(reverse("infrastructure:detail", args=[project.pk])).content.decode()
    labels = (
        "Budget and spending",
        "Milestones",
        "Paid by",
        "Share of the budget",
        "Communities involved",
        "Completion and handover",
        "Works completed",
        "Done",
        "USAID",
    )
    with translation.override(language):
        translated = {label: gettext(label) for label in labels}
    for english, text in translated.items():
        if english != "USAID":
            assert text != english, f"{english!r} is not translated into {language}"
        assert text in page, (language, english, text)
    assert "Budget and spending" not in page
    if language == "sr":
        assert "УСАИД" in page
    form = client.get(reverse("infrastructure:spending_add", args=[project.pk])).content.decode()
    with translation.override(language):
        assert gettext("Add a payment") in form
        assert gettext("Supervision") in form
