"""Reads about grants that several places share: the indicators' selectors, and what a viewer
may see of the committee's scores.

**For the indicators** (plain querysets and functions; the caller narrows them by window and
municipality, and by the viewer's scope where a page shows records):

- :func:`grants_awarded`: the grants that count (not voided), optionally by award date.
- :func:`amounts_by_sector`: US dollar amounts by sector; grants lacking a rate are left out of
  the sums and counted beside them (:func:`grants_lacking_rate` lists them).
- :func:`jobs_created` / :func:`jobs_by_cell`: jobs created by sex x community, per follow-up.
- :func:`owner_shares`: how many grants went to women-owned, youth-owned (owner aged 15-29 on
  the award date) and non-majority-owned (owner's community not the majority community of the
  grant's municipality) businesses, each with its "unknown" count, so the parts add up.

**Blind scoring**: :func:`visible_score_sheets` and :func:`ranking` hide the other members'
scores from a committee member until they have submitted their own for that application (and
for good from a member who declared a conflict), whichever page asks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from akt.accounts.models import User
from akt.counting import engine
from akt.grants.models import (
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    CriterionScore,
    Grant,
    JobsCreated,
    ScoreSheet,
)
from akt.grants.rules import manages_call, may_see_owner, on_committee
from akt.grants.scoring import CriterionScale, Ranked, mean_score, rank, sheet_total, shown
from akt.people.models import Sex
from akt.places.models import Community

YOUTH = (15, 29)
"""The youth band of the program's disaggregations (architecture.md, section 4)."""


# -- for the indicators ------------------------------------------------------------------------


def grants_awarded(
    *,
    start: date | None = None,
    end: date | None = None,
    municipalities: frozenset[int] | None = None,
) -> QuerySet[Grant]:
    """Grants that count (not voided), awarded between ``start`` and ``end`` (inclusive) in
    ``municipalities`` (None: all)."""
    grants = Grant.objects.counted()
    if start is not None:
        grants = grants.filter(award_date__gte=start)
    if end is not None:
        grants = grants.filter(award_date__lte=end)
    if municipalities is not None:
        grants = grants.filter(municipality_id__in=municipalities)
    return grants


def grants_lacking_rate(grants: QuerySet[Grant] | None = None) -> QuerySet[Grant]:
    """Counted grants whose amount in US dollars is not known: another currency and no rate.
    A US dollar total leaves them out and should say so."""
    base = grants if grants is not None else grants_awarded()
    return base.filter(amount_usd__isnull=True)


@dataclass(frozen=True)
class SectorAmount:
    amount_usd: Decimal
    """The sum of the grants with a dollar amount."""
    grants: int
    lacking_rate: int
    """Grants of the sector left out of ``amount_usd`` for want of a rate."""


def amounts_by_sector(grants: QuerySet[Grant] | None = None) -> dict[str, SectorAmount]:
    """US dollar amounts of ``grants`` (default: every grant awarded) by sector code."""
    base = grants if grants is not None else grants_awarded()
    rows = (
        base.order_by()
        .values("sector")
        .annotate(
            total_usd=Sum("amount_usd"),
            grants=Count("pk"),
            lacking_rate=Count("pk", filter=Q(amount_usd__isnull=True)),
        )
    )
    return {
        row["sector"]: SectorAmount(
            amount_usd=row["total_usd"] or Decimal("0"),
            grants=row["grants"],
            lacking_rate=row["lacking_rate"],
        )
        for row in rows
    }


def jobs_created(
    grants: QuerySet[Grant] | None = None,
    *,
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[JobsCreated]:
    """The jobs-created cells of the follow-ups of ``grants`` (default: every grant awarded),
    reported between ``start`` and ``end``. Each row: ``sex`` ("" unknown), ``community``
    (None unknown), ``count``; ``outcome__reported_on`` and ``outcome__grant__municipality``
    date and place it."""
    base = grants if grants is not None else grants_awarded()
    cells = JobsCreated.objects.filter(outcome__grant__in=base)
    if start is not None:
        cells = cells.filter(outcome__reported_on__gte=start)
    if end is not None:
        cells = cells.filter(outcome__reported_on__lte=end)
    return cells


def jobs_by_cell(cells: QuerySet[JobsCreated] | None = None) -> dict[tuple[str, str | None], int]:
    """Jobs created summed by (sex, community code); "" and None are the unknown cells."""
    base = cells if cells is not None else jobs_created()
    totals: dict[tuple[str, str | None], int] = {}
    for row in base.order_by().values("sex", "community__code").annotate(total=Sum("count")):
        totals[(row["sex"], row["community__code"])] = row["total"]
    return totals


@dataclass(frozen=True)
class Share:
    """How many grants have the trait, how many do not, and how many are not known."""

    yes: int
    no: int
    unknown: int

    @property
    def total(self) -> int:
        return self.yes + self.no + self.unknown

    @property
    def share_of_known(self) -> Decimal | None:
        known = self.yes + self.no
        return None if not known else Decimal(self.yes) / Decimal(known)


@dataclass(frozen=True)
class OwnerShares:
    women_owned: Share
    youth_owned: Share
    non_majority_owned: Share


def owner_shares(grants: QuerySet[Grant] | None = None) -> OwnerShares:
    """Grants (default: every grant awarded) by their owner, from the awarded application. A
    grant without an application (entered or imported directly) has an unknown owner."""
    base = grants if grants is not None else grants_awarded()
    rows = base.order_by().values_list(
        "award_date",
        "municipality__majority_community__code",
        "application__owner_sex",
        "application__owner_birth_year",
        "application__owner_community__code",
        "application__owner_community__is_declared",
    )
    counts: dict[str, list[int]] = {name: [0, 0, 0] for name in ("women", "youth", "non_majority")}

    def add(name: str, value: bool | None) -> None:
        counts[name][0 if value is True else 1 if value is False else 2] += 1

    for awarded, majority, sex, birth_year, community, declared in rows:
        add("women", None if not sex else sex == Sex.FEMALE)
        age = engine.age_on(awarded, birth_year=birth_year)
        add("youth", None if age is None else YOUTH[0] <= age <= YOUTH[1])
        status = engine.local_status(community, majority, declared=bool(declared))
        add("non_majority", None if status is None else status == engine.NON_MAJORITY)
    return OwnerShares(
        women_owned=Share(*counts["women"]),
        youth_owned=Share(*counts["youth"]),
        non_majority_owned=Share(*counts["non_majority"]),
    )


# -- the committee and blind scoring -----------------------------------------------------------


def calls_on_committee(user: User) -> QuerySet[Call]:
    """The calls whose committee names ``user``, still being worked on."""
    return Call.objects.filter(
        committee=user, status__in=(CallStatus.OPEN, CallStatus.CLOSED)
    ).select_related("component")


def sees_all_scores(user: object, application: Application) -> bool:
    """Whether ``user`` may read every member's submitted scores of ``application``: a member
    of the committee once they have submitted their own; otherwise the call's managers (M&E
    officers, administrators, component staff of the call's component)."""
    call = application.call
    if on_committee(user, call):
        assert isinstance(user, User)
        return ScoreSheet.objects.filter(
            application=application, member=user, submitted_at__isnull=False
        ).exists()
    return manages_call(user, call)


def visible_score_sheets(user: object, application: Application) -> QuerySet[ScoreSheet]:
    """The score sheets of ``application`` that ``user`` may read, with their scores: their own
    always; the other members' submitted ones only when :func:`sees_all_scores`."""
    sheets = ScoreSheet.objects.filter(application=application)
    own = Q(member_id=user.pk) if isinstance(user, User) else Q(pk__in=[])
    if sees_all_scores(user, application):
        sheets = sheets.filter(own | Q(submitted_at__isnull=False) | Q(has_conflict=True))
    else:
        sheets = sheets.filter(own)
    return sheets.select_related("member").prefetch_related("scores__criterion")


@dataclass(frozen=True)
class SheetRow:
    sheet: ScoreSheet
    scores: list[CriterionScore | None]
    """One per criterion of the call, in its order (None: not scored)."""
    total: Decimal | None
    """The member's total (0-100), once submitted."""


def visible_score_rows(
    user: object, application: Application
) -> tuple[list[Criterion], list[SheetRow]]:
    """The call's criteria, and the score sheets of :func:`visible_score_sheets` as rows of a
    table with a column per criterion."""
    criteria = list(application.call.criteria.all())
    scales = {c.pk: CriterionScale(weight=c.weight, max_score=c.max_score) for c in criteria}
    rows = []
    for sheet in visible_score_sheets(user, application):
        given = {score.criterion_id: score for score in sheet.scores.all()}
        total = sheet_total({pk: score.points for pk, score in given.items()}, scales)
        rows.append(
            SheetRow(
                sheet=sheet,
                scores=[given.get(criterion.pk) for criterion in criteria],
                total=shown(total) if sheet.submitted_at is not None else None,
            )
        )
    return criteria, rows


@dataclass(frozen=True)
class OwnerDetails:
    sex: str
    birth_year: int | None
    age: int | None
    community: Community | None


def owner_details(viewer: object, application: Application, *, on: date) -> OwnerDetails | None:
    """The owner's sex, birth year, age ``on`` a day and community, for a viewer whose role sees
    persons (None for anyone else, a donor viewer above all). The caller has fetched
    ``application`` within the viewer's scope."""
    if not may_see_owner(viewer):
        return None
    return OwnerDetails(
        sex=str(application.get_owner_sex_display()),
        birth_year=application.owner_birth_year,
        age=application.owner_age_on(on),
        community=application.owner_community,
    )


@dataclass(frozen=True)
class RankedApplication:
    application: Application
    rank: int | None
    score: Decimal | None
    """The weighted mean (0-100); None when not scored or hidden from this viewer."""
    submitted: int
    """Members who submitted scores."""
    hidden: bool
    """The viewer is a committee member who has not submitted their own scores yet."""


def application_scores(
    applications: Iterable[Application],
) -> dict[int, tuple[Decimal | None, int]]:
    """Each application's score (see :mod:`akt.grants.scoring`) and how many members submitted,
    from the submitted sheets: two queries whatever the number of applications."""
    listed = list(applications)
    ids = [application.pk for application in listed]
    call_ids = {application.call_id for application in listed}
    scales: dict[int, dict[int, CriterionScale]] = defaultdict(dict)
    for criterion in Criterion.objects.filter(call_id__in=call_ids):
        scales[criterion.call_id][criterion.pk] = CriterionScale(
            weight=criterion.weight, max_score=criterion.max_score
        )
    points: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for application_id, sheet_id, criterion_id, value in CriterionScore.objects.filter(
        sheet__application_id__in=ids, sheet__submitted_at__isnull=False
    ).values_list("sheet__application_id", "sheet_id", "criterion_id", "points"):
        points[(application_id, sheet_id)][criterion_id] = value
    totals: dict[int, list[Decimal]] = defaultdict(list)
    call_of = {application.pk: application.call_id for application in listed}
    for (application_id, _sheet), given in points.items():
        total = sheet_total(given, scales[call_of[application_id]])
        if total is not None:
            totals[application_id].append(total)
    return {pk: (mean_score(totals.get(pk, [])), len(totals.get(pk, []))) for pk in ids}


def ranking(
    call: Call, user: object, applications: QuerySet[Application]
) -> list[RankedApplication]:
    """``applications`` of ``call`` (already narrowed to the viewer's scope) ranked by their
    weighted mean score. A committee member who has not submitted their own scores for an
    application sees no score for it (and so no rank): the ranking would tell them the others'.
    """
    listed = list(applications.order_by("received_on", "pk"))
    scores = application_scores(listed)
    blind: set[int] = set()
    if on_committee(user, call):
        assert isinstance(user, User)
        submitted = set(
            ScoreSheet.objects.filter(
                application__call=call, member=user, submitted_at__isnull=False
            ).values_list("application_id", flat=True)
        )
        blind = {application.pk for application in listed} - submitted
    ordered = rank(
        [
            (application.pk, None if application.pk in blind else scores[application.pk][0])
            for application in listed
        ]
    )
    by_id = {application.pk: application for application in listed}
    return [
        _ranked(by_id[item.key], item, scores[item.key][1], item.key in blind) for item in ordered
    ]


def _ranked(
    application: Application, item: Ranked, submitted: int, hidden: bool
) -> RankedApplication:
    return RankedApplication(
        application=application,
        rank=item.rank,
        score=item.score,
        submitted=submitted,
        hidden=hidden and submitted > 0,
    )


def applications_to_score(user: User) -> list[tuple[Application, ScoreSheet | None]]:
    """The eligible applications of the calls ``user`` sits on the committee of, with their own
    sheet (None before they declared)."""
    applications = list(
        Application.objects.filter(
            call__in=calls_on_committee(user),
            status__in=(ApplicationStatus.ELIGIBLE, ApplicationStatus.SCORED),
        )
        .select_related("call", "applicant", "municipality__majority_community")
        .order_by("call__deadline", "call__reference", "received_on", "pk")
    )
    sheets = {
        sheet.application_id: sheet
        for sheet in ScoreSheet.objects.filter(member=user, application__in=applications)
    }
    return [(application, sheets.get(application.pk)) for application in applications]
