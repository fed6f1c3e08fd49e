"""Writes after the award: disbursement tranches, monitoring visits and follow-up outcomes.

Tranches are money: the program's own staff plan and pay them (:func:`rules.manages_grant_money`);
the planned tranches of a grant add up to no more than the award, and so do the payments. Visits
and outcomes are recorded by whoever may change the grant (a focal point of its municipality
too). Each function owns its transaction and audit entry; a refused write stores nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.services import audit_record, audit_values, changed_values, require_writable
from akt.grants.models import Grant, GrantOutcome, JobsCreated, MonitoringVisit, Tranche
from akt.grants.rules import manages_grant_money
from akt.grants.services import money_text
from akt.places.models import Community

TRANCHE_FIELDS = ("number", "milestone", "planned_amount", "due_on", "paid_on", "paid_amount")
VISIT_FIELDS = ("visited_on", "visitor", "findings", "follow_up_needed", "follow_up")
OUTCOME_FIELDS = ("reported_on", "sales_amount", "sales_currency", "new_products")

JobCells = Mapping[tuple[str, Community | None], int]
"""Jobs created by (sex, community): "" and None are the unknown cells."""


def _locked_grant(actor: User, grant: Grant, *, money: bool) -> Grant:
    """The grant's row, locked so that two tranche writes add up one after the other."""
    stored = Grant.objects.select_for_update().get(pk=grant.pk)
    if money and not manages_grant_money(actor, stored):
        raise PermissionDenied
    require_writable(actor, stored)
    return stored


def _not_before_award(grant: Grant, day: date | None, field: str, message: str) -> None:
    if day is not None and day < grant.award_date:
        raise ValidationError(
            {field: message % {"date": date_format(grant.award_date, "DATE_FORMAT")}},
            code="before-award",
        )


def _check_sums(grant: Grant, tranche: Tranche) -> None:
    others = grant.tranches.exclude(pk=tranche.pk) if tranche.pk else grant.tranches.all()
    totals = others.aggregate(planned=Sum("planned_amount"), paid=Sum("paid_amount"))
    planned = (totals["planned"] or Decimal(0)) + (tranche.planned_amount or Decimal(0))
    paid = (totals["paid"] or Decimal(0)) + (tranche.paid_amount or Decimal(0))
    award = money_text(grant.amount, grant.currency)
    if planned > grant.amount:
        raise ValidationError(
            {
                "planned_amount": _(
                    "The tranches would add up to %(total)s, more than the award of %(award)s."
                )
                % {"total": money_text(planned, grant.currency), "award": award}
            },
            code="above-award",
        )
    if paid > grant.amount:
        raise ValidationError(
            {
                "paid_amount": _(
                    "The payments would add up to %(total)s, more than the award of %(award)s."
                )
                % {"total": money_text(paid, grant.currency), "award": award}
            },
            code="above-award",
        )


def _tranche_save(actor: User, grant: Grant, tranche: Tranche, action: str, before: dict) -> None:
    _not_before_award(
        grant, tranche.due_on, "due_on", _("A tranche cannot fall due before the award (%(date)s).")
    )
    _not_before_award(
        grant,
        tranche.paid_on,
        "paid_on",
        _("A tranche cannot be paid before the award (%(date)s)."),
    )
    if tranche.paid_on is not None and tranche.paid_on > date.today():
        raise ValidationError({"paid_on": _("The date is in the future.")}, code="future")
    tranche.full_clean()
    _check_sums(grant, tranche)
    after = audit_values(tranche, TRANCHE_FIELDS)
    changes = after if not before else changed_values(before, after)
    if changes:
        tranche.save()
        audit_record(
            actor=actor,
            action=action,
            target=tranche,
            summary=str(tranche),
            changes={**changes, "grant": grant.reference},
        )


@transaction.atomic
def tranche_create(
    *, actor: User, grant: Grant, milestone: str, planned_amount: Decimal, due_on: date
) -> Tranche:
    """Plans the grant's next tranche, due on reaching ``milestone``."""
    stored = _locked_grant(actor, grant, money=True)
    number = (stored.tranches.aggregate(last=Max("number"))["last"] or 0) + 1
    tranche = Tranche(
        grant=stored,
        number=number,
        milestone=milestone.strip(),
        planned_amount=planned_amount,
        due_on=due_on,
    )
    _tranche_save(actor, stored, tranche, "tranche_create", {})
    return tranche


@transaction.atomic
def tranche_update(*, actor: User, tranche: Tranche, data: Mapping[str, Any]) -> Tranche:
    """Changes a tranche's milestone, planned amount or due date."""
    unknown = set(data) - {"milestone", "planned_amount", "due_on"}
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored_grant = _locked_grant(actor, tranche.grant, money=True)
    stored = stored_grant.tranches.get(pk=tranche.pk)
    before = audit_values(stored, TRANCHE_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value.strip() if name == "milestone" else value)
    _tranche_save(actor, stored_grant, stored, "tranche_update", before)
    return stored


@transaction.atomic
def tranche_pay(
    *, actor: User, tranche: Tranche, paid_on: date, paid_amount: Decimal | None = None
) -> Tranche:
    """Records the payment of a tranche (its planned amount unless another is given); paying a
    paid tranche again corrects the payment, the audit keeping both."""
    stored_grant = _locked_grant(actor, tranche.grant, money=True)
    stored = stored_grant.tranches.get(pk=tranche.pk)
    before = audit_values(stored, TRANCHE_FIELDS)
    stored.paid_on = paid_on
    stored.paid_amount = paid_amount if paid_amount is not None else stored.planned_amount
    _tranche_save(actor, stored_grant, stored, "tranche_pay", before)
    return stored


# -- visits ------------------------------------------------------------------------------------


def _visit_save(
    actor: User, grant: Grant, visit: MonitoringVisit, action: str, before: dict
) -> None:
    _not_before_award(
        grant, visit.visited_on, "visited_on", _("A visit comes after the award (%(date)s).")
    )
    visit.visitor = visit.visitor.strip()
    if not visit.follow_up_needed:
        visit.follow_up = visit.follow_up.strip()
    visit.full_clean()
    after = audit_values(visit, VISIT_FIELDS)
    changes = after if not before else changed_values(before, after)
    if changes:
        visit.save()
        audit_record(
            actor=actor,
            action=action,
            target=visit,
            summary=str(visit),
            changes={**changes, "grant": grant.reference},
        )


@transaction.atomic
def visit_create(
    *,
    actor: User,
    grant: Grant,
    visited_on: date,
    visitor: str,
    findings: str,
    follow_up_needed: bool = False,
    follow_up: str = "",
) -> MonitoringVisit:
    """Records a monitoring visit to the grant's recipient."""
    stored = _locked_grant(actor, grant, money=False)
    visit = MonitoringVisit(
        grant=stored,
        visited_on=visited_on,
        visitor=visitor,
        findings=findings,
        follow_up_needed=follow_up_needed,
        follow_up=follow_up or "",
    )
    _visit_save(actor, stored, visit, "visit_create", {})
    return visit


@transaction.atomic
def visit_update(
    *, actor: User, visit: MonitoringVisit, data: Mapping[str, Any]
) -> MonitoringVisit:
    unknown = set(data) - set(VISIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored_grant = _locked_grant(actor, visit.grant, money=False)
    stored = stored_grant.visits.get(pk=visit.pk)
    before = audit_values(stored, VISIT_FIELDS)
    for name, value in data.items():
        setattr(stored, name, value)
    _visit_save(actor, stored_grant, stored, "visit_update", before)
    return stored


# -- outcomes ----------------------------------------------------------------------------------


def _cells(jobs: JobCells) -> dict[tuple[str, int | None], int]:
    cells: dict[tuple[str, int | None], int] = {}
    for (sex, community), count in jobs.items():
        if count is None or count == 0:
            continue
        if count < 0:
            raise ValidationError(_("A number of jobs cannot be negative."), code="negative")
        key = (sex or "", community.pk if community is not None else None)
        cells[key] = cells.get(key, 0) + int(count)
    return cells


def _stored_cells(outcome: GrantOutcome) -> dict[tuple[str, int | None], int]:
    return {(cell.sex, cell.community_id): cell.count for cell in outcome.jobs.all()}


def _cells_audit(cells: Mapping[tuple[str, int | None], int]) -> list[list[Any]]:
    return sorted([[sex, community, count] for (sex, community), count in cells.items()], key=str)


def _outcome_save(
    actor: User,
    grant: Grant,
    outcome: GrantOutcome,
    jobs: JobCells | None,
    action: str,
    before: dict,
) -> None:
    _not_before_award(
        grant,
        outcome.reported_on,
        "reported_on",
        _("A follow-up comes after the award (%(date)s)."),
    )
    outcome.new_products = outcome.new_products.strip()
    outcome.full_clean()
    after = audit_values(outcome, OUTCOME_FIELDS)
    changes: dict[str, Any] = after if not before else changed_values(before, after)
    cells = _cells(jobs) if jobs is not None else None
    if cells is not None:
        old = _stored_cells(outcome) if outcome.pk else {}
        if old != cells or not before:
            changes["jobs"] = _cells_audit(cells)
    if not changes:
        return
    outcome.save()
    if cells is not None:
        outcome.jobs.all().delete()
        JobsCreated.objects.bulk_create(
            [
                JobsCreated(outcome=outcome, sex=sex, community_id=community, count=count)
                for (sex, community), count in sorted(cells.items(), key=str)
            ]
        )
    audit_record(
        actor=actor,
        action=action,
        target=outcome,
        summary=str(outcome),
        changes={**changes, "grant": grant.reference},
    )


@transaction.atomic
def outcome_create(
    *,
    actor: User,
    grant: Grant,
    reported_on: date,
    jobs: JobCells,
    sales_amount: Decimal | None = None,
    sales_currency: str = "",
    new_products: str = "",
) -> GrantOutcome:
    """Records a follow-up: jobs created since the previous one by sex and community, sales
    over the same time, new products."""
    stored = _locked_grant(actor, grant, money=False)
    outcome = GrantOutcome(
        grant=stored,
        reported_on=reported_on,
        sales_amount=sales_amount,
        sales_currency=sales_currency or "",
        new_products=new_products or "",
    )
    _outcome_save(actor, stored, outcome, jobs, "outcome_create", {})
    return outcome


@transaction.atomic
def outcome_update(*, actor: User, outcome: GrantOutcome, data: Mapping[str, Any]) -> GrantOutcome:
    """Changes a follow-up: any of ``OUTCOME_FIELDS``, and ``jobs`` (all its cells at once)."""
    values = dict(data)
    jobs = values.pop("jobs", None)
    unknown = set(values) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    stored_grant = _locked_grant(actor, outcome.grant, money=False)
    stored = stored_grant.outcomes.get(pk=outcome.pk)
    before = audit_values(stored, OUTCOME_FIELDS)
    for name, value in values.items():
        setattr(stored, name, value if value is not None or name == "sales_amount" else "")
    _outcome_save(actor, stored_grant, stored, jobs, "outcome_update", before)
    return stored
