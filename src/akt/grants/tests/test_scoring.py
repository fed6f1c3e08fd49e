"""The committee: conflicts declared first, scores submitted once, blind until then, ranked by
the weighted mean of the members who submitted."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.grants.models import ApplicationStatus, CriterionScore, ScoreSheet
from akt.grants.scoring import CriterionScale, mean_score, rank, sheet_total
from akt.grants.scoring_services import (
    ScoreInput,
    application_conflict_declare,
    application_score_submit,
)
from akt.grants.selectors import ranking, visible_score_sheets
from akt.grants.tests.conftest import make_application

BLIND_MARK = "Strong market, weak bookkeeping"


def score(user, application, points, comment=""):
    """Declares no conflict and submits ``points`` (one per criterion, in order)."""
    application_conflict_declare(actor=user, application=application, has_conflict=False)
    criteria = list(application.call.criteria.all())
    return application_score_submit(
        actor=user,
        application=application,
        scores=[
            ScoreInput(criterion=criterion, points=value, comment=comment)
            for criterion, value in zip(criteria, points, strict=True)
        ],
    )


# -- the arithmetic, without a database ---------------------------------------------------------


def test_a_members_total_is_the_weighted_share_of_the_best_possible_score() -> None:
    criteria = {
        1: CriterionScale(Decimal("40"), 10),
        2: CriterionScale(Decimal("35"), 5),
        3: CriterionScale(Decimal("25"), 20),
    }
    assert sheet_total({1: 10, 2: 5, 3: 20}, criteria) == Decimal(100)
    assert sheet_total({1: 0, 2: 0, 3: 0}, criteria) == Decimal(0)
    # 40 x 5/10 + 35 x 5/5 + 25 x 0/20 = 20 + 35 = 55 of 100
    assert sheet_total({1: 5, 2: 5, 3: 0}, criteria) == Decimal(55)
    assert sheet_total({1: 5, 2: 5}, criteria) is None  # a criterion left out: no total
    assert mean_score([Decimal(55), Decimal(65)]) == Decimal(60)
    assert mean_score([]) is None


def test_the_ranking_puts_the_best_mean_first_ties_sharing_a_rank() -> None:
    ranked = rank([(1, Decimal(60)), (2, None), (3, Decimal(80)), (4, Decimal(60))])
    assert [(item.key, item.rank) for item in ranked] == [(3, 1), (1, 2), (4, 2), (2, None)]


# -- conflicts ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_with_a_conflict_cannot_score(client_for, workflow, personas) -> None:
    application = workflow.gracanica
    staff = personas["staff"]
    application_conflict_declare(
        actor=staff, application=application, has_conflict=True, note="My cousin owns it."
    )
    criteria = list(workflow.call.criteria.all())
    with pytest.raises(ValidationError) as refused:
        application_score_submit(
            actor=staff,
            application=application,
            scores=[ScoreInput(criterion=c, points=1) for c in criteria],
        )
    assert "conflict of interest" in " ".join(refused.value.messages)

    # The page offers no scores form, and a hand-made POST is refused the same way.
    client = client_for("staff")
    url = reverse("grants:application_score", args=[application.pk])
    page = client.get(url)
    assert page.context["score_form"] is None
    assert "You declared a conflict of interest" in page.content.decode()
    response = client.post(url, {f"points_{c.pk}": 1 for c in criteria})
    assert response.status_code == 200
    assert "you do not score it" in response.content.decode()
    assert not CriterionScore.objects.exists()
    sheet = ScoreSheet.objects.get(member=staff)
    assert (sheet.has_conflict, sheet.submitted_at) == (True, None)


@pytest.mark.django_db
def test_a_member_declares_before_scoring_and_only_once(workflow, personas) -> None:
    me = personas["me"]
    criteria = list(workflow.call.criteria.all())
    with pytest.raises(ValidationError, match="Declare first"):
        application_score_submit(
            actor=me,
            application=workflow.gracanica,
            scores=[ScoreInput(criterion=c, points=1) for c in criteria],
        )
    with pytest.raises(ValidationError) as unexplained:
        application_conflict_declare(actor=me, application=workflow.gracanica, has_conflict=True)
    assert unexplained.value.message_dict == {"note": ["Say what the conflict of interest is."]}
    application_conflict_declare(actor=me, application=workflow.gracanica, has_conflict=False)
    with pytest.raises(ValidationError, match="declaration does not change"):
        application_conflict_declare(
            actor=me, application=workflow.gracanica, has_conflict=True, note="Changed my mind"
        )
    assert ScoreSheet.objects.get(member=me).has_conflict is False


@pytest.mark.django_db
def test_only_committee_members_score(client_for, workflow, personas) -> None:
    application = workflow.gracanica
    for persona in ("admin", "donor", "focal_gracanica"):
        with pytest.raises(PermissionDenied):
            application_conflict_declare(
                actor=personas[persona], application=application, has_conflict=False
            )
    url = reverse("grants:application_score", args=[application.pk])
    assert client_for("admin").get(url).status_code == 403  # sees it, not on the committee
    assert client_for("focal_gracanica").get(url).status_code == 403
    assert client_for("focal_zvecan").get(url).status_code == 404  # may not even see it
    # The panelist's role sees nothing of the economic component; the committee seat does.
    panelist = client_for(None)
    panelist.force_login(workflow.panelist)
    assert panelist.get(url).status_code == 200
    assert (
        panelist.get(reverse("grants:application_detail", args=[application.pk])).status_code == 404
    )
    listed = panelist.get(reverse("grants:scoring_list")).context["rows"]
    assert {application.pk for application, _sheet in listed} == {
        workflow.gracanica.pk,
        workflow.zvecan.pk,
    }


# -- blind scoring ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_member_sees_no_other_scores_before_submitting_their_own(
    client_for, workflow, personas
) -> None:
    application = workflow.gracanica
    me, staff = personas["me"], personas["staff"]
    score(staff, application, [8, 4, 15], comment=BLIND_MARK)
    application_conflict_declare(actor=me, application=application, has_conflict=False)

    # The selectors hold it back, whoever asks ...
    assert [sheet.member for sheet in visible_score_sheets(me, application)] == [me]
    rows = {
        row.application.pk: row
        for row in ranking(workflow.call, me, workflow.call.applications.all())
    }
    assert rows[application.pk].score is None and rows[application.pk].hidden
    # ... and so no page shows it: the scoring page, the application, the ranked list.
    client = client_for("me")
    pages = [
        reverse("grants:application_score", args=[application.pk]),
        reverse("grants:application_detail", args=[application.pk]),
        reverse("grants:application_list", args=[workflow.call.pk]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert BLIND_MARK not in html, url
        assert "78.75" not in html, url  # the staff member's total: 32 + 28 + 18.75
    assert "after your scores" in client.get(pages[2]).content.decode()

    # The staff member, who submitted, sees their own and (once I submit) mine.
    score_me = [6, 3, 10]
    criteria = list(workflow.call.criteria.all())
    response = client.post(
        pages[0],
        {
            **{f"points_{c.pk}": value for c, value in zip(criteria, score_me, strict=True)},
            f"comment_{criteria[0].pk}": "Realistic plan",
        },
    )
    assert response.status_code == 302
    html = client.get(pages[0]).content.decode()
    assert BLIND_MARK in html and "78.75" in html
    assert "Realistic plan" in client_for("staff").get(pages[1]).content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCORED
    # 24 + 21 + 12.5 = 57.5 and 78.75 -> mean 68.125
    rows = {
        row.application.pk: row
        for row in ranking(workflow.call, me, workflow.call.applications.all())
    }
    assert rows[application.pk].score == Decimal("68.125")


@pytest.mark.django_db
def test_a_member_who_declared_a_conflict_never_sees_the_scores(workflow, personas) -> None:
    application = workflow.gracanica
    score(personas["staff"], application, [8, 4, 15], comment=BLIND_MARK)
    application_conflict_declare(
        actor=personas["me"], application=application, has_conflict=True, note="Former client."
    )
    assert [sheet.member for sheet in visible_score_sheets(personas["me"], application)] == [
        personas["me"]
    ]
    # The call's managers outside the committee see every submitted sheet.
    assert len(visible_score_sheets(personas["admin"], application)) == 2
    # A reader (the donor) sees the mean and nobody's sheet.
    assert list(visible_score_sheets(personas["donor"], application)) == []


@pytest.mark.django_db
def test_scores_out_of_range_are_refused_and_nothing_is_stored(
    client_for, workflow, personas
) -> None:
    application = workflow.gracanica
    application_conflict_declare(actor=personas["me"], application=application, has_conflict=False)
    criteria = list(workflow.call.criteria.all())
    before = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        application_score_submit(
            actor=personas["me"],
            application=application,
            scores=[
                ScoreInput(criterion=c, points=v)
                for c, v in zip(criteria, [11, 3, 10], strict=True)
            ],
        )
    assert refused.value.messages == ["“Business plan”: the score must be between 0 and 10."]
    response = client_for("me").post(
        reverse("grants:application_score", args=[application.pk]),
        {f"points_{criteria[0].pk}": 11, f"points_{criteria[1].pk}": 3},
    )
    form = response.context["score_form"]
    assert form.errors[f"points_{criteria[0].pk}"] == [
        "Ensure this value is less than or equal to 10."
    ]
    assert form.errors[f"points_{criteria[2].pk}"] == ["This field is required."]
    assert not CriterionScore.objects.exists()
    assert ScoreSheet.objects.get().submitted_at is None
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_applications_are_ranked_by_the_weighted_mean_of_the_members_who_submitted(
    client_for, workflow, personas
) -> None:
    call = workflow.call
    third = make_application(call, "Agro Novo Brdo", "gracanice")
    me, staff, panelist = personas["me"], personas["staff"], workflow.panelist
    # Gračanica: 57.5 (me) and 100 (staff): mean 78.75
    score(me, workflow.gracanica, [6, 3, 10])
    score(staff, workflow.gracanica, [10, 5, 20])
    # Zvečan: 90 (panelist) only; the others have not submitted
    score(panelist, workflow.zvecan, [10, 5, 12])
    # The third: 80 (me), 71 (staff): mean 75.5 -- below Gračanica, though I scored it higher
    score(me, third, [8, 4, 16])
    score(staff, third, [7, 4, 12])

    ranked = ranking(call, personas["admin"], call.applications.all())
    assert [(row.application.pk, row.rank, row.score, row.submitted) for row in ranked] == [
        (workflow.zvecan.pk, 1, Decimal(90), 1),
        (workflow.gracanica.pk, 2, Decimal("78.75"), 2),
        (third.pk, 3, Decimal("75.5"), 2),
    ]
    response = client_for("admin").get(reverse("grants:application_list", args=[call.pk]))
    names = [row.application.applicant.name for row in response.context["rows"]]
    assert names == ["Zvečan Secret Apiary", "Pčelarstvo Gračanica", "Agro Novo Brdo"]
    assert "78.75" in response.content.decode()
    # A focal point ranks what they may see, with the same scores.
    response = client_for("focal_gracanica").get(reverse("grants:application_list", args=[call.pk]))
    assert [(row.rank, row.score) for row in response.context["rows"]] == [
        (1, Decimal("78.75")),
        (2, Decimal("75.5")),
    ]
    assert "Zvečan Secret Apiary" not in response.content.decode()
    # The scores are audited with who gave them.
    entries = AuditEntry.objects.filter(action="application_score_submit")
    assert entries.count() == 5
    assert entries.filter(actor=panelist).get().changes["scores"] == {
        "Business plan": 10,
        "Jobs for women and minorities": 5,
        "Co-financing": 12,
    }


@pytest.mark.django_db
def test_the_ranked_list_costs_no_more_queries_with_more_applications(
    client_for, workflow, personas
) -> None:
    call = workflow.call
    url = reverse("grants:application_list", args=[call.pk])
    score(personas["staff"], workflow.gracanica, [8, 4, 15])
    client = client_for("me")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    for index in range(3):
        extra = make_application(call, f"Farma {index}", "gracanice")
        score(personas["staff"], extra, [5, 2, 10])
    assert queries() == before


@pytest.mark.django_db
def test_the_member_who_entered_an_application_does_not_score_it(workflow, personas) -> None:
    """The one who took the application in does not judge it: entered through the service,
    it names its clerk in the audit log, and that member's declaration and scores are refused."""
    from akt.grants.call_services import application_create
    from akt.people.models import Organization, OrganizationKind

    staff = personas["staff"]
    farm = Organization.objects.create(
        name="Пчелар Милић",
        kind=OrganizationKind.FARM,
        sector="beekeeping",
        municipality=workflow.zvecan.municipality,
    )
    entered = application_create(
        actor=staff,
        call=workflow.call,
        applicant=farm,
        municipality=workflow.zvecan.municipality,
        sector="beekeeping",
        received_on=workflow.zvecan.received_on,
        amount_requested=Decimal("5000.00"),
        cofinancing=Decimal("1000.00"),
        description="Мала радионица за мед.",
    )
    entered.status = ApplicationStatus.ELIGIBLE
    entered.save(update_fields=["status"])
    with pytest.raises(ValidationError) as refused:
        application_conflict_declare(actor=staff, application=entered, has_conflict=False)
    assert "You entered this application" in " ".join(refused.value.messages)
    # Another member of the committee scores it as any other.
    application_conflict_declare(actor=personas["me"], application=entered, has_conflict=False)
