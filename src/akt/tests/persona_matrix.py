"""The persona × endpoint matrix: for every URL pattern of the project, how to fill its
arguments with records of :func:`akt.testing.persona_world.persona_world`, and what each
persona gets.

A row is keyed by the pattern's name (``namespace:name``). Its variants name the records that
fill the arguments (or the query string): ``G`` the Gračanica side's (the communication
component's), ``Z`` the Zvečan side's (the economic component's), ``""`` a pattern without a
record; a few patterns have others (a natural person's farm, a Gračanica record resolved to a
Zvečan person, a job of the Gračanica focal point's).

An expectation is one status per persona, in the order of :data:`PERSONAS`, separated by
spaces; ``-`` means the request is not made. ``get`` is what a GET answers. ``post`` is what a
POST answers; when a row does not give it, every persona refused on GET (403 or 404, an
anonymous visitor's 302 to sign in) is refused the same way on POST, and the others are not
asked (a POST of theirs would change the records the other rows need). A POST is only ever
made by a persona expected to be refused, never to perform the action. Patterns in
:data:`READ_ONLY` answer GET only and are not posted to.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from akt.testing.persona_world import FISCAL_YEAR, QUARTER, PersonaWorld, Side

PERSONAS = (
    "admin",
    "me",
    "staff",
    "staff_other",
    "focal_gracanica",
    "focal_zvecan",
    "donor",
    "anonymous",
)
"""``staff`` is the economic component's staff member, ``staff_other`` the communication
component's."""

REFUSED = frozenset({"403", "404"})
"""A signed-in persona's refusals; an anonymous visitor's is 302 (to sign in)."""

READ_ONLY = frozenset(
    {
        "accounts:password_change_done",
        "accounts:password_reset_complete",
        "accounts:password_reset_done",
        "audit:log",
        "indicators:framework",
        "indicators:sheet",
        "indicators:values",
        "intake:batch_detail",
        "intake:batch_problems",
        "intake:folder_check",
        "intake:roster",
        "intake:template",
        "intake:xlsform",
        "linkage:merge_list",
        "linkage:review_cluster",
        "linkage:review_list",
        "linkage:review_pair",
        "operations:health",
        "people:person_export_json",
        "people:person_export_xlsx",
        "reports:composition",
        "reports:composition_activities",
        "reports:dashboard",
        "reports:home",
        "reports:indicator",
        "reports:map",
        "reports:municipality",
        "reports:narratives",
        "reports:period",
        "reports:period_figure",
        "reports:period_report",
        "reports:periods",
        "reports:property_tax",
        "reports:report",
        "reports:report_download",
        "reports:stories",
        "reports:story",
        "reports:tracking",
        "reports:tracking_download",
    }
)
"""Patterns that answer GET only (a POST is 405 for everyone): they are not posted to."""

SKIPPED_NAMESPACES = frozenset({"admin"})
"""The admin site's own pages are Django's; only its index is asked (row ``admin:index``)."""
SKIPPED_NAMES = frozenset({"set_language"})
"""Choosing a language (Django's ``i18n`` view) shows no record."""

Args = Callable[[PersonaWorld], dict[str, Any]]
Query = Callable[[PersonaWorld], str]


@dataclass(frozen=True)
class Row:
    args: Mapping[str, Args]
    """Per variant, the pattern's arguments."""
    get: Mapping[str, str]
    post: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, Query] = field(default_factory=dict)
    """Per variant, a query string added to the address (``?activity=`` a side's activity)."""


def _statuses(text: str) -> tuple[str, ...]:
    statuses = tuple(text.split())
    if len(statuses) != len(PERSONAS):
        raise ValueError(f"{text!r}: one status per persona ({len(PERSONAS)})")
    return statuses


def expected(name: str, variant: str, persona: str, method: str) -> str:
    """The status ``persona`` gets for ``method`` on ``variant`` of the row of pattern
    ``name``; ``-``: not asked."""
    row = MATRIX[name]
    index = PERSONAS.index(persona)
    on_get = _statuses(row.get[variant])[index]
    if method == "GET":
        return on_get
    if name in READ_ONLY:
        return "-"
    if variant in row.post:
        return _statuses(row.post[variant])[index]
    refused = on_get in REFUSED or (persona == "anonymous" and on_get == "302")
    return on_get if refused else "-"


def plain(get: str, *, post: str | None = None) -> Row:
    """A pattern without a record in its address."""
    return Row(args={"": lambda world: {}}, get={"": get}, post={"": post} if post else {})


def of_world(args: Args, get: str, *, post: str | None = None) -> Row:
    """A pattern filled with one record of the world's that belongs to neither side."""
    return Row(args={"": args}, get={"": get}, post={"": post} if post else {})


def sided(
    args: Callable[[Side], dict[str, Any]],
    *,
    G: str,
    Z: str,
    post_G: str | None = None,
    post_Z: str | None = None,
    query: Callable[[Side], str] | None = None,
) -> Row:
    """A pattern filled with each side's record in turn (in its address, or in its query
    string: ``args`` returns no argument then)."""
    post = {}
    if post_G:
        post["G"] = post_G
    if post_Z:
        post["Z"] = post_Z
    return Row(
        args={
            "G": lambda world: args(world.gracanica),
            "Z": lambda world: args(world.zvecan),
        },
        get={"G": G, "Z": Z},
        post=post,
        query=(
            {
                "G": lambda world: query(world.gracanica),
                "Z": lambda world: query(world.zvecan),
            }
            if query
            else {}
        ),
    )


def for_activity(get: str, *, G: str, Z: str) -> Row:
    """A page asked without a record and for each side's activity (``?activity=``)."""
    return Row(
        args={"": lambda world: {}, "G": lambda world: {}, "Z": lambda world: {}},
        get={"": get, "G": G, "Z": Z},
        query={
            "G": lambda world: f"?activity={world.gracanica.activity.pk}",
            "Z": lambda world: f"?activity={world.zvecan.activity.pk}",
        },
    )


def _quarter(world: PersonaWorld) -> dict[str, Any]:
    return {"fiscal_year": FISCAL_YEAR, "quarter": QUARTER}


def _planning_quarter(world: PersonaWorld) -> dict[str, Any]:
    return {"fiscal_year": FISCAL_YEAR, "quarter": 4}


def _place(side: Side) -> dict[str, Any]:
    return {"code": side.activity.municipality.code}


MATRIX: dict[str, Row] = {}


MATRIX.update(
    {
        # -- the admin site's index, signing in, the account ---------------------------------
        "admin:index": plain("200 302 302 302 302 302 302 302"),
        "accounts:login": plain("302 302 302 302 302 302 302 200"),
        "accounts:logout": plain("405 405 405 405 405 405 405 405", post="- - - - - - - 302"),
        "accounts:password_change": plain("200 200 200 200 200 200 200 302"),
        "accounts:password_change_done": plain("200 200 200 200 200 200 200 302"),
        "accounts:password_reset": plain("200 200 200 200 200 200 200 200"),
        "accounts:password_reset_done": plain("200 200 200 200 200 200 200 200"),
        "accounts:password_reset_confirm": of_world(
            lambda w: {"uidb64": "MQ", "token": "set-password"}, "200 200 200 200 200 200 200 200"
        ),
        "accounts:password_reset_complete": plain("200 200 200 200 200 200 200 200"),
        "accounts:two_factor": plain("200 200 200 200 200 200 200 302"),
        "accounts:two_factor_setup": plain("200 200 200 200 200 200 200 302"),
        "accounts:two_factor_verify": plain("302 302 302 302 302 302 302 302"),
        "accounts:two_factor_backup_codes": plain(
            "405 405 405 405 405 405 405 405", post="403 403 403 403 403 403 403 302"
        ),
        "accounts:two_factor_off": plain(
            "405 405 405 405 405 405 405 405", post="403 403 403 403 403 403 403 302"
        ),
        # -- the audit log, the health check ------------------------------------------------
        "audit:log": plain("200 403 403 403 403 403 403 302"),
        "operations:health": plain("200 200 200 200 200 200 200 200"),
        # -- activities and the work plan ---------------------------------------------------
        "activities:list": plain("200 200 200 200 200 200 200 302"),
        "activities:create": plain("200 200 200 200 200 200 403 302"),
        "activities:detail": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "activities:update": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "activities:void": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "activities:restore": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "activities:attendance_add": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "activities:attendance_remove": sided(
            lambda s: {"pk": s.activity.pk, "attendance_pk": s.attendance.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 403 302",
            post_Z="- - - 404 404 - 403 302",
        ),
        "activities:tally_set": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "activities:plan_current": plain("302 302 302 302 302 302 302 302"),
        "activities:plan": of_world(_planning_quarter, "200 200 200 200 200 200 200 302"),
        "activities:planned_create": plain("200 200 200 200 200 200 403 302"),
        "activities:planned_update": sided(
            lambda s: {"pk": s.planned.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "activities:planned_hold": sided(
            lambda s: {"pk": s.planned.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 403 302",
            post_Z="- - - 404 404 - 403 302",
        ),
        "activities:planned_cancel": sided(
            lambda s: {"pk": s.planned.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 403 302",
            post_Z="- - - 404 404 - 403 302",
        ),
        "activities:calendar": plain("200 200 200 200 200 200 200 302"),
        # -- capacity plans and assessments ---------------------------------------------------
        "capacity:list": plain("200 200 200 200 200 200 200 302"),
        "capacity:create": plain("200 200 200 200 200 200 403 302"),
        "capacity:detail": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 200 404 200 302",
            Z="200 200 404 404 404 200 200 302",
        ),
        "capacity:update": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 200 404 403 302",
            Z="200 200 404 404 404 200 403 302",
        ),
        "capacity:adopt": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 200 404 403 302",
            Z="200 200 404 404 404 200 403 302",
        ),
        "capacity:void": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 403 404 403 302",
            Z="200 200 404 404 404 403 403 302",
        ),
        "capacity:restore": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 403 404 403 302",
            Z="200 200 404 404 404 403 403 302",
        ),
        "capacity:action_create": sided(
            lambda s: {"pk": s.plan.pk},
            G="200 200 404 404 200 404 403 302",
            Z="200 200 404 404 404 200 403 302",
        ),
        "capacity:action_update": sided(
            lambda s: {"pk": s.action.pk},
            G="200 200 404 404 200 404 403 302",
            Z="200 200 404 404 404 200 403 302",
        ),
        "capacity:assessment_overview": plain("200 200 200 200 200 200 200 302"),
        "capacity:assessments": sided(
            _place, G="200 200 404 404 200 404 200 302", Z="200 200 404 404 404 200 200 302"
        ),
        "capacity:assessment_create": sided(
            _place, G="200 200 404 404 200 404 403 302", Z="200 200 404 404 404 200 403 302"
        ),
        "capacity:assessment_update": sided(
            lambda s: {"pk": s.assessment.pk},
            G="200 200 404 404 200 404 403 302",
            Z="200 200 404 404 404 200 403 302",
        ),
        # -- evidence ---------------------------------------------------------------------------
        "evidence:open": sided(
            lambda s: {"pk": s.attachment.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "evidence:remove": sided(
            lambda s: {"pk": s.attachment.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 - 302",
            post_Z="- - - 404 404 - - 302",
        ),
        "evidence:add": sided(
            lambda s: {"label": "activities.activity", "pk": s.activity.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        # -- grants, calls, applications, the committee, exchange rates -------------------------
        "grants:list": plain("200 200 200 200 200 200 200 302"),
        "grants:create": plain("200 200 200 200 200 200 403 302"),
        "grants:detail": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "grants:update": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:void": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:restore": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:tranche_create": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:tranche_update": sided(
            lambda s: {"pk": s.grant.pk, "tranche_pk": s.tranche.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:tranche_pay": sided(
            lambda s: {"pk": s.grant.pk, "tranche_pk": s.tranche.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:visit_create": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:visit_update": sided(
            lambda s: {"pk": s.grant.pk, "visit_pk": s.visit.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:outcome_create": sided(
            lambda s: {"pk": s.grant.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:outcome_update": sided(
            lambda s: {"pk": s.grant.pk, "outcome_pk": s.outcome.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:call_list": plain("200 200 200 200 200 200 200 302"),
        "grants:call_create": plain("200 200 200 200 403 403 403 302"),
        "grants:call_detail": sided(
            lambda s: {"pk": s.call.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "grants:call_update": sided(
            lambda s: {"pk": s.call.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:application_list": sided(
            lambda s: {"pk": s.call.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "grants:application_create": sided(
            lambda s: {"pk": s.call.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:application_detail": sided(
            lambda s: {"pk": s.application.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "grants:application_update": sided(
            lambda s: {"pk": s.application.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "grants:application_eligibility": sided(
            lambda s: {"pk": s.application.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:application_decision": sided(
            lambda s: {"pk": s.application.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "grants:scoring_list": plain("200 200 200 200 200 200 200 302"),
        "grants:application_score": sided(
            lambda s: {"pk": s.application.pk},
            G="403 200 404 403 403 404 403 302",
            Z="403 200 403 404 404 403 403 302",
        ),
        "grants:application_conflict": sided(
            lambda s: {"pk": s.application.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="403 - 404 403 403 404 403 302",
            post_Z="403 - 403 404 404 403 403 302",
        ),
        "grants:rate_list": plain("200 200 200 200 200 200 200 302"),
        "grants:rate_create": plain("200 200 403 403 403 403 403 302"),
        "grants:rate_update": of_world(
            lambda w: {"pk": w.rate.pk}, "200 200 403 403 403 403 403 302"
        ),
        "grants:rates_apply": plain(
            "405 405 405 405 405 405 405 302", post="- - 403 403 403 403 403 302"
        ),
        # -- the results framework --------------------------------------------------------------
        "indicators:framework": plain("200 200 200 200 200 200 200 302"),
        "indicators:sheet": of_world(
            lambda w: {"code": "public-hearings"}, "200 200 200 200 200 200 200 302"
        ),
        "indicators:sheet_edit": of_world(
            lambda w: {"code": "public-hearings"}, "200 200 403 403 403 403 403 302"
        ),
        "indicators:targets": of_world(
            lambda w: {"code": "public-hearings"}, "200 200 403 403 403 403 403 302"
        ),
        "indicators:target_cell": of_world(
            lambda w: {"code": "public-hearings"},
            "405 405 405 405 405 405 405 302",
            post="- - 403 403 403 403 403 302",
        ),
        "indicators:values": of_world(
            lambda w: {"code": "property-tax-billed"}, "200 200 200 200 200 200 200 302"
        ),
        "indicators:value_enter": of_world(
            lambda w: {"code": "property-tax-billed"},
            "405 405 405 405 405 405 405 302",
            post="- - 403 403 - - 403 302",
        ),
        "indicators:value_void": sided(
            lambda s: {"code": "property-tax-billed", "pk": s.value.pk},
            G="200 200 403 403 200 404 403 302",
            Z="200 200 403 403 404 200 403 302",
        ),
        # -- infrastructure projects ------------------------------------------------------------
        "infrastructure:list": plain("200 200 200 200 200 200 200 302"),
        "infrastructure:create": plain("200 200 200 200 200 200 403 302"),
        "infrastructure:detail": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "infrastructure:update": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "infrastructure:void": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "infrastructure:restore": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 403 404 403 302",
            Z="200 200 200 404 404 403 403 302",
        ),
        "infrastructure:hand_over": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "infrastructure:spending_add": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "infrastructure:spending_update": sided(
            lambda s: {"pk": s.project.pk, "spending_pk": s.spending.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "infrastructure:milestone_add": sided(
            lambda s: {"pk": s.project.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "infrastructure:milestone_update": sided(
            lambda s: {"pk": s.project.pk, "milestone_pk": s.milestone.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        # -- imports ----------------------------------------------------------------------------
        "intake:batch_list": plain("200 200 200 200 200 200 403 302"),
        "intake:upload": for_activity(
            "200 200 200 200 200 200 403 302",
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "intake:folder_upload": plain("200 200 403 403 403 403 403 302"),
        "intake:folder_check": of_world(
            lambda w: {"pk": w.folder_check.pk}, "404 200 403 403 403 403 403 302"
        ),
        "intake:folder_commit": plain(
            "405 405 405 405 405 405 405 302", post="404 404 403 403 403 403 403 302"
        ),
        "intake:template": for_activity(
            "200 200 200 200 200 200 200 302",
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "intake:xlsform": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 200 302",
            Z="200 200 200 404 404 200 200 302",
        ),
        "intake:roster": sided(
            lambda s: {"pk": s.activity.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "intake:batch_detail": sided(
            lambda s: {"pk": s.batch.pk},
            G="200 200 404 200 200 404 404 302",
            Z="200 200 200 404 404 200 404 302",
        ),
        "intake:batch_map": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 404 302",
            post_Z="- - - 404 404 - 404 302",
        ),
        "intake:batch_layout": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 404 302",
            post_Z="- - - 404 404 - 404 302",
        ),
        "intake:batch_choose": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 404 302",
            post_Z="- - - 404 404 - 404 302",
        ),
        "intake:batch_commit": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 - - 404 404 302",
            post_Z="- - - 404 404 - 404 302",
        ),
        "intake:batch_rollback": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 403 403 404 404 302",
            post_Z="- - 403 404 404 403 404 302",
        ),
        "intake:batch_resume": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 403 403 404 404 302",
            post_Z="- - 403 404 404 403 404 302",
        ),
        "intake:batch_abandon": sided(
            lambda s: {"pk": s.batch.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 404 403 403 404 404 302",
            post_Z="- - 403 404 404 403 404 302",
        ),
        "intake:batch_problems": sided(
            lambda s: {"pk": s.batch.pk},
            G="200 200 404 200 200 404 404 302",
            Z="200 200 200 404 404 200 404 302",
        ),
        # -- jobs: G is the Gračanica focal point's, Z the M&E officer's ------------------------
        "jobs:detail": Row(
            args={
                "G": lambda w: {"pk": w.focal_job.pk},
                "Z": lambda w: {"pk": w.me_job.pk},
            },
            get={"G": "200 200 404 404 200 404 404 302", "Z": "200 200 404 404 404 404 404 302"},
        ),
        # -- identity resolution ----------------------------------------------------------------
        "linkage:review_list": plain("200 200 403 403 403 403 403 302"),
        "linkage:review_pair": sided(
            lambda s: {"pk": s.pair.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        "linkage:review_link": sided(
            lambda s: {"pk": s.pair.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 403 403 403 403 403 302",
            post_Z="- - 403 403 403 403 403 302",
        ),
        "linkage:review_keep_apart": sided(
            lambda s: {"pk": s.pair.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 403 403 403 403 403 302",
            post_Z="- - 403 403 403 403 403 302",
        ),
        "linkage:review_cluster": sided(
            lambda s: {"pk": s.pair.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        "linkage:review_cluster_link": sided(
            lambda s: {"pk": s.pair.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 403 403 403 403 403 302",
            post_Z="- - 403 403 403 403 403 302",
        ),
        "linkage:review_cluster_keep_apart": sided(
            lambda s: {"pk": s.pair.pk},
            G="405 405 405 405 405 405 405 302",
            Z="405 405 405 405 405 405 405 302",
            post_G="- - 403 403 403 403 403 302",
            post_Z="- - 403 403 403 403 403 302",
        ),
        "linkage:registry_link": plain(
            "405 405 405 405 405 405 405 302", post="- - 403 403 403 403 403 302"
        ),
        "linkage:merge_list": plain("200 200 403 403 403 403 403 302"),
        "linkage:merge_split": sided(
            lambda s: {"pk": s.merge.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        # -- persons and organizations ----------------------------------------------------------
        "people:person_list": plain("200 200 200 200 200 200 403 302"),
        "people:person_create": plain("200 200 200 200 200 200 403 302"),
        "people:person_detail": Row(
            args={
                "G": lambda w: {"pk": w.gracanica.person.pk},
                "Z": lambda w: {"pk": w.zvecan.person.pk},
                "G resolved to Z": lambda w: {"pk": w.resolved_elsewhere.pk},
            },
            get={
                "G": "200 200 404 200 200 404 403 302",
                "Z": "200 200 200 404 404 200 403 302",
                "G resolved to Z": "200 200 404 404 200 404 403 302",
            },
        ),
        "people:person_update": sided(
            lambda s: {"pk": s.person.pk},
            G="200 200 404 200 200 404 403 302",
            Z="200 200 200 404 404 200 403 302",
        ),
        "people:person_erase": sided(
            lambda s: {"pk": s.person.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        "people:person_export_json": sided(
            lambda s: {"pk": s.person.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        "people:person_export_xlsx": sided(
            lambda s: {"pk": s.person.pk},
            G="200 200 403 403 403 403 403 302",
            Z="200 200 403 403 403 403 403 302",
        ),
        "people:organization_list": plain("200 200 200 200 200 200 200 302"),
        "people:organization_create": plain("200 200 200 200 200 200 403 302"),
        "people:organization_detail": Row(
            args={
                "G": lambda w: {"pk": w.gracanica.organization.pk},
                "Z": lambda w: {"pk": w.zvecan.organization.pk},
                "G farm": lambda w: {"pk": w.gracanica.farm.pk},
                "Z farm": lambda w: {"pk": w.zvecan.farm.pk},
            },
            get={
                "G": "200 200 200 200 200 404 200 302",
                "Z": "200 200 200 200 404 200 200 302",
                "G farm": "200 200 200 200 200 404 200 302",
                "Z farm": "200 200 200 200 404 200 200 302",
            },
        ),
        "people:organization_update": sided(
            lambda s: {"pk": s.organization.pk},
            G="200 200 200 200 200 404 403 302",
            Z="200 200 200 200 404 200 403 302",
        ),
        # -- results, reporting periods, reports ----------------------------------------------
        "reports:tracking": plain("200 200 200 200 200 200 200 302"),
        "reports:tracking_download": plain("200 200 200 200 200 200 200 302"),
        "reports:periods": plain("200 200 200 200 200 200 200 302"),
        "reports:period": of_world(_quarter, "200 200 200 200 200 200 200 302"),
        "reports:period_submit": of_world(
            _quarter, "405 405 405 405 405 405 405 302", post="- - 403 403 403 403 403 302"
        ),
        "reports:period_return": of_world(
            _quarter, "405 405 405 405 405 405 405 302", post="- - 403 403 403 403 403 302"
        ),
        "reports:period_approve": of_world(
            _quarter, "405 405 405 405 405 405 405 302", post="- - 403 403 403 403 403 302"
        ),
        "reports:period_figure": of_world(
            lambda w: {**_quarter(w), "code": "public-hearing-participants", "window": "quarter"},
            "200 200 200 200 403 403 200 302",
        ),
        "reports:period_report": of_world(_quarter, "200 200 200 200 403 403 200 302"),
        "reports:narratives": of_world(_quarter, "200 200 200 200 200 200 200 302"),
        "reports:narrative": of_world(
            lambda w: {**_quarter(w), "code": "public-hearings"}, "200 200 200 200 200 200 200 302"
        ),
        "reports:stories": of_world(_quarter, "200 200 200 200 200 200 200 302"),
        "reports:story_create": of_world(_quarter, "200 200 200 200 200 200 403 302"),
        "reports:story": sided(
            lambda s: {"pk": s.story.pk},
            G="200 200 404 200 200 404 404 302",
            Z="200 200 200 404 404 200 404 302",
        ),
        "reports:story_update": sided(
            lambda s: {"pk": s.story.pk},
            G="200 200 404 200 200 404 404 302",
            Z="200 200 200 404 404 200 404 302",
        ),
        "reports:report": of_world(
            lambda w: {"kind": "quarterly"}, "200 200 200 200 403 403 200 302"
        ),
        "reports:report_file": of_world(
            lambda w: {"kind": "quarterly"},
            "405 405 405 405 405 405 405 302",
            post="- - - - 403 403 - 302",
        ),
        "reports:report_download": of_world(
            lambda w: {"pk": w.report_file.pk}, "404 200 404 404 403 403 404 302"
        ),
        "reports:dashboard": plain("200 200 200 200 200 200 200 302"),
        "reports:home": plain("302 302 302 302 302 302 302 302"),
        "reports:indicator": of_world(
            lambda w: {"code": "public-hearing-participants"}, "200 200 200 200 200 200 200 302"
        ),
        "reports:composition": plain("200 200 200 200 200 200 200 302"),
        "reports:composition_activities": plain("200 200 200 200 200 200 200 302"),
        "reports:map": plain("200 200 200 200 200 200 200 302"),
        "reports:property_tax": plain("200 200 200 200 200 200 200 302"),
        "reports:municipality": sided(
            _place, G="200 200 200 200 200 404 200 302", Z="200 200 200 200 404 200 200 302"
        ),
    }
)


def matrix_size() -> str:
    """The matrix's size, printed at the end of a test run that asked it (``src/akt/conftest.py``,
    ``pytest_terminal_summary``)."""
    patterns = len(MATRIX)
    requests = sum(
        1
        for name, row in MATRIX.items()
        for variant in row.args
        for persona in PERSONAS
        for method in ("GET", "POST")
        if expected(name, variant, persona, method) != "-"
    )
    return (
        f"persona × endpoint matrix: {len(PERSONAS)} personas × {patterns} URL patterns "
        f"= {len(PERSONAS) * patterns} cells, {requests} requests"
    )
