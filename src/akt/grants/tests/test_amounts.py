"""Money is written one way everywhere: the CLDR currency format of the reader's language.

The grant and project pages wrote "5,000.00 USD", the results sentences "$5,000" or
"5.000 US$", and some tables the bare number; now every amount goes through
:func:`akt.text.locales.format_money`.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse

from akt.indicators.sentences import format_value
from akt.reports.tests.records import text_of
from akt.testing.factories import GrantFactory, ProjectFactory
from akt.text.locales import currency_symbol, format_money

WRITTEN = {
    "en": ("$12,500", "$12,500.50", "€900"),
    "sq": ("12\xa0500\xa0US$", "12\xa0500,50\xa0US$", "900\xa0€"),
    "sr-latn": ("12.500\xa0US$", "12.500,50\xa0US$", "900\xa0€"),
    "sr": ("12.500\xa0US$", "12.500,50\xa0US$", "900\xa0€"),
}


@pytest.mark.parametrize("language", list(WRITTEN))
def test_an_amount_is_written_in_the_languages_currency_format(language: str) -> None:
    written = (
        format_money(Decimal("12500.00"), "USD", language),
        format_money(Decimal("12500.50"), "USD", language),
        format_money(Decimal("900"), "EUR", language),
    )
    assert written == WRITTEN[language]
    # The results sentences and figures write money the same way.
    assert format_value(Decimal("12500.00"), language, "USD") == written[0]
    assert currency_symbol("USD", language) == ("$" if language == "en" else "US$")


@pytest.mark.django_db
@pytest.mark.parametrize("language", list(WRITTEN))
def test_grant_and_project_pages_write_amounts_as_the_figures_do(
    client_for, personas, reference: None, language: str
) -> None:
    grant = GrantFactory(amount=Decimal("12500.00"), currency="USD")
    project = ProjectFactory(program_contribution=Decimal("12500.50"))
    client = client_for("me")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    pages = {
        "grant list": client.get(reverse("grants:list")),
        "grant": client.get(reverse("grants:detail", args=[grant.pk])),
        "project": client.get(reverse("infrastructure:detail", args=[project.pk])),
        "organization": client.get(
            reverse("people:organization_detail", args=[grant.recipient.pk])
        ),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        page = text_of(response)
        assert "USD" not in page, name
        expected = WRITTEN[language][1] if name == "project" else WRITTEN[language][0]
        assert expected.replace("\xa0", " ") in page, name  # text_of folds every space


def test_a_kept_rate_is_shown_as_its_source_writes_it() -> None:
    from akt.grants.models import Grant

    assert str(Grant(usd_rate=Decimal("1.110000")).usd_rate_shown) == "1.11"
    assert str(Grant(usd_rate=Decimal("1.108500")).usd_rate_shown) == "1.1085"
    assert str(Grant(usd_rate=Decimal("10.000000")).usd_rate_shown) == "10"
    assert Grant(usd_rate=None).usd_rate_shown is None
