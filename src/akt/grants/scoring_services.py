"""The committee's writes: a member's declaration of a conflict of interest, then their scores.

A member works on one application at a time, in this order:

1. declares whether they have a conflict of interest with it (once; a conflict is explained);
2. without a conflict, scores every criterion of the call from 0 to its maximum, with an
   optional comment, and submits; submitted scores no longer change.

A member with a conflict never scores the application. Until a member has submitted their own
scores for an application, they see nobody else's
(:func:`akt.grants.selectors.visible_score_sheets`).
Scoring opens when the call is closed; the first submission makes the application "scored".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.accounts.models import AuditEntry, User
from akt.accounts.services import audit_record
from akt.grants.models import (
    Application,
    ApplicationStatus,
    CallStatus,
    Criterion,
    CriterionScore,
    ScoreSheet,
)
from akt.grants.rules import on_committee

SCORED_STATUSES = (ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED)


@dataclass(frozen=True)
class ScoreInput:
    criterion: Criterion
    points: int
    comment: str = ""


def _application_for(actor: User, application: Application) -> Application:
    stored = Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    if not on_committee(actor, stored.call):
        raise PermissionDenied
    if stored.status not in SCORED_STATUSES:
        raise ValidationError(
            _("Only eligible applications are scored; this one's status is “%(status)s”.")
            % {"status": stored.get_status_display()},
            code="not-eligible",
        )
    if entered_by(actor, stored):
        raise ValidationError(
            _("You entered this application; the other members of the committee score it."),
            code="own-application",
        )
    return stored


def entered_by(actor: User, application: Application) -> bool:
    """Whether ``actor`` entered ``application`` (its audit entry says who): the one who took
    it in does not judge it, as the one who submits a quarter does not approve it."""
    return AuditEntry.objects.filter(
        action="application_create",
        target_type=Application._meta.label_lower,
        target_id=str(application.pk),
        actor=actor,
    ).exists()


@transaction.atomic
def application_conflict_declare(
    *, actor: User, application: Application, has_conflict: bool, note: str = ""
) -> ScoreSheet:
    """Records a committee member's declaration about ``application``, once."""
    stored = _application_for(actor, application)
    if stored.call.status not in (CallStatus.OPEN, CallStatus.CLOSED):
        raise ValidationError(
            _("The call's status is “%(status)s”; the committee does not work on it now.")
            % {"status": stored.call.get_status_display()},
            code="call-status",
        )
    existing = ScoreSheet.objects.filter(application=stored, member=actor).first()
    if existing is not None:
        raise ValidationError(
            _("You declared on %(date)s already; a declaration does not change.")
            % {"date": date_format(timezone.localtime(existing.declared_at), "DATE_FORMAT")},
            code="declared",
        )
    note = (note or "").strip()
    if has_conflict and not note:
        raise ValidationError({"note": _("Say what the conflict of interest is.")}, code="required")
    sheet = ScoreSheet(
        application=stored,
        member=actor,
        has_conflict=has_conflict,
        conflict_note=note if has_conflict else "",
        declared_at=timezone.now(),
    )
    sheet.full_clean()
    sheet.save()
    audit_record(
        actor=actor,
        action="application_conflict_declare",
        target=sheet,
        summary=str(stored),
        changes={"has_conflict": has_conflict, "conflict_note": sheet.conflict_note},
    )
    return sheet


@transaction.atomic
def application_score_submit(
    *, actor: User, application: Application, scores: Sequence[ScoreInput]
) -> ScoreSheet:
    """Submits a member's scores for every criterion of the call; they no longer change."""
    stored = _application_for(actor, application)
    if stored.call.status != CallStatus.CLOSED:
        raise ValidationError(
            _("Scoring opens when the call is closed; its status is “%(status)s”.")
            % {"status": stored.call.get_status_display()},
            code="call-status",
        )
    sheet = ScoreSheet.objects.select_for_update().filter(application=stored, member=actor).first()
    if sheet is None:
        raise ValidationError(
            _("Declare first whether you have a conflict of interest with this application."),
            code="undeclared",
        )
    if sheet.has_conflict:
        raise ValidationError(
            _("You declared a conflict of interest with this application; you do not score it."),
            code="conflict",
        )
    if sheet.submitted_at is not None:
        raise ValidationError(
            _("You submitted your scores on %(date)s; they no longer change.")
            % {"date": date_format(timezone.localtime(sheet.submitted_at), "DATE_FORMAT")},
            code="submitted",
        )
    criteria = {criterion.pk: criterion for criterion in stored.call.criteria.all()}
    given = [item.criterion.pk for item in scores]
    errors: list[str] = []
    if len(given) != len(set(given)) or set(given) != set(criteria):
        errors.append(_("Score every criterion of the call, each once."))
    for item in scores:
        criterion = criteria.get(item.criterion.pk)
        if criterion is None:
            continue
        if item.points is None or not 0 <= item.points <= criterion.max_score:
            errors.append(
                _("“%(criterion)s”: the score must be between 0 and %(max)s.")
                % {"criterion": criterion.name, "max": criterion.max_score}
            )
    if errors:
        raise ValidationError(errors, code="invalid")
    rows = [
        CriterionScore(
            sheet=sheet,
            criterion=criteria[item.criterion.pk],
            points=item.points,
            comment=(item.comment or "").strip(),
        )
        for item in scores
    ]
    for row in rows:
        row.full_clean(validate_constraints=False)
    CriterionScore.objects.bulk_create(rows)
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["submitted_at"])
    if stored.status == ApplicationStatus.ELIGIBLE:
        stored.status = ApplicationStatus.SCORED
        stored.save(update_fields=["status"])
    changes: dict[str, Any] = {
        "scores": {row.criterion.name: row.points for row in rows},
        "comments": {row.criterion.name: row.comment for row in rows if row.comment},
    }
    audit_record(
        actor=actor,
        action="application_score_submit",
        target=sheet,
        summary=str(stored),
        changes=changes,
    )
    return sheet
