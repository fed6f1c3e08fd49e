"""Writes to indicators: loading the shipped definitions, editing reference sheets and targets,
entering the values of entered indicators.

Every edit here is the one way its action happens, whoever asks (a page, a command, a test):
it checks that the actor may manage indicators, validates with ``full_clean()``, saves and writes
the audit entry, all in one transaction. Those audit entries are the reference sheet's change log
("changes to indicator" in the PIRS). Loading the files that ship with the system is reference
data, like municipalities and topics, and is not audited (``akt.indicators.loading``).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import audit_record, audit_values, changed_values
from akt.counting.periods import Period
from akt.counting.targets import target_label
from akt.indicators.entry import cell_key, known_cell
from akt.indicators.loading import (
    CLASSIFICATION_FIELDS,
    SHEET_EDIT,
    SHEET_FIELDS,
    TARGET_EDIT,
    as_stored,
    edited_in_system,
    framework_load,
    plain_value,
    reference_sheets_load,
    schemes_load,
)
from akt.indicators.models import Indicator, OutcomeValue, ReferenceSheet, Target
from akt.indicators.rules import rule_problem

# What ``reference_sheet_update`` may change: the sheet's head on the indicator (with the
# precise definition) and the sheet itself.
SHEET_INDICATOR_FIELDS = (
    *CLASSIFICATION_FIELDS,
    "definition_en",
    "definition_sq",
    "definition_sr_latn",
)
SHEET_EDITABLE_FIELDS = (*SHEET_INDICATOR_FIELDS, *SHEET_FIELDS)
DEFINITION_FIELDS = ("definition_en", "definition_sq", "definition_sr_latn")


# -- who may manage indicators -------------------------------------------------------------------


def may_manage_indicators(user: object) -> bool:
    """Whether ``user`` may edit reference sheets and targets: M&E officers and administrators.

    The same test as identity resolution (``linkage.services.may_resolve_identities``): roles
    that see all records and may edit. Component staff and focal points edit records of their
    part of the program only; the donor viewer reads.
    """
    return Scope.for_user(user).may_manage_indicators


def require_indicator_manager(actor: User) -> None:
    if not may_manage_indicators(actor):
        raise PermissionDenied


# -- loading what ships with the system ----------------------------------------------------------


def _forms(spec: dict, lang: str) -> dict:
    return dict(spec.get(lang) or {})


@transaction.atomic
def indicators_load() -> int:
    """Loads the results framework, every indicator in ``data/indicators.yaml`` and their
    reference sheets and targets (``akt.indicators.loading``). Safe to run again.

    Each definition is validated (``full_clean``, which builds its engine definition) before it
    is saved, so a mistake in the file stops the load. An indicator whose sheet an officer has
    edited keeps the definition they wrote; its engine fields (filters, unit, disaggregations)
    still follow the file. Returns the number of indicators.
    """
    framework_load()
    schemes_load()
    sheet_edited = edited_in_system(SHEET_EDIT)
    text = resources.files("akt.indicators").joinpath("data", "indicators.yaml").read_text("utf-8")
    specs = yaml.safe_load(text)
    for order, spec in enumerate(specs):
        indicator = Indicator.objects.filter(code=spec["code"]).first() or Indicator(
            code=spec["code"]
        )
        indicator.result_line = spec["result_line"]
        indicator.sort_order = order
        indicator.source = spec["source"]
        indicator.unit = spec["unit"]
        indicator.currency = spec.get("currency", "")
        indicator.entry_period = spec.get("entry_period", "")
        indicator.filters = spec.get("filters") or {}
        indicator.disaggregations = spec.get("disaggregations") or []
        keep_definition = indicator.pk is not None and str(indicator.pk) in sheet_edited
        for lang, suffix in (("en", "en"), ("sq", "sq"), ("sr-latn", "sr_latn")):
            setattr(indicator, f"name_{suffix}", spec["name"][lang])
            if not keep_definition:
                setattr(indicator, f"definition_{suffix}", spec["definition"][lang])
        indicator.sentence = {lang: _forms(spec["sentence"], lang) for lang in spec["sentence"]}
        if indicator.period_rule and rule_problem(indicator.unit, indicator.period_rule):
            # The file changed the counting unit: the rule follows it (the sheet may set another).
            indicator.period_rule = ""
        indicator.full_clean()
        indicator.save()
    reference_sheets_load()
    return len(specs)


# -- reference sheets ----------------------------------------------------------------------------


def _validate(*records: object) -> None:
    """Runs ``full_clean`` on each record and raises one error with all their messages."""
    errors: dict[str, list[ValidationError]] = {}
    for record in records:
        try:
            record.full_clean()  # type: ignore[attr-defined]
        except ValidationError as error:
            error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def reference_sheet_update(
    *, actor: User, indicator: Indicator, data: Mapping[str, Any], reason: str
) -> ReferenceSheet:
    """Changes an indicator's reference sheet (and the sheet's head on the indicator).

    ``data`` holds any of ``SHEET_EDITABLE_FIELDS``; related records are passed as objects
    (``result_measured``, ``numerator``, ``denominator``). Works on the stored rows, locked, so
    the audit entry shows what was stored before. Only the changed fields are saved and
    audited, with ``reason``; when nothing changed, nothing is written. Creates the sheet if
    the indicator has none yet.
    """
    require_indicator_manager(actor)
    unknown = set(data) - set(SHEET_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = Indicator.objects.select_for_update().get(pk=indicator.pk)
    sheet = ReferenceSheet.objects.select_for_update().filter(indicator=stored).first()
    is_new = sheet is None
    sheet = sheet or ReferenceSheet(indicator=stored)
    before = {
        **audit_values(stored, SHEET_INDICATOR_FIELDS),
        **audit_values(sheet, SHEET_FIELDS),
    }
    for name, value in data.items():
        setattr(stored if name in SHEET_INDICATOR_FIELDS else sheet, name, value)
    _validate(stored, sheet)
    as_stored(sheet)
    after = {**audit_values(stored, SHEET_INDICATOR_FIELDS), **audit_values(sheet, SHEET_FIELDS)}
    changes = changed_values(before, after)
    if not changes:
        return sheet
    on_indicator = [name for name in changes if name in SHEET_INDICATOR_FIELDS]
    on_sheet = [name for name in changes if name in SHEET_FIELDS]
    if on_indicator:
        stored.save(update_fields=on_indicator)
    if is_new:
        sheet.save()
    elif on_sheet:
        sheet.save(update_fields=on_sheet)
    audit_record(
        actor=actor,
        action=SHEET_EDIT,
        target=stored,
        summary=_("Reference sheet of %(code)s changed") % {"code": stored.code},
        changes=changes,
        reason=reason,
    )
    return sheet


# -- targets -------------------------------------------------------------------------------------


def _target_set(
    *,
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    dimension: str,
    cell: str,
) -> tuple[Target | None, dict[str, list[str | None]]]:
    """Sets or clears one target; returns it and ``{label: [old, new]}`` when it changed."""
    stored = (
        Target.objects.select_for_update()
        .filter(
            indicator=indicator,
            period_kind=period.kind.value,
            fiscal_year=period.year,
            quarter=period.quarter,
            dimension=dimension,
            cell=cell,
        )
        .first()
    )
    old = stored.value if stored is not None else None
    label = target_label(period, dimension, cell)
    if value is None:
        if stored is None:
            return None, {}
        stored.delete()
        return None, {label: [plain_value(old), None]}
    target = stored or Target(indicator=indicator, dimension=dimension, cell=cell)
    target.period = period
    target.value = value
    target.full_clean()
    if old is not None and old == value:
        return target, {}
    target.save()
    return target, {label: [plain_value(old), plain_value(Decimal(value))]}


@transaction.atomic
def target_set(
    *,
    actor: User,
    indicator: Indicator,
    period: Period,
    value: Decimal | None,
    dimension: str = "",
    cell: str = "",
    reason: str = "",
) -> Target | None:
    """Sets the target of ``indicator`` for ``period`` (and one disaggregation cell, when
    ``dimension`` and ``cell`` are given) to ``value``; a value of None removes the target.

    One target per indicator, period and cell: setting it again changes it. Audited on the
    indicator, so the change appears in its reference sheet's change log. Returns the target,
    or None when it was removed.
    """
    require_indicator_manager(actor)
    target, changes = _target_set(
        indicator=indicator,
        period=period,
        value=value,
        dimension=dimension,
        cell=cell,
    )
    if changes:
        _audit_targets(actor, indicator, changes, reason)
    return target


@transaction.atomic
def targets_set(
    *,
    actor: User,
    indicator: Indicator,
    values: Mapping[Period, Decimal | None],
    reason: str = "",
) -> int:
    """Sets several total targets of one indicator at once (the targets page's grid), all or
    nothing, with one audit entry. A value of None removes that period's target. Returns how
    many targets changed."""
    require_indicator_manager(actor)
    changes: dict[str, list[str | None]] = {}
    errors: dict[str, list[ValidationError]] = {}
    for period, value in values.items():
        try:
            _target, changed = _target_set(
                indicator=indicator, period=period, value=value, dimension="", cell=""
            )
        except ValidationError as error:
            ValidationError({period.key: error.messages}).update_error_dict(errors)
            continue
        changes.update(changed)
    if errors:
        raise ValidationError(errors)
    if changes:
        _audit_targets(actor, indicator, changes, reason)
    return len(changes)


def _audit_targets(
    actor: User, indicator: Indicator, changes: dict[str, list[str | None]], reason: str
) -> None:
    audit_record(
        actor=actor,
        action=TARGET_EDIT,
        target=indicator,
        summary=_("Targets of %(code)s changed") % {"code": indicator.code},
        changes={"targets": changes},
        reason=reason,
    )


# -- entered values ------------------------------------------------------------------------------

VALUE_FIELDS = ("indicator", "period_key", "municipality", "cell", "value", "source_document")
CORRECTED_FIELDS = ("value", "source_document")


def may_enter_values(
    user: object, municipality_id: int | None = None, *, anywhere: bool = False
) -> bool:
    """Whether ``user`` may enter, correct and void entered values for the municipality
    ``municipality_id`` (None: the whole program), or with ``anywhere`` for some place.

    M&E officers and administrators for any municipality and for the whole program; a
    municipal focal point for their own municipality only (the figures their municipality
    reports); nobody else (component staff work on their component's records, the donor reads).
    """
    scope = Scope.for_user(user)
    if scope.manages_program:
        return True
    if not scope.may_edit or scope.municipality_id is None:
        return False
    return anywhere or municipality_id == scope.municipality_id


def _require_value_writer(actor: User, municipality_id: int | None) -> None:
    if not may_enter_values(actor, municipality_id):
        raise PermissionDenied


def _value_summary(template: str, value: OutcomeValue) -> str:
    return template % {"indicator": value.indicator.code, "period": value.period_key}


@transaction.atomic
def outcome_value_record(
    *,
    actor: User,
    indicator: Indicator,
    period: Period,
    municipality_id: int | None,
    cell: Mapping[str, str] | None,
    value: Decimal,
    source_document: str,
    reason: str = "",
) -> OutcomeValue:
    """Enters the value of ``indicator`` for ``period``, a municipality (None: the whole
    program) and a disaggregation cell (``{"sex": "female"}``; a dimension left out is
    unknown), from ``source_document``.

    When a value that counts is already there for the same indicator, period, place and cell,
    this corrects it: the stored row is changed (locked), and its audit entry keeps the value
    and source document before and after. A value of an approved quarter changes only with a
    ``reason`` (or one stated with ``change_reason``). Validation names what is wrong (an
    indicator that is not entered, a period of another kind or outside the program's years, an
    unknown category, a negative value, no source document); nothing is stored then.
    """
    _require_value_writer(actor, municipality_id)
    entered = OutcomeValue(
        indicator=indicator,
        municipality_id=municipality_id,
        cell=dict(cell or {}),
        value=value,
        source_document=(source_document or "").strip(),
        entered_by=actor,
    )
    entered.period = period
    same_place = (
        {"municipality_id": municipality_id}
        if municipality_id is not None
        else {"municipality__isnull": True}
    )
    stored = (
        OutcomeValue.objects.counted()
        .select_for_update(of=("self",))
        .filter(
            indicator=indicator,
            period_key=period.key,
            cell_key=cell_key(known_cell(cell)),
            **same_place,
        )
        .first()
    )
    if stored is None:
        entered.full_clean()
        as_stored(entered)
        entered.save()
        audit_record(
            actor=actor,
            action="outcome_value_record",
            target=entered,
            summary=_value_summary(_("Value of %(indicator)s for %(period)s entered"), entered),
            changes=audit_values(entered, VALUE_FIELDS),
            reason=reason,
        )
        return entered
    before = audit_values(stored, CORRECTED_FIELDS)
    stored.value = entered.value
    stored.source_document = entered.source_document
    stored.full_clean()
    as_stored(stored)
    changes = changed_values(before, audit_values(stored, CORRECTED_FIELDS))
    if not changes:
        return stored
    stored.entered_by = actor
    stored.entered_at = timezone.now()
    stored.save(update_fields=[*changes, "entered_by", "entered_at"])
    audit_record(
        actor=actor,
        action="outcome_value_correct",
        target=stored,
        summary=_value_summary(_("Value of %(indicator)s for %(period)s corrected"), stored),
        changes=changes,
        reason=reason,
    )
    return stored


@transaction.atomic
def outcome_value_void(*, actor: User, value: OutcomeValue, reason: str) -> OutcomeValue:
    """Voids an entered value entered by mistake: it leaves every figure and stays on record
    with who voided it, when and why. A new value may then be entered in its place."""
    stored = (
        OutcomeValue.objects.select_for_update(of=("self",))
        .select_related("indicator")
        .get(pk=value.pk)
    )
    _require_value_writer(actor, stored.municipality_id)
    if not (reason or "").strip():
        raise ValidationError(
            {"reason": _("Say why this record is voided; the reason is kept with it.")},
            code="no-reason",
        )
    if stored.is_voided:
        raise ValidationError(_("This record is already voided."), code="already-voided")
    stored.voided_at = timezone.now()
    stored.voided_by = actor
    stored.void_reason = reason.strip()
    stored.save(update_fields=["voided_at", "voided_by", "void_reason"])
    audit_record(
        actor=actor,
        action="outcome_value_void",
        target=stored,
        summary=_value_summary(_("Value of %(indicator)s for %(period)s voided"), stored),
        changes={"voided": [False, True], **audit_values(stored, ("value",))},
        reason=stored.void_reason,
    )
    return stored
