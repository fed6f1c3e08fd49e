"""A project's budget by payer, and its spending against it: plain values in, figures out.

The rules, which the project's page, the list and the selectors all follow:

- The **total budget** is the sum of the shares: USAID's contribution (the program's), the
  municipality's co-financing and the community's contribution (cash or in kind, valued).
- A **share's percent** is its part of the total budget, to one decimal. The shares' percents
  are rounded by the largest remainder, so they always add up to 100.0 (three equal shares read
  33.4, 33.3, 33.3, not 33.3 three times); a budget of zero has no percents.
- **Spent** is the sum of the payments recorded, per payer and in all. A payer's percent spent
  is of that payer's own share; the total's is of the total budget. A payment by a payer with no
  share has no percent (there is nothing to divide by).
- Spending **above the budget** is allowed (it happens, and the record must say what happened),
  and flagged: ``over_budget`` is the amount above, zero when within it; a payer is flagged when
  it spent more than its share.

No Django here: tested without a database (``tests/test_budget.py``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
TENTH = Decimal("0.1")
HUNDRED = Decimal("100")


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """``part`` as a percent of ``whole``, to one decimal (half up); None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def shares_percent(amounts: Sequence[Decimal]) -> list[Decimal | None]:
    """Each amount's percent of their sum, to one decimal, adding up to exactly 100.0.

    Largest remainder: every share is rounded down to a tenth, and the tenths still missing go to
    the shares that lost most in rounding (the earlier one on a tie)."""
    total = sum(amounts, ZERO)
    if not total:
        return [None for _amount in amounts]
    tenths = [Decimal(amount) * 1000 / total for amount in amounts]
    floors = [int(value) for value in tenths]
    missing = 1000 - sum(floors)
    order = sorted(range(len(amounts)), key=lambda index: (floors[index] - tenths[index], index))
    for index in order[:missing]:
        floors[index] += 1
    return [Decimal(value) / 10 for value in floors]


@dataclass(frozen=True)
class Share:
    """One payer's part of the budget and what it has spent."""

    payer: str
    budget: Decimal
    percent_of_budget: Decimal | None
    spent: Decimal
    percent_spent: Decimal | None  # of this payer's own share
    over: bool  # spent more than its share


@dataclass(frozen=True)
class ProjectBudget:
    shares: tuple[Share, ...]
    total: Decimal
    spent: Decimal
    percent_spent: Decimal | None  # of the total budget

    @property
    def over_budget(self) -> Decimal:
        """How much the spending exceeds the budget; zero when within it."""
        return max(self.spent - self.total, ZERO)

    @property
    def is_over_budget(self) -> bool:
        return self.spent > self.total

    def share(self, payer: str) -> Share:
        for share in self.shares:
            if share.payer == payer:
                return share
        raise KeyError(payer)


def budget_compute(
    contributions: Sequence[tuple[str, Decimal]], spent: Mapping[str, Decimal]
) -> ProjectBudget:
    """The budget of ``contributions`` (payer, amount), in that order, with ``spent`` (payer ->
    sum of payments) against it. A payer that spent without a share is listed after the others
    with a budget of zero, so the total spent is always the sum of the rows."""
    payers = [payer for payer, _amount in contributions]
    rows = [(payer, Decimal(amount)) for payer, amount in contributions]
    rows += [(payer, ZERO) for payer in spent if payer not in payers]
    total = sum((amount for _payer, amount in rows), ZERO)
    percents = shares_percent([amount for _payer, amount in rows])
    shares = []
    for (payer, amount), share_percent in zip(rows, percents, strict=True):
        paid = Decimal(spent.get(payer, ZERO))
        shares.append(
            Share(
                payer=payer,
                budget=amount,
                percent_of_budget=share_percent,
                spent=paid,
                percent_spent=percent(paid, amount),
                over=paid > amount,
            )
        )
    total_spent = sum((share.spent for share in shares), ZERO)
    return ProjectBudget(
        shares=tuple(shares),
        total=total,
        spent=total_spent,
        percent_spent=percent(total_spent, total),
    )
