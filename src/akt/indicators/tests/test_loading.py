"""Loading the shipped framework, reference sheets and targets: idempotent, respectful of what
officers edited, and stopped by a bad entry with a message that names it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml
from django.db import transaction

from akt.accounts.models import AuditEntry, User
from akt.counting.periods import Period
from akt.indicators.loading import ReferenceDataError, framework_load, reference_sheets_load
from akt.indicators.models import FrameworkResult, Indicator, ReferenceSheet, Target
from akt.indicators.services import indicators_load, reference_sheet_update, target_set

pytestmark = pytest.mark.django_db


def snapshot() -> tuple[int, int, int, list[tuple]]:
    return (
        AuditEntry.objects.count(),
        FrameworkResult.objects.count(),
        ReferenceSheet.objects.count(),
        sorted(
            Target.objects.values_list(
                "indicator_id",
                "period_kind",
                "fiscal_year",
                "quarter",
                "dimension",
                "cell",
                "value",
            )
        ),
    )


def test_loading_again_changes_nothing(reference: None) -> None:
    before = snapshot()
    assert indicators_load() == Indicator.objects.count()
    assert snapshot() == before


def test_the_shipped_targets_are_near_the_brief_but_not_the_same(reference: None) -> None:
    # The brief's results to date; a target exactly equal to each would be a fitted target.
    reported = {
        "lul-debates": 12,
        "public-hearings": 21,
        "joint-activity-participants": 20623,
        "management-trainees": 1244,
    }
    for code, figure in reported.items():
        lop = Target.objects.get(indicator__code=code, period_kind="lop", dimension="").value
        assert lop != figure
        assert Decimal("0.8") <= figure / lop <= Decimal("1.2"), code


def test_a_sheet_changed_outside_the_services_is_restored(reference: None) -> None:
    ReferenceSheet.objects.filter(indicator__code="lul-debates").update(rationale_en="drifted")
    Target.objects.filter(indicator__code="lul-debates", period_kind="lop").update(value=99)
    before = AuditEntry.objects.count()
    indicators_load()
    assert ReferenceSheet.objects.get(indicator__code="lul-debates").rationale_en.startswith(
        "Shows whether"
    )
    assert Target.objects.get(indicator__code="lul-debates", period_kind="lop").value == 14
    # Reference data loads are not audited: the change log is what people changed.
    assert AuditEntry.objects.count() == before


def test_an_officers_edits_survive_a_reload(personas: dict[str, User]) -> None:
    debates = Indicator.objects.get(code="lul-debates")
    reference_sheet_update(
        actor=personas["me"],
        indicator=debates,
        data={"rationale_en": "Our own rationale.", "definition_en": "Our own definition."},
        reason="local context",
    )
    target_set(actor=personas["me"], indicator=debates, period=Period(), value=Decimal(15))
    indicators_load()
    debates.refresh_from_db()
    assert debates.definition_en == "Our own definition."
    assert ReferenceSheet.objects.get(indicator=debates).rationale_en == "Our own rationale."
    assert Target.objects.get(indicator=debates, period_kind="lop").value == 15
    # The engine's fields still follow the file.
    assert debates.filters == {"kind": ["public_debate"], "topics": ["law-on-use-of-languages"]}


# -- bad entries -----------------------------------------------------------------------------------


def sheets_file(*entries: dict[str, Any], defaults: dict[str, Any] | None = None) -> str:
    return yaml.safe_dump({"defaults": defaults or {}, "sheets": list(entries)}, allow_unicode=True)


def framework_file(*results: dict[str, Any]) -> str:
    return yaml.safe_dump({"results": list(results)}, allow_unicode=True)


TEXTS = {"en": "Text", "sq": "Tekst", "sr-latn": "Tekst"}


@pytest.mark.parametrize(
    ("entry", "named"),
    [
        ({"indicator": "no-such-indicator"}, ["no-such-indicator", "no indicator has this code"]),
        (
            {"indicator": "farmers-businesses-trained", "standard": True, "fa_code": "EG32-1"},
            ["farmers-businesses-trained", "fa_code"],
        ),
        (
            {"indicator": "farmers-businesses-trained", "standard": True},
            ["farmers-businesses-trained", "fa_code"],
        ),
        (
            {"indicator": "management-trainees", "period_rule": "sum"},
            ["management-trainees", "period_rule"],
        ),
        (
            {"indicator": "lul-debates", "rationale": {"en": "Only English"}},
            ["lul-debates", "rationale", "sq", "sr-latn"],
        ),
        ({"indicator": "lul-debates", "rationale_fr": "Non"}, ["lul-debates", "rationale_fr"]),
        ({"indicator": "lul-debates", "targets": {"fy16": 3}}, ["lul-debates", "fy16"]),
        ({"indicator": "lul-debates", "targets": {"lop": -3}}, ["lul-debates", "-3"]),
        ({"indicator": "lul-debates", "result": "IR 9.9"}, ["lul-debates", "IR 9.9"]),
        (
            {
                "indicator": "lul-debates",
                "cell_targets": [
                    {"period": "lop", "dimension": "sex", "cell": "female", "value": 1}
                ],
            },
            ["lul-debates", "sex"],
        ),
        ({"indicator": "lul-debates", "baseline": {"value": 0}}, ["lul-debates", "baseline"]),
        (
            {"indicator": "public-hearings", "period_rule": "ratio", "numerator": "lul-debates"},
            ["public-hearings", "denominator"],
        ),
        (
            {
                "indicator": "public-hearings",
                "period_rule": "ratio",
                "numerator": "nothing",
                "denominator": "lul-debates",
            },
            ["public-hearings", "nothing"],
        ),
    ],
)
def test_a_bad_sheet_entry_is_refused_by_name(
    reference: None, entry: dict[str, Any], named: list[str]
) -> None:
    before = snapshot()
    with pytest.raises(ReferenceDataError) as caught, transaction.atomic():
        reference_sheets_load(sheets_file({"result": "IR 1.1", **entry}))
    message = str(caught.value)
    assert "reference-sheets.yaml" in message
    for part in named:
        assert part in message, message
    assert snapshot() == before


def test_two_sheets_for_one_indicator_are_refused(reference: None) -> None:
    with pytest.raises(ReferenceDataError, match="'lul-debates': this indicator has two sheets"):
        reference_sheets_load(
            sheets_file({"indicator": "lul-debates"}, {"indicator": "lul-debates"})
        )


def test_a_bad_default_is_refused(reference: None) -> None:
    with pytest.raises(ReferenceDataError, match="defaults.*program_code"):
        reference_sheets_load(
            sheets_file({"indicator": "lul-debates"}, defaults={"program_code": "1"})
        )


@pytest.mark.parametrize(
    ("results", "named"),
    [
        (
            [
                {"code": "Goal", "level": "goal", "statement": TEXTS},
                {"code": "IR 1.1", "level": "sub_ir", "parent": "IR 1", "statement": TEXTS},
            ],
            ["'IR 1.1'", "IR 1"],
        ),
        ([{"code": "Goal", "level": "aim", "statement": TEXTS}], ["'Goal'", "level"]),
        (
            [{"code": "Goal", "level": "goal", "statement": {"en": "Only English"}}],
            ["'Goal'", "statement"],
        ),
        (
            [
                {"code": "Goal", "level": "goal", "statement": TEXTS},
                {"code": "Goal", "level": "goal", "statement": TEXTS},
            ],
            ["'Goal'", "twice"],
        ),
        (
            [
                {"code": "Goal", "level": "goal", "statement": TEXTS},
                {"code": "IR 1", "level": "ir", "statement": TEXTS},
            ],
            ["'IR 1'"],
        ),
        (
            [
                {"code": "Goal", "level": "goal", "statement": TEXTS},
                {"code": "IR 1", "level": "goal", "parent": "Goal", "statement": TEXTS},
            ],
            ["'IR 1'"],
        ),
    ],
)
def test_a_bad_framework_entry_is_refused_by_name(
    reference: None, results: list[dict], named: list[str]
) -> None:
    with pytest.raises(ReferenceDataError) as caught, transaction.atomic():
        framework_load(framework_file(*results))
    message = str(caught.value)
    assert "framework.yaml" in message
    for part in named:
        assert part in message, message


def test_a_file_that_is_not_yaml_is_refused(reference: None) -> None:
    with pytest.raises(ReferenceDataError, match="framework.yaml is not valid YAML"):
        framework_load("results: [unclosed")
    with pytest.raises(ReferenceDataError, match="reference-sheets.yaml needs a list of sheets"):
        reference_sheets_load("- just a list")
