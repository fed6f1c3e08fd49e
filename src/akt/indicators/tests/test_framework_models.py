"""The framework, indicator classification, reference sheet and target models: what the database
refuses on its own (constraints) and what ``full_clean`` explains before it gets there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from akt.counting.periods import Period
from akt.indicators.framework import build_tree
from akt.indicators.models import (
    FrameworkResult,
    Indicator,
    ReferenceSheet,
    ResultLevel,
    Target,
    validate_fa_code,
)

pytestmark = pytest.mark.django_db


def indicator(code: str = "management-trainees") -> Indicator:
    return Indicator.objects.get(code=code)


def errors_of(record: object) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        record.full_clean()  # type: ignore[attr-defined]
    return caught.value.message_dict


def refused_by_database(save) -> None:
    with transaction.atomic(), pytest.raises(IntegrityError):
        save()


# -- the framework -------------------------------------------------------------------------------


def test_the_shipped_framework_is_a_tree_from_the_goal(reference: None) -> None:
    goal = FrameworkResult.objects.get(parent=None)
    assert goal.level == ResultLevel.GOAL
    assert FrameworkResult.objects.get(code="IR 1.1").parent.code == "IR 1"
    assert "work together" in goal.statement_en
    assert "punojnë së bashku" in goal.statement_sq
    assert "rade zajedno" in goal.statement_sr_latn


def test_only_the_goal_has_no_parent(reference: None) -> None:
    orphan = FrameworkResult(
        code="IR 9", level="ir", statement_en="x", statement_sq="x", statement_sr_latn="x"
    )
    assert "__all__" in errors_of(orphan)
    refused_by_database(orphan.save)
    goal = FrameworkResult.objects.get(code="Goal")
    second_goal = FrameworkResult(
        code="Goal 2",
        level="goal",
        parent=goal,
        statement_en="x",
        statement_sq="x",
        statement_sr_latn="x",
    )
    refused_by_database(second_goal.save)


def test_a_result_sits_under_a_higher_level(reference: None) -> None:
    sub_ir = FrameworkResult.objects.get(code="IR 1.1")
    wrong = FrameworkResult(
        code="IR 1.1.1",
        level="ir",
        parent=sub_ir,
        statement_en="x",
        statement_sq="x",
        statement_sr_latn="x",
    )
    assert "parent" in errors_of(wrong)
    output = FrameworkResult(
        code="Output 1.1.1",
        level="output",
        parent=sub_ir,
        statement_en="x",
        statement_sq="x",
        statement_sr_latn="x",
    )
    output.full_clean()


def test_a_result_cannot_contribute_to_itself(reference: None) -> None:
    ir = FrameworkResult.objects.get(code="IR 1")
    ir.parent = FrameworkResult.objects.get(code="IR 1.1")
    assert "parent" in errors_of(ir)


def test_the_tree_puts_indicators_under_their_results(reference: None) -> None:
    tree = build_tree(FrameworkResult.objects.all(), Indicator.objects.active())
    assert [root.result.code for root in tree.roots] == ["Goal"]
    codes = {node.result.code: node for node in tree.walk()}
    assert [i.code for i in codes["IR 1.1"].indicators] == [
        "lul-debates",
        "lul-debate-participants",
    ]
    assert [child.result.code for child in codes["IR 2"].children] == ["IR 2.1", "IR 2.2", "IR 2.3"]
    assert codes["IR 1.1"].depth == 3
    assert tree.unattached == []
    # ADS 201 asks for an indicator on every IR itself; the shipped ones all measure sub-IRs.
    assert [node.result.code for node in tree.walk() if node.lacks_indicator] == [
        "IR 1",
        "IR 2",
        "IR 3",
    ]


def test_the_tree_flags_results_no_indicator_measures(reference: None) -> None:
    results = list(FrameworkResult.objects.all())
    indicators = [i for i in Indicator.objects.active() if i.result_measured.code != "IR 1.2"]
    loose = Indicator.objects.get(code="public-hearings")
    loose.result_measured = None
    tree = build_tree(results, [*indicators, loose])
    flagged = [node.result.code for node in tree.walk() if node.lacks_indicator]
    assert flagged == ["IR 1", "IR 1.2", "IR 2", "IR 3"]
    assert tree.unattached == [loose]


# -- indicator classification --------------------------------------------------------------------


@pytest.mark.parametrize(
    "code", ["EG.3.2-1", "EG.3.2-27", "DR.4.2-1", "PS.6.2-3", "GNDR-2", "YOUTH-3", "4.5.2-7"]
)
def test_foreign_assistance_codes_of_every_era_are_accepted(code: str) -> None:
    validate_fa_code(code)


@pytest.mark.parametrize(
    "code", ["EG32-1", "eg.3.2-1", "EG.3.2", "EG 3.2-1", "EG.3.2-1a", "GNDR2", "3.2.1"]
)
def test_other_shapes_are_refused(code: str) -> None:
    with pytest.raises(ValidationError):
        validate_fa_code(code)


def test_a_standard_indicator_needs_its_fa_code(reference: None) -> None:
    farmers = indicator("farmers-businesses-trained")
    farmers.is_standard = True
    assert "fa_code" in errors_of(farmers)
    refused_by_database(lambda: farmers.save(update_fields=["is_standard"]))
    farmers.fa_code = "EG.3.2-1"
    farmers.full_clean()
    farmers.save()
    assert indicator("farmers-businesses-trained").fa_code == "EG.3.2-1"


def test_a_custom_indicator_carries_no_fa_code(reference: None) -> None:
    debates = indicator("lul-debates")
    debates.fa_code = "PS.6.2-3"
    assert "fa_code" in errors_of(debates)
    refused_by_database(lambda: debates.save(update_fields=["fa_code"]))


def test_a_bad_fa_code_is_refused_beside_its_field(reference: None) -> None:
    farmers = indicator("farmers-businesses-trained")
    farmers.is_standard, farmers.fa_code = True, "EG 3.2-1"
    assert "fa_code" in errors_of(farmers)


def test_program_codes_are_unique(reference: None) -> None:
    debates = indicator("lul-debates")
    debates.program_code = indicator("public-hearings").program_code
    assert "__all__" in errors_of(debates)
    refused_by_database(lambda: debates.save(update_fields=["program_code"]))


def test_every_shipped_indicator_is_classified(reference: None) -> None:
    for item in Indicator.objects.all():
        assert item.result_measured is not None, item.code
        assert item.program_code, item.code
        assert item.indicator_type in ("output", "outcome")
        item.full_clean()


# -- period rules --------------------------------------------------------------------------------


def test_the_rule_defaults_to_the_units(reference: None) -> None:
    assert indicator("management-trainees").period_rule == "distinct"
    assert indicator("lul-debates").period_rule == "sum"
    trainees = indicator("management-trainees")
    trainees.period_rule = ""
    trainees.full_clean()
    assert trainees.period_rule == "distinct"


def test_persons_cannot_be_summed(reference: None) -> None:
    trainees = indicator("management-trainees")
    trainees.period_rule = "sum"
    assert "distinct" in " ".join(errors_of(trainees)["period_rule"])


def test_attendances_are_not_distinct(reference: None) -> None:
    participants = indicator("lul-debate-participants")
    participants.period_rule = "distinct"
    assert "period_rule" in errors_of(participants)


def test_a_ratio_needs_both_parts(reference: None) -> None:
    share = indicator("women-business-services")
    share.period_rule = "ratio"
    share.numerator = indicator("youth-business-services")
    errors = errors_of(share)
    assert "denominator" in errors
    refused_by_database(lambda: share.save(update_fields=["period_rule", "numerator"]))


def test_a_consistent_ratio_is_accepted_and_measured_in_percent(reference: None) -> None:
    share = indicator("women-business-services")
    share.period_rule = "ratio"
    share.numerator = indicator("youth-business-services")
    share.denominator = indicator("management-trainees")
    share.full_clean()
    share.save()
    assert str(share.unit_of_measure) == "Percent"


@pytest.mark.parametrize(
    ("numerator", "denominator", "field"),
    [("self", "management-trainees", "numerator"), ("lul-debates", "lul-debates", "denominator")],
)
def test_a_ratio_of_itself_or_of_one_indicator_twice_is_refused(
    reference: None, numerator: str, denominator: str, field: str
) -> None:
    share = indicator("women-business-services")
    share.period_rule = "ratio"
    share.numerator = share if numerator == "self" else indicator(numerator)
    share.denominator = indicator(denominator)
    assert field in errors_of(share)


def test_parts_without_the_ratio_rule_are_refused(reference: None) -> None:
    debates = indicator("lul-debates")
    debates.numerator = indicator("public-hearings")
    assert "period_rule" in errors_of(debates)


def test_units_of_measure(reference: None) -> None:
    assert indicator("lul-debates").unit_of_measure == "Number"
    assert indicator("business-grants-amount").unit_of_measure == "Amount ($)"
    with translation.override("sr"):
        assert indicator("business-grants-amount").unit_of_measure == "Износ (US$)"


# -- reference sheets ------------------------------------------------------------------------------


def sheet(code: str = "management-trainees") -> ReferenceSheet:
    return ReferenceSheet.objects.get(indicator__code=code)


def test_every_shipped_indicator_has_a_complete_sheet(reference: None) -> None:
    for item in ReferenceSheet.objects.select_related("indicator"):
        for name in ("rationale", "data_source", "collection_method", "data_limitations"):
            for suffix in ("en", "sq", "sr_latn"):
                assert getattr(item, f"{name}_{suffix}"), (item.indicator.code, name, suffix)
        if item.indicator.is_entered:  # an outcome's baseline: the year before the program
            assert item.baseline_value and item.baseline_value > 0
            assert item.baseline_date == date(2013, 12, 31)
            assert item.indicator.indicator_type == "outcome"
            continue
        assert item.baseline_value == 0
        assert item.baseline_date == date(2014, 4, 1)
    assert ReferenceSheet.objects.count() == Indicator.objects.count()


def test_a_baseline_has_a_value_and_a_date(reference: None) -> None:
    record = sheet()
    record.baseline_date = None
    assert "baseline_date" in errors_of(record)
    refused_by_database(lambda: record.save(update_fields=["baseline_date"]))


def test_a_baseline_is_not_negative(reference: None) -> None:
    record = sheet()
    record.baseline_value = Decimal(-1)
    assert "baseline_value" in errors_of(record)
    refused_by_database(lambda: record.save(update_fields=["baseline_value"]))


def test_the_next_assessment_comes_after_the_last(reference: None) -> None:
    record = sheet()
    record.dqa_next_date = record.dqa_last_date
    assert "dqa_next_date" in errors_of(record)
    refused_by_database(lambda: record.save(update_fields=["dqa_next_date"]))


def test_an_assessment_names_its_reviewer(reference: None) -> None:
    record = sheet()
    record.dqa_reviewer_en = ""
    assert "dqa_reviewer_en" in errors_of(record)
    refused_by_database(lambda: record.save(update_fields=["dqa_reviewer_en"]))


def test_sheet_texts_follow_the_readers_language(reference: None) -> None:
    record = sheet()
    assert record.text("rationale", "sq") == record.rationale_sq
    assert record.text("rationale", "sr") != record.rationale_sr_latn
    assert "обуке" in record.text("rationale", "sr")  # converted from the Serbian Latin text


# -- targets ---------------------------------------------------------------------------------------


def target(**values: object) -> Target:
    record = Target(indicator=values.pop("indicator", None) or indicator(), value=Decimal(10))
    record.period = values.pop("period", Period.fiscal_year(2016))
    for name, value in values.items():
        setattr(record, name, value)
    return record


def test_one_target_per_indicator_period_and_cell(reference: None) -> None:
    existing = Target.objects.get(
        indicator__code="management-trainees", period_kind="fy", fiscal_year=2016
    )
    twin = target(period=existing.period)
    assert "__all__" in errors_of(twin)
    refused_by_database(twin.save)
    # The life of project is stored with 0, not NULL, so the database sees two as equal.
    lop_twin = target(period=Period.life_of_project())
    refused_by_database(lop_twin.save)


def test_a_cell_target_sits_beside_the_total(reference: None) -> None:
    women = target(period=Period.fiscal_year(2016), dimension="sex", cell="female")
    women.full_clean()
    women.save()
    assert women.period == Period.fiscal_year(2016)


@pytest.mark.parametrize(
    ("kind", "fiscal_year", "quarter"),
    [("lop", 2016, 0), ("fy", 0, 0), ("fy", 2016, 2), ("quarter", 2016, 0), ("quarter", 2016, 5)],
)
def test_a_period_is_lop_a_year_or_a_quarter(
    reference: None, kind: str, fiscal_year: int, quarter: int
) -> None:
    record = Target(
        indicator=indicator(),
        value=Decimal(1),
        period_kind=kind,
        fiscal_year=fiscal_year,
        quarter=quarter,
    )
    refused_by_database(record.save)


def test_a_cell_names_its_disaggregation(reference: None) -> None:
    refused_by_database(target(cell="female").save)
    refused_by_database(target(dimension="sex").save)
    assert "cell" in errors_of(target(dimension="sex"))


def test_a_cell_belongs_to_one_of_the_indicators_disaggregations(reference: None) -> None:
    assert "dimension" in errors_of(target(dimension="sector", cell="agriculture"))


def test_a_target_is_not_negative(reference: None) -> None:
    record = target(value=Decimal(-5))
    assert "value" in errors_of(record)
    refused_by_database(record.save)


def test_a_percentage_target_stays_within_100(reference: None) -> None:
    share = indicator("women-business-services")
    share.period_rule = "ratio"
    share.numerator = indicator("youth-business-services")
    share.denominator = indicator("management-trainees")
    share.save()
    quarter = Period.fiscal_quarter(2016, 2)
    assert "value" in errors_of(target(indicator=share, period=quarter, value=Decimal(101)))
    target(indicator=share, period=quarter, value=Decimal(40)).full_clean()
