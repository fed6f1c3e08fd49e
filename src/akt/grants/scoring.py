"""How committee scores make a ranking: plain values in, numbers out, no database.

A member scores every criterion of the call from 0 to its maximum. A member's **total** for an
application is the weighted share of the best possible score, as a percentage::

    total = 100 x sum(weight_c x points_c / max_c) / sum(weight_c)

so criteria scored on different scales (0-5, 0-20) weigh what their weights say, and the
weights need not add up to 100. An application's **score** is the mean of the totals of the
members who submitted theirs (a member with a conflict of interest submits none); it has no
score until one member has submitted. (With every member scoring every criterion, the mean of
the totals equals the weighted total of the criterion means.)

The **ranking** puts scored applications first, highest score first; ties and unscored
applications keep the order they came in (received first).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class CriterionScale:
    weight: Decimal
    max_score: int


def sheet_total(
    points: Mapping[int, int], criteria: Mapping[int, CriterionScale]
) -> Decimal | None:
    """One member's total (0-100) from ``points`` by criterion id; None unless every criterion
    of ``criteria`` is scored."""
    if not criteria or set(points) != set(criteria):
        return None
    weights = sum((scale.weight for scale in criteria.values()), Decimal(0))
    if weights <= 0:
        return None
    earned = sum(
        (
            Decimal(scale.weight) * Decimal(points[pk]) / Decimal(scale.max_score)
            for pk, scale in criteria.items()
        ),
        Decimal(0),
    )
    return Decimal(100) * earned / weights


def mean_score(totals: Iterable[Decimal]) -> Decimal | None:
    """The mean of the members' totals; None when nobody has submitted."""
    values = list(totals)
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def shown(score: Decimal | None) -> Decimal | None:
    """A score as pages show it: to the hundredth."""
    return None if score is None else score.quantize(HUNDREDTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Ranked:
    key: int
    """The application's id."""
    score: Decimal | None
    rank: int | None
    """1 for the best; equal scores share a rank; None when not scored."""


def rank(scores: Sequence[tuple[int, Decimal | None]]) -> list[Ranked]:
    """``scores``: (application id, score or None) in the order they came in."""
    order = {key: index for index, (key, _score) in enumerate(scores)}
    scored = sorted(
        ((key, score) for key, score in scores if score is not None),
        key=lambda item: (-item[1], order[item[0]]),
    )
    ranked: list[Ranked] = []
    previous: Decimal | None = None
    place = 0
    for position, (key, score) in enumerate(scored, start=1):
        if previous is None or score != previous:
            place = position
        previous = score
        ranked.append(Ranked(key=key, score=score, rank=place))
    ranked.extend(Ranked(key=key, score=None, rank=None) for key, score in scores if score is None)
    return ranked
