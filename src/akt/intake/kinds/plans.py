"""Lists of capacity development plans and of their actions (an action names its plan by the
plan's reference or title)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from akt.capacity.areas import area_code_for_text
from akt.capacity.models import (
    ActionStatus,
    CapacityArea,
    CapacityDevelopmentPlan,
    PlanAction,
    PlanStatus,
)
from akt.capacity.services import PLAN_FIELDS
from akt.intake.fields import Field
from akt.intake.kinds.activities import TITLE
from akt.intake.kinds.base import (
    RecordKind,
    RowReader,
    iso,
    named_table,
    reference_field,
    register_choices,
)
from akt.intake.kinds.organizations import MUNICIPALITY
from akt.intake.kinds.projects import STATUS_ALIASES
from akt.intake.models import ImportKind

PLAN_STATUSES = register_choices("plan_status", PlanStatus)
ACTION_STATUSES = register_choices("action_status", ActionStatus)


class PlansKind(RecordKind[CapacityDevelopmentPlan]):
    code = ImportKind.PLANS
    model = CapacityDevelopmentPlan
    action = "plan_create"
    choices = {"status": PLAN_STATUSES}
    columns = (
        reference_field("external_ref", _("The plan's number in your list.")),
        MUNICIPALITY,
        TITLE,
        Field(
            "status",
            _("Status"),
            _("Draft or adopted; blank means adopted when an adoption date is given."),
            STATUS_ALIASES,
        ),
        Field(
            "adopted_on",
            _("Adopted on"),
            _("The date the municipality adopted the plan."),
            (
                "adopted on",
                "adoption date",
                "adopted",
                "miratuar",
                "data e miratimit",
                "usvojen",
                "datum usvajanja",
                "датум усвајања",
            ),
        ),
        Field(
            "period_start",
            _("Period start"),
            _("The first day the plan covers."),
            (
                "period start",
                "from",
                "start",
                "prej",
                "fillimi",
                "od",
                "pocetak",
                "početak",
                "почетак",
            ),
        ),
        Field(
            "period_end",
            _("Period end"),
            _("The last day the plan covers."),
            ("period end", "to", "until", "end", "deri", "mbarimi", "do", "kraj", "крај"),
        ),
    )
    compared = ("external_ref", *PLAN_FIELDS)

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        start = reader.date("period_start", required=True)
        end = reader.date("period_end", required=True)
        reader.dates_in_order("period_start", "period_end", start, end)
        adopted = reader.date("adopted_on")
        default = PlanStatus.ADOPTED if adopted else PlanStatus.DRAFT
        status = reader.choice("status", PLAN_STATUSES, default=default)
        if status == PlanStatus.ADOPTED and not adopted and not reader.text("adopted_on"):
            reader.problem("adopted_on", "required", "", fields=["adopted_on"])
        return {
            "external_ref": reader.required("external_ref"),
            "municipality": reader.municipality(),
            "title": reader.required("title"),
            "status": status,
            "adopted_on": iso(adopted),
            "period_start": iso(start),
            "period_end": iso(end),
        }


class PlanActionsKind(RecordKind[PlanAction]):
    code = ImportKind.PLAN_ACTIONS
    model = PlanAction
    action = "plan_action_create"
    choices = {"status": ACTION_STATUSES}
    columns = (
        reference_field("external_ref", _("The action's number in your list.")),
        Field(
            "plan",
            _("Plan"),
            _("The plan the action belongs to: its reference or its title."),
            ("plan", "capacity plan", "plani", "plan razvoja", "план"),
        ),
        TITLE,
        Field(
            "area",
            _("Capacity area"),
            _("The area of capacity the action develops."),
            ("area", "capacity area", "fusha", "oblast", "област"),
        ),
        Field(
            "status",
            _("Status"),
            _("Planned, in progress or done; blank means planned."),
            STATUS_ALIASES,
        ),
        Field(
            "due_date",
            _("Due date"),
            _("YYYY-MM-DD or DD.MM.YYYY; blank when none was set."),
            ("due date", "deadline", "afati", "rok", "рок"),
        ),
    )
    compared = ("external_ref", "plan", "title", "area", "capacity_area", "status", "due_date")

    def lookups(self) -> dict[str, Any]:
        return {
            "areas": dict(CapacityArea.objects.values_list("code", "pk")),
            "plans": named_table(
                (pk, [ref, title] if ref else [title])
                for pk, ref, title in CapacityDevelopmentPlan.objects.values_list(
                    "pk", "external_ref", "title"
                )
            ),
        }

    def scope_target(self, record: Any) -> Any:
        return record.plan  # an action is written by whoever may write its plan

    def read(self, reader: RowReader, lookups: Mapping[str, Any]) -> dict[str, Any]:
        plan = reader.named("plan", lookups["plans"], CapacityDevelopmentPlan)
        if plan is None and not reader.text("plan"):
            reader.problem("plan", "required", "", fields=["plan"])
        return {
            "external_ref": reader.required("external_ref"),
            "plan": plan,
            "title": reader.required("title"),
            "area": reader.required("area"),
            # The area the words name (in any language), else none: a person chooses it.
            "capacity_area": lookups["areas"].get(area_code_for_text(reader.text("area")) or ""),
            "status": reader.choice("status", ACTION_STATUSES, default=ActionStatus.PLANNED),
            "due_date": iso(reader.date("due_date")),
        }
