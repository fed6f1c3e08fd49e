"""Editing reference sheets and targets: who may, what is validated, what the audit log keeps,
and how the sheet's change log reads it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from akt.accounts.models import AuditEntry, User
from akt.counting.periods import Period
from akt.indicators.models import FrameworkResult, Indicator, ReferenceSheet, Target
from akt.indicators.services import (
    may_manage_indicators,
    reference_sheet_update,
    target_set,
    targets_set,
)
from akt.indicators.sheets import change_log

pytestmark = pytest.mark.django_db

MANAGERS = ["me", "admin"]
OTHERS = ["staff", "focal_gracanica", "donor"]


def trainees() -> Indicator:
    return Indicator.objects.get(code="management-trainees")


def entries(indicator: Indicator, action: str) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            target_type="indicators.indicator", target_id=str(indicator.pk), action=action
        ).order_by("id")
    )


# -- who may ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MANAGERS)
def test_officers_and_administrators_manage_indicators(
    personas: dict[str, User], name: str
) -> None:
    assert may_manage_indicators(personas[name])


@pytest.mark.parametrize("name", OTHERS)
def test_other_roles_do_not(personas: dict[str, User], name: str) -> None:
    assert not may_manage_indicators(personas[name])


def test_anonymous_visitors_do_not(reference: None) -> None:
    assert not may_manage_indicators(AnonymousUser())


@pytest.mark.parametrize("name", OTHERS)
def test_other_roles_cannot_edit_a_sheet(personas: dict[str, User], name: str) -> None:
    indicator = trainees()
    with pytest.raises(PermissionDenied):
        reference_sheet_update(
            actor=personas[name],
            indicator=indicator,
            data={"rationale_en": "Changed by someone who may not."},
            reason="test",
        )
    assert (
        ReferenceSheet.objects.get(indicator=indicator).rationale_en
        != "Changed by someone who may not."
    )
    assert entries(indicator, "reference_sheet_update") == []


@pytest.mark.parametrize("name", OTHERS)
def test_other_roles_cannot_set_targets(personas: dict[str, User], name: str) -> None:
    indicator = trainees()
    with pytest.raises(PermissionDenied):
        target_set(
            actor=personas[name],
            indicator=indicator,
            period=Period.fiscal_year(2016),
            value=Decimal(1),
        )
    with pytest.raises(PermissionDenied):
        targets_set(
            actor=personas[name], indicator=indicator, values={Period.fiscal_year(2016): None}
        )
    assert Target.objects.get(indicator=indicator, period_kind="fy", fiscal_year=2016).value == 900


def test_anonymous_cannot_edit(reference: None) -> None:
    with pytest.raises(PermissionDenied):
        reference_sheet_update(actor=AnonymousUser(), indicator=trainees(), data={}, reason="")  # type: ignore[arg-type]


# -- editing a sheet -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", MANAGERS)
def test_an_officer_edits_a_sheet_and_the_change_is_audited(
    personas: dict[str, User], name: str
) -> None:
    indicator = trainees()
    reference_sheet_update(
        actor=personas[name],
        indicator=indicator,
        data={
            "dqa_last_date": date(2016, 9, 20),
            "dqa_reviewer_en": "USAID/Kosovo M&E specialist",
            "dqa_next_date": date(2017, 3, 1),
            "data_limitations_sq": "Kufizim i ri.",
            "program_code": "3.3.9",
        },
        reason="DQA of September 2016",
    )
    stored = ReferenceSheet.objects.get(indicator=indicator)
    assert stored.dqa_last_date == date(2016, 9, 20)
    assert stored.data_limitations_sq == "Kufizim i ri."
    assert Indicator.objects.get(pk=indicator.pk).program_code == "3.3.9"
    [entry] = entries(indicator, "reference_sheet_update")
    assert entry.actor == personas[name]
    assert entry.reason == "DQA of September 2016"
    assert entry.changes["dqa_last_date"] == ["2016-03-15", "2016-09-20"]
    assert entry.changes["program_code"] == ["3.3.1", "3.3.9"]
    assert set(entry.changes) == {
        "dqa_last_date",
        "dqa_reviewer_en",
        "dqa_next_date",
        "data_limitations_sq",
        "program_code",
    }


def test_saving_the_same_values_writes_nothing(personas: dict[str, User]) -> None:
    indicator = trainees()
    stored = ReferenceSheet.objects.get(indicator=indicator)
    reference_sheet_update(
        actor=personas["me"],
        indicator=indicator,
        data={
            "baseline_value": Decimal(0),
            "baseline_date": stored.baseline_date,
            "program_code": "3.3.1",
        },
        reason="no change",
    )
    assert entries(indicator, "reference_sheet_update") == []


def test_an_invalid_edit_keeps_nothing(personas: dict[str, User]) -> None:
    indicator = trainees()
    with pytest.raises(ValidationError) as caught:
        reference_sheet_update(
            actor=personas["me"],
            indicator=indicator,
            data={"period_rule": "sum", "rationale_en": "New", "baseline_value": None},
            reason="bad",
        )
    errors = caught.value.message_dict
    assert "period_rule" in errors  # persons cannot be summed
    assert "baseline_value" in errors  # a baseline date without its value
    assert Indicator.objects.get(pk=indicator.pk).period_rule == "distinct"
    assert ReferenceSheet.objects.get(indicator=indicator).rationale_en != "New"
    assert entries(indicator, "reference_sheet_update") == []


def test_making_an_indicator_standard_needs_its_code(personas: dict[str, User]) -> None:
    farmers = Indicator.objects.get(code="farmers-businesses-trained")
    with pytest.raises(ValidationError) as caught:
        reference_sheet_update(
            actor=personas["me"], indicator=farmers, data={"is_standard": True}, reason=""
        )
    assert "fa_code" in caught.value.message_dict
    reference_sheet_update(
        actor=personas["me"],
        indicator=farmers,
        data={"is_standard": True, "fa_code": "EG.3.2-1", "is_ppr": True},
        reason="Reported in the PPR from FY2016",
    )
    farmers.refresh_from_db()
    assert (farmers.is_standard, farmers.fa_code, farmers.is_ppr) == (True, "EG.3.2-1", True)


def test_a_sheet_is_created_for_an_indicator_without_one(personas: dict[str, User]) -> None:
    indicator = trainees()
    ReferenceSheet.objects.filter(indicator=indicator).delete()
    reference_sheet_update(
        actor=personas["me"],
        indicator=indicator,
        data={"rationale_en": "Why it matters."},
        reason="first sheet",
    )
    assert ReferenceSheet.objects.get(indicator=indicator).rationale_en == "Why it matters."


def test_unknown_fields_are_a_programming_error(personas: dict[str, User]) -> None:
    with pytest.raises(TypeError):
        reference_sheet_update(
            actor=personas["me"], indicator=trainees(), data={"filters": {}}, reason=""
        )


def test_the_result_measured_is_audited_by_id_and_logged_by_code(personas: dict[str, User]) -> None:
    indicator = trainees()
    other = FrameworkResult.objects.get(code="IR 3.2")
    reference_sheet_update(
        actor=personas["me"], indicator=indicator, data={"result_measured": other}, reason="moved"
    )
    [entry] = entries(indicator, "reference_sheet_update")
    assert entry.changes["result_measured"][1] == other.pk
    with translation.override("en"):
        [latest, *_rest] = change_log(indicator)
    [change] = latest.changes
    assert (change.label, change.old, change.new) == ("Result measured", "IR 3.3", "IR 3.2")


# -- targets ---------------------------------------------------------------------------------------


def test_setting_a_target_creates_or_changes_it(personas: dict[str, User]) -> None:
    indicator = trainees()
    quarter = Period.fiscal_quarter(2016, 2)
    created = target_set(
        actor=personas["me"], indicator=indicator, period=quarter, value=Decimal(200), reason="plan"
    )
    changed = target_set(
        actor=personas["me"],
        indicator=indicator,
        period=quarter,
        value=Decimal(250),
        reason="revised",
    )
    assert created is not None and changed is not None and created.pk == changed.pk
    assert Target.objects.get(pk=created.pk).value == 250
    first, second = entries(indicator, "target_set")
    assert first.changes == {"targets": {"fy2016q2": [None, "200"]}}
    assert second.changes == {"targets": {"fy2016q2": ["200", "250"]}}
    assert second.reason == "revised"


def test_setting_the_same_value_writes_nothing(personas: dict[str, User]) -> None:
    indicator = trainees()
    target_set(
        actor=personas["me"],
        indicator=indicator,
        period=Period.fiscal_year(2016),
        value=Decimal("900.00"),
    )
    assert entries(indicator, "target_set") == []


def test_a_target_of_none_is_removed(personas: dict[str, User]) -> None:
    indicator = trainees()
    assert (
        target_set(
            actor=personas["me"], indicator=indicator, period=Period.fiscal_year(2016), value=None
        )
        is None
    )
    assert not Target.objects.filter(
        indicator=indicator, period_kind="fy", fiscal_year=2016
    ).exists()
    [entry] = entries(indicator, "target_set")
    assert entry.changes == {"targets": {"fy2016": ["900", None]}}


def test_a_cell_target(personas: dict[str, User]) -> None:
    indicator = trainees()
    target = target_set(
        actor=personas["admin"],
        indicator=indicator,
        period=Period.fiscal_year(2016),
        value=Decimal(400),
        dimension="sex",
        cell="female",
    )
    assert target is not None and (target.dimension, target.cell) == ("sex", "female")
    assert (
        Target.objects.get(
            indicator=indicator, period_kind="fy", fiscal_year=2016, dimension=""
        ).value
        == 900
    )
    [entry] = entries(indicator, "target_set")
    assert entry.changes == {"targets": {"fy2016 sex=female": [None, "400"]}}


def test_a_cell_of_another_disaggregation_is_refused(personas: dict[str, User]) -> None:
    with pytest.raises(ValidationError) as caught:
        target_set(
            actor=personas["me"],
            indicator=trainees(),
            period=Period.fiscal_year(2016),
            value=Decimal(4),
            dimension="sector",
            cell="agriculture",
        )
    assert "dimension" in caught.value.message_dict


def test_the_grid_saves_all_or_nothing(personas: dict[str, User]) -> None:
    indicator = trainees()
    changed = targets_set(
        actor=personas["me"],
        indicator=indicator,
        values={Period.fiscal_year(2015): Decimal(520), Period.fiscal_year(2017): Decimal(100)},
        reason="FY2017 training added",
    )
    assert changed == 2
    [entry] = entries(indicator, "target_set")
    assert entry.changes == {"targets": {"fy2015": ["500", "520"], "fy2017": [None, "100"]}}
    with pytest.raises(ValidationError) as caught:
        targets_set(
            actor=personas["me"],
            indicator=indicator,
            values={Period.fiscal_year(2015): Decimal(1), Period.fiscal_year(2016): Decimal(-3)},
        )
    assert "fy2016" in caught.value.message_dict
    assert Target.objects.get(indicator=indicator, period_kind="fy", fiscal_year=2015).value == 520
    assert len(entries(indicator, "target_set")) == 1


# -- the change log --------------------------------------------------------------------------------


def test_the_change_log_reads_the_audit_log_newest_first(personas: dict[str, User]) -> None:
    indicator = trainees()
    officer = personas["me"]
    officer.first_name, officer.last_name = "Drita", "Krasniqi"
    officer.save()
    reference_sheet_update(
        actor=officer,
        indicator=indicator,
        data={"is_ppr": True, "rationale_en": "A longer rationale " * 10},
        reason="Mission asked for it in the PPR",
    )
    target_set(
        actor=officer,
        indicator=indicator,
        period=Period(),
        value=Decimal(1300),
        reason="LOP raised",
    )
    with translation.override("en"):
        log = change_log(indicator)
    newest, edit = log
    assert (newest.who, newest.what, newest.reason) == (
        "Drita Krasniqi",
        "Targets edited",
        "LOP raised",
    )
    [target_change] = newest.changes
    assert (target_change.label, target_change.old, target_change.new) == (
        "Target, Life of project",
        "1,200",
        "1,300",
    )
    assert edit.what == "Reference sheet edited"
    by_label = {change.label: change for change in edit.changes}
    assert (by_label["Reported in the PPR"].old, by_label["Reported in the PPR"].new) == (
        "No",
        "Yes",
    )
    assert by_label["Rationale (English)"].shown is False  # prose: the log names the field only


def test_a_cell_target_is_named_in_the_readers_words(personas: dict[str, User]) -> None:
    indicator = trainees()
    target_set(
        actor=personas["me"],
        indicator=indicator,
        period=Period.fiscal_quarter(2016, 1),
        value=Decimal(30),
        dimension="municipality",
        cell="zvecan",
    )
    with translation.override("sr-latn"):
        [entry] = change_log(indicator)
    [change] = entry.changes
    assert change.label.endswith("Zvečan (Opština)")
    assert change.new == "30"


def test_a_sheet_nobody_edited_has_an_empty_log(reference: None) -> None:
    assert change_log(trainees()) == []
