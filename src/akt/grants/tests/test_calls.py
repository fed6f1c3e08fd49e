"""Calls for applications and applications: who opens which page, what they enter, what bad
input does, and what a donor never sees."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.grants.call_services import (
    CriterionInput,
    application_eligibility_decide,
    award_decide,
    call_update,
)
from akt.grants.models import Application, ApplicationStatus, Call, Criterion
from akt.grants.tests.conftest import OWNER_MARKERS
from akt.grants.tests.test_awards import AWARD_DAY
from akt.grants.tests.test_scoring import score
from akt.testing.factories import OrganizationFactory, community, component, municipality

pytestmark = pytest.mark.django_db


def urls(workflow) -> dict[str, str]:
    call, application = workflow.call, workflow.gracanica
    return {
        "calls": reverse("grants:call_list"),
        "call": reverse("grants:call_detail", args=[call.pk]),
        "call_new": reverse("grants:call_create"),
        "call_edit": reverse("grants:call_update", args=[call.pk]),
        "applications": reverse("grants:application_list", args=[call.pk]),
        "application_new": reverse("grants:application_create", args=[call.pk]),
        "application": reverse("grants:application_detail", args=[application.pk]),
        "application_edit": reverse("grants:application_update", args=[application.pk]),
        "eligibility": reverse("grants:application_eligibility", args=[application.pk]),
        "scoring": reverse("grants:scoring_list"),
        "rates": reverse("grants:rate_list"),
    }


ALL = dict.fromkeys(
    [
        "calls",
        "call",
        "call_new",
        "call_edit",
        "applications",
        "application_new",
        "application",
        "application_edit",
        "eligibility",
        "scoring",
        "rates",
    ],
    200,
)


def test_anonymous_visitors_are_sent_to_sign_in(client_for, workflow) -> None:
    for name, url in urls(workflow).items():
        response = client_for(None).get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", ALL),
        ("me", ALL),
        ("staff", ALL),
        (
            "focal_gracanica",
            {**ALL, "call_new": 403, "call_edit": 403, "eligibility": 403},
        ),
        (
            "focal_zvecan",  # the call is open to Zvečan; the Gračanica application is not theirs
            {
                **ALL,
                "call_new": 403,
                "call_edit": 403,
                "application": 404,
                "application_edit": 404,
                "eligibility": 404,
            },
        ),
        (
            "donor",
            {
                **ALL,
                "call_new": 403,
                "call_edit": 403,
                "application_new": 403,
                "application_edit": 403,
                "eligibility": 403,
            },
        ),
    ],
)
def test_who_may_open_which_page(client_for, workflow, persona: str, expected: dict) -> None:
    client = client_for(persona)
    found = {name: client.get(url).status_code for name, url in urls(workflow).items()}
    assert found == expected


def test_a_focal_point_of_a_municipality_outside_the_call_sees_no_call(
    client_for, workflow
) -> None:
    call_update(
        actor=workflow.call.committee.get(username="me"),
        call=workflow.call,
        data={"municipalities": [municipality("gracanice")]},
    )
    client = client_for("focal_zvecan")
    assert client.get(reverse("grants:call_detail", args=[workflow.call.pk])).status_code == 404
    assert list(client.get(reverse("grants:call_list")).context["page"]) == []


def test_a_donor_never_sees_the_owners_sex_age_or_community(client_for, workflow, personas) -> None:
    application = workflow.gracanica
    score(personas["staff"], application, [8, 4, 15])
    award_decide(
        actor=personas["me"],
        application=application,
        award=True,
        reason="Ranked first.",
        decided_on=AWARD_DAY,
        amount=Decimal("6000"),
        reference="BG-2016-01-01",
    )
    application.refresh_from_db()
    pages = [
        reverse("grants:application_detail", args=[application.pk]),
        reverse("grants:application_list", args=[workflow.call.pk]),
        reverse("grants:call_detail", args=[workflow.call.pk]),
        reverse("grants:detail", args=[application.grant.pk]),
    ]
    for url in pages:
        html = client_for("donor").get(url).content.decode()
        assert [marker for marker in OWNER_MARKERS if marker in html] == [], url
    # The same pages show them to roles that see persons: the test above can fail.
    html = "".join(client_for("me").get(url).content.decode() for url in pages)
    assert [marker for marker in OWNER_MARKERS if marker not in html] == []
    assert "28 years old" in html  # born 1987, awarded in March 2016
    donor_page = client_for("donor").get(pages[0])
    assert donor_page.context["owner"] is None
    assert "not shown to your role" in donor_page.content.decode()


def test_staff_publish_a_call_with_its_criteria(client_for, personas) -> None:
    data = {
        "reference": "BG-2017-01",
        "title": "Thirrje për grante – përpunimi i drurit",
        "component": component("economic").pk,
        "description": "",
        "sectors": ["wood_processing", "furniture"],
        "municipalities": [municipality("gjilan").pk, municipality("gracanice").pk],
        "budget": "40000",
        "currency": "EUR",
        "opens_on": "2017-01-09",
        "deadline": "2017-02-10",
        "status": "open",
        "committee": [personas["me"].pk, personas["staff"].pk],
        "criteria-TOTAL_FORMS": "3",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Plani i biznesit",
        "criteria-0-weight": "60",
        "criteria-0-max_score": "10",
        "criteria-1-name": "Vende të reja pune",
        "criteria-1-weight": "40",
        "criteria-1-max_score": "5",
        "criteria-2-name": "",
        "criteria-2-weight": "",
        "criteria-2-max_score": "",
    }
    response = client_for("staff").post(reverse("grants:call_create"), data)
    call = Call.objects.get(reference="BG-2017-01")
    assert response["Location"] == reverse("grants:call_detail", args=[call.pk])
    assert call.sectors == ["wood_processing", "furniture"]  # in the sectors' own order
    assert [(c.name, c.weight, c.max_score) for c in call.criteria.all()] == [
        ("Plani i biznesit", Decimal("60.00"), 10),
        ("Vende të reja pune", Decimal("40.00"), 5),
    ]
    assert set(call.committee.values_list("username", flat=True)) == {"me", "staff"}
    entry = AuditEntry.objects.get(action="call_create")
    assert entry.changes["criteria"] == [
        ["Plani i biznesit", "60.00", 10],
        ["Vende të reja pune", "40.00", 5],
    ]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"deadline": "2016-12-01"},
            "__all__",
            "The deadline must not be before the opening date.",
        ),
        ({"sectors": []}, "sectors", "This field is required."),
        ({"budget": "0"}, "__all__", "The budget must be more than zero."),
        ({"criteria-0-name": ""}, "__all__", "Correct the evaluation criteria below."),
        ({"criteria-0-weight": "0"}, "__all__", "Correct the evaluation criteria below."),
    ],
)
def test_bad_call_input_is_refused_and_stores_nothing(
    client_for, personas, overrides: dict, field: str, message: str
) -> None:
    data = {
        "reference": "BG-BAD",
        "title": "Bad call",
        "component": component("economic").pk,
        "sectors": ["agriculture"],
        "municipalities": [municipality("gjilan").pk],
        "budget": "1000",
        "currency": "USD",
        "opens_on": "2017-01-09",
        "deadline": "2017-02-10",
        "status": "open",
        "criteria-TOTAL_FORMS": "1",
        "criteria-INITIAL_FORMS": "0",
        "criteria-0-name": "Plan",
        "criteria-0-weight": "1",
        "criteria-0-max_score": "10",
    }
    data.update(overrides)
    response = client_for("me").post(reverse("grants:call_create"), data)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Call.objects.filter(reference="BG-BAD").exists()
    assert not AuditEntry.objects.exists()


def test_a_call_is_opened_only_with_criteria(personas, workflow) -> None:
    with pytest.raises(ValidationError) as refused:
        call_update(
            actor=personas["me"], call=workflow.call, data={"status": "open", "criteria": []}
        )
    assert refused.value.message_dict["status"] == [
        "Give the evaluation criteria before opening the call."
    ]
    assert workflow.call.criteria.count() == 3
    with pytest.raises(ValidationError, match="2 applications still wait for a decision"):
        call_update(actor=personas["me"], call=workflow.call, data={"status": "decided"})
    with pytest.raises(PermissionDenied):
        call_update(actor=personas["focal_gracanica"], call=workflow.call, data={"title": "x"})


def test_the_criteria_no_longer_change_once_scores_are_submitted(personas, workflow) -> None:
    score(personas["staff"], workflow.gracanica, [8, 4, 15])
    with pytest.raises(ValidationError, match="members have submitted scores"):
        call_update(
            actor=personas["me"],
            call=workflow.call,
            data={"criteria": [CriterionInput("Business plan", Decimal("100"), 10)]},
        )
    assert Criterion.objects.filter(call=workflow.call).count() == 3


def application_payload(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "applicant": "",
        "municipality": municipality("gracanice").pk,
        "sector": "agriculture",
        "received_on": "2016-02-20",
        "amount_requested": "9500.00",
        "cofinancing": "3000",
        "description": "Plastenik od 500 m² i sistem za navodnjavanje kap po kap.",
        "owner_sex": "male",
        "owner_birth_year": "1994",
        "owner_community": community("prefer-not-to-say").pk,
    }
    data.update(overrides)
    return data


def test_a_focal_point_enters_an_application_of_their_municipality(client_for, workflow) -> None:
    farm = OrganizationFactory(
        name="Farma Stojanović", kind="farm", municipality=municipality("gracanice")
    )
    response = client_for("focal_gracanica").post(
        reverse("grants:application_create", args=[workflow.call.pk]),
        application_payload(applicant=farm.pk),
    )
    application = Application.objects.get(applicant=farm)
    assert response["Location"] == reverse("grants:application_detail", args=[application.pk])
    assert application.status == ApplicationStatus.RECEIVED
    assert application.owner_community == community("prefer-not-to-say")
    entry = AuditEntry.objects.get(action="application_create")
    assert entry.changes["amount_requested"] == "9500.00"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_on": "2016-03-15"}, "received_on", None),
        ({"municipality": "zvecan"}, "municipality", None),
        ({"sector": "furniture"}, "sector", None),
        ({"amount_requested": "-5"}, "__all__", "The amount requested must be more than zero."),
        ({"owner_birth_year": "2999"}, "owner_birth_year", None),
        ({"applicant": "office"}, "applicant", None),
    ],
)
def test_bad_application_input_is_refused_beside_its_field(
    client_for, workflow, overrides: dict, field: str, message: str | None
) -> None:
    farm = OrganizationFactory(
        name="Farma Jović", kind="farm", municipality=municipality("gracanice")
    )
    values = {"applicant": farm.pk, **overrides}
    if overrides.get("municipality") == "zvecan":
        values["municipality"] = municipality("zvecan").pk
    if overrides.get("applicant") == "office":
        values["applicant"] = OrganizationFactory(
            name="MOCR Gračanica", kind="municipal_office", municipality=municipality("gracanice")
        ).pk
    before = (Application.objects.count(), AuditEntry.objects.count())
    response = client_for("focal_gracanica").post(
        reverse("grants:application_create", args=[workflow.call.pk]), application_payload(**values)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors.as_data()
    if message:
        assert message in errors[field]
    assert (Application.objects.count(), AuditEntry.objects.count()) == before


def test_an_application_received_after_the_deadline_is_refused_with_the_dates(
    client_for, workflow
) -> None:
    farm = OrganizationFactory(
        name="Farma Mitić", kind="farm", municipality=municipality("gracanice")
    )
    response = client_for("me").post(
        reverse("grants:application_create", args=[workflow.call.pk]),
        application_payload(applicant=farm.pk, received_on="2016-03-01"),
    )
    assert response.context["form"].errors["received_on"] == [
        "The call took applications from Jan. 10, 2016 to Feb. 28, 2016; this date is outside it."
    ]


def test_eligibility_is_decided_with_a_reason_and_locked_once_scored(
    client_for, workflow, personas
) -> None:
    url = reverse("grants:application_eligibility", args=[workflow.zvecan.pk])
    client = client_for("staff")
    response = client.post(url, {"decision": "ineligible", "reason": ""})
    assert response.context["form"].errors["reason"] == ["Say why the application is ineligible."]
    workflow.zvecan.refresh_from_db()
    assert workflow.zvecan.status == ApplicationStatus.ELIGIBLE
    response = client.post(
        url, {"decision": "ineligible", "reason": "Nema rešenje o registraciji biznisa."}
    )
    assert response.status_code == 302
    workflow.zvecan.refresh_from_db()
    assert workflow.zvecan.status == ApplicationStatus.INELIGIBLE
    entry = AuditEntry.objects.get(action="application_eligibility_decide")
    assert entry.reason == "Nema rešenje o registraciji biznisa."
    score(personas["staff"], workflow.gracanica, [8, 4, 15])
    with pytest.raises(ValidationError, match="eligibility no longer changes"):
        application_eligibility_decide(
            actor=personas["me"], application=workflow.gracanica, eligible=False, reason="x"
        )


def test_a_scored_application_changes_only_in_its_owners_details(
    client_for, workflow, personas
) -> None:
    score(personas["staff"], workflow.gracanica, [8, 4, 15])
    url = reverse("grants:application_update", args=[workflow.gracanica.pk])
    client = client_for("focal_gracanica")
    current = {
        **application_payload(applicant=workflow.gracanica.applicant.pk),
        "sector": "beekeeping",
        "received_on": "2016-02-10",
        "amount_requested": "8000.00",
        "cofinancing": "2000.00",
        "description": "Hives and an extractor.",
    }
    response = client.post(url, {**current, "amount_requested": "12000"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The application's status is “Scored”; only its owner's details may still be corrected."
    ]
    response = client.post(url, {**current, "owner_birth_year": "1988"})
    assert response.status_code == 302
    workflow.gracanica.refresh_from_db()
    assert (workflow.gracanica.amount_requested, workflow.gracanica.owner_birth_year) == (
        Decimal("8000.00"),
        1988,
    )
