"""Entered indicators: their values, who may enter them, what is refused, and their page.

An entered indicator (property tax billed and collected) has no record to count: its values are
entered one per period, municipality and category, through ``outcome_value_record`` (create or
correct, audited with before and after) and ``outcome_value_void`` (with a reason), and read
by the engine as facts of the entered source.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from akt.accounts.models import AuditEntry, User
from akt.counting import engine
from akt.counting.periods import Period
from akt.indicators.fact_reader import definition_for, entered_facts
from akt.indicators.models import Indicator, OutcomeValue
from akt.indicators.selectors import indicator_value
from akt.indicators.services import outcome_value_record, outcome_value_void
from akt.reports.tests.records import text_of
from akt.testing.factories import municipality

pytestmark = pytest.mark.django_db

CY2015 = Period.calendar_year(2015)
SOURCE = "Komuna e Graçanicës, raporti vjetor financiar 2015, tabela 3"


def billed() -> Indicator:
    return Indicator.objects.get(code="property-tax-billed")


def jobs_indicator() -> Indicator:
    """An entered count with a category (sex), per fiscal year and without a currency."""
    indicator = Indicator(
        code="jobs-reported",
        result_line=6,
        source="entered",
        entry_period="fiscal_year",
        unit="amount",
        disaggregations=["sex", "municipality"],
        name_en="Jobs reported by grantees",
        name_sq="Vende pune të raportuara nga përfituesit",
        name_sr_latn="Radna mesta koja su prijavili korisnici",
        definition_en="Jobs the grantees report.",
        definition_sq="Vendet e punës që raportojnë përfituesit.",
        definition_sr_latn="Radna mesta koja prijavljuju korisnici.",
        sentence={lang: {"other": "%(value)s"} for lang in ("en", "sq", "sr-latn")},
    )
    indicator.full_clean()
    indicator.save()
    return indicator


def record(actor: User, **changes: object) -> OutcomeValue:
    values: dict[str, object] = {
        "indicator": billed(),
        "period": CY2015,
        "municipality_id": municipality("gracanice").pk,
        "cell": {},
        "value": Decimal("415000.00"),
        "source_document": SOURCE,
    }
    values.update(changes)
    return outcome_value_record(actor=actor, **values)  # type: ignore[arg-type]


# -- the indicator -------------------------------------------------------------------------------


def test_the_shipped_entered_indicators(reference: None) -> None:
    for code in ("property-tax-billed", "property-tax-collected"):
        indicator = Indicator.objects.get(code=code)
        assert indicator.is_entered and indicator.entry_period == "calendar_year"
        assert (indicator.unit, indicator.currency) == ("amount", "EUR")
        assert indicator.indicator_type == "outcome"
        assert indicator.result_measured.code == "IR 3.3"
        assert indicator.sheet.rationale_sq and indicator.sheet.data_source_sr_latn
        assert indicator.targets.filter(period_kind="lop").exists()
        definition = definition_for(indicator)
        assert definition.source is engine.Source.ENTERED
        assert definition.filters["indicator"] == frozenset({code})
        assert definition.filters["currency"] == frozenset({"EUR"})


def test_an_entered_indicator_says_its_period_and_adds_up_amounts(reference: None) -> None:
    indicator = jobs_indicator()  # an amount without a currency is allowed when entered
    assert indicator.unit_of_measure == "Number"
    indicator.entry_period = ""
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "entry_period" in caught.value.message_dict
    indicator.entry_period, indicator.unit = "fiscal_year", "records"
    with pytest.raises(ValidationError) as caught:
        indicator.full_clean()
    assert "“amount”" in caught.value.message_dict["unit"][0]
    counted = Indicator.objects.get(code="lul-debates")
    counted.entry_period = "calendar_year"
    with pytest.raises(ValidationError) as caught:
        counted.full_clean()
    assert "counted from the records" in caught.value.message_dict["entry_period"][0]


# -- services ------------------------------------------------------------------------------------


def test_an_officer_enters_a_value_and_corrects_it_with_before_and_after_audited(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    value = record(me)
    assert (value.period_start, value.period_end) == (dt.date(2015, 1, 1), dt.date(2015, 12, 31))
    assert value.counts_on == dt.date(2015, 12, 31) and value.entered_by == me
    created = AuditEntry.objects.get(action="outcome_value_record")
    assert created.changes["value"] == "415000.00"
    assert created.changes["source_document"] == SOURCE

    corrected = record(personas["admin"], value=Decimal("420500.50"), source_document="Table 4")
    assert corrected.pk == value.pk
    assert OutcomeValue.objects.count() == 1
    entry = AuditEntry.objects.get(action="outcome_value_correct")
    assert entry.changes == {
        "value": ["415000.00", "420500.50"],
        "source_document": [SOURCE, "Table 4"],
    }
    assert entry.actor == personas["admin"]
    # The same value again changes nothing and writes nothing.
    record(me, value=Decimal("420500.50"), source_document="Table 4")
    assert AuditEntry.objects.filter(action="outcome_value_correct").count() == 1


def test_a_focal_point_enters_for_their_own_municipality_only(
    personas: dict[str, User],
) -> None:
    focal = personas["focal_gracanica"]
    assert record(focal).municipality == municipality("gracanice")
    with pytest.raises(PermissionDenied):
        record(focal, municipality_id=municipality("zvecan").pk)
    with pytest.raises(PermissionDenied):
        record(focal, municipality_id=None)  # the whole program is not theirs
    value = OutcomeValue.objects.get()
    with pytest.raises(PermissionDenied):
        outcome_value_void(actor=personas["focal_zvecan"], value=value, reason="Wrong place")


@pytest.mark.parametrize("persona", ["donor", "staff"])
def test_readers_and_component_staff_enter_nothing(personas: dict[str, User], persona: str) -> None:
    with pytest.raises(PermissionDenied):
        record(personas[persona])
    value = record(personas["me"])
    with pytest.raises(PermissionDenied):
        outcome_value_void(actor=personas[persona], value=value, reason="No")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"indicator": "lul-debates"}, "indicator", "is counted from the records"),
        ({"period": Period.fiscal_year(2016)}, "period_key", "entered per calendar year"),
        ({"period": Period.calendar_year(2011)}, "period_key", "outside the years"),
        ({"period": Period.calendar_year(2018)}, "period_key", "outside the years"),
        ({"cell": {"community": "serb"}}, "cell", "not disaggregated by “Community”"),
        ({"value": Decimal("-1")}, "value", "A value cannot be negative."),
        ({"source_document": "  "}, "source_document", "Name the document"),
    ],
)
def test_a_wrong_value_is_refused_saying_what_is_wrong(
    personas: dict[str, User], changes: dict, field: str, message: str
) -> None:
    if changes.get("indicator"):
        changes["indicator"] = Indicator.objects.get(code=changes["indicator"])
    with pytest.raises(ValidationError) as caught:
        record(personas["me"], **changes)
    assert message in " ".join(caught.value.message_dict[field])
    assert not OutcomeValue.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="outcome_value").exists()


def test_the_baseline_years_before_the_program_are_accepted(personas: dict[str, User]) -> None:
    for year in (2012, 2013, 2017):  # two years before April 2014, and the last, partial one
        assert record(personas["me"], period=Period.calendar_year(year)).period_key == f"cy{year}"


def test_a_category_is_checked_against_its_dimension(personas: dict[str, User]) -> None:
    jobs = jobs_indicator()
    me = personas["me"]
    with pytest.raises(ValidationError) as caught:
        record(me, indicator=jobs, period=Period.fiscal_year(2016), cell={"sex": "x"})
    assert "“x” is not a category of “Sex”" in caught.value.message_dict["cell"][0]
    women = record(me, indicator=jobs, period=Period.fiscal_year(2016), cell={"sex": "female"})
    unknown = record(me, indicator=jobs, period=Period.fiscal_year(2016), cell={"sex": "unknown"})
    assert (women.cell_key, unknown.cell_key, unknown.cell) == ("sex=female", "", {})
    assert unknown.period_end == dt.date(2016, 9, 30)
    figure = indicator_value(jobs, window=engine.fiscal_year(2016)).figures
    assert figure.value == Decimal("830000.00")
    assert dict(figure.breakdowns["sex"]) == {
        "female": Decimal("415000.00"),
        engine.UNKNOWN: Decimal("415000.00"),
    }


def test_a_voided_value_leaves_the_figures_and_another_can_take_its_place(
    personas: dict[str, User],
) -> None:
    me = personas["me"]
    value = record(me)
    window = engine.calendar_year(2015)
    assert indicator_value(billed(), window=window).figures.value == Decimal("415000.00")
    with pytest.raises(ValidationError) as caught:
        outcome_value_void(actor=me, value=value, reason=" ")
    assert "reason" in caught.value.message_dict
    voided = outcome_value_void(actor=personas["focal_gracanica"], value=value, reason="Twice")
    assert voided.is_voided and voided.void_reason == "Twice"
    entry = AuditEntry.objects.get(action="outcome_value_void")
    assert entry.reason == "Twice" and entry.changes["voided"] == [False, True]
    assert indicator_value(billed(), window=window).figures.value == Decimal(0)
    assert list(entered_facts()) == []
    with pytest.raises(ValidationError):
        outcome_value_void(actor=me, value=voided, reason="Again")
    again = record(me, value=Decimal("1.00"))
    assert again.pk != value.pk
    assert OutcomeValue.objects.count() == 2


def test_a_value_is_a_fact_dated_on_its_periods_last_day(personas: dict[str, User]) -> None:
    value = record(personas["me"])
    program_wide = record(personas["me"], municipality_id=None, value=Decimal("7.50"))
    facts = {fact.record_id: fact for fact in entered_facts()}
    fact = facts[value.pk]
    assert fact.source is engine.Source.ENTERED
    assert fact.date == dt.date(2015, 12, 31)
    assert fact.municipality == municipality("gracanice").pk
    assert fact.amount == Decimal("415000.00")
    assert fact.attrs == {"indicator": "property-tax-billed", "currency": "EUR"}
    assert facts[program_wide.pk].municipality is None
    # The figures: by window (the value counts in FY2016, not FY2015) and by place.
    assert indicator_value(billed(), window=engine.fiscal_year(2016)).figures.value == Decimal(
        "415007.50"
    )
    assert indicator_value(billed(), window=engine.fiscal_year(2015)).figures.value == 0
    gracanica = engine.Coverage(frozenset({municipality("gracanice").pk}))
    mine = indicator_value(billed(), window=engine.fiscal_year(2016), scope=gracanica)
    assert mine.figures.value == Decimal("415000.00")


# -- the page ------------------------------------------------------------------------------------


def values_url(code: str = "property-tax-billed") -> str:
    return reverse("indicators:values", args=[code])


def enter_url(code: str = "property-tax-billed") -> str:
    return reverse("indicators:value_enter", args=[code])


def form_data(place: str, value: str, document: str = SOURCE, period: str = "cy2015") -> dict:
    return {
        "period_key": period,
        "municipality": str(municipality(place).pk),
        "value": value,
        "source_document": document,
        "reason": "",
    }


def test_an_officer_enters_corrects_and_voids_on_the_page(client_for, personas) -> None:
    client = client_for("me")
    page = client.get(values_url())
    assert page.status_code == 200
    assert 'action="' + enter_url() + '"' in page.content.decode()
    assert "Calendar year 2016" in text_of(page)  # the periods of its kind are offered

    response = client.post(enter_url(), form_data("gracanice", "415000"))
    assert response.status_code == 302
    value = OutcomeValue.objects.get()
    listed = text_of(client.get(values_url()))
    assert "€415,000" in listed and SOURCE in listed

    form = client.get(values_url() + f"?correct={value.pk}").content.decode()
    assert 'value="415000.00"' in form
    response = client.post(enter_url(), form_data("gracanice", "420000", "Table 4"))
    assert response.status_code == 302
    value.refresh_from_db()
    assert (value.value, value.source_document) == (Decimal("420000.00"), "Table 4")
    assert OutcomeValue.objects.count() == 1

    void = reverse("indicators:value_void", args=["property-tax-billed", value.pk])
    assert client.get(void).status_code == 200
    assert client.post(void, {"reason": ""}).status_code == 400
    assert client.post(void, {"reason": "Entered twice"}).status_code == 302
    value.refresh_from_db()
    assert value.is_voided and value.void_reason == "Entered twice"


def test_the_page_says_what_is_wrong(client_for, personas) -> None:
    response = client_for("me").post(enter_url(), form_data("gracanice", "-5", document=""))
    assert response.status_code == 400
    text = text_of(response)
    assert "Name the document the figure comes from" in text
    response = client_for("me").post(enter_url(), form_data("gracanice", "-5"))
    assert response.status_code == 400
    assert "A value cannot be negative." in text_of(response)
    assert not OutcomeValue.objects.exists()


def test_a_focal_point_sees_and_changes_their_municipalitys_values_only(
    client_for, personas
) -> None:
    mine = record(personas["me"], source_document="GRACANICA REPORT")
    theirs = record(
        personas["me"],
        municipality_id=municipality("zvecan").pk,
        source_document="ZVECAN REPORT",
    )
    gracanica = client_for("focal_gracanica")
    page = text_of(gracanica.get(values_url()))
    assert "GRACANICA REPORT" in page and "ZVECAN REPORT" not in page
    # Another municipality's value is not found, neither to void nor to correct.
    other = reverse("indicators:value_void", args=["property-tax-billed", theirs.pk])
    assert gracanica.get(other).status_code == 404
    assert gracanica.post(other, {"reason": "Not mine"}).status_code == 404
    assert (
        'value="ZVECAN REPORT"'
        not in gracanica.get(values_url() + f"?correct={theirs.pk}").content.decode()
    )
    # Entering for another municipality is refused by the form; nothing changes.
    response = gracanica.post(enter_url(), form_data("zvecan", "1"))
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.value == Decimal("415000.00")
    # Their own: entered and voided.
    assert gracanica.post(enter_url(), form_data("gracanice", "1")).status_code == 302
    mine.refresh_from_db()
    assert mine.value == Decimal("1.00")
    own = reverse("indicators:value_void", args=["property-tax-billed", mine.pk])
    assert gracanica.post(own, {"reason": "Wrong year"}).status_code == 302


def test_the_donor_reads_the_values_and_changes_none(client_for, personas) -> None:
    value = record(personas["me"])
    donor = client_for("donor")
    page = donor.get(values_url())
    assert page.status_code == 200
    assert SOURCE in text_of(page) and enter_url() not in page.content.decode()
    assert donor.post(enter_url(), form_data("gracanice", "1")).status_code == 403
    void = reverse("indicators:value_void", args=["property-tax-billed", value.pk])
    assert donor.get(void).status_code == 403
    assert client_for(None).get(values_url()).status_code == 302


def test_a_counted_indicator_has_no_values_page(client_for, personas) -> None:
    assert client_for("me").get(values_url("lul-debates")).status_code == 404


def test_the_page_reads_as_many_queries_however_many_values(client_for, personas) -> None:
    client = client_for("me")
    record(personas["me"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(values_url()).status_code == 200
        return len(captured)

    few = queries()
    for place in ("zvecan", "gjilan", "peje"):
        for year in (2013, 2014, 2016):
            record(
                personas["admin"],
                municipality_id=municipality(place).pk,
                period=Period.calendar_year(year),
            )
    assert queries() == few


@pytest.mark.parametrize("place", ["gracanice", None])
def test_one_value_per_period_place_and_category_among_those_that_count(
    personas: dict[str, User], place: str | None
) -> None:
    first = record(personas["me"], municipality_id=municipality(place).pk if place else None)
    twin = OutcomeValue(
        indicator=first.indicator,
        municipality=first.municipality,
        value=Decimal(1),
        source_document="Twice",
    )
    twin.period = CY2015
    with pytest.raises(ValidationError) as caught:
        twin.full_clean()
    assert "correct that value instead" in " ".join(caught.value.messages)
    outcome_value_void(actor=personas["me"], value=first, reason="Entered twice")
    twin.full_clean()  # once the first is voided, the place is free
