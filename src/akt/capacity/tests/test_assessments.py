"""Capacity assessments: the scale held, the change shown, every persona, and the languages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.capacity import services
from akt.capacity.models import AssessmentScore, CapacityAssessment
from akt.testing.factories import municipality
from akt.testing.two_municipalities import two_municipalities

from .conftest import AREA_CODES


@pytest.fixture
def world(personas, areas):
    return two_municipalities()


def form_data(day: str = "2016-05-10", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "assessed_on": day,
        "assessed_by": "Ekipi i AKT-së",
        "method": "Interviews and a review of the assembly's decisions.",
        "plan": "",
    }
    for number, code in enumerate(AREA_CODES, start=1):
        data[f"score_{code}"] = number
        data[f"evidence_{code}"] = f"What {code} rests on"
    data.update(overrides)
    return data


def page(code: str = "gracanice") -> str:
    return reverse("capacity:assessments", args=[code])


def new(code: str = "gracanice") -> str:
    return reverse("capacity:assessment_create", args=[code])


# -- the scale ------------------------------------------------------------------------------------


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_score_off_the_scale_is_refused_naming_the_area(world, personas, score: int) -> None:
    scores = {code: 3 for code in AREA_CODES} | {"finance": score}
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            actor=personas["me"],
            municipality=municipality("gracanice"),
            assessed_on=dt.date(2016, 5, 10),
            assessed_by="AKT",
            scores=scores,
            evidence={code: "seen" for code in AREA_CODES},
        )
    assert refused.value.message_dict == {
        "score_finance": [
            "The score of “Finance and own-source revenue” must be a whole number from 1 to 5, "
            f"not {score}."
        ]
    }
    assert not CapacityAssessment.objects.exists()
    assert not AssessmentScore.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("score", ["0", "6"])
def test_the_page_refuses_a_score_off_the_scale_beside_its_area(
    client_for, world, score: str
) -> None:
    response = client_for("focal_gracanica").post(
        new(), form_data(**{"score_service-delivery": score})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["score_service-delivery"] == [
        f"The score of “Service delivery” must be a whole number from 1 to 5, not {score}."
    ]
    assert 'id="id_score_service-delivery_error"' in response.content.decode()
    assert not CapacityAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_every_area_needs_a_score_and_its_evidence(client_for, world, personas) -> None:
    data = form_data(**{"score_transparency": "", "evidence_human-resources": "  "})
    response = client_for("focal_gracanica").post(new(), data)
    errors = response.context["form"].errors
    assert errors["score_transparency"] == [
        "Give “Transparency and participation” a score from 1 to 5."
    ]
    assert errors["evidence_human-resources"] == [
        "Say what the score of “Human resources” rests on."
    ]
    with pytest.raises(ValidationError) as refused:
        services.assessment_record(
            actor=personas["me"],
            municipality=municipality("gracanice"),
            assessed_on=dt.date(2016, 5, 10),
            assessed_by="AKT",
            scores={"finance": 2},
            evidence={"finance": "Budget reviewed"},
        )
    assert set(refused.value.message_dict) == {
        f"{kind}_{code}"
        for code in AREA_CODES
        if code != "finance"
        for kind in ("score", "evidence")
    }
    assert not CapacityAssessment.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_focal_point_records_an_assessment_and_it_is_audited(client_for, world) -> None:
    plan = world.gracanica.plan
    response = client_for("focal_gracanica").post(new(), form_data(plan=plan.pk))
    assert response.status_code == 302
    assert response["Location"] == page()
    assessment = CapacityAssessment.objects.get()
    assert (assessment.municipality.code, assessment.plan, assessment.assessed_on) == (
        "gracanice",
        plan,
        dt.date(2016, 5, 10),
    )
    assert {row.area.code: row.score for row in assessment.scores.all()} == {
        code: number for number, code in enumerate(AREA_CODES, start=1)
    }
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor.username) == ("assessment_record", "focal-gracanica")
    assert entry.target_type == "capacity.capacityassessment"
    assert entry.changes["scores"]["transparency"] == 5
    assert entry.changes["evidence"]["finance"] == "What finance rests on"
    assert entry.changes["assessed_on"] == "2016-05-10"


def test_bad_assessments_are_refused_and_store_nothing(client_for, world, record) -> None:
    record(municipality("gracanice"), dt.date(2016, 5, 10))
    before = (CapacityAssessment.objects.count(), AuditEntry.objects.count())
    client = client_for("focal_gracanica")
    cases = {
        "assessed_on": form_data(),  # the same day again
        "assessed_by": form_data(day="2016-06-01", assessed_by=""),
    }
    for field, data in cases.items():
        response = client.post(new(), data)
        assert response.status_code == 200
        assert field in response.context["form"].errors, field
    response = client.post(new(), form_data(day="2999-01-01"))
    assert response.context["form"].errors["assessed_on"] == [
        "The assessment date cannot be in the future."
    ]
    # Another municipality's plan is not offered, nor accepted.
    response = client.post(new(), form_data(day="2016-06-01", plan=world.zvecan.plan.pk))
    assert "plan" in response.context["form"].errors
    assert (CapacityAssessment.objects.count(), AuditEntry.objects.count()) == before


def test_an_assessment_is_corrected_and_the_change_audited(client_for, world, record) -> None:
    assessment = record(municipality("gracanice"), dt.date(2016, 5, 10), {"finance": 2})
    url = reverse("capacity:assessment_update", args=[assessment.pk])
    client = client_for("focal_gracanica")
    form = client.get(url).context["form"]
    assert form["score_finance"].value() == 2
    data = form_data(**{"score_finance": 3, "evidence_finance": "Collection rose to 52 percent"})
    data.update({f"score_{code}": 3 for code in AREA_CODES if code != "finance"})
    data.update(
        {f"evidence_{code}": f"Evidence for {code}" for code in AREA_CODES if code != "finance"}
    )
    data["assessed_by"] = "AKT capacity team"
    data["method"] = ""
    response = client.post(url, data)
    assert response.status_code == 302
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "assessment_update"
    assert entry.changes == {
        "scores": {"finance": [2, 3]},
        "evidence": {"finance": ["Evidence for finance", "Collection rose to 52 percent"]},
    }


# -- who may ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("admin", {"overview": 200, "page": 200, "new": 200, "edit": 200}),
        ("me", {"overview": 200, "page": 200, "new": 200, "edit": 200}),
        ("staff", {"overview": 200, "page": 404, "new": 404, "edit": 404}),
        ("focal_gracanica", {"overview": 200, "page": 200, "new": 200, "edit": 200}),
        ("focal_zvecan", {"overview": 200, "page": 404, "new": 404, "edit": 404}),
        ("donor", {"overview": 200, "page": 200, "new": 403, "edit": 403}),
    ],
)
def test_who_may_open_which_assessment_page(
    client_for, world, record, persona: str, expected: dict
) -> None:
    assessment = record(municipality("gracanice"), dt.date(2016, 5, 10))
    urls = {
        "overview": reverse("capacity:assessment_overview"),
        "page": page(),
        "new": new(),
        "edit": reverse("capacity:assessment_update", args=[assessment.pk]),
    }
    client = client_for(persona)
    for name, url in urls.items():
        assert client.get(url).status_code == expected[name], name
    if expected["new"] != 200:
        assert client.post(new(), form_data(day="2016-07-01")).status_code == expected["new"]
        assert CapacityAssessment.objects.count() == 1


def test_the_donor_reads_without_a_way_to_write(client_for, world, record) -> None:
    record(municipality("gracanice"), dt.date(2016, 5, 10))
    html = client_for("donor").get(page()).content.decode()
    assert "Evidence for finance" in html
    assert new() not in html
    assert "/edit/" not in html


def test_the_overview_lists_only_the_municipalities_in_scope(client_for, world, record) -> None:
    record(municipality("zvecan"), dt.date(2016, 5, 10))
    rows = (
        client_for("focal_gracanica").get(reverse("capacity:assessment_overview")).context["rows"]
    )
    assert [place.code for place, _summary in rows] == ["gracanice"]
    rows = client_for("donor").get(reverse("capacity:assessment_overview")).context["rows"]
    assert len(rows) == 16
    zvecan = next(summary for place, summary in rows if place.code == "zvecan")
    assert zvecan.count == 1


def test_the_services_refuse_other_municipalities_and_readers(world, personas, record) -> None:
    assessment = record(municipality("gracanice"), dt.date(2016, 5, 10))
    for persona in ("donor", "focal_zvecan", "staff"):
        with pytest.raises(PermissionDenied):
            services.assessment_record(
                actor=personas[persona],
                municipality=municipality("gracanice"),
                assessed_on=dt.date(2016, 6, 1),
                assessed_by="Not theirs",
                scores={code: 3 for code in AREA_CODES},
                evidence={code: "x" for code in AREA_CODES},
            )
        with pytest.raises(PermissionDenied):
            services.assessment_update(
                actor=personas[persona], assessment=assessment, data={"assessed_by": "Mine"}
            )
    # A focal point may not attach another municipality's plan either.
    with pytest.raises(PermissionDenied):
        services.assessment_record(
            actor=personas["focal_gracanica"],
            municipality=municipality("gracanice"),
            assessed_on=dt.date(2016, 6, 1),
            assessed_by="AKT",
            scores={code: 3 for code in AREA_CODES},
            evidence={code: "x" for code in AREA_CODES},
            plan=world.zvecan.plan,
        )
    assert CapacityAssessment.objects.count() == 1
    assert AuditEntry.objects.filter(action="assessment_update").count() == 0


# -- the page -----------------------------------------------------------------------------------


def test_the_page_shows_every_score_and_the_change_per_area(client_for, world, record) -> None:
    place = municipality("gracanice")
    record(place, dt.date(2014, 11, 3), {"human-resources": 1, "finance": 2})
    record(place, dt.date(2016, 4, 5), {"human-resources": 2, "finance": 2})
    record(place, dt.date(2017, 2, 7), {"human-resources": 4, "finance": 1})
    response = client_for("focal_gracanica").get(page())
    lines = {line.area.code: line for line in response.context["lines"]}
    assert [cell.score for cell in lines["human-resources"].cells] == [1, 2, 4]
    assert lines["human-resources"].since_first == 3
    assert lines["human-resources"].steps == [1, 2]
    assert lines["finance"].since_first == -1
    assert lines["transparency"].since_first == 0
    overall = response.context["overall"]
    assert str(overall.since_first) == "0.40"  # (+3 - 1 + 0 + 0 + 0) / 5
    html = response.content.decode()
    assert "+3" in html and "-1" in html and "+0.40" in html
    assert 'style="width: 80%"' in html  # the bar of the 4
    assert "Evidence for community-rights" in html


def test_the_page_names_the_areas_in_albanian_and_serbian_cyrillic(
    client_for, world, record
) -> None:
    record(municipality("gracanice"), dt.date(2016, 5, 10))
    client = client_for("focal_gracanica")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sq"
    html = client.get(page()).content.decode()
    assert "Burimet njerëzore" in html
    assert "Financat dhe të hyrat vetanake" in html
    assert "Human resources" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr"
    html = client.get(page()).content.decode()
    assert "Људски ресурси" in html
    assert "Транспарентност и учешће грађана" in html
    assert "Ljudski resursi" not in html
    form = client.get(new()).content.decode()
    assert "Права заједница и примена закона о језицима" in form


def test_the_pages_cost_the_same_queries_however_many_assessments(
    client_for, world, record, areas, personas
) -> None:
    place = municipality("gracanice")
    plan = world.gracanica.plan
    client = client_for("focal_gracanica")
    urls = [
        page(),
        reverse("capacity:assessment_overview"),
        reverse("capacity:detail", args=[plan.pk]),
    ]

    def cost() -> list[int]:
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            counts.append(len(queries))
        return counts

    record(place, dt.date(2014, 11, 3))
    record(place, dt.date(2015, 11, 3))
    services.plan_action_create(  # one action: the trainings serving actions cost one query
        actor=personas["me"], plan=plan, title="Action 2015", capacity_area=areas["finance"]
    )
    cost()  # warm: lookups cached once per process (the evidence panel's content type)
    before = cost()
    for year in (2016, 2017):
        record(place, dt.date(year, 11, 3), plan=plan)
        services.plan_action_create(
            actor=personas["me"], plan=plan, title=f"Action {year}", capacity_area=areas["finance"]
        )
    assert cost() == before


def test_the_database_holds_the_scale_too(world, record, areas) -> None:
    assessment = record(municipality("gracanice"), dt.date(2016, 5, 10))
    row = assessment.scores.get(area=areas["finance"])
    for score in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            AssessmentScore.objects.filter(pk=row.pk).update(score=score)
    row.refresh_from_db()
    assert row.score == 3
