"""How a municipality's capacity changed between its assessments: the rules, as plain Python.

An assessment scores each capacity area from 1 to 5. The rules, which the pages and the
selectors for the indicators follow:

- Assessments are taken in date order (two on one day: in the order they were recorded).
- The **change in an area** between two assessments is the later score minus the earlier one,
  when both assessments score the area; when either does not, the change is not known (None),
  never 0: an area left out is not an area that stood still.
- The **first** and the **latest** assessment are those of the whole series (or of a window):
  the change "since the first" of an area is latest minus first as above, so an area the latest
  assessment left out has no change since the first, even if an assessment between scored it.
- A municipality's **overall score** in one assessment is the mean of the areas it scores.
  The **overall change** between two assessments is the mean of the per-area changes over the
  areas both score (the same as the difference of their means over those areas), so an area
  scored only once neither lifts nor drags it; None when they share no area.
- A municipality **improved** in an area when that area's change from its first to its latest
  assessment is above 0, and **improved overall** when the overall change is above 0; a single
  assessment shows no change.

Means are exact fractions until shown: :func:`rounded` gives them with two decimals.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

LOWEST_SCORE, HIGHEST_SCORE = 1, 5
"""The assessment's scale."""

OVERALL = "overall"
"""The key of the overall score (the mean of the areas) beside the area codes."""


@dataclass(frozen=True)
class Assessed:
    """One assessment as the rules need it: its id, day and score per area code."""

    key: int
    assessed_on: date
    scores: Mapping[str, int]


def rounded(value: Fraction | None) -> Decimal | None:
    """A mean as shown: two decimals, halves rounded up."""
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def mean_score(scores: Mapping[str, int]) -> Fraction | None:
    """The overall score of one assessment: the mean of the areas it scores."""
    if not scores:
        return None
    return Fraction(sum(scores.values()), len(scores))


def area_change(earlier: Mapping[str, int], later: Mapping[str, int], area: str) -> int | None:
    """``later`` minus ``earlier`` in one area; None unless both score it."""
    if area not in earlier or area not in later:
        return None
    return later[area] - earlier[area]


def overall_change(earlier: Mapping[str, int], later: Mapping[str, int]) -> Fraction | None:
    """The mean of the per-area changes over the areas both score; None when they share none."""
    shared = [area for area in earlier if area in later]
    if not shared:
        return None
    return Fraction(sum(later[area] - earlier[area] for area in shared), len(shared))


def in_order(assessments: Sequence[Assessed]) -> list[Assessed]:
    return sorted(assessments, key=lambda item: (item.assessed_on, item.key))


@dataclass(frozen=True)
class Step:
    """The change from one assessment to the next (or from the first to the latest)."""

    earlier: Assessed
    later: Assessed
    by_area: Mapping[str, int | None]
    overall: Fraction | None

    @classmethod
    def between(cls, earlier: Assessed, later: Assessed, areas: Sequence[str]) -> Step:
        return cls(
            earlier=earlier,
            later=later,
            by_area={area: area_change(earlier.scores, later.scores, area) for area in areas},
            overall=overall_change(earlier.scores, later.scores),
        )


@dataclass(frozen=True)
class Progress:
    """A municipality's assessments in order, with the change from the first to the latest and
    between each two consecutive ones."""

    assessments: list[Assessed]
    since_first: Step | None
    steps: list[Step] = field(default_factory=list)

    @property
    def first(self) -> Assessed | None:
        return self.assessments[0] if self.assessments else None

    @property
    def latest(self) -> Assessed | None:
        return self.assessments[-1] if self.assessments else None

    def improved(self) -> set[str]:
        """The areas (and :data:`OVERALL`) whose score rose from the first to the latest."""
        if self.since_first is None:
            return set()
        found = {area for area, change in self.since_first.by_area.items() if change and change > 0}
        if self.since_first.overall is not None and self.since_first.overall > 0:
            found.add(OVERALL)
        return found


def progress(assessments: Sequence[Assessed], areas: Sequence[str]) -> Progress:
    """The :class:`Progress` of one municipality's assessments over the given area codes."""
    ordered = in_order(assessments)
    if len(ordered) < 2:
        return Progress(assessments=ordered, since_first=None)
    steps = [Step.between(a, b, areas) for a, b in zip(ordered, ordered[1:], strict=False)]
    return Progress(
        assessments=ordered,
        since_first=Step.between(ordered[0], ordered[-1], areas),
        steps=steps,
    )


# -- the table a page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreCell:
    """One area's score in one assessment (None: not scored), and its bar's width in percent."""

    score: int | None

    @property
    def width(self) -> int:
        return 0 if self.score is None else round(self.score * 100 / HIGHEST_SCORE)


@dataclass(frozen=True)
class MeanCell:
    """An assessment's overall score (the mean of its areas), and its bar's width."""

    mean: Fraction | None

    @property
    def shown(self) -> Decimal | None:
        return rounded(self.mean)

    @property
    def width(self) -> int:
        return 0 if self.mean is None else round(float(self.mean) * 100 / HIGHEST_SCORE)


@dataclass(frozen=True)
class ScoreRow:
    """One area across the assessments: its score in each, the change from the first to the
    latest and from each assessment to the next."""

    area: str
    cells: list[ScoreCell]
    since_first: int | None
    steps: list[int | None]


@dataclass(frozen=True)
class ScoreTable:
    rows: list[ScoreRow]
    overall: list[MeanCell]
    overall_since_first: Decimal | None
    overall_steps: list[Decimal | None]


def score_table(progress_: Progress, areas: Sequence[str]) -> ScoreTable:
    """The rows of the page's table: one per area, in the given order, then the overall one."""
    ordered = progress_.assessments
    rows = [
        ScoreRow(
            area=area,
            cells=[ScoreCell(item.scores.get(area)) for item in ordered],
            since_first=progress_.since_first.by_area[area] if progress_.since_first else None,
            steps=[step.by_area[area] for step in progress_.steps],
        )
        for area in areas
    ]
    return ScoreTable(
        rows=rows,
        overall=[MeanCell(mean_score(item.scores)) for item in ordered],
        overall_since_first=(
            rounded(progress_.since_first.overall) if progress_.since_first else None
        ),
        overall_steps=[rounded(step.overall) for step in progress_.steps],
    )
