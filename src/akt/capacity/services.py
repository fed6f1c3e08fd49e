"""Writes to capacity development plans, their actions and the capacity assessments: one
function per action, each owning its transaction, its permission check and its audit entry.

Who may write: whoever may edit and may open the record (:mod:`akt.accounts.scope`): M&E
officers and administrators any, a municipality's focal point their municipality's; donors
read. An action is written by whoever may write its plan; an assessment by whoever may write
its municipality's plans (and its plan's, when it names one). A voided plan, its actions and
its assessments change only once the plan is restored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    audit_values,
    changed_values,
    record_create,
    record_update,
    refuse_voided,
    require_editor,
    require_writable,
)
from akt.accounts.voiding import record_restore, record_void
from akt.capacity.areas import area_rows
from akt.capacity.models import (
    ActionStatus,
    AssessmentScore,
    CapacityArea,
    CapacityAssessment,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
)
from akt.capacity.progress import HIGHEST_SCORE, LOWEST_SCORE
from akt.capacity.selectors import visible_municipalities
from akt.places.models import Municipality

PLAN_FIELDS = ("municipality", "title", "status", "adopted_on", "period_start", "period_end")
"""The plan's fields a list of plans imports (and compares when imported again)."""

PLAN_EDIT_FIELDS = (*PLAN_FIELDS, "decision_reference")
"""The fields :func:`plan_update` may change."""

ADOPTION_FIELDS = ("status", "adopted_on", "decision_reference")

ACTION_FIELDS = (
    "plan",
    "title",
    "capacity_area",
    "owner",
    "status",
    "due_date",
    "completed_on",
)
ACTION_EDIT_FIELDS = ACTION_FIELDS[1:]
"""The fields :func:`plan_action_update` may change (an action stays in its plan)."""

ASSESSMENT_FIELDS = ("municipality", "plan", "assessed_on", "assessed_by", "method")
ASSESSMENT_EDIT_FIELDS = ASSESSMENT_FIELDS[1:]
"""The fields :func:`assessment_update` may change (an assessment stays with its
municipality), besides the scores and their evidence."""


@transaction.atomic
def plan_create(
    *,
    actor: User,
    municipality: Municipality,
    title: str,
    period_start: date,
    period_end: date,
    status: str = PlanStatus.DRAFT,
    adopted_on: date | None = None,
) -> CapacityDevelopmentPlan:
    """Records a municipality's capacity development plan (a focal point: their own only)."""
    require_editor(actor)
    plan = CapacityDevelopmentPlan(
        municipality=municipality,
        title=title,
        status=status,
        adopted_on=adopted_on,
        period_start=period_start,
        period_end=period_end,
    )
    return record_create(
        actor=actor, record=plan, fields=PLAN_FIELDS, action="plan_create", summary=plan.title
    )


@transaction.atomic
def plan_update(
    *, actor: User, plan: CapacityDevelopmentPlan, data: Mapping[str, Any]
) -> CapacityDevelopmentPlan:
    """Changes a plan's fields (any of ``PLAN_EDIT_FIELDS``); audits old and new values.

    Adopting a draft is :func:`plan_adopt`; here an adopted plan's date or decision may be
    corrected."""
    plan, changes = record_update(actor=actor, record=plan, data=data, fields=PLAN_EDIT_FIELDS)
    if changes:
        audit_record(
            actor=actor,
            action="plan_update",
            target=plan,
            summary=plan.title,
            changes=changes,
        )
    return plan


@transaction.atomic
def plan_void(
    *, actor: User, plan: CapacityDevelopmentPlan, reason: str
) -> CapacityDevelopmentPlan:
    """Takes a mistaken plan out of every figure, its actions with it; it stays on record,
    marked voided, until :func:`plan_restore`. Who may: see :mod:`akt.accounts.voiding`
    (plans belong to a municipality, so administrators and M&E officers)."""
    return record_void(
        actor=actor,
        record=plan,
        reason=reason,
        action="plan_void",
        summary=_("Voided: %(title)s") % {"title": plan.title},
        consequences={"actions": plan.actions.count(), "assessments": plan.assessments.count()},
    )


@transaction.atomic
def plan_restore(
    *, actor: User, plan: CapacityDevelopmentPlan, reason: str
) -> CapacityDevelopmentPlan:
    """Brings a voided plan back into the figures."""
    return record_restore(
        actor=actor,
        record=plan,
        reason=reason,
        action="plan_restore",
        summary=_("Restored: %(title)s") % {"title": plan.title},
    )


def _not_in_future(day: date | None, field: str, message: str, errors: dict[str, str]) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(field, message)


@transaction.atomic
def plan_adopt(
    *,
    actor: User,
    plan: CapacityDevelopmentPlan,
    adopted_on: date | None,
    decision_reference: str,
) -> CapacityDevelopmentPlan:
    """The municipal assembly adopted a draft plan: it becomes adopted, on that day, by that
    decision, and counts from then on. A plan already adopted is refused."""
    stored = CapacityDevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
    require_writable(actor, stored)
    if stored.status == PlanStatus.ADOPTED:
        raise ValidationError(_("This plan is already adopted."), code="adopted")
    errors: dict[str, str] = {}
    decision_reference = (decision_reference or "").strip()
    if adopted_on is None:
        errors["adopted_on"] = _("An adopted plan needs its adoption date.")
    _not_in_future(
        adopted_on, "adopted_on", _("The adoption date cannot be in the future."), errors
    )
    if not decision_reference:
        errors["decision_reference"] = _(
            "Give the reference of the assembly's decision adopting the plan."
        )
    if errors:
        raise ValidationError(errors, code="adoption")
    plan, changes = record_update(
        actor=actor,
        record=stored,
        data={
            "status": PlanStatus.ADOPTED,
            "adopted_on": adopted_on,
            "decision_reference": decision_reference,
        },
        fields=ADOPTION_FIELDS,
    )
    audit_record(actor=actor, action="plan_adopt", target=plan, summary=plan.title, changes=changes)
    return plan


# -- plan actions -------------------------------------------------------------------------------


def action_date_problems(status: str, completed_on: date | None) -> dict[str, str]:
    """What is wrong with an action's completion date for its status, by field: a done action
    needs one, an action not done has none, and none lies in the future."""
    problems: dict[str, str] = {}
    if status == ActionStatus.DONE and completed_on is None:
        problems["completed_on"] = _("A done action needs its completion date.")
    if status != ActionStatus.DONE and completed_on is not None:
        problems["completed_on"] = _("Only a done action has a completion date.")
    _not_in_future(
        completed_on,
        "completed_on",
        _("The completion date cannot be in the future."),
        problems,
    )
    return problems


def _check_action(action: PlanAction) -> None:
    """What an action written on a page or by a service must hold beyond the model's fields: an
    area, and a completion date exactly when done."""
    errors = action_date_problems(action.status, action.completed_on)
    if action.capacity_area_id is None:
        errors["capacity_area"] = _("Choose the capacity area the action develops.")
    if errors:
        raise ValidationError(errors, code="action")


@transaction.atomic
def plan_action_create(
    *,
    actor: User,
    plan: CapacityDevelopmentPlan,
    title: str,
    capacity_area: CapacityArea | None,
    owner: str = "",
    status: str = ActionStatus.PLANNED,
    due_date: date | None = None,
    completed_on: date | None = None,
) -> PlanAction:
    """Adds an action to a plan the actor may write (not a voided one)."""
    require_editor(actor)
    plan = CapacityDevelopmentPlan.objects.select_for_update().get(pk=plan.pk)  # as stored now
    require_writable(actor, plan)
    action = PlanAction(
        plan=plan,
        title=title,
        capacity_area=capacity_area,
        owner=owner,
        status=status,
        due_date=due_date,
        completed_on=completed_on,
    )
    _check_action(action)
    action.full_clean()
    action.save()
    audit_record(
        actor=actor,
        action="plan_action_create",
        target=action,
        summary=action.title,
        changes=audit_values(action, ACTION_FIELDS),
    )
    return action


@transaction.atomic
def plan_action_update(*, actor: User, action: PlanAction, data: Mapping[str, Any]) -> PlanAction:
    """Changes an action's fields (any of ``ACTION_EDIT_FIELDS``: its status with the
    completion date among them); audits old and new values. Nothing changed, nothing saved."""
    unknown = set(data) - set(ACTION_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = (
        PlanAction.objects.select_for_update(of=("self",)).select_related("plan").get(pk=action.pk)
    )
    require_writable(actor, stored.plan)
    before = audit_values(stored, ACTION_EDIT_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    changes = changed_values(before, audit_values(stored, ACTION_EDIT_FIELDS))
    if not changes:
        return stored
    _check_action(stored)
    stored.full_clean()
    stored.save(update_fields=list(changes))
    audit_record(
        actor=actor,
        action="plan_action_update",
        target=stored,
        summary=stored.title,
        changes=changes,
    )
    return stored


# -- capacity assessments -----------------------------------------------------------------------


def _require_municipality_writable(actor: User, municipality_id: int) -> None:
    """Refuses an assessment of a municipality whose plans the actor may not write."""
    scope = Scope.for_user(actor)
    if not scope.may_edit or not visible_municipalities(scope).filter(pk=municipality_id).exists():
        raise PermissionDenied


def score_missing(area: CapacityArea) -> str:
    return _("Give “%(area)s” a score from 1 to 5.") % {"area": area.name}


def evidence_missing(area: CapacityArea) -> str:
    return _("Say what the score of “%(area)s” rests on.") % {"area": area.name}


def _checked_scores(
    scores: Mapping[str, Any], evidence: Mapping[str, str], *, every_area: bool
) -> dict[str, tuple[CapacityArea, int, str]]:
    """Area code -> (area, score, evidence), each score a whole number from 1 to 5 with the
    evidence it rests on; a problem is named by area, on the page's field for it
    (``score_<code>``, ``evidence_<code>``). With ``every_area``, every area must be scored."""
    by_code = {area.code: area for area in CapacityArea.objects.all()}
    unknown = (set(scores) | set(evidence)) - set(by_code)
    if unknown:
        raise ValidationError(
            _("Unknown capacity area: %(codes)s.") % {"codes": ", ".join(sorted(unknown))},
            code="area-unknown",
        )
    errors: dict[str, str] = {}
    checked: dict[str, tuple[CapacityArea, int, str]] = {}
    codes = list(by_code) if every_area else [code for code in by_code if code in scores]
    for code in codes:
        area = by_code[code]
        value = scores.get(code)
        text = (evidence.get(code) or "").strip()
        if value is None or value == "":
            errors[f"score_{code}"] = score_missing(area)
        elif (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not LOWEST_SCORE <= value <= HIGHEST_SCORE
        ):
            errors[f"score_{code}"] = _(
                "The score of “%(area)s” must be a whole number from 1 to 5, not %(value)s."
            ) % {"area": area.name, "value": value}
        if not text:
            errors[f"evidence_{code}"] = evidence_missing(area)
        if f"score_{code}" not in errors and f"evidence_{code}" not in errors:
            checked[code] = (area, int(value), text)  # type: ignore[arg-type]
    if errors:
        raise ValidationError(errors, code="scores")
    return checked


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _check_assessment_plan(actor: User, assessment: CapacityAssessment) -> None:
    """The plan an assessment names must be one the actor may write, as stored now."""
    if assessment.plan_id is not None:
        assessment.plan = CapacityDevelopmentPlan.objects.get(pk=assessment.plan_id)
        require_writable(actor, assessment.plan)


def _assessment_problems(assessment: CapacityAssessment) -> dict[str, list[str]]:
    """The assessment's own fields checked, each problem on the field a person corrects: the
    model's rules, a date not in the future, one assessment per municipality and day."""
    errors: dict[str, list[str]] = {}
    try:
        # The one constraint (municipality and day) is checked below, beside the date.
        assessment.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    day = assessment.assessed_on
    if day is not None and "assessed_on" not in errors:
        if day > timezone.localdate():
            errors["assessed_on"] = [_("The assessment date cannot be in the future.")]
        elif (
            CapacityAssessment.objects.filter(
                municipality_id=assessment.municipality_id, assessed_on=day
            )
            .exclude(pk=assessment.pk)
            .exists()
        ):
            errors["assessed_on"] = [_("This municipality already has an assessment on this date.")]
    return errors


@transaction.atomic
def assessment_record(
    *,
    actor: User,
    municipality: Municipality,
    assessed_on: date,
    assessed_by: str,
    scores: Mapping[str, int],
    evidence: Mapping[str, str],
    method: str = "",
    plan: CapacityDevelopmentPlan | None = None,
) -> CapacityAssessment:
    """Records an assessment of a municipality the actor may write: every capacity area
    (``scores`` and ``evidence`` by area code) scored from 1 to 5 with its evidence. A score
    out of the scale, or missing, or without evidence, is refused naming the area, and nothing
    is stored."""
    require_editor(actor)
    _require_municipality_writable(actor, municipality.pk)
    assessment = CapacityAssessment(
        municipality=municipality,
        plan=plan,
        assessed_on=assessed_on,
        assessed_by=assessed_by,
        method=method,
    )
    _check_assessment_plan(actor, assessment)
    errors = _assessment_problems(assessment)
    checked: dict[str, tuple[CapacityArea, int, str]] = {}
    try:
        checked = _checked_scores(scores, evidence, every_area=True)
    except ValidationError as error:
        errors.update(_by_field(error))
    if errors:
        raise ValidationError(errors)
    assessment.save()
    rows = [
        AssessmentScore(assessment=assessment, area=area, score=score, evidence=text)
        for area, score, text in checked.values()
    ]
    for row in rows:
        row.full_clean(exclude=["assessment", "area"], validate_constraints=False)
    AssessmentScore.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="assessment_record",
        target=assessment,
        summary=str(assessment),
        changes={
            **audit_values(assessment, ASSESSMENT_FIELDS),
            "scores": {code: score for code, (_a, score, _t) in checked.items()},
            "evidence": {code: text for code, (_a, _s, text) in checked.items()},
        },
    )
    return assessment


@transaction.atomic
def assessment_update(
    *,
    actor: User,
    assessment: CapacityAssessment,
    data: Mapping[str, Any],
    scores: Mapping[str, int] | None = None,
    evidence: Mapping[str, str] | None = None,
) -> CapacityAssessment:
    """Corrects an assessment: its fields (any of ``ASSESSMENT_EDIT_FIELDS``) and the scores
    and evidence of the areas given (an area it did not score is added). Audits old and new
    values, scores and evidence by area code."""
    unknown = set(data) - set(ASSESSMENT_EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored = (
        CapacityAssessment.objects.select_for_update(of=("self",))
        .select_related("plan", "municipality")
        .get(pk=assessment.pk)
    )
    _require_municipality_writable(actor, stored.municipality_id)
    if stored.plan is not None:
        refuse_voided(stored.plan)
    before = audit_values(stored, ASSESSMENT_EDIT_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    _check_assessment_plan(actor, stored)
    errors = _assessment_problems(stored)
    checked: dict[str, tuple[CapacityArea, int, str]] = {}
    if scores is not None or evidence is not None:
        current = {row.area.code: row for row in stored.scores.select_related("area")}
        given_scores = {code: row.score for code, row in current.items()}
        given_evidence = {code: row.evidence for code, row in current.items()}
        given_scores.update(scores or {})
        given_evidence.update(evidence or {})
        try:
            checked = _checked_scores(given_scores, given_evidence, every_area=False)
        except ValidationError as error:
            errors.update(_by_field(error))
    if errors:
        raise ValidationError(errors)
    changes: dict[str, Any] = changed_values(before, audit_values(stored, ASSESSMENT_EDIT_FIELDS))
    if changes:
        stored.save(update_fields=list(changes))
    if checked:
        score_changes, evidence_changes = _save_scores(stored, checked)
        if score_changes:
            changes["scores"] = score_changes
        if evidence_changes:
            changes["evidence"] = evidence_changes
    if changes:
        audit_record(
            actor=actor,
            action="assessment_update",
            target=stored,
            summary=str(stored),
            changes=changes,
        )
    return stored


def _save_scores(
    assessment: CapacityAssessment, checked: Mapping[str, tuple[CapacityArea, int, str]]
) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
    """Writes the checked scores; returns ``{code: [old, new]}`` for scores and evidence."""
    current = {row.area_id: row for row in assessment.scores.all()}
    score_changes: dict[str, list[Any]] = {}
    evidence_changes: dict[str, list[Any]] = {}
    for code, (area, score, text) in checked.items():
        row = current.get(area.pk)
        if row is None:
            AssessmentScore.objects.create(
                assessment=assessment, area=area, score=score, evidence=text
            )
            score_changes[code] = [None, score]
            evidence_changes[code] = [None, text]
            continue
        fields = []
        if row.score != score:
            score_changes[code] = [row.score, score]
            row.score = score
            fields.append("score")
        if row.evidence != text:
            evidence_changes[code] = [row.evidence, text]
            row.evidence = text
            fields.append("evidence")
        if fields:
            row.save(update_fields=fields)
    return score_changes, evidence_changes


@transaction.atomic
def capacity_areas_load() -> int:
    """Creates or updates the capacity areas from ``data/areas.yaml`` (the migration loads them
    first; this is for a database emptied since). Safe to run again; returns how many."""
    rows = area_rows()
    for row in rows:
        CapacityArea.objects.update_or_create(
            code=row["code"], defaults={k: v for k, v in row.items() if k != "code"}
        )
    return len(rows)
