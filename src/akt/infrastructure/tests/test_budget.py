"""The budget arithmetic, without a database: shares, percents, spending per payer."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from akt.infrastructure.budget import budget_compute, percent, shares_percent

D = Decimal


def test_the_shares_of_a_budget_and_their_percents() -> None:
    budget = budget_compute(
        [("usaid", D("40000")), ("municipality", D("8000")), ("community", D("2000"))],
        {"usaid": D("30000"), "municipality": D("8000")},
    )
    assert budget.total == D("50000")
    assert [(s.payer, s.budget, s.percent_of_budget) for s in budget.shares] == [
        ("usaid", D("40000"), D("80.0")),
        ("municipality", D("8000"), D("16.0")),
        ("community", D("2000"), D("4.0")),
    ]
    assert [(s.spent, s.percent_spent, s.over) for s in budget.shares] == [
        (D("30000"), D("75.0"), False),
        (D("8000"), D("100.0"), False),
        (D("0"), D("0.0"), False),
    ]
    assert (budget.spent, budget.percent_spent) == (D("38000"), D("76.0"))
    assert not budget.is_over_budget
    assert budget.over_budget == D("0")


def test_spending_above_the_budget_is_kept_and_flagged() -> None:
    budget = budget_compute(
        [("usaid", D("10000")), ("municipality", D("2000")), ("community", D("0"))],
        {"usaid": D("10500"), "municipality": D("1900"), "community": D("150")},
    )
    assert budget.spent == D("12550")
    assert budget.is_over_budget
    assert budget.over_budget == D("550")
    assert budget.percent_spent == D("104.6")  # 12550 / 12000 = 104.58...
    usaid, municipality, community = budget.shares
    assert (usaid.over, usaid.percent_spent) == (True, D("105.0"))
    assert (municipality.over, municipality.percent_spent) == (False, D("95.0"))
    # The community had no share: what it paid is counted, with no percent of nothing.
    assert (community.over, community.spent, community.percent_spent) == (True, D("150"), None)


def test_a_payer_without_a_share_gets_a_row_so_the_rows_add_up() -> None:
    budget = budget_compute([("usaid", D("1000"))], {"usaid": D("500"), "community": D("20")})
    assert [s.payer for s in budget.shares] == ["usaid", "community"]
    assert budget.spent == sum((s.spent for s in budget.shares), D("0")) == D("520")


def test_shares_add_up_to_a_hundred_percent() -> None:
    assert shares_percent([D("1"), D("1"), D("1")]) == [D("33.4"), D("33.3"), D("33.3")]
    assert shares_percent([D("2"), D("1")]) == [D("66.7"), D("33.3")]
    assert shares_percent([D("0"), D("5")]) == [D("0"), D("100")]


def test_a_budget_of_zero_has_no_percents() -> None:
    budget = budget_compute([("usaid", D("0")), ("municipality", D("0"))], {})
    assert [s.percent_of_budget for s in budget.shares] == [None, None]
    assert budget.percent_spent is None
    assert percent(D("5"), D("0")) is None


@given(
    st.lists(
        st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False), min_size=1, max_size=5
    )
)
def test_shares_always_add_up_to_exactly_a_hundred(amounts: list[Decimal]) -> None:
    percents = shares_percent(amounts)
    if sum(amounts) == 0:
        assert all(value is None for value in percents)
        return
    assert sum(value for value in percents if value is not None) == D("100")
    for amount, value in zip(amounts, percents, strict=True):
        assert value is not None
        assert abs(value - amount * 100 / sum(amounts)) < D("0.1")
