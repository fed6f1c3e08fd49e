"""The results framework, reference sheet and target pages, for every persona: who may open and
use them, what they show, and the printable sheet in each language."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from akt.accounts.models import AuditEntry
from akt.counting.periods import Period
from akt.indicators.forms import ReferenceSheetForm
from akt.indicators.models import Indicator, ReferenceSheet, Target
from akt.indicators.services import reference_sheet_update, target_set
from akt.reports.tests.records import text_of

pytestmark = pytest.mark.django_db

CODE = "management-trainees"
EVERYONE = ["admin", "me", "staff", "focal_gracanica", "focal_zvecan", "donor"]
MANAGERS = ["admin", "me"]
OTHERS = ["staff", "focal_gracanica", "donor"]


def urls() -> dict[str, str]:
    return {
        "framework": reverse("indicators:framework"),
        "sheet": reverse("indicators:sheet", args=[CODE]),
        "edit": reverse("indicators:sheet_edit", args=[CODE]),
        "targets": reverse("indicators:targets", args=[CODE]),
        "cell": reverse("indicators:target_cell", args=[CODE]),
    }


def sheet_payload(code: str = CODE, **overrides: Any) -> dict[str, Any]:
    """What the edit form posts when nothing is changed, with ``overrides`` applied."""
    form = ReferenceSheetForm(indicator=Indicator.objects.get(code=code))
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if isinstance(value, date):
            value = value.isoformat()
        data[name] = "" if value is None else value
    data["reason"] = "Reviewed with the component leads"
    data.update(overrides)
    return {name: value for name, value in data.items() if value is not False}


# -- who may use the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("name", ["framework", "sheet", "edit", "targets"])
def test_anonymous_visitors_are_sent_to_sign_in(client_for, reference: None, name: str) -> None:
    response = client_for(None).get(urls()[name])
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(
    client_for, reference: None
) -> None:
    before = AuditEntry.objects.count()
    for name in ("edit", "targets", "cell"):
        assert client_for(None).post(urls()[name], {"reason": "x"}).status_code == 302
    assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", EVERYONE)
def test_everyone_signed_in_reads_the_framework_and_the_sheets(client_for, name: str) -> None:
    client = client_for(name)
    framework = client.get(urls()["framework"])
    assert framework.status_code == 200
    page = text_of(framework)
    assert "Communities in Kosovo work together" in page
    assert "IR 3.3" in page
    assert "Municipal employees trained on management" in page
    sheet = client.get(urls()["sheet"])
    assert sheet.status_code == 200
    assert "Performance Indicator Reference Sheet" in text_of(sheet)


@pytest.mark.parametrize("name", OTHERS)
def test_other_roles_may_not_edit(client_for, name: str) -> None:
    client = client_for(name)
    for page in ("edit", "targets"):
        assert client.get(urls()[page]).status_code == 403
    before = AuditEntry.objects.count()
    assert client.post(urls()["edit"], sheet_payload(rationale_en="Changed")).status_code == 403
    assert client.post(urls()["targets"], {"lop": "5", "reason": "x"}).status_code == 403
    assert (
        client.post(
            urls()["cell"], {"period": "lop", "cell": "sex:female", "value": "5", "reason": "x"}
        ).status_code
        == 403
    )
    assert AuditEntry.objects.count() == before
    assert ReferenceSheet.objects.get(indicator__code=CODE).rationale_en != "Changed"
    # Nor are they offered the buttons.
    html = client.get(urls()["sheet"]).content.decode()
    assert urls()["edit"] not in html


@pytest.mark.parametrize("name", MANAGERS)
def test_officers_open_the_edit_pages(client_for, name: str) -> None:
    client = client_for(name)
    assert client.get(urls()["edit"]).status_code == 200
    assert client.get(urls()["targets"]).status_code == 200
    html = client.get(urls()["sheet"]).content.decode()
    assert urls()["edit"] in html and urls()["targets"] in html


def test_an_unknown_indicator_is_not_found(client_for, personas) -> None:
    client = client_for("me")
    assert client.get(reverse("indicators:sheet", args=["no-such-indicator"])).status_code == 404
    assert (
        client.get(reverse("indicators:sheet_edit", args=["no-such-indicator"])).status_code == 404
    )


# -- the framework page ----------------------------------------------------------------------------


def test_the_framework_shows_each_result_with_its_indicators(client_for, personas) -> None:
    html = client_for("donor").get(urls()["framework"]).content.decode()
    page = text_of(html)
    for code in ("Goal", "DO 1", "IR 1", "IR 1.1", "IR 2.3", "IR 3.2"):
        assert code in page
    for indicator in Indicator.objects.active():
        assert reverse("indicators:sheet", args=[indicator.code]) in html
    assert "Custom" in page
    # IRs measured only through their sub-IRs are pointed out (ADS 201).
    assert page.count("No indicator measures this result directly") == 3


@pytest.mark.parametrize(
    ("language", "goal"), [("sq", "Qëllim"), ("sr-latn", "Cilj"), ("sr", "Циљ")]
)
def test_the_goal_is_named_in_the_readers_language(
    client_for, personas, language: str, goal: str
) -> None:
    """The framework names its goal "Goal" (its code): a reader of another language reads the
    goal's name in theirs, never the English word, on the page and in what screen readers say."""
    client = client_for("donor")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(urls()["framework"]).content.decode()
    assert "Goal" not in html
    assert text_of(html).count(goal) >= 1
    assert "DO 1" in text_of(html) and "IR 1.1" in text_of(html)


def test_the_framework_page_costs_the_same_queries_however_many_indicators(
    client_for,
    personas,
    django_assert_max_num_queries,
) -> None:
    client = client_for("donor")
    client.get(urls()["framework"])  # warm the session
    with django_assert_max_num_queries(6):
        assert client.get(urls()["framework"]).status_code == 200


def test_a_standard_indicator_is_marked(client_for, personas) -> None:
    Indicator.objects.filter(code="farmers-businesses-trained").update(
        is_standard=True, fa_code="EG.3.2-1", is_ppr=True
    )
    page = text_of(client_for("me").get(urls()["framework"]))
    assert "Standard EG.3.2-1" in page
    assert "PPR" in page


# -- the printable sheet ---------------------------------------------------------------------------


def test_the_sheet_shows_every_pirs_field(client_for, personas) -> None:
    page = text_of(client_for("donor").get(urls()["sheet"]))
    for label in (
        "Result measured",
        "IR 3.3",
        "Indicator type",
        "Custom indicator",
        "Program code",
        "3.3.1",
        "Reported in the PPR",
        "Precise definition",
        "Unique municipal employees who completed at least one management training",
        "Unit of measure",
        "Counting unit",
        "Period rule",
        "Distinct over the whole period",
        "Disaggregated by",
        "Sex, Age, Community, Municipality",
        "Rationale and management utility",
        "Data source",
        "Method of data collection",
        "Frequency of collection",
        "Timing of collection",
        "Person responsible at the partner",
        "AKT Monitoring and Evaluation Manager",
        "Where the data are stored",
        "Most recent data quality assessment",
        "March 15, 2016, by USAID/Kosovo Program Office",
        "Next data quality assessment",
        "Known data limitations",
        "Plan for data analysis, review and reporting",
        "Baseline",
        "0 on April 1, 2014",
        "Life of project 1,200 Female (Sex): 480",
        "FY 2016 900",
        "Change log",
        "No change has been recorded.",
    ):
        assert label in page, label


def test_the_sheet_links_its_print_stylesheet_and_languages(client_for, personas) -> None:
    html = client_for("me").get(urls()["sheet"]).content.decode()
    assert "indicators/indicators.css" in html
    for code in ("sq", "sr-latn", "sr"):
        assert f'href="?language={code}"' in html
    from django.contrib.staticfiles import finders

    css = open(finders.find("indicators/indicators.css"), encoding="utf-8").read()
    assert "@media print" in css and ".screen-only" in css


LANGUAGES = {
    "sq": {
        "labels": [
            "Njësia e numërimit",
            "Periudha",
            "Gjatë gjithë projektit",
            "Viti fiskal 2016",
            "Arsyeja",
            "Kur",
            "Gjinia, Mosha, Komuniteti, Komuna",
            "Jo",
        ],
        "data": [
            "Punonjës komunalë të trajnuar për menaxhim",
            "Ndjek shtrirjen e trajnimit për menaxhim",
            "Menaxheri i Monitorimit dhe Vlerësimit",
        ],
    },
    "sr-latn": {
        "labels": [
            "Jedinica brojanja",
            "Period",
            "Tokom celog projekta",
            "Fiskalna godina 2016",
            "Razlog",
            "Kada",
            "Pol, Starost, Zajednica, Opština",
        ],
        "data": [
            "Opštinski službenici obučeni za upravljanje",
            "Prati obuhvat obuke iz upravljanja",
            "Kemoniks internešenal",
        ],
    },
    "sr": {
        "labels": [
            "Јединица бројања",
            "Период",
            "Током целог пројекта",
            "Фискална година 2016",
            "Разлог",
            "Када",
            "Пол, Старост, Заједница, Општина",
        ],
        "data": [
            "Општински службеници обучени за управљање",
            "Прати обухват обуке из управљања",
            "Кемоникс интернешенал",
        ],
    },
    "en": {
        "labels": [
            "Counting unit",
            "Period",
            "Life of project",
            "FY 2016",
            "Reason",
            "When",
            "Sex, Age, Community, Municipality",
        ],
        "data": [
            "Municipal employees trained on management",
            "Tracks the reach of management training",
            "Chemonics International",
        ],
    },
}


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_sheet_prints_in_the_language_asked_for(client_for, personas, language: str) -> None:
    reference_sheet_update(
        actor=personas["me"],
        indicator=Indicator.objects.get(code=CODE),
        data={"is_ppr": False, "dqa_reviewer_en": "USAID/Kosovo M&E"},
        reason="DQA 2016",
    )  # so that the change log, with its headings, is on the sheet
    client = client_for("donor")
    response = client.get(urls()["sheet"], {"language": language})
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    page = text_of(html)
    for text in LANGUAGES[language]["labels"] + LANGUAGES[language]["data"]:
        assert text in page, text
    if language != "en":
        assert "Tracks the reach of management training" not in page
    # The interface keeps its own language: the next page is in English again.
    assert '<html lang="en">' in client.get(urls()["framework"]).content.decode()


def test_an_unknown_language_falls_back_to_the_interfaces(client_for, personas) -> None:
    html = client_for("donor").get(urls()["sheet"], {"language": "fr"}).content.decode()
    assert '<html lang="en">' in html


# -- editing -------------------------------------------------------------------------------------


def test_an_officer_edits_the_sheet_and_reads_the_change_in_its_log(client_for, personas) -> None:
    client = client_for("me")
    response = client.post(
        urls()["edit"],
        sheet_payload(
            rationale_sq="Arsyetim i ri.",
            dqa_last_date="2016-09-20",
            dqa_next_date="2017-03-20",
            reason="DQA of September 2016",
        ),
    )
    assert response.status_code == 302
    assert response["Location"] == urls()["sheet"]
    stored = ReferenceSheet.objects.get(indicator__code=CODE)
    assert stored.rationale_sq == "Arsyetim i ri."
    assert stored.dqa_last_date == date(2016, 9, 20)
    entry = AuditEntry.objects.filter(action="reference_sheet_update").get()
    assert set(entry.changes) == {"rationale_sq", "dqa_last_date", "dqa_next_date"}
    page = text_of(client.get(urls()["sheet"]))
    assert "Reference sheet edited" in page
    assert "DQA of September 2016" in page
    assert "Most recent data quality assessment: March 15, 2016 → Sept. 20, 2016" in page
    assert "Last updated:" in page
    assert "Rationale (Albanian)" in page
    assert "Arsyetim i ri." in text_of(client.get(urls()["sheet"], {"language": "sq"}))


def test_an_unchanged_form_writes_nothing(client_for, personas) -> None:
    response = client_for("me").post(urls()["edit"], sheet_payload())
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="reference_sheet_update").exists()


def test_a_bad_edit_is_explained_beside_its_field(client_for, personas) -> None:
    client = client_for("me")
    response = client.post(urls()["edit"], sheet_payload(period_rule="sum", rationale_en="Kept?"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "period_rule" in form.errors
    assert 'id="id_period_rule_error"' in response.content.decode()
    assert ReferenceSheet.objects.get(indicator__code=CODE).rationale_en != "Kept?"
    response = client.post(urls()["edit"], sheet_payload(is_standard="on"))
    assert "fa_code" in response.context["form"].errors
    response = client.post(urls()["edit"], sheet_payload(reason=""))
    assert "reason" in response.context["form"].errors


def test_the_edit_form_offers_every_language(client_for, personas) -> None:
    html = client_for("admin").get(urls()["edit"]).content.decode()
    for name in (
        "definition",
        "rationale",
        "data_source",
        "collection_method",
        "data_limitations",
        "analysis_plan",
    ):
        for suffix in ("en", "sq", "sr_latn"):
            assert f'name="{name}_{suffix}"' in html
    assert 'lang="sq"' in html and 'lang="sr-Latn"' in html


# -- targets -------------------------------------------------------------------------------------


def test_an_officer_sets_targets_in_the_grid(client_for, personas) -> None:
    client = client_for("me")
    form = client.get(urls()["targets"]).context["grid"]
    data = {name: ("" if value is None else str(value)) for name, value in form.initial.items()}
    data.update({"fy2016": "950", "fy2016q1": "200", "fy2015": "", "reason": "Plan revised"})
    response = client.post(urls()["targets"], data)
    assert response.status_code == 302
    stored = {
        t.period.key: t.value for t in Target.objects.filter(indicator__code=CODE, dimension="")
    }
    assert stored == {"lop": 1200, "fy2016": 950, "fy2016q1": 200}
    entry = AuditEntry.objects.get(action="target_set")
    assert entry.changes == {
        "targets": {"fy2016": ["900", "950"], "fy2016q1": [None, "200"], "fy2015": ["500", None]}
    }
    assert entry.reason == "Plan revised"
    page = text_of(client.get(urls()["sheet"]))
    assert "Target, FY 2016: 900 → 950" in page
    assert "FY 2016, Q1 200" in page


def test_a_bad_grid_value_is_explained(client_for, personas) -> None:
    response = client_for("me").post(urls()["targets"], {"lop": "-4", "reason": "x"})
    assert response.status_code == 200
    assert "lop" in response.context["grid"].errors
    assert Target.objects.get(indicator__code=CODE, period_kind="lop", dimension="").value == 1200


def test_an_officer_sets_a_cell_target(client_for, personas) -> None:
    client = client_for("admin")
    response = client.post(
        urls()["cell"],
        {
            "period": "fy2016",
            "cell": "municipality:gracanice",
            "value": "60",
            "reason": "MoU signed",
        },
    )
    assert response.status_code == 302
    target = Target.objects.get(indicator__code=CODE, dimension="municipality")
    assert (target.period.key, target.cell, target.value) == ("fy2016", "gracanice", Decimal(60))
    assert "Gračanica" in text_of(client.get(urls()["sheet"]))
    # Empty removes it.
    client.post(
        urls()["cell"],
        {"period": "fy2016", "cell": "municipality:gracanice", "value": "", "reason": "dropped"},
    )
    assert not Target.objects.filter(indicator__code=CODE, dimension="municipality").exists()


def test_a_cell_outside_the_indicators_disaggregations_is_not_offered(client_for, personas) -> None:
    client = client_for("me")
    response = client.post(
        urls()["cell"], {"period": "lop", "cell": "sector:agriculture", "value": "1", "reason": "x"}
    )
    assert response.status_code == 200
    assert "cell" in response.context["cell_form"].errors
    assert not Target.objects.filter(indicator__code=CODE, dimension="sector").exists()


def test_the_sheet_costs_the_same_queries_however_long_its_log(
    client_for,
    personas,
    django_assert_max_num_queries,
) -> None:
    indicator = Indicator.objects.get(code=CODE)
    for value in range(5):
        target_set(
            actor=personas["me"],
            indicator=indicator,
            period=Period.fiscal_quarter(2016, 1),
            value=Decimal(value + 1),
            dimension="municipality",
            cell="gracanice",
        )
        reference_sheet_update(
            actor=personas["me"],
            indicator=indicator,
            data={"program_code": f"9.9.{value}"},
            reason="x",
        )
    client = client_for("donor")
    client.get(urls()["sheet"])  # warm the session
    with django_assert_max_num_queries(24):  # 12, and the evidence section's count of records
        response = client.get(urls()["sheet"], {"language": "sr"})
    assert len(response.context["change_log"]) == 10
