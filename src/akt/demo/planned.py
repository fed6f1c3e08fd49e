"""The demo's work plans: most activities were planned the quarter before, a few were not, a few
plans were cancelled or postponed; municipal trainings name the plan actions they serve.

Deterministic (``random.Random(seed)``, activities in date order). Planned activities carry
:data:`~akt.demo.plan.DEMO_NOTE` in their notes, as demo activities do in their description, so
``--replace`` finds them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import timedelta

from django.db.models import Count, IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from akt.activities.models import Activity, ActivityKind, PlannedActivity, Tally
from akt.capacity.models import PlanAction
from akt.demo.plan import DEFAULT_SEED, DEMO_NOTE

PLANNED_SHARE = 0.85  # of the activities held, those the quarter's work plan named
CANCELLED_SHARE = 0.07  # plans cancelled, beside those held

CANCEL_REASONS = {
    "albanian": (
        "Kryetari i komunës nuk ishte i disponueshëm; shtyhet për tremujorin tjetër.",
        "Salla e kuvendit ishte e zënë nga seanca e jashtëzakonshme.",
        "Pjesëmarrësit nuk u konfirmuan me kohë.",
    ),
    "serb": (
        "Председник општине није био доступан; помера се за следеће тромесечје.",
        "Сала скупштине била је заузета ванредном седницом.",
        "Učesnici nisu potvrdili dolazak na vreme.",
    ),
}


def _language(activity: Activity) -> str:
    majority = activity.municipality.majority_community
    return "serb" if majority is not None and majority.code == "serb" else "albanian"


def planned_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Writes the work plans of the demo activities; returns how many of each were written."""
    rng = random.Random(seed)
    tallied = (
        Tally.objects.filter(activity=OuterRef("pk"))
        .order_by()
        .values("activity")
        .annotate(n=Sum("headcount"))
        .values("n")
    )
    activities = list(
        Activity.objects.filter(description__startswith=DEMO_NOTE)
        .select_related("municipality__majority_community")
        .annotate(
            roster=Count("attendances"),
            heads=Coalesce(Subquery(tallied, output_field=IntegerField()), 0),
        )
        .order_by("start_date", "pk")
    )
    planned: list[PlannedActivity] = []
    counts: defaultdict[str, int] = defaultdict(int)
    for activity in activities:
        draw = rng.random()
        if draw > PLANNED_SHARE:
            counts["unplanned"] += 1
            continue
        attended = int(getattr(activity, "roster", 0)) + int(getattr(activity, "heads", 0))
        expected = max(5, round(attended * rng.uniform(0.8, 1.25) / 5) * 5) if attended else None
        # Mostly held on the day planned; some a few days later, one in ten postponed weeks.
        slip = 0 if rng.random() < 0.6 else rng.choice((1, 2, 3, 7, 14, 21, 35))
        planned.append(
            PlannedActivity(
                title=activity.title,
                kind=activity.kind,
                component_id=activity.component_id,
                municipality_id=activity.municipality_id,
                planned_date=activity.start_date - timedelta(days=slip),
                expected_participants=expected,
                notes=DEMO_NOTE,
                held_as=activity,
            )
        )
        counts["held"] += 1
        if rng.random() < CANCELLED_SHARE:
            language = _language(activity)
            planned.append(
                PlannedActivity(
                    title=activity.title,
                    kind=activity.kind,
                    component_id=activity.component_id,
                    municipality_id=activity.municipality_id,
                    planned_date=activity.start_date + timedelta(days=rng.randint(10, 40)),
                    expected_participants=expected,
                    notes=DEMO_NOTE,
                    cancelled_on=activity.start_date + timedelta(days=rng.randint(2, 8)),
                    cancel_reason=rng.choice(CANCEL_REASONS[language]),
                )
            )
            counts["cancelled"] += 1
    PlannedActivity.objects.bulk_create(planned, batch_size=1000)
    counts["actions_served"] = _serve_actions(rng, activities)
    return dict(counts)


def _serve_actions(rng: random.Random, activities: list[Activity]) -> int:
    """Municipal trainings and workshops serve one or two actions of their municipality's
    plan, those due after the training."""
    actions = defaultdict(list)
    for action in PlanAction.objects.select_related("plan").order_by("pk"):
        actions[action.plan.municipality_id].append(action)
    links = []
    through = Activity.plan_actions.through
    for activity in activities:
        if activity.kind not in (ActivityKind.TRAINING, ActivityKind.WORKSHOP):
            continue
        mine = [
            action
            for action in actions.get(activity.municipality_id, [])
            if action.due_date is None or action.due_date >= activity.start_date
        ]
        if not mine or rng.random() < 0.4:
            continue
        for action in rng.sample(mine, k=min(len(mine), rng.choice((1, 1, 2)))):
            links.append(through(activity_id=activity.pk, planaction_id=action.pk))
    through.objects.bulk_create(links, batch_size=1000)
    return len(links)
