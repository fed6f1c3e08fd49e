"""Grants in other currencies in the program's dollar totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from akt.counting import engine
from akt.indicators.selectors import reference_results, results_compute
from akt.testing.factories import GrantFactory

pytestmark = pytest.mark.django_db

WINDOW = engine.date_range(dt.date(2014, 10, 1), dt.date(2017, 9, 30))


def figures(code: str) -> engine.Result:
    computed = {item.indicator.code: item.figures for item in results_compute(window=WINDOW)}
    assert computed[code].value == reference_results(window=WINDOW)[code].value
    return computed[code]


def test_a_grant_in_euros_counts_in_the_dollar_total_at_its_kept_rate(reference: None) -> None:
    """The amount indicator sums every grant in US dollars: a euro award at the rate kept on it;
    a euro award still without a rate is not added as if it were dollars."""
    GrantFactory(amount=Decimal(5000), currency="USD", amount_usd=Decimal(5000),
                 award_date=dt.date(2016, 3, 1))  # fmt: skip
    GrantFactory(amount=Decimal(4000), currency="EUR", usd_rate=Decimal("1.1200"),
                 amount_usd=Decimal("4480.00"), award_date=dt.date(2016, 3, 2))  # fmt: skip
    GrantFactory(amount=Decimal(3000), currency="EUR", amount_usd=None,
                 award_date=dt.date(2016, 3, 3))  # fmt: skip
    assert figures("business-grants-amount").value == Decimal("9480.00")
    assert figures("business-grants").value == 3  # every award counts as a grant
