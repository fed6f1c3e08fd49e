"""Work plans: the activities a quarter is meant to hold, and what was held against them.

- :func:`planned_activity_create`, :func:`planned_activity_update`: an entry of a quarter's work
  plan (its quarter is the quarter of its planned date; moving the date postpones it);
- :func:`planned_activity_hold`: the activity it was held as (of its municipality, dated in or
  after the quarter it was planned for);
- :func:`planned_activity_cancel`: cancelled, with the reason;
- :func:`planned_against_held`: per component and municipality, what was planned, held,
  cancelled and held without a plan in a window: the work plan's progress.

Every write checks the actor's scope (a planned activity is seen and written like an activity:
by municipality or component) and leaves an audit entry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from akt.accounts.models import User
from akt.accounts.scope import Scope
from akt.accounts.services import (
    audit_record,
    audit_values,
    changed_values,
    require_editor,
    require_writable,
)
from akt.activities.models import Activity, PlannedActivity

PLANNED_FIELDS = (
    "title",
    "kind",
    "component",
    "municipality",
    "planned_date",
    "expected_participants",
    "notes",
)


def _check(planned: PlannedActivity) -> None:
    planned.full_clean(exclude=["held_as"])


@transaction.atomic
def planned_activity_create(*, actor: User, data: Mapping[str, Any]) -> PlannedActivity:
    """Adds an activity to the work plan of the quarter of its planned date."""
    require_editor(actor)
    unknown = set(data) - set(PLANNED_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    planned = PlannedActivity(**data)
    _check(planned)
    planned.save()
    require_writable(actor, planned)
    audit_record(
        actor=actor,
        action="planned_activity_create",
        target=planned,
        summary=planned.title,
        changes=audit_values(planned, PLANNED_FIELDS),
    )
    return planned


@transaction.atomic
def planned_activity_update(
    *, actor: User, planned: PlannedActivity, data: Mapping[str, Any]
) -> PlannedActivity:
    """Changes a planned activity; a new date postpones (or brings forward) it, and the audit
    entry keeps the date it had."""
    planned = PlannedActivity.objects.select_for_update().get(pk=planned.pk)
    require_writable(actor, planned)
    unknown = set(data) - set(PLANNED_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = audit_values(planned, PLANNED_FIELDS)
    for name, value in data.items():
        setattr(planned, name, value)
    _check(planned)
    changes = changed_values(before, audit_values(planned, PLANNED_FIELDS))
    if not changes:
        return planned
    planned.save()
    require_writable(actor, planned)  # not moved out of the actor's part
    audit_record(
        actor=actor,
        action="planned_activity_update",
        target=planned,
        summary=planned.title,
        changes=changes,
    )
    return planned


@transaction.atomic
def planned_activity_hold(
    *, actor: User, planned: PlannedActivity, activity: Activity | None
) -> PlannedActivity:
    """Records the activity a planned one was held as (None: not held after all). The activity
    is of the same municipality, not voided, not held for another plan, and not earlier than
    the quarter the plan was made for."""
    planned = PlannedActivity.objects.select_for_update().get(pk=planned.pk)
    require_writable(actor, planned)
    if activity is not None:
        if not Scope.for_user(actor).may_see(activity):
            raise ValidationError({"held_as": _("Choose an activity you may see.")})
        if activity.municipality_id != planned.municipality_id:
            raise ValidationError(
                {"held_as": _("The activity was held in another municipality than planned.")}
            )
        if activity.is_voided:
            raise ValidationError({"held_as": _("The activity is voided.")})
        other = PlannedActivity.objects.filter(held_as=activity).exclude(pk=planned.pk).first()
        if other is not None:
            raise ValidationError(
                {
                    "held_as": _("The activity is already recorded as held for “%(plan)s”.")
                    % {"plan": other.title}
                }
            )
        if planned.cancelled_on is not None:
            raise ValidationError(
                {"held_as": _("The planned activity was cancelled; change that first.")}
            )
    before = planned.held_as_id
    planned.held_as = activity
    planned.save(update_fields=["held_as"])
    audit_record(
        actor=actor,
        action="planned_activity_hold",
        target=planned,
        summary=planned.title,
        changes={"held_as": [before, activity.pk if activity else None]},
    )
    return planned


@transaction.atomic
def planned_activity_cancel(
    *, actor: User, planned: PlannedActivity, on: date, reason: str
) -> PlannedActivity:
    """Cancels a planned activity not held, with the reason (kept on it and in the audit)."""
    planned = PlannedActivity.objects.select_for_update().get(pk=planned.pk)
    require_writable(actor, planned)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the activity was cancelled.")})
    if planned.held_as_id is not None:
        raise ValidationError(
            {"reason": _("The activity was held; it is not cancelled afterwards.")}
        )
    planned.cancelled_on = on
    planned.cancel_reason = reason.strip()
    planned.save(update_fields=["cancelled_on", "cancel_reason"])
    audit_record(
        actor=actor,
        action="planned_activity_cancel",
        target=planned,
        summary=planned.title,
        changes={"cancelled_on": on.isoformat()},
        reason=reason.strip(),
    )
    return planned


# -- planned against held ----------------------------------------------------------------------


@dataclass
class PlanProgress:
    """One line of planned against held: a component in a municipality (or a total)."""

    planned: int = 0  # not cancelled
    held: int = 0  # of those, held
    cancelled: int = 0
    overdue: int = 0  # planned date passed, neither held nor cancelled
    unplanned: int = 0  # activities held in the window that no plan names

    @property
    def share_held(self) -> int | None:
        """Percent of the planned activities held; None with nothing planned."""
        return round(100 * self.held / self.planned) if self.planned else None


def planned_against_held(
    scope: Scope, start: date, end: date, today: date
) -> dict[tuple[int, int], PlanProgress]:
    """Per (component id, municipality id) in the viewer's scope, what was planned with a
    date in ``start``..``end`` and what became of it, and the activities held then without a
    plan. ``today`` tells an overdue plan (its date passed) from one still to come."""
    lines: dict[tuple[int, int], PlanProgress] = defaultdict(PlanProgress)
    plans = scope.activities(PlannedActivity.objects.all()).in_window(start, end)
    for component, municipality, held, cancelled, planned_on in plans.values_list(
        "component_id", "municipality_id", "held_as_id", "cancelled_on", "planned_date"
    ):
        line = lines[component, municipality]
        if cancelled is not None:
            line.cancelled += 1
            continue
        line.planned += 1
        if held is not None:
            line.held += 1
        elif planned_on < today:
            line.overdue += 1
    held_activities = scope.activities(Activity.objects.counted()).filter(
        start_date__gte=start, start_date__lte=end, planned_as__isnull=True
    )
    for component, municipality in held_activities.values_list("component_id", "municipality_id"):
        lines[component, municipality].unplanned += 1
    return dict(lines)
