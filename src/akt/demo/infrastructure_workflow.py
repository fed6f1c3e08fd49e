"""The demo's infrastructure projects followed from selection to handover.

The generator (:mod:`akt.demo.generator`) records each demo project with its budget, dates and
status; :func:`infrastructure_workflow_populate` then gives them what the project pages follow:

- the communities each project brings together (the municipality's majority and one or two
  communities that live there), its selection date and a short justification;
- a point near the municipality's seat, inside its boundary, for most projects (some are
  located by their municipality alone);
- a community contribution, in cash or in kind, for about half of them;
- payments against the budget by USAID, the municipality and the community: a completed
  project spent about its budget (a few a little more, which their page flags), a project
  still under way part of it;
- the six procurement and construction milestones, done on plausible days; the "works
  completed" milestone of every completed project is done on its completion date (the rule of
  completion), and the milestones of the projects still under way when the program closed are
  late, as are the handovers that were never recorded;
- the handover of most completed projects to a municipal department, with a completion
  certificate.

Deterministic: the same seed and the same demo projects give the same records
(``random.Random(seed)``, projects taken in the order of their codes). Texts are written in the
municipality's majority language, as the generator's are (:mod:`akt.demo.texts`). Running it
again replaces what an earlier run wrote.
"""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from typing import Any

from django.db import transaction

from akt.demo import texts
from akt.demo.plan import DEFAULT_SEED, DEMO_CODE_PREFIX, LAST_EVENT, PROGRAM_START
from akt.infrastructure.models import (
    KOSOVO_EAST,
    KOSOVO_NORTH,
    KOSOVO_SOUTH,
    KOSOVO_WEST,
    ContributionKind,
    InfrastructureProject,
    MilestoneKind,
    MilestoneStatus,
    Payer,
    ProjectMilestone,
    ProjectSpending,
    ProjectStatus,
    SpendingCategory,
)
from akt.places.models import Community, Municipality

CENT = Decimal("0.01")
COORDINATE = Decimal("0.000001")

NEIGHBOURS: dict[str, tuple[str, ...]] = {
    "gjilan": ("serb", "roma", "turkish"),
    "gracanice": ("albanian", "roma", "ashkali"),
    "istog": ("serb", "bosniak", "roma", "egyptian"),
    "kline": ("serb", "roma", "ashkali", "egyptian"),
    "kllokot": ("albanian",),
    "leposaviq": ("albanian", "bosniak"),
    "mitrovice-e-veriut": ("albanian", "bosniak", "gorani", "turkish", "roma"),
    "novoberde": ("albanian",),
    "obiliq": ("serb", "roma", "ashkali"),
    "partesh": ("albanian",),
    "peje": ("serb", "bosniak", "roma", "ashkali", "egyptian"),
    "ranillug": ("albanian",),
    "shterpce": ("albanian",),
    "vushtrri": ("serb", "ashkali", "roma"),
    "zubin-potok": ("albanian",),
    "zvecan": ("albanian", "roma"),
}
"""The communities other than the majority that live in each partner municipality (domain.md),
among which a project's communities are drawn."""

POINT_SHARE = 0.85
"""About this many projects have a point; the others are located by their municipality."""
POINT_SPREAD = 0.02
"""The largest distance, in degrees (about 2 km), of a project's point from the seat."""
COMMUNITY_CONTRIBUTION_SHARE = 0.55
HANDOVER_SHARE = 0.9
"""Completed projects whose handover is recorded; the others' handover milestone is late."""
OVERSPENT_SHARE = 0.12
"""Completed projects that spent a little more than their budget."""

JUSTIFICATIONS = (
    texts.Wording(
        "Prioritet i dalë nga dëgjimi publik; u shërben banorëve të të gjitha komuniteteve të "
        "zonës.",
        "Prioritet utvrđen na javnoj raspravi; služi stanovnicima svih zajednica u tom području.",
    ),
    texts.Wording(
        "Kërkesë e përbashkët e banorëve nga komunitete të ndryshme; komuna siguroi "
        "bashkëfinancimin.",
        "Zajednički zahtev meštana iz različitih zajednica; opština je obezbedila sufinansiranje.",
    ),
    texts.Wording(
        "Vend i përbashkët takimi për komunitetet; projekti u përzgjodh nga komisioni i "
        "përbashkët i përzgjedhjes.",
        "Zajedničko mesto okupljanja za zajednice; projekat je izabrala zajednička komisija "
        "za izbor.",
    ),
)

# The department that takes a project over, by the kind of project (texts.PROJECTS, in order).
PUBLIC_SERVICES = texts.Wording("Drejtoria për Shërbime Publike", "Direkcija za javne službe")
CULTURE = texts.Wording(
    "Drejtoria për Kulturë, Rini dhe Sport", "Direkcija za kulturu, omladinu i sport"
)
HEALTH = texts.Wording("Drejtoria për Shëndetësi", "Direkcija za zdravstvo")
EDUCATION = texts.Wording("Drejtoria për Arsim", "Direkcija za obrazovanje")
DEPARTMENTS = (
    PUBLIC_SERVICES,
    CULTURE,
    CULTURE,
    PUBLIC_SERVICES,
    CULTURE,
    EDUCATION,
    HEALTH,
    PUBLIC_SERVICES,
)

PAYMENT_NOTES = {
    SpendingCategory.WORKS: texts.Wording("Situacioni nr. {n}", "Privremena situacija br. {n}"),
    SpendingCategory.SUPERVISION: texts.Wording(
        "Mbikëqyrja e punimeve", "Stručni nadzor nad radovima"
    ),
    SpendingCategory.EQUIPMENT: texts.Wording("Pajisje dhe inventar", "Oprema i inventar"),
    SpendingCategory.OTHER: texts.Wording("Shpenzime administrative", "Administrativni troškovi"),
}
IN_KIND_NOTE = texts.Wording(
    "Punë vullnetare e banorëve dhe materiale, vlera e vlerësuar",
    "Dobrovoljni rad meštana i materijal, procenjena vrednost",
)


def infrastructure_workflow_populate(seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Gives every demo project its communities, point, community share, payments, milestones
    and handover; returns how many of each were written."""
    rng = random.Random(seed)
    with transaction.atomic():
        projects = list(
            InfrastructureProject.objects.filter(code__startswith=DEMO_CODE_PREFIX)
            .select_related("municipality__majority_community")
            .order_by("code")
        )
        ProjectSpending.objects.filter(project__in=projects).delete()
        ProjectMilestone.objects.filter(project__in=projects).delete()
        communities = {community.code: community for community in Community.objects.all()}

        links: list[Any] = []
        payments: list[ProjectSpending] = []
        milestones: list[ProjectMilestone] = []
        for number, project in enumerate(projects, start=1):
            chosen = _communities(rng, project.municipality, communities)
            links += [
                InfrastructureProject.communities.through(
                    infrastructureproject_id=project.pk, community_id=community.pk
                )
                for community in chosen
            ]
            _select(rng, project)
            _locate(rng, project)
            _community_share(rng, project)
            payments += _payments(rng, project)
            project_milestones = _milestones(rng, project)
            milestones += project_milestones
            _hand_over(rng, project, number, project_milestones)

        for project in projects:
            project.full_clean(validate_unique=False)
        for record in (*payments, *milestones):
            record.full_clean(exclude=["project"], validate_unique=False)
        InfrastructureProject.objects.bulk_update(
            projects,
            [
                "selection_date",
                "selection_justification",
                "latitude",
                "longitude",
                "community_contribution",
                "community_contribution_kind",
                "handover_date",
                "handed_over_to",
                "completion_certificate",
            ],
        )
        through = InfrastructureProject.communities.through
        through.objects.filter(infrastructureproject__in=projects).delete()
        through.objects.bulk_create(links)
        ProjectSpending.objects.bulk_create(payments)
        ProjectMilestone.objects.bulk_create(milestones)

    return {
        "projects": len(projects),
        "communities_involved": len(links),
        "points": sum(1 for project in projects if project.has_point),
        "community_contributions": sum(1 for p in projects if p.community_contribution),
        "payments": len(payments),
        "milestones": len(milestones),
        "late_milestones": sum(1 for m in milestones if m.status == MilestoneStatus.LATE),
        "handovers": sum(1 for project in projects if project.handover_date),
    }


# -- selection --------------------------------------------------------------------------------


def _communities(
    rng: random.Random, place: Municipality, communities: dict[str, Community]
) -> list[Community]:
    """The majority community and one or two of those living beside it."""
    majority = place.majority_community.code if place.majority_community else "albanian"
    others = [
        code
        for code in NEIGHBOURS.get(place.code, ("serb" if majority == "albanian" else "albanian",))
        if code != majority and code in communities
    ]
    count = min(len(others), 1 if rng.random() < 0.6 else 2)
    picked = [others[0], *rng.sample(others[1:], count - 1)] if count else []
    return [communities[majority], *(communities[code] for code in picked)]


def _select(rng: random.Random, project: InfrastructureProject) -> None:
    day = project.start_date - timedelta(days=rng.randint(60, 150))
    project.selection_date = max(day, PROGRAM_START)
    project.selection_justification = texts.say(rng.choice(JUSTIFICATIONS), project.municipality)


# -- location ---------------------------------------------------------------------------------


@cache
def _boundaries() -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Each municipality's polygons (outer ring first, then holes) as (longitude, latitude)."""
    text = resources.files("akt.places").joinpath("data", "kosovo-municipalities.geo.json")
    shapes: dict[str, list[list[list[tuple[float, float]]]]] = {}
    for feature in json.loads(text.read_text("utf-8"))["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        shapes[feature["properties"]["code"]] = [
            [[(float(x), float(y)) for x, y, *_rest in ring] for ring in polygon]
            for polygon in polygons
        ]
    return shapes


def _in_ring(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def inside_municipality(code: str, latitude: float, longitude: float) -> bool:
    """Whether the point lies inside the municipality's boundary (True when it has none)."""
    polygons = _boundaries().get(code)
    if not polygons:
        return True
    return any(
        _in_ring(longitude, latitude, polygon[0])
        and not any(_in_ring(longitude, latitude, hole) for hole in polygon[1:])
        for polygon in polygons
    )


def _locate(rng: random.Random, project: InfrastructureProject) -> None:
    """A point near the seat and inside the municipality, or none (located by municipality)."""
    project.latitude = project.longitude = None
    if rng.random() >= POINT_SHARE:
        return
    place = project.municipality
    seat = (float(place.latitude), float(place.longitude))
    for spread in (POINT_SPREAD, POINT_SPREAD / 2, POINT_SPREAD / 4):
        for _attempt in range(20):
            latitude = seat[0] + rng.uniform(-spread, spread)
            longitude = seat[1] + rng.uniform(-spread, spread)
            if inside_municipality(place.code, latitude, longitude):
                break
        else:
            continue
        break
    else:
        latitude, longitude = seat
    project.latitude = _clamp(Decimal(latitude), KOSOVO_SOUTH, KOSOVO_NORTH)
    project.longitude = _clamp(Decimal(longitude), KOSOVO_WEST, KOSOVO_EAST)


def _clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return min(max(value, low), high).quantize(COORDINATE, rounding=ROUND_HALF_UP)


# -- the budget and its spending ----------------------------------------------------------------


def _money(value: Decimal | float) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _community_share(rng: random.Random, project: InfrastructureProject) -> None:
    project.community_contribution = Decimal("0")
    project.community_contribution_kind = ""
    if rng.random() < COMMUNITY_CONTRIBUTION_SHARE:
        share = Decimal(rng.randint(20, 80)) / 1000  # 2% to 8% of USAID's contribution
        tens = (project.program_contribution * share / 10).quantize(Decimal("1"))
        project.community_contribution = _money(tens * 10)
        project.community_contribution_kind = (
            ContributionKind.IN_KIND if rng.random() < 0.6 else ContributionKind.CASH
        )


def _split(rng: random.Random, total: Decimal, parts: int) -> list[Decimal]:
    """``total`` in ``parts`` positive amounts that add up to it exactly."""
    weights = [rng.uniform(0.5, 1.5) for _part in range(parts)]
    amounts = [_money(total * Decimal(weight / sum(weights))) for weight in weights[:-1]]
    return [*amounts, total - sum(amounts, Decimal("0"))]


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max((last - first).days, 0)))


def _payments(rng: random.Random, project: InfrastructureProject) -> list[ProjectSpending]:
    start = project.start_date
    if project.completion_date is not None:
        end = project.completion_date
        factor = (
            Decimal(rng.randint(1010, 1080)) / 1000
            if rng.random() < OVERSPENT_SHARE
            else Decimal(rng.randint(930, 1000)) / 1000
        )
    else:  # still under way when the program closed: part of the budget spent
        end = min(start + timedelta(days=75), LAST_EVENT)
        factor = Decimal(rng.randint(300, 600)) / 1000
    place = project.municipality
    payments: list[ProjectSpending] = []

    def pay(payer: str, category: str, amount: Decimal, day: date, note: str) -> None:
        if amount > 0:
            payments.append(
                ProjectSpending(
                    project=project,
                    spent_on=day,
                    amount=amount,
                    category=category,
                    paid_by=payer,
                    note=note,
                )
            )

    usaid = _money(project.program_contribution * factor)
    supervision = _money(usaid * Decimal("0.08"))
    equipment = Decimal("0")
    if project.completion_date is not None and rng.random() < 0.5:
        equipment = _money(usaid * Decimal("0.07"))
    works = usaid - supervision - equipment
    instalments = _split(rng, works, rng.randint(2, 3))
    days = sorted(_between(rng, start + timedelta(days=20), end) for _i in instalments)
    for number, (amount, day) in enumerate(zip(instalments, days, strict=True), start=1):
        note = texts.say(PAYMENT_NOTES[SpendingCategory.WORKS], place, n=number)
        pay(Payer.USAID, SpendingCategory.WORKS, amount, day, note)
    pay(
        Payer.USAID,
        SpendingCategory.SUPERVISION,
        supervision,
        end,
        texts.say(PAYMENT_NOTES[SpendingCategory.SUPERVISION], place),
    )
    pay(
        Payer.USAID,
        SpendingCategory.EQUIPMENT,
        equipment,
        end,
        texts.say(PAYMENT_NOTES[SpendingCategory.EQUIPMENT], place),
    )

    municipal = _money(project.municipal_contribution * factor)
    if municipal > 0:
        parts = _split(rng, municipal, 2) if rng.random() < 0.5 else [municipal]
        for amount in parts:
            day = _between(rng, start, end)
            pay(Payer.MUNICIPALITY, SpendingCategory.WORKS, amount, day, "")

    if project.community_contribution:
        community = _money(project.community_contribution * min(factor, Decimal("1")))
        in_kind = project.community_contribution_kind == ContributionKind.IN_KIND
        pay(
            Payer.COMMUNITY,
            SpendingCategory.WORKS if in_kind else SpendingCategory.OTHER,
            community,
            _between(rng, start, end),
            texts.say(IN_KIND_NOTE if in_kind else PAYMENT_NOTES[SpendingCategory.OTHER], place),
        )
    return payments


# -- milestones and handover --------------------------------------------------------------------


def _milestones(rng: random.Random, project: InfrastructureProject) -> list[ProjectMilestone]:
    """The six milestones. A completed project's are done (its "works completed" on its
    completion date); one still under way has done those before the works' middle, the rest
    planned for dates that have passed (so they are late)."""
    start, completed = project.start_date, project.completion_date
    planned_end = completed or start + timedelta(days=rng.randint(120, 200))
    tender = max(start - timedelta(days=rng.randint(40, 70)), project.selection_date or start)
    contract = start - timedelta(days=rng.randint(5, 20))
    halfway = start + timedelta(days=(planned_end - start).days // 2)
    planned: dict[str, date] = {
        MilestoneKind.TENDER_PUBLISHED: tender,
        MilestoneKind.CONTRACT_SIGNED: contract,
        MilestoneKind.WORKS_STARTED: start,
        MilestoneKind.WORKS_HALFWAY: halfway,
        MilestoneKind.WORKS_COMPLETED: planned_end - timedelta(days=rng.randint(0, 30)),
        MilestoneKind.HANDOVER: planned_end + timedelta(days=rng.randint(14, 30)),
    }
    actual: dict[str, date | None] = {
        MilestoneKind.TENDER_PUBLISHED: tender + timedelta(days=rng.randint(0, 5)),
        MilestoneKind.CONTRACT_SIGNED: min(contract + timedelta(days=rng.randint(0, 4)), start),
        MilestoneKind.WORKS_STARTED: start,
        MilestoneKind.WORKS_HALFWAY: None,
        MilestoneKind.WORKS_COMPLETED: completed,
        MilestoneKind.HANDOVER: None,  # set by the handover
    }
    if completed is not None:
        reached = halfway + timedelta(days=rng.randint(-7, 14))
        actual[MilestoneKind.WORKS_HALFWAY] = min(max(reached, start), completed)
    return [
        ProjectMilestone(
            project=project, kind=kind, planned_date=planned[kind], actual_date=actual[kind]
        )
        for kind in MilestoneKind.values
    ]


def _hand_over(
    rng: random.Random,
    project: InfrastructureProject,
    number: int,
    milestones: list[ProjectMilestone],
) -> None:
    """Most completed projects handed over to the department that runs what was built."""
    project.handover_date = None
    project.handed_over_to = project.completion_certificate = ""
    completed = project.completion_date
    if project.status != ProjectStatus.COMPLETED or completed is None:
        return
    if rng.random() >= HANDOVER_SHARE:
        return
    day = min(completed + timedelta(days=rng.randint(3, 30)), max(LAST_EVENT, completed))
    project.handover_date = day
    project.handed_over_to = texts.say(_department(project), project.municipality)
    project.completion_certificate = (
        f"{project.municipality.code[:3].upper()}-{number:03d}/{completed.year}"
    )
    for milestone in milestones:
        if milestone.kind == MilestoneKind.HANDOVER:
            milestone.actual_date = day


def _department(project: InfrastructureProject) -> texts.Wording:
    """The department for the kind of project its title names (public services otherwise)."""
    for wording, department in zip(texts.PROJECTS, DEPARTMENTS, strict=True):
        if texts.say(wording, project.municipality) == project.title:
            return department
    return PUBLIC_SERVICES
